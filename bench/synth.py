"""Generate a valid synthetic dataset of any size, shaped like ``data/events.yaml``.

    python bench/synth.py --events 10000 --claims 50000 [--outlets 6] [--seed 1] -o PATH

The result passes ``python -m dashboard.validate PATH``: every cross-reference
holds (each event is reported by a claim, each article with a source text has
claims, positions' evidence is coded with the issue and names the actor, framing
claims come from the framed article, fact values occur in their quotes), and the
framing codes agree with the real lexicon, which is reused as it is:
``loaded_terms`` is computed with ``dashboard.data.text.Lexicon`` from the very quote
it belongs to, labels are words of the quote, scare quotes stand in quotation
marks. The proportions (claims per article, narration share, events, actors,
issues, labels and loaded terms per claim, date precision) follow the real file.

The YAML is written as plain text: ids as plain scalars, every other string
double-quoted (JSON string syntax, which YAML reads the same), dates as quoted
strings, so no YAML 1.1 ambiguity and no tags.
"""

from __future__ import annotations

import argparse
import calendar
import json
import math
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from dashboard.data.text import Lexicon  # noqa: E402

REAL_DATA = ROOT / "data" / "events.yaml"

CAMPS = [
    ("maduro_government", "Maduro government"),
    ("venezuelan_opposition", "Venezuelan opposition"),
    ("us_government", "United States government"),
    ("us_politics", "U.S. political parties"),
    ("latin_american_governments", "Latin American governments"),
    ("european_governments", "European governments"),
    ("mediators", "Mediators"),
    ("international_bodies", "International bodies"),
    ("analysts", "Analysts"),
    ("media", "News media"),
    ("others", "Others"),
]
CATEGORIES = [
    ("negotiations", "Negotiations and talks"),
    ("elections", "Elections"),
    ("legitimacy", "Recognition and legitimacy"),
    ("sanctions", "Sanctions, deals and prisoner releases"),
    ("repression", "Repression and human rights"),
    ("legal", "Criminal charges"),
    ("uprising", "Uprising and the military"),
    ("diplomacy", "Diplomacy"),
    ("reporting", "Reports and leaks"),
]
OUTLET_KINDS = [
    ("public broadcaster", "regional", "public media station"),
    ("national daily", "national", "unknown"),
    ("online news site", "national", "unknown"),
    ("policy organisation", "international", "unknown"),
    ("aggregator", "unknown", "unknown"),
    ("wire service", "international", "cooperative"),
    ("weekly magazine", "national", "family trust"),
    ("local daily", "regional", "media group"),
]
ACTOR_TYPES = ["person"] * 8 + ["government", "group", "coalition", "institution", "party", "company"]


def _split(text: str) -> list[str]:
    return text.split()


