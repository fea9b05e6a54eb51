"""Check a dataset file: ``python -m dashboard.validate [PATH] [--sources DIR]``.

Exit 0 with a one-line summary when it is valid; exit 1 with one located line
per problem (``PATH:LINE:COL: message``) when it is not. Never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from dashboard.data.dataset import DATA_ENV, check_dataset, data_path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.validate",
        description=f"Check a Negotiating Table dataset (default: ${DATA_ENV} or data/events.yaml).",
    )
    parser.add_argument("path", nargs="?", help="the YAML dataset to check")
    parser.add_argument("--sources", metavar="DIR", help="folder of article texts; check every quote is verbatim")
    args = parser.parse_args(argv)
    path = args.path or str(data_path())
    try:
        dataset, problems = check_dataset(path, sources=args.sources)
    except Exception as err:  # a bug of ours must still not greet the user with a traceback
        print(f"{path}:1:1: internal error while checking ({type(err).__name__}: {err})", file=sys.stderr)
        return 2
    if problems or dataset is None:
        for problem in problems:
            print(problem)
        print(f"{path}: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    checked = " every quote verbatim in its source text;" if args.sources else ""
    print(f"{path}: valid;{checked} {dataset.summary()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
