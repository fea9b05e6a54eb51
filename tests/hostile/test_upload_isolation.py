"""Uploads: whatever a visitor sends is answered with located problems, within budget, and seen by no one else.

``load_uploaded`` checks a file under ``UPLOAD_BUDGETS``; it must never raise,
must refuse what is over the limits, and must not let a small hostile file keep
the (shared) server busy for long. What it returns lives in one session's state:
another session sees the built-in dataset, and no cached function in dashboard/
ever takes upload content, so an upload cannot reach a cache shared by sessions.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import examples
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from dashboard.data.bundle import Bundle
from dashboard.data.dataset import check_dataset
from dashboard.data.located import Problem
from dashboard.markup.safe import md
from dashboard.shell import loading
from dashboard.shell.loading import UPLOAD_BUDGETS, UPLOAD_KEY, load_uploaded

REPO = Path(__file__).resolve().parents[2]
APP = str(REPO / "dashboard" / "app.py")
# The app's own dataset here is the classroom fixture (see conftest.py); uploads are variants of it.
REAL = (REPO / "tests" / "classroom" / "classroom.yaml").read_text(encoding="utf-8")
REAL_BYTES = REAL.encode("utf-8")
BUILT_IN_TITLE = "Classroom test story"
BUILT_IN_EVENT = "Talks begin"
MIB = 1024 * 1024


def assert_answer(result: tuple[Bundle | None, list[Problem]], name: str) -> None:
    loaded, problems = result
    assert (loaded is None) == bool(problems)
    located = re.compile(re.escape(name.replace("\n", "\\n")) + r":\d+:\d+: .+")  # one line, even so
    for p in problems:
        assert located.fullmatch(str(p)), str(p)[:300]


def cpu_seconds(fn: Callable[[], object]) -> tuple[object, float]:
    start = time.process_time()
    result = fn()
    return result, time.process_time() - start


# -- hostile bytes ---------------------------------------------------------------------------------
NAMES = [
    "story.yaml",
    "../../etc/passwd.yaml",
    "line\nbreak.yaml",
    "<script>alert(1)</script>.yaml",
    "ſtory İ.yml",
    "a" * 300 + ".yaml",
]


@st.composite
def hostile_bytes(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["random", "real-spliced", "real-cut", "bom"]))
    if kind == "random":
        return draw(st.binary(max_size=500))
    if kind == "bom":
        return (
            draw(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"])) + REAL_BYTES[: draw(st.integers(0, 500))]
        )
    at = draw(st.integers(0, len(REAL_BYTES)))
    if kind == "real-cut":
        return REAL_BYTES[:at]
    return REAL_BYTES[:at] + draw(st.binary(min_size=1, max_size=6)) + REAL_BYTES[at:]


@settings(
    max_examples=examples(30),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=hostile_bytes(), name=st.sampled_from(NAMES))
def test_hostile_bytes_get_an_answer_not_an_exception(data: bytes, name: str) -> None:
    assert_answer(load_uploaded(data, name), name)


# -- the budgets -----------------------------------------------------------------------------------
def test_the_upload_budgets_are_tighter_than_a_local_file() -> None:
    assert UPLOAD_BUDGETS.max_bytes == 5 * MIB
    assert UPLOAD_BUDGETS.max_seconds <= 5
    assert UPLOAD_BUDGETS.max_aliases <= 200
    assert UPLOAD_BUDGETS.max_items <= 400_000


def test_a_file_of_exactly_5_mib_is_read_and_one_byte_more_is_refused() -> None:
    padding = 5 * MIB - len(REAL_BYTES)
    line = b"#" + b"x" * 1022 + b"\n"
    exact = REAL_BYTES + line * (padding // len(line)) + b"#" * (padding % len(line))
    assert len(exact) == 5 * MIB
    loaded, problems = load_uploaded(exact, "big.yaml")
    assert problems == [] and loaded is not None  # the limit itself is allowed: only comments were added

    over = exact + b"\n"
    assert load_uploaded(over, "big.yaml") == (
        None,
        [Problem("big.yaml", 1, 1, "file is 5,242,881 bytes; the limit is 5,242,880")],
    )
    assert load_uploaded(b"x" * (6 * MIB), "huge.yaml")[1][0].message.startswith("file is 6,291,456 bytes")


def laughs(depth: int, width: int) -> str:
    lines = ['l0: &l0 "lol"']
    lines += [f"l{d}: &l{d} [{', '.join([f'*l{d - 1}'] * width)}]" for d in range(1, depth + 1)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("bomb", "message"),
    [
        (laughs(9, 10), "more than 400,000 values (aliases counted expanded)"),
        (laughs(6, 10), "more than 400,000 values (aliases counted expanded)"),
        ("a: &a x\nb: [" + "*a, " * 201 + "]\n", "more than 200 aliases (*name)"),
        (REAL.replace("\nclaims:\n", "\nbomb:\n  " + laughs(8, 10).replace("\n", "\n  ") + "\nclaims:\n", 1), None),
        ("[" * 25 + "]" * 25, "nesting is deeper than 24 levels"),
    ],
    ids=["laughs-9", "laughs-6", "aliases", "bomb-inside-real-file", "nesting"],
)
def test_bombs_are_stopped_quickly(bomb: str, message: str | None) -> None:
    (loaded, problems), cpu = cpu_seconds(lambda: load_uploaded(bomb.encode("utf-8"), "bomb.yaml"))
    assert loaded is None and problems
    assert_answer((loaded, problems), "bomb.yaml")
    if message is not None:
        assert [p.message for p in problems] == [message]
    assert cpu < 5


def test_a_slow_read_is_stopped_by_the_upload_time_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """300,000 values (under the item budget) take well over 0.2 s to read: the budget stops them."""
    monkeypatch.setattr(loading, "UPLOAD_BUDGETS", dataclasses.replace(UPLOAD_BUDGETS, max_seconds=0.2))
    slow = ("[" + ", ".join(["1"] * 300_000) + "]").encode("utf-8")
    start = time.monotonic()
    loaded, problems = load_uploaded(slow, "slow.yaml")
    assert loaded is None
    assert [str(p) for p in problems] and problems[0].message == "reading took longer than 0.2 s; stopped"
    assert len(problems) == 1
    assert time.monotonic() - start < 30


# -- small files that used to keep the checker busy for minutes -------------------------------------------
def outlets_without_articles(n: int) -> str:
    outlets = "".join(
        f"  - {{id: o{i}, name: nm, kind: k, country: c, ownership: o, funding: f, language: l, homepage: unknown}}\n"
        for i in range(n)
    )
    articles = "".join(
        f"  - {{id: a{i}, outlet: x{i}, headline: h, date: unknown, authors: unknown, url: unknown}}\n"
        for i in range(n)
    )
    return f"schema_version: 1\noutlets:\n{outlets}articles:\n{articles}"


def events_without_claims(n: int) -> str:
    events = "".join(f"  - {{id: e{i}, title: t, summary: s, date: '2020', category: c}}\n" for i in range(n))
    claims = "".join(
        f"  - {{id: c{i}, article: a, quote: q, speaker: narration, kind: narration, events: [x{i}]}}\n"
        for i in range(n)
    )
    return f"schema_version: 1\nevents:\n{events}claims:\n{claims}"


def long_id_list(n: int) -> str:
    ids = ", ".join(f"a{i}" for i in range(n))
    return (
        f"schema_version: 1\nevents:\n  - {{id: e, title: t, summary: s, date: '2020', category: c, actors: [{ids}]}}\n"
    )


def spaces_after_scare_quotes(n: int) -> str:
    quote = "“term" + " " * 19_000 + "x"
    claims = "".join(
        f"  - {{id: c{i}, article: a, quote: '{quote}', speaker: narration, kind: narration, scare_quotes: [term]}}\n"
        for i in range(n)
    )
    return f"schema_version: 1\nclaims:\n{claims}"


def many_lexicon_forms_with_odd_case(n: int) -> str:
    lexicon = "".join(f"  - {{term: sanction{i}, category: c}}\n" for i in range(n))
    quote = " ".join(f"ſANCTION{i}" for i in range(n))
    claim = f"  - {{id: c, article: a, quote: '{quote}', speaker: narration, kind: narration}}\n"
    return f"schema_version: 1\nlexicon:\n{lexicon}claims:\n{claim}"


# Each took from 45 s to far longer before the checks were made linear (numbers from one 2-core machine).
COSTLY = {
    "outlets-times-articles": (lambda: outlets_without_articles(5_000), "no article belongs to this outlet"),
    "events-times-claims": (lambda: events_without_claims(5_000), "no claim reports this event"),
    "long-id-list": (lambda: long_id_list(100_000), "unknown actor 'a99999'"),
    "spaces-after-scare-quotes": (lambda: spaces_after_scare_quotes(100), "missing section 'meta'"),
    "underscored-number": (lambda: "x: 1" + "_" * 1_000_000 + "x\n", "unknown section 'x'"),
    "odd-case-lexicon": (lambda: many_lexicon_forms_with_odd_case(1_000), "missing section 'meta'"),
}


@pytest.mark.parametrize("name", list(COSTLY))
def test_small_hostile_files_do_not_keep_the_checker_busy(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Measured in CPU seconds, with the reader's wall-clock budget out of the way, so a busy machine
    # neither fails this test nor hides a slow check behind "reading took longer than 5 s".
    monkeypatch.setattr(loading, "UPLOAD_BUDGETS", dataclasses.replace(UPLOAD_BUDGETS, max_seconds=600))
    make, message = COSTLY[name]
    data = make().encode("utf-8")
    assert len(data) <= UPLOAD_BUDGETS.max_bytes
    (loaded, problems), cpu = cpu_seconds(lambda: load_uploaded(data, "costly.yaml"))
    assert loaded is None and problems
    assert_answer((loaded, problems), "costly.yaml")
    assert cpu < 15, f"{cpu:.1f} s of CPU"
    # The upload stops at the problem budget; the checks themselves are linear too: with the budget
    # lifted they reach the last problem within the same bound.
    (_, every), cpu = cpu_seconds(
        lambda: check_dataset(data=data, name="costly.yaml", budgets=loading.UPLOAD_BUDGETS, max_problems=10**7)
    )
    assert any(message in p.message for p in every), [str(p)[:200] for p in every[:5]]
    assert cpu < 15, f"{cpu:.1f} s of CPU with every problem listed"


# -- isolation between sessions --------------------------------------------------------------------------
UPLOADED_TITLE = "Uploaded <script>alert(1)</script> story ZQX-41"
UPLOADED_EVENT = "Uploaded talks ZQX-41"


def retitled(title: str, event: str) -> str:
    """The built-in story under another title, with one event renamed."""
    text = REAL.replace(f"  title: {BUILT_IN_TITLE}\n", f'  title: "{title}"\n', 1)
    text = text.replace(f"    title: {BUILT_IN_EVENT}\n", f'    title: "{event}"\n', 1)
    assert text.count(title) == 1 and text.count(event) == 1
    return text


@pytest.fixture(scope="module")
def uploaded() -> Bundle:
    text = retitled(UPLOADED_TITLE, UPLOADED_EVENT)
    loaded, problems = load_uploaded(text.encode("utf-8"), "my-story.yaml")
    assert problems == [] and loaded is not None
    return loaded


def plain(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def run(page: str | None = None, upload: Bundle | None = None) -> AppTest:
    """A new session, its own upload in its state if given, opened on ``page`` (a view id; else the home page)."""
    at = AppTest.from_file(APP, default_timeout=30)
    if upload is not None:
        at.session_state[UPLOAD_KEY] = upload
    if page:
        at._page_hash = calc_hash(page)  # pages are callables registered under their view id
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def goto(at: AppTest, page: str) -> AppTest:
    """The same session opens another page (from the menu: no query parameters)."""
    at._page_hash = calc_hash(page)
    at.query_params.clear()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def event_titles(at: AppTest) -> list[str]:
    """The event titles the timeline offers to choose from."""
    return [plain(o) for o in at.selectbox(key="timeline.event").options]


def test_an_upload_is_seen_only_by_its_own_session(uploaded: Bundle) -> None:
    a = run(upload=uploaded)
    assert [t.value for t in a.title] == [md(UPLOADED_TITLE)]
    assert "<script>" not in a.title[0].value  # shown as text, never as markup
    assert any("viewing an uploaded story" in i.value for i in a.sidebar.info)

    b = run()
    assert [t.value for t in b.title] == [md(BUILT_IN_TITLE)]
    assert not any("uploaded" in i.value for i in b.sidebar.info)

    a.run()  # A, run again after B: still its own
    assert [t.value for t in a.title] == [md(UPLOADED_TITLE)]
    goto(a, "methods")
    assert any("Showing your file" in plain(s.value) and "my-story.yaml" in plain(s.value) for s in a.success)
    goto(a, "timeline")  # every view builds from this session's own bundle
    assert any(t.endswith(UPLOADED_EVENT) for t in event_titles(a))
    assert not any(t.endswith(BUILT_IN_EVENT) for t in event_titles(a))

    c = run("methods")  # a third session after A used its upload on every page
    assert not c.success
    assert any(plain(m.value).startswith("Dataset: " + BUILT_IN_TITLE) for m in c.markdown)
    goto(c, "timeline")  # what A's views built is not what C's views are built from
    assert any(t.endswith(BUILT_IN_EVENT) for t in event_titles(c))
    assert not any(UPLOADED_EVENT in t for t in event_titles(c))


def test_two_uploads_in_two_sessions_stay_apart(uploaded: Bundle) -> None:
    other_text = retitled("Another story QQ-7", "Other talks QQ-7")
    other, problems = load_uploaded(other_text.encode("utf-8"), "other.yaml")
    assert problems == [] and other is not None
    a = run(upload=uploaded)
    b = run(upload=other)
    a.run()
    assert [t.value for t in a.title] == [md(UPLOADED_TITLE)]
    assert [t.value for t in b.title] == [md("Another story QQ-7")]