# Neutral words for the body of quotes and summaries. None is a lexicon term, an
# outlet name or an author's name.
FILLER = _split(
    "talks delegation meeting agreement proposal statement week month officials negotiators country "
    "government council parliament election vote campaign ballots results tally sheets observers border "
    "capital city region province economy oil exports prices wages inflation currency banks loans debt "
    "sanctions relief licence deal exchange release prisoners families lawyers court judges ruling appeal "
    "hearing charges investigation report document letter plan schedule round session table mediators "
    "envoys diplomats ministers spokesman spokeswoman aides advisers allies rivals parties coalition "
    "platform movement leaders members supporters critics analysts polls survey voters citizens people "
    "streets protest march rally police soldiers guards troops base airport port road bridge hospital "
    "school market farmers workers union strike shortage supplies food medicine water power outage "
    "said says told added noted argued insisted warned promised agreed rejected accepted proposed asked "
    "expected planned began ended resumed paused delayed continued announced confirmed denied signed "
    "new old first second last next early late public private formal informal direct indirect quiet open "
    "long short broad narrow key main major minor final initial possible likely certain unclear "
    "and or but while after before during since until with without about over under between among "
    "the a an this that these those its their his her our some many few several both each other "
    "in on at by for from to of into onto through across toward against within beyond"
)
STRUCTURAL = set(_split("and or but while after before during since until with without about over under between among"))
SOURCES = [
    "two people familiar with the talks",
    "officials who spoke on condition of anonymity",
    "a person close to the negotiations",
    "diplomats in the capital",
    "the people",
    "sources",
]
FIRST = _split(
    "Ana Bruno Carla Diego Elena Felipe Gloria Hector Ines Jorge Karla Luis Marta Nestor Olga Pablo "
    "Quintin Rosa Sergio Teresa Ulises Vera Walter Ximena Yolanda Zacarias"
)
LAST = _split(
    "Arrieta Benavides Cardozo Duarte Echeverria Fajardo Galindo Hurtado Iturbe Jaramillo Lozada "
    "Mendoza Navarrete Olivares Palacios Quiroga Restrepo Salcedo Tovar Urdaneta Villalobos Zamora"
)
AUTHOR_FIRST = _split("Alice Bernard Chloe Damien Edith Fergus Greta Horace Imogen Jasper")
AUTHOR_LAST = _split(
    "Whitcombe Aldridge Pemberton Sallinger Thornbury Kowalczyk Haverford Lindqvist Marchetti Oyelaran "
    "Featherstone Brightwater Ashcombe Delacroix-Moore Eversleigh"
)
INSTITUTIONS = [
    "Ministry",
    "Council",
    "Commission",
    "Assembly",
    "Tribunal",
    "Agency",
    "Front",
    "Alliance",
    "Union",
    "Party",
    "Foundation",
    "Bank",
]
QUALIFIERS = [
    "National",
    "Federal",
    "Regional",
    "Popular",
    "Democratic",
    "Civic",
    "Electoral",
    "Central",
    "Independent",
    "United",
]
STANCES = ["supports", "leans_support", "mixed", "leans_against", "opposes"]
STANCE_WEIGHTS = [28, 20, 4, 5, 8]  # as in the real file
RELATIONS = ["excerpt", "rewrite", "repost"]


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def flow(ids: list[str]) -> str:
    return "[" + ", ".join(ids) + "]"


def flow_q(texts: list[str]) -> str:
    return "[" + ", ".join(q(t) for t in texts) + "]"


def pick_count(rng: random.Random, weights: dict[int, float]) -> int:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@dataclass
class Date:
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @property
    def first(self) -> tuple[int, int, int]:
        return (self.year, self.month or 1, self.day or 1)

    @property
    def last(self) -> tuple[int, int, int]:
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return (self.year, month, day)


def random_date(
    rng: random.Random, y0: int = 2014, y1: int = 2024, weights: tuple[int, int, int] = (20, 14, 11)
) -> Date:
    """A date of mixed precision: day, month or year (the real events' mix by default)."""
    year = rng.randint(y0, y1)
    precision = rng.choices(("day", "month", "year"), weights=weights)[0]
    if precision == "year":
        return Date(year)
    month = rng.randint(1, 12)
    if precision == "month":
        return Date(year, month)
    return Date(year, month, rng.randint(1, calendar.monthrange(year, month)[1]))


def later_date(rng: random.Random, start: Date) -> Date:
    """A date whose last day is not before ``start``'s first day."""
    y, m, _ = start.last
    year = rng.randint(y, min(y + 3, 2025))
    if rng.random() < 0.3:
        return Date(year)
    month = rng.randint(m if year == y else 1, 12)
    if rng.random() < 0.5:
        return Date(year, month)
    lo = start.last[2] if (year, month) == (y, m) else 1
    return Date(year, month, rng.randint(lo, calendar.monthrange(year, month)[1]))


@dataclass
class Actor:
    id: str
    name: str
    type: str
    camp: str
    role: str
    aliases: list[str]


@dataclass
class Claim:
    id: str
    article: int
    speaker: str
    kind: str
    quote: str = ""
    source: str | None = None
    events: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    loaded: list[str] = field(default_factory=list)
    scare: list[str] = field(default_factory=list)
    note: str | None = None


