"""Printable handouts: a valid, self-contained HTML page with every quote, its citation and nothing unescaped.

A handout prints what its view shows: ``BY_ID[page].handout(bundle, settings)`` gives the view's
sections, ``handout_html`` writes them. Everything runs on the classroom fixture (hostile variants
of it for the escaping), and one test holds each view's handout to what its page draws.
"""

from __future__ import annotations

import datetime as dt
import html
import importlib.util
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from dataset_helpers import edit

from dashboard.data.bundle import Bundle
from dashboard.data.dataset import load_dataset
from dashboard.data.frames import Tables
from dashboard.markup.handout import Section, handout_html
from dashboard.views import BY_ID, VIEWS
from dashboard.views.steps import step_link_params

from .kit import FIXTURE, HANDOUT, assert_clean, download, open_page, plain

TODAY = dt.date(2026, 1, 15)
VOID = {"meta", "br", "hr", "img", "link", "input", "col", "area", "base", "wbr", "source", "track", "embed"}
ALLOWED_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "h1",
    "h2",
    "p",
    "div",
    "span",
    "strong",
    "blockquote",
    "a",
}
ALLOWED_ATTRS = {"class", "title", "href", "lang", "charset", "name", "content"}
# Where each may stand: the handout's structure, not only its vocabulary.
INLINE = {"span", "strong", "a"}


class StrictHTML(HTMLParser):
    """Fails on what a browser would silently repair: unclosed, misnested or stray tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.doctype: str | None = None
        self.text_in: dict[str, list[str]] = {}  # tag -> texts of its elements, in order
        self._open_text: list[list[str]] = []
        self.first_tag: str | None = None

    def handle_decl(self, decl: str) -> None:
        assert self.first_tag is None, "the doctype comes first"
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.first_tag = self.first_tag or tag
        names = [a for a, _ in attrs]
        assert len(names) == len(set(names)), f"<{tag}> repeats an attribute: {names}"
        self.tags.append((tag, dict(attrs)))
        if tag in VOID:
            return
        if self.stack and self.stack[-1] in INLINE:
            assert tag in INLINE, f"block <{tag}> inside inline <{self.stack[-1]}>"
        if self.stack and self.stack[-1] == "p":
            assert tag in INLINE, f"<{tag}> inside <p>"
        self.stack.append(tag)
        self._open_text.append([])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in VOID, f"<{tag}/> is not a void element"
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        assert tag not in VOID, f"</{tag}> closes a void element"
        assert self.stack, f"</{tag}> closes nothing"
        assert self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1]}> (open: {self.stack})"
        self.stack.pop()
        text = "".join(self._open_text.pop())
        self.text_in.setdefault(tag, []).append(text)
        if self._open_text:
            self._open_text[-1].append(text)

    def handle_data(self, data: str) -> None:
        if self._open_text:
            self._open_text[-1].append(data)
        else:
            assert not data.strip(), f"text outside <html>: {data!r}"

    def close(self) -> None:
        super().close()
        assert not self.stack, f"unclosed: {self.stack}"


def strict_parse(document: str) -> StrictHTML:
    parser = StrictHTML()
    parser.feed(document)
    parser.close()
    assert parser.doctype is not None and parser.doctype.lower() == "doctype html"
    assert [t for t, _ in parser.tags[:3]] == ["html", "head", "meta"]
    assert parser.tags[0][1].get("lang"), "<html lang> says the language"
    assert parser.tags[2][1] == {"charset": "utf-8"}, "the charset is declared first in <head>"
    assert len(parser.text_in.get("title", [])) == 1 and parser.text_in["title"][0].strip()
    assert [t for t, _ in parser.tags].count("body") == 1
    assert parser.text_in.get("h1"), "the handout has a heading"
    return parser


def assert_allowlisted(parser: StrictHTML) -> None:
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, f"<{tag}> is not allowed"
        for name, value in attrs.items():
            assert name in ALLOWED_ATTRS, f"<{tag} {name}> is not allowed"
            if name == "href":
                assert value is not None and value.lower().startswith(("http://", "https://")), value


def html5_parse(document: str) -> None:
    """The WHATWG parser in strict mode: any parse error fails (needs html5lib, see the requirements)."""
    if importlib.util.find_spec("html5lib") is None:
        pytest.skip("html5lib is not installed (it belongs in requirements-test.txt)")
    import html5lib

    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(document)


def sections_of(bundle: Bundle, page: str, settings: dict[str, Any]) -> list[Section]:
    """The view's handout for the settings a link (or a presenter step) gives, read as the view reads them."""
    view = BY_ID[page]
    read, notices = view.from_link(bundle, settings)
    assert notices == [], notices
    return list(view.handout(bundle, read))


