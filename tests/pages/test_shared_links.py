"""The links people share keep opening what they showed (issue 8, item 2): the README's example links
and every presenter step of data/events.yaml, each opened fresh and followed in one session.

These are tests of the curated data: its ids appear in the README and its paths. The code's
navigation between pages is tested on the small dataset in test_navigation.py.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qs

import pytest
from page_kit import (
    REPO,
    assert_clean,
    assert_settings_shown,
    follow,
    goto,
    links_on,
    notices,
    open_link,
    open_page,
    plain,
    query,
    raw_data,
    screen,
    widget,
)

from dashboard.views import BY_ID, VIEWS

VIEW_IDS = [v.id for v in VIEWS]


# -- the report of issue 8, as a visitor met it ------------------------------------------------------------------
def test_timeline_then_compare_then_timeline_keeps_every_outlet(real_bundle):
    """Open Timeline, click Compare in the menu, then Timeline: the two pages once shared the key ``outlets``."""
    at = open_page("timeline")
    every = real_bundle.outlets_with_text
    assert widget(at, "timeline.outlets").value == every
    goto(at, "compare")
    assert_clean(at)
    assert not any(plain(i.value).startswith("Choose at least one outlet") for i in at.info)
    assert widget(at, "compare.outlets").value == every
    assert query(at) == {}
    goto(at, "timeline")
    assert_clean(at)
    assert widget(at, "timeline.outlets").value == every, "Reported by"
    assert query(at) == {}


# -- the README's links -----------------------------------------------------------------------------------
README = REPO / "README.md"
LINK = re.compile(rf"/({'|'.join(map(re.escape, VIEW_IDS))})\?([^\s`'\"()\[\]<>]+)")


def readme_links() -> list[Any]:
    found = LINK.findall(README.read_text(encoding="utf-8"))
    return [pytest.param(view_id, qs, id=f"{view_id}?{qs}") for view_id, qs in dict.fromkeys(found)]


def test_the_readme_shows_links():
    assert len(readme_links()) >= 2, "the README's example links are no longer found: is LINK out of date?"


@pytest.mark.parametrize(("view_id", "qs"), readme_links())
def test_every_link_the_readme_shows_opens_its_view_with_its_settings(view_id, qs, real_bundle):
    link = {k: v[-1] if len(v) == 1 else v for k, v in parse_qs(qs, keep_blank_values=True).items()}
    at = open_page(view_id, link)
    assert_clean(at)
    assert not notices(at)
    assert [plain(t.value) for t in at.title] == [BY_ID[view_id].title]
    assert_settings_shown(at, BY_ID[view_id], real_bundle, link)


def _link_value(value: Any) -> str:
    return ",".join(value) if isinstance(value, list) else str(value)


def _steps() -> list[Any]:
    return [
        pytest.param(path, i, id=f"{path['id']}-{i + 1}")
        for path in raw_data().get("paths", [])
        for i, _ in enumerate(path["steps"])
    ]


def step_link(path: dict[str, Any], index: int) -> dict[str, str]:
    settings = path["steps"][index].get("settings") or {}
    return {**{k: _link_value(v) for k, v in settings.items()}, "path": path["id"], "step": str(index + 1)}


@pytest.mark.parametrize(("path", "index"), _steps())
def test_every_presenter_step_link_opens_its_view_with_its_settings(path, index, real_bundle):
    step = path["steps"][index]
    link = step_link(path, index)
    at = open_page(step["page"], link)
    assert_clean(at)
    assert not notices(at)
    assert not at.warning, [w.value for w in at.warning]
    assert f"Step {index + 1} of {len(path['steps'])}" in " ".join(plain(m.value) for m in at.markdown)
    assert f'<div class="nt-step-title"><h1>{html.escape(step["title"])}</h1></div>' in [m.value for m in at.markdown]
    own = {k: v for k, v in link.items() if k not in ("path", "step")}
    assert_settings_shown(at, BY_ID[step["page"]], real_bundle, own)
    assert query(at)["path"] == path["id"] and query(at)["step"] == str(index + 1)


@pytest.mark.parametrize("path", raw_data().get("paths", []), ids=lambda p: p["id"])
def test_walking_a_presenter_path_by_its_links_shows_each_step_as_opened_fresh(path, real_bundle):
    """From the overview's link to step 1, each "Next" link in one session, then "Leave the presentation"."""
    steps = path["steps"]
    at = open_page("overview")
    link = next(v for k, v in links_on(at).items() if k.startswith("Start the presentation"))
    for i, step in enumerate(steps):
        follow(at, link)
        assert_clean(at)
        assert not notices(at)
        assert not at.title, "the step's title stands in for the view's"
        shown = [m.value for m in at.markdown if m.value.startswith('<div class="nt-step-title"><h1>')]
        assert shown == [f'<div class="nt-step-title"><h1>{html.escape(step["title"])}</h1></div>'], f"step {i + 1}"
        own = {k: v for k, v in step_link(path, i).items() if k not in ("path", "step")}
        assert_settings_shown(at, BY_ID[step["page"]], real_bundle, own)
        assert (query(at)["path"], query(at)["step"]) == (path["id"], str(i + 1))
        assert screen(at) == screen(open_link(link)), f"step {i + 1}"
        if i + 1 < len(steps):
            link = links_on(at)["Next"]
    follow(at, links_on(at)["Leave"])
    assert_clean(at)
    assert not notices(at)
    assert "path" not in query(at) and "step" not in query(at)
    assert_settings_shown(at, BY_ID[steps[-1]["page"]], real_bundle, own)  # the last step's settings stay
    assert not [label for label in links_on(at) if label.startswith(("Next", "Previous", "Leave"))]
