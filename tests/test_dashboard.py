"""The dashboard: session logic, headless component renders, and a real browser (Debian's chromium)."""

import html
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import ipyvuetify as v
import pytest
import solara
from solara.components.echarts import EchartsWidget
from solara.widgets import HTML

from dashboard import charts
from dashboard.montecarlo import monte_carlo
from dashboard.session import SLIDERS, Session, Settings, parse_seed
from dashboard.views import CohesionView, EscalationView, EventLogView, NetworkView

ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------------------- session logic

def test_two_sessions_have_independent_models():
    a, b = Session(), Session()
    a.step(15)
    assert a.model.day == 15 and b.model.day == 0 and a.model is not b.model
    b.set_policy("USA", "deterrence")
    assert a.settings.policies["USA"] == "as_happened" and b.model.policy["USA"] == "deterrence"


@pytest.mark.parametrize("text,ok", [("7", True), (" 42 ", True), ("abc", False), ("", False), ("-1", False),
                                     ("1.5", False), (str(2**32), False)])
def test_seed_field_accepts_whole_numbers_only(text, ok):
    seed, msg = parse_seed(text)
    assert (seed is not None) == ok and (msg is None) == ok
    s = Session()
    s.step(3)
    before = s.settings.seed
    result = s.set_seed(text)
    if ok:
        assert result is None and s.settings.seed == int(text) and s.model.day == 0
    else:
        assert result and s.settings.seed == before and s.model.day == 3  # the run is left alone


@pytest.mark.parametrize("name", list(SLIDERS))
def test_sliders_at_their_extremes_give_valid_runs(name):
    lo, hi, _ = SLIDERS[name]
    for value in (lo, hi, hi * 10, lo - 5):
        s = Session()
        s.set_parameter(name, value)
        assert lo <= getattr(s.model.params, name) <= hi
        s.step(200)
        assert not s.running and s.error is None


def test_switching_scenario_mid_run_gives_a_fresh_valid_run():
    s = Session()
    s.step(20)
    s.set_scenario("two_blocs")
    assert s.model.scenario.name == "two_blocs" and s.model.day == 0
    assert set(s.settings.policies) >= {"LDR", "WEST"} and "USA" not in s.settings.policies
    s.step(5)
    assert s.model.day == 5
    s.set_scenario("atlantis")
    assert "unknown scenario" in s.error and s.model.scenario.name == "two_blocs"


def test_charts_follow_the_model():
    s = Session()
    before = charts.escalation_option(s.model)["series"][0]["data"]
    s.step(40)
    after = charts.escalation_option(s.model)["series"][0]["data"]
    assert sum(x is not None for x in after) == 41 > sum(x is not None for x in before)
    marks = charts.escalation_option(s.model)["series"][0]["markLine"]["data"]
    assert any(m["xAxis"] == "2021-12-07" for m in marks)   # the Biden-Putin call is on the time axis
    net = charts.network_option(s.model)["series"][0]
    assert {"RUS", "UKR", "NATO"} <= {n["name"] for n in net["data"]} and len(net["links"]) > 20
    coh = charts.cohesion_option(s.model, "NATO")
    assert [x["name"] for x in coh["series"]] == ["cohesion", "alignment", "abandonment", "entrapment", "burden"]
    beliefs = charts.beliefs_option(s.model)["series"][0]["data"]
    assert all(0 <= x <= 1 for x in beliefs)


def test_monte_carlo_compares_two_policies_on_the_same_seeds():
    from experiments.executors import SerialExecutor

    seen = []
    mc = monte_carlo(Settings(scenario="two_blocs"), runs=12, policies=["deterrence", "appeasement"],
                     on_progress=lambda k, t: seen.append((k, t)), executor=SerialExecutor())
    assert set(mc["groups"]) == {"deterrence", "appeasement"} and seen[-1] == (24, 24)
    for g in mc["groups"].values():
        assert g["runs"] == 12 and len(g["p_war_by_day"]) == len(mc["dates"])
        assert g["p_war_by_day"] == sorted(g["p_war_by_day"]) and g["p_war_by_day"][-1] == pytest.approx(g["p_war"], abs=1e-4)
        q = g["rung_quantiles"]
        assert all(q[0][d] <= q[2][d] <= q[4][d] for d in range(len(mc["dates"])))


# ---------------------------------------------------------------------------- headless components

def _page(monkeypatch):
    """The whole page, rendered headless, with the Session it built."""
    import app

    sessions = []
    monkeypatch.setattr(app, "Session", lambda: sessions.append(Session()) or sessions[-1])
    _, rc = solara.render(solara.AppLayout(children=[app.Page()]), handle_error=False)
    return sessions[0], rc


def _status(rc) -> str:
    return next(h.unsafe_innerHTML for h in rc.find(HTML).widgets if h.unsafe_innerHTML.startswith("Day "))


