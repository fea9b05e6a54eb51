"""Every page opened with random and malicious links: it must still open, say what it ignored, and echo nothing raw.

A link is the one input any stranger controls. Each page gets query strings made of
its own settings, the presenter keys (path, step) and random keys, with values
that mix valid choices, random unicode (control characters, bidi marks, emoji,
5,000-character strings), numbers, dates out of range, and markup or directives
that would become live if echoed unescaped. The page must render its title, show
no exception and no error box, tell the visitor about the ignored parts only in
an ``st.info``, write back a link it fully understands, and never show a payload
verbatim in any markdown-rendered element.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import examples
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from dashboard.data.bundle import Bundle
from dashboard.data.dataset import Dataset, load_dataset
from dashboard.markup.safe import md
from dashboard.shell.links import PRESENTER_KEYS
from dashboard.views import BY_ID, VIEWS
from dashboard.views.links import Param, parse

REPO = Path(__file__).resolve().parents[2]
APP = str(REPO / "dashboard" / "app.py")
DATA = REPO / "tests" / "classroom" / "classroom.yaml"  # what the app shows here (see conftest.py)
PATH_ID = "lesson"  # its presenter path
NOTICE = "Part of this link was not understood"
STEP_MISMATCH = "This link's page is not the page of this step."
PAGE_IDS = [v.id for v in VIEWS]
# Streamlit's own keys: it keeps them in the URL and never hands them to the page.
STREAMLIT_KEYS = ("embed", "embed_options")
# Pages that write their settings back into the link.
WRITES_LINK = {"timeline", "positions", "compare", "quiz"}

SCRIPT = "<script>alert(1)</script>"
PAYLOADS = [
    "javascript:alert(1)",
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "[x](javascript:alert(1))",
    ":red[x]",
    ":material/warning:",
    "%00",
    "\x00",
    "\u202eevil\u202c",
    "\u200f\u200e",
    "🗂️💥🏳️‍🌈",
    "'; DROP TABLE events; --",
    "{{7*7}}",
    "${7*7}",
    "../../etc/passwd",
    "**bold** _it_ `code` # heading",
    "<style>*{display:none}</style>",
    "\\",
    "",
    ",",
    ",,,",
    "   ",
    "\n\r\t",
]
NUMBERS = ["-1", "0", "1", "+1", "1.5", "1e309", "NaN", "inf", "0x10", "1_0", "٣", "9" * 5000, "10" + "0" * 30]
DATES = [
    "2019-02-30",
    "0001-01-01",
    "9999-12-31",
    "2019-W01-1",
    "20190101",
    "2019-1-1",
    "2019-05",
    "2019",
    "-2019-01-01",
]

# Markup that would be live if a payload reached a markdown element unescaped.
UNSAFE = [
    re.compile(r"(?<!\\)<\s*/?\s*(script|img|iframe|svg|object|embed)\b", re.I),
    re.compile(r"javascript\s*:", re.I),
    re.compile(r"onerror\s*=", re.I),
    re.compile(r"(?<!\\):(red|blue|green|orange|violet|gray|grey|rainbow|primary)\[", re.I),
    re.compile(r"(?<!\\)\]\((?!https?://|#[a-z-]+\))"),  # a web link, or the page's own jump to a section
]
MARKDOWN_KINDS = ("markdown", "caption", "title", "header", "subheader", "info", "warning", "success", "error")
DANGEROUS = re.compile(r"<[A-Za-z/!]|\]\(|:[a-z]+\[|javascript:|onerror", re.I)

FUZZ = settings(
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "0")) or examples(25),  # or a deeper run
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)


# -- the world the pages see, computed once ------------------------------------------------------
@functools.cache
def dataset() -> Dataset:
    return load_dataset(DATA)


@functools.cache
def bundle() -> Bundle:
    return Bundle.build(dataset())


def presenter_params() -> list[Param]:
    """The two keys that put any page in presentation mode, as a link may carry them."""
    longest = max(len(p.steps) for p in dataset().paths)
    return [
        Param("path", "one", "", choices=["", *(p.id for p in dataset().paths)]),
        Param("step", "int", 1, lo=1, hi=longest),
    ]


@functools.cache
def page_spec(page: str) -> tuple[Param, ...]:
    """The page's own settings and the presenter keys: every name its link may carry."""
    return (*BY_ID[page].params(bundle()), *presenter_params())


