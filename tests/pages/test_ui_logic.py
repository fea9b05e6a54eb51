"""The pure modules behind the pages: URL state, filters, highlighting, escaping and figures."""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from html.parser import HTMLParser
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from page_kit import (
    article_outlet,
    claims_of_event,
    date_range,
    event_span,
    held_stances,
    names,
    outlets_of_event,
    precision,
)

from dashboard.figures import (
    OUTLET_PALETTE,
    STANCE_COLOUR,
    STANCE_SYMBOL,
    matrix_figure,
    matrix_frame,
    outlet_colours,
    stance_steps_figure,
    timeline_figure,
    voices_figure,
)
from dashboard.filters import claims_about, filter_events, for_outlets, month_end, month_options
from dashboard.frames import STANCE_LABEL, STANCE_SCORE, positions_as_of
from dashboard.highlight import excerpt_html, highlight_html
from dashboard.metrics import voices_by_camp
from dashboard.safe import html_text, http_url, md, md_html_text, md_link
from dashboard.text import Lexicon
from dashboard.urlstate import MAX_TEXT, Param, encode, parse

# == urlstate ===========================================================================================
D1, D2 = dt.date(2014, 1, 1), dt.date(2025, 1, 31)
SPEC = [
    Param("lanes", "one", "category", choices=["category", "outlet", "camp"]),
    Param("from", "date", D1, lo=D1, hi=D2),
    Param("to", "date", D2, lo=D1, hi=D2),
    Param("cats", "many", ["a", "b", "c"], choices=["a", "b", "c"]),
    Param("actors", "many", [], choices=["x", "y", "z"]),
    Param("q", "text", ""),
    Param("n", "int", 1, lo=1, hi=50),
]
DEFAULTS = {p.name: p.default for p in SPEC}


def test_parse_of_an_empty_link_gives_the_defaults_without_notices():
    parsed = parse({}, SPEC)
    assert parsed.values == DEFAULTS
    assert parsed.notices == []


def test_encode_leaves_out_every_default():
    assert encode(DEFAULTS, SPEC) == {}
    assert encode({}, SPEC) == {}
    assert encode({"cats": ["a", "b", "c"], "actors": [], "q": ""}, SPEC) == {}


def test_encode_writes_each_kind():
    values = {
        "lanes": "outlet",
        "from": dt.date(2019, 5, 1),
        "cats": ["c", "a"],
        "actors": ["y", "x"],
        "q": "oslo talks",
        "n": 7,
    }
    assert encode(values, SPEC) == {
        "lanes": "outlet",
        "from": "2019-05-01",
        "cats": "c,a",  # many-valued: comma-joined, in the chosen order
        "actors": "y,x",
        "q": "oslo talks",
        "n": "7",
    }


def test_an_emptied_many_valued_setting_is_written_as_empty_and_read_back_as_empty():
    assert encode({"cats": []}, SPEC) == {"cats": ""}
    parsed = parse({"cats": ""}, SPEC)
    assert parsed.values["cats"] == []
    assert parsed.notices == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a,c", ["a", "c"]),
        (["a", "c"], ["a", "c"]),
        ("c,a,c", ["c", "a"]),
        (",a,,", ["a"]),
        (["a,b", "c"], ["a", "b", "c"]),
    ],
)
def test_parse_many_valued(raw, expected):
    parsed = parse({"cats": raw}, SPEC)
    assert parsed.values["cats"] == expected
    assert parsed.notices == []


def test_parse_many_valued_keeps_the_good_values_and_reports_each_bad_one():
    parsed = parse({"cats": "a,zz,b,yy"}, SPEC)
    assert parsed.values["cats"] == ["a", "b"]
    assert len(parsed.notices) == 2
    assert "zz" in parsed.notices[0] and "yy" in parsed.notices[1]
    assert all(n.startswith("cats:") for n in parsed.notices)


def test_unknown_keys_are_reported_and_long_ones_shortened():
    long_key = "k" * 100
    parsed = parse({"nope": "1", long_key: "2"}, SPEC)
    assert parsed.values == DEFAULTS
    assert len(parsed.notices) == 2
    assert "“nope”" in parsed.notices[0]
    assert long_key not in parsed.notices[1]
    assert "k" * 37 + "…" in parsed.notices[1]


