"""Discussion prompts and presenter paths: the real ones refer to things that exist, and bad ones are located.

The curated data is checked as data (its prompts and its class path); the validator's
messages are tested on bad variants of the classroom fixture, which no editor touches.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from dataset_helpers import check_text, edit, where

from dashboard.data.bundle import Bundle
from dashboard.data.dataset import DATA_ENV, Dataset, check_dataset, load_dataset
from dashboard.views import BY_ID, VIEWS
from dashboard.views.checks import view_checks
from dashboard.views.steps import step_link_params

from .kit import FIXTURE, PATH_ID, assert_clean, notices, open_page, step_bar

TEXT = FIXTURE.read_text(encoding="utf-8")
REAL_PATH = "class-45"  # the curated data's 45-minute class
PAGES = ", ".join(v.id for v in VIEWS)
PATH = next(p for p in load_dataset(FIXTURE).paths if p.id == PATH_ID)


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
        assert prompt.page in BY_ID, prompt.id
        assert prompt.text.strip(), prompt.id
        for kind, known in ids.items():
            missing = set(getattr(prompt, kind)) - known
            assert not missing, f"prompt {prompt.id}: unknown {kind} {sorted(missing)}"


def test_every_path_step_refers_to_things_that_exist(real_dataset: Dataset) -> None:
    bundle = Bundle.build(real_dataset)
    prompts = {p.id: p for p in real_dataset.prompts}
    path_ids = [p.id for p in real_dataset.paths]
    assert len(path_ids) == len(set(path_ids)), "path ids are unique"
    for path in real_dataset.paths:
        for n, step in enumerate(path.steps, start=1):
            where_ = f"path {path.id}, step {n}"
            assert step.page in BY_ID, where_
            view = BY_ID[step.page]
            if step.prompt is not None:
                assert step.prompt in prompts, f"{where_}: unknown prompt {step.prompt}"
                assert prompts[step.prompt].page == step.page, f"{where_}: its prompt is for another page"
            settings, notices = view.from_link(bundle, step.settings)
            assert notices == [], f"{where_}: {notices}"
            fields = {p.name: p.field for p in view.params(bundle)}
            for name, value in step.settings.items():  # every setting is taken as written, not defaulted
                wanted = [value] if isinstance(value, str) else value
                got = getattr(settings, fields[name])
                got = list(got) if isinstance(got, tuple) else [got]
                assert [str(x) for x in got] == wanted, (where_, name)


def test_the_class_path_fits_its_lesson(real_dataset: Dataset) -> None:
    path = next(p for p in real_dataset.paths if p.id == REAL_PATH)
    assert sum(s.minutes or 0 for s in path.steps) == 45, "the 45-minute class adds up to 45 minutes"
    assert all(s.prompt for s in path.steps), "every step of the class has a prompt"
    assert path.steps[-1].page == "quiz", "the class ends with the quiz, as its description says"


def test_every_real_step_opens_cleanly_from_its_own_link(
    real_dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The curated path as a class meets it: each step's link opens its page, understood in full, with its bar."""
    monkeypatch.delenv(DATA_ENV)  # the app shows data/events.yaml
    path = next(p for p in real_dataset.paths if p.id == REAL_PATH)
    for i, step in enumerate(path.steps):
        at = open_page(step.page, step_link_params(path, i))
        assert_clean(at)
        assert not notices(at), (i + 1, notices(at))
        assert len(step_bar(at)) == 1, i + 1


def test_the_fixture_is_valid_with_the_views_checks() -> None:
    dataset, problems = check_dataset(FIXTURE, checks=view_checks())
    assert problems == [] and dataset is not None
    assert any(s.settings for p in dataset.paths for s in p.steps), "its steps have settings to check"


# -- the validator, on bad variants of the fixture --------------------------------------------------
def problems_in(tmp_path: Path, old: str, new: str, **kwargs: object) -> tuple[str, str, list[str]]:
    """Check the fixture with ``old`` replaced by ``new`` (with the views' checks unless told otherwise)."""
    text = edit(TEXT, old, new)
    kwargs.setdefault("checks", view_checks())
    shown, dataset, problems = check_text(tmp_path, text, **kwargs)
    assert (dataset is None) == bool(problems), "a dataset is returned exactly when it has no problem"
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


def step_number(page: str, **settings: str) -> int:
    """The 1-based number of the fixture path's step on ``page`` with these settings."""
    return next(
        n
        for n, s in enumerate(PATH.steps, start=1)
        if s.page == page and all(s.settings.get(k) == v for k, v in settings.items())
    )


