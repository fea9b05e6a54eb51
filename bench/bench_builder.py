"""The story builder's suggestions scored against the curated story: ``python bench/bench_builder.py``.

Runs the builder on the five source texts (``--sources``, default ``$SOURCES_DIR`` or
../shared/sources) and scores its draft against ``data/events.yaml``:

- quotes covered: curated claims whose quote lies within one proposed claim (one sentence);
- speaker right, of the covered direct quotes and of all covered claims: the proposed speaker is
  the curated one ("narration", "unnamed", or an actor whose name or an alias is the curated
  actor's name or alias, or its last word(s));
- kind right, of the covered claims;
- lexicon terms, per proposed sentence against the curated claims inside it: recall and precision, twice:
  with the curated story's lexicon given (100% by construction: the matching is the validator's own) and
  with the codebook's general lexicon alone (what a teacher's new draft starts from);
- scare quotes recall: curated scare quotes found among the sentence's suggestions;
- time: suggestions for a 2,000-word article (the source texts run together), best of 3.

Prints the figures with PASS or MISS against the goals, and the misses. Exit 0 either way.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from dashboard.build.draft import Draft, DraftClaim, DraftLexiconEntry  # noqa: E402
from dashboard.build.extract import read_article  # noqa: E402
from dashboard.build.suggest import add_article  # noqa: E402
from dashboard.data.dataset import load_dataset  # noqa: E402
from dashboard.data.text import fold  # noqa: E402

GOALS = {
    "quotes covered": 0.95,
    "speaker right (direct)": 0.85,
    "speaker right (all)": 0.70,
    "kind right": 0.80,
    "lexicon recall": 1.0,
    "lexicon precision": 0.90,
    "scare quotes recall": 0.90,
}
TARGET_SECONDS = 2.0


def _key(text: str) -> str:
    return fold(text).lower()


def build(sources: Path, dataset, *, story_lexicon: bool = True) -> tuple[Draft, dict[str, str]]:
    """The builder's draft of every curated article's text; curated article id → draft article id.

    With ``story_lexicon`` the draft starts from the curated story's own lexicon (the lexicon figures are then
    100% by construction: the matching is the validator's); without it, from the codebook's general lexicon
    alone, as a teacher's new draft does."""
    lexicon = [
        DraftLexiconEntry(term=e.term, category=e.category, variants=list(e.variants), not_in=list(e.not_in))
        for e in dataset.lexicon_entries
    ]
    draft = Draft(lexicon=lexicon) if story_lexicon else Draft()
    ids: dict[str, str] = {}
    for article in dataset.articles:
        if not article.source_file:
            continue
        path = sources / article.source_file
        draft = add_article(draft, read_article(path.name, path.read_bytes()))
        ids[article.id] = draft.articles[-1].id
    return draft, ids


def _names(names: list[str]) -> set[str]:
    return {_key(n) for n in names if n}


def speaker_matches(proposed: str, curated: str, draft: Draft, dataset) -> bool:
    if proposed in ("narration", "unnamed") or curated in ("narration", "unnamed"):
        return proposed == curated
    actor = draft.actor(proposed)
    target = dataset.by_id("actors").get(curated)
    if actor is None or target is None:
        return False
    mine = _names([actor.name, *actor.aliases])
    theirs = _names([target.name, *target.aliases])
    if mine & theirs:
        return True
    return any(t.endswith(" " + m) or m.endswith(" " + t) for m in mine for t in theirs)


def score(draft: Draft, ids: dict[str, str], dataset) -> tuple[dict[str, tuple[int, int]], dict[str, list[str]]]:
    by_article: dict[str, list[DraftClaim]] = {}
    for c in draft.claims:
        by_article.setdefault(c.article, []).append(c)
    counts: Counter[str] = Counter()
    misses: dict[str, list[str]] = {k: [] for k in GOALS}
    inside: dict[str, list] = {}  # proposed claim id → curated claims it covers
    shared: Counter[str] = Counter()  # proposed claim id → how many curated claims lie in its sentence
    for cl in dataset.claims:
        if cl.article in ids:
            quote = _key(cl.quote)
            hit = next((c for c in by_article[ids[cl.article]] if quote in _key(c.quote)), None)
            if hit is not None:
                shared[hit.id] += 1
    for cl in dataset.claims:
        if cl.article not in ids:
            continue
        quote = _key(cl.quote)
        covering = next((c for c in by_article[ids[cl.article]] if quote in _key(c.quote)), None)
        counts["quotes covered/n"] += 1
        if covering is None:
            misses["quotes covered"].append(f"{cl.id}: not within one sentence: {cl.quote[:90]!r}")
            continue
        counts["quotes covered/ok"] += 1
        inside.setdefault(covering.id, []).append(cl)
        sug = covering.suggested
        speaker = sug["speaker"].value
        right = speaker_matches(speaker, cl.speaker, draft, dataset)
        split = " [a sentence the curated data splits]" if shared[covering.id] > 1 else ""
        shown = f"{cl.id} ({cl.kind}, {cl.speaker}) got {speaker} by {sug['speaker'].rule}{split}"
        for name, applies in (("speaker right (direct)", cl.kind == "direct"), ("speaker right (all)", True)):
            if applies:
                counts[f"{name}/n"] += 1
                counts[f"{name}/ok"] += right
                if not right:
                    misses[name].append(shown)
        kind = sug["kind"].value
        counts["kind right/n"] += 1
        counts["kind right/ok"] += kind == cl.kind
        if kind != cl.kind:
            misses["kind right"].append(f"{cl.id}: {cl.kind}, got {kind} ({sug['kind'].rule}){split}")
        if cl.scare_quotes:
            got = {_key(w) for w in sug["scare_quotes"].value}
            for word in cl.scare_quotes:
                counts["scare quotes recall/n"] += 1
                if _key(word) in got:
                    counts["scare quotes recall/ok"] += 1
                else:
                    misses["scare quotes recall"].append(f"{cl.id}: {word!r} (kind suggested {kind})")
    for c in draft.claims:
        curated = inside.get(c.id)
        if not curated:
            continue
        expected = {t for cl in curated for t in cl.loaded_terms}
        proposed = set(c.suggested["loaded_terms"].value)
        counts["lexicon recall/n"] += len(expected)
        counts["lexicon recall/ok"] += len(expected & proposed)
        counts["lexicon precision/n"] += len(proposed)
        counts["lexicon precision/ok"] += len(expected & proposed)
        for t in sorted(expected - proposed):
            misses["lexicon recall"].append(f"{c.id}: {t!r} not found")
        for t in sorted(proposed - expected):
            misses["lexicon precision"].append(f"{c.id}: {t!r} in words no curated claim of it codes")
    figures = {k: (counts[f"{k}/ok"], counts[f"{k}/n"]) for k in GOALS}
    for name in ("speaker right (all)", "kind right"):
        split = sum(1 for line in misses[name] if line.endswith("splits]"))
        figures[f"{name}, misses in split sentences"] = (split, len(misses[name]))
    return figures, misses