@pytest.mark.parametrize(
    ("name", "bad"),
    [
        ("lanes", "sideways"),
        ("lanes", ""),
        ("from", "2019-13-01"),
        ("from", "yesterday"),
        ("from", "2013-12-31"),  # a day before the first allowed date
        ("to", "2025-02-01"),  # a day after the last
        ("n", "seven"),
        ("n", "0"),
        ("n", "51"),
        ("n", "1.5"),
    ],
)
def test_bad_values_fall_back_to_the_default_with_a_notice(name, bad):
    parsed = parse({name: bad}, SPEC)
    assert parsed.values[name] == DEFAULTS[name]
    assert len(parsed.notices) == 1
    assert parsed.notices[0].startswith(f"{name}:") and f"“{bad}”" in parsed.notices[0]


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [("from", "2014-01-01", D1), ("to", "2025-01-31", D2), ("n", "1", 1), ("n", "50", 50)],
)
def test_bounds_are_inclusive(name, value, expected):
    parsed = parse({name: value}, SPEC)
    assert parsed.values[name] == expected
    assert parsed.notices == []


def test_text_is_normalised_and_cut():
    assert parse({"q": "  oslo \n\t talks  "}, SPEC).values["q"] == "oslo talks"
    long = parse({"q": "x" * (MAX_TEXT + 50)}, SPEC)
    assert long.values["q"] == "x" * MAX_TEXT
    assert long.notices == []


def test_a_repeated_single_valued_key_uses_its_last_value():
    assert parse({"lanes": ["camp", "outlet"]}, SPEC).values["lanes"] == "outlet"


def test_bad_values_in_notices_are_shortened():
    parsed = parse({"lanes": "z" * 100}, SPEC)
    assert "z" * 37 + "…" in parsed.notices[0]
    assert "z" * 38 not in parsed.notices[0]


_words = st.text(alphabet="abcxyz <>&\"'#:[]()", min_size=0, max_size=300).map(lambda t: " ".join(t.split())[:MAX_TEXT])


@settings(max_examples=150, deadline=None)
@given(
    lanes=st.sampled_from(["category", "outlet", "camp"]),
    start=st.dates(D1, D2),
    end=st.dates(D1, D2),
    cats=st.lists(st.sampled_from(["a", "b", "c"]), unique=True),
    actors=st.lists(st.sampled_from(["x", "y", "z"]), unique=True),
    q=_words,
    n=st.integers(1, 50),
)
def test_encode_then_parse_gives_the_same_values(lanes, start, end, cats, actors, q, n):
    values = {"lanes": lanes, "from": start, "to": end, "cats": cats, "actors": actors, "q": q, "n": n}
    link = encode(values, SPEC)
    assert all(p.name not in link for p in SPEC if values[p.name] == p.default)
    parsed = parse(link, SPEC)
    assert parsed.notices == []
    assert parsed.values == values


# == filters ============================================================================================
def _ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


