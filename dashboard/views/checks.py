"""What only the views can check in a dataset: that prompts and presenter steps name real pages,
and that every step's settings are ones its view understands, read exactly as its link would be.

``check_dataset`` runs these after its own checks (the app's loader, the upload
and ``python -m dashboard.validate`` alike), so a problem is located in the file
like any other.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dashboard.data.bundle import Bundle
from dashboard.data.dataset import Check, Dataset
from dashboard.views import BY_ID


def check_views(dataset: Dataset) -> Iterator[tuple[tuple[Any, ...], str]]:
    pages = ", ".join(BY_ID)
    for i, prompt in enumerate(dataset.prompts):
        if prompt.page not in BY_ID:
            message = f"prompt {prompt.id}: page '{prompt.page}' is not a view; expected one of: {pages}"
            yield ("prompts", i, "page"), message
    if not dataset.paths:
        return
    bundle = Bundle.build(dataset)  # the settings' choices come from the frames, built once per dataset
    for i, path in enumerate(dataset.paths):
        for j, step in enumerate(path.steps):
            view = BY_ID.get(step.page)
            if view is None:
                yield (
                    ("paths", i, "steps", j, "page"),
                    f"path {path.id}, step {j + 1}: page '{step.page}' is not a view; expected one of: {pages}",
                )
                continue
            for notice in view.from_link(bundle, step.settings)[1]:
                yield ("paths", i, "steps", j, "settings"), f"path {path.id}, step {j + 1} ({step.page}): {notice}"


def view_checks() -> tuple[Check, ...]:
    return (check_views,)
