"""Discussion prompts and presenter paths: the real ones refer to things that exist, and bad ones are located."""

from __future__ import annotations

from pathlib import Path

import pytest
from dataset_helpers import check_text, edit, where

from dashboard.dataset import Dataset
from dashboard.frames import Tables
from dashboard.schema import PAGE_IDS
from dashboard.urlstate import parse
from dashboard.viewspecs import VIEW_SPECS

from .kit import DATA, PATH_ID

TEXT = DATA.read_text(encoding="utf-8")


# -- the real data ------------------------------------------------------------------------------------
def test_the_real_data_has_prompts_for_every_view_with_settings(real_dataset: Dataset) -> None:
    assert real_dataset.prompts and real_dataset.paths
    pages = {p.page for p in real_dataset.prompts}
    assert {"overview", "timeline", "positions", "compare", "quiz"} <= pages


def test_every_prompt_refers_to_things_that_exist(real_dataset: Dataset) -> None:
    ids = {
        "events": {e.id for e in real_dataset.events},
        "actors": {a.id for a in real_dataset.actors},
        "issues": {i.id for i in real_dataset.issues},
        "outlets": {o.id for o in real_dataset.outlets},
    }
    prompt_ids = [p.id for p in real_dataset.prompts]
    assert len(prompt_ids) == len(set(prompt_ids)), "prompt ids are unique"
    for prompt in real_dataset.prompts:
        assert prompt.page in PAGE_IDS, prompt.id
        assert prompt.text.strip(), prompt.id
        for kind, known in ids.items():
            missing = set(getattr(prompt, kind)) - known
            assert not missing, f"prompt {prompt.id}: unknown {kind} {sorted(missing)}"


def test_every_path_step_refers_to_things_that_exist(real_dataset: Dataset, tables: Tables) -> None:
    prompts = {p.id: p for p in real_dataset.prompts}
    path_ids = [p.id for p in real_dataset.paths]
    assert len(path_ids) == len(set(path_ids)), "path ids are unique"
    for path in real_dataset.paths:
        for n, step in enumerate(path.steps, start=1):
            where_ = f"path {path.id}, step {n}"
            assert step.page in PAGE_IDS, where_
            if step.prompt is not None:
                assert step.prompt in prompts, f"{where_}: unknown prompt {step.prompt}"
                assert prompts[step.prompt].page == step.page, f"{where_}: its prompt is for another page"
            parsed = parse(step.settings, VIEW_SPECS[step.page](tables))
            assert parsed.notices == [], f"{where_}: {parsed.notices}"
            for key, value in step.settings.items():  # every setting is taken as written, not defaulted
                wanted = [value] if isinstance(value, str) else value
                got = parsed.values[key]
                got = got if isinstance(got, list) else [got]
                assert [str(x) for x in got] == wanted, (where_, key)


def test_the_class_path_fits_its_lesson(real_dataset: Dataset) -> None:
    path = next(p for p in real_dataset.paths if p.id == PATH_ID)
    assert sum(s.minutes or 0 for s in path.steps) == 45, "the 45-minute class adds up to 45 minutes"
    assert all(s.prompt for s in path.steps), "every step of the class has a prompt"
    assert path.steps[-1].page == "quiz", "the class ends with the quiz, as its description says"


# -- the validator, on bad variants of the real file --------------------------------------------------
def problems_in(tmp_path: Path, old: str, new: str) -> tuple[str, str, list[str]]:
    """Check data/events.yaml with ``old`` replaced by ``new``; (file as shown, edited text, problems)."""
    text = edit(TEXT, old, new)
    shown, dataset, problems = check_text(tmp_path, text)
    assert dataset is None, "a dataset with a problem is not returned"
    return shown, text, [str(p) for p in problems]


def located(shown: str, text: str, snippet: str, offset: int = 0) -> str:
    """``PATH:LINE:COL`` of ``snippet`` (moved ``offset`` characters right) in ``text``."""
    line, col = where(text, snippet)
    return f"{shown}:{line}:{col + offset}"


def located_in(shown: str, text: str, new: str, bad: str) -> str:
    """``PATH:LINE:COL`` of ``bad`` inside the edited stretch ``new`` of ``text``."""
    line, col = where(text, new)
    before = new[: new.index(bad)]
    if "\n" in before:
        return f"{shown}:{line + before.count(chr(10))}:{len(before) - before.rfind(chr(10))}"
    return f"{shown}:{line}:{col + len(before)}"


def test_a_step_with_an_unknown_prompt(tmp_path: Path) -> None:
    shown, text, problems = problems_in(tmp_path, "        prompt: naming-maduro\n", "        prompt: naming-madur\n")
    assert problems == [
        f"{located(shown, text, 'prompt: naming-madur', len('prompt: '))}: path {PATH_ID}, step 5: "
        "unknown prompt 'naming-madur' "
        "(did you mean 'naming-maduro'?)"
    ]