@pytest.fixture
def small() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Three events: a long span, a day-precise event, and a month-precise one no outlet reports."""
    events = pd.DataFrame(
        [
            {
                "event": "protests",
                "title": "Anti-government protests",
                "summary": "Street protests.",
                "start": _ts("2014-01-01"),
                "end": _ts("2017-12-31"),
                "category": "repression",
                "actors": ("gov",),
                "outlets": ("a",),
            },
            {
                "event": "oslo",
                "title": "Talks in Oslo",
                "summary": "Envoys meet through mediators.",
                "start": _ts("2019-05-20"),
                "end": _ts("2019-05-20"),
                "category": "negotiations",
                "actors": ("gov", "norway"),
                "outlets": ("a", "b"),
            },
            {
                "event": "vote",
                "title": "Regional vote",
                "summary": "The Opposition runs again.",
                "start": _ts("2019-06-01"),
                "end": _ts("2019-06-30"),
                "category": "elections",
                "actors": ("opposition",),
                "outlets": ("b",),
            },
        ]
    )
    claims = pd.DataFrame(
        [
            {"claim": "c1", "events": ("oslo",), "quote": "The REGIME refused to budge."},
            {"claim": "c2", "events": ("protests", "vote"), "quote": "Crackdown on dissent."},
            {"claim": "c3", "events": (), "quote": "Nothing about events: oslo regime vote."},
        ]
    )
    return events, claims


def _ids(frame: pd.DataFrame) -> list[str]:
    return list(frame["event"])


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2016-06-01", "2016-06-30", ["protests"]),  # inside a span: the span overlaps the window
        ("2017-12-31", "2019-05-20", ["protests", "oslo"]),  # both boundaries inclusive
        ("2018-01-01", "2019-05-19", []),
        ("2019-05-21", "2019-06-01", ["vote"]),  # the window reaches the first day of the month
        ("2019-06-15", "2030-01-01", ["vote"]),  # the window starts inside the month
        ("2010-01-01", "2013-12-31", []),
    ],
)
def test_filter_by_dates_keeps_events_overlapping_the_window(small, start, end, expected):
    events, claims = small
    shown = filter_events(events, claims, start=dt.date.fromisoformat(start), end=dt.date.fromisoformat(end))
    assert _ids(shown) == expected


def test_filter_without_options_keeps_everything(small):
    events, claims = small
    assert _ids(filter_events(events, claims)) == ["protests", "oslo", "vote"]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"categories": ["negotiations", "elections"]}, ["oslo", "vote"]),
        ({"categories": []}, []),
        ({"actors": ["norway", "opposition"]}, ["oslo", "vote"]),  # any of them
        ({"actors": ["gov"]}, ["protests", "oslo"]),
        ({"actors": []}, ["protests", "oslo", "vote"]),  # no actor chosen: no actor filter
        ({"outlets": ["b"]}, ["oslo", "vote"]),
        ({"outlets": []}, []),
        ({"categories": ["negotiations", "repression"], "actors": ["gov"], "outlets": ["b"]}, ["oslo"]),
    ],
)
def test_filter_by_categories_actors_and_outlets(small, kwargs, expected):
    events, claims = small
    assert _ids(filter_events(events, claims, **kwargs)) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("oslo", ["oslo"]),  # title
        ("MEDIATORS", ["oslo"]),  # summary, case-insensitive
        ("regime", ["oslo"]),  # a quote that reports the event (c3 reports none)
        ("crackdown", ["protests", "vote"]),  # one quote reporting two events
        ("talks refused", ["oslo"]),  # every word must match, anywhere in the event's text
        ("talks crackdown", []),  # words matching different events
        ("  ", ["protests", "oslo", "vote"]),
        ("zzzznomatch", []),
    ],
)
def test_filter_by_query(small, query, expected):
    events, claims = small
    assert _ids(filter_events(events, claims, query=query)) == expected


def test_filter_never_changes_the_shared_frames(small):
    events, claims = small
    before_e, before_c = events.copy(deep=True), claims.copy(deep=True)
    filter_events(events, claims, start=dt.date(2019, 1, 1), categories=["elections"], query="vote", outlets=["b"])
    pd.testing.assert_frame_equal(events, before_e)
    pd.testing.assert_frame_equal(claims, before_c)


def test_filter_on_the_real_data_by_category_counts_as_the_yaml_does(raw, real_tables):
    for category in {e["category"] for e in raw["events"]}:
        shown = filter_events(real_tables.events, real_tables.claims, categories=[category])
        assert sorted(shown["event"]) == sorted(e["id"] for e in raw["events"] if e["category"] == category)


@pytest.mark.parametrize("event_id", ["oslo-talks-2019", "election-2024", "mou-mexico-2021"])
def test_claims_about_an_event(raw, real_tables, event_id):
    found = claims_about(real_tables.claims, "event", event_id)
    assert set(found["claim"]) == {c["id"] for c in claims_of_event(raw, event_id)}
    of = article_outlet(raw)
    some = sorted(outlets_of_event(raw, event_id))[:1]
    narrowed = claims_about(real_tables.claims, "event", event_id, some)
    assert set(narrowed["claim"]) == {c["id"] for c in claims_of_event(raw, event_id) if of[c["article"]] in some}


@pytest.mark.parametrize("actor", ["maduro", "guaido", "opposition"])
def test_claims_about_an_actor_named_or_speaking(raw, real_tables, actor):
    found = set(claims_about(real_tables.claims, "actor", actor)["claim"])
    named = {c["id"] for c in raw["claims"] if actor in c.get("actors", [])}
    speaking = {c["id"] for c in raw["claims"] if c["speaker"] == actor}
    assert found == named | speaking
    assert speaking, "each of these actors is quoted in the data"


@pytest.mark.parametrize("issue", ["step_down_first", "negotiate", "amnesty"])
def test_claims_about_an_issue(raw, real_tables, issue):
    found = set(claims_about(real_tables.claims, "issue", issue)["claim"])
    assert found == {c["id"] for c in raw["claims"] if issue in c.get("issues", [])}
    assert set(claims_about(real_tables.claims, "issue", issue, [])["claim"]) == set()


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("2019-11-15", "2020-02-01", ["2019-11", "2019-12", "2020-01", "2020-02"]),
        ("2019-05-31", "2019-05-01", ["2019-05"]),  # months, not days, are compared
        ("2019-05-01", "2019-05-31", ["2019-05"]),
        ("2019-06-01", "2019-05-31", []),
    ],
)
def test_month_options(first, last, expected):
    assert month_options(dt.date.fromisoformat(first), dt.date.fromisoformat(last)) == expected


@pytest.mark.parametrize(
    ("month", "expected"),
    [("2024-02", "2024-02-29"), ("2023-02", "2023-02-28"), ("2019-12", "2019-12-31"), ("2021-04", "2021-04-30")],
)
def test_month_end(month, expected):
    assert month_end(month) == dt.date.fromisoformat(expected)


def test_for_outlets_narrows_only_the_outlet_tables(real_tables):
    sizes = {name: len(getattr(real_tables, name)) for name in ("claims", "labels", "articles")}
    narrowed = for_outlets(real_tables, ["wlrn", "breitbart"])
    for name in ("claims", "labels", "articles"):
        frame = getattr(narrowed, name)
        assert set(frame["outlet"]) == {"wlrn", "breitbart"}
        original = getattr(real_tables, name)
        assert len(frame) == int(original["outlet"].isin(["wlrn", "breitbart"]).sum())
        assert len(original) == sizes[name], "the shared frame must stay as it was"
    assert narrowed.events is real_tables.events
    assert narrowed.positions is real_tables.positions
    assert len(for_outlets(real_tables, []).claims) == 0


# == highlight ==========================================================================================
class _Runs(HTMLParser):
    """Reads highlight HTML back into (character, classes) pairs, insisting on well-nested <span>s."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[set[str]] = []
        self.chars: list[tuple[str, frozenset[str]]] = []
        self.titles: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag == "span", f"unexpected element <{tag}>"
        a = dict(attrs)
        self.titles.append(a.get("title") or "")
        self.stack.append(set((a.get("class") or "").split()))

    def handle_endtag(self, tag: str) -> None:
        assert tag == "span" and self.stack, f"unbalanced </{tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        classes = frozenset().union(*self.stack) if self.stack else frozenset()
        self.chars.extend((c, classes) for c in data)


