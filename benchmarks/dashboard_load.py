"""Load test of the dashboard: N concurrent browser sessions, each stepping D days and running one Monte Carlo.

    python benchmarks/dashboard_load.py [--sessions 30] [--days 60] [--think 0]
                                        [--client browser|protocol|mixed [--browsers 3]]

Starts ``crisislab dashboard`` on a free port, opens the pages in Debian's headless chromium (one
browser, one context per session, all at once) — or, with ``--client protocol``, connects N clients that
speak the page's websocket protocol exactly as the browser does but draw nothing (the classroom case,
where each page is drawn on its student's laptop, not on the server), or, with ``--client mixed``, a few
Chromium pages among protocol clients (what one student sees while the others step) — and measures from
each session:
- step latency, end to end: click "Step" until the page shows the next day (p50, p95, max over all clicks);
  and server side: the server's own time for each click (``dashboard/timing.py``); with
  ``--think S`` each page waits S seconds between seeing a step and its next click (a student reading the
  charts), otherwise it clicks again at once (the worst case);
- the Monte Carlo: click until its result is on the page (median, max);
- server memory: resident memory of the server process before any session and after all sessions have
  stepped, divided by the number of sessions (the Monte Carlo pool's workers are reported apart).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_rss_mb(pid: int) -> float:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True,
                         check=False).stdout.split()
    total = 0.0
    for c in out:
        try:
            total += rss_mb(int(c)) + children_rss_mb(int(c))
        except (OSError, ValueError):
            pass
    return total


async def session(browser, url: str, days: int, latencies: list[float], mc_times: list[float], errors: list[str],
                  failures: list[str], delay: float = 0.0, think: float = 0.0, draw: bool = True):
    await asyncio.sleep(delay)   # students arrive over a few seconds, not in the same millisecond
    ctx = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await ctx.new_page()
    page.set_default_timeout(300_000)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: errors.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None)
    stage = "loading the page"
    try:
        if not draw:   # the charts' containers take no space, so ECharts has nothing to paint
            await page.add_init_script("document.addEventListener('DOMContentLoaded', () => {"
                                       "const s = document.createElement('style');"
                                       "s.textContent = '.solara-echarts { display: none !important; }';"
                                       "document.head.appendChild(s); });")
        await page.goto(url, timeout=300_000)
        await page.get_by_text("Day 0 —").wait_for(timeout=180_000)
        step = page.get_by_role("button", name="Step", exact=True)
        for d in range(1, days + 1):
            stage = f"waiting for day {d}"
            t0 = time.perf_counter()
            await step.click()
            await page.get_by_text(f"Day {d} —").wait_for(timeout=180_000)
            latencies.append(time.perf_counter() - t0)
            if think:
                await asyncio.sleep(think)   # a student looks at what the step changed before the next click
        stage = "waiting for the Monte Carlo"
        t0 = time.perf_counter()
        await page.get_by_role("button", name="Run Monte Carlo").click()
        await page.get_by_text("with the current settings: P(war)").first.wait_for(timeout=600_000)
        mc_times.append(time.perf_counter() - t0)
    except Exception as e:  # noqa: BLE001 - a stuck session is a result to report, not a reason to lose the others
        failures.append(f"{stage}: {type(e).__name__}")
    return ctx


def _kernel_msg(session: str, msg_type: str, content: dict) -> str:
    return json.dumps({"buffers": [], "channel": "shell", "content": content, "metadata": {}, "parent_header": {},
                       "header": {"date": "", "msg_id": str(uuid.uuid4()), "msg_type": msg_type, "session": session,
                                  "username": "", "version": "5.2"}})


def _state(raw) -> tuple[str | None, dict]:
    """(comm id, widget state) of a widget message from the server; (None, {}) for anything else."""
    if not isinstance(raw, str):
        return None, {}
    content = json.loads(raw).get("content", {})
    return content.get("comm_id"), (content.get("data") or {}).get("state") or {}


async def protocol_session(url: str, days: int, latencies: list[float], mc_times: list[float], failures: list[str],
                           delay: float = 0.0, think: float = 0.0) -> None:
    """One student without a browser: the page's own websocket messages (Jupyter kernel protocol, as a
    browser sends them: open ``solara.control``, ``run`` the page, click the Step button's widget), timing
    each click until the status widget shows the next day. The server does exactly what it does for a
    browser; no page is drawn on this machine."""
    import requests
    import websockets

    await asyncio.sleep(delay)
    stage = "connecting"
    try:
        cookies = (await asyncio.to_thread(requests.get, url, timeout=120)).cookies
        session = str(uuid.uuid4())
        ws_url = f"{url.replace('http', 'ws', 1)}jupyter/api/kernels/{uuid.uuid4()}/channels?session_id={session}"
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        async with websockets.connect(ws_url, additional_headers={"Cookie": cookie}, max_size=None,
                                      open_timeout=120, ping_timeout=None) as ws:
            control = str(uuid.uuid4())
            await ws.send(_kernel_msg(session, "comm_open", {"comm_id": control, "target_name": "solara.control",
                                                            "data": {}}))
            await ws.send(_kernel_msg(session, "comm_msg", {"comm_id": control, "data": {
                "method": "run", "args": {"path": "/", "dark": False, "themes": {"light": {}, "dark": {}},
                                          "appName": None}}}))
            buttons, status = {}, None
            stage = "loading the page"
            while not (status and "Step" in buttons and "Run Monte Carlo" in buttons):
                comm, st = _state(await asyncio.wait_for(ws.recv(), 180))
                if isinstance(st.get("children"), list) and len(st["children"]) == 1 and \
                        isinstance(st["children"][0], str):
                    buttons.setdefault(st["children"][0], comm)
                if str(st.get("unsafe_innerHTML", "")).startswith("Day 0 "):
                    status = comm

            async def click(label: str) -> None:
                await ws.send(_kernel_msg(session, "comm_msg", {"comm_id": buttons[label], "data": {
                    "method": "custom", "content": {"event": "click", "data": {}}}}))

            for d in range(1, days + 1):
                stage = f"waiting for day {d}"
                t0 = time.perf_counter()
                await click("Step")
                while True:
                    comm, st = _state(await asyncio.wait_for(ws.recv(), 180))
                    if comm == status and str(st.get("unsafe_innerHTML", "")).startswith(f"Day {d} "):
                        break
                latencies.append(time.perf_counter() - t0)
                if think:
                    await asyncio.sleep(think)
            stage = "waiting for the Monte Carlo"
            t0 = time.perf_counter()
            await click("Run Monte Carlo")
            while "with the current settings: P(war)" not in str(_state(await asyncio.wait_for(ws.recv(), 600))[1]
                                                                 .get("unsafe_innerHTML", "")):
                pass
            mc_times.append(time.perf_counter() - t0)
    except Exception as e:  # noqa: BLE001 - a stuck session is a result to report
        failures.append(f"{stage}: {type(e).__name__}: {e}"[:200])


async def main_async(args, server: subprocess.Popen, url: str) -> None:
    n_browsers = {"browser": args.sessions, "protocol": 0, "mixed": min(args.browsers, args.sessions)}[args.client]
    latencies = {"browser": [], "protocol": []}
    mc_times, errors, failures = [], [], []
    await protocol_session(url, 1, [], [], failures)   # warm the server up
    browser, pw = None, None
    if n_browsers:
        from playwright.async_api import async_playwright

        pw = await async_playwright().start()
        browser = await pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
    await asyncio.sleep(1.0)
    base, cpu0 = rss_mb(server.pid), cpu_seconds(server.pid)
    t0 = time.perf_counter()
    # the browser pages come first, then the protocol clients, all arriving 0.3 s apart
    jobs = [session(browser, url, args.days, latencies["browser"], mc_times, errors, failures, 0.3 * i, args.think,
                    not args.no_draw) if i < n_browsers else
            protocol_session(url, args.days, latencies["protocol"], mc_times, failures, 0.3 * i, args.think)
            for i in range(args.sessions)]
    done = await asyncio.gather(*jobs)
    wall = time.perf_counter() - t0
    server_cpu = cpu_seconds(server.pid) - cpu0
    after, pool = rss_mb(server.pid), children_rss_mb(server.pid)
    for ctx in done:
        if ctx is not None:
            await ctx.close()
    if browser is not None:
        await browser.close()
        await pw.stop()
    report(args, n_browsers, latencies, mc_times, errors, failures, wall, server_cpu, base, after, pool)


def _quantiles(xs: list[float]) -> tuple[float, float, float]:
    lat = sorted(xs) or [float("nan")]
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [lat[0]] * 99
    return q[49], q[94], lat[-1]


def report(args, n_browsers, latencies, mc_times, errors, failures, wall, server_cpu, base, after, pool) -> None:
    every = latencies["browser"] + latencies["protocol"]
    p50, p95, top = _quantiles(every)
    clients = {"browser": "browsers", "protocol": "protocol clients (no browser)",
               "mixed": f"{n_browsers} browser pages + {args.sessions - n_browsers} protocol clients"}[args.client]
    where = (f"server on CPU {sorted(args.server_cpus)}, {clients} on the others" if args.server_cpus is not None
             else f"server and {clients} sharing every CPU")
    print(f"{args.sessions} sessions x {args.days} steps + 1 Monte Carlo ({args.mc_runs} runs) each; "
          f"think time {args.think:g} s between clicks; {where}{'; charts not painted' if args.no_draw else ''}; "
          f"wall {wall:.1f} s")
    print(f"  step latency   p50 {p50 * 1e3:.0f} ms   p95 {p95 * 1e3:.0f} ms   max {top * 1e3:.0f} ms "
          f"({len(every)} of {args.sessions * args.days} clicks answered)")
    if args.client == "mixed":
        for kind, what in (("browser", "in the browser pages (click to the day shown on the page)"),
                           ("protocol", "of the protocol clients")):
            k50, k95, kmax = _quantiles(latencies[kind])
            print(f"    {what}: p50 {k50 * 1e3:.0f} ms   p95 {k95 * 1e3:.0f} ms   max {kmax * 1e3:.0f} ms "
                  f"({len(latencies[kind])} clicks)")
    if mc_times:
        print(f"  Monte Carlo    median {statistics.median(mc_times):.1f} s   max {max(mc_times):.1f} s "
              f"({len(mc_times)} of {args.sessions} finished)")
    steps_file = Path(args.server_log + ".steps")
    server_side = sorted(float(x) for x in steps_file.read_text().split()) if steps_file.exists() else []
    if len(server_side) > 1:
        qs = statistics.quantiles(server_side, n=100)
        print(f"  server side    p50 {qs[49] * 1e3:.0f} ms   p95 {qs[94] * 1e3:.0f} ms   max {server_side[-1] * 1e3:.0f} ms "
              "(click handler start to views updated; excludes waiting for the server and the browser's drawing)")
    print(f"  server CPU     {server_cpu:.1f} s over {wall:.0f} s of wall time ({100 * server_cpu / wall:.0f} % of one core; "
          "its Monte Carlo workers apart)")
    own = resource.getrusage(resource.RUSAGE_SELF)
    print(f"  client CPU     {own.ru_utime + own.ru_stime:.1f} s (this script{', not the browsers' if args.client == 'browser' else ''}: "
          "time it spends parsing the server's messages is part of the latency it measures)")
    print(f"  server memory  {base:.0f} MB before, {after:.0f} MB with {args.sessions} sessions: "
          f"{(after - base) / args.sessions:.2f} MB per session (Monte Carlo pool workers: {pool:.0f} MB)")
    if failures:
        print(f"  sessions that did not finish: {len(failures)} (e.g. {failures[0]})")
    http = sorted({e for e in errors if e.startswith("HTTP ")})
    print(f"  browser console errors: {len(errors) - sum(e.startswith('HTTP ') for e in errors)}; failed requests: "
          f"{len(http)}" + (f" (e.g. {http[0][:160]})" if http else ""))


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=30)
    ap.add_argument("--days", type=int, default=60)
    ap.add_argument("--mc-runs", type=int, default=100, help="the page's default (100); shown for the record")
    ap.add_argument("--server-cpus", type=int, nargs="+", default=None,
                    help="pin the server (and its Monte Carlo workers) to these CPUs and the browsers to the others, "
                         "e.g. --server-cpus 0 (default: everything shares every CPU)")
    ap.add_argument("--client", choices=["browser", "protocol", "mixed"], default="browser",
                    help="browser: headless Chromium pages (default); protocol: each session speaks the page's "
                         "websocket protocol itself (what a browser sends, nothing drawn here), so the figure is the "
                         "server's and the network's, as when every student's browser runs on their own laptop; "
                         "mixed: --browsers of the sessions are Chromium pages (what a student sees, drawing "
                         "included), the others protocol clients")
    ap.add_argument("--browsers", type=int, default=3, help="browser pages in --client mixed (default 3)")
    ap.add_argument("--no-draw", action="store_true",
                    help="the pages receive every chart update but do not paint the charts (as if each page drew on "
                         "its own laptop); the server's work is unchanged")
    ap.add_argument("--server-log", default="/tmp/crisislab-dashboard-load.log", help="the server's output")
    ap.add_argument("--think", type=float, default=0.0,
                    help="seconds each page waits after a step shows before clicking again (default 0: as fast "
                         "as the server answers, the worst case)")
    args = ap.parse_args(argv)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(args.server_log, "w")  # noqa: SIM115 - closed below, after the server
    Path(args.server_log + ".steps").unlink(missing_ok=True)
    env = {**os.environ, "CRISISLAB_TIMING": args.server_log + ".steps"}
    pin = args.server_cpus is not None
    server_cpus = set(args.server_cpus or [])
    taskset = ["taskset", "-c", ",".join(map(str, sorted(server_cpus)))] if pin else []
    server = subprocess.Popen([*taskset, sys.executable, "-m", "experiments.cli", "dashboard", "--port", str(port)],
                              cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    if pin:   # the browsers (started from here) get the other CPUs: as if they ran on the students' laptops
        os.sched_setaffinity(0, set(os.sched_getaffinity(0)) - server_cpus or server_cpus)
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        asyncio.run(main_async(args, server, f"http://127.0.0.1:{port}/"))
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        print(f"  server log: {args.server_log}")


if __name__ == "__main__":
    main()
