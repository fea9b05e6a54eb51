"""Student links: each carries its step's question (``ask=``), shows it above the plain view, and opens on the part
of the view the question is about; the Student link box follows what the projector shows now."""

from __future__ import annotations

from urllib.parse import parse_qs

from dashboard.data.bundle import Bundle
from dashboard.data.dataset import load_dataset
from dashboard.markup.safe import md_html_text as html_text
from dashboard.views import BY_ID
from dashboard.views.steps import step_link_params, student_link_params

from .kit import FIXTURE, PATH_ID, assert_clean, notices, open_page, page_links, step_bar

STORY = load_dataset(FIXTURE)
BUNDLE = Bundle.build(STORY)
PATH = next(p for p in STORY.paths if p.id == PATH_ID)
PROMPTS = {p.id: p for p in STORY.prompts}


def step_index(title: str) -> int:
    return next(i for i, s in enumerate(PATH.steps) if s.title == title)


def drawn(at) -> list[str]:
    """Every element's text in the main area, in the order the page draws them."""
    out: list[str] = []

    def walk(node) -> None:
        for child in getattr(node, "children", {}).values():
            if hasattr(child, "children") and not hasattr(child, "value"):
                walk(child)
            else:
                out.append(f"{child.type}:{getattr(child, 'value', '')}")

    walk(at.main)
    return out


def first(items: list[str], *needles: str) -> int:
    return next(i for i, t in enumerate(items) if any(n in t for n in needles))


def test_every_student_link_carries_its_steps_question_and_shows_it_first() -> None:
    for i, step in enumerate(PATH.steps):
        params = student_link_params(BUNDLE, PATH, i)
        assert "path" not in params and "step" not in params
        if not step.prompt:
            assert "ask" not in params
            continue
        assert params["ask"] == step.prompt
        at = open_page(step.page, params)
        assert_clean(at)
        assert not notices(at), step.title
        assert not step_bar(at), "no presenter on a student's page"
        items = drawn(at)
        question = first(items, '<div class="nt-ask">')
        assert html_text(PROMPTS[step.prompt].text) in items[question]
        title = first(items, "title:")
        assert question < title, "the question comes before the view's own title"
        assert at.query_params["ask"] == step.prompt, "the address keeps the question"


def test_an_event_question_opens_on_the_events_quotes() -> None:
    i = step_index("The first round of talks")
    at = open_page("timeline", student_link_params(BUNDLE, PATH, i))
    assert_clean(at)
    items = drawn(at)
    assert first(items, "<blockquote") < first(items, "plotly_chart:"), "the event's quotes before the timeline"


def test_a_question_about_some_outlets_texts_opens_on_their_columns() -> None:
    i = step_index("Words in quotation marks")
    assert PROMPTS[PATH.steps[i].prompt].outlets, "the fixture's prompt names the outlets it is about"
    at = open_page("compare", student_link_params(BUNDLE, PATH, i))
    assert_clean(at)
    items = drawn(at)
    assert first(items, "<blockquote") < first(items, "plotly_chart:"), "the excerpt columns before the strip"
    # Without the question, the page is the ordinary one: the strip first.
    plain_page = open_page("compare", {k: v for k, v in student_link_params(BUNDLE, PATH, i).items() if k != "ask"})
    items = drawn(plain_page)
    assert first(items, "plotly_chart:") < first(items, "<blockquote")


def test_a_naming_question_lists_the_names_whole() -> None:
    i = step_index("Naming the president")
    at = open_page("compare", step_link_params(PATH, i, BUNDLE))
    assert_clean(at)
    named = [m.value for m in at.markdown if " names " in m.value and "(" in m.value]
    assert len(named) == 1
    view = BY_ID["compare"].build(BUNDLE, BY_ID["compare"].from_link(BUNDLE, PATH.steps[i].settings)[0])
    for outlet, used in view.names_used:
        assert f"**{BUNDLE.short_names[outlet]}** names" in named[0]
        for name in used:
            assert name.split(" (")[0] in named[0]


def test_a_question_that_is_not_one_is_named_and_dropped() -> None:
    at = open_page("timeline", {"ask": "nosuch"})
    assert_clean(at)
    assert len(notices(at)) == 1 and "ask" in notices(at)[0]
    assert "ask" not in at.query_params
    assert not [m for m in at.markdown if "nt-ask" in m.value]
    # Another page's question is not shown here (its link is the other page's).
    other = open_page("timeline", {"ask": "naming-alba"})
    assert not [m for m in other.markdown if "nt-ask" in m.value]


def test_the_student_link_box_follows_the_event_the_projector_shows() -> None:
    i = step_index("The first round of talks")
    at = open_page("timeline", step_link_params(PATH, i, BUNDLE))
    assert_clean(at)
    before = parse_qs(page_links(at)["Open the student link"][1])
    assert before["event"] == ["talks-2019"] and before["ask"] == [PATH.steps[i].prompt]
    other = next(e.id for e in STORY.events if e.id != "talks-2019")
    at.selectbox(key="timeline.event").set_value(other).run()
    assert_clean(at)
    after = parse_qs(page_links(at)["Open the student link"][1])
    assert after["event"] == [other], "the student link carries the event on the projector now"
    assert after["ask"] == [PATH.steps[i].prompt] and "step" not in after
