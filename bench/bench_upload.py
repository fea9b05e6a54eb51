"""A class of 40 rerunning the timeline while N visitors upload the largest allowed file again and again.

    .venv/bin/python bench/bench_upload.py [--visitors 3] [--uploads 4] [--per-tab 2] [--sessions 40]
    .venv/bin/python bench/bench_upload.py --calibrate      # held memory per pickled byte (budget.py)

One server (``python -m streamlit run dashboard/app.py``, the real dataset, default upload
limits unless NT_* variables are set). First the class alone (``loadgen.run_load`` on the
timeline deep link), then the same class again while each visitor opens the methods page and
uploads a synthetic dataset just under the size limit (``bench/synth.py``, 1,500 events and
8,000 claims, 4.5 MB) through Streamlit's own upload route, as a browser does: ``file_urls_request``
on the websocket, a multipart ``PUT`` to the URL it answers with (XSRF header and cookie), then a
rerun carrying the file uploader's state. A visitor uploads ``--per-tab`` times in one tab, then
opens another (the old one stays open, as a reloaded tab's session stays for its reconnect window).

Figures: the class's p50/p95 and failures in both runs and their ratio (target <= 1.5x); the
server's peak memory over its whole process tree (the forkserver and checker children included)
as summed RSS and as summed PSS (shared pages counted once: what the machine really gives it;
target <= 600 MB); uploads accepted, refused (each with its message) and evicted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import http.cookies
import pickle
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for p in (str(ROOT), str(HERE)):
    if p not in sys.path:
        sys.path.insert(0, p)

from bench_load import Server, free_port, load_avg, machine  # noqa: E402
from loadgen import Tab, process_tree, run_load, tree_rss_bytes  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from synth import generate  # noqa: E402

MB = 1_000_000
CLASS_PAGE, CLASS_TITLE = "/timeline?event=oslo-talks-2019", "Timeline"
UPLOADER_LABEL = "Your dataset (.yaml)"
P95_RATIO_MAX, PSS_MAX = 1.5, 600 * MB


def pss_bytes(pids: list[int]) -> int:
    total = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def tree_pss_bytes(pid: int) -> int:
    return pss_bytes(process_tree(pid))


class PeakSampler:
    def __init__(self, pid: int) -> None:
        self.pid, self.rss, self.pss, self._stop = pid, 0, 0, asyncio.Event()
        self.server_pss = self.others_pss = 0  # the server's own process; its forkserver and checkers

    async def run(self) -> None:
        while not self._stop.is_set():
            self.rss = max(self.rss, tree_rss_bytes(self.pid))
            own, others = pss_bytes([self.pid]), pss_bytes(process_tree(self.pid)[1:])
            self.pss = max(self.pss, own + others)
            self.server_pss, self.others_pss = max(self.server_pss, own), max(self.others_pss, others)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), 0.25)

    def stop(self) -> None:
        self._stop.set()


@dataclass
class Uploads:
    accepted: int = 0
    refused: Counter[str] = field(default_factory=Counter)
    failed: list[str] = field(default_factory=list)  # the protocol went wrong: a bench or server error
    seconds: list[float] = field(default_factory=list)
    evicted_seen: int = 0


class UploaderTab(Tab):
    """A tab on the methods page that uploads a file through the file uploader."""

    def __init__(self, base_url: str, index: int, timeout: float) -> None:
        super().__init__(base_url, "/methods", index, "Methods", timeout, None)
        self.session_id = ""
        self.uploader_id = ""
        self.texts: list[str] = []

    def _look_at(self, msg: ForwardMsg) -> None:
        super()._look_at(msg)
        kind = msg.WhichOneof("type")
        if kind == "new_session" and msg.new_session.initialize.session_id:
            self.session_id = msg.new_session.initialize.session_id
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            el = msg.delta.new_element
            which = el.WhichOneof("type")
            if which == "file_uploader" and el.file_uploader.label == UPLOADER_LABEL:
                self.uploader_id = el.file_uploader.id
            elif which == "alert":
                self.texts.append(el.alert.body)
            elif which == "code":
                self.texts.append(el.code.code_text)

    async def _file_urls(self, name: str) -> tuple[str, str, str]:
        assert self.ws is not None
        msg = BackMsg()
        req = msg.file_urls_request
        req.request_id, req.session_id = uuid.uuid4().hex, self.session_id
        req.file_names.append(name)
        await self.ws.send(msg.SerializeToString())
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(self.ws.recv(decode=False), self.timeout))
            if fwd.WhichOneof("type") == "file_urls_response" and fwd.file_urls_response.response_id == req.request_id:
                urls = fwd.file_urls_response.file_urls[0]
                return urls.file_id, urls.upload_url, urls.delete_url
        raise TimeoutError("no file_urls_response")

    def _put(self, upload_url: str, name: str, data: bytes) -> int:
        with urllib.request.urlopen(self.base + "/_stcore/health", timeout=self.timeout) as r:
            jar = http.cookies.SimpleCookie()
            for c in r.headers.get_all("Set-Cookie") or []:
                jar.load(c)
        xsrf = jar["_streamlit_xsrf"].value
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                "Content-Type: application/x-yaml\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        url = upload_url if upload_url.startswith("http") else self.base + upload_url
        req = urllib.request.Request(url, data=body, method="PUT")
        req.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
        req.add_header("X-Xsrftoken", xsrf)
        req.add_header("Cookie", f"_streamlit_xsrf={xsrf}")
        with urllib.request.urlopen(req, timeout=self.timeout) as r:
            return r.status

    async def upload(self, name: str, data: bytes, out: Uploads) -> None:
        assert self.ws is not None and self.uploader_id
        t0 = time.monotonic()
        file_id, upload_url, delete_url = await self._file_urls(name)
        status = await asyncio.to_thread(self._put, upload_url, name, data)
        if status not in (200, 204):
            out.failed.append(f"PUT answered {status}")
            return
        msg = BackMsg()
        cs = msg.rerun_script
        cs.page_script_hash = self.page_script_hash
        cs.cached_message_hashes.extend(self.cache)
        w = cs.widget_states.widgets.add()
        w.id = self.uploader_id
        info = w.file_uploader_state_value.uploaded_file_info.add()
        info.file_id, info.name, info.size = file_id, name, len(data)
        info.file_urls.file_id, info.file_urls.upload_url, info.file_urls.delete_url = file_id, upload_url, delete_url
        self.texts = []
        payload = msg.SerializeToString()
        self._back_msg = lambda first: payload  # type: ignore[method-assign]  # run_once sends it
        try:
            run = await self.run_once(False)
        finally:
            del self._back_msg  # later runs carry no upload, as a browser's do
        out.seconds.append(time.monotonic() - t0)
        if not run.ok:
            out.failed.append(f"upload run: {run.status}")
        elif any(t.startswith("Showing your file") for t in self.texts):
            out.accepted += 1
        else:
            problems = [t.split(": ", 1)[-1] for t in self.texts if ":1:1: " in t]
            out.refused[problems[0] if problems else " / ".join(self.texts)[:160]] += 1


async def visitor(url: str, index: int, uploads: int, per_tab: int, data: bytes, out: Uploads, timeout: float) -> None:
    tabs: list[UploaderTab] = []
    try:
        for n in range(uploads):
            if n % per_tab == 0:
                tab = UploaderTab(url, index, timeout)
                await tab.open()
                run = await tab.run_once(True)
                if not run.ok or not tab.uploader_id:
                    out.failed.append(f"methods page did not open with an uploader ({run.status})")
                    return
                tabs.append(tab)
            await tabs[-1].upload(f"visitor{index}-{n}.yaml", data, out)
        for tab in tabs:  # an evicted tab finds out on its next run
            await tab.run_once(False)
            out.evicted_seen += any("unloaded to make room" in t for t in tab.texts)
    except Exception as e:
        out.failed.append(f"{type(e).__name__}: {e}"[:200])
    finally:
        for tab in tabs:
            await tab.close()


async def with_uploads(args: argparse.Namespace, server: Server, data: bytes) -> tuple[object, Uploads, PeakSampler]:
    out = Uploads()
    sampler = PeakSampler(server.pid)
    sampling = asyncio.create_task(sampler.run())
    visitors = [
        asyncio.create_task(visitor(server.url, i, args.uploads, args.per_tab, data, out, args.timeout))
        for i in range(args.visitors)
    ]
    rep = await run_load(
        server.url, CLASS_PAGE, args.sessions, args.ramp, args.reruns, server.pid, CLASS_TITLE, args.timeout
    )
    await asyncio.gather(*visitors)
    sampler.stop()
    await sampling
    return rep, out, sampler


def calibrate() -> None:
    """Resident memory an unpickled upload holds, against its pickle's length (budget.HELD_PER_PICKLED_BYTE)."""
    from dashboard.shell.loading import check_uploaded

    def rss() -> int:
        return int(Path("/proc/self/statm").read_text().split()[1]) * 4096

    for events, claims in [(100, 500), (400, 2_000), (1_500, 8_000)]:
        outcome = check_uploaded(generate(events=events, claims=claims).encode(), "c.yaml")
        assert outcome.dataset is not None, outcome.problems[:3]
        raw = pickle.dumps(outcome.dataset, protocol=pickle.HIGHEST_PROTOCOL)
        del outcome
        gc.collect()
        before = rss()
        held = pickle.loads(raw)
        gc.collect()
        grown = rss() - before
        print(
            f"{events:>5} events {claims:>5} claims: pickle {len(raw) / MB:5.1f} MB, held {grown / MB:5.1f} MB, "
            f"{grown / len(raw):.2f} per pickled byte"
        )
        del held


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--visitors", type=int, default=3)
    ap.add_argument("--uploads", type=int, default=4, help="uploads per visitor")
    ap.add_argument("--per-tab", type=int, default=2, help="uploads in one tab before the visitor opens another")
    ap.add_argument("--sessions", type=int, default=40)
    ap.add_argument("--ramp", type=float, default=5.0)
    ap.add_argument("--reruns", type=int, default=10)
    ap.add_argument("--timeout", type=float, default=180.0)
    ap.add_argument("--calibrate", action="store_true")
    args = ap.parse_args(argv)
    if args.calibrate:
        calibrate()
        return 0
    data = generate(events=1_500, claims=8_000).encode()
    print("\n".join(machine()))
    print(f"load average at start: {load_avg()}; upload file {len(data) / MB:.2f} MB")
    with tempfile.TemporaryDirectory() as logs:
        server = Server("dashboard/app.py", free_port(), Path(logs))
        server.start()
        try:
            server.wait_healthy()
            asyncio.run(run_load(server.url, CLASS_PAGE, 2, 0, 1, server.pid, CLASS_TITLE, args.timeout))  # warm
            base = asyncio.run(
                run_load(server.url, CLASS_PAGE, args.sessions, args.ramp, args.reruns, server.pid, CLASS_TITLE)
            )
            idle_rss, idle_pss = tree_rss_bytes(server.pid), tree_pss_bytes(server.pid)
            rep, out, peak = asyncio.run(with_uploads(args, server, data))
            alive = server.proc is not None and server.proc.poll() is None
        finally:
            server.stop()
    ratio = rep.p95 / base.p95 if base.p95 else float("inf")
    print(
        f"\nclass alone:        p50 {base.p50 * 1000:,.0f} ms  p95 {base.p95 * 1000:,.0f} ms  failures {base.failures}"
    )
    print(f"class with uploads: p50 {rep.p50 * 1000:,.0f} ms  p95 {rep.p95 * 1000:,.0f} ms  failures {rep.failures}")
    print(f"p95 ratio {ratio:.2f}x (target <= {P95_RATIO_MAX}x): {'PASS' if ratio <= P95_RATIO_MAX else 'FAIL'}")
    print(f"server memory before uploads: RSS {idle_rss / MB:.0f} MB, PSS {idle_pss / MB:.0f} MB")
    print(
        f"server peak: RSS (summed) {peak.rss / MB:.0f} MB, PSS {peak.pss / MB:.0f} MB "
        f"(target <= {PSS_MAX / MB:.0f} MB): {'PASS' if peak.pss <= PSS_MAX else 'FAIL'}; peaks of the server "
        f"process {peak.server_pss / MB:.0f} MB and of its checker processes {peak.others_pss / MB:.0f} MB"
    )
    print(
        f"uploads: {args.visitors} visitors x {args.uploads}, {args.per_tab} per tab; accepted {out.accepted}, "
        f"refused {sum(out.refused.values())}, evicted (told on their next run) {out.evicted_seen}, "
        f"bench failures {len(out.failed)}"
    )
    for message, n in out.refused.most_common():
        print(f"  refused x{n}: {message}")
    for f in out.failed[:5]:
        print(f"  failure: {f}")
    if out.seconds:
        s = sorted(out.seconds)
        print(f"upload time (PUT to page shown): median {s[len(s) // 2]:.1f} s, max {s[-1]:.1f} s")
    print(f"server alive at the end: {alive}; load average at end: {load_avg()}")
    ok = rep.failures == 0 and base.failures == 0 and ratio <= P95_RATIO_MAX and peak.pss <= PSS_MAX and alive
    return 0 if ok and not out.failed else 1


if __name__ == "__main__":
    raise SystemExit(main())