def make(bundle: Bundle, page: str, settings: dict, **kwargs: object) -> tuple[list[Section], str]:
    dataset = bundle.dataset
    sections = sections_of(bundle, page, settings)
    document = handout_html(
        title=kwargs.pop("title", "Handout"),
        subtitle=dataset.meta.title,
        sections=sections,
        articles=bundle.tables.articles,
        lexicon=dataset.lexicon,
        dataset_title=dataset.meta.title,
        licence=dataset.meta.licence,
        today=TODAY,
        **kwargs,
    )
    return sections, document


CASES = {
    "compare": ("compare", {"by": "actor", "subject": "alba", "outlets": "ledger,harbour"}),
    "compare-reversed": ("compare", {"by": "actor", "subject": "alba", "outlets": "harbour,ledger"}),
    "compare-event": ("compare", {"by": "event", "subject": "sanctions-2024", "outlets": "harbour"}),
    "positions-step": ("positions", {"actor": "ruiz", "issue": "step_aside", "asof": "2019-05"}),
    "timeline-step": ("timeline", {"event": "talks-2019"}),
}


def check_content(parser: StrictHTML, document: str, sections: list[Section], tables: Tables) -> None:
    """Every quote of every section in order, each article cited once per section, its URL a live link."""
    quotes = [q for s in sections for q in s.claims["quote"]]
    assert quotes, "the case has quotes"
    assert parser.text_in["blockquote"] == quotes
    assert parser.text_in["h2"] == [s.heading for s in sections]
    articles = tables.articles.set_index("article")
    links = [a.get("href") for t, a in parser.tags if t == "a"]
    cites = [c for c in parser.text_in["p"] if c.startswith("Source: ")]
    expected_cites = []
    for section in sections:
        for article_id in dict.fromkeys(section.claims["article"]):
            art = articles.loc[article_id]
            authors = art["authors"] if art["authors"] != "unknown" else "authors unknown"
            relation = f" ({art['relation']} of {art['reposts_outlet']})" if art["relation"] else ""
            where = art["url"] if art["url"].startswith("http") else "URL unknown"
            expected_cites.append(f"Source: {art['outlet_name']}{relation}, “{art['title']}”, {authors}. {where}")
            if art["url"].startswith("http"):
                assert art["url"] in links
                assert f'<a href="{html.escape(art["url"])}">{html.escape(art["url"])}</a>' in document
    assert cites == expected_cites
    for claim in (c for s in sections for c in s.claims.to_dict("records")):
        who = "Narration" if claim["voice"] == "narration" else f"{claim['speaker_name']} ({claim['kind']})"
        assert (
            f"{who} · {claim['outlet_name']}, {claim['article_date']} · claim {claim['claim']}" in parser.text_in["p"]
        )
    assert document.count('<div class="notes"></div>') == 2 * len(quotes), "two note lines per quote"