def timing(sources: Path, words: int = 2000, one_paragraph: bool = False) -> tuple[float, int]:
    """Best of 3: suggestions for the source texts' paragraphs run together to ``words`` words (or, the worst
    case for the segmenter, all of it as one paragraph)."""
    paragraphs = [p for f in sorted(sources.glob("*.txt")) for p in f.read_text(encoding="utf-8").split("\n") if p]
    body: list[str] = []
    count = 0
    while count < words:
        for p in paragraphs:
            cut = p.split()[: words - count]
            body.append(" ".join(cut))
            count += len(cut)
            if count >= words:
                break
    text = (" " if one_paragraph else "\n").join(body)
    article = read_article("long.txt", text.encode())
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        add_article(Draft(), article)
        best = min(best, time.perf_counter() - t)
    return best, len(text.split())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default = os.environ.get("SOURCES_DIR") or str(REPO.parent / "shared" / "sources")
    parser.add_argument("--sources", default=default, help="folder of the source texts (default: %(default)s)")
    parser.add_argument("--data", default=str(REPO / "data" / "events.yaml"))
    parser.add_argument("--misses", type=int, default=40, help="misses listed per figure (default 40)")
    args = parser.parse_args(argv)
    sources = Path(args.sources)
    if not sources.is_dir():
        print(f"{sources}: no such folder; pass --sources or set SOURCES_DIR", file=sys.stderr)
        return 1
    dataset = load_dataset(args.data)
    draft, ids = build(sources, dataset)
    figures, misses = score(draft, ids, dataset)
    print(f"builder on {len(ids)} articles: {len(draft.claims)} proposed claims, {len(dataset.claims)} curated")
    print("  (lexicon figures first with the curated story's lexicon given: 100% by construction)")
    for name, (ok, n) in figures.items():
        share = ok / n if n else 1.0
        if name not in GOALS:
            print(f"    {name}: {ok} of {n}")
            continue
        verdict = "PASS" if share >= GOALS[name] else "MISS"
        print(f"  {name:24} {ok:4}/{n:<4} {share:6.1%}  goal >= {GOALS[name]:.0%}  {verdict}")
    general, general_ids = build(sources, dataset, story_lexicon=False)
    general_figures, general_misses = score(general, general_ids, dataset)
    print("  with the codebook's general lexicon alone (a new draft, before the teacher adds the story's words):")
    for name in ("lexicon recall", "lexicon precision"):
        ok, n = general_figures[name]
        share = ok / n if n else 1.0
        print(f"  {name + ' (general)':24} {ok:4}/{n:<4} {share:6.1%}  (no goal: the goals are for the story's)")
    misses["lexicon precision (general lexicon)"] = general_misses["lexicon precision"]
    misses["lexicon recall (general lexicon)"] = general_misses["lexicon recall"]
    for one in (False, True):
        seconds, words = timing(sources, one_paragraph=one)
        verdict = "PASS" if seconds <= TARGET_SECONDS else "MISS"
        shape = "as one paragraph" if one else "in its paragraphs"
        print(
            f"  suggestions for a {words:,}-word article {shape}: {seconds:.2f} s "
            f"(goal <= {TARGET_SECONDS:.0f} s) {verdict}"
        )
    for name, lines in misses.items():
        if lines:
            print(f"\nmisses, {name} ({len(lines)}):")
            for line in lines[: args.misses]:
                print(f"  {line}")
            if len(lines) > args.misses:
                print(f"  … and {len(lines) - args.misses} more")
    return 0


if __name__ == "__main__":
    sys.exit(main())