def test_controls_step_and_policy_switch_update_the_session(monkeypatch):
    s, rc = _page(monkeypatch)
    assert _status(rc).startswith("Day 0 — 2021-11-01")
    log_before = _log(rc)
    rc.find(v.Btn, children=["Step 10 days"]).widget.click()
    assert s.model.day == 10 and _status(rc).startswith("Day 10 — 2021-11-11")
    assert _filled(_chart(rc, "Escalation")) == 11
    for _ in range(3):   # into December: the record's events reach the log
        rc.find(v.Btn, children=["Step 10 days"]).widget.click()
    assert _status(rc).startswith("Day 40 —") and _filled(_chart(rc, "Escalation")) == 41
    assert _log(rc) != log_before
    usa = rc.find(v.Select, label="USA").widget
    usa.v_model = "deterrence"
    assert s.settings.policies["USA"] == "deterrence" and s.model.day == 0
    assert _status(rc).startswith("Day 0 —")
    rc.find(v.Btn, children=["Step"]).widget.click()
    assert s.model.day == 1 and _status(rc).startswith("Day 1 —")
    rc.find(v.Btn, children=["Reset"]).widget.click()
    assert s.model.day == 0 and s.settings.policies["USA"] == "deterrence"
    assert _status(rc).startswith("Day 0 —") and _filled(_chart(rc, "Escalation")) == 1


def _chart(rc, title: str) -> dict:
    return next(f.option for f in rc.find(EchartsWidget).widgets if f.option.get("title", {}).get("text", "")
                .startswith(title))


def _filled(option: dict) -> int:
    return sum(x is not None for x in option["series"][0]["data"])


def _log(rc) -> str:
    return next(h.unsafe_innerHTML for h in rc.find(HTML).widgets if "event-log" in h.unsafe_innerHTML)


def test_scenario_switch_rebuilds_the_policy_controls_and_steps_grey_out_at_the_end(monkeypatch):
    s, rc = _page(monkeypatch)
    rc.find(v.Btn, children=["Step 10 days"]).widget.click()
    rc.find(v.Select, label="Scenario").widget.v_model = "two_blocs"
    assert s.model.scenario.name == "two_blocs" and s.model.day == 0
    labels = {w.label for w in rc.find(v.Select).widgets}
    assert {"LDR", "WEST"} <= labels and "USA" not in labels
    step10 = rc.find(v.Btn, children=["Step 10 days"]).widget
    while s.running:
        assert not step10.disabled
        step10.click()
    assert step10.disabled and rc.find(v.Btn, children=["Step"]).widget.disabled
    assert _status(rc).startswith(f"Day {s.model.day} —")


def test_each_view_renders_the_current_model():
    s = Session()
    s.step(45)

    @solara.component
    def Views():
        with solara.Column():
            NetworkView(s, 0)
            EscalationView(s, 0)
            CohesionView(s, 0)
            EventLogView(s, 0)

    _, rc = solara.render(Views(), handle_error=False)
    figs = rc.find(EchartsWidget).widgets
    assert len(figs) == 2 + len(s.model.world.alliance_names)
    titles = [f.option["title"]["text"] for f in figs]
    assert any(t.startswith("Alliance network") for t in titles) and "NATO cohesion" in titles
    (log,) = [h for h in rc.find(HTML).widgets if "event-log" in h.unsafe_innerHTML]
    newest, oldest = s.model.event_log[-1].text, s.model.event_log[0].text
    page = log.unsafe_innerHTML
    assert html.escape(newest) in page and page.index(html.escape(newest)) < page.index(html.escape(oldest))


# ---------------------------------------------------------------------------- real browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium; .ci/run does it)")
    port = _free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    with open(log, "w") as out:   # a file, not a pipe: the Monte Carlo pool's processes inherit it
        proc = subprocess.Popen([sys.executable, "-m", "experiments.cli", "dashboard", "--port", str(port)],
                                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=20)
    out = log.read_text()
    # closing the pages' sessions (at shutdown) must not log errors: it once logged an AssertionError per page
    assert "Traceback" not in out and "ERROR" not in out, out[-3000:]