def runs(markup: str) -> _Runs:
    parser = _Runs()
    parser.feed(markup)
    parser.close()
    assert not parser.stack, "a <span> was left open"
    return parser


def classes_of(parsed: _Runs, text: str, word: str) -> frozenset[str]:
    """The classes on every character of ``word`` (which must be uniform) where it occurs in ``text``."""
    i = text.index(word)
    found = {parsed.chars[j][1] for j in range(i, i + len(word))}
    assert len(found) == 1, (word, found)
    return found.pop()


LEXICON = Lexicon([("regime", "delegitimising label", []), ("dictator", "delegitimising label", ["dictators"])])


def test_highlight_without_marks_is_just_escaped_text():
    quote = 'He said <b>"no"</b> & left; it\'s over.'
    assert highlight_html(quote, Lexicon([])) == md_html_text(quote)
    assert html.unescape(highlight_html(quote, Lexicon([]))) == quote


def test_highlight_escapes_everything_and_marks_each_kind():
    quote = 'Aides of the socialist regime call the <b>"talks"</b> a farce & a dictator\'s trick.'
    out = highlight_html(quote, LEXICON, labels=["the socialist regime"], scare_quotes=["talks"])
    # Tags, quotes and markdown syntax all arrive as character references (st.markdown reads both).
    assert "<b>" not in out and "&#60;b&#62;" in out and "&amp;" in out and "&#34;" in out and "&#39;" in out
    parsed = runs(out)
    assert "".join(c for c, _ in parsed.chars) == quote, "every character is kept, in order"
    assert classes_of(parsed, quote, "the socialist ") == {"nt-label"}
    assert classes_of(parsed, quote, "regime") == {"nt-label", "nt-loaded"}
    assert classes_of(parsed, quote, "talks") == {"nt-scare"}
    assert classes_of(parsed, quote, "dictator") == {"nt-loaded"}
    assert classes_of(parsed, quote, " a farce & a ") == frozenset()
    assert classes_of(parsed, quote, "'s trick.") == frozenset()
    assert any("loaded term: dictator (delegitimising label)" in t for t in parsed.titles)