def test_a_step_with_an_unknown_prompt(tmp_path: Path) -> None:
    shown, text, problems = problems_in(tmp_path, "        prompt: naming-alba\n", "        prompt: naming-alb\n")
    assert problems == [
        f"{located(shown, text, 'prompt: naming-alb', len('prompt: '))}: path {PATH_ID}, "
        f"step {step_number('compare', subject='ruiz')}: unknown prompt 'naming-alb' (did you mean 'naming-alba'?)"
    ]


@pytest.mark.parametrize(
    ("old", "new", "bad", "kind", "prompt"),
    [
        (
            "each side?\n    events: [talks-2019]\n",
            "each side?\n    events: [talks-2019, no-such-talks]\n",
            "no-such-talks",
            "event",
            "why-talks",
        ),
        (
            "show it?\n    actors: [ruiz]\n    issues: [step_aside]\n",
            "show it?\n    actors: [rui]\n    issues: [step_aside]\n",
            "rui]",
            "actor",
            "step-aside",
        ),
        (
            "show it?\n    actors: [ruiz]\n    issues: [step_aside]\n",
            "show it?\n    actors: [ruiz]\n    issues: [step_asid]\n",
            "step_asid",
            "issue",
            "step-aside",
        ),
        (
            "quotation marks?\n    outlets: [ledger]\n",
            "quotation marks?\n    outlets: [ledger, fox]\n",
            "fox",
            "outlet",
            "scare",
        ),
    ],
    ids=["event", "actor", "issue", "outlet"],
)
def test_a_prompt_about_something_unknown(tmp_path: Path, old: str, new: str, bad: str, kind: str, prompt: str) -> None:
    shown, text, problems = problems_in(tmp_path, old, new)
    assert len(problems) == 1, problems
    assert problems[0].startswith(
        f"{located_in(shown, text, new, bad)}: prompt {prompt}: unknown {kind} '{bad.rstrip(']')}'"
    )


def test_a_step_on_an_unknown_page(tmp_path: Path) -> None:
    old = "        page: quiz\n        settings"
    shown, text, problems = problems_in(tmp_path, old, old.replace("quiz", "quizz"))
    step = step_number("quiz")
    assert problems == [
        f"{located(shown, text, 'quizz')}: path {PATH_ID}, step {step}: page 'quizz' is not a view; "
        f"expected one of: {PAGES}"
    ]


def test_a_prompt_on_an_unknown_page(tmp_path: Path) -> None:
    shown, text, problems = problems_in(
        tmp_path, "  - id: quiz-cues\n    page: quiz\n", "  - id: quiz-cues\n    page: results\n"
    )
    assert problems == [
        f"{located(shown, text, 'page: results', len('page: '))}: prompt quiz-cues: page 'results' is not a view; "
        f"expected one of: {PAGES}"
    ]


def test_page_ids_are_the_views_to_check(tmp_path: Path) -> None:
    """The data layer knows no views: without the views' checks, any plain id is a page."""
    for old, new in [
        ("  - id: quiz-cues\n    page: quiz\n", "  - id: quiz-cues\n    page: results\n"),
        ("        page: quiz\n        settings", "        page: quizz\n        settings"),
    ]:
        _, _, problems = problems_in(tmp_path, old, new, checks=())
        assert problems == []
        _, _, problems = problems_in(tmp_path, old, new)
        assert len(problems) == 1 and "is not a view" in problems[0], problems


STEP_CASES = [
    (
        "{event: talks-2019}",
        "{event: nosuch}",
        ("timeline", {"event": "talks-2019"}),
        "event: “nosuch” is not a known value",
    ),
    ("{lanes: outlet}", "{lanes: outlet, colour: red}", ("timeline", {"lanes": "outlet"}), "unknown setting “colour”"),
    (
        "{by: actor, subject: ruiz}",
        "{by: actor, subject: ruiz, voices: some}",
        ("compare", {"subject": "ruiz"}),
        "voices: “some” is not a known value",
    ),
    (
        "{by: actor, subject: alba, outlets: [harbour, ledger]}",
        "{by: actor, subject: alba, outlets: [harbour, nyt]}",
        ("compare", {"subject": "alba"}),
        "outlets: “nyt” is not a known value",
    ),
    ('{seed: "2024"}', '{seed: "-4"}', ("quiz", {}), "seed: “-4” is not a known value"),
    (
        '{actor: ruiz, issue: step_aside, asof: "2019-05"}',
        '{actor: ruiz, issue: step_aside, asof: "1999-01"}',
        ("positions", {}),
        "asof: “1999-01” is not a known value",
    ),
    (
        "{by: issue, subject: amnesty, section: voices}",
        "{by: issue, subject: amnesty, section: votes}",
        ("compare", {"subject": "amnesty"}),
        "section: “votes” is not a known value",
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "step", "message"),
    STEP_CASES,
    ids=["bad-event", "unknown-key", "bad-choice", "bad-outlet", "bad-seed", "bad-month", "bad-section"],
)
def test_a_step_setting_its_view_does_not_understand(
    tmp_path: Path, old: str, new: str, step: tuple[str, dict[str, str]], message: str
) -> None:
    page, settings = step
    n = step_number(page, **settings)
    shown, text, problems = problems_in(tmp_path, old, new)
    assert problems == [f"{located(shown, text, new)}: path {PATH_ID}, step {n} ({page}): {message}"]


