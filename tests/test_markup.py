"""The pure HTML and markdown helpers (dashboard/markup): highlighting, excerpts and escaping."""

from __future__ import annotations

import html
from html.parser import HTMLParser
from typing import Any

import pytest

from dashboard.data.text import Lexicon
from dashboard.markup.highlight import excerpt_html, highlight_html
from dashboard.markup.safe import html_text, http_url, md, md_html_text, md_link


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
