"""Presenter paths: every step of the fixture's path opens from its own link, with its prompt and its neighbours."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import pytest
from dataset_helpers import edit

from dashboard.data.bundle import Bundle
from dashboard.data.dataset import load_dataset
from dashboard.data.schema import PresenterPath
from dashboard.markup.safe import md_html_text as html_text  # HTML shown through st.markdown
from dashboard.views import BY_ID, VIEWS
from dashboard.views.steps import step_link_params

from .kit import (
    FIXTURE,
    HANDOUT,
    PATH_ID,
    assert_clean,
    download,
    download_labels,
    goto,
    notices,
    open_page,
    page_links,
    plain,
    step_bar,
    step_prompt,
)

STORY = load_dataset(FIXTURE)
BUNDLE = Bundle.build(STORY)
PATH: PresenterPath = next(p for p in STORY.paths if p.id == PATH_ID)
PROMPTS = {p.id: p.text for p in STORY.prompts}
URL_PATH = {v.id: "" if v.default else v.id for v in VIEWS}  # a link to the default page is to ""
COMPARE = BY_ID["compare"]


def link(i: int) -> tuple[str, dict[str, str | list[str]]]:
    """The view id and query parameters of step ``i`` (0-based), as its own link has them."""
    return PATH.steps[i].page, step_link_params(PATH, i)


def assert_step_link(got: tuple[str, str], i: int) -> None:
    """A link to step ``i``: its page, its presenter keys, and its settings written as the page writes them
    (so arriving adds no second history entry)."""
    page = PATH.steps[i].page
    assert got[0] == URL_PATH[page]
    query = parse_qs(got[1])
    assert query.pop("path") == [PATH_ID] and query.pop("step") == [str(i + 1)]
    view = BY_ID[page]
    settings = view.from_link(BUNDLE, query)[0]
    assert settings == view.from_link(BUNDLE, PATH.steps[i].settings)[0], got
    assert query == as_query(view.to_link(BUNDLE, settings)), f"{got}: not as the page writes it"


def as_query(params: dict[str, str | list[str]]) -> dict[str, list[str]]:
    return {k: v if isinstance(v, list) else [v] for k, v in params.items()}


def state_key(page: str, name: str) -> str:
    """The page-scoped widget key of the setting a link names ``name`` (``from`` fills ``timeline.start``)."""
    view = BY_ID[page]
    return view.key(next(p.field for p in view.params(BUNDLE) if p.name == name))


def in_order(at) -> list[tuple[str, str]]:
    """(kind, value) of every element of the main area, in the order the page draws them."""
    out: list[tuple[str, str]] = []

    def walk(node: Any) -> None:
        for child in getattr(node, "children", {}).values():
            if hasattr(child, "children") and not hasattr(child, "value"):
                walk(child)
            else:
                out.append((child.type, str(getattr(child, "value", ""))))

    walk(at.main)
    return out


def test_the_path_covers_what_these_tests_need() -> None:
    assert len(PATH.steps) >= 3
    assert sum(s.page == "compare" for s in PATH.steps) >= 3
    assert {s.page for s in PATH.steps} >= {"overview", "timeline", "positions", "compare", "quiz"}


@pytest.mark.parametrize("i", range(len(PATH.steps)), ids=lambda i: f"step{i + 1}")
def test_each_step_opens_from_its_own_link(i: int, handouts: list, downloads: dict) -> None:
    step = PATH.steps[i]
    page, params = link(i)
    at = open_page(page, params)
    assert_clean(at)
    assert not notices(at), "a step's own link is understood in full"

    # The bar, then the step's title and prompt in place of the view's own title, then the view.
    bar = step_bar(at)
    assert bar == [f'<div class="nt-step-title"><h1>{html_text(step.title)}</h1></div>']
    if step.prompt:
        assert step_prompt(at) == [f'<div class="nt-step"><p>{html_text(PROMPTS[step.prompt])}</p></div>']
    else:
        assert step_prompt(at) == []
    assert not at.title, "in presentation mode the step's title stands in for the view's"
    drawn = [value for _, value in in_order(at)]
    where = plain(next(v for v in drawn if v.startswith("Step ")))
    assert where.startswith(f"Step {i + 1} of {len(PATH.steps)} · "), where
    assert where.endswith(f" · **{PATH.title}**"), where
    kinds = [kind for kind, _ in in_order(at)]
    before = set(kinds[: drawn.index(bar[0])])
    assert before <= {"markdown", "html", "page_link", "code", "imgs", "download_button", "button", "caption"}, before
    # The teacher's note is folded in the bar, never in the page's own text.
    if step.note:
        assert any(plain(m.value) == " ".join(step.note.split()) for m in at.markdown)
        assert not any("For the teacher" in c.value for c in at.caption)

    # Page links to the neighbouring steps, each carrying that step's own link; both are always drawn, first
    # in the bar (a clicker's next press finds Next in its place), greyed at either end of the path.
    links = page_links(at)
    moves = {plain(p.value): p.proto for p in at.get("page_link") if plain(p.value) in ("Previous", "Next")}
    assert list(links)[:2] == ["Previous", "Next"]
    assert moves["Previous"].disabled == (i == 0) and moves["Next"].disabled == (i == len(PATH.steps) - 1)
    assert_step_link(links["Previous"], max(i - 1, 0))
    assert_step_link(links["Next"], min(i + 1, len(PATH.steps) - 1))
    # Leave: the plain view as it is, with no presenter key.
    leave = links["Leave"]
    assert leave[0] == URL_PATH[page]
    view = BY_ID[page]
    assert parse_qs(leave[1]) == as_query(view.to_link(BUNDLE, view.from_link(BUNDLE, step.settings)[0]))
    # The students' link: the same view and settings and the step's question, without the presenter's keys.
    student = links["Open the student link"]
    asked = parse_qs(student[1])
    assert asked.pop("ask", None) == ([step.prompt] if step.prompt else None)
    assert (student[0], asked) == (leave[0], parse_qs(leave[1])), "the step's view with the step's settings"
    assert "path" not in asked and "step" not in asked

    # The link keeps its place in the path, and the step's settings are the page's settings.
    assert at.query_params["path"] == PATH_ID and at.query_params["step"] == str(i + 1)
    for name, value in step.settings.items():
        shown = at.session_state[state_key(page, name)]
        assert shown == (int(value) if isinstance(shown, int) else value), (name, shown, value)

    # A handout of what the step shows, when the view has quotes to hand out; written on click.
    sections = BY_ID[page].handout(BUNDLE, BY_ID[page].from_link(BUNDLE, step.settings)[0])
    offered = download_labels(at).count(HANDOUT)
    assert sections and offered == 1, "every step has a handout"
    if offered:
        document = download(at, downloads, HANDOUT).decode("utf-8")
        made = handouts[-1]
        assert made["title"] == step.title
        assert made["prompt"] == (PROMPTS[step.prompt] if step.prompt else None)
        assert [s.heading for s in made["sections"]] == [s.heading for s in sections]
        assert any(not s.claims.empty or s.kind == "sources" for s in made["sections"])
        assert f"<h1>{html_text(step.title)}</h1>" in document
    else:
        assert handouts == []


def test_the_quiz_step_hides_new_quiz_and_keeps_its_seed() -> None:
    i = next(i for i, s in enumerate(PATH.steps) if s.page == "quiz")
    at = open_page(*link(i))
    assert_clean(at)
    assert at.number_input(key="quiz.seed").value == int(PATH.steps[i].settings["seed"])
    assert "New quiz" not in [b.label for b in at.button]


def compare_state(at) -> dict[str, object]:
    return {k: at.session_state[COMPARE.key(k)] for k in ("by", "subject", "outlets")}


def compare_steps() -> list[int]:
    return [i for i, s in enumerate(PATH.steps) if s.page == "compare"]


def expected_compare(i: int) -> dict[str, object]:
    """The compare settings step ``i`` opens with: its own, the view's defaults for the rest."""
    settings = COMPARE.from_link(BUNDLE, PATH.steps[i].settings)[0]
    return {"by": settings.by, "subject": settings.subject, "outlets": list(settings.outlets)}