@pytest.mark.parametrize(
    ("old", "new", "bad", "kind", "prompt"),
    [
        (
            "    events: [oslo-talks-2019, talks-collapse-2019]",
            "    events: [oslo-talks-2019, no-such-talks]",
            "no-such-talks",
            "event",
            "why-talks-fail",
        ),
        (
            "    actors: [opposition]\n    issues: [step_down_first]",
            "    actors: [oppositon]\n    issues: [step_down_first]",
            "oppositon",
            "actor",
            "step-down-first",
        ),
        (
            "    actors: [opposition]\n    issues: [step_down_first]",
            "    actors: [opposition]\n    issues: [step_down]",
            "step_down",
            "issue",
            "step-down-first",
        ),
        (
            "    outlets: [breitbart]",
            "    outlets: [breitbart, fox]",
            "fox",
            "outlet",
            "scare-quotes",
        ),
    ],
    ids=["event", "actor", "issue", "outlet"],
)
def test_a_prompt_about_something_unknown(tmp_path: Path, old: str, new: str, bad: str, kind: str, prompt: str) -> None:
    shown, text, problems = problems_in(tmp_path, old, new)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{located_in(shown, text, new, bad)}: prompt {prompt}: unknown {kind} '{bad}'")


def test_a_step_on_an_unknown_page(tmp_path: Path) -> None:
    shown, text, problems = problems_in(
        tmp_path, "        page: quiz\n        settings", "        page: quizz\n        settings"
    )
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{located(shown, text, 'quizz')}: path {PATH_ID}: ")
    assert (
        "page" in problems[0] and "'overview', 'timeline', 'positions', 'compare', 'quiz' or 'methods'" in problems[0]
    )


def test_a_prompt_on_an_unknown_page(tmp_path: Path) -> None:
    shown, text, problems = problems_in(
        tmp_path, "  - id: quiz-cues\n    page: quiz\n", "  - id: quiz-cues\n    page: results\n"
    )
    assert problems[0].startswith(
        f"{located(shown, text, 'page: results', 6)}: prompt quiz-cues: page: Input should be"
    )
    # The step that used the broken prompt is told about too, at its own line.
    assert problems[1:] == [
        f"{located(shown, text, 'prompt: quiz-cues', len('prompt: '))}: path {PATH_ID}, step 9: "
        "unknown prompt 'quiz-cues'"
    ]


@pytest.mark.parametrize(
    ("old", "new", "step", "page", "message"),
    [
        ("{event: oslo-talks-2019}", "{event: nosuch}", 3, "timeline", "event: “nosuch” is not a known value"),
        ("{lanes: outlet}", "{lanes: outlet, colour: red}", 2, "timeline", "unknown setting “colour”"),
        (
            "{by: actor, subject: maduro}",
            "{by: actor, subject: maduro, voices: some}",
            5,
            "compare",
            "voices: “some” is not a known value",
        ),
        (
            "{by: actor, subject: opposition, outlets: [breitbart, wlrn, washington_post]}",
            "{by: actor, subject: opposition, outlets: [breitbart, wlrn, nyt]}",
            6,
            "compare",
            "outlets: “nyt” is not a known value",
        ),
        ('{seed: "2024"}', '{seed: "-4"}', 9, "quiz", "seed: “-4” is not a known value"),
        (
            '{actor: opposition, issue: step_down_first, asof: "2019-05"}',
            '{actor: opposition, issue: step_down_first, asof: "1999-01"}',
            4,
            "positions",
            "asof: “1999-01” is not a known value",
        ),
    ],
    ids=["bad-event", "unknown-key", "bad-choice", "bad-outlet", "bad-seed", "bad-month"],
)
def test_a_step_setting_its_view_does_not_understand(
    tmp_path: Path, old: str, new: str, step: int, page: str, message: str
) -> None:
    shown, text, problems = problems_in(tmp_path, old, new)
    assert problems == [f"{located(shown, text, new)}: path {PATH_ID}, step {step} ({page}): {message}"]


def test_an_unknown_field_in_a_step(tmp_path: Path) -> None:
    shown, text, problems = problems_in(tmp_path, "        prompt: rewrite\n", "        promt: rewrite\n")
    assert problems == [
        f"{located(shown, text, 'promt: rewrite')}: path {PATH_ID}: unknown field 'promt' (did you mean 'prompt'?)"
    ]


def test_a_step_of_no_minutes(tmp_path: Path) -> None:
    shown, text, problems = problems_in(
        tmp_path, "        prompt: rewrite\n        minutes: 5\n", "        prompt: rewrite\n        minutes: 0\n"
    )
    assert len(problems) == 1
    assert problems[0].startswith(f"{located(shown, text, 'minutes: 0', len('minutes: '))}: path {PATH_ID}: ")
    assert "minutes" in problems[0] and "greater than or equal to 1" in problems[0]


def test_duplicate_prompt_ids(tmp_path: Path) -> None:
    shown, text, problems = problems_in(tmp_path, "  - id: second-hand\n", "  - id: step-down-first\n")
    first, _ = where(text, "  - id: step-down-first")
    line, col = where(text, "id: step-down-first", 2)
    assert problems == [f"{shown}:{line}:{col + 4}: duplicate id 'step-down-first' in prompts (first at line {first})"]
