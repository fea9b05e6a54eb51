"""A cause is reported once, not its echoes: references to a record refused by its own checks are
counted under that record's problem instead of listed one by one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dataset_helpers import MINIMAL, REPO, check_text, edit, messages, where


def test_the_misspelt_field_of_the_real_dataset_is_one_problem(tmp_path: Path) -> None:
    """One misspelt field of one article once gave 62 problems, 59 of them "unknown article" follow-ons."""
    text = (REPO / "data" / "events.yaml").read_text(encoding="utf-8")
    article = "  - id: wapo-2019-05-22\n    outlet: washington_post\n    headline: unknown\n"
    assert article in text
    bad = text.replace(article, article.replace("headline:", "headlin:"), 1)
    path = tmp_path / "events.yaml"
    path.write_text(bad, encoding="utf-8")
    cited = bad.count("article: wapo-2019-05-22")  # the claims and the framing that name the article
    assert cited >= 59
    run = subprocess.run(
        [sys.executable, "-m", "dashboard.validate", str(path)], capture_output=True, text=True, cwd=REPO, check=False
    )
    line, col = where(bad, "headlin:")
    assert run.stdout.splitlines() == [
        f"{path}:{line}:{col}: article wapo-2019-05-22: unknown field 'headlin' (did you mean 'headline'?); "
        f"with it, {cited + 1} references to this article fail (not listed)"  # + its outlet, which has no other
    ]
    assert run.stderr.strip() == f"{path}: 1 problem(s)" and run.returncode == 1


def test_a_misspelt_id_folds_the_references_to_the_id_it_meant(tmp_path: Path) -> None:
    text = edit(MINIMAL, "  - id: daily-2024-01-15\n", "  - idd: daily-2024-01-15\n")
    path, dataset, problems = check_text(tmp_path, text)
    line, col = where(text, "idd:")
    assert dataset is None
    assert messages(problems) == [
        f"{path}:{line}:{col}: articles[0]: unknown field 'idd' (did you mean 'id'?); "
        "with it, 3 references to this article fail (not listed)"  # claims c1 and c2, and the outlet's only article
    ]


def test_a_missing_field_and_a_misspelling_of_it_are_one_problem(tmp_path: Path) -> None:
    text = edit(MINIMAL, "    headline: Talks begin\n", "    headlne: Talks begin\n")
    _, _, problems = check_text(tmp_path, text)
    found = messages(problems)
    assert len(found) == 1 and "unknown field 'headlne' (did you mean 'headline'?)" in found[0]
    assert not any("missing required field 'headline'" in f for f in found)
    # A field that is missing with no misspelling in sight is still reported.
    text = edit(MINIMAL, "    headline: Talks begin\n", "")
    _, _, problems = check_text(tmp_path, text)
    assert any("article daily-2024-01-15: missing required field 'headline'" in f for f in messages(problems))


def test_a_reference_to_an_id_never_defined_is_still_reported(tmp_path: Path) -> None:
    text = edit(MINIMAL, "  - id: c2\n    article: daily-2024-01-15\n", "  - id: c2\n    article: daily-2024-01-16\n")
    _, _, problems = check_text(tmp_path, text)
    assert any(
        "claim c2: unknown article 'daily-2024-01-16' (did you mean 'daily-2024-01-15'?)" in f
        for f in messages(problems)
    )


def test_one_echo_is_counted_in_the_singular(tmp_path: Path) -> None:
    """A refused claim named once, as a position's evidence."""
    text = edit(MINIMAL, "    speaker: minister\n    kind: direct\n", "    speaker: minister\n    kind: guess\n")
    _, _, problems = check_text(tmp_path, text)
    found = messages(problems)
    assert not any("unknown claim 'c2'" in f for f in found)
    assert len(found) == 1 and found[0].endswith("; with it, 1 reference to this claim fails (not listed)"), found


def test_what_only_a_refused_record_pointed_at_is_not_reported_as_unreferenced(tmp_path: Path) -> None:
    """The event only claim c1 reports is not "reported by no claim" when c1 is refused: c1 is the cause."""
    text = edit(MINIMAL, "    speaker: narration\n    kind: narration\n", "    speaker: narration\n    kind: guess\n")
    _, _, problems = check_text(tmp_path, text)
    found = messages(problems)
    assert not any("no claim reports this event" in f for f in found)
    assert len(found) == 1 and "claim c1: kind:" in found[0] and found[0].endswith("(not listed)"), found
