"""Reading articles: the facts each kind of file gives, and every kind of bad input refused with a clear message."""

from __future__ import annotations

import io
import re
import struct
import zipfile

import docx
import pytest

from dashboard.build.extract import MAX_TEXT_CHARS, BuildInputError, read_article, read_pasted

TXT = b"""Council votes to sell the old harbour
By A. Reporter
March 2, 2024

The town council voted on Friday to sell the old harbour.
"""


def test_a_txt_gives_headline_author_and_date_from_its_first_lines() -> None:
    source = read_article("gazette.txt", TXT)
    assert source.headline == "Council votes to sell the old harbour"
    assert source.author == "A. Reporter"
    assert source.date == "2024-03-02"
    assert source.found == {"headline", "author", "date"}
    assert source.text == "The town council voted on Friday to sell the old harbour."
    assert source.headline_in_text


@pytest.mark.parametrize(
    ("first", "headline"),
    [
        ("The council voted on Friday to sell the old harbour.", None),  # ends like a sentence: body text
        ("Share", None),  # one word: page furniture, not a headline
        ("Harbour sale approved after long debate", "Harbour sale approved after long debate"),
    ],
)
def test_the_first_line_is_a_headline_only_when_it_reads_like_one(first: str, headline: str | None) -> None:
    source = read_pasted(f"{first}\nResidents objected to the sale at the hearing.")
    assert source.headline == headline
    assert ("headline" in source.found) == (headline is not None)


@pytest.mark.parametrize(("line", "iso"), [("2024-03", "2024-03"), ("2 March 2024", "2024-03-02"), ("2024", "2024")])
def test_a_date_line_keeps_the_precision_it_gives(line: str, iso: str) -> None:
    assert read_pasted(f"{line}\nThe council met.").date == iso


def test_a_pasted_text_with_no_facts_has_none_found() -> None:
    source = read_pasted("The council met. It voted.")
    assert source.found == set() and source.headline is None and source.date is None


HTML = b"""<!doctype html><html lang="en"><head><title>Harbour sold | The Gazette</title>
<meta property="og:title" content="Council sells the old harbour">
<meta name="author" content="Jane Roe"><meta property="og:site_name" content="The Gazette">
<meta property="og:url" content="https://gazette.example.org/harbour">
<meta property="article:published_time" content="2024-03-02T10:00:00Z">
<script>document.write('<b>injected</b>'); alert("x")</script><style>p{color:red}</style></head>
<body><nav>Home | News | Sport</nav><article><h1>Council sells the old harbour</h1>
<p>The town council voted on Friday to sell the old harbour after a long and heated public hearing.</p>
<script>steal(document.cookie)</script>
<p>&ldquo;The sale pays for the new school,&rdquo; Mayor Anna Lind said. <b>Residents</b> objected.</p>
</article><footer>Subscribe</footer></body></html>"""


def test_html_gives_main_text_and_metadata_and_never_markup_or_scripts() -> None:
    source = read_article("page.html", HTML)
    assert source.headline == "Council sells the old harbour"
    assert source.author == "Jane Roe"
    assert source.site_name == "The Gazette"
    assert source.date == "2024-03-02"
    assert source.url == "https://gazette.example.org/harbour"
    assert source.language == "en"
    assert {"headline", "author", "site_name", "date", "url", "language"} <= source.found
    assert "voted on Friday to sell the old harbour" in source.text
    assert "“The sale pays for the new school,” Mayor Anna Lind said." in source.text
    for banned in ("<", ">", "alert", "steal", "cookie", "color:red", "injected"):
        assert banned not in source.text, banned


@pytest.mark.parametrize(
    "hostile",
    [
        b"<noscript><img src=x onerror=alert(1)></noscript><textarea><script>alert(2)</script></textarea>",
        b"<svg onload=alert(3)><script>alert(4)</script></svg><iframe srcdoc='<script>x</script>'></iframe>",
        b"<p>&lt;script&gt;alert(5)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt;</p>",  # markup written as entities
        b"<!-- <script>alert(6)</script> --><![CDATA[<b>x</b>]]>",
    ],
)
def test_no_markup_of_an_html_page_reaches_the_text_or_its_facts(hostile: bytes) -> None:
    page = (
        b"<html><head><title>&lt;i&gt;Harbour&lt;/i&gt; sold</title></head><body><article>"
        b"<p>The town council voted on Friday to sell the old harbour after a long and heated hearing.</p>"
        + hostile
        + b"</article></body></html>"
    )
    source = read_article("page.html", page)
    assert "voted on Friday to sell the old harbour" in source.text
    for value in (source.text, source.headline or "", source.author or ""):
        assert not re.search(r"<[A-Za-z/!]", value), value
    assert source.headline == "Harbour sold"


def test_an_html_fragment_is_read_as_a_page() -> None:
    source = read_article("f.html", b"<p>The council voted on Friday to sell the old harbour after a long debate.</p>")
    assert source.text == "The council voted on Friday to sell the old harbour after a long debate."


def test_html_that_is_only_scripts_has_no_text() -> None:
    page = b"<html><head><script>alert(1)</script></head><body><script>evil()</script><style>b{}</style></body></html>"
    with pytest.raises(BuildInputError, match=r"^page\.html: no article text found"):
        read_article("page.html", page)


