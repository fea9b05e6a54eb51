"""The template story offered on Methods & data: the validator accepts it, and every page and step opens on it."""

from __future__ import annotations

import subprocess
import sys

from page_kit import REPO, assert_clean, open_page

from dashboard.shell.loading import load_uploaded
from dashboard.uploads import limits as upload_limits
from dashboard.uploads.budget import REGISTRY
from dashboard.views import VIEWS
from dashboard.views.methods.page import TEMPLATE

HIDDEN_PAGES = ("room",)  # outside the menu: opens on any dataset, without a room code


def test_the_template_is_the_shipped_file_and_the_validator_accepts_it() -> None:
    assert TEMPLATE == REPO / "data" / "template.yaml"
    run = subprocess.run(
        [sys.executable, "-m", "dashboard.validate", str(TEMPLATE), "--audit"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "valid; the audit finds nothing" in run.stdout


def test_every_page_and_step_opens_on_the_uploaded_template() -> None:
    bundle, problems = load_uploaded(TEMPLATE.read_bytes(), "template.yaml")  # checked as an upload is
    assert problems == [] and bundle is not None
    handle = REGISTRY.admit(bundle, 1_000, upload_limits.current()).handle  # held as an upload is
    assert handle is not None
    story = {"story": handle.token}
    for view_id in [*(v.id for v in VIEWS), *HIDDEN_PAGES]:
        at = open_page(view_id, story)
        assert_clean(at)
        assert not at.warning, (view_id, [w.value for w in at.warning])
        assert at.title or at.markdown, view_id
    assert [t.value for t in open_page("overview", story).title] == ["Example story"]
    for path in bundle.dataset.paths:
        for number, step in enumerate(path.steps, start=1):
            at = open_page(step.page, {"path": path.id, "step": str(number), **story})
            assert_clean(at)
            assert any('class="nt-step"' in m.value for m in at.markdown), (path.id, number)
    quiz = open_page("quiz", story)
    assert quiz.radio and len(quiz.radio[0].options) == 2  # both outlets have a question to ask


def test_the_methods_page_offers_the_template() -> None:
    at = open_page("methods")
    assert_clean(at)
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Start from a template (template.yaml)" in labels
