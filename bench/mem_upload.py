"""Where the server's memory goes around uploads: PSS, Streamlit's file manager, the budget, tracemalloc diffs.

    .venv/bin/python bench/mem_upload.py [--uploads 6] [--per-tab 2] [--trace]
    NT_UPLOAD_HELD_MB=50 .venv/bin/python bench/mem_upload.py          # any NT_* limit, as a deployment sets it

Starts the dashboard in a wrapper (``serve``: the Streamlit CLI in this interpreter plus a thread
that answers probe requests from a directory), opens the timeline (the built-in dataset loaded),
then uploads the 4.5 MB synthetic file ``--uploads`` times through Streamlit's own upload route
(``bench_upload.UploaderTab``), ``--per-tab`` per tab, one visitor, no class. After each step the
server reports: its own PSS/RSS and its checker processes' PSS (``/proc/PID/smaps_rollup``), the
bytes Streamlit's ``MemoryUploadedFileManager`` holds, what the upload registry holds and its
estimate, and with ``--trace`` the Python allocations grown since the first probe, by line
(``tracemalloc``, 1 frame; it slows the server, so read its memory figures without it).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for p in (str(ROOT), str(HERE)):
    if p not in sys.path:
        sys.path.insert(0, p)

MB = 1_000_000


def _smaps(pid: int | str) -> dict[str, int]:
    out: dict[str, int] = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
            key, value = line.split(":", 1)
            out[key] = int(value.split()[0]) * 1024
    except OSError:
        pass
    return out


def _allocators() -> dict[str, int]:
    """Memory the allocators hold: glibc's heap in use and free (mallinfo2), pyarrow's pool."""
    import ctypes

    import pyarrow as pa

    class MallInfo2(ctypes.Structure):
        _fields_ = [
            (n, ctypes.c_size_t)
            for n in [
                "arena",
                "ordblks",
                "smblks",
                "hblks",
                "hblkhd",
                "usmblks",
                "fsmblks",
                "uordblks",
                "fordblks",
                "keepcost",
            ]
        ]

    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = MallInfo2
    mi = libc.mallinfo2()
    pool = pa.default_memory_pool()
    return {"glibc_used": mi.uordblks + mi.hblkhd, "glibc_free": mi.fordblks, "arrow": pool.bytes_allocated()}


def _bundles() -> list[str]:
    """The sources of every dataset bundle alive in the server (frozen ones included)."""
    from dashboard.data.bundle import Bundle
    from dashboard.data.dataset import Dataset

    gc.unfreeze()  # get_objects does not see the permanent generation
    try:
        objs = gc.get_objects()
        bundles = [o for o in objs if type(o) is Bundle]
        held = {id(b.dataset) for b in bundles}
        loose = [o for o in objs if type(o) is Dataset and id(o) not in held]
        out = sorted(Path(o.dataset.source).name for o in bundles)
        for d in loose:  # a dataset alive without its bundle: who holds it
            refs = [type(r).__name__ for r in gc.get_referrers(d)]
            out.append(f"LOOSE {Path(d.source).name} <- {refs[:4]}")
        return out
    finally:
        del objs
        gc.freeze()


def _probe(first: list[object]) -> dict[str, object]:
    """Run in the server: what it holds now."""
    import tracemalloc

    from streamlit import runtime

    from dashboard.uploads.budget import REGISTRY

    gc.collect()
    mgr = runtime.get_instance().uploaded_file_mgr
    files = sum(len(f.data) for s in getattr(mgr, "file_storage", {}).values() for f in s.values())
    n_files = sum(len(s) for s in getattr(mgr, "file_storage", {}).values())
    from loadgen import process_tree

    me = _smaps("self")
    kids = [_smaps(p) for p in process_tree(os.getpid())[1:]]
    report: dict[str, object] = {
        "server_pss": me.get("Pss", 0),
        "server_rss": me.get("Rss", 0),
        "server_anon": me.get("Anonymous", 0),
        "checkers_pss": sum(k.get("Pss", 0) for k in kids),
        "n_checkers": len(kids),
        "file_mgr_bytes": files,
        "file_mgr_files": n_files,
        "held": REGISTRY.count(),
        "held_estimate": REGISTRY.total(),
        "sessions": len(runtime.get_instance()._session_mgr.list_sessions()),
        "cpu": time.process_time(),  # the server's own CPU (all its threads), children excluded
        "bundles": _bundles(),
        **_allocators(),
    }
    if tracemalloc.is_tracing():
        snap = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
        report["traced"] = tracemalloc.get_traced_memory()[0]
        if not first:
            first.append(snap)
        else:
            diffs = snap.compare_to(first[0], "lineno")
            report["top"] = [f"{d.size_diff / MB:+7.1f} MB {d.count_diff:+8d}  {d.traceback}" for d in diffs[:14]]
    return report


def serve(app: str, port: int, probes: str) -> None:
    """The Streamlit CLI in this interpreter, with a thread answering ``probes``/N.req with N.json."""
    if os.environ.get("NT_TRACE"):
        import tracemalloc

        tracemalloc.start(1)
    first: list[object] = []

    def answer() -> None:
        done: set[str] = set()
        while True:
            for req in sorted(Path(probes).glob("*.req")):
                if req.name in done:
                    continue
                done.add(req.name)
                try:
                    out = _probe(first)
                except Exception as e:  # a probe must not take the server down
                    out = {"error": repr(e)}
                tmp = req.with_suffix(".tmp")
                tmp.write_text(json.dumps(out))
                tmp.rename(req.with_suffix(".json"))
            time.sleep(0.1)

    threading.Thread(target=answer, daemon=True).start()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", app, "--server.port", str(port), "--server.address", "127.0.0.1"]
    sys.argv += ["--server.headless", "true"]
    cli.main()


async def _ask(probes: Path, n: int, timeout: float = 120.0) -> dict[str, object]:
    (probes / f"{n:03d}.req").write_text("")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        out = probes / f"{n:03d}.json"
        if out.exists():
            return json.loads(out.read_text())
        await asyncio.sleep(0.1)
    raise TimeoutError("probe not answered")


def _line(step: str, r: dict[str, object]) -> str:
    if "error" in r:
        return f"{step:<34} probe error {r['error']}"
    traced = f"  traced {r['traced'] / MB:6.1f}" if "traced" in r else ""
    return (
        f"{step:<34} server PSS {r['server_pss'] / MB:6.1f} (anon {r['server_anon'] / MB:6.1f})  checkers "
        f"{r['checkers_pss'] / MB:6.1f} ({r['n_checkers']})  file mgr {r['file_mgr_bytes'] / MB:4.1f} MB "
        f"held {r['held']} est. {r['held_estimate'] / MB:5.1f}  "
        f"sessions {r['sessions']}{traced}  glibc used/free {r['glibc_used'] / MB:.0f}/{r['glibc_free'] / MB:.0f} "
        f"arrow {r['arrow'] / MB:.0f}  alive: {' '.join(r['bundles'])}"
    )


def _cpu(r: dict[str, object], before: dict[str, object] | None) -> str:
    return f"  server CPU +{float(r['cpu']) - float(before['cpu']):.2f} s" if before and "cpu" in r else ""


async def drive(url: str, probes: Path, uploads: int, per_tab: int, data: bytes, linger: float) -> None:
    from bench_upload import UploaderTab, Uploads
    from loadgen import Tab

    n = 0
    last: dict[str, object] | None = None

    async def step(name: str) -> dict[str, object]:
        nonlocal n, last
        n += 1
        r = await _ask(probes, n)
        print(_line(name, r) + _cpu(r, last), flush=True)
        last = r
        for t in r.get("top", [])[:8] if name.startswith(("upload", "closed", "after")) else []:
            print("      ", t)
        return r

    warm = Tab(url, "/timeline?event=oslo-talks-2019", 0, "Timeline", 180.0, None)
    await warm.open()
    await warm.run_once(True)
    await step("built-in dataset loaded")
    out = Uploads()
    tabs: list[UploaderTab] = []
    for k in range(uploads):
        if k % per_tab == 0:
            tab = UploaderTab(url, k, 180.0)
            await tab.open()
            await tab.run_once(True)
            tabs.append(tab)
            if k == 0:
                await step("methods tab open")
        t0 = time.monotonic()
        await tabs[-1].upload(f"v{k}.yaml", data, out)
        await step(f"upload {k + 1} ({time.monotonic() - t0:.1f} s)")
    for tab in tabs:
        await tab.run_once(False)
    await step("after one more run of each tab")
    for tab in tabs:
        await tab.close()
    await warm.close()
    await asyncio.sleep(5)
    await step("closed all tabs (+5 s)")
    if linger:
        await asyncio.sleep(linger)
        await step(f"closed all tabs (+{linger + 5:g} s)")
    print(f"accepted {out.accepted}, refused {dict(out.refused)}, failed {out.failed}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mode", nargs="?", default="drive", choices=["drive", "serve"])
    ap.add_argument("--uploads", type=int, default=6)
    ap.add_argument("--per-tab", type=int, default=2)
    ap.add_argument("--trace", action="store_true")
    ap.add_argument("--linger", type=float, default=0.0, help="wait this long more after closing (reconnect window)")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--probes", default="")
    args = ap.parse_args(argv)
    if args.mode == "serve":
        serve("dashboard/app.py", args.port, args.probes)
        return 0
    import subprocess

    from bench_load import free_port
    from synth import generate

    data = generate(events=1_500, claims=8_000).encode()
    print(f"load average {os.getloadavg()[0]:.2f}; file {len(data) / MB:.2f} MB; trace {args.trace}")
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        probes = Path(tmp)
        env = {**os.environ, **({"NT_TRACE": "1"} if args.trace else {})}
        cmd = [sys.executable, __file__, "serve", "--port", str(port), "--probes", tmp]
        with (probes / "server.log").open("wb") as log:
            proc = subprocess.Popen(
                cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            import urllib.request

            for _ in range(180):
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                        break
                except OSError:
                    time.sleep(0.5)
            asyncio.run(drive(f"http://127.0.0.1:{port}", probes, args.uploads, args.per_tab, data, args.linger))
        finally:
            os.killpg(proc.pid, 15)
            proc.wait(10)
            print((probes / "server.log").read_text()[-1500:] if proc.returncode not in (0, -15) else "")
    print(f"load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