def test_overlapping_marks_nest_correctly():
    quote = 'They call it "the regime" now, the regime.'
    out = highlight_html(quote, LEXICON, labels=["the regime"], scare_quotes=["the regime"])
    parsed = runs(out)  # well-nested, or this fails
    assert "".join(c for c, _ in parsed.chars) == quote
    first = quote.index("the regime")
    assert {parsed.chars[j][1] for j in range(first, first + 4)} == {frozenset({"nt-label", "nt-scare"})}
    assert {parsed.chars[j][1] for j in range(first + 4, first + 10)} == {
        frozenset({"nt-label", "nt-loaded", "nt-scare"})
    }
    second = quote.rindex("the regime")  # not in quotation marks: label and loaded term only
    assert parsed.chars[second][1] == {"nt-label"}
    assert parsed.chars[second + 4][1] == {"nt-label", "nt-loaded"}
    assert parsed.chars[quote.index("now")][1] == frozenset()


def test_marks_found_across_curly_quotes_and_case():
    quote = "The “REGIME” said so."
    parsed = runs(highlight_html(quote, LEXICON, scare_quotes=["regime"]))
    assert classes_of(parsed, quote, "REGIME") == {"nt-loaded", "nt-scare"}


def _claim(**over: Any) -> dict[str, Any]:
    claim = {
        "claim": "c1",
        "quote": "Talks <now> & later",
        "voice": "quoted",
        "speaker_name": "Dr. <i>Evil</i>",
        "kind": "direct",
        "outlet_name": "The <Daily>",
        "article_date": "22 May 2019",
        "url": "https://example.org/a?x=1&y=2",
        "label_texts": (),
        "scare_quotes": (),
    }
    return claim | over


def test_excerpt_html_links_http_urls_and_escapes_everything():
    out = excerpt_html(_claim(), LEXICON, show_outlet=True)
    assert '<a href="https://example.org/a?x=1&amp;y=2" target="_blank" rel="noopener noreferrer nofollow">' in out
    assert "Talks &#60;now&#62; &amp; later" in out
    assert "Dr&#46; &#60;i&#62;Evil&#60;&#47;i&#62; (direct)" in out
    assert "The &#60;Daily&#62;, 22 May 2019" in out
    assert "<i>" not in out and "<now>" not in out and "<Daily>" not in out
    assert out.endswith("claim c1</span></blockquote>")


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,<b>x</b>", "//evil.example", "unknown", None]
)
def test_excerpt_html_never_links_anything_but_http(url):
    out = excerpt_html(_claim(url=url), LEXICON)
    assert "<a " not in out and "href" not in out
    assert "javascript" not in out.lower() and "data:" not in out
    assert "22 May 2019" in out


def test_excerpt_html_narration_and_outlet():
    out = excerpt_html(_claim(voice="narration"), LEXICON, show_outlet=False)
    assert "Narration · " in out
    assert "Daily" not in out  # the outlet only when asked for


# == safe ===============================================================================================
@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("[x](javascript:alert(1))", r"\[x\]\(javascript\:alert\(1\)\)"),
        ("**bold**", r"\*\*bold\*\*"),
        (":red[x]", r"\:red\[x\]"),
        (":material/home:", r"\:material\/home\:"),
        ("<b>hi</b>", r"\<b\>hi\<\/b\>"),
        ("<script>alert(1)</script>", r"\<script\>alert\(1\)\<\/script\>"),
        ("# Heading", r"\# Heading"),
        ("1. item", r"1\. item"),
        ("- item", r"\- item"),
        ("`code` $x$ _em_ ~~s~~ |t|", r"\`code\` \$x\$ \_em\_ \~\~s\~\~ \|t\|"),
        ("a &amp; b", r"a \&amp; b"),
        ("![img](https://e.org/x.png)", r"\!\[img\]\(https\:\/\/e\.org\/x\.png\)"),
        ("two\n\nparagraphs\n    indented", "two paragraphs indented"),
        ("back\\slash", r"back\\slash"),
        ("plain words, fine", "plain words, fine"),
    ],
)
def test_md_escapes_markdown_so_it_renders_literally(text, escaped):
    assert md(text) == escaped


