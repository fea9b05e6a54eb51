"""``python -m dashboard.validate`` as a user runs it: exit codes, located lines, never a traceback."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from dataset_helpers import DATA, MINIMAL, REPO, edit, where, write_yaml

LOCATED = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")
# Per run: Python start-up and imports take most of it.
TIME_LIMIT = 8.0


def validate(*args: str, env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess, float]:
    run_env = {k: v for k, v in os.environ.items() if k != "DASHBOARD_DATA"}
    run_env.update(env or {})
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "dashboard.validate", *args],
        cwd=REPO,
        env=run_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result, time.monotonic() - started


def assert_no_traceback(result: subprocess.CompletedProcess) -> None:
    both = result.stdout + result.stderr
    assert "Traceback" not in both, both
    assert "internal error" not in both, both


def located_lines(result: subprocess.CompletedProcess) -> list[re.Match]:
    """Every stdout line, each of which must be PATH:LINE:COL: message."""
    lines = result.stdout.splitlines()
    assert lines, result.stderr
    matches = [LOCATED.match(line) for line in lines]
    assert all(matches), lines
    return matches


def test_valid_real_dataset_prints_one_summary_line():
    result, _ = validate()
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{DATA}: valid; ")
    assert re.search(r"\b\d+ claims\b", lines[0]) and re.search(r"\b\d+ events\b", lines[0])
    assert result.stderr == ""


def test_valid_minimal_dataset_by_path(tmp_path: Path):
    path = write_yaml(tmp_path, MINIMAL)
    result, _ = validate(str(path))
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{path}: valid; ")
    counts = dict(reversed(part.split(" ", 1)) for part in lines[0].split("; ", 1)[1].split(", "))
    expected = {"outlets": "1", "articles": "1", "actors": "2", "events": "1", "claims": "2", "lexicon terms": "1"}
    assert {name: counts.get(name) for name in expected} == expected


def test_invalid_file_exits_1_with_located_lines(tmp_path: Path):
    text = edit(MINIMAL, "    speaker: minister\n", "    speaker: ministr\n")
    text = edit(text, "    stance: supports\n", "    stance: maybe\n")
    path = write_yaml(tmp_path, text)
    result, _ = validate(str(path))
    assert result.returncode == 1
    assert_no_traceback(result)
    matches = located_lines(result)
    assert {m["path"] for m in matches} == {str(path)}
    found = {(int(m["line"]), int(m["col"]), m["message"]) for m in matches}
    assert (
        *where(text, "ministr\n"),
        "claim c2: unknown speaker (an actor, 'narration' or 'unnamed') 'ministr' (did you mean 'minister'?)",
    ) in found
    assert any((line, col) == where(text, "maybe") and "stance" in msg for line, col, msg in found)
    assert result.stderr.strip() == f"{path}: {len(matches)} problem(s)"


def test_missing_file_is_a_located_message(tmp_path: Path):
    missing = tmp_path / "nowhere.yaml"
    result, _ = validate(str(missing))
    assert result.returncode == 1
    assert_no_traceback(result)
    assert result.stdout.splitlines() == [f"{missing}:1:1: cannot read the file: No such file or directory"]


def test_dashboard_data_env_chooses_the_default_file(tmp_path: Path):
    path = write_yaml(tmp_path, edit(MINIMAL, "    stance: supports\n", "    stance: maybe\n"))
    result, _ = validate(env={"DASHBOARD_DATA": str(path)})
    assert result.returncode == 1
    assert {m["path"] for m in located_lines(result)} == {str(path)}


def test_sources_with_an_altered_quote_name_the_claim(tmp_path: Path, minimal_sources: Path):
    path = write_yaml(tmp_path, MINIMAL)
    good, _ = validate(str(path), "--sources", str(minimal_sources))
    assert good.returncode == 0
    assert "every quote verbatim in its source text" in good.stdout

    text_file = minimal_sources / "daily.txt"
    text_file.write_text(text_file.read_text(encoding="utf-8").replace("good faith", "bad faith"), encoding="utf-8")
    result, _ = validate(str(path), "--sources", str(minimal_sources))
    assert result.returncode == 1
    assert_no_traceback(result)
    line, col = where(MINIMAL, "We will negotiate")
    assert result.stdout.splitlines() == [f"{path}:{line}:{col}: claim c2: quote not found verbatim in daily.txt"]


def test_sources_altered_in_the_real_texts(tmp_path: Path):
    sources = os.environ.get("SOURCES_DIR")
    if not sources or not Path(sources).is_dir():
        pytest.skip("set SOURCES_DIR to the folder of source texts to check provenance")
    folder = tmp_path / "sources"
    shutil.copytree(sources, folder)
    # WLRN's text calls Maduro 'socialist President Nicolás Maduro' (claim wlrn-05); change one word of it.
    wlrn = folder / "000_d360ea49c9fe5c61.txt"
    original = wlrn.read_text(encoding="utf-8")
    assert original.count("socialist President Nicolás Maduro") == 1
    wlrn.write_text(original.replace("socialist President", "socialist Mr"), encoding="utf-8")
    result, _ = validate(str(DATA), "--sources", str(folder))
    assert result.returncode == 1
    assert_no_traceback(result)
    messages = [m["message"] for m in located_lines(result)]
    assert messages == ["claim wlrn-05: quote not found verbatim in 000_d360ea49c9fe5c61.txt"]


def billion_laughs() -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        pytest.param(billion_laughs(), "aliases counted expanded", id="alias-bomb"),
        pytest.param("meta: " + "[" * 100_000, "nesting is deeper than", id="deep-nesting"),
        pytest.param(
            "schema_version: 1\nmeta: !!python/object/apply:os.system ['touch {marker}']\n",
            "would build a Python object",
            id="python-tag",
        ),
        pytest.param(b"schema_version: 1\nmeta: caf\xe9\n", "not valid UTF-8", id="non-utf8"),
        pytest.param("schema_version: 1\nmeta: \x1b[31mred\n", "control characters", id="control-character"),
        pytest.param("schema_version: 1\n---\nschema_version: 1\n", "more than one YAML document", id="two-documents"),
        pytest.param("", "the file must be a mapping", id="empty"),
    ],
)
def test_hostile_files_are_refused_quickly_without_traceback(tmp_path: Path, content: str | bytes, words: str):
    marker = tmp_path / "executed"
    if isinstance(content, str):
        content = content.replace("{marker}", str(marker))
    path = write_yaml(tmp_path, content)
    result, elapsed = validate(str(path))
    assert elapsed < TIME_LIMIT
    assert result.returncode == 1
    assert_no_traceback(result)
    matches = located_lines(result)
    assert any(words in m["message"] for m in matches), result.stdout
    assert not marker.exists()


def test_non_utf8_line_and_column(tmp_path: Path):
    path = write_yaml(tmp_path, b"schema_version: 1\nmeta: caf\xe9\n")
    result, _ = validate(str(path))
    assert result.stdout.splitlines() == [f"{path}:2:10: not valid UTF-8 (byte 0xe9); save the file as UTF-8"]


# -- the CLI stays in the data layer (issue 8, item 3) -------------------------------------------------
# Run as ``python -m dashboard.validate`` would be, then list what was imported, whatever the exit.
MODULES_AT_EXIT = """\
import runpy, sys
sys.argv = ["dashboard.validate", *sys.argv[1:]]
try:
    runpy.run_module("dashboard.validate", run_name="__main__", alter_sys=True)
