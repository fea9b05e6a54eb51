"""What a fresh server costs: seconds to healthy, the first page, warming in the background, and memory.

    .venv/bin/python bench/bench_warm.py            # warming on, then off (NT_WARM=0), one fresh server each

For each setting: start ``streamlit run dashboard/app.py`` on 127.0.0.1, time ``/_stcore/health`` until it
answers, then open the home page in one tab (loadgen: the websocket a browser opens) while a poller asks
for ``/_stcore/health`` every 0.1 s; then wait for the server log's "warmed N values in S s" (warming on)
and read the server's resident memory at each stage. Both the health check and the first page must not
wait for warming: compare their latencies with warming on and off.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_load import ROOT, Server, free_port, load_avg, machine  # noqa: E402
from loadgen import percentile, run_load, tree_rss_bytes  # noqa: E402

MB = 1_000_000
WARMED = re.compile(r"warmed (\d+) values in ([\d.]+) s")


async def _poll_health(url: str, stop: asyncio.Event, out: list[float]) -> None:
    while not stop.is_set():
        began = time.perf_counter()
        await asyncio.to_thread(lambda: urllib.request.urlopen(url + "/_stcore/health", timeout=10).read())
        out.append(time.perf_counter() - began)
        await asyncio.sleep(0.1)


async def one(warm: bool, root: Path, log_dir: Path, page: str, title: str, wait: float) -> dict[str, object]:
    server = Server("dashboard/app.py", free_port(), log_dir, root=root, env={"NT_WARM": "1" if warm else "0"})
    server.start()
    try:
        healthy = server.wait_healthy(poll=0.05)
        rss_healthy = tree_rss_bytes(server.pid)
        stop, health = asyncio.Event(), []
        poller = asyncio.create_task(_poll_health(server.url, stop, health))
        first = await run_load(server.url, page, 1, 0, 0, server.pid, title, timeout=120, settle=0)
        rss_first = tree_rss_bytes(server.pid)
        warmed = None
        deadline = time.monotonic() + wait
        while warm and time.monotonic() < deadline:
            found = WARMED.search(server.log.read_text(errors="replace"))
            if found:
                warmed = (int(found.group(1)), float(found.group(2)))
                break
            await asyncio.sleep(0.2)
        stop.set()
        await poller
        return {
            "warm": warm,
            "healthy_s": healthy,
            "first_page_s": max(first.open_latencies, default=float("nan")),
            "first_ok": first.failures == 0 and first.title_seen == 1,
            "health_p95_ms": percentile(health, 95) * 1000 if health else float("nan"),
            "health_max_ms": max(health) * 1000 if health else float("nan"),
            "health_n": len(health),
            "warmed": warmed,
            "rss_healthy": rss_healthy,
            "rss_first": rss_first,
            "rss_end": tree_rss_bytes(server.pid),
            "load_avg": load_avg(),
        }
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--page", default="/", help="the first page a visitor opens")
    ap.add_argument("--title", default="Venezuela at the negotiating table", help="text that proves it opened")
    ap.add_argument("--root", type=Path, default=ROOT, help="run the dashboard from this checkout")
    ap.add_argument("--wait", type=float, default=120.0, help="seconds to wait for warming to finish")
    args = ap.parse_args(argv)
    print("\n".join(machine()), flush=True)
    log_dir = Path(tempfile.mkdtemp(prefix="bench-warm-"))
    rows = [asyncio.run(one(w, args.root, log_dir, args.page, args.title, args.wait)) for w in (True, False)]
    print(
        "\n| warming | healthy after s | first page s | health p95 / max ms during | warmed (values, s) "
        "| RSS healthy / after first page / end MB | load avg |"
    )
    print("|---|--:|--:|---|---|---|---|")
    for r in rows:
        warmed = f"{r['warmed'][0]} in {r['warmed'][1]:.1f} s" if r["warmed"] else "-"
        print(
            f"| {'on' if r['warm'] else 'off'} | {r['healthy_s']:.1f} | {r['first_page_s']:.2f}"
            f"{'' if r['first_ok'] else ' (FAILED)'} | {r['health_p95_ms']:.0f} / {r['health_max_ms']:.0f} "
            f"({r['health_n']} checks) | {warmed} | {r['rss_healthy'] / MB:.0f} / {r['rss_first'] / MB:.0f} / "
            f"{r['rss_end'] / MB:.0f} | {r['load_avg']} |"
        )
    return 0 if all(r["first_ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
