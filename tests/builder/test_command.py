"""``python -m dashboard.build``: a story the validator accepts, or one clear line per bad file and exit 1."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
ARTICLE = (FIXTURES / "gazette.txt").read_text(encoding="utf-8")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], capture_output=True, text=True, cwd=REPO, check=False, timeout=120
    )


def test_the_command_writes_a_story_the_validator_accepts(tmp_path: Path) -> None:
    (tmp_path / "gazette.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "page.html").write_text(
        "<html><head><title>Residents object</title><script>alert(1)</script></head><body><article>"
        "<p>Residents packed the hall on Tuesday to defend the harbour against the sale.</p>"
        "<p>“The harbour belongs to everyone who lives here,” said Petra Holm, who leads the residents.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    out, texts = tmp_path / "story.yaml", tmp_path / "texts"
    articles = (str(tmp_path / "gazette.txt"), str(tmp_path / "page.html"))
    built = run("dashboard.build", *articles, "--out", str(out))
    assert built.returncode == 0, built.stderr
    assert "2 article(s)" in built.stdout
    checked = run("dashboard.validate", str(out))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = run("dashboard.build", *articles, "--out", str(out), "--texts", str(texts))
    assert built.returncode == 0, built.stderr
    assert sorted(p.name for p in texts.iterdir()) == ["gazette.txt", "outlet-2.txt"]
    checked = run("dashboard.validate", str(out), "--sources", str(texts))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "valid; every quote verbatim in its source text" in checked.stdout
    text = out.read_text(encoding="utf-8")
    assert "alert" not in text and "<" not in text.split("\n", 3)[3]


def test_two_articles_of_one_file_name_get_a_source_text_each(tmp_path: Path) -> None:
    for folder, name in (("x", "gazette.txt"), ("y", "strike.txt")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "article.txt").write_text((FIXTURES / name).read_text(encoding="utf-8"), encoding="utf-8")
    out, texts = tmp_path / "story.yaml", tmp_path / "texts"
    articles = (str(tmp_path / "x" / "article.txt"), str(tmp_path / "y" / "article.txt"))
    built = run("dashboard.build", *articles, "--out", str(out), "--texts", str(texts))
    assert built.returncode == 0, built.stderr
    assert len(list(texts.iterdir())) == 2
    checked = run("dashboard.validate", str(out), "--sources", str(texts))
    assert checked.returncode == 0 and "every quote verbatim" in checked.stdout, checked.stdout


def test_bad_files_get_one_line_each_and_no_story(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "latin.txt").write_bytes("café".encode("latin-1"))
    (tmp_path / "fake.docx").write_bytes(b"not a zip at all")
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "story.yaml"
    names = ["empty.txt", "latin.txt", "fake.docx", "missing.txt", "good.txt"]
    built = run("dashboard.build", *(str(tmp_path / n) for n in names), "--out", str(out))
    assert built.returncode == 1
    lines = built.stderr.strip().splitlines()
    assert lines[0] == f"{tmp_path / 'empty.txt'}: the file is empty"
    assert lines[1].startswith(f"{tmp_path / 'latin.txt'}: byte 3 (line 1) is not UTF-8")
    assert lines[2] == f"{tmp_path / 'fake.docx'}: not a Word (.docx) file: it is not a zip archive"
    assert lines[3] == f"{tmp_path / 'missing.txt'}: cannot read the file: No such file or directory"
    assert lines[4] == "no story written: 4 article(s) could not be read"
    assert "Traceback" not in built.stderr and not out.exists()


def test_the_command_needs_an_output_and_an_article() -> None:
    assert run("dashboard.build", "--out", "x.yaml").returncode == 2  # argparse: no article
    missing_out = run("dashboard.build", "a.txt")
    assert missing_out.returncode == 2 and "--out" in missing_out.stderr


def test_the_builder_imports_no_streamlit_and_no_plotly() -> None:
    for path in sorted((REPO / "dashboard" / "build").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            for name in names:
                top = name.split(".")[0]
                assert top not in ("streamlit", "plotly"), f"{path.name} imports {name}"
                assert not name.startswith(("dashboard.views", "dashboard.shell", "dashboard.rooms")), (
                    f"{path.name} imports {name}: the builder is in the data layer"
                )


def test_importing_the_builder_loads_no_streamlit_and_no_plotly() -> None:
    code = (
        "import sys, dashboard.build.story, dashboard.build.suggest, dashboard.build.extract, dashboard.build.__main__;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('streamlit', 'plotly')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.strip() == "[]"


def test_a_story_that_cannot_be_written_is_said_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from dashboard.build.__main__ import main

    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "no-such-folder" / "story.yaml"
    assert main([str(tmp_path / "good.txt"), "--out", str(out)]) == 1
    assert capsys.readouterr().err == f"{out}: cannot write the file: No such file or directory\n"
    assert not out.exists()
