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
    return _checked("pasted text", _read_txt("pasted text", text))


def _checked(name: str, source: SourceText) -> SourceText:
    text = source.text.strip()
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
    return text.replace("\r\n", "\n").replace("\r", "\n")


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

    try:
        doc = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_recall=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as err:  # a parser's own failure on hostile markup is still bad input, said plainly
        raise BuildInputError(f"{name}: the HTML could not be read ({type(err).__name__})") from None
    meta = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else (doc or {})
    text = (meta.get("text") or "").strip() or _html_fallback(html)
    values = {
        "headline": meta.get("title"),
        "author": meta.get("author"),
        "date": _iso_prefix(meta.get("date")),
        "url": meta.get("url"),
        "site_name": meta.get("sitename"),
        "language": meta.get("language") or _html_lang(html),
    }
    values = {k: v.strip() for k, v in values.items() if isinstance(v, str) and v.strip()}
    if "url" in values and not re.match(r"^https?://\S+$", values["url"]):
        del values["url"]
    return SourceText(text=text, found=set(values), **values)


def _html_fallback(html: str) -> str:
    """The visible text of the body when no main text was found: scripts, styles and templates dropped."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(html)
    except Exception:
        return ""
    for bad in root.xpath("//script|//style|//noscript|//template|//head"):
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
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
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
