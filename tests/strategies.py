"""Hypothesis strategies for datasets the validator accepts, shared by the data-layer and page tests.

``valid_datasets`` draws the mapping a YAML dataset holds: one to three outlets, sections that may
be empty (no events, no claims, no positions, no lexicon), partial dates from 1000 to 9999, wordless
quotes. Prompts and paths are left to the caller: their page ids are the views' to check.
"""

from __future__ import annotations

from typing import Any

from hypothesis import settings
from hypothesis import strategies as st

from dashboard.data.text import Lexicon


def examples(n: int) -> int:
    """A property test's number of examples: ``n`` under the "ci" profile, fewer under "dev" (tests/conftest.py)."""
    return max(2, round(n * settings.default.max_examples / 100))


NAMES = ["Ana Ruiz", "Ben Okafor", "Chen Wei"]

YEARS = [1000, 1650, 2019, 2024, 2300, 9999]
LEXICON = [{"term": "authoritarian", "category": "delegitimising label"}]


@st.composite
def partial_dates(draw: st.DrawFn) -> str:
    """A 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' string."""
    year = draw(st.sampled_from(YEARS))
    month, day = draw(st.integers(1, 12)), draw(st.integers(1, 28))
    return draw(st.sampled_from([f"{year:04d}", f"{year:04d}-{month:02d}", f"{year:04d}-{month:02d}-{day:02d}"]))


def not_before(date: str) -> st.SearchStrategy[str]:
    """An end for a span starting at ``date``: the same date, or a year later."""
    year = int(date[:4])
    return st.sampled_from([date, *([f"{year + 1:04d}{date[4:]}"] if year < 9999 else [])])


@st.composite
def valid_datasets(draw: st.DrawFn) -> dict[str, Any]:
    """A dataset (as the mapping its YAML holds) that the validator accepts."""
    camps = [{"id": f"camp{i}", "name": f"Camp {i}"} for i in range(draw(st.integers(1, 2)))]
    categories = [{"id": f"cat{i}", "name": f"Category {i}"} for i in range(draw(st.integers(1, 2)))]
    actors = [
        {"id": f"actor{i}", "name": NAMES[i], "type": "person", "camp": draw(st.sampled_from(camps))["id"]}
        for i in range(draw(st.integers(0, len(NAMES))))
    ]
    issues = [{"id": f"issue{i}", "question": f"Question {i}?"} for i in range(draw(st.integers(0, 2)))]
    lexicon = LEXICON if draw(st.booleans()) else []
    outlets, articles, claims = [], [], []
    for o in range(draw(st.integers(1, 3))):
        outlet = {
            "id": f"outlet{o}",
            "name": f"Outlet {o}",
            "kind": "national daily",
            "country": "Testland",
            "ownership": "unknown",
            "funding": "unknown",
            "language": "en",
            "homepage": f"https://outlet{o}.example.org",
        }
        if draw(st.booleans()):
            outlet |= {"aliases": [f"O{o}"], "colour": "#336699", "scope": "national", "note": "A note."}
        outlets.append(outlet)
        for k in range(draw(st.integers(1, 2))):
            article = {
                "id": f"article{o}-{k}",
                "outlet": outlet["id"],
                "headline": draw(st.sampled_from(["Talks begin", "unknown"])),
                "date": draw(st.one_of(st.just("unknown"), partial_dates())),
                "authors": draw(st.sampled_from(["unknown", ["A. Writer", "B. Writer"]])),
                "url": draw(st.sampled_from(["unknown", f"https://outlet{o}.example.org/{k}"])),
            }
            if article["date"] == "unknown" and draw(st.booleans()):
                article["not_before"] = draw(partial_dates())
            if draw(st.booleans()):
                article["words"] = draw(st.integers(1, 2000))
            articles.append(article)
            if not draw(st.booleans()):
                continue
            article["source_file"] = f"{article['id']}.txt"
            for j in range(draw(st.integers(1, 2))):
                claims.append(draw(claims_for(article["id"], f"claim{o}-{k}-{j}", actors, issues, lexicon)))
    events = []
    if claims:
        for i in range(draw(st.integers(0, 3))):
            date = draw(partial_dates())
            event = {
                "id": f"event{i}",
                "title": f"Event {i}",
                "summary": "Something happened.",
                "date": date,
                "category": draw(st.sampled_from(categories))["id"],
                "actors": draw(st.lists(st.sampled_from([a["id"] for a in actors]), unique=True)) if actors else [],
            }
            if draw(st.booleans()):
                event["end"] = draw(not_before(date))
            events.append(event)
            for c in draw(st.lists(st.sampled_from(claims), min_size=1, max_size=2, unique_by=lambda c: c["id"])):
                c["events"].append(event["id"])
    doc: dict[str, Any] = {
        "schema_version": 1,
        "meta": {
            "title": "Generated",
            "description": "A generated dataset.",
            "coverage": "Generated articles.",
            "licence": "CC BY 4.0",
            "last_updated": "2024-01-20",
        },
        "camps": camps,
        "categories": categories,
        "outlets": outlets,
        "articles": articles,
        "actors": actors,
        "issues": issues,
        "events": events,
        "claims": claims,
    }
    positions = draw(positions_for(claims)) if draw(st.booleans()) else []
    if positions:
        doc["positions"] = positions
    if claims and draw(st.booleans()):
        framed = {c["article"]: c["id"] for c in claims}
        doc["framing"] = [
            {"article": article, **{fn: {"text": f"{fn}.", "claims": [claim]} for fn in FRAMING}}
            for article, claim in framed.items()
        ]
    talks = [c["id"] for c in claims if "talks" in c["quote"]]
    if len(talks) >= 2 and draw(st.booleans()):
        doc["facts"] = [
            {"id": "fact0", "question": "What began?", "versions": [{"claim": c, "value": "talks"} for c in talks]}
        ]
    if lexicon:
        doc["lexicon"] = lexicon
    return doc


