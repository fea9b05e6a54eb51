"""Any dataset the validator accepts opens on every page, with empty states and never an exception.

Hypothesis draws small valid datasets (no events, no claims, no positions, no lexicon, one
outlet, ...), each with a prompt on every page and a presenter path through every view; each is
checked as the app checks it, then every page is opened, and every presenter step.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from page_kit import assert_clean, open_page
from strategies import examples, valid_datasets

from dashboard.data.dataset import DATA_ENV, check_dataset
from dashboard.views import VIEWS
from dashboard.views.checks import view_checks


def _with_classroom(doc: dict[str, Any]) -> dict[str, Any]:
    """The drawn dataset with a prompt on every page and a path that steps through every view."""
    prompts = [{"id": f"ask-{v.id}", "text": f"What does the {v.title} page show?", "page": v.id} for v in VIEWS]
    steps = [{"title": v.title, "page": v.id, "prompt": f"ask-{v.id}"} for v in VIEWS]
    return {**doc, "prompts": prompts, "paths": [{"id": "tour", "title": "A tour", "steps": steps}]}


@settings(max_examples=examples(6), deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(valid_datasets())
def test_every_page_and_step_opens_on_any_valid_dataset(doc: dict[str, Any]) -> None:
    text = yaml.safe_dump(_with_classroom(doc), allow_unicode=True, sort_keys=False, width=1000)
    with tempfile.TemporaryDirectory() as folder:
        # A fresh path per example: the app's cache is keyed by path and file version.
        path = Path(folder) / "drawn.yaml"
        path.write_text(text, encoding="utf-8")
        dataset, problems = check_dataset(path, checks=view_checks())
        assert dataset is not None, [str(p) for p in problems]
        before = os.environ.get(DATA_ENV)
        os.environ[DATA_ENV] = str(path)
        try:
            for view in VIEWS:
                at = open_page(view.id)
                assert_clean(at)
                assert at.title, view.id
            for number, view in enumerate(VIEWS, start=1):
                at = open_page(view.id, {"path": "tour", "step": str(number)})
                assert_clean(at)
                assert any('class="nt-step"' in m.value for m in at.markdown), view.id
        finally:
            if before is None:
                os.environ.pop(DATA_ENV, None)
            else:
                os.environ[DATA_ENV] = before