def test_md_accepts_any_object():
    assert md(3) == "3"
    assert md(None) == "None"


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.org/a?b=c", True),
        ("http://example.org", True),
        ("HTTPS://EXAMPLE.ORG", True),
        ("  https://example.org  ", True),
        ("javascript:alert(1)", False),
        ("data:text/html;base64,PHNjcmlwdD4=", False),
        ("//example.org", False),
        ("ftp://example.org", False),
        ("https://exa mple.org", False),
        ('https://example.org/"onmouseover=x', False),
        ("https://", False),
        ("unknown", False),
        (None, False),
        (42, False),
    ],
)
def test_http_url(url, ok):
    assert (http_url(url) is not None) == ok
    if ok:
        assert http_url(url) == url.strip()


def test_md_link_refuses_non_http_urls():
    assert md_link("Read [more]", "javascript:alert(1)") == md("Read [more]")
    assert md_link("x", "unknown") == "x"
    assert md_link("x", None) == "x"


def test_md_link_escapes_its_text_and_keeps_the_target_inside_the_link():
    assert md_link("A *b* [c]", "https://e.org/p") == r"[A \*b\* \[c\]](https://e.org/p)"
    assert md_link("x", "https://e.org/a_(b)") == "[x](https://e.org/a_%28b%29)"


def test_html_text_escapes_quotes_for_attributes():
    assert html_text('<a href="x">\'&') == "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;"


# == figures ============================================================================================
PRECISION_SHAPE = {"day": "circle", "month": "square", "year": "diamond"}


def _markers(fig) -> list[tuple[Any, ...]]:
    """(event id, lane, symbol, colour, size) for every marker that stands for an event."""
    out = []
    for tr in fig.data:
        if tr.type != "scatter" or tr.customdata is None:
            continue
        n = len(tr.customdata)
        colours = tr.marker.color if isinstance(tr.marker.color, list | tuple) else [tr.marker.color] * n
        sizes = tr.marker.size if isinstance(tr.marker.size, list | tuple) else [tr.marker.size] * n
        for cd, lane, colour, size in zip(tr.customdata, tr.y, colours, sizes, strict=True):
            out.append((cd[0], lane, tr.marker.symbol, colour, size))
    return out


def _bars(fig) -> Counter:
    """(lane, first day, last day) of every period bar."""
    found: Counter = Counter()
    for tr in fig.data:
        if tr.type != "bar":
            continue
        for lane, base, length in zip(tr.y, tr.base, tr.x, strict=True):
            first = pd.Timestamp(base)
            after = first + pd.Timedelta(milliseconds=float(length))
            found[(lane, first.date(), (after - pd.Timedelta(days=1)).date())] += 1
    return found


@pytest.fixture(scope="module")
def figure_inputs(real_tables):
    t = real_tables
    outlet_names = dict(zip(t.outlets["outlet"], t.outlets["name"], strict=True))
    camps_of = dict(zip(t.actors["actor"], t.actors["camp_name"], strict=True))
    colours = outlet_colours(list(t.outlets["outlet"]))
    return outlet_names, camps_of, colours


def test_timeline_draws_every_event_once_with_its_precision_shape(raw, real_tables, figure_inputs):
    fig = timeline_figure(real_tables.events, "category", *figure_inputs)
    markers = _markers(fig)
    assert len(markers) == len(raw["events"])
    assert sorted(m[0] for m in markers) == sorted(e["id"] for e in raw["events"])
    categories = names(raw, "categories")
    for event in raw["events"]:
        (mark,) = [m for m in markers if m[0] == event["id"]]
        assert mark[2] == PRECISION_SHAPE[precision(event["date"])], event["id"]
        assert mark[1] == categories[event["category"]]


def test_timeline_bars_span_each_imprecise_date_or_period_in_full(raw, real_tables, figure_inputs):
    fig = timeline_figure(real_tables.events, "category", *figure_inputs)
    categories = names(raw, "categories")
    expected: Counter = Counter()
    for event in raw["events"]:
        first, last = event_span(event)
        if last > first:
            expected[(categories[event["category"]], first, last)] += 1
    assert any(precision(e["date"]) == "year" for e in raw["events"]), "the data has year-precise events"
    assert any(precision(e["date"]) == "month" and not e.get("end") for e in raw["events"])
    assert _bars(fig) == expected


