"""Look after the room store from a shell: ``python -m dashboard.rooms purge|upgrade|status``.

It uses the same database the app does (NT_ROOMS_URL, else the SQLite file in NT_DATA_DIR or
var/; a URL in .streamlit/secrets.toml is the app's, so pass it here with --url).
"""

from __future__ import annotations

import argparse
import sys

from dashboard.rooms import migrate
from dashboard.rooms.drafts import DraftStore
from dashboard.rooms.engine import make_engine, resolve_url, where
from dashboard.rooms.errors import StoreUnavailable
from dashboard.rooms.store import RoomStore


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.rooms", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["purge", "upgrade", "status"])
    parser.add_argument("--url", help="database URL (default: NT_ROOMS_URL, else the SQLite file)")
    args = parser.parse_args(argv)
    try:
        engine = make_engine(resolve_url() if args.url is None else args.url)
        store = RoomStore(engine)  # migrates to the current schema: "upgrade" is just this
        if args.command == "purge":
            rooms, drafts = store.purge(), DraftStore(store).purge()
            print(f"purged {rooms} expired room(s) and {drafts} expired draft(s) from the {where(engine)}")
        elif args.command == "status":
            print(f"{where(engine)}: schema {migrate.current(engine)}")
        else:
            print(f"{where(engine)}: schema at {migrate.current(engine)}")
        store.dispose()
    except StoreUnavailable as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