except SystemExit as stop:
    code = stop.code
finally:
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("streamlit", "plotly"))
    print("LOADED:" + ",".join(loaded), file=sys.stderr)
"""


def test_cli_imports_neither_streamlit_nor_plotly():
    result = subprocess.run(
        [sys.executable, "-c", MODULES_AT_EXIT, str(DATA)], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert_no_traceback(result)
    assert result.stdout.startswith(f"{DATA}: valid; "), result.stdout + result.stderr  # it really checked the file
    reported = [line for line in result.stderr.splitlines() if line.startswith("LOADED:")]
    assert reported == ["LOADED:"], reported


def test_cli_builds_the_frames_at_most_once(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    import dashboard.validate
    from dashboard.data import frames
    from dashboard.data.dataset import load_dataset

    # The real dataset has presenter paths, whose settings the views check against the frames.
    assert load_dataset(DATA).paths
    original = frames.build_tables
    calls: list[object] = []

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return original(*args, **kwargs)

    # Wherever it was imported by name, not only in its own module.
    for module in list(sys.modules.values()):
        if getattr(module, "build_tables", None) is original:
            monkeypatch.setattr(module, "build_tables", counting)
    assert dashboard.validate.main([str(DATA)]) == 0
    assert capsys.readouterr().out.startswith(f"{DATA}: valid; ")
    assert len(calls) == 1


def test_audit_reports_located_findings_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    from dashboard.validate import main

    coded = edit(MINIMAL, "    evidence: [c2]\n", "    evidence: [c2]\n    basis: own_words\n")
    valid = tmp_path / "ok.yaml"
    valid.write_text(coded, encoding="utf-8")
    assert main([str(valid), "--audit"]) == 0
    assert "the audit finds nothing" in capsys.readouterr().out
    # A lexicon term in the dataset's own voice, unquoted: valid, but the audit names where.
    flagged = tmp_path / "flagged.yaml"
    flagged.write_text(edit(coded, "title: Talks begin", "title: Authoritarian talks begin"), encoding="utf-8")
    assert main([str(flagged)]) == 0  # without --audit it is simply valid
    capsys.readouterr()
    assert main([str(flagged), "--audit"]) == 1
    out = capsys.readouterr().out
    assert re.search(rf"^{re.escape(str(flagged))}:\d+:\d+: audit: ", out, re.M), out
