"""The classroom mode in a real browser: a presenter step and its Next link, and a quiz answer revealed.

Uses the browser and the served app shared by every browser test (tests/browser/conftest.py).
Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import contextlib
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from browserkit import readme_screenshot, updating_readme_screenshots
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from dashboard.data.bundle import Bundle
from dashboard.data.dataset import load_dataset
from dashboard.data.frames import build_tables
from dashboard.views import BY_ID
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
BUNDLE = Bundle.build(DATASET)


# The README's pictures of a class (UPDATE_SCREENSHOTS=1): steps on the projector, student links on a phone.
README_PROJECTOR = {8: "presenter-voices"}  # 1-based step numbers
README_PHONE = {3: "student-event", 9: "student-quiz"}

# What a step is about: a chart, a table, an excerpt, the quiz's choices or the counts.
VIEW_PARTS = (
    '[data-testid="stPlotlyChart"], [data-testid="stDataFrame"], blockquote, [data-testid="stRadio"], '
    '[data-testid="stMetric"]'
)
PROJECTOR = {"width": 1280, "height": 720}
CHART = '[data-testid="stPlotlyChart"]'
ASKED = {p.id: p for p in DATASET.prompts}


def student_focus(i: int) -> str:
    """What step ``i``'s question is about, on a student's phone: an event's or some outlets' excerpts, else a
    chart (the strip, a section's figure, the matrix), else any part of the view."""
    step = PATH.steps[i]
    asked = ASKED.get(step.prompt or "")
    if (step.page == "timeline" and "event" in step.settings) or (step.page == "compare" and asked and asked.outlets):
        return "blockquote"
    if step.page == "overview":  # a page about the whole dataset: its title under the question
        return "h1"
    return CHART if step.page in ("compare", "positions", "timeline") else VIEW_PARTS


def step_on_screen(tab, i: int) -> None:
    """The URL names step ``i`` (0-based), its title is the page's heading, and its view starts on the first screen."""
    step = PATH.steps[i]
    tab.wait_for_url(re.compile(rf"[?&]step={i + 1}(&|$)"))
    title = tab.locator("h1").filter(has_text=step.title)  # Streamlit gives headings ids of its own
    title.wait_for()
    settle(tab)
    box = title.bounding_box()  # the step opens at the top, whatever the page before had scrolled to
    assert box is not None and 0 <= box["y"] < 300, f"step {i + 1}: its title is at {box}"
    got = query(tab.url)
    assert got["path"] == [PATH_ID] and got["step"] == [str(i + 1)], tab.url
    assert urlsplit(tab.url).path.strip("/") == ("" if step.page == "overview" else step.page), tab.url
    view = BY_ID[step.page]  # the address may leave out a setting at its default: compare as the view reads them
    own = {k: v for k, v in got.items() if k not in ("path", "step")}
    assert view.from_link(BUNDLE, own)[0] == view.from_link(BUNDLE, step.settings)[0], tab.url
    # The first part of the view drawn (a chart draws a moment after the script has finished).
    first_top = """(sel) => Math.min(...[...document.querySelectorAll(sel)]
             .map(e => e.getBoundingClientRect()).filter(r => r.height > 0).map(r => r.top))"""
    with contextlib.suppress(PlaywrightTimeoutError):  # the assertion below says where the view is
        tab.wait_for_function(f"(sel) => ({first_top})(sel) < {PROJECTOR['height']}", arg=VIEW_PARTS, timeout=10_000)
    top = tab.evaluate(first_top, VIEW_PARTS)
    assert top < PROJECTOR["height"], f"step {i + 1}: the view starts at {top:.0f} px"
    assert not tab.locator('section[data-testid="stSidebar"]').is_visible()
    assert tab.locator('[data-testid="stException"]').count() == 0


def test_walking_the_path_with_next_then_previous_keeps_the_address_on_the_step_and_the_controls_in_place(
    server: str, page
) -> None:
    """Next through every step and Previous back, at 1280×720: the address names each step, Next (and every
    control after it) is at the same place on all steps, and the Student link box shows "Open a room for this
    class" without scrolling."""
    page.set_viewport_size(PROJECTOR)
    page.goto(f"{server}/")
    page.get_by_role("link", name=re.compile("^Start the presentation")).first.click()
    step_on_screen(page, 0)
    SHOTS.mkdir(parents=True, exist_ok=True)
    places: dict[str, set[tuple[int, int]]] = {}
    for i in range(len(PATH.steps)):
        if i:
            page.get_by_role("link", name="Next", exact=True).click()
            step_on_screen(page, i)
        page.screenshot(path=str(SHOTS / f"projector-step-{i + 1}.png"))
        if updating_readme_screenshots() and i + 1 in README_PROJECTOR:
            page.mouse.move(0, 0)  # no tooltip of the link just clicked
            page.wait_for_timeout(500)
            readme_screenshot(page, README_PROJECTOR[i + 1])
        controls_in_place(page, i, places)
    assert {name: len(xy) for name, xy in places.items()} == dict.fromkeys(places, 1), places
    for i in range(len(PATH.steps) - 2, -1, -1):
        page.get_by_role("link", name="Previous", exact=True).click()
        step_on_screen(page, i)


def controls_in_place(page, i: int, places: dict[str, set[tuple[int, int]]]) -> None:
    """Note where the presenter bar's controls are on step ``i``, and open its Student link box: the room's
    button is on the first screen."""
    for name, control in (
        ("Previous", page.get_by_role("link", name="Previous", exact=True)),
        ("Next", page.get_by_role("link", name="Next", exact=True)),
        ("Student link", page.get_by_role("button", name=re.compile("^Student link"))),
        ("Leave", page.get_by_role("link", name="Leave", exact=True)),
    ):
        box = control.bounding_box()
        assert box is not None, f"step {i + 1}: no {name}"
        places.setdefault(name, set()).add((round(box["x"]), round(box["y"])))
    page.get_by_role("button", name=re.compile("^Student link")).click()
    room = page.get_by_role("button", name="Open a room for this class")
    room.wait_for()
    box = room.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PROJECTOR["height"], f"step {i + 1}: {box}"
    if i == 4:
        page.screenshot(path=str(SHOTS / "projector-student-link-box.png"))
    page.keyboard.press("Escape")
    expect(room).to_be_hidden()


def test_browser_back_and_forward_retrace_the_steps(server: str, page) -> None:
    """Back and forward go through the steps shown, one entry each, whether a move changed page or not."""
    page.set_viewport_size(PROJECTOR)
    page.goto(f"{server}/")
    start = page.get_by_role("link", name=re.compile("^Start the presentation")).last  # the path's own, further down
    start.scroll_into_view_if_needed()
    start.click()
    step_on_screen(page, 0)
    last = len(PATH.steps) - 1
    for i in range(1, last + 1):
        page.get_by_role("link", name="Next", exact=True).click()
        step_on_screen(page, i)
    for i in range(last - 1, -1, -1):
        page.go_back()
        step_on_screen(page, i)
    for i in range(1, last + 1):
        page.go_forward()
        step_on_screen(page, i)


def test_leave_gives_the_plain_views_link(server: str, page) -> None:
    i = next(i for i, s in enumerate(PATH.steps) if s.page == "compare")
    page.set_viewport_size(PROJECTOR)
    page.goto(f"{server}/compare?{urlencode(step_params(i))}")
    step_on_screen(page, i)
    page.get_by_role("link", name="Leave", exact=True).click()
    page.wait_for_url(lambda url: "step=" not in url)
    settle(page)
    got = query(page.url)
    assert "path" not in got and "step" not in got
    compare = BY_ID["compare"]
    assert compare.from_link(BUNDLE, got)[0] == compare.from_link(BUNDLE, PATH.steps[i].settings)[0]
    assert page.locator("h1").filter(has_text=PATH.steps[i].title).count() == 0
    assert page.locator('section[data-testid="stSidebar"]').is_visible()


@pytest.mark.parametrize("i", range(len(PATH.steps)), ids=lambda i: f"step{i + 1}")
def test_every_student_link_opens_without_the_presenter_on_a_phone(server: str, open_page, i: int) -> None:
    from dashboard.views.steps import student_link_params

    step = PATH.steps[i]
    tab = open_page(viewport={"width": 390, "height": 844}, reduced_motion="reduce")
    tab.set_default_timeout(WAIT_MS)
    params = student_link_params(BUNDLE, PATH, i)
    tab.goto(f"{server}/{'' if step.page == 'overview' else step.page}?{urlencode(params, doseq=True)}")
    tab.locator("h1").first.wait_for()
    settle(tab)
    assert "step" not in query(tab.url) and "path" not in query(tab.url)
    assert tab.locator(".nt-step").count() == 0, "no step prompt box"
    for label in ("Previous", "Next", "Leave"):  # the presenter's moves are links (the quiz has buttons of its own)
        assert tab.get_by_role("link", name=label, exact=True).count() == 0, label
    for label in ("Student link", "Teacher's note"):
        assert tab.get_by_role("button", name=re.compile(f"^{label}")).count() == 0, label
    if step.note:
        assert tab.get_by_text(" ".join(step.note.split()[:6])).count() == 0, "no teacher's note"
    # The step's question at the top, then the part of the view it is about, on the phone's first screen.
    if step.prompt:
        question = tab.locator(".nt-ask")
        question.first.wait_for()
        assert question.count() == 1 and PROMPTS[step.prompt].split()[-1] in question.inner_text()
        box = question.bounding_box()
        assert box is not None and box["y"] < 150, f"step {i + 1}: the question is at {box}"
    first_top = """(sel) => Math.min(...[...document.querySelectorAll(sel)]
             .map(e => e.getBoundingClientRect()).filter(r => r.height > 0).map(r => r.top))"""
    focus = student_focus(i)
    with contextlib.suppress(PlaywrightTimeoutError):  # the assertion below says where it is
        tab.wait_for_function(f"(sel) => ({first_top})(sel) < 844 - 60", arg=focus, timeout=10_000)
    top = tab.evaluate(first_top, focus)
    assert top < 844 - 60, f"step {i + 1}: its part of the view starts at {top:.0f} px ({focus})"
    if step.page == "quiz":
        top = tab.locator("blockquote.nt-quote").first.bounding_box()
        assert top is not None and top["y"] < 844, "the quiz's excerpt is on the first screen"
    tab.screenshot(path=str(SHOTS / f"student-step-{i + 1}.png"))
    if updating_readme_screenshots() and i + 1 in README_PHONE:
        readme_screenshot(tab, README_PHONE[i + 1])


def step_params(i: int) -> dict[str, str]:
    from dashboard.views.steps import step_link_params

    return {k: v if isinstance(v, str) else ",".join(v) for k, v in step_link_params(PATH, i).items()}


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
    assert page.get_by_text(re.compile(r"your score: 1 right, 0 wrong")).is_visible()
    assert page.get_by_role("button", name="Check my answer").count() == 0
    assert page.locator('[data-testid="stException"]').count() == 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "quiz-reveal.png"))


