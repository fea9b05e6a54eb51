"""The classroom mode in a real browser: a presenter step and its Next link, and a quiz answer revealed.

Uses the browser and the served app shared by every browser test (tests/browser/conftest.py).
Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard.data.dataset import load_dataset
from dashboard.data.frames import build_tables
from dashboard.views.quiz.questions import Question, build_quiz
from tests.classroom.kit import DATA, REPO

PATH_ID = "class-45"  # the curated data's presenter path: this test drives the app on the curated data

pytestmark = pytest.mark.browser

SHOTS = REPO / "test-artifacts" / "screenshots"
WAIT_MS = 45_000


@pytest.fixture
def server(app_url: str) -> str:
    """The app served once for every browser test (tests/browser/conftest.py)."""
    return app_url


@pytest.fixture
def page(open_page):
    tab = open_page(viewport={"width": 1280, "height": 1000}, reduced_motion="reduce")
    tab.set_default_timeout(WAIT_MS)
    return tab


def settle(tab) -> None:
    """Wait until the app has finished its run (and its elements have stopped changing)."""
    tab.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=WAIT_MS)
    tab.wait_for_timeout(300)
    tab.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=WAIT_MS)


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def px(tab, selector: str, prop: str = "fontSize") -> float:
    return float(tab.locator(selector).first.evaluate(f"e => getComputedStyle(e).{prop}").removesuffix("px"))


DATASET = load_dataset(DATA)
PATH = next(p for p in DATASET.paths if p.id == PATH_ID)
PROMPTS = {p.id: p.text for p in DATASET.prompts}


def test_a_presenter_step_and_its_next_link(server: str, page) -> None:
    i = next(i for i, s in enumerate(PATH.steps[:-1]) if s.page == "compare" and PATH.steps[i + 1].page == "compare")
    step, after = PATH.steps[i], PATH.steps[i + 1]

    page.goto(f"{server}/compare?path={PATH_ID}&step={i + 1}&by=actor&subject=maduro")
    prompt = page.locator(".nt-step p").nth(1)
    prompt.wait_for()
    settle(page)
    assert " ".join(prompt.inner_text().split()) == " ".join(PROMPTS[step.prompt].split())
    assert page.locator(".nt-step p").first.inner_text() == step.title
    # Large type, no sidebar.
    assert not page.locator('section[data-testid="stSidebar"]').is_visible()
    assert not page.locator('[data-testid="stSidebarCollapsedControl"]').is_visible()
    presenting_root = px(page, "html")
    assert px(page, ".nt-step p") >= 1.3 * presenting_root
    assert page.get_by_text(f"step {i + 1} of {len(PATH.steps)}").is_visible()
    assert page.get_by_role("button", name=re.compile("Handout")).is_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "presenter-step.png"))

    next_link = page.get_by_role("link", name=f"Next: {after.title}")
    assert query(next_link.get_attribute("href") or "")["step"] == [str(i + 2)]
    next_link.click()
    page.wait_for_url(re.compile(rf"[?&]step={i + 2}(&|$)"))
    page.locator(".nt-step p").nth(1).filter(has_text=PROMPTS[after.prompt][:40]).wait_for()
    settle(page)
    assert urlsplit(page.url).path == "/compare"
    got = query(page.url)
    assert got["path"] == [PATH_ID] and got["step"] == [str(i + 2)]
    assert got["subject"] == [after.settings["subject"]]
    outlets = after.settings["outlets"]
    assert got["outlets"] == [",".join(outlets)]
    assert page.locator(".nt-step p").first.inner_text() == after.title
    # The widgets took the new step's settings: its outlets as chips, its subject in the box.
    names = {o.id: o.name for o in DATASET.outlets}
    chips = page.locator('[data-testid="stMultiSelect"] [data-tag]')
    assert [chips.nth(k).get_attribute("aria-label") for k in range(chips.count())] == [names[o] for o in outlets]
    actors = {a.id: a.name for a in DATASET.actors}
    assert page.get_by_role("combobox", name="An actor").input_value() == actors[after.settings["subject"]]
    assert not page.locator('section[data-testid="stSidebar"]').is_visible()
    assert page.locator('[data-testid="stException"]').count() == 0

    # Leaving the presentation: the same view, with the sidebar and ordinary type again.
    page.get_by_role("link", name="Leave the presentation").click()
    page.wait_for_url(lambda url: "step=" not in url)
    settle(page)
    assert page.locator(".nt-step").count() == 0
    assert page.locator('section[data-testid="stSidebar"]').is_visible()
    assert presenting_root == pytest.approx(px(page, "html") * 1.25, rel=0.02)
    assert query(page.url)["subject"] == [after.settings["subject"]]


def _cued_question() -> tuple[int, Question, dict]:
    """A question whose reveal has every kind of cue and a linked article (so the screenshot shows them all)."""
    tables = build_tables(DATASET)
    claims = tables.claims.set_index("claim")
    for seed in range(2024, 2524):
        for q in build_quiz(tables, seed):
            c = claims.loc[q.claim]
            if c["label_texts"] and c["loaded_terms"] and c["scare_quotes"] and c["url"].startswith("http"):
                return seed, q, c.to_dict()
    pytest.fail("no quiz question with every kind of cue")


def test_a_quiz_answer_is_revealed(server: str, page) -> None:
    seed, question, claim = _cued_question()
    names = {o.id: o.name for o in DATASET.outlets}
    page.set_viewport_size({"width": 1280, "height": 1500})
    page.goto(f"{server}/quiz?seed={seed}&question={question.number}")
    page.get_by_role("button", name="Check my answer").wait_for()
    settle(page)
    excerpt = page.locator("blockquote.nt-quote").first
    assert excerpt.inner_text().strip() == question.excerpt

    radio = page.locator('[data-testid="stRadio"]')
    radio.get_by_text(names[question.outlet], exact=True).click()
    settle(page)
    page.get_by_role("button", name="Check my answer").click()
    page.get_by_text("The cues that could have told you").wait_for()
    settle(page)
    alert = page.locator('[data-testid="stAlert"]')
    assert alert.count() == 1 and f"Right: {names[question.outlet]}." in alert.inner_text()
    for cue in ("Voice:", "Labels:", "Loaded terms:", "Scare quotes:"):
        assert page.get_by_text(cue).first.is_visible(), cue
    assert page.locator(f'a[href="{claim["url"]}"]').first.is_visible(), "the article is linked"
    assert page.locator('[data-testid="stMetric"]').filter(has_text="Right").inner_text().split()[-1] == "1"
    assert page.get_by_role("button", name="Check my answer").count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "quiz-reveal.png"))
