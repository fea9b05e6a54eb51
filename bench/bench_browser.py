"""How long a visitor waits for the timeline to be drawn in a real browser, at a given dataset size.

    python bench/bench_browser.py [--events 10000 --claims 50000] [--runs 5]

Serves the dashboard on a free loopback port with DASHBOARD_DATA pointing at a
synthetic dataset (made by bench/synth.py, cached in bench/.cache/), opens the
timeline in Debian's Chromium and times navigation → the event markers drawn
(SVG points, or pixels painted on the WebGL canvas that ``scattergl`` draws in).
The first visit also pays for loading the dataset; the target (3 s) is for a
visit once the server has it, which is what a class meets. It also prints how
much figure data the browser was sent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
from bench_scale import synthetic_path  # noqa: E402  (the same cached file as bench_scale.py's)

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
TARGET_S = 3.0
# Any element the script drew: when Streamlit's frontend has started and the first run has come back.
FIRST_ELEMENT = '[data-testid="stMarkdownContainer"], [data-testid="stHeading"], [data-testid="stWidgetLabel"]'


# Drawn: an SVG marker is in the page, or the WebGL canvas has painted pixels (read back through a
# small 2D canvas; plotly keeps its drawing buffer, so the pixels stay readable after the draw).
DRAWN_JS = """(charts) => {
  const drawn = (g) => {
    if (g.querySelector('.point')) return true;  // an SVG marker or bar, of any trace
    if (g.querySelector('.hm image')) return true;  // a heatmap (the timeline's events per month at scale)
    const gl = g.querySelector('canvas.gl-canvas-context');
    if (!gl || !gl.width || !g._fullData || !g._fullData.some(t => t.type === 'scattergl')) return false;
    const c = document.createElement('canvas');
    c.width = 200; c.height = 200;
    const ctx = c.getContext('2d');
    ctx.drawImage(gl, 0, 0, 200, 200);
    const px = ctx.getImageData(0, 0, 200, 200).data;
    for (let i = 3; i < px.length; i += 4) if (px[i] > 0) return true;
    return false;
  };
  const gs = [...document.querySelectorAll('.js-plotly-plot')];
  return gs.length >= charts && gs.slice(0, charts).every(drawn);
}"""
FIGURE_JS = """() => {
  const gs = [...document.querySelectorAll('.js-plotly-plot')];
  return {bytes: gs.reduce((n, g) => n + JSON.stringify(g.data).length, 0),
          traces: gs.flatMap(g => g.data.map(t => t.type))};
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise SystemExit(f"server at {url} did not become healthy")


def drawn_in(page, url: str, timeout_s: float, charts: int = 1) -> tuple[float, float, float, int]:
    """Seconds from starting navigation until the page's first element, until the first chart element
    and until the first ``charts`` charts have their marks on screen; and the bytes the server sent over
    the websocket meanwhile."""
    received = [0]

    def on_socket(ws) -> None:
        ws.on("framereceived", lambda frame: received.__setitem__(0, received[0] + len(frame)))

    page.on("websocket", on_socket)
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(FIRST_ELEMENT, timeout=timeout_s * 1000, state="attached")
    first = time.perf_counter() - started
    if not charts:  # the one-line page: its text is all there is
        return first, first, first, received[0]
    page.wait_for_selector(".js-plotly-plot", timeout=timeout_s * 1000, state="attached")
    element = time.perf_counter() - started
    page.wait_for_function(DRAWN_JS, arg=charts, timeout=timeout_s * 1000, polling=50)
    return first, element, time.perf_counter() - started, received[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--claims", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--page", default="/timeline", help="path and query to open (default /timeline)")
    parser.add_argument("--charts", type=int, default=1, help="how many charts must be drawn (compare's strip: 4)")
    parser.add_argument(
        "--baseline",
        action="store_true",
        help="serve bench/oneline_app.py instead: the frontend's own start on this machine (first element)",
    )
    parser.add_argument(
        "--code", type=Path, default=REPO, help="serve the dashboard of this checkout (e.g. an export of HEAD)"
    )
    args = parser.parse_args()
    if args.baseline:
        args.charts, args.page = 0, "/"
    data = synthetic_path(args.events, args.claims, outlets=6, seed=1)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DASHBOARD_DATA": str(data)}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(REPO / "bench" / "oneline_app.py") if args.baseline else "dashboard/app.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=args.code,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_healthy(url)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            _, _, first, _ = drawn_in(page, url + args.page, timeout_s=300, charts=args.charts)
            figure = page.evaluate(FIGURE_JS)
            times, elements, starts, sent = [], [], [], []
            for _ in range(args.runs):
                fresh = browser.new_page(viewport={"width": 1280, "height": 900})
                start, element, drawn, received = drawn_in(fresh, url + args.page, timeout_s=60, charts=args.charts)
                times.append(drawn)
                elements.append(element)
                starts.append(start)
                sent.append(received)
                fresh.close()
            # A student's next visit: a new tab in the same browser, its HTTP cache warm (the app's
            # scripts and Plotly's bundle); each visit above was a new browser profile, cold.
            warm_context = browser.new_context(viewport={"width": 1280, "height": 900})
            tab = warm_context.new_page()
            drawn_in(tab, url + args.page, timeout_s=60, charts=args.charts)
            tab.close()
            warm = []
            for _ in range(args.runs):
                tab = warm_context.new_page()
                warm.append(drawn_in(tab, url + args.page, timeout_s=60, charts=args.charts)[2])
                tab.close()
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    median = statistics.median(times)
    size = f"{args.events:,} events / {args.claims:,} claims ({data.name})"
    print(f"{args.page} ({args.charts} chart(s)) drawn in Chromium, {size}")
    print(f"  machine: {os.cpu_count()} cores · {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    print(f"  first visit (server loads the dataset): {first:.2f} s")
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(Counter(figure["traces"]).items()))
    print(f"  figure data in the browser: {figure['bytes'] / 1e6:.2f} MB of JSON, traces: {kinds}")
    print(f"  code served: {args.code}")
    print(f"  later visits, each a new browser profile (cold cache): median {median:.2f} s, max {max(times):.2f} s")
    print(f"  a new tab in the same browser (cache warm), {args.runs} runs: median {statistics.median(warm):.2f} s")
    print(f"  first element of the page: median {statistics.median(starts):.2f} s after navigation")
    print(f"  chart element on the page: median {statistics.median(elements):.2f} s after navigation")
    print(f"  websocket bytes from the server per visit: median {statistics.median(sent) / 1e6:.2f} MB")
    print(f"  load average at the end: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    verdict = "PASS" if median <= TARGET_S else "FAIL"
    print(f"  {verdict} drawn within {TARGET_S:g} s of navigation, cold cache (median {median:.2f} s)")
    hot = statistics.median(warm)
    print(f"  {'PASS' if hot <= TARGET_S else 'FAIL'} drawn within {TARGET_S:g} s, warm cache (median {hot:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
