"""Printable handouts: a valid, self-contained HTML page with every quote, its citation and nothing unescaped."""

from __future__ import annotations

import datetime as dt
import html
import importlib.util
from html.parser import HTMLParser
from pathlib import Path

import pytest
from dataset_helpers import edit

from dashboard.dataset import Dataset, load_dataset
from dashboard.frames import Tables, build_tables
from dashboard.handout import Section, handout_html, sections_for_view

from .kit import DATA

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


def make(dataset: Dataset, tables: Tables, page: str, settings: dict, **kwargs: object) -> tuple[list[Section], str]:
    sections = sections_for_view(tables, page, settings)
    document = handout_html(
        title=kwargs.pop("title", "Handout"),
        subtitle=dataset.meta.title,
        sections=sections,
        articles=tables.articles,
        lexicon=dataset.lexicon,
        dataset_title=dataset.meta.title,
        licence=dataset.meta.licence,
        today=TODAY,
        **kwargs,
    )
    return sections, document


CASES = {
    "compare": ("compare", {"by": "actor", "subject": "maduro", "outlets": ["breitbart", "wlrn"]}),
    "compare-unlinked": (
        "compare",
        {"by": "event", "subject": "amnesty-offer-2024", "outlets": ["as_coa", "aggregator"]},
    ),
    "positions-step": ("positions", {"actor": "opposition", "issue": "step_down_first", "asof": "2019-05"}),
    "timeline-step": ("timeline", {"event": "oslo-talks-2019"}),
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
def test_handout_of_a_view_is_valid_and_complete(real_dataset: Dataset, tables: Tables, case: str) -> None:
    page, settings = CASES[case]
    prompt = next((p.text for p in real_dataset.prompts if p.page == page), None)
    sections, document = make(
        real_dataset,
        tables,
        page,
        settings,
        title=f"A {case} handout",
        prompt=prompt,
        view_url="https://classroom.example.org/compare?by=actor&subject=maduro",
    )
    parser = strict_parse(document)
    assert_allowlisted(parser)
    check_content(parser, document, sections, tables)
    assert parser.text_in["title"] == [f"A {case} handout"] == parser.text_in["h1"]
    assert f"Discuss: {prompt}" in parser.text_in["div"]
    assert 'href="https://classroom.example.org/compare?by=actor&amp;subject=maduro"' in document
    assert f"printed {TODAY.isoformat()}" in parser.text_in["p"][-1]
    assert real_dataset.meta.licence in parser.text_in["p"][-1]
    if case == "compare-unlinked":
        assert any(c.endswith("URL unknown") for c in parser.text_in["p"]), "an article without a URL says so"


@pytest.mark.parametrize("case", [*CASES, "hostile-compare", "hostile-positions-step"])
def test_handout_parses_as_html5_without_an_error(
    real_dataset: Dataset, tables: Tables, hostile: tuple[Dataset, Tables], case: str
) -> None:
    dataset, frames = hostile if case.startswith("hostile-") else (real_dataset, tables)
    page, settings = CASES[case.removeprefix("hostile-")]
    _, document = make(dataset, frames, page, settings, title=f"Step {SCRIPT}", prompt=dataset.prompts[0].text)
    html5_parse(document)


def test_the_compare_handout_follows_the_view(tables: Tables) -> None:
    sections = sections_for_view(tables, "compare", CASES["compare"][1])
    assert [s.heading for s in sections] == ["Breitbart News", "WLRN"]
    for section, outlet in zip(sections, ["breitbart", "wlrn"], strict=True):
        assert set(section.claims["outlet"]) == {outlet}
        assert all("maduro" in actors for actors in section.claims["actors"])


def test_the_positions_handout_is_the_stance_history(tables: Tables) -> None:
    sections = sections_for_view(tables, "positions", CASES["positions-step"][1])
    history = tables.positions[
        (tables.positions["actor"] == "opposition") & (tables.positions["issue"] == "step_down_first")
    ]
    assert len(sections) == len(history) >= 2
    for section, row in zip(sections, history.sort_values("since").to_dict("records"), strict=True):
        assert section.heading == f"{row['stance_label']} ({row['period']})"
        assert list(section.claims["claim"]) == list(row["evidence"])


def test_a_view_with_nothing_to_hand_out(real_dataset: Dataset, tables: Tables) -> None:
    for page, settings in [
        ("compare", {}),
        ("positions", {"actor": "opposition"}),
        ("quiz", {"seed": 1}),
        ("overview", {}),
    ]:
        assert sections_for_view(tables, page, settings) == []
    _, document = make(real_dataset, tables, "overview", {}, view_url="javascript:alert(1)")
    parser = strict_parse(document)
    assert_allowlisted(parser)
    assert "No quotes in this view." in parser.text_in["p"]
    assert "javascript" not in document and "View online" not in document


# -- nothing from the data becomes markup ------------------------------------------------------------
SCRIPT = "<script>alert(1)</script>"
ATTR = '" onmouseover="x'
INJECTIONS = [
    # (in data/events.yaml, replace, with)
    (
        "    socialist dictator Nicolás Maduro.\n",
        f"    socialist dictator Nicolás Maduro. {SCRIPT} and {ATTR}\n",
    ),
    (
        "    headline: Antony Blinken Uses Latin America Tour to Pressure Venezuelans into Talks with Socialist "
        "Dictator Maduro\n",
        f"    headline: '<img src=x onerror=alert(2)> & {SCRIPT} {ATTR}'\n",
    ),
    ("    name: Breitbart News\n", '    name: Breitbart <b onclick="x">News</b>\n'),
    ("    name: Juan Guaidó\n", '    name: Juan <i onmouseover="x">Guaidó</i>\n'),
    (
        "and free elections. Truly\n    free elections.'",
        'and free elections. <em title="x">Truly</em>\n    free elections.\'',
    ),
    (
        '  title: "Venezuela at the negotiating table, 2019–2024"\n',
        '  title: "Venezuela </title><script>alert(4)</script>"\n',
    ),
    (
        '      new elections?", and which words in the quotes show the change?\n',
        f'      new elections?", and which words in the quotes show the change? {SCRIPT} {ATTR}\n',
    ),
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Dataset, Tables]:
    text = DATA.read_text(encoding="utf-8")
    for old, new in INJECTIONS:
        text = edit(text, old, new)
    path: Path = tmp_path_factory.mktemp("hostile") / "events.yaml"
    path.write_text(text, encoding="utf-8")
    dataset = load_dataset(path)  # markup in quotes is valid data: quotes are checked verbatim only with sources
    return dataset, build_tables(dataset)


@pytest.mark.parametrize("case", ["compare", "positions-step"])
def test_nothing_from_the_data_becomes_markup(hostile: tuple[Dataset, Tables], case: str) -> None:
    dataset, tables = hostile
    page, settings = CASES[case]
    prompt = next(p.text for p in dataset.prompts if p.id == "step-down-first")
    sections, document = make(dataset, tables, page, settings, title=f"Step {SCRIPT}", prompt=prompt)
    parser = strict_parse(document)
    assert_allowlisted(parser)
    check_content(parser, document, sections, tables)

    # The injected text is all there, as text, and only in its escaped form.
    text = " ".join(" ".join(v) for v in parser.text_in.values())
    raw = document.lower()
    for marker in ("<script", "</script", "<img", "<b ", "<i ", "<em"):
        assert marker not in raw, marker
    assert raw.count("</title>") == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert SCRIPT in text and "Discuss:" in text
    assert f"Step {SCRIPT}" in parser.text_in["title"]
    assert "Venezuela </title><script>alert(4)</script>" in parser.text_in["p"][0]  # the subtitle
    if case == "compare":
        assert "&quot; onmouseover=&quot;x" in document
        assert 'Breitbart <b onclick="x">News</b>' in parser.text_in["h2"]
        assert any(f"{SCRIPT} and {ATTR}" in q for q in parser.text_in["blockquote"])
        assert any(
            c.startswith(f'Source: Breitbart <b onclick="x">News</b>, “<img src=x onerror=alert(2)> & {SCRIPT}')
            for c in parser.text_in["p"]
        )
    else:
        assert any('Juan <i onmouseover="x">Guaidó</i> (direct)' in p for p in parser.text_in["p"])
        assert any('<em title="x">Truly</em>' in q for q in parser.text_in["blockquote"])


def test_a_link_is_live_only_for_http(real_dataset: Dataset, tables: Tables) -> None:
    for bad in ("javascript:alert(1)", "data:text/html,<script>x</script>", "//evil.example", "ftp://x.example/a"):
        _, document = make(real_dataset, tables, *CASES["compare"], view_url=bad)
        assert_allowlisted(strict_parse(document))
        assert "View online" not in document
    _, document = make(real_dataset, tables, *CASES["compare"], view_url='https://x.example/"><script>')
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