FRAMING = ("problem_definition", "causal_interpretation", "moral_evaluation", "remedy")


@st.composite
def claims_for(
    draw: st.DrawFn, article: str, claim_id: str, actors: list[dict], issues: list[dict], lexicon: list[dict]
) -> dict[str, Any]:
    speaker = draw(st.sampled_from(["narration", "unnamed", *[a["id"] for a in actors]]))
    named = draw(st.one_of(st.none(), st.sampled_from(actors))) if actors else None
    scare = draw(st.booleans())
    loaded = bool(lexicon) and draw(st.booleans())
    if draw(st.integers(0, 5)) == 0:
        quote, named, scare, loaded = "—", None, False, False  # no words at all
    else:
        parts = ["The authoritarian" if loaded else "The", named["name"] if named else "side", "agreed to"]
        quote = " ".join([*parts, "“talks”" if scare else "talks", "on Monday"])
    claim: dict[str, Any] = {
        "id": claim_id,
        "article": article,
        "quote": quote,
        "speaker": speaker,
        "kind": "narration" if speaker == "narration" else draw(st.sampled_from(["direct", "paraphrase"])),
        "events": [],
        "actors": sorted({named["id"]} if named else set()),
        "issues": draw(st.lists(st.sampled_from([i["id"] for i in issues]), unique=True)) if issues else [],
        "loaded_terms": Lexicon((x["term"], x["category"], []) for x in lexicon).terms_in(quote),
        "scare_quotes": ["talks"] if scare else [],
    }
    if speaker == "unnamed":
        claim["source"] = "officials"
    if named:
        claim["labels"] = {named["id"]: named["name"]}
    return claim


@st.composite
def positions_for(draw: st.DrawFn, claims: list[dict]) -> list[dict]:
    """Positions whose evidence is a claim coded with the issue that quotes or concerns the actor."""
    positions, periods = [], set()
    for c in claims:
        holders = [x for x in [c["speaker"], *c["actors"]] if x.startswith("actor")]
        if not holders or not c["issues"] or not draw(st.booleans()):
            continue
        since = draw(partial_dates())
        key = (holders[0], c["issues"][0], since)
        if key in periods:
            continue
        periods.add(key)
        position = {
            "actor": holders[0],
            "issue": c["issues"][0],
            "stance": draw(st.sampled_from(["supports", "leans_support", "mixed", "leans_against", "opposes"])),
            "from": since,
            "evidence": [c["id"]],
        }
        if draw(st.booleans()):
            position["until"] = draw(not_before(since))
        if draw(st.booleans()):
            position["basis"] = draw(
                st.sampled_from(["own_words", "named_source", "characterisation", "unnamed_sources"])
            )
        positions.append(position)
    return positions