def test_moving_between_steps_in_one_session_reapplies_each_steps_settings() -> None:
    first, second, third = compare_steps()[:3]
    states = [expected_compare(i) for i in (first, second, third)]
    assert len({repr(s) for s in states}) == 3, "the three steps differ, so a leftover setting would show"
    assert states[0]["outlets"] == BUNDLE.outlets_with_text  # the first step leaves the outlets at their default

    at = open_page(*link(first))
    assert compare_state(at) == states[0]
    # The class wanders off: another subject, fewer outlets. A rerun of the same step keeps the change.
    at.selectbox(key=COMPARE.key("subject")).set_value("envoy").run()
    at.multiselect(key=COMPARE.key("outlets")).set_value(["ledger"]).run()
    assert compare_state(at) == {"by": "actor", "subject": "envoy", "outlets": ["ledger"]}
    at.run()
    assert compare_state(at)["subject"] == "envoy"

    # The Next link: the next compare step's settings win over what the widgets held.
    next_link = page_links(at)["Next"]
    assert_step_link(next_link, second)
    goto(at, *link(second))
    assert_clean(at)
    assert compare_state(at) == states[1]
    assert step_bar(at) == [f'<div class="nt-step-title"><h1>{html_text(PATH.steps[second].title)}</h1></div>']

    # On to the next one (another kind of subject), and back again: each time the step's own settings.
    goto(at, *link(third))
    assert compare_state(at) == states[2]
    goto(at, *link(first))
    assert_clean(at)
    assert compare_state(at) == states[0]

    # Leaving the presentation keeps the view as it is, without the bar.
    leave = page_links(at)["Leave"]
    goto(at, "compare", {k: v[-1] if len(v) == 1 else v for k, v in parse_qs(leave[1]).items()})
    assert_clean(at)
    assert not step_bar(at)
    assert not [label for label in page_links(at) if label.startswith(("Previous", "Next", "Leave"))]
    assert compare_state(at) == states[0]
    assert "path" not in at.query_params and "step" not in at.query_params


