"""Presenter paths: every step of the real path opens from its own link, with its prompt and its neighbours."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest
from dataset_helpers import edit

from dashboard.dataset import load_dataset
from dashboard.safe import md_html_text as html_text  # HTML shown through st.markdown
from dashboard.schema import PresenterPath
from dashboard.ui import step_link_params
from dashboard.views import PAGES

from .kit import DATA, PATH_ID, assert_clean, follow, notices, open_page, page_links, plain, step_bar

PATH: PresenterPath = next(p for p in load_dataset(DATA).paths if p.id == PATH_ID)
PROMPTS = {p.id: p.text for p in load_dataset(DATA).prompts}
URL_PATH = {p.file: "" if p.default else p.url_path for p in PAGES}  # a link to the default page is to ""


def link(i: int) -> tuple[str, dict[str, str | list[str]]]:
    """The page file and query parameters of step ``i`` (0-based), as its own link has them."""
    step = PATH.steps[i]
    return f"views/{step.page}.py", step_link_params(PATH, i)


def as_query(params: dict[str, str | list[str]]) -> dict[str, list[str]]:
    return {k: v if isinstance(v, list) else [v] for k, v in params.items()}


def test_the_real_path_is_long_enough_to_test() -> None:
    assert len(PATH.steps) >= 3
    assert sum(s.page == "compare" for s in PATH.steps) >= 2


@pytest.mark.parametrize("i", range(len(PATH.steps)), ids=lambda i: f"step{i + 1}")
def test_each_step_opens_from_its_own_link(i: int, handouts: list) -> None:
    step = PATH.steps[i]
    page, params = link(i)
    at = open_page(page, params)
    assert_clean(at)
    assert not notices(at), "a step's own link is understood in full"

    # The step's title and prompt, in the bar's box.
    bar = step_bar(at)
    assert len(bar) == 1
    assert f"<p><strong>{html_text(step.title)}</strong></p>" in bar[0]
    if step.prompt:
        assert f"<p>{html_text(PROMPTS[step.prompt])}</p>" in bar[0]
    captions = [plain(c.value) for c in at.caption]
    assert any(c.startswith(f"{PATH.title} · step {i + 1} of {len(PATH.steps)}") for c in captions), captions
    if step.note:
        assert f"For the teacher: {' '.join(step.note.split())}" in captions

    # Page links to the neighbouring steps, each carrying that step's own link.
    links = page_links(at)
    previous = [label for label in links if label.startswith("Previous: ")]
    following = [label for label in links if label.startswith("Next: ")]
    if i == 0:
        assert previous == []
    else:
        assert previous == [f"Previous: {PATH.steps[i - 1].title}"]
        target_page, target_params = link(i - 1)
        assert links[previous[0]][0] == URL_PATH[target_page]
        assert parse_qs(links[previous[0]][1]) == as_query(target_params)
    if i == len(PATH.steps) - 1:
        assert following == []
    else:
        assert following == [f"Next: {PATH.steps[i + 1].title}"]
        target_page, target_params = link(i + 1)
        assert links[following[0]][0] == URL_PATH[target_page]
        assert parse_qs(links[following[0]][1]) == as_query(target_params)
    leave = links["Leave the presentation"]
    assert leave[0] == URL_PATH[page]
    assert parse_qs(leave[1]) == as_query(dict(step.settings))

    # The link keeps its place in the path, and the step's settings are the page's settings.
    assert at.query_params["path"] == PATH_ID and at.query_params["step"] == str(i + 1)
    for key, value in step.settings.items():
        shown = at.session_state[key]
        assert shown == (int(value) if isinstance(shown, int) else value), (key, shown, value)

    # A handout of what the step shows, when the view has quotes to hand out.
    if handouts:
        made = handouts[-1]
        assert made["title"] == step.title
        assert made["prompt"] == (PROMPTS[step.prompt] if step.prompt else None)
        assert made["sections"] and any(not s.claims.empty for s in made["sections"])
        assert [d.label for d in at.get("download_button")].count("Handout (printable HTML)") == 1
    assert bool(handouts) == (step.page in ("compare", "positions") or "event" in step.settings)


def test_the_quiz_step_hides_new_quiz_and_keeps_its_seed() -> None:
    i = next(i for i, s in enumerate(PATH.steps) if s.page == "quiz")
    at = open_page(*link(i))
    assert_clean(at)
    assert at.number_input(key="seed").value == int(PATH.steps[i].settings["seed"])
    assert "New quiz" not in [b.label for b in at.button]


def compare_state(at) -> dict[str, object]:
    return {k: at.session_state[k] for k in ("by", "subject", "outlets")}


def test_moving_between_steps_in_one_session_reapplies_each_steps_settings() -> None:
    compare = [i for i, s in enumerate(PATH.steps) if s.page == "compare"]
    first, second = compare[0], compare[1]
    all_outlets = ["wlrn", "washington_post", "breitbart", "as_coa", "aggregator"]

    at = open_page(*link(first))
    assert compare_state(at) == {"by": "actor", "subject": "maduro", "outlets": all_outlets}
    # The class wanders off: another subject, fewer outlets. A rerun of the same step keeps the change.
    at.selectbox(key="subject").set_value("guaido").run()
    at.multiselect(key="outlets").set_value(["wlrn"]).run()
    assert compare_state(at) == {"by": "actor", "subject": "guaido", "outlets": ["wlrn"]}
    at.run()
    assert compare_state(at)["subject"] == "guaido"

    # The Next link: the next compare step's settings win over what the widgets held.
    next_link = page_links(at)[f"Next: {PATH.steps[second].title}"]
    assert parse_qs(next_link[1]) == as_query(link(second)[1])
    follow(at, *link(second))
    assert_clean(at)
    assert compare_state(at) == {
        "by": "actor",
        "subject": "opposition",
        "outlets": ["breitbart", "wlrn", "washington_post"],
    }
    assert f"<strong>{html_text(PATH.steps[second].title)}</strong>" in step_bar(at)[0]

    # On to the next one (another kind of subject), and back again: each time the step's own settings.
    third = compare[2]
    follow(at, *link(third))
    assert compare_state(at) == {"by": "event", "subject": "amnesty-offer-2024", "outlets": ["as_coa", "aggregator"]}
    follow(at, *link(first))
    assert_clean(at)
    assert compare_state(at) == {"by": "actor", "subject": "maduro", "outlets": all_outlets}

    # Leaving the presentation keeps the view as it is, without the bar.
    leave = page_links(at)["Leave the presentation"]
    follow(at, "views/compare.py", {k: v[-1] if len(v) == 1 else v for k, v in parse_qs(leave[1]).items()})
    assert_clean(at)
    assert not step_bar(at)
    assert compare_state(at) == {"by": "actor", "subject": "maduro", "outlets": all_outlets}


def test_moving_to_a_step_on_another_page_and_back() -> None:
    i = next(i for i, s in enumerate(PATH.steps) if s.page == "compare" and i + 1 < len(PATH.steps))
    at = open_page(*link(i))
    at.selectbox(key="subject").set_value("guaido").run()
    j = next(j for j, s in enumerate(PATH.steps) if s.page == "positions")
    follow(at, *link(j))
    assert_clean(at)
    assert (at.session_state["actor"], at.session_state["issue"]) == ("opposition", "step_down_first")
    follow(at, *link(i))
    assert at.session_state["subject"] == PATH.steps[i].settings["subject"]


@pytest.mark.parametrize(
    ("params", "bad"),
    [
        ({"path": "nosuch", "step": "2"}, "path: “nosuch”"),
        ({"path": PATH_ID, "step": "99"}, "step: “99”"),
        ({"path": PATH_ID, "step": "0"}, "step: “0”"),
        ({"path": PATH_ID, "step": "two"}, "step: “two”"),
    ],
    ids=["unknown-path", "step-past-the-end", "step-0", "step-not-a-number"],
)
def test_a_bad_path_or_step_shows_the_notice_and_no_presenter_bar(params: dict[str, str], bad: str) -> None:
    at = open_page("views/compare.py", {**params, "by": "actor", "subject": "opposition"})
    assert_clean(at)
    assert len(notices(at)) == 1 and bad in notices(at)[0], notices(at)
    assert not step_bar(at)
    assert not [label for label in page_links(at) if label.startswith(("Previous", "Next", "Leave"))]
    # The rest of the link still applies, and the view is the ordinary one (with its sidebar).
    assert at.session_state["subject"] == "opposition"
    assert not any("stSidebar" in m.value for m in at.markdown), "the sidebar is hidden only when presenting"


def test_a_step_written_as_in_a_link_gets_its_handout(data_copy, handouts: list) -> None:
    """``outlets: a,b`` (the link's own form) is a valid step setting; the step's handout must read it so too."""
    i = next(i for i, s in enumerate(PATH.steps) if isinstance(s.settings.get("outlets"), list))
    listed = PATH.steps[i].settings["outlets"]
    as_written = "{by: actor, subject: opposition, outlets: [" + ", ".join(listed) + "]}"
    data_copy(lambda text: edit(text, as_written, '{by: actor, subject: opposition, outlets: "breitbart,wlrn"}'))
    params = {**step_link_params(PATH, i), "outlets": "breitbart,wlrn"}
    at = open_page(f"views/{PATH.steps[i].page}.py", params)
    assert_clean(at)
    assert at.session_state["outlets"] == ["breitbart", "wlrn"]
    assert handouts, "no handout button for the step"
    assert [s.heading for s in handouts[-1]["sections"]] == ["Breitbart News", "WLRN"]
    assert all(not s.claims.empty for s in handouts[-1]["sections"])