def real_lexicon(path: Path = REAL_DATA) -> list[dict]:
    """The project's own lexicon, read as plain strings."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))
    return [
        {"term": x["term"], "category": x["category"], "variants": list(x.get("variants") or [])}
        for x in data["lexicon"]
    ]


def make_actors(rng: random.Random, n: int) -> list[Actor]:
    actors = []
    used: set[str] = set()
    for i in range(n):
        kind = rng.choice(ACTOR_TYPES)
        camp = CAMPS[i % len(CAMPS)][0] if i < len(CAMPS) else rng.choice(CAMPS)[0]
        if kind == "person":
            first, last = rng.choice(FIRST), rng.choice(LAST)
            name = f"{first} {last}"
            if name in used:
                name = f"{first} {last} {i}"
            aliases = [name, last, f"{rng.choice(['Minister', 'General', 'Senator', 'Mayor', 'Envoy'])} {last}"]
        else:
            name = f"{rng.choice(QUALIFIERS)} {rng.choice(INSTITUTIONS)} {i}"
            aliases = [name, f"the {name.split()[1].lower()} {i}"]
            if rng.random() < 0.05:
                aliases.append(rng.choice(["the regime", "the socialists", "the establishment", "the loyalists"]))
        used.add(name)
        actors.append(Actor(f"actor-{i:04d}", name, kind, camp, f"Synthetic actor number {i}", aliases))
    return actors


class Generator:
    def __init__(
        self,
        *,
        events: int,
        claims: int,
        outlets: int = 6,
        seed: int = 1,
        actors: int | None = None,
        issues: int | None = None,
        articles: int | None = None,
        paths: bool = True,
    ) -> None:
        if claims < events:
            raise SystemExit(f"--claims ({claims}) must be at least --events ({events}): every event needs a claim")
        if outlets < 1 or events < 1:
            raise SystemExit("--events and --outlets must be at least 1")
        self.rng = random.Random(seed)
        self.n_events = events
        self.n_claims = claims
        self.n_outlets = outlets
        self.n_actors = actors or max(10, round(45 * math.sqrt(max(events, 45) / 45)))
        self.n_issues = issues or 10 + events // 1000
        # The real file: ~36 claims per article with a text; one outlet known only through reposts.
        self.texted_outlets = outlets - 1 if outlets >= 3 else outlets
        self.n_articles = articles or max(self.texted_outlets, round(claims / 40))
        self.n_articles = min(self.n_articles, claims)
        self.paths = paths
        self.lexicon_entries = real_lexicon()
        self.lexicon = Lexicon((x["term"], x["category"], x["variants"]) for x in self.lexicon_entries)
        self.forms = [f for x in self.lexicon_entries for f in (x["term"], *x["variants"])]

    # -- records ------------------------------------------------------------------------
    def build(self) -> str:
        rng = self.rng
        self.outlets = [f"outlet-{i:02d}" for i in range(self.n_outlets)]
        self.actors = make_actors(rng, self.n_actors)
        self.actor_by_id = {a.id: a for a in self.actors}
        self.issues = [f"issue-{i:03d}" for i in range(self.n_issues)]
        self.event_ids = [f"ev-{i:06d}" for i in range(self.n_events)]
        authors = [f"{first} {last}" for first in AUTHOR_FIRST for last in AUTHOR_LAST]
        rng.shuffle(authors)
        self.authors = authors[: max(10, min(len(authors), self.n_articles // 4))]

        # Articles: every texted outlet gets at least one; the last outlet (if any) has one text-less original.
        self.articles: list[dict] = []
        for i in range(self.n_articles):
            outlet = self.outlets[i % self.texted_outlets] if i < self.texted_outlets else None
            if outlet is None:
                outlet = self.outlets[rng.randrange(self.texted_outlets)]
            self.articles.append(self._article(i, outlet, text=True))
        self.originals: list[int] = []
        if self.texted_outlets < self.n_outlets:
            for _ in range(max(1, self.n_articles // 100)):
                idx = len(self.articles)
                self.articles.append(self._article(idx, self.outlets[-1], text=False))
                self.originals.append(idx)
            for art in rng.sample(self.articles[: self.n_articles], min(len(self.originals) * 2, self.n_articles)):
                art["reposts"] = (self.articles[rng.choice(self.originals)]["id"], rng.choice(RELATIONS))

        self.events = [self._event(i) for i in range(self.n_events)]
        self.claims = self._claims()
        self.positions = self._positions()
        self.framing = self._framing()
        self.facts = self._facts()
        return self.render()

    def _article(self, i: int, outlet: str, text: bool) -> dict:
        rng = self.rng
        art: dict = {"id": f"art-{i:05d}", "outlet": outlet}
        art["headline"] = "unknown" if rng.random() < 0.15 else self._sentence(6, 12, cap=True, end="")
        if art["headline"] == "unknown":
            art["headline_note"] = "The URL slug reads " + q(self._sentence(5, 9, end=""))
        if rng.random() < 0.2:
            art["date"] = "unknown"
            art["not_before"] = random_date(rng, 2019, 2024, (1, 0, 0)).iso
            art["date_note"] = "The page gives no date; it cannot be earlier than the report it rewrites."
        else:
            art["date"] = random_date(rng, 2019, 2024, (20, 3, 1)).iso
        art["authors"] = "unknown" if rng.random() < 0.4 else rng.sample(self.authors, rng.randint(1, 3))
        art["url"] = "unknown" if rng.random() < 0.1 else f"https://{outlet}.example.org/news/{art['id']}"
        if text:
            art["source_file"] = f"{i:05d}_{outlet}.txt"
            art["words"] = rng.randint(250, 1500)
            if rng.random() < 0.5:
                art["words_note"] = "Body text, without the date line and footer."
        return art

    def _event(self, i: int) -> dict:
        rng = self.rng
        date = random_date(rng)
        ev: dict = {
            "id": self.event_ids[i],
            "title": self._sentence(4, 9, cap=True, end=""),
            "summary": self._sentence(12, 28, cap=True),
            "date": date.iso,
            "category": rng.choice(CATEGORIES)[0],
            "actors": [a.id for a in rng.sample(self.actors, min(len(self.actors), rng.randint(1, 4)))],
        }
        if rng.random() < 0.22:
            ev["end"] = later_date(rng, date).iso
        if rng.random() < 0.22:
            ev["date_note"] = "Resolved from a relative date in the text (" + q("last week") + ")."
        return ev

    # -- quotes ---------------------------------------------------------------------------
    def _words(self, lo: int, hi: int) -> list[str]:
        return self.rng.choices(FILLER, k=self.rng.randint(lo, hi))

    def _sentence(self, lo: int, hi: int, cap: bool = True, end: str = ".") -> str:
        words = self._words(lo, hi)
        text = " ".join(words)
        return (text[0].upper() + text[1:] if cap else text) + end

    def _claims(self) -> list[Claim]:
        rng = self.rng
        n = self.n_claims
        texted = [i for i, a in enumerate(self.articles) if "source_file" in a]
        # Every texted article gets a claim, the rest at random; claims of an article stay together.
        owners = texted + [rng.choice(texted) for _ in range(n - len(texted))]
        owners.sort()
        # Every event is reported by at least one claim.
        guaranteed = rng.sample(range(n), self.n_events)
        must: dict[int, str] = dict(zip(guaranteed, self.event_ids, strict=True))
        return [self._claim(i, owners[i], must.get(i)) for i in range(n)]

    def _claim(self, i: int, article: int, must_event: str | None) -> Claim:
        rng = self.rng
        roll = rng.random()
        if roll < 0.67:
            speaker, kind = "narration", "narration"
        elif roll < 0.74:
            speaker, kind = "unnamed", rng.choice(["paraphrase", "paraphrase", "direct"])
        else:
            speaker, kind = rng.choice(self.actors).id, rng.choice(["direct", "paraphrase"])
        c = Claim(f"cl-{i:06d}", article, speaker, kind)

        events = rng.sample(self.event_ids, pick_count(rng, {0: 40, 1: 112, 2: 24, 3: 2}))
        if must_event and must_event not in events:
            events = [must_event, *events[1:]] if events else [must_event]
        c.events = events
        pool: list[str] = []
        for e in events:
            pool.extend(self.events[int(e[3:])]["actors"])
        n_actors = pick_count(rng, {0: 16, 1: 49, 2: 75, 3: 31, 4: 5, 5: 2})
        chosen = list(dict.fromkeys(pool))[:n_actors]
        while len(chosen) < min(n_actors, len(self.actors)):
            extra = rng.choice(self.actors).id
            if extra not in chosen:
                chosen.append(extra)
        c.actors = chosen
        c.issues = rng.sample(self.issues, min(len(self.issues), pick_count(rng, {0: 79, 1: 87, 2: 11, 3: 1})))

        # Body tokens: filler, lexicon forms (about half the claims carry one), actor mentions.
        tokens: list[tuple[str, str]] = [("w", w) for w in self._words(6, 30)]
        loaded_n = pick_count(rng, {0: 93, 1: 59, 2: 16, 3: 8, 4: 1})
        for _ in range(loaded_n):
            tokens.insert(rng.randrange(len(tokens) + 1), ("w", rng.choice(self.forms)))
        for actor_id in chosen:
            if rng.random() < 0.8:
                alias = rng.choice(self.actor_by_id[actor_id].aliases)
                tokens.insert(rng.randrange(len(tokens) + 1), ("m", alias))
                c.labels[actor_id] = alias
        if rng.random() < 0.045:  # scare quotes around one or two words
            candidates = [k for k, (t, w) in enumerate(tokens) if t == "w" and w not in STRUCTURAL]
            for k in rng.sample(candidates, min(len(candidates), rng.choice([1, 1, 1, 2]))):
                word = tokens[k][1]
                tokens[k] = ("s", f"“{word}”")
                if word not in c.scare:
                    c.scare.append(word)
        body = " ".join(w for _, w in tokens)
        if tokens[0][0] != "m":  # an actor's mention keeps its case: it is a label
            body = body[0].upper() + body[1:]
        if speaker == "narration":
            quote = body + "."
        else:
            if speaker == "unnamed":
                who = rng.choice(SOURCES)
                c.source = who
            else:
                actor = self.actor_by_id[speaker]
                who = rng.choice(actor.aliases)
                if rng.random() < 0.5:
                    c.labels.setdefault(speaker, who)
            quote = f"“{body},” {who} said." if kind == "direct" else f"{body}, {who} said."
        c.quote = quote
        c.loaded = self.lexicon.terms_in(quote)
        if rng.random() < 0.3:
            c.note = "Synthetic claim: " + self._sentence(8, 20, cap=False)
        return c

    # -- positions, framing, facts -------------------------------------------------------------
    def _positions(self) -> list[dict]:
        rng = self.rng
        backing: dict[tuple[str, str], list[Claim]] = defaultdict(list)
        for c in self.claims:
            if not c.issues:
                continue
            who = set(c.actors) | ({c.speaker} if c.speaker not in ("narration", "unnamed") else set())
            for actor in who:
                for issue in c.issues:
                    backing[(actor, issue)].append(c)
        keys = sorted(backing)
        rng.shuffle(keys)
        wanted = round(self.n_actors * 61 / 45)
        positions: list[dict] = []
        for actor, issue in keys:
            if len(positions) >= wanted:
                break
            evidence_pool = backing[(actor, issue)]
            periods = 2 if len(evidence_pool) >= 2 and rng.random() < 0.25 else 1
            since = random_date(rng, 2017, 2021, (3, 6, 3))
            for k in range(periods):
                ev = rng.sample(evidence_pool, min(len(evidence_pool), pick_count(rng, {1: 36, 2: 12, 3: 7, 4: 4})))
                pos = {
                    "actor": actor,
                    "issue": issue,
                    "stance": rng.choices(STANCES, weights=STANCE_WEIGHTS)[0],
                    "from": since.iso,
                    "evidence": [c.id for c in ev],
                }
                if rng.random() < 0.5:
                    pos["note"] = self._sentence(8, 20)
                if k + 1 < periods:
                    if rng.random() < 0.5:  # the first stance ended, within the year it began or later
                        pos["until"] = Date(since.last[0]).iso
                    positions.append(pos)
                    since = Date(since.last[0] + rng.randint(1, 2), rng.randint(1, 12))
                else:
                    positions.append(pos)
        self.position_since = [p["from"] for p in positions]
        return positions

    def _framing(self) -> list[dict]:
        rng = self.rng
        by_article: dict[int, list[str]] = defaultdict(list)
        for c in self.claims:
            by_article[c.article].append(c.id)
        out = []
        for art, ids in by_article.items():
            if rng.random() > 0.85:
                continue
            rec = {"article": self.articles[art]["id"]}
            for fn in ("problem_definition", "causal_interpretation", "moral_evaluation", "remedy"):
                rec[fn] = (self._sentence(15, 35), rng.sample(ids, min(len(ids), rng.randint(1, 4))))
            out.append(rec)
        return out

    def _facts(self) -> list[dict]:
        rng = self.rng
        n = max(3, self.n_events // 200) if len(self.claims) >= 2 else 0  # each fact needs two claims
        facts = []
        for i in range(n):
            versions = []
            for c in rng.sample(self.claims, rng.choice([2, 2, 3])):
                words = c.quote.split(" ")
                k = rng.randint(2, min(5, len(words)))
                start = rng.randrange(len(words) - k + 1)
                versions.append((c.id, " ".join(words[start : start + k])))
            fact = {"id": f"fact-{i:04d}", "question": self._sentence(5, 10, end="?"), "versions": versions}
            if rng.random() < 0.4:
                fact["note"] = self._sentence(8, 16)
            facts.append(fact)
        return facts

    # -- writing ---------------------------------------------------------------------------
    def render(self) -> str:
        out: list[str] = []
        w = out.append
        w("# Synthetic Negotiating Table dataset, generated by bench/synth.py for scale benchmarks.")
        w("schema_version: 1")
        w("")
        w("meta:")
        w(f"  title: {q('Synthetic negotiations, 2014–2025')}")
        w(
            "  description: "
            + q(
                f"A generated dataset of {self.n_events} events and {self.n_claims} claims from "
                f"{len(self.articles)} articles of {self.n_outlets} outlets, shaped like the real one."
            )
        )
        w("  coverage: " + q("Invented events and texts; nothing here describes the world."))
        w("  licence: " + q("CC0: generated test data."))
        w('  last_updated: "2026-11-22"')
        w("  language: en")
        w("")
        w("camps:")
        for cid, name in CAMPS:
            w(f"  - {{id: {cid}, name: {q(name)}}}")
        w("categories:")
        for cid, name in CATEGORIES:
            w(f"  - {{id: {cid}, name: {q(name)}}}")

        w("outlets:")
        for i, oid in enumerate(self.outlets):
            kind, scope, ownership = OUTLET_KINDS[i % len(OUTLET_KINDS)]
            w(f"  - id: {oid}")
            w(f"    name: {q(f'Synthetic Outlet {i:02d}')}")
            w(f"    kind: {q(kind)}")
            w(f"    scope: {q(scope)}")
            w(f"    country: {q('Invented Republic')}")
            w(f"    ownership: {q(ownership)}")
            w(f"    funding: {q('unknown')}")
            w("    language: en")
            w(f"    homepage: {q(f'https://{oid}.example.org')}")
            w(f"    aliases: {flow_q([f'Outlet {i:02d}', f'SO{i:02d}'])}")
            if i == self.n_outlets - 1 and self.texted_outlets < self.n_outlets:
                w(f"    note: {q('No text of its own in this dataset: its reports reach us through reposts.')}")

        w("articles:")
        for a in self.articles:
            w(f"  - id: {a['id']}")
            w(f"    outlet: {a['outlet']}")
            w(f"    headline: {q(a['headline'])}")
            if "headline_note" in a:
                w(f"    headline_note: {q(a['headline_note'])}")
            w(f"    date: {q(a['date'])}")
            if "date_note" in a:
                w(f"    date_note: {q(a['date_note'])}")
            if "not_before" in a:
                w(f"    not_before: {q(a['not_before'])}")
            w(f"    authors: {q('unknown') if a['authors'] == 'unknown' else flow_q(a['authors'])}")
            w(f"    url: {q(a['url'])}")
            if "reposts" in a:
                w(f"    reposts: {{article: {a['reposts'][0]}, relation: {a['reposts'][1]}}}")
            if "source_file" in a:
                w(f"    source_file: {a['source_file']}")
                w(f"    words: {a['words']}")
            if "words_note" in a:
                w(f"    words_note: {q(a['words_note'])}")

        w("actors:")
        for a in self.actors:
            w(f"  - id: {a.id}")
            w(f"    name: {q(a.name)}")
            w(f"    type: {a.type}")
            w(f"    camp: {a.camp}")
            w(f"    role: {q(a.role)}")
            w(f"    aliases: {flow_q(a.aliases)}")

        w("issues:")
        for i, iid in enumerate(self.issues):
            w(f"  - id: {iid}")
            w(f"    question: {q(f'Synthetic yes/no question number {i}?')}")
            w(f"    short: {q(f'Question {i}?')}")

        w("events:")
        for e in self.events:
            w(f"  - id: {e['id']}")
            w(f"    title: {q(e['title'])}")
            w(f"    summary: {q(e['summary'])}")
            w(f"    date: {q(e['date'])}")
            if "end" in e:
                w(f"    end: {q(e['end'])}")
            if "date_note" in e:
                w(f"    date_note: {q(e['date_note'])}")
            w(f"    category: {e['category']}")
            w(f"    actors: {flow(e['actors'])}")

        w("claims:")
        for c in self.claims:
            w(f"  - id: {c.id}")
            w(f"    article: {self.articles[c.article]['id']}")
            w(f"    quote: {q(c.quote)}")
            w(f"    speaker: {c.speaker}")
            if c.source:
                w(f"    source: {q(c.source)}")
            w(f"    kind: {c.kind}")
            if c.events:
                w(f"    events: {flow(c.events)}")
            if c.actors:
                w(f"    actors: {flow(c.actors)}")
            if c.issues:
                w(f"    issues: {flow(c.issues)}")
            if c.labels:
                w("    labels: {" + ", ".join(f"{k}: {q(v)}" for k, v in c.labels.items()) + "}")
            if c.loaded:
                w(f"    loaded_terms: {flow_q(c.loaded)}")
            if c.scare:
                w(f"    scare_quotes: {flow_q(c.scare)}")
            if c.note:
                w(f"    note: {q(c.note)}")

        w("positions:")
        for p in self.positions:
            w(f"  - actor: {p['actor']}")
            w(f"    issue: {p['issue']}")
            w(f"    stance: {p['stance']}")
            w(f"    from: {q(p['from'])}")
            if "until" in p:
                w(f"    until: {q(p['until'])}")
            w(f"    evidence: {flow(p['evidence'])}")
            if "note" in p:
                w(f"    note: {q(p['note'])}")

        w("framing:")
        for f in self.framing:
            w(f"  - article: {f['article']}")
            for fn in ("problem_definition", "causal_interpretation", "moral_evaluation", "remedy"):
                text, ids = f[fn]
                w(f"    {fn}:")
                w(f"      text: {q(text)}")
                w(f"      claims: {flow(ids)}")

        w("facts:")
        for f in self.facts:
            w(f"  - id: {f['id']}")
            w(f"    question: {q(f['question'])}")
            w("    versions:")
            for cid, value in f["versions"]:
                w(f"      - {{claim: {cid}, value: {q(value)}}}")
            if "note" in f:
                w(f"    note: {q(f['note'])}")

        self._render_prompts(w)
        w("lexicon:")
        for x in self.lexicon_entries:
            variants = f", variants: {flow_q(x['variants'])}" if x["variants"] else ""
            w(f"  - {{term: {q(x['term'])}, category: {q(x['category'])}{variants}}}")
        return "\n".join(out) + "\n"

    def _render_prompts(self, w) -> None:
        rng = self.rng
        texted = self.outlets[: self.texted_outlets]
        actor = self.positions[0]["actor"] if self.positions else self.actors[0].id
        issue = self.positions[0]["issue"] if self.positions else self.issues[0]
        prompts = [
            ("expectations", "overview", {}),
            ("who-covers-what", "timeline", {}),
            ("one-event", "timeline", {"events": [self.event_ids[0]]}),
            ("a-position", "positions", {"actors": [actor], "issues": [issue]}),
            ("second-hand", "positions", {}),
            ("naming", "compare", {"actors": [self.actors[0].id]}),
            ("two-outlets", "compare", {"outlets": texted[:2]}),
            ("framing-blame", "compare", {}),
            ("quiz-cues", "quiz", {}),
        ]
        w("prompts:")
        for pid, page, refs in prompts:
            w(f"  - id: {pid}")
            w(f"    page: {page}")
            for key, ids in refs.items():
                w(f"    {key}: {flow(ids)}")
            w(f"    text: {q(self._sentence(15, 30, end='?'))}")
        if not self.paths:
            return
        # Like the real presenter path: one step per view, with settings each view understands.
        asof = None
        if self.positions:
            since = min(self.position_since, key=lambda d: Date(*map(int, d.split("-"))).first)
            parts = since.split("-")
            asof = f"{parts[0]}-{parts[1] if len(parts) > 1 else '01'}"
        steps = [
            ("What are we looking at?", "overview", "", "expectations"),
            ("Who covers what", "timeline", "{lanes: outlet}", "who-covers-what"),
            ("One event", "timeline", f"{{event: {self.event_ids[0]}}}", "one-event"),
            (
                "A position that moved",
                "positions",
                f'{{actor: {actor}, issue: {issue}, asof: "{asof}"}}' if asof else "",
                "a-position",
            ),
            ("Naming an actor", "compare", f"{{by: actor, subject: {self.actors[0].id}}}", "naming"),
            (
                "Two outlets",
                "compare",
                f"{{by: event, subject: {self.event_ids[0]}, outlets: {flow(texted[:2])}}}",
                "two-outlets",
            ),
            ("Whose voices?", "compare", f"{{by: issue, subject: {self.issues[0]}}}", "framing-blame"),
            ("Guess the outlet", "quiz", '{seed: "2024"}', "quiz-cues"),
        ]
        w("paths:")
        w("  - id: class-45")
        w(f"    title: {q('A synthetic class')}")
        w("    steps:")
        for title, page, settings, prompt in steps:
            w(f"      - title: {q(title)}")
            w(f"        page: {page}")
            if settings:
                w(f"        settings: {settings}")
            w(f"        prompt: {prompt}")
            w(f"        minutes: {rng.randint(3, 7)}")


def generate(
    events: int, claims: int, outlets: int = 6, seed: int = 1, *, paths: bool = True, **sizes: int | None
) -> str:
    """The YAML text of a valid synthetic dataset."""
    return Generator(events=events, claims=claims, outlets=outlets, seed=seed, paths=paths, **sizes).build()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, required=True)
    parser.add_argument("--claims", type=int, required=True)
    parser.add_argument("--outlets", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--actors", type=int, help="default: 45 × sqrt(events / 45), as the real file at its size")
    parser.add_argument("--issues", type=int, help="default: 10 + events / 1000")
    parser.add_argument("--articles", type=int, help="default: claims / 40")
    parser.add_argument("--no-paths", action="store_true", help="leave out the presenter path")
    parser.add_argument("-o", "--output", required=True, help="where to write the YAML ('-' for stdout)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    text = generate(
        args.events,
        args.claims,
        args.outlets,
        args.seed,
        paths=not args.no_paths,
        actors=args.actors,
        issues=args.issues,
        articles=args.articles,
    )
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(text, encoding="utf-8")
        size = len(text.encode("utf-8"))
        took = time.perf_counter() - started
        print(f"{args.output}: {size / 1e6:.1f} MB, {args.events} events, {args.claims} claims in {took:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
