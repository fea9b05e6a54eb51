"""Reading an article: plain text and its facts (headline, author, date, URL, site, language) from a file.

Every reader returns a ``SourceText`` whose ``text`` is plain text, never markup, and whose
``found`` names the facts read from the file itself (the rest are None: not known, never
guessed). Bad input raises ``BuildInputError`` with a message that says what is wrong and
where (a byte offset, a line), never a traceback. The file size limit is the uploads' own
(``dashboard/uploads/limits.py``); the text itself may not pass ``MAX_TEXT_CHARS``.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

from pydantic import BaseModel, Field

from dashboard.uploads.limits import current as upload_limits

# A long feature is 10,000 words (about 60,000 characters); a text past this is not one article.
MAX_TEXT_CHARS = 200_000
# A .docx is a zip: what its members may inflate to, in total, and how much each may grow.
DOCX_MAX_INFLATED = 50 * 1024 * 1024
DOCX_MAX_RATIO = 100
DOCX_MAX_MEMBERS = 2_000
SUFFIXES = (".txt", ".html", ".htm", ".docx")
FACTS = ("headline", "author", "date", "url", "site_name", "language")


class BuildInputError(ValueError):
    """An article that cannot be read; the message says what and where."""


class SourceText(BaseModel):
    """One article's plain text and the facts read from its file (None: not found there)."""

    text: str
    headline: str | None = None
    author: str | None = None
    date: str | None = None  # partial ISO: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'
    url: str | None = None
    site_name: str | None = None
    language: str | None = None
    found: set[str] = Field(default_factory=set)  # which of FACTS were read from the file
    filename: str | None = None
    headline_in_text: bool = False  # the headline is the text's own first line (so it is coded, as narration)


def read_article(filename: str, data: bytes) -> SourceText:
    """The article in ``data``, read by the kind its ``filename`` ends with (.txt, .html/.htm, .docx)."""
    name = PurePath(filename).name or "article"
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUFFIXES:
        what = suffix or "file without an ending"
        raise BuildInputError(f"{name}: a {what} cannot be read; use .txt, .html or .docx")
    limit = upload_limits().max_bytes
    if len(data) > limit:
        raise BuildInputError(f"{name}: the file is {len(data):,} bytes; the limit is {limit:,}")
    if not data.strip():
        raise BuildInputError(f"{name}: the file is empty")
    if suffix == ".docx":
        source = _read_docx(name, data)
    elif suffix in (".html", ".htm"):
        source = _read_html(name, _decode(name, data))
    else:
        source = _read_txt(name, _decode(name, data))
    return _checked(name, source.model_copy(update={"filename": name}))


def read_pasted(text: str) -> SourceText:
    """Pasted text, read like a .txt file (its first lines may give headline, author and date)."""
    if len(text) > MAX_TEXT_CHARS:
        raise BuildInputError(f"pasted text: {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}")
    return _checked("pasted text", _read_txt("pasted text", plain(text)))


# Control characters (but line breaks and tabs) and the byte-order mark are no part of an article's words,
# and a story file may not hold them: they are dropped; other line separators become line breaks.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff]")
_LINE_SEPARATORS = re.compile(r"[\r\u2028\u2029\x85]")


def plain(text: str) -> str:
    """``text`` without control characters, its line separators made line breaks."""
    return _CONTROL.sub("", _LINE_SEPARATORS.sub("\n", text.replace("\r\n", "\n")))


def _checked(name: str, source: SourceText) -> SourceText:
    values = {k: plain(v).strip() or None for k in FACTS if isinstance(v := getattr(source, k), str)}
    source = source.model_copy(update=values)
    text = plain(source.text).strip()
    if not text:
        raise BuildInputError(f"{name}: no article text found")
    if len(text) > MAX_TEXT_CHARS:
        raise BuildInputError(f"{name}: the text is {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}")
    return source.model_copy(update={"text": text})