def open_step(tab, server: str, i: int) -> None:
    step = PATH.steps[i]
    tab.goto(f"{server}/{'' if step.page == 'overview' else step.page}?{urlencode(step_params(i))}")
    step_on_screen(tab, i)


def test_a_clicker_moves_the_presenter(server: str, page) -> None:
    """PageDown / PageUp (a presentation clicker), ArrowRight / ArrowLeft and Space follow Next and Previous, one
    step a press however many reruns came before; not while a field has the key."""
    page.set_viewport_size(PROJECTOR)
    open_step(page, server, 0)
    page.locator("h1").first.click()  # the page has the key, as after a click on a slide
    for key, i in (("PageDown", 1), ("PageDown", 2), ("PageUp", 1), ("ArrowRight", 2), ("Space", 3)):
        page.keyboard.press(key)
        step_on_screen(page, i)
        assert page.title() and page.locator("h1").filter(has_text=PATH.steps[i].title).count() == 1
    page.keyboard.press("ArrowLeft")
    step_on_screen(page, 2)
    # Several reruns of one step (a widget moved) leave one listener: one press is still one step.
    slider_step = next(i for i, s in enumerate(PATH.steps) if s.page == "positions")
    open_step(page, server, slider_step)
    slider = page.get_by_role("slider", name="As of")
    slider.focus()
    page.keyboard.press("ArrowRight")  # the slider's own key: the month moves, the step stays
    page.wait_for_url(lambda url: "asof=2019-05" not in url)
    settle(page)
    assert f"step={slider_step + 1}" in page.url
    page.keyboard.press("ArrowRight")
    settle(page)
    assert f"step={slider_step + 1}" in page.url
    page.locator("h1").first.click()  # the key back to the page
    page.keyboard.press("PageDown")
    step_on_screen(page, slider_step + 1)
    # In a text field, Space is a space.
    event_step = next(i for i, s in enumerate(PATH.steps) if s.page == "timeline" and "event" in s.settings)
    open_step(page, server, event_step)
    page.get_by_text("Change what is shown").click()
    search = page.get_by_label("Search titles, summaries and quotes")
    search.click()
    page.keyboard.press("Space")
    page.keyboard.press("PageDown")
    page.wait_for_timeout(800)
    assert f"step={event_step + 1}" in page.url
    # At the last step, Next is greyed: a press stays there.
    last = len(PATH.steps) - 1
    open_step(page, server, last)
    page.locator("h1").first.click()
    page.keyboard.press("PageDown")
    page.wait_for_timeout(800)
    assert f"step={last + 1}" in page.url
