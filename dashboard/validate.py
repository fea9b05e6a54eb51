"""Check a dataset file: ``python -m dashboard.validate [PATH] [--sources DIR] [--max-problems N] [--audit]``.

Exit 0 with a one-line summary when it is valid; exit 1 with one located line
per problem (``PATH:LINE:COL: message``) when it is not. Past ``N`` problems
(default 200) checking stops: the first ``N`` by position are listed, then a
line saying that there are more. Never a traceback.

With ``--audit``, a valid file is also audited against the codebook's rules
that a machine can check (``dashboard/data/audit.py``); each finding is a
located line starting ``audit:``, and any finding exits 1, so CI can hold the
curated data to them.

The presenter steps' settings are checked by the views (``view_checks``), as
when the app loads the file; nothing here imports Streamlit or Plotly.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from typing import Any

from dashboard.data.dataset import DATA_ENV, DEFAULT_MAX_PROBLEMS, Dataset, check_dataset, data_path


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _check_views(dataset: Dataset) -> Iterator[tuple[tuple[Any, ...], str]]:
    """The views' checks of the presenter steps, as the app runs them when it loads the file."""
    # Imported here: they bring pandas, seconds of start-up that a file refused by the data layer's
    # own checks (check_dataset runs these only on a dataset that passed them) need not wait for.
    from dashboard.views.checks import view_checks

    for check in view_checks():
        yield from check(dataset)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.validate",
        description=f"Check a Negotiating Table dataset (default: ${DATA_ENV} or data/events.yaml).",
    )
    parser.add_argument("path", nargs="?", help="the YAML dataset to check")
    parser.add_argument("--sources", metavar="DIR", help="folder of article texts; check every quote is verbatim")
    parser.add_argument(
        "--max-problems",
        metavar="N",
        type=_positive,
        default=DEFAULT_MAX_PROBLEMS,
        help=f"stop after N problems (default {DEFAULT_MAX_PROBLEMS})",
    )
    parser.add_argument("--audit", action="store_true", help="also audit a valid file against the codebook's rules")
    args = parser.parse_args(argv)
    path = args.path or str(data_path())
    try:
        dataset, problems = check_dataset(
            path, sources=args.sources, checks=(_check_views,), max_problems=args.max_problems
        )
    except Exception as err:  # a bug of ours must still not greet the user with a traceback
        print(f"{path}:1:1: internal error while checking ({type(err).__name__}: {err})", file=sys.stderr)
        return 2
    if problems or dataset is None:
        for problem in problems:
            print(problem)
        tail = problems.tail()
        if tail:
            print(tail)
        if problems.complete:
            print(f"{path}: {len(problems)} problem(s)", file=sys.stderr)
        else:
            found = f"{len(problems) + problems.more:,}"
            print(f"{path}: at least {found} problems; checking stopped (--max-problems N lists more)", file=sys.stderr)
        return 1
    checked = " every quote verbatim in its source text;" if args.sources else ""
    if args.audit:
        from dashboard.data.audit import audit_file

        findings = audit_file(path, dataset, sources=args.sources)
        for finding in findings[: args.max_problems]:
            print(finding)
        if len(findings) > args.max_problems:
            print(f"… and {len(findings) - args.max_problems} more audit findings")
        if findings:
            print(f"{path}: valid, but the audit has {len(findings)} finding(s)", file=sys.stderr)
            return 1
        checked += " the audit finds nothing;"
    print(f"{path}: valid;{checked} {dataset.summary()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
