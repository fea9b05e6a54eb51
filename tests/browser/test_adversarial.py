"""A dataset whose every text field is an attack, served and opened in Chromium: nothing may run.

Each text the reader can see (titles, names, summaries, notes, quotes, prompts,
framing, the lexicon's categories) carries HTML, a script, markdown links,
``javascript:`` and ``data:`` URLs and Plotly's own markup. The dataset stays
valid (the payload adds no lexicon term and keeps every label in its quote), so
every view draws it. On every page: no script ran, no element was injected,
and only http(s) links (or the app's own pages) are live.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from browserkit import REPO, open_app, screenshot, serve, wait_for_charts
from playwright.sync_api import Dialog

from dashboard.data.dataset import check_dataset

pytestmark = pytest.mark.browser

MARK = "__pwned"
PAYLOAD = (
    f' <script>window.{MARK}=1</script><img src=x onerror="window.{MARK}=1">'
    f' [click](javascript:window.{MARK}=1) <a href="javascript:window.{MARK}=1">a</a>'
    f" [data](data:text/html,<script>window.{MARK}=1</script>) **bold** :red[red] <b>plotly</b><br>"
    " %{customdata[0]} <svg onload=alert(1)>"
)
# Fields shown to readers whose text no other check ties to a quote or an id.
TEXT_FIELDS = {
    "meta": ("title", "description", "coverage", "licence"),
    "camps": ("name",),
    "categories": ("name",),
    "outlets": ("name", "kind", "scope", "country", "ownership", "funding", "note"),
    "articles": ("headline", "headline_note", "date_note", "words_note"),
    "actors": ("name", "role"),
    "issues": ("question",),  # ``short`` is a 40-character heading: too short to carry the payload
    "events": ("title", "summary", "date_note"),
    "claims": ("quote", "note"),
    "positions": ("note",),
    "facts": ("question", "note"),
    "prompts": ("text",),
    "lexicon": ("category",),
}
PAGES = [
    "",
    "timeline",
    "timeline?event=oslo-talks-2019&lanes=outlet",
    "positions?actor=opposition&issue=step_down_first",
    "compare?section=labels",
    "compare?section=voices",
    "compare?by=event&subject=oslo-talks-2019&section=framing",
    "compare?section=facts",
    "quiz?seed=2024",
    "methods",
    "compare?path=class-45&step=5&by=actor&subject=maduro",
]


def _spot_claims(data: dict) -> set[str]:
    """Claims a prompt lists as excerpts to mark: 20 to 60 words, which the payload would overrun."""
    return {claim for prompt in data.get("prompts", []) for claim in prompt.get("spot", [])}


def poisoned(data: dict) -> dict:
    spot = _spot_claims(data)
    for section, fields in TEXT_FIELDS.items():
        records = [data[section]] if section == "meta" else data.get(section, [])
        for record in records:
            for field in fields:
                if section == "claims" and field == "quote" and record["id"] in spot:
                    continue
                if isinstance(record.get(field), str):
                    record[field] = record[field] + PAYLOAD
    for framing in data.get("framing", []):
        for function in ("problem_definition", "causal_interpretation", "moral_evaluation", "remedy"):
            framing[function]["text"] += PAYLOAD
    for path in data.get("paths", []):
        path["title"] += PAYLOAD
        for step in path["steps"]:
            step["title"] += PAYLOAD
    return data


def _write(data: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app serving the poisoned dataset (checked valid first) on its own loopback port."""
    data = poisoned(yaml.safe_load((REPO / "data" / "events.yaml").read_text(encoding="utf-8")))
    path = _write(data, tmp_path_factory.mktemp("hostile") / "hostile.yaml")
    dataset, problems = check_dataset(path)
    assert dataset is not None, "\n".join(map(str, problems[:10]))
    with serve(path.with_suffix(".log"), env={"DASHBOARD_DATA": str(path)}) as url:
        yield url


def test_the_poisoned_dataset_is_valid_and_poisoned(tmp_path: Path) -> None:
    data = poisoned(yaml.safe_load((REPO / "data" / "events.yaml").read_text(encoding="utf-8")))
    assert data["meta"]["title"].endswith(PAYLOAD)
    spot = _spot_claims(data)
    assert spot and all(c["quote"].endswith(PAYLOAD) for c in data["claims"] if c["id"] not in spot)
    assert all(c["note"].endswith(PAYLOAD) for c in data["claims"] if c.get("note"))
    dataset, problems = check_dataset(_write(data, tmp_path / "hostile.yaml"))
    assert dataset is not None, "\n".join(map(str, problems[:10]))


@pytest.mark.parametrize("page_path", PAGES)
def test_nothing_from_the_data_runs_or_is_injected(page_path: str, hostile_url: str, open_page) -> None:
    page = open_page(viewport={"width": 1280, "height": 2000})
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        open_app(page, f"{hostile_url}/{page_path}")
        page.wait_for_timeout(1000)  # let any injected handler fire if it could
        assert page.evaluate(f"() => window.{MARK}") is None, "a script from the data ran"
        assert dialogs == [], f"a dialog opened: {dialogs}"
        injected = page.evaluate(
            """() => ({
                scripts: [...document.querySelectorAll('script')].filter(s => s.textContent.includes('__pwned')).length,
                images: document.querySelectorAll('img[src="x"]').length,
                svgs: document.querySelectorAll('svg[onload]').length,
                handlers: [...document.querySelectorAll('*')].filter(
                    e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
                bold: [...document.querySelectorAll('b, strong')].filter(e => e.textContent === 'plotly').length,
            })"""
        )
        assert injected == {"scripts": 0, "images": 0, "svgs": 0, "handlers": 0, "bold": 0}, injected
        hrefs = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
        # A link with a scheme must be http(s); scheme-less ones are the app's own pages.
        live = [h for h in hrefs if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", h) and not h.startswith(("http:", "https:"))]
        assert live == [], f"links that are not http(s) or the app's own: {live}"
        assert not [h for h in hrefs if "javascript:" in h.lower() or h.lower().startswith("data:")]
        if page.locator('[data-testid="stPlotlyChart"]').count():
            wait_for_charts(page)  # on some pages the data's text is only in the chart (lane names)
        shown = page.locator('[data-testid="stMain"]').text_content() or ""  # includes the charts' SVG text
        assert f"window.{MARK}" in shown, "the payload should be shown as text"
        if page_path in ("", "timeline", "compare?section=labels"):
            screenshot(page, "hostile-" + (page_path.split("?")[0] or "overview"))
    finally:
        page.remove_listener("dialog", on_dialog)  # the tab goes back to the pool


def test_chart_hover_shows_the_markup_as_text(hostile_url: str, open_page) -> None:
    page = open_page(viewport={"width": 1280, "height": 1200})
    open_app(page, f"{hostile_url}/timeline")
    point = page.locator(".js-plotly-plot .scatterlayer .point").first
    point.hover(force=True)
    page.wait_for_timeout(500)
    text = page.locator(".hoverlayer").text_content() or ""
    assert "<script>" in text or "&lt;script" in text or "window.__pwned" in text, text