def test_moving_to_a_step_on_another_page_and_back() -> None:
    i = compare_steps()[0]
    at = open_page(*link(i))
    at.selectbox(key=COMPARE.key("subject")).set_value("envoy").run()
    j = next(j for j, s in enumerate(PATH.steps) if s.page == "positions")
    goto(at, *link(j))
    assert_clean(at)
    wanted = PATH.steps[j].settings
    assert (at.session_state["positions.actor"], at.session_state["positions.issue"]) == (
        wanted["actor"],
        wanted["issue"],
    )
    assert at.session_state["positions.asof"] == wanted["asof"]
    goto(at, *link(i))
    assert at.session_state[COMPARE.key("subject")] == PATH.steps[i].settings["subject"]


def test_a_step_opened_on_another_page_says_so() -> None:
    """The step's link names its page; opened on another one, the bar warns and the handout is the step's own."""
    i = next(i for i, s in enumerate(PATH.steps) if s.page == "positions")
    at = open_page("timeline", {"path": PATH_ID, "step": str(i + 1)})
    assert not at.exception
    assert [w.value for w in at.warning] == ["This link's page is not the page of this step."]
    assert len(step_bar(at)) == 1
    assert download_labels(at).count(HANDOUT) == 1, "the handout is of the step's own view (positions)"


BAD_STEPS = pytest.mark.parametrize(
    ("params", "bad"),
    [
        ({"path": "nosuch", "step": "2"}, "path: “nosuch”"),
        ({"path": PATH_ID, "step": "99"}, "step: “99”"),
        ({"path": PATH_ID, "step": "0"}, "step: “0”"),
        ({"path": PATH_ID, "step": "two"}, "step: “two”"),
    ],
    ids=["unknown-path", "step-past-the-end", "step-0", "step-not-a-number"],
)


@BAD_STEPS
def test_a_bad_path_or_step_shows_no_presenter_bar(params: dict[str, str], bad: str) -> None:
    at = open_page("compare", {**params, "by": "actor", "subject": "envoy"})
    assert_clean(at)
    assert not step_bar(at)
    assert not [label for label in page_links(at) if label.startswith(("Previous", "Next", "Leave"))]
    # The rest of the link still applies, and the view is the ordinary one (with its sidebar).
    assert at.session_state[COMPARE.key("subject")] == "envoy"
    assert not any("stSidebar" in m.value for m in at.markdown), "the sidebar is hidden only when presenting"


@BAD_STEPS
def test_a_bad_path_or_step_is_named_in_the_notice(params: dict[str, str], bad: str) -> None:
    at = open_page("compare", {**params, "by": "actor", "subject": "envoy"})
    assert len(notices(at)) == 1 and bad in notices(at)[0], notices(at)
    # A bad step is not kept in the address bar, so a reload or a copied link does not repeat it.
    assert "path" not in at.query_params and "step" not in at.query_params, dict(at.query_params)


def test_a_step_written_as_in_a_link_gets_its_handout(data_copy, handouts: list, downloads: dict) -> None:
    """``outlets: a,b`` (the link's own form) is a valid step setting; the step's handout must read it so too."""
    i = next(i for i, s in enumerate(PATH.steps) if isinstance(s.settings.get("outlets"), list))
    step = PATH.steps[i]
    listed = step.settings["outlets"]
    assert len(listed) >= 2
    as_written = f"{{by: {step.settings['by']}, subject: {step.settings['subject']}, outlets: [{', '.join(listed)}]}}"
    reordered = list(reversed(listed))
    data_copy(
        lambda text: edit(text, as_written, as_written.replace(f"[{', '.join(listed)}]", f'"{",".join(reordered)}"'))
    )
    params = {**step_link_params(PATH, i), "outlets": ",".join(reordered)}
    at = open_page(step.page, params)
    assert_clean(at)
    assert not notices(at)
    assert at.session_state[COMPARE.key("outlets")] == reordered
    download(at, downloads, HANDOUT)
    names = BUNDLE.names["outlet"]
    assert [s.heading for s in handouts[-1]["sections"]] == [names[o] for o in reordered]
    assert all(not s.claims.empty for s in handouts[-1]["sections"])