def test_timeline_bar_for_a_month_covers_the_whole_month(figure_inputs):
    events = pd.DataFrame(
        [
            {
                "event": "feb",
                "title": "February",
                "date": "February 2024",
                "start": _ts("2024-02-01"),
                "end": _ts("2024-02-29"),
                "precision": "month",
                "category": "c",
                "category_name": "C",
                "actors": (),
                "outlets": (),
            }
        ]
    )
    fig = timeline_figure(events, "category", *figure_inputs)
    assert _bars(fig) == Counter({("C", dt.date(2024, 2, 1), dt.date(2024, 2, 29)): 1})
    assert _markers(fig)[0][2] == "square"


def test_timeline_outlet_lanes_have_one_marker_per_event_and_outlet(raw, real_tables, figure_inputs):
    outlet_names, _, colours = figure_inputs
    fig = timeline_figure(real_tables.events, "outlet", *figure_inputs)
    markers = _markers(fig)
    expected = Counter((e["id"], outlet_names[o]) for e in raw["events"] for o in outlets_of_event(raw, e["id"]))
    assert Counter((m[0], m[1]) for m in markers) == expected
    by_name = {v: k for k, v in outlet_names.items()}
    for _, lane, _, colour, _ in markers:
        assert colour == colours[by_name[lane]], "a marker in an outlet lane wears that outlet's colour"


def test_timeline_camp_lanes_have_one_marker_per_event_and_camp(raw, real_tables, figure_inputs):
    fig = timeline_figure(real_tables.events, "camp", *figure_inputs)
    camp_of = {a["id"]: a["camp"] for a in raw["actors"]}
    camp_names = names(raw, "camps")
    expected = Counter((e["id"], camp) for e in raw["events"] for camp in {camp_names[camp_of[a]] for a in e["actors"]})
    assert Counter((m[0], m[1]) for m in _markers(fig)) == expected


def test_timeline_selected_event_is_drawn_larger(real_tables, figure_inputs):
    fig = timeline_figure(real_tables.events, "category", *figure_inputs, selected="oslo-talks-2019")
    sizes = {m[0]: m[4] for m in _markers(fig)}
    assert sizes["oslo-talks-2019"] > max(s for e, s in sizes.items() if e != "oslo-talks-2019")


def test_timeline_hover_text_is_escaped(real_tables, figure_inputs):
    events = real_tables.events.copy()
    events.loc[events["event"] == "oslo-talks-2019", "title"] = "Oslo <script>alert(1)</script> & <b>talks</b>"
    fig = timeline_figure(events, "category", *figure_inputs)
    hover = {cd[0]: cd for tr in fig.data if tr.customdata is not None for cd in tr.customdata}
    assert hover["oslo-talks-2019"][1] == "Oslo &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;talks&lt;/b&gt;"
    assert all("<" not in str(v) for cd in hover.values() for v in cd)


def _cells(real_tables, month: str):
    held = positions_as_of(real_tables.positions, month_end(month))
    cells = matrix_frame(held, real_tables.actors, real_tables.issues)
    return cells, list(dict.fromkeys(cells["actor"])), list(dict.fromkeys(cells["issue"]))


@pytest.mark.parametrize("month", ["2019-05", "2020-01", "2022-01", "2024-12"])
def test_matrix_puts_each_held_stance_in_its_cell_with_its_colour_and_symbol(raw, real_tables, month):
    cells, actor_order, issue_order = _cells(real_tables, month)
    fig = matrix_figure(cells, actor_order, issue_order, None)
    expected = held_stances(raw, month)
    actors, shorts = names(raw, "actors"), {i["id"]: i.get("short") or i["question"] for i in raw["issues"]}
    colour_stance = {c: s for s, c in STANCE_COLOUR.items()}
    drawn = {}
    for tr in fig.data:
        stance = colour_stance[tr.marker.color]
        assert tr.name == f"{STANCE_SYMBOL[stance]} {STANCE_LABEL[stance]}"
        assert set(tr.text) == {STANCE_SYMBOL[stance]}
        for cd, x, y in zip(tr.customdata, tr.x, tr.y, strict=True):
            actor, issue = cd[0], cd[1]
            assert (actor, issue) not in drawn, "one square per cell"
            drawn[(actor, issue)] = stance
            assert y == actors[actor]
            assert x.replace("<br>", " ") == shorts[issue]
    assert drawn == expected


