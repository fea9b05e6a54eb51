"""What the live-class benchmarks run on: a throwaway PostgreSQL, app servers with a room database,
nginx in front of them, and the database's own count of what was stored.

All on loopback, all started here and stopped here (by the process ids this module started).
PostgreSQL is Debian's (``/usr/lib/postgresql/*/bin``), started the way ``.ci/run`` starts it: a
cluster in a temporary folder, trust auth on 127.0.0.1 at a free port; as root, it runs as the
``postgres`` user (initdb refuses root). nginx runs the shipped ``deploy/nginx.conf`` with its own
prefix under /tmp, as ``nobody`` when this runs as root, with only its ports rewritten.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from bench_load import Server, free_port  # noqa: E402

from dashboard.rooms import RoomStore  # noqa: E402
from dashboard.rooms.tables import answers, marks, participants, rooms  # noqa: E402

NGINX_CONF = ROOT / "deploy" / "nginx.conf"
COOKIE_SECRET = "bench-rooms-" + uuid.uuid4().hex  # one for every app server (deploy guide)


def _as_unprivileged(user: str) -> list[str]:
    return ["runuser", "-u", user, "--"] if os.geteuid() == 0 else []


# -- PostgreSQL ------------------------------------------------------------------------------------


def pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else None


class Postgres:
    """A throwaway cluster: ``start()``, ``url(db)``, ``stop()``/``restart()``, ``destroy()``."""

    def __init__(self) -> None:
        bin_dir = pg_bin()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
        self.bin = bin_dir
        self.dir = Path(tempfile.mkdtemp(prefix="nt-bench-pg-"))
        self.port = free_port()
        self.as_ = _as_unprivileged("postgres")
        if self.as_:
            shutil.chown(self.dir, "postgres")
        self._run("initdb", "-D", str(self.dir / "data"), "-U", "nt", "--auth=trust", "-E", "UTF8")

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run([*self.as_, str(self.bin / tool), *args], check=True, capture_output=True, timeout=120)

    def _ctl(self, *args: str) -> None:
        self._run("pg_ctl", "-D", str(self.dir / "data"), *args)

    def start(self) -> None:
        opts = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c max_connections=200"
        self._ctl("-l", str(self.dir / "log"), "-w", "-o", opts, "start")

    def stop(self, mode: str = "fast") -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._ctl("-m", mode, "-w", "stop")

    def restart(self, mode: str = "immediate") -> None:
        """``immediate`` is a crash as far as PostgreSQL knows: no checkpoint, WAL replay on start."""
        self.stop(mode)
        self.start()

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://nt@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        name = f"rooms_{uuid.uuid4().hex[:8]}"
        engine = create_engine(make_url(self.url()).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        return self.url(name)

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


# -- app servers -----------------------------------------------------------------------------------


class RoomServer(Server):
    """``streamlit run APP`` with the room database in NT_ROOMS_URL and the shared cookie secret."""

    def __init__(self, app: str, port: int, log_dir: Path, db_url: str, options: list[str] | None = None) -> None:
        super().__init__(app, port, log_dir, options)
        self.db_url = db_url
        self.starts = 0
        self.append_log = True

    def environment(self) -> dict[str, str]:
        return {**os.environ, "NT_ROOMS_URL": self.db_url, "STREAMLIT_SERVER_COOKIE_SECRET": COOKIE_SECRET}

    def start(self) -> None:
        self.starts += 1
        super().start()

    def kill9(self) -> None:
        """SIGKILL the server's whole process group: no cleanup, no goodbye to its sockets."""
        assert self.proc is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)


# -- nginx -----------------------------------------------------------------------------------------


class Nginx:
    """The shipped deploy/nginx.conf under its own prefix, listening on ``port``, upstreams rewritten."""

    def __init__(self, upstream_ports: list[int], port: int | None = None, *, tag_upstream: bool = True) -> None:
        self.exe = shutil.which("nginx") or "/usr/sbin/nginx"
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.prefix = Path(tempfile.mkdtemp(prefix="nt-bench-nginx-"))
        for sub in ("logs", "tmp"):
            (self.prefix / sub).mkdir()
        conf = NGINX_CONF.read_text(encoding="utf-8")
        conf, n_listen = re.subn(r"listen 127\.0\.0\.1:\d+;", f"listen 127.0.0.1:{self.port};", conf)
        servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in upstream_ports)
        conf, n_up = re.subn(r"(?m)(^ *server 127\.0\.0\.1:\d+ [^\n]*\n)+", servers + "\n", conf)
        if n_listen != 1 or n_up != 1:
            raise RuntimeError(f"{NGINX_CONF}: expected one listen line and one upstream block to rewrite")
        if tag_upstream:  # the benchmark's own addition: which server answered (not in the shipped file)
            conf = conf.replace(
                "proxy_pass http://negotiating_table;",
                "proxy_pass http://negotiating_table;\n            add_header X-NT-Upstream $upstream_addr always;",
            )
        self.conf = self.prefix / "nginx.conf"
        self.conf.write_text(conf, encoding="utf-8")
        self.as_ = _as_unprivileged("nobody")
        if self.as_:
            for p in [self.prefix, *self.prefix.rglob("*")]:
                shutil.chown(p, "nobody")
        self.proc: subprocess.Popen[bytes] | None = None

    def _cmd(self, *extra: str) -> list[str]:
        return [
            *self.as_,
            self.exe,
            "-p",
            str(self.prefix),
            "-c",
            str(self.conf),
            "-e",
            str(self.prefix / "logs/error.log"),
            *extra,
        ]

    def start(self) -> None:
        subprocess.run(self._cmd("-t", "-q"), check=True, capture_output=True, timeout=30)
        self.proc = subprocess.Popen(
            self._cmd("-g", "daemon off;"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                urllib.request.urlopen(self.url + "/_stcore/health", timeout=2).read()
                return
            time.sleep(0.2)
        raise RuntimeError(f"nginx not answering on {self.url}; see {self.prefix}/logs/error.log")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGQUIT)  # graceful: the master waits for its workers
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.prefix, ignore_errors=True)


# -- what the database holds -----------------------------------------------------------------------


def stored(url: str, code: str) -> dict[str, object]:
    """The database's own count for a room: participants, answers (or mark sets) per question, replaced
    ones, and the set of (participant id, question, value) rows (a mark set's value: its JSON list)."""
    store = RoomStore.from_url(url, run_migrations=False)
    try:
        with store.engine.connect() as conn:
            room_id = conn.execute(select(rooms.c.id).where(rooms.c.code == code)).scalar_one()
            joined = conn.execute(
                select(func.count()).select_from(participants).where(participants.c.room_id == room_id)
            ).scalar_one()
            rows = conn.execute(
                select(answers.c.participant_id, answers.c.question, answers.c.value, answers.c.changes).where(
                    answers.c.room_id == room_id
                )
            ).all()
            # "Spot the framing": a mark set is a room's answer to its question (the marks as JSON)
            rows += conn.execute(
                select(marks.c.participant_id, marks.c.question, marks.c.marks.label("value"), marks.c.changes).where(
                    marks.c.room_id == room_id
                )
            ).all()
    finally:
        store.dispose()
    per_question: dict[str, int] = {}
    for r in rows:
        per_question[r.question] = per_question.get(r.question, 0) + 1
    return {
        "joined": joined,
        "answers": len(rows),
        "per_question": per_question,
        "replaced": sum(r.changes for r in rows),
        "rows": {(r.participant_id, r.question, r.value) for r in rows},
    }