@pytest.mark.parametrize(("old", "new", "step", "message"), STEP_CASES[:2], ids=["bad-event", "unknown-key"])
def test_step_settings_are_checked_by_the_view_layer(
    tmp_path: Path, old: str, new: str, step: tuple[str, dict[str, str]], message: str
) -> None:
    """``check_dataset`` alone accepts any step settings; the views' checks report them, located."""
    shown, text, problems = problems_in(tmp_path, old, new, checks=())
    assert problems == [], "the data layer does not know the views' settings"
    _, dataset, found = check_text(tmp_path, text, checks=view_checks())
    assert dataset is None
    assert [str(p) for p in found] == [
        f"{located(shown, text, new)}: path {PATH_ID}, step {step_number(step[0], **step[1])} ({step[0]}): {message}"
    ]


def test_the_views_checks_run_only_on_an_otherwise_valid_dataset(tmp_path: Path) -> None:
    """A file with a problem of its own is not also read as links (which would need its frames)."""
    text = edit(TEXT, "{lanes: outlet}", "{lanes: outlet, colour: red}")
    text = edit(text, "        prompt: naming-alba\n", "        prompt: naming-alb\n")
    _, dataset, problems = check_text(tmp_path, text, checks=view_checks())
    assert dataset is None
    step = step_number("compare", subject="ruiz")
    assert [p.message for p in problems] == [
        f"path {PATH_ID}, step {step}: unknown prompt 'naming-alb' (did you mean 'naming-alba'?)"
    ]


def test_an_unknown_field_in_a_step(tmp_path: Path) -> None:
    shown, text, problems = problems_in(tmp_path, "        prompt: scare\n", "        promt: scare\n")
    assert problems == [
        f"{located(shown, text, 'promt: scare')}: path {PATH_ID}: unknown field 'promt' (did you mean 'prompt'?)"
    ]


def test_a_step_of_no_minutes(tmp_path: Path) -> None:
    shown, text, problems = problems_in(
        tmp_path, "        prompt: scare\n        minutes: 5\n", "        prompt: scare\n        minutes: 0\n"
    )
    assert len(problems) == 1
    assert problems[0].startswith(f"{located(shown, text, 'minutes: 0', len('minutes: '))}: path {PATH_ID}: ")
    assert "minutes" in problems[0] and "greater than or equal to 1" in problems[0]


def test_duplicate_prompt_ids(tmp_path: Path) -> None:
    shown, text, problems = problems_in(tmp_path, "  - id: naming-alba\n", "  - id: step-aside\n")
    first, _ = where(text, "  - id: step-aside")
    line, col = where(text, "id: step-aside", 2)
    used = located(shown, text, "prompt: naming-alba", len("prompt: "))  # the step that named the renamed prompt
    assert problems == [
        f"{shown}:{line}:{col + 4}: duplicate id 'step-aside' in prompts (first at line {first})",
        f"{used}: path {PATH_ID}, step {step_number('compare', subject='ruiz')}: unknown prompt 'naming-alba'",
    ]


def test_the_validator_cli_runs_the_views_checks(tmp_path: Path) -> None:
    """``python -m dashboard.validate`` reports a step its view does not understand, located, as the app does."""
    old, new = "{lanes: outlet}", "{lanes: outlet, colour: red}"
    path = tmp_path / "story.yaml"
    text = edit(TEXT, old, new)
    path.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "dashboard.validate", str(path)],
        cwd=FIXTURE.parents[2],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, (done.stdout, done.stderr)
    step = step_number("timeline", lanes="outlet")
    assert done.stdout.splitlines() == [
        f"{located(str(path), text, new)}: path {PATH_ID}, step {step} (timeline): unknown setting “colour”"
    ]