def test_matrix_marks_the_selected_cell(real_tables):
    cells, actor_order, issue_order = _cells(real_tables, "2020-01")
    fig = matrix_figure(cells, actor_order, issue_order, ("opposition", "step_down_first"))
    widths = {(cd[0], cd[1]): w for tr in fig.data for cd, w in zip(tr.customdata, tr.marker.line.width, strict=True)}
    assert widths.pop(("opposition", "step_down_first")) > max(widths.values())


@pytest.mark.parametrize("short", ["Deal <script>alert(1)</script> & more?", "Ceasefire&amnesty deal?"])
def test_matrix_escapes_names_and_never_breaks_an_entity(real_tables, short):
    cells, actor_order, issue_order = _cells(real_tables, "2020-01")
    cells = cells.copy()
    cells["actor_name"] = cells["actor_name"] + " <img src=x>"
    cells["short"] = short
    fig = matrix_figure(cells, actor_order, issue_order, None)
    labels = [x for tr in fig.data for x in tr.x] + list(fig.layout.xaxis.categoryarray)
    for label in labels:
        for line in label.split("<br>"):
            assert "<" not in line and ">" not in line, line
            # Each '&' starts a whole entity: a line break inside one would show as '&l' and 't;'.
            assert line.count("&") == line.count("&lt;") + line.count("&gt;") + line.count("&amp;"), label
        shown = html.unescape(label.replace("<br>", ""))
        assert shown.replace(" ", "") == short.replace(" ", ""), "every character shown, in order"
    assert all(y.endswith(" &lt;img src=x&gt;") for tr in fig.data for y in tr.y)


def test_stance_steps_follow_the_score_over_time(raw, real_tables):
    history = real_tables.positions[
        (real_tables.positions["actor"] == "opposition") & (real_tables.positions["issue"] == "step_down_first")
    ]
    mine = sorted(
        (p for p in raw["positions"] if (p["actor"], p["issue"]) == ("opposition", "step_down_first")),
        key=lambda p: date_range(p["from"])[0],
    )
    until = dt.date(2025, 1, 31)
    fig = stance_steps_figure(history, until)
    (trace,) = fig.data
    scores = [STANCE_SCORE[p["stance"]] for p in mine]
    assert list(trace.y) == [*scores, scores[-1]]
    assert [pd.Timestamp(x).date() for x in trace.x] == [*(date_range(p["from"])[0] for p in mine), until]
    assert list(trace.marker.color[: len(mine)]) == [STANCE_COLOUR[p["stance"]] for p in mine]
    assert trace.line.shape == "hv"
    assert list(fig.layout.yaxis.tickvals) == list(STANCE_SCORE.values())


def test_outlet_colours_distinct_stable_and_overridable():
    ids = ["a", "b", "c", "d", "e", "f"]
    colours = outlet_colours(ids)
    assert list(colours) == ids
    assert len(set(colours.values())) == len(ids)
    assert outlet_colours(ids) == colours
    assert {k: v for k, v in outlet_colours([*ids, "g"]).items() if k in ids} == colours, "adding one keeps the rest"
    full = outlet_colours([f"o{i}" for i in range(len(OUTLET_PALETTE))])
    assert len(set(full.values())) == len(OUTLET_PALETTE)
    custom = outlet_colours(ids, {"c": "#123456", "d": ""})
    assert custom["c"] == "#123456"
    assert {k: v for k, v in custom.items() if k != "c"} == {k: v for k, v in colours.items() if k != "c"}


def test_outlet_colours_of_the_real_outlets_are_distinct(raw):
    colours = outlet_colours([o["id"] for o in raw["outlets"]])
    assert len(set(colours.values())) == len(raw["outlets"])


def test_voices_figure_has_one_trace_per_camp(real_tables):
    voices = voices_by_camp(real_tables)
    fig = voices_figure(voices)
    assert len(fig.data) == voices["camp_name"].nunique()
    assert {tr.name for tr in fig.data} == {html.escape(c, quote=False) for c in voices["camp_name"]}
    for tr in fig.data:
        assert (
            sum(tr.x)
            == voices.loc[voices["camp_name"].map(lambda c: html.escape(c, quote=False)) == tr.name, "claims"].sum()
        )
    assert fig.layout.barmode == "stack"
    assert len({tr.marker.color for tr in fig.data}) == len(fig.data)
