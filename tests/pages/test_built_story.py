"""A story drafted by ``python -m dashboard.build`` from a few articles: every page opens on it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from page_kit import REPO, assert_clean, open_page

from dashboard.views import VIEWS

ARTICLES = {
    "harbour-gazette.txt": """Council votes to sell the old harbour
By A. Reporter
2024-03-02

The town council voted on Friday to sell the old harbour, ending a year of debate.
“The sale pays for the new school, and the harbour has been empty for years,” Mayor Anna Lind said.
Residents who asked not to be named said the so-called “consultation” was over before it began.
According to the Friends of the Harbour, the vote was rushed through in a week.
""",
    "harbour-radio.txt": """Residents packed the hall on Tuesday to defend the harbour.
“The harbour belongs to everyone who lives here,” said Petra Holm, who chairs the Friends of the Harbour.
She said the group will keep asking the council to stop the sale.
The mayor’s regime of closed meetings has drawn criticism.
""",
}


def test_every_page_opens_on_a_built_story(tmp_path: Path, dataset_file: Callable[..., Path]) -> None:
    for name, text in ARTICLES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    out = tmp_path / "story.yaml"
    run = subprocess.run(
        [sys.executable, "-m", "dashboard.build", *(str(tmp_path / n) for n in ARTICLES), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    dataset_file(out.read_text(encoding="utf-8"), name="built.yaml")
    for view in VIEWS:
        at = open_page(view.id)
        assert_clean(at)
        assert at.title or at.markdown, view.id
    assert [t.value for t in open_page("overview").title] == ["Draft story"]
