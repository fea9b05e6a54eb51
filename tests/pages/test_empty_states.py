"""Empty states and edge paths that only a drawn dataset used to reach, each pinned by a small fixture."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from page_kit import assert_clean, open_page, plain

from dashboard.data.dates import PartialDate
from dashboard.views.overview.page import _counts_note


def test_compare_says_when_no_label_is_coded(dataset_file: Callable[..., Path]) -> None:
    dataset_file(lambda small: "\n".join(line for line in small.splitlines() if not line.strip().startswith("labels:")))
    at = open_page("compare")
    assert_clean(at)
    shown = [plain(str(e.value)) for kind in ("markdown", "caption", "info") for e in at.get(kind)]
    assert any("No labels coded for these outlets." in s for s in shown), shown


def test_the_overview_adds_no_note_when_every_article_has_text() -> None:
    assert _counts_note(pd.DataFrame({"claims": [2, 1], "reposts_outlet": ["", ""]})) == ""


@pytest.mark.parametrize("value", [None, 2.5, ["2024"]])
def test_a_date_that_is_not_a_string_is_refused_with_the_formats(value: object) -> None:
    with pytest.raises(ValueError, match='expected a date string: "YYYY", "YYYY-MM" or "YYYY-MM-DD"'):
        PartialDate.parse(value)