@pytest.mark.parametrize("case", CASES)
def test_handout_of_a_view_is_valid_and_complete(bundle: Bundle, case: str) -> None:
    page, settings = CASES[case]
    dataset = bundle.dataset
    prompt = next((p.text for p in dataset.prompts if p.page == page), None)
    sections, document = make(
        bundle,
        page,
        settings,
        title=f"A {case} handout",
        prompt=prompt,
        view_url="https://classroom.example.org/compare?by=actor&subject=alba",
    )
    parser = strict_parse(document)
    assert_allowlisted(parser)
    check_content(parser, document, sections, bundle.tables)
    assert parser.text_in["title"] == [f"A {case} handout"] == parser.text_in["h1"]
    assert f"Discuss: {prompt}" in parser.text_in["div"]
    assert 'href="https://classroom.example.org/compare?by=actor&amp;subject=alba"' in document
    assert f"printed {TODAY.isoformat()}" in parser.text_in["p"][-1]
    assert dataset.meta.licence in parser.text_in["p"][-1]


def test_an_article_without_an_address_is_cited_as_such(tmp_path: Path) -> None:
    path = tmp_path / "events.yaml"
    path.write_text(
        edit(TEXT, "    url: https://harbour.example.org/sanctions\n", "    url: unknown\n"), encoding="utf-8"
    )
    bundle = Bundle.build(load_dataset(path))
    sections, document = make(bundle, *CASES["compare-event"])
    parser = strict_parse(document)
    assert_allowlisted(parser)
    check_content(parser, document, sections, bundle.tables)
    assert any(c.endswith("URL unknown") for c in parser.text_in["p"]), "an article without a URL says so"
    assert "harbour.example.org/sanctions" not in document


@pytest.mark.parametrize("case", [*CASES, "hostile-compare", "hostile-positions-step"])
def test_handout_parses_as_html5_without_an_error(bundle: Bundle, hostile: Bundle, case: str) -> None:
    chosen = hostile if case.startswith("hostile-") else bundle
    page, settings = CASES[case.removeprefix("hostile-")]
    _, document = make(chosen, page, settings, title=f"Step {SCRIPT}", prompt=chosen.dataset.prompts[0].text)
    html5_parse(document)


@pytest.mark.parametrize("case", ["compare", "compare-reversed"])
def test_the_compare_handout_follows_the_view(bundle: Bundle, case: str) -> None:
    outlets = CASES[case][1]["outlets"].split(",")
    sections = sections_of(bundle, *CASES[case])
    names = bundle.names["outlet"]
    assert [s.heading for s in sections] == [names[o] for o in outlets], "in the order the link chose them"
    for section, outlet in zip(sections, outlets, strict=True):
        assert not section.claims.empty
        assert set(section.claims["outlet"]) == {outlet}
        assert all(
            "alba" in actors or speaker == "alba" for actors, speaker in section.claims[["actors", "speaker"]].values
        )


def test_the_positions_handout_is_the_stance_history(bundle: Bundle) -> None:
    tables = bundle.tables
    page, settings = CASES["positions-step"]
    sections = sections_of(bundle, page, settings)
    history = tables.positions[
        (tables.positions["actor"] == settings["actor"]) & (tables.positions["issue"] == settings["issue"])
    ]
    assert len(sections) == len(history) >= 2
    for section, row in zip(sections, history.sort_values("since").to_dict("records"), strict=True):
        assert section.heading == f"{row['stance_label']} ({row['period']})"
        assert list(section.claims["claim"]) == list(row["evidence"])


def test_the_timeline_handout_is_the_event_by_outlet(bundle: Bundle) -> None:
    page, settings = CASES["timeline-step"]
    sections = sections_of(bundle, page, settings)
    events = bundle.tables.events
    reported = events.loc[events["event"] == settings["event"], "outlets"].iloc[0]
    names = bundle.names["outlet"]
    assert [s.heading for s in sections] == [names[o] for o in reported]
    claims = bundle.tables.claims
    first_claimed = list(dict.fromkeys(claims.loc[claims["events"].map(lambda e: settings["event"] in e), "outlet"]))
    assert first_claimed != list(reported), "the fixture lists claims in another order than the event's outlets"
    for section, outlet in zip(sections, reported, strict=True):
        assert set(section.claims["outlet"]) == {outlet}
        assert all(settings["event"] in e for e in section.claims["events"])