def _decode(name: str, data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise BuildInputError(
            f"{name}: byte {err.start:,} (line {line}) is not UTF-8 ({data[err.start : err.start + 1]!r}); "
            "save the file as UTF-8 text"
        ) from None
    if "\x00" in text:
        at = text.index("\x00")
        raise BuildInputError(f"{name}: character {at:,} is a NUL byte; this is not a text file")
    return plain(text)


# -- .txt -----------------------------------------------------------------------------------------
_BY = re.compile(r"^\s*by\s+(?P<who>\S.{0,120}?)\s*$", re.IGNORECASE)
_ISO = re.compile(r"^\s*(?:date[:\s]\s*)?(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\s*$", re.IGNORECASE)
_HEADER_LINES = 4  # headline, "By AUTHOR" and a date stand in the first few lines, if anywhere
_MAX_HEADLINE = 200


def _read_txt(name: str, text: str) -> SourceText:
    """A text whose first lines may be a headline, a "By AUTHOR" line and a date line, in any order.

    The rule: among the first non-empty lines, a line "By NAME" gives the author, a line that is
    only a date gives the date, and the first line is the headline when it is short and does
    not end like a sentence (. ! ? or a closing quotation mark) and more text follows. The body
    starts at the first line that is none of these. A headline has three words or more.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    found: dict[str, str] = {}
    body_start = 0
    seen = 0
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if seen >= _HEADER_LINES:
            break
        seen += 1
        if "author" not in found and (m := _BY.match(stripped)):
            found["author"] = m.group("who")
        elif "date" not in found and (date := parse_date_line(stripped)):
            found["date"] = date
        elif (
            seen == 1
            and len(stripped) <= _MAX_HEADLINE
            and len(stripped.split()) >= 3  # "Share", "Menu": a page's furniture, not a headline
            and not re.search(r"[.!?…\"”’:;,]$", stripped)
            and any(rest.strip() for rest in lines[i + 1 :])
        ):
            found["headline"] = stripped
        else:
            break
        body_start = i + 1
    body = "\n".join(lines[body_start:]).strip()
    return SourceText(text=body, found=set(found), headline_in_text="headline" in found, **found)


def parse_date_line(line: str) -> str | None:
    """The partial ISO date a line consists of ("2024-03-02", "March 2, 2024", "2 March 2024"), or None."""
    if m := _ISO.match(line):
        year, month, day = m.groups()
        if month and not 1 <= int(month) <= 12:
            return None
        return "-".join(p for p in (year, month, day) if p)
    if len(line) > 40 or not re.search(r"\d{4}", line) or re.search(r"[.!?]$", line):
        return None
    from dashboard.build.dates import parse_absolute

    return parse_absolute(line)


# -- .html ----------------------------------------------------------------------------------------
def _read_html(name: str, html: str) -> SourceText:
    """Main text and metadata by trafilatura; scripts, styles and navigation are dropped, markup never kept."""
    import trafilatura
    from trafilatura.utils import load_html

    try:
        # A bare fragment ("<p>…</p>" alone) is no document to trafilatura: it is read inside a body.
        tree = load_html(html)
        if tree is None:
            tree = load_html(f"<html><body><div>{html}</div></body></html>")
        if tree is None:
            raise BuildInputError(f"{name}: no HTML document found in the file")
        for element in tree.xpath(_NOT_TEXT):  # what a reader never sees as the article's words
            element.drop_tree()
        doc = trafilatura.bare_extraction(
            tree,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_recall=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except (MemoryError, BuildInputError):
        raise
    except Exception as err:  # a parser's own failure on hostile markup is still bad input, said plainly
        raise BuildInputError(f"{name}: the HTML could not be read ({type(err).__name__})") from None
    meta = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else (doc or {})
    text = _no_tags((meta.get("text") or "").strip() or _html_fallback(html))
    values = {
        "headline": meta.get("title"),
        "author": meta.get("author"),
        "date": _iso_prefix(meta.get("date")),
        "url": meta.get("url"),
        "site_name": meta.get("sitename"),
        "language": meta.get("language") or _html_lang(html),
    }
    values = {k: _no_tags(v).strip() for k, v in values.items() if isinstance(v, str) and _no_tags(v).strip()}
    if "url" in values and not re.match(r"^https?://\S+$", values["url"]):
        del values["url"]
    return SourceText(text=text, found=set(values), **values)


# Elements whose content is no article text: code, styles, frames, forms' raw text, embedded documents.
_NOT_TEXT = "//script|//style|//noscript|//template|//textarea|//iframe|//object|//embed|//svg|//math|//select|//button"
# Text of an HTML page that still reads as markup (written as entities, or left by a broken page): a tag,
# a comment, a CDATA bracket. The builder's text is plain text, so it is dropped.
_TAG_LIKE = re.compile(r"</?[A-Za-z!?][^<>]*>|<!\[CDATA\[|\]\]>")


def _no_tags(text: str) -> str:
    return _TAG_LIKE.sub("", text)


def _html_fallback(html: str) -> str:
    """The visible text of the body when no main text was found: scripts, styles and templates dropped."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(html)
    except MemoryError:
        raise
    except Exception:
        return ""
    for bad in root.xpath(_NOT_TEXT + "|//head"):
        bad.drop_tree()
    return re.sub(r"[ \t]+", " ", root.text_content()).strip()


def _html_lang(html: str) -> str | None:
    m = re.search(r"<html\b[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)", html[:5000], re.IGNORECASE)
    return m.group(1).lower() if m else None


def _iso_prefix(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value.strip())
    return "-".join(p for p in m.groups() if p) if m else None


# -- .docx ----------------------------------------------------------------------------------------
def _inflate_within_declared(name: str, data: bytes, infos: list[zipfile.ZipInfo]) -> None:
    """Inflate every member a chunk at a time before python-docx reads it whole.

    A zip's declared sizes are its own word, and a bomb lies in them: zipfile stops a member at its declared
    size and then finds the CRC wrong, but read whole it first inflates up to 2 GB in one call. Read in chunks,
    the lie costs a megabyte and is refused here.
    """
    chunk = 1024 * 1024
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in infos:
                with archive.open(info) as member:
                    try:
                        while member.read(chunk):
                            pass
                    except zipfile.BadZipFile:
                        raise BuildInputError(
                            f"{name}: member {info.filename} does not inflate to the {info.file_size:,} bytes it "
                            "declares (a zip bomb, or a damaged file)"
                        ) from None
    except BuildInputError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, ValueError, EOFError) as err:
        raise BuildInputError(f"{name}: a damaged or unsupported zip archive ({type(err).__name__})") from None


