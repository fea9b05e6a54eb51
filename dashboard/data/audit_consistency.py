"""Audit checks 7-10 and 12: the same rule applied to every actor, outlet and record.

7. basis by camp: positions of actors of one camp (a government and its officials
   among them) on the same issue, citing the same claims or starting on the same
   date, with different evidence bases: flagged for review, answered in a note;
8. unsupported names: a proper noun, acronym, number or year in an event's title or
   summary or an actor's role that none of its claims' quotes gives (a number with
   the names of its clause; a bracketed year from their articles' dates), nor,
   given the source texts, any text;
9. disputed outcomes: a word a fact record lists as disputed (``disputed_words``)
   stated in the dataset's own voice, outside quotation marks and unattributed;
10. uncoded lemmas: a lexicon form counted in one claim of an outlet and another
   form of the same lemma left uncounted in another claim of that outlet;
12. labelled but not about: a claim that codes a label for an actor that is neither
   its speaker nor among its ``actors``, so a filter by that actor misses the claim.

Each is linear in the dataset's size (indexes by camp and issue, word sets per
claim, lemmas by outlet). Check 11, dates written unquoted, reads the file's text
and lives in ``audit``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from dashboard.data.audit_quotes import Finding, norm, quoted_spans, within
from dashboard.data.audit_voice import own_voice_fields
from dashboard.data.dataset import Dataset
from dashboard.data.dates import PartialDate
from dashboard.data.text import Lexicon, fold_keep_length

# -- 7. basis by camp --------------------------------------------------------------------------


def basis_by_camp(d: Dataset) -> Iterator[Finding]:
    """Same camp, same issue, same claims or same start, different basis: one rule for every actor."""
    camp = {a.id: a.camp for a in d.actors}
    names = {a.id: [norm(x) for x in (a.name, *a.aliases)] for a in d.actors}
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, p in enumerate(d.positions):
        if p.basis is not None and p.actor in camp:
            groups[(camp[p.actor], p.issue)].append(i)
    for members in groups.values():
        # Within a camp and issue, positions meet by a start or a cited claim: index both, compare only those.
        by_key: dict[object, list[int]] = defaultdict(list)
        for i in members:
            p = d.positions[i]
            by_key[("from", str(p.since))].append(i)
            for cid in p.evidence:
                by_key[("claim", cid)].append(i)
        pairs: set[tuple[int, int]] = set()
        for ids in by_key.values():
            for a in ids:
                for b in ids:
                    if a < b and d.positions[a].actor != d.positions[b].actor:
                        pairs.add((a, b))
        for a, b in sorted(pairs):
            first, later = d.positions[a], d.positions[b]
            if first.basis == later.basis:
                continue
            note = norm(later.note or "")
            answered = (first.actor in note or any(n in note for n in names[first.actor])) and (
                str(first.basis) in note or str(first.basis).replace("_", " ") in note
            )
            if answered:
                continue
            shared = sorted(set(first.evidence) & set(later.evidence))
            why = f"both cite {', '.join(shared)}" if shared else f"both start {later.since}"
            yield (
                ("positions", b, "basis"),
                f"position of {later.actor} on {later.issue} from {later.since}: basis {later.basis}, but "
                f"{first.actor}, of the same camp, has {first.basis} on it ({why}); one rule for every actor of a "
                f"camp: align the bases, or say in the note why they differ (naming {first.actor} and {first.basis})",
            )


# -- 8. names, numbers and dates the claims do not give ------------------------------------------

_TOKEN = re.compile(r"[^\W_](?:[\w'’-]|\.(?=[^\W_]))*\.?")
_OPENERS = '.!?:;("“‘'


def _opens_sentence(text: str, at: int) -> bool:
    """Whether the word at ``at`` opens the text, a sentence or a bracket: its capital says nothing then."""
    j = at - 1
    while j >= 0 and text[j].isspace():
        j -= 1
    return j < 0 or text[j] in _OPENERS


_POSSESSIVE = re.compile(r"['’]s?$")


def _acronym(word: str) -> bool:
    """ "UN", "U.S", "OAS": a name wherever it stands, even opening a sentence."""
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


_CLAUSE = re.compile(r"[^;:()]+|\([^()]*\)")


def _names(text: str) -> Iterator[tuple[str, bool, int]]:
    """Proper nouns (capitalised words not opening a sentence, and acronyms anywhere), numbers and years in
    ``text``, each with whether it is a year in brackets after a role or title ("(2022)": as of a text's date)
    and the number of the clause it stands in (clauses end at ";", ":" and brackets)."""
    for n, clause in enumerate(_CLAUSE.finditer(text)):
        for m in _TOKEN.finditer(text, clause.start(), clause.end()):
            whole = _POSSESSIVE.sub("", m.group().rstrip("."))
            opening = _opens_sentence(text, m.start())
            bracketed = text[m.start() - 1 : m.start()] == "(" and text[m.end() : m.end() + 1] == ")"
            for k, word in enumerate(whole.split("-")):  # "Norway-mediated": each part on its own
                if not word:
                    continue
                if any(ch.isdigit() for ch in word):
                    yield word, bracketed and len(word) == 4 and word.isdigit(), n
                elif _acronym(word) or (word[0].isupper() and not (opening and k == 0)):
                    yield word, False, n


def _date_words(day: PartialDate | None) -> list[str]:
    if day is None:
        return []
    first = day.first
    words = [str(first.year)]
    if len(str(day)) >= 7:
        words.append(first.strftime("%B"))
    if len(str(day)) == 10:
        words.append(str(first.day))
    return words


def _words(text: str) -> set[str]:
    """Every word of ``text`` as ``_names`` cuts it, lower-cased: what a name is looked up in."""
    found: set[str] = set()
    for m in _TOKEN.finditer(norm(text)):
        whole = _POSSESSIVE.sub("", m.group().rstrip("."))
        found.add(whole)
        found.update(whole.split("-"))
    return found


def unsupported_names(d: Dataset, sources: str | Path | None = None) -> Iterator[Finding]:
    """Each text is cut into words once; each name is then one set lookup, so the check stays linear."""
    articles = d.by_id("articles")
    texts: set[str] = set()
    if sources is not None:
        for a in d.articles:
            if a.source_file:
                try:
                    texts |= _words((Path(sources) / a.source_file).read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError):
                    continue  # the validator reports a missing or unreadable text
    outlets = _words(" ".join(o.name for o in d.outlets))  # the dataset attributes by outlet name
    by_event: dict[str, list[set[str]]] = defaultdict(list)  # the words of each claim that tells of it
    by_actor: dict[str, list[set[str]]] = defaultdict(list)
    years: dict[str, set[str]] = defaultdict(set)  # the years of the texts that tell of each event or actor
    for c in d.claims:
        article = articles.get(c.article)
        dates = (
            _date_words(article.date if isinstance(article.date, PartialDate) else article.not_before)
            if article
            else []
        )
        # A relative date is resolved in the claim's note (codebook section 2): its numbers and months count.
        resolved = re.findall(r"\d[\d,]*|[A-Z][a-z]+(?=\s+\d)|(?<=\d\s)[A-Z][a-z]+", c.note or "")
        seen = _words(" ".join((c.quote, *resolved)))
        for e in c.events:
            by_event[e].append(seen)
            years[e].update(dates[:1])
        for a in {*c.actors, c.speaker, *c.labels}:
            by_actor[a].append(seen)
            years[a].update(dates[:1])
    # The names under which the record's own actors appear in the texts (``name``, ``aliases``) count as given.
    known = {a.id: _words(" ; ".join((a.name, *a.aliases))) for a in d.actors}
    records: list[tuple[tuple[object, ...], str, str, list[set[str]], set[str], set[str]]] = []
    for i, e in enumerate(d.events):
        names = set().union(*(known.get(x, set()) for x in e.actors))
        for field in ("title", "summary"):
            what = f"event {e.id} {field}"
            records.append((("events", i, field), what, getattr(e, field), by_event[e.id], names, years[e.id]))
    for i, a in enumerate(d.actors):
        if a.role:
            where = ("actors", i, "role")
            records.append((where, f"actor {a.id} role", a.role, by_actor[a.id], known[a.id], years[a.id]))
    for loc, what, text, claims, names, dated in records:
        given = set().union(*claims)
        found = list(_names(text))
        # The proper nouns of each clause that some claim gives: a number in that clause must come from a claim
        # that names one of them ("from 2021 organised as the Unitary Platform" needs a claim with both).
        nouns: dict[int, set[str]] = defaultdict(set)
        for word, _, n in found:
            key = norm(word)
            if not any(ch.isdigit() for ch in word) and key in given:
                nouns[n].add(key)
        missing: list[str] = []
        for word, as_of, n in found:
            key = norm(word)
            if word in missing or key in outlets or key in texts or (as_of and key in dated):
                continue
            if any(ch.isdigit() for ch in word) and nouns[n]:
                if any(key in words and words & nouns[n] for words in claims):
                    continue
            elif key in given or key in names:
                continue
            missing.append(word)
        if missing:
            where = "its claims' quotes or the source texts" if sources is not None else "its claims' quotes"
            yield (
                loc,
                f"{what}: {', '.join(repr(w) for w in missing)} in none of {where}; say only what the texts "
                "give (a number with the names of its clause), or tag the claim that gives it",
            )


# -- 9. disputed outcomes in the dataset's own voice ---------------------------------------------

# Words that put what follows in someone else's mouth, when they come before it in the same sentence.
_ATTRIBUTION = re.compile(
    r"\b(?:says?|said|saying|reports?|reported|reporting|according to|claims?|claimed|calls?|called|writes?|"
    r"wrote|version|in [\w' ’/]+ words)\b",
    re.IGNORECASE,
)


def disputed_outcomes(d: Dataset) -> Iterator[Finding]:
    disputed = [(f.id, w) for f in d.facts for w in f.disputed_words]
    if not disputed:
        return
    words = Lexicon((w, fid, ()) for fid, w in dict((w.lower(), (fid, w)) for fid, w in disputed).values())
    for loc, what, text in own_voice_fields(d):
        quoted = quoted_spans(text)
        for m in words.matches(text):
            if within(m.start, m.end, quoted):
                continue
            sentence = re.split(r"[.!?;]\s", text[: m.start])[-1]
            if _ATTRIBUTION.search(sentence):
                continue
            yield (
                loc,
                f"{what}: '{text[m.start : m.end]}' states an outcome that fact {words.category[m.term]} records as "
                'disputed; say whose version it is ("X says …") or quote it',
            )


# -- 10. one lemma, counted in one claim of an outlet and not in another ------------------------

_IRREGULAR = {"had": "have", "has": "have", "having": "have", "made": "make", "making": "make", "makes": "make"}
_WORD = re.compile(r"[^\W_][\w'-]*")


def _stem(word: str) -> str:
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) > 4:
        for suffix in ("es", "s"):
            if w.endswith(suffix) and not w.endswith("ss"):
                w = w[: -len(suffix)]
                break
        for suffix in ("ing", "ed"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                w = w[: -len(suffix)]
                break
        w = w.rstrip("e") or w
    return w


def _lemma(phrase: str) -> tuple[str, ...]:
    return tuple(_stem(w) for w in _WORD.findall(norm(phrase)))


def uncoded_lemmas(d: Dataset) -> Iterator[Finding]:
    lexicon = d.lexicon
    exempt = Lexicon((p, "not_in", ()) for e in d.lexicon_entries for p in e.not_in)
    articles = d.by_id("articles")
    counted: dict[str, dict[tuple[str, ...], tuple[str, str]]] = defaultdict(dict)  # outlet -> lemma -> (claim, form)
    scans = []
    for i, c in enumerate(d.claims):
        outlet = articles[c.article].outlet if c.article in articles else ""
        text = fold_keep_length(c.quote)  # the matches' offsets are the quote's own
        hits = lexicon.matches(c.quote)
        covered = [(m.start, m.end) for m in hits] + [(m.start, m.end) for m in exempt.matches(c.quote)]
        for m in hits:
            counted[outlet].setdefault(_lemma(text[m.start : m.end]), (c.id, text[m.start : m.end]))
        scans.append((i, c, outlet, text, covered))
    lengths = {outlet: {len(k) for k in lemmas} for outlet, lemmas in counted.items()}
    for i, c, outlet, text, covered in scans:
        if outlet not in counted:
            continue
        words = list(_WORD.finditer(text))
        stems = [_stem(w.group()) for w in words]
        note = norm(c.note or "")
        reported: set[tuple[str, ...]] = set()
        for k in range(len(words)):
            for n in lengths[outlet]:
                key = tuple(stems[k : k + n])
                if len(key) < n or key not in counted[outlet] or key in reported:
                    continue
                start, end = words[k].start(), words[k + n - 1].end()
                if any(a < end and start < b for a, b in covered):
                    continue  # counted here too, or inside a phrase the lexicon exempts
                phrase = text[start:end]
                if norm(phrase) in note:
                    continue  # the note says why this form is not the lexicon's
                reported.add(key)
                other, form = counted[outlet][key]
                yield (
                    ("claims", i, "quote"),
                    f"claim {c.id}: '{phrase}' is a form of '{form}', counted as a loaded term in claim {other} "
                    "of the same outlet, but not counted here; add the form to the lexicon entry's variants, or "
                    "say in the note why it is not the same word",
                )


# -- 12. a label for an actor the claim is not tagged with ----------------------------------------


def labelled_not_about(d: Dataset) -> Iterator[Finding]:
    for i, c in enumerate(d.claims):
        for actor in c.labels:
            if actor != c.speaker and actor not in c.actors:
                yield (
                    ("claims", i, "labels", actor),
                    f"claim {c.id}: labels {actor} but does not list it in actors (nor is it the speaker), so "
                    f"a filter by {actor} misses this claim; add it to actors",
                )
