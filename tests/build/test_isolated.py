"""An uploaded article is read in a child process under the upload limits; a limit reached is a plain refusal."""

from __future__ import annotations

import time

import pytest

from dashboard.build.extract import BuildInputError, read_article
from dashboard.build.isolated import _slot, read_article_limited
from dashboard.uploads.limits import UploadLimits

PAGE = (
    b"<html lang='en'><head><title>Harbour sold</title><script>alert(1)</script></head><body><article>"
    b"<p>The town council voted on Friday to sell the old harbour after a long and heated public hearing.</p>"
    b"</article></body></html>"
)
BIG = (
    b"<html><body><article>"
    + b"<p>The council met again today to discuss the harbour sale.</p>" * 40_000
    + b"</article>"
)


def test_the_child_reads_what_the_server_would() -> None:
    assert read_article_limited("page.html", PAGE) == read_article("page.html", PAGE)


def test_bad_input_comes_back_as_the_same_message() -> None:
    with pytest.raises(BuildInputError, match=r"^story\.docx: not a Word \(\.docx\) file"):
        read_article_limited("story.docx", b"not a zip")


def test_past_the_wall_time_the_child_is_stopped() -> None:
    with pytest.raises(BuildInputError, match=r"^page\.html: reading the file took longer than 0\.01 s"):
        read_article_limited("page.html", PAGE, UploadLimits(timeout_s=0.01))


def test_the_memory_limit_holds_in_the_child() -> None:
    read_article_limited("big.html", BIG)  # within the default limits
    with pytest.raises(BuildInputError, match=r"^big\.html: (reading the file needs more than 2 MB|.*past the limits)"):
        read_article_limited("big.html", BIG, UploadLimits(worker_mb=2))


# 4.8 MB of distinct paragraphs: about 3 s of CPU for the readers on this machine (BIG's repeats take under 2).
HEAVY = (
    b"<html><body><article>"
    + b"".join(b"<p>Paragraph %d: the council met again to discuss the harbour sale.</p>" % i for i in range(62_000))
    + b"</article></body></html>"
)


def test_the_cpu_limit_holds_in_the_child_and_counts_the_file_alone() -> None:
    assert len(HEAVY) < UploadLimits().max_bytes
    # the readers' imports do not count against the file's budget: a small page reads within one second
    read_article_limited("page.html", PAGE, UploadLimits(worker_cpu_s=1))
    started = time.monotonic()
    with pytest.raises(BuildInputError, match=r"^heavy\.html: reading the file went past the limits \(1 s of CPU"):
        read_article_limited("heavy.html", HEAVY, UploadLimits(worker_cpu_s=1, timeout_s=60))
    assert time.monotonic() - started < 30  # stopped by its CPU limit, long before the wall time


def test_the_wall_time_covers_the_wait_for_a_reader() -> None:
    limits = UploadLimits(workers=1, timeout_s=1.0)
    slot = _slot(limits.workers)
    slot.acquire()  # another file is being read
    try:
        started = time.monotonic()
        with pytest.raises(BuildInputError, match=r"^page\.html: the server is busy reading other files"):
            read_article_limited("page.html", PAGE, limits)
        assert 0.9 <= time.monotonic() - started < 5
    finally:
        slot.release()


def test_a_file_over_the_size_limit_starts_no_child() -> None:
    with pytest.raises(BuildInputError, match=r"the limit is 1,048,576"):
        read_article_limited("page.html", b"x" * 2_000_000, UploadLimits(max_mb=1.0, timeout_s=0.001))