def _read_docx(name: str, data: bytes) -> SourceText:
    """Paragraphs of a Word file and its core properties; the zip is measured before anything is inflated."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise BuildInputError(f"{name}: not a Word (.docx) file: it is not a zip archive")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as err:
        raise BuildInputError(f"{name}: a broken zip archive ({err})") from None
    if len(infos) > DOCX_MAX_MEMBERS:
        raise BuildInputError(f"{name}: the archive has {len(infos):,} members; a .docx has a few dozen")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > DOCX_MAX_RATIO and info.file_size > 1024 * 1024:
            raise BuildInputError(
                f"{name}: member {info.filename} would inflate {ratio:,.0f} times (to {info.file_size:,} bytes); "
                "this looks like a zip bomb"
            )
    if total > DOCX_MAX_INFLATED:
        raise BuildInputError(
            f"{name}: the archive would inflate to {total:,} bytes; the limit is {DOCX_MAX_INFLATED:,}"
        )
    if "word/document.xml" not in {i.filename for i in infos}:
        raise BuildInputError(f"{name}: a zip archive, but not a Word document (no word/document.xml)")
    _inflate_within_declared(name, data, infos)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except MemoryError:
        raise
    except Exception as err:
        raise BuildInputError(f"{name}: the Word document could not be read ({type(err).__name__})") from None
    paragraphs = [p.text.strip() for p in document.paragraphs]
    props = document.core_properties
    values: dict[str, str] = {}
    if props.title and props.title.strip():
        values["headline"] = props.title.strip()
    if props.author and props.author.strip():
        values["author"] = props.author.strip()
    if props.language and props.language.strip():
        values["language"] = props.language.strip()
    source = _read_txt(name, "\n".join(paragraphs))
    # The document's own first lines may give what its properties do not.
    merged = {k: getattr(source, k) for k in source.found} | values
    in_text = source.headline_in_text and merged.get("headline") == source.headline
    return SourceText(text=source.text, found=set(merged), headline_in_text=in_text, **merged)