def test_every_step_of_every_path_has_something_to_hand_out(bundle: Bundle) -> None:
    for path in bundle.dataset.paths:
        for i, step in enumerate(path.steps):
            sections = sections_of(bundle, step.page, dict(step.settings))
            assert sections, f"{path.id} step {i + 1} ({step.page}) has no handout"
            assert any(not s.claims.empty or s.kind == "sources" for s in sections), f"{path.id} step {i + 1}"


def test_a_view_without_a_build_hands_out_its_sources(bundle: Bundle) -> None:
    _, document = make(bundle, "overview", {}, view_url="javascript:alert(1)")
    parser = strict_parse(document)
    assert_allowlisted(parser)
    cites = [c for c in parser.text_in["p"] if c.startswith("Source: ")]
    assert len(cites) == len(bundle.tables.articles)
    for title in bundle.tables.articles["title"]:
        assert any(f"“{title}”" in c for c in cites), title
    assert document.count('<div class="notes"></div>') == len(bundle.tables.articles)
    assert "javascript" not in document and "View online" not in document


def test_the_quiz_handout_is_the_quiz_on_paper_with_the_answers_last(bundle: Bundle) -> None:
    quiz = BY_ID["quiz"]
    settings, _ = quiz.from_link(bundle, {"seed": "7"})
    questions = quiz.build(bundle, settings).questions
    assert questions, "the fixture has quiz questions"
    _, document = make(bundle, "quiz", {"seed": "7"})
    parser = strict_parse(document)
    assert_allowlisted(parser)
    body, _, answers = document.partition('<h2 class="answers">Answers</h2>')
    assert answers, "the answers come after the questions"
    names = bundle.names["outlet"]
    for q in questions:
        assert f"<strong>{q.number}.</strong> {html.escape(q.excerpt, quote=False)}" in body or (
            f"<strong>{q.number}.</strong> {html.escape(q.excerpt)}" in body
        )
        assert f"{q.number}. {html.escape(names[q.outlet])}" in answers
    # The outlets to choose from are printed once, above the questions, as the page offers them.
    choices = '<p class="choices"><strong>Choose from:</strong> ' + " · ".join(
        html.escape(names[o], quote=False) for o in bundle.outlets_with_text
    )
    assert body.count(choices + "</p>") == 1 and body.index(choices) < body.index("<strong>1.</strong>")
    # Before the answers, nothing else names an outlet: no citation, no outlet's name by a question.
    assert "Source: " not in body
    rest = body.split("</h1>", 1)[1].replace(bundle.dataset.meta.title, "").replace(choices, "")
    for name in names.values():
        assert html.escape(name) not in rest, name


# -- the handout prints what the page shows ------------------------------------------------------------
HEADING = re.compile(r'^(?:<span style="color:#[0-9A-Fa-f]{6}" aria-hidden="true">●</span> )?<strong>(.*)</strong>$')
STANCE = re.compile(r"^\*\*\S+ (.+)\*\* · (.+?) · ")
CLAIM = re.compile(r"claim ([A-Za-z0-9_.-]+)</span></blockquote>")


def shown_sections(at, page: str) -> list[tuple[str, list[str]]]:
    """What the page draws below its controls, in its order: each heading with the claims shown under it."""
    out: list[tuple[str, list[str]]] = []

    def walk(node: Any) -> None:
        for child in getattr(node, "children", {}).values():
            if hasattr(child, "children") and not hasattr(child, "value"):
                walk(child)
                continue
            if child.type != "markdown":
                continue
            value = str(child.value)
            if page == "positions":
                if m := STANCE.match(value):
                    out.append((f"{plain(m[1])} ({plain(m[2])})", []))
            elif m := HEADING.match(value):
                out.append((html.unescape(m[1]), []))
            if 'class="nt-quote"' in value and out:
                out[-1][1].extend(CLAIM.findall(value))

    walk(at.main)
    return out


