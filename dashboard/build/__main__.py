"""Draft a story from articles: ``python -m dashboard.build ARTICLE... --out story.yaml``.

Each article is a .txt (its first lines may give a headline, "By AUTHOR" and a date), .html or
.docx file. The draft has every suggestion applied and is written so ``python -m dashboard.validate``
accepts it; what the texts do not say is written "unknown", as the codebook asks. Bad input is
one line per problem, ``FILE: what``, and exit code 1; never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from dashboard.build.draft import Draft, DraftMeta
from dashboard.build.extract import BuildInputError, read_article
from dashboard.build.story import source_texts, to_yaml
from dashboard.build.suggest import accept_all, add_article


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.build",
        description="Draft a story from articles (.txt, .html, .docx), with every suggestion applied.",
    )
    parser.add_argument("articles", nargs="+", metavar="ARTICLE", help="an article's file")
    parser.add_argument("--out", required=True, metavar="FILE", help="where to write the story's YAML")
    parser.add_argument("--title", help="the story's title (default: 'Draft story')")
    parser.add_argument(
        "--texts",
        metavar="DIR",
        help="also write each article's plain text here as a .txt and name it as the article's source_file, "
        "so python -m dashboard.validate --sources DIR checks every quote",
    )
    args = parser.parse_args(argv)
    draft = Draft(meta=DraftMeta(title=args.title))
    errors = []
    for name in args.articles:
        path = Path(name)
        try:
            data = path.read_bytes()
        except OSError as err:
            errors.append(f"{name}: cannot read the file: {err.strerror or err}")
            continue
        try:
            source = read_article(path.name, data)
        except BuildInputError as err:
            errors.append(f"{name}: {str(err).removeprefix(path.name + ': ')}")
            continue
        try:
            draft = add_article(draft, source)
        except Exception as err:  # a bug of ours must still not greet the user with a traceback
            errors.append(f"{name}: internal error while suggesting ({type(err).__name__}: {err})")
            continue
    if errors:
        for line in errors:
            print(line, file=sys.stderr)
        print(f"no story written: {len(errors)} article(s) could not be read", file=sys.stderr)
        return 1
    try:
        if args.texts:
            folder = Path(args.texts)
            folder.mkdir(parents=True, exist_ok=True)
            for name, body in source_texts(draft).items():
                (folder / name).write_text(body, encoding="utf-8")
        text = to_yaml(accept_all(draft))
        Path(args.out).write_text(text, encoding="utf-8")
    except OSError as err:
        print(f"{err.filename or args.out}: cannot write the file: {err.strerror or err}", file=sys.stderr)
        return 1
    except Exception as err:
        print(f"{args.out}: internal error while writing ({type(err).__name__}: {err})", file=sys.stderr)
        return 2
    claims = sum(1 for c in draft.claims)
    print(f"{args.out}: {len(draft.articles)} article(s), {claims} claim(s), {len(draft.actors)} actor candidate(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
