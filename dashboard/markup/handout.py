"""Printable handouts: one self-contained HTML file with the quotes, their citations and room for notes.

Everything from the data is escaped; links are written out in full so they
survive printing, and are live only for http(s) addresses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from dashboard.data.text import Lexicon
from dashboard.markup.highlight import highlight_html
from dashboard.markup.safe import html_attr, html_text, http_url

_CSS = """
body{font-family:Georgia,'Times New Roman',serif;max-width:46rem;margin:2rem auto;padding:0 1rem;
  line-height:1.5;color:#111}
h1{font-size:1.6rem;margin-bottom:.2rem} h2{font-size:1.2rem;border-bottom:1px solid #999;margin-top:2rem}
.sub{color:#444;margin-top:0}.choices{font-size:1.05rem;margin:.4rem 0 1rem}
.prompt{border:2px solid #0072B2;padding:.6rem .9rem;margin:1rem 0;font-size:1.1rem}
blockquote{margin:.8rem 0 .2rem 0;padding-left:.8rem;border-left:4px solid #bbb}
.cite{font-size:.85rem;color:#333;margin:0 0 .3rem .8rem}.cite a{color:#0b5394;word-break:break-all}
.notes{border-bottom:1px dotted #999;height:1.6rem;margin-left:.8rem}
.nt-label{text-decoration:underline;text-decoration-color:#0072B2;text-decoration-thickness:2px}
.nt-loaded{background:#fde6b8}.nt-scare{outline:2px dashed #CC79A7;outline-offset:1px}
.legend,.foot{font-size:.85rem;color:#444}.foot{margin-top:2.5rem;border-top:1px solid #999;padding-top:.5rem}
@media print{body{margin:0;max-width:none}.answers{break-before:page}.prompt{break-inside:avoid}
  blockquote,.cite{break-inside:avoid}}
"""


@dataclass(frozen=True)
class Section:
    heading: str
    claims: pd.DataFrame  # rows of Tables.claims
    # "quotes": each claim with its citation; "sources": every article of ``handout_html``'s table, cited,
    # with room for notes (the claims are not used); "quiz": each claim's ``quiz_text`` numbered, with
    # no citation and a line for the guess, and the answers at the end (the outlets are the answers).
    kind: str = "quotes"
    choices: tuple[str, ...] = ()  # "quiz": the outlets to choose from, printed above the questions


def handout_html(
    *,
    title: str,
    subtitle: str,
    sections: Sequence[Section],
    articles: pd.DataFrame,
    lexicon: Lexicon,
    dataset_title: str,
    licence: str,
    prompt: str | None = None,
    view_url: str | None = None,
    today: dt.date | None = None,
) -> str:
    """A complete HTML document: title, the prompt, each section's quotes with citations and note lines."""
    today = today or dt.date.today()
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html_text(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{html_text(title)}</h1>",
        f'<p class="sub">{html_text(subtitle)}</p>',
    ]
    if prompt:
        parts.append(f'<div class="prompt"><strong>Discuss:</strong> {html_text(prompt)}</div>')
    parts.append(
        '<p class="legend">Marked: <span class="nt-label">label naming an actor</span> · '
        '<span class="nt-loaded">loaded term</span> · <span class="nt-scare">scare-quoted word</span>. '
        "Write your notes on the dotted lines.</p>"
    )
    if not sections or all(s.claims.empty and s.kind != "sources" for s in sections):
        parts.append("<p>No quotes in this view.</p>")
    by_article = articles.set_index("article", drop=False)
    answers: list[str] = []
    for section in sections:
        parts.append(f"<h2>{html_text(section.heading)}</h2>")
        if section.kind == "sources":
            for _, article in by_article.iterrows():
                parts.append(f'<p class="cite">{_citation(article)}</p>')
                parts.append('<div class="notes"></div>')
            continue
        if section.claims.empty:
            parts.append("<p>No excerpt.</p>")
            continue
        if section.kind == "quiz":
            if section.choices:
                parts.append(
                    '<p class="choices"><strong>Choose from:</strong> '
                    + " · ".join(html_text(c) for c in section.choices)
                    + "</p>"
                )
            for n, claim in enumerate(section.claims.to_dict("records"), 1):
                parts.append(f"<blockquote><strong>{n}.</strong> {html_text(claim['quiz_text'])}</blockquote>")
                parts.append('<p class="cite">Which outlet published this? Why?</p>')
                parts.append('<div class="notes"></div><div class="notes"></div>')
                answers.append(
                    f"{n}. {html_text(claim['outlet_name'])}, {html_text(claim['article_date'])} "
                    f"(claim {html_text(claim['claim'])})"
                )
            continue
        for article_id in dict.fromkeys(section.claims["article"]):
            parts.append(f'<p class="cite">{_citation(by_article.loc[article_id])}</p>')
        for claim in section.claims.to_dict("records"):
            quote = highlight_html(claim["quote"], lexicon, claim["label_texts"], claim["scare_quotes"])
            who = "Narration" if claim["voice"] == "narration" else f"{claim['speaker_name']} ({claim['kind']})"
            parts.append(f"<blockquote>{quote}</blockquote>")
            parts.append(
                f'<p class="cite">{html_text(who)} · {html_text(claim["outlet_name"])}, '
                f"{html_text(claim['article_date'])} · claim {html_text(claim['claim'])}</p>"
            )
            parts.append('<div class="notes"></div><div class="notes"></div>')
    if answers:  # on a page of its own, so the teacher can keep it back
        parts.append('<h2 class="answers">Answers</h2>' + "".join(f'<p class="cite">{a}</p>' for a in answers))
    online = http_url(view_url)
    view = f' View online: <a href="{html_attr(online)}">{html_text(online)}</a>.' if online else ""
    parts.append(
        f'<p class="foot">From “{html_text(dataset_title)}”, printed {today.isoformat()}.{view} '
        f"Quotes are short verbatim excerpts with citations. {html_text(licence)}</p>"
    )
    parts.append("</body></html>")
    return "\n".join(parts)


def _citation(article: pd.Series) -> str:
    """Outlet, headline, date, authors and address of an article, as a reader would cite it."""
    url = http_url(article["url"])
    link = f'<a href="{html_attr(url)}">{html_text(url)}</a>' if url else "URL unknown"
    authors = article["authors"] if article["authors"] != "unknown" else "authors unknown"
    relation = f" ({article['relation']} of {article['reposts_outlet']})" if article["relation"] else ""
    return (
        f"<strong>Source:</strong> {html_text(article['outlet_name'])}{html_text(relation)}, "
        f"“{html_text(article['title'])}”, {html_text(authors)}. {link}"
    )