@pytest.mark.parametrize("case", CASES)
def test_the_handout_of_each_view_is_what_its_page_shows(bundle: Bundle, case: str) -> None:
    page, settings = CASES[case]
    at = open_page(page, settings)
    assert_clean(at)
    if page == "compare":  # the page shows the most telling excerpts first; the handout prints them all
        at.toggle(key=BY_ID["compare"].key("all_excerpts")).set_value(True).run()
    shown = shown_sections(at, page)
    printed = [(s.heading, list(s.claims["claim"])) for s in sections_of(bundle, page, settings)]
    assert printed and any(claims for _, claims in printed)
    assert shown == printed


def test_every_view_with_quotes_has_a_case() -> None:
    with_quotes = {v.id for v in VIEWS if v.builds and v.id != "quiz"}  # a quiz handout would give answers away
    assert {page for page, _ in CASES.values()} == with_quotes


# -- nothing from the data becomes markup ------------------------------------------------------------
SCRIPT = "<script>alert(1)</script>"
ATTR = '" onmouseover="x'
TEXT = FIXTURE.read_text(encoding="utf-8")
INJECTIONS = [
    # (in the classroom fixture, replace, with)
    (
        "the disputed election.\n",
        f"the disputed election. {SCRIPT} and {ATTR}\n",
    ),
    ("    headline: Envoys sent to the talks\n", f"    headline: '<img src=x onerror=alert(2)> & {SCRIPT} {ATTR}'\n"),
    ("    name: The Daily Ledger\n", '    name: The Daily <b onclick="x">Ledger</b>\n'),
    ("{id: ruiz, name: Dana Ruiz,", """{id: ruiz, name: 'Dana <i onmouseover="x">Ruiz</i>',"""),
    ("    quote: Alba must step aside first;", '    quote: Alba <em title="x">must</em> step aside first;'),
    ("  title: Classroom test story\n", '  title: "Story </title><script>alert(4)</script>"\n'),
    ("and which words show it?\n", f"and which words show it? {SCRIPT} {ATTR}\n"),
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    text = TEXT
    for old, new in INJECTIONS:
        text = edit(text, old, new)
    path: Path = tmp_path_factory.mktemp("hostile") / "events.yaml"
    path.write_text(text, encoding="utf-8")
    dataset = load_dataset(path)  # markup in quotes is valid data: quotes are checked verbatim only with sources
    return Bundle.build(dataset)


@pytest.mark.parametrize("case", ["compare", "positions-step"])
def test_nothing_from_the_data_becomes_markup(hostile: Bundle, case: str) -> None:
    dataset = hostile.dataset
    page, settings = CASES[case]
    prompt = next(p.text for p in dataset.prompts if p.id == "step-aside")
    sections, document = make(hostile, page, settings, title=f"Step {SCRIPT}", prompt=prompt)
    parser = strict_parse(document)
    assert_allowlisted(parser)
    check_content(parser, document, sections, hostile.tables)

    # The injected text is all there, as text, and only in its escaped form.
    text = " ".join(" ".join(v) for v in parser.text_in.values())
    raw = document.lower()
    for marker in ("<script", "</script", "<img", "<b ", "<i ", "<em"):
        assert marker not in raw, marker
    assert raw.count("</title>") == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert SCRIPT in text and "Discuss:" in text
    assert f"Step {SCRIPT}" in parser.text_in["title"]
    assert "Story </title><script>alert(4)</script>" in parser.text_in["p"][0]  # the subtitle
    if case == "compare":
        assert "&quot; onmouseover=&quot;x" in document
        assert 'The Daily <b onclick="x">Ledger</b>' in parser.text_in["h2"]
        assert any(f"{SCRIPT} and {ATTR}" in q for q in parser.text_in["blockquote"])
        assert any(
            c.startswith(f'Source: The Daily <b onclick="x">Ledger</b>, “<img src=x onerror=alert(2)> & {SCRIPT}')
            for c in parser.text_in["p"]
        )
    else:
        assert any('Dana <i onmouseover="x">Ruiz</i> (direct)' in p for p in parser.text_in["p"])
        assert any('<em title="x">must</em>' in q for q in parser.text_in["blockquote"])


def test_a_link_is_live_only_for_http(bundle: Bundle) -> None:
    for bad in ("javascript:alert(1)", "data:text/html,<script>x</script>", "//evil.example", "ftp://x.example/a"):
        _, document = make(bundle, *CASES["compare"], view_url=bad)
        assert_allowlisted(strict_parse(document))
        assert "View online" not in document
    _, document = make(bundle, *CASES["compare"], view_url='https://x.example/"><script>')
    assert "View online" not in document and "<script" not in document


GOOD = (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>T</title></head>'
    "<body><h1>T</h1><p>x</p></body></html>"
)


@pytest.mark.parametrize(
    "broken",
    [
        GOOD.replace("<p>x</p>", "<p>x"),  # unclosed
        GOOD.replace("<p>x</p>", "<p><strong>x</p></strong>"),  # misnested
        GOOD.replace("<p>x</p>", "<p>x</p></div>"),  # closes nothing
        GOOD.replace("<p>x</p>", "<p><div>x</div></p>"),  # a block in a paragraph
        GOOD.replace("<!DOCTYPE html>\n", ""),
        GOOD.replace(' lang="en"', ""),
        GOOD.replace('<meta charset="utf-8">', ""),
        GOOD.replace("<title>T</title>", ""),
        GOOD.replace("<p>x</p>", '<p class="a" class="b">x</p>'),
    ],
)
def test_the_strict_checker_catches_broken_html(broken: str) -> None:
    strict_parse(GOOD)
    with pytest.raises(AssertionError):
        strict_parse(broken)


@pytest.mark.parametrize(
    "unsafe",
    ["<script>x</script>", '<a href="javascript:x">x</a>', '<span onmouseover="x">x</span>', '<img src="x">'],
)
def test_the_allowlist_catches_markup(unsafe: str) -> None:
    with pytest.raises(AssertionError):
        assert_allowlisted(strict_parse(GOOD.replace("<p>x</p>", f"<p>{unsafe}</p>")))


def test_html5lib_catches_broken_html() -> None:
    with pytest.raises(Exception, match=r"."):
        html5_parse(GOOD.replace("<p>x</p>", "<p><strong>x</p></strong>"))


def step_of(bundle: Bundle, page: str) -> dict[str, Any]:
    """The link of the fixture path's first step on ``page`` with quotes to hand out."""
    path = bundle.dataset.paths[0]
    i = next(i for i, s in enumerate(path.steps) if s.page == page and sections_of(bundle, page, s.settings))
    return step_link_params(path, i)


@pytest.mark.parametrize("page", ["compare", "timeline", "positions"])
def test_the_handout_button_writes_the_views_handout(bundle: Bundle, downloads: dict, page: str) -> None:
    """Clicking the button writes the document from the view's own sections (a step's, for a step)."""
    params = dict(CASES["compare"][1]) if page == "compare" else step_of(bundle, page)
    at = open_page(page, params)
    assert_clean(at)
    document = download(at, downloads, HANDOUT).decode("utf-8")
    own = {k: v for k, v in params.items() if k not in ("path", "step")}
    sections = sections_of(bundle, page, own)
    parser = strict_parse(document)
    assert_allowlisted(parser)
    check_content(parser, document, sections, bundle.tables)