def expected_title(page: str) -> str:
    if page == "overview":
        return md(dataset().meta.title)
    return BY_ID[page].title


@pytest.fixture(scope="module", autouse=True)
def warm_app() -> None:
    """Fill the app's shared dataset cache once, so each example costs only its own page run."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception


# -- strategies ------------------------------------------------------------------------------------
unicode_text = st.text(max_size=60)  # every category but surrogates: controls, bidi marks, emoji, combining marks
long_text = st.builds(
    lambda unit, n: (unit * (n // len(unit) + 1))[:n],
    st.sampled_from([SCRIPT, "é\u202e🗂️\x00", "a", "[x](javascript:alert(1)) "]) | st.text(min_size=1, max_size=8),
    st.integers(4000, 6000),
)


def valid_values(p: Param) -> st.SearchStrategy[str]:
    if p.kind in ("one", "many") and p.choices:
        choice = st.sampled_from(list(p.choices))
        if p.kind == "many":
            return st.lists(choice, max_size=4).map(",".join) | choice
        return choice
    if p.kind == "date":
        return st.dates(p.lo, p.hi).map(dt.date.isoformat)
    if p.kind == "int":
        return st.integers(p.lo if p.lo is not None else -10, p.hi if p.hi is not None else 10).map(str)
    return unicode_text


def hostile_values(p: Param | None) -> st.SearchStrategy[str]:
    parts: list[st.SearchStrategy[str]] = [
        st.sampled_from(PAYLOADS),
        unicode_text,
        long_text,
        st.sampled_from(NUMBERS),
        st.integers().map(str),
        st.floats().map(str),
        st.sampled_from(DATES),
        st.dates().map(dt.date.isoformat),  # years 1 to 9999: almost all out of range
    ]
    if p is not None:
        good = valid_values(p)
        parts += [good, good]  # valid choices often, so the page gets past its early returns
        if p.kind == "many" and p.choices:
            mixed = st.lists(st.sampled_from(list(p.choices)) | st.sampled_from(PAYLOADS), max_size=5)
            parts.append(mixed.map(",".join))
    return st.one_of(parts)


@functools.cache
def query_strategy(page: str) -> st.SearchStrategy[dict[str, Any]]:
    spec = {p.name: p for p in page_spec(page)}
    keys = st.one_of(
        st.sampled_from(sorted(spec)),
        st.sampled_from(sorted(spec)),
        st.sampled_from(PRESENTER_KEYS),
        unicode_text.filter(bool),
        st.sampled_from([p for p in PAYLOADS if p]),
    )

    def value_for(key: str) -> st.SearchStrategy[str | list[str]]:
        one = hostile_values(spec.get(key))
        return one | st.lists(one, min_size=2, max_size=3)  # a repeated key: ?k=a&k=b

    return st.dictionaries(keys, st.none(), max_size=6).flatmap(
        lambda d: st.fixed_dictionaries({k: value_for(k) for k in d}) if d else st.just({})
    )


# -- running and checking a page -------------------------------------------------------------------
def open_page(page: str, query: dict[str, Any]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at._page_hash = calc_hash(page)  # a page is the callable st.navigation registered under its url path
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def plain(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def shown_text(at: AppTest) -> list[str]:
    return [el.value for kind in MARKDOWN_KINDS for el in at.get(kind)]


def query_strings(query: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for key, value in query.items():
        out.append(key)
        out.extend([value] if isinstance(value, str) else value)
    return out


def check_page(at: AppTest, page: str, query: dict[str, Any]) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    titles = [t.value for t in at.title]
    step_titles = [m.value for m in at.markdown if m.value.startswith('<div class="nt-step-title"><h1>')]
    assert titles or step_titles, "the page rendered no title"
    if titles:  # a presenter step's title stands in for the view's
        assert titles[0] == expected_title(page)
    # The only other notice a link may cause: a presenter step opened on another page.
    assert all(w.value == STEP_MISMATCH for w in at.warning), [w.value for w in at.warning]
    notices = [plain(i.value) for i in at.info if plain(i.value).startswith(NOTICE)]
    assert len(notices) <= 1, notices

    texts = shown_text(at)
    for value in texts:
        for pattern in UNSAFE:
            assert not pattern.search(value), (pattern.pattern, value[:300])
    for s in query_strings(query):
        if not DANGEROUS.search(s):
            continue
        forms = {s, " ".join(s.split()), " ".join(s.split())[:37]}  # notices show a value flattened and cut
        for value in texts:
            for form in forms:
                assert len(form) < 4 or form not in value, (form, value[:300])

    if page in WRITES_LINK:
        # The link the page writes back is one it understands completely (presenter keys are kept as given).
        written = {k: v for k, v in at.query_params.items() if k not in {*PRESENTER_KEYS, *STREAMLIT_KEYS}}
        assert set(written) <= {p.name for p in page_spec(page)}, written
        assert parse(written, page_spec(page)).notices == []


# -- the nastiest cases, every page ---------------------------------------------------------------
def nasty_queries(page: str) -> list[dict[str, Any]]:
    spec = [p for p in page_spec(page) if p.name not in PRESENTER_KEYS]
    every_key = {p.name: SCRIPT for p in spec}
    cases: list[dict[str, Any]] = [
        {},
        {SCRIPT: SCRIPT},
        {"path": SCRIPT, "step": "0"},
        {"path": PATH_ID, "step": "999999"},
        {"path": PATH_ID, "step": ["1", "2", "-3"]},
        {"path": [PATH_ID, SCRIPT], "step": "9" * 5000},
        {"path": PATH_ID, "step": "3", **every_key},
        {'"><img src=x onerror=alert(1)>': "[x](javascript:alert(1))", ":red[x]": "%00"},
        {"\u202e" + "k" * 5000: "v" * 5000},
        {"embed": "true", "embed_options": "show_toolbar"},
        {"x": ["a"] * 50},
        every_key,
        {p.name: [SCRIPT, "\x00", "🗂️" * 2000] for p in spec},
        {p.name: "" for p in spec},
        {p.name: ",,," for p in spec},
    ]
    for p in spec:
        if p.kind == "date":
            cases += [{p.name: d} for d in ("0001-01-01", "9999-12-31", "2019-02-30", "2019-W01-1")]
        if p.kind == "int":
            cases += [{p.name: n} for n in ("-1", "1e309", "9" * 5000, "٣", str(p.hi + 1) if p.hi else "0")]
        if p.kind == "many" and p.choices:
            cases.append({p.name: ",".join([*p.choices, SCRIPT, *p.choices])})
            cases.append({p.name: [p.choices[0], SCRIPT, p.choices[-1]]})
        if p.kind == "one" and p.choices:
            cases.append({p.name: [SCRIPT, p.choices[-1]]})  # the last of a repeated key wins
            cases.append({p.name: [p.choices[-1], SCRIPT]})
    return cases


@pytest.mark.parametrize("page", PAGE_IDS)
def test_nasty_links_open_every_page_cleanly(page: str) -> None:
    for query in nasty_queries(page):
        at = open_page(page, query)
        try:
            check_page(at, page, query)
        except AssertionError as err:
            raise AssertionError(f"{page} with {str(query)[:300]}: {err}") from err


@pytest.mark.parametrize("page", [p for p in PAGE_IDS if p in WRITES_LINK])
def test_a_malicious_value_is_named_escaped_in_the_notice(page: str) -> None:
    name = next(p.name for p in page_spec(page) if p.name not in PRESENTER_KEYS)
    at = open_page(page, {name: SCRIPT})
    check_page(at, page, {name: SCRIPT})
    notices = [i.value for i in at.info if plain(i.value).startswith(NOTICE)]
    assert len(notices) == 1
    assert SCRIPT in plain(notices[0])  # named, so the visitor knows what was dropped ...
    assert SCRIPT not in notices[0]  # ... but only in escaped form


@pytest.mark.parametrize("page", PAGE_IDS)
@FUZZ
@given(data=st.data())
def test_random_links_open_every_page_cleanly(page: str, data: st.DataObject) -> None:
    query = data.draw(query_strategy(page), label="query")
    check_page(open_page(page, query), page, query)