def _docx(paragraphs: list[str], title: str = "", author: str = "") -> bytes:
    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    document.core_properties.title = title
    document.core_properties.author = author
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_docx_gives_its_paragraphs_and_properties() -> None:
    data = _docx(
        ["The council voted on Friday.", "“It is done,” Anna Lind said."], title="Harbour sold", author="Jo Roe"
    )
    source = read_article("story.docx", data)
    assert source.text == "The council voted on Friday.\n“It is done,” Anna Lind said."
    assert (source.headline, source.author) == ("Harbour sold", "Jo Roe")
    assert {"headline", "author"} <= source.found


def test_a_docx_that_is_not_a_zip_is_refused() -> None:
    with pytest.raises(BuildInputError, match=r"^story\.docx: not a Word \(\.docx\) file: it is not a zip archive"):
        read_article("story.docx", b"PK\x03\x04 but not really a zip " * 10)


def test_a_docx_zip_bomb_is_refused_before_it_is_inflated() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (8 * 1024 * 1024))  # 8 MB of zeros: about 8 KB packed
    with pytest.raises(BuildInputError, match=r"would inflate \d[\d,]* times .*zip bomb"):
        read_article("bomb.docx", out.getvalue())


def _lying(docx_bytes: bytes, member: str, declared: int) -> bytes:
    """``docx_bytes`` with ``member``'s uncompressed size written as ``declared`` in both of its headers."""
    archive = zipfile.ZipFile(io.BytesIO(docx_bytes))
    real = archive.getinfo(member).file_size
    data = bytearray(docx_bytes)
    for magic, field in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local header, central directory
        pos = 0
        while (pos := data.find(magic, pos)) >= 0:
            if struct.unpack_from("<I", data, pos + field)[0] == real:
                struct.pack_into("<I", data, pos + field, declared)
            pos += 4
    return bytes(data)


def test_a_zip_bomb_that_lies_about_its_sizes_is_refused_without_inflating_it() -> None:
    text = "The council voted. " * 200_000  # 3.8 MB of text that packs to a few KB
    bomb = _lying(_docx([text]), "word/document.xml", 2_000)
    assert zipfile.ZipFile(io.BytesIO(bomb)).getinfo("word/document.xml").file_size == 2_000
    with pytest.raises(BuildInputError, match=r"^bomb\.docx: member word/document\.xml does not inflate to the 2,000"):
        read_article("bomb.docx", bomb)


def test_a_zip_that_is_no_word_document_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "hello")
    with pytest.raises(BuildInputError, match="not a Word document"):
        read_article("other.docx", out.getvalue())


def test_bytes_that_are_not_utf8_are_refused_at_their_offset() -> None:
    data = "The café opened.\nIt was full.".encode("latin-1")
    with pytest.raises(BuildInputError, match=r"^old\.txt: byte 7 \(line 1\) is not UTF-8"):
        read_article("old.txt", data)


@pytest.mark.parametrize("data", [b"", b"   \n\n  "])
def test_an_empty_file_is_refused(data: bytes) -> None:
    with pytest.raises(BuildInputError, match=r"^empty\.txt: the file is empty"):
        read_article("empty.txt", data)


def test_an_empty_paste_is_refused() -> None:
    with pytest.raises(BuildInputError, match="no article text found"):
        read_pasted("  \n ")


def test_a_text_of_two_megabytes_is_refused() -> None:
    big = ("The council met again today. " * 70_000).encode()  # about 2 MB
    assert len(big) > 2_000_000
    with pytest.raises(BuildInputError, match=rf"the text is [\d,]+ characters; the limit is {MAX_TEXT_CHARS:,}"):
        read_article("big.txt", big)
    with pytest.raises(BuildInputError, match=r"^pasted text: "):
        read_pasted(big.decode())


def test_a_file_over_the_upload_limit_is_refused_unread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NT_UPLOAD_MAX_MB", "0.5")
    with pytest.raises(BuildInputError, match=r"^big\.html: the file is [\d,]+ bytes; the limit is 524,288"):
        read_article("big.html", b"<p>x</p>" * 100_000)


def test_an_unknown_kind_of_file_is_refused() -> None:
    with pytest.raises(BuildInputError, match=r"^notes\.pdf: a \.pdf cannot be read; use \.txt, \.html or \.docx"):
        read_article("notes.pdf", b"%PDF-1.4")


def test_no_message_carries_a_traceback() -> None:
    for name, data in (("a.docx", b"junk"), ("a.txt", b"\xff\xfe"), ("a.html", b"<script>x</script>")):
        with pytest.raises(BuildInputError) as err:
            read_article(name, data)
        assert "Traceback" not in str(err.value) and str(err.value).startswith(name + ": ")


def test_a_nul_byte_in_a_text_file_is_refused_at_its_offset() -> None:
    with pytest.raises(BuildInputError) as caught:
        read_article("notes.txt", b"Headline\n\nSome\x00text")
    assert str(caught.value) == "notes.txt: character 14 is a NUL byte; this is not a text file"


def test_a_zip_of_thousands_of_members_is_refused_before_any_is_read() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for i in range(2_001):
            archive.writestr(f"m{i}", b"")
    with pytest.raises(BuildInputError) as caught:
        read_article("many.docx", out.getvalue())
    assert str(caught.value) == "many.docx: the archive has 2,001 members; a .docx has a few dozen"


def test_a_word_document_whose_xml_is_broken_is_refused_plainly() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", b"<w:document")
    with pytest.raises(BuildInputError, match=r"^broken\.docx: the Word document could not be read \(\w+\)$"):
        read_article("broken.docx", out.getvalue())