def test_browser_step_switch_policy_reset_offline(server, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    errors, failed, external, bad_status = [], [], [], []

    def route(r):
        if r.request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
            return r.continue_()
        external.append(r.request.url)   # the classroom behind a firewall: nothing may come from outside
        return r.abort()

    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1500, "height": 1100})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("requestfailed", lambda r: failed.append(r.url))
        page.on("response", lambda r: bad_status.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        page.route("**/*", route)
        page.goto(server)
        page.get_by_text("Day 0 —").wait_for(timeout=60_000)
        page.wait_for_function("document.querySelectorAll('.solara-echarts canvas').length >= 6", timeout=30_000)
        log_before = page.locator(".event-log li").count()
        chart_before = page.locator(".solara-echarts").nth(1).screenshot()
        page.get_by_role("button", name="Step 10 days").click()
        page.get_by_text("Day 10 —").wait_for(timeout=20_000)
        page.wait_for_timeout(800)
        assert page.locator(".solara-echarts").nth(1).screenshot() != chart_before   # the escalation chart moved
        for day in (20, 30, 40):   # into December: the record's events arrive in the log
            page.get_by_role("button", name="Step 10 days").click()
            page.get_by_text(f"Day {day} —").wait_for(timeout=20_000)
        page.wait_for_timeout(500)
        assert page.locator(".event-log li").count() > log_before
        docs = ROOT / "docs"
        docs.mkdir(exist_ok=True)
        page.screenshot(path=str(docs / "dashboard.png"), full_page=True)
        page.get_by_role("button", name="Step", exact=True).click()
        page.get_by_text("Day 41 —").wait_for(timeout=20_000)
        # switch the USA's policy: a fresh run from day 0 under the new policy; reset keeps it at day 0
        page.get_by_label("USA").click(force=True)
        page.get_by_role("option", name="deterrence").first.click()
        page.get_by_text("Day 0 —").wait_for(timeout=20_000)
        page.get_by_role("button", name="Step 10 days").click()
        page.get_by_text("Day 10 —").wait_for(timeout=20_000)
        page.get_by_role("button", name="Reset").click()
        page.get_by_text("Day 0 —").wait_for(timeout=20_000)
        # a seed that is not a number: an inline message, the page still works
        seed = page.get_by_label("Seed")
        seed.fill("twelve")
        seed.press("Enter")
        page.get_by_text("the seed must be a whole number").first.wait_for(timeout=10_000)
        page.get_by_role("button", name="Step", exact=True).click()
        page.get_by_text("Day 1 —").wait_for(timeout=20_000)
        # a Monte Carlo and a comparison in the background (20 runs each): results, charts, no errors
        canvases = page.locator(".solara-echarts canvas").count()
        page.get_by_label("Monte Carlo runs").fill("20")
        page.get_by_label("Monte Carlo runs").press("Enter")
        page.get_by_role("button", name="Run Monte Carlo").click()
        page.get_by_text("20 runs with the current settings: P(war)").wait_for(timeout=120_000)
        page.get_by_label("Runs per policy").fill("20")
        page.get_by_label("Runs per policy").press("Enter")
        page.get_by_role("button", name="Compare").click()
        page.locator("table.comparison td", has_text="deterrence").wait_for(timeout=120_000)
        page.wait_for_function(f"document.querySelectorAll('.solara-echarts canvas').length >= {canvases + 4}",
                               timeout=30_000)
        browser.close()
    assert not errors, errors
    assert not failed and not external and not bad_status, (failed, external, bad_status)


def test_monte_carlo_workers_exit_when_the_server_is_killed(tmp_path):
    """SIGKILL of the dashboard's process must not leave its Monte Carlo pool running."""
    script = tmp_path / "server.py"
    script.write_text(
        "import time\n"
        "from dashboard.montecarlo import monte_carlo, pool\n"
        "from dashboard.session import Settings\n"
        "if __name__ == '__main__':\n"
        "    monte_carlo(Settings(), runs=4)\n"
        "    print(' '.join(str(p) for p in pool()._processes), flush=True)\n"
        "    time.sleep(120)\n")
    proc = subprocess.Popen([sys.executable, str(script)], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "CRISISLAB_MC_WORKERS": "2"})
    workers = [int(p) for p in proc.stdout.readline().split()]
    assert len(workers) == 2 and all(_alive(p) for p in workers)
    proc.kill()
    proc.wait(timeout=10)
    deadline = time.monotonic() + 15
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(p) for p in workers)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a socket listening on ``port`` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, _, state = line.split()[1:4]
            addr, p = local.split(":")
            if int(p, 16) == port and state == "0A":   # 0A = LISTEN
                found.add(addr)
    return found


def test_dashboard_listens_on_localhost_only_and_sends_no_telemetry():
    """``crisislab dashboard`` binds to 127.0.0.1 unless told otherwise, with Solara's usage reports off."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "experiments.cli", "dashboard", "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not _listening_addresses(port) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _listening_addresses(port) == {"0100007F"}   # 127.0.0.1, and nothing else
        env = dict(x.split("=", 1) for x in Path(f"/proc/{proc.pid}/environ").read_text().split("\0") if "=" in x)
        assert env.get("SOLARA_TELEMETRY_MIXPANEL_ENABLE") == "False"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_running_server_tuning_turns_telemetry_off_and_drops_the_per_message_mock():
    """In Solara's server process the app turns usage reports off and gives the fake IPython shell (built for
    every message a page sends) a plain no-op ``events`` instead of a MagicMock."""
    code = (
        "import types, unittest.mock\n"
        "import solara.server.server\n"
        "from solara.server import patch, settings\n"
        "from dashboard.serve import tune_running_server\n"
        "tune_running_server()\n"
        "ctx = types.SimpleNamespace(kernel=types.SimpleNamespace(shell=types.SimpleNamespace(display_pub=None)))\n"
        "ip = patch.FakeIPython(ctx)\n"
        "assert not isinstance(ip.events, unittest.mock.Mock), type(ip.events)\n"
        "assert ip.events.trigger('pre_execute') is None and ip.events.register('post_execute', print) is None\n"
        "assert settings.telemetry.mixpanel_enable is False\n"
        "print('ok')\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
    assert out.stdout.strip().endswith("ok"), out.stderr[-2000:]
