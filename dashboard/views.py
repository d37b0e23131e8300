"""The dashboard's Solara components: controls, the live views, Monte Carlo and the policy comparison.

Each component takes the session's :class:`~dashboard.session.Session` (one per browser session).
Thirty students share one server, so a step's server time decides the latency in class. A step does not
re-render anything: the live views (status, network, escalation, beliefs, cohesion, event log) each
register a *refresher* with the page's :class:`Live`, and the Step button calls ``Live.refresh``, which
pushes the model's new state straight into those widgets (an ECharts option built by
``dashboard/charts.py`` and drawn in the browser, or an HTML string). A render pass happens only when the
page's structure may change: a new model (reset, scenario, policy, seed), the run's end (the step
buttons grey out), play/pause. ``tick`` counts those.
"""

from __future__ import annotations

import html
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta

import ipyvuetify as v
import reacton
import solara
from solara.components.echarts import EchartsWidget

from agents.ladder import RUNG_LABELS
from agents.policies import DESCRIPTIONS, POLICIES
from dashboard import charts, timing
from dashboard.montecarlo import MAX_RUNS, monte_carlo
from dashboard.session import RULES, SLIDERS, Session, scenario_names

CHART = {"style": "height: 330px; width: 100%;"}


class Live:
    """The refreshers of a page's live views: ``refresh()`` after a step pushes the model into each widget.

    Measured under 30 protocol clients stepping flat out, a render pass of the views cost about five
    times the update itself (reacton re-creates and diffs every element); here a step costs building
    the new options and sending them.
    """

    def __init__(self) -> None:
        self._refreshers: dict[Callable[[], None], None] = {}   # an ordered set: refreshed in mount order

    def follow(self, refresh: Callable[[], None]) -> Callable[[], None]:
        """Call ``refresh`` on every ``refresh()`` until the returned function is called."""
        self._refreshers[refresh] = None
        return lambda: self._refreshers.pop(refresh, None)

    def refresh(self) -> None:
        for push in list(self._refreshers):
            push()


def _use_push(element, trait: str, build: Callable[[], object], key: tuple, live: Live | None) -> None:
    """Set the element's widget's ``trait`` to ``build()`` now (first render, or ``key`` changed) and on
    every ``live.refresh()`` while it is mounted."""

    def follow():
        widget = solara.get_widget(element)   # only inside a render context: resolved here, once

        def push():
            setattr(widget, trait, build())

        push()
        return live.follow(push) if live is not None else None

    solara.use_effect(follow, list(key))


@solara.component
def LiveChart(build: Callable[[], dict], key: tuple, attributes: dict = CHART, live: Live | None = None):
    """An ECharts figure whose option is ``build()``: pushed when ``key`` changes and on ``live.refresh()``."""
    chart = EchartsWidget.element(attributes=attributes)
    _use_push(chart, "option", build, key, live)
    return chart


@solara.component
def LiveHTML(build: Callable[[], str], key: tuple, live: Live | None = None, tag: str = "div",
             style: str | None = None):
    """HTML whose content is ``build()``: set when ``key`` changes and on ``live.refresh()`` (never as a
    render argument, so a re-render cannot leave a refreshed widget stale)."""
    el = solara.HTML(tag=tag, unsafe_innerHTML="", style=style)
    _use_push(el, "unsafe_innerHTML", build, key, live)
    return el


@solara.component
def Controls(session: Session, tick: solara.Reactive[int], playing: solara.Reactive[bool],
             speed: solara.Reactive[int]):
    """Scenario, policies per defender group, credibility rule, key parameters, seed, step/play/reset."""
    seed_text = solara.use_reactive(str(session.settings.seed))
    seed_error = solara.use_reactive(None)
    revision = solara.use_reactive(0)   # settings changed: the controls themselves re-render (e.g. new groups)
    revision.value  # noqa: B018 - read, so that a change re-renders the controls

    def changed(action):
        def run(*args):
            playing.value = False
            action(*args)
            revision.value += 1
            tick.value += 1
        return run

    def on_seed(text: str):
        seed_text.value = text
        msg = session.set_seed(text)
        seed_error.value = msg
        if not msg:
            playing.value = False
            tick.value += 1

    s = session.settings
    solara.Select("Scenario", values=scenario_names(), value=s.scenario, on_value=changed(session.set_scenario))
    solara.HTML(tag="b", unsafe_innerHTML="Policy per defender group")
    for group in list(s.policies):
        solara.Select(group, values=list(POLICIES), value=s.policies[group],
                      on_value=changed(lambda p, g=group: session.set_policy(g, p)))
    solara.Select("Credibility rule", values=list(RULES), value=s.rule, on_value=changed(session.set_rule))
    for name, (lo, hi, step) in SLIDERS.items():
        value = s.parameters.get(name, getattr(session.model.params, name))
        solara.SliderFloat(name.replace("_", " "), value=float(value), min=lo, max=hi, step=step,
                           on_value=changed(lambda v, n=name: session.set_parameter(n, v)))
    solara.InputText("Seed", value=seed_text.value, on_value=on_seed, continuous_update=False,
                     error=bool(seed_error.value), message=seed_error.value or "")
    if seed_error.value:
        solara.Error(seed_error.value, dense=True)

    solara.Button("Reset", on_click=changed(session.reset))
    solara.SliderInt("Speed (days per second)", value=speed, min=1, max=20)
    if session.error:
        solara.Error(session.error)


def advance(session: Session, days: int, live: Live, tick: solara.Reactive[int]) -> None:
    """Step the model and show it: refresh the live views in place, or re-render them if the run ended."""
    session.step(days)
    if session.running:
        live.refresh()
    else:
        tick.value += 1   # the step buttons grey out


@solara.component
def StepButtons(session: Session, tick: solara.Reactive[int], playing: solara.Reactive[bool], live: Live,
                running: bool):
    """Step / Step 10 days / Play-Pause, above the views (grey when the run has ended)."""

    def step(days: int):
        def run():
            t0 = time.perf_counter()
            advance(session, days, live, tick)
            timing.record(time.perf_counter() - t0)
        return run

    with solara.Row():
        solara.Button("Step", on_click=step(1), disabled=not running, color="primary")
        solara.Button("Step 10 days", on_click=step(10), disabled=not running)
        solara.Button("Pause" if playing.value else "Play", on_click=lambda: playing.set(not playing.value),
                      disabled=not running, color="primary")


def use_player(session: Session, tick: solara.Reactive[int], playing: solara.Reactive[bool],
               speed: solara.Reactive[int], live: Live) -> None:
    """Step the model while playing, in a thread, so the page stays responsive."""

    def loop():
        while playing.value and session.running:
            advance(session, 1, live, tick)
            time.sleep(1.0 / max(1, speed.value))
        playing.value = False

    solara.lab.use_task(loop, dependencies=[playing.value], prefer_threaded=True)


@solara.component
def OwnRoot(element_factory: Callable[[], solara.Element]):
    """Render ``element_factory()`` in a reacton root of its own, inside this container.

    A reacton render pass walks its whole element tree, however small the part that changed. The live
    views re-render when the model is replaced or the run ends (a step itself refreshes them in place,
    see :class:`Live`); the sidebar and the Monte Carlo panels need not be visited then. The root renders
    into a holder widget of its own (closing a root closes its container, which must not be a widget the
    page's tree still owns: that failed with an AssertionError in the server log at every page close).
    """
    container = v.Html.element(tag="div")

    def mount():
        holder = v.Html(tag="div")
        _, rc = reacton.render(element_factory(), holder, handle_error=False)
        solara.get_widget(container).children = [holder]
        return rc.close

    solara.use_effect(mount, [])
    return container


@solara.component
def LiveViews(session: Session, tick: solara.Reactive[int], playing: solara.Reactive[bool], live: Live):
    """The step buttons, status, network, escalation, beliefs, cohesion and the event log: what a step
    changes (refreshed in place through ``live``; re-rendered when ``tick`` moves)."""
    t = tick.value
    StepButtons(session, tick, playing, live, session.running)
    Status(session, t, live)
    with solara.Columns([1, 1]):
        NetworkView(session, t, live)
        with solara.Column():
            EscalationView(session, t, live)
            BeliefsView(session, t, live)
    CohesionView(session, t, live)
    EventLogView(session, t, live)


def status_html(session: Session) -> str:
    m = session.model
    w = m.world
    state = m.outcome()["outcome"] if not m.running else "running"
    top = int(w.rung.max())
    return html.escape(f"Day {m.day} — {m.date.isoformat()} · max rung {top} ({RUNG_LABELS[top]}) · {state}")


@solara.component
def Status(session: Session, tick: int, live: Live | None = None):
    LiveHTML(lambda: status_html(session), (tick, session.model), live, tag="h2")


@solara.component
def NetworkView(session: Session, tick: int, live: Live | None = None):
    colour_by = solara.use_reactive("rung")
    solara.ToggleButtonsSingle(value=colour_by, values=["rung", "threat"])
    LiveChart(lambda: charts.network_option(session.model, colour_by.value), (tick, colour_by.value, session.model),
              attributes={"style": "height: 420px; width: 100%;"}, live=live)


@solara.component
def EscalationView(session: Session, tick: int, live: Live | None = None):
    LiveChart(lambda: charts.escalation_option(session.model), (tick, session.model), live=live)


@solara.component
def CohesionView(session: Session, tick: int, live: Live | None = None):
    alliances = session.model.world.alliance_names
    with solara.Columns([1] * len(alliances)):
        for a in alliances:
            LiveChart(lambda a=a: charts.cohesion_option(session.model, a), (tick, session.model, a), live=live)


@solara.component
def BeliefsView(session: Session, tick: int, live: Live | None = None):
    LiveChart(lambda: charts.beliefs_option(session.model), (tick, session.model), live=live)


def event_log_html(session: Session, limit: int = 60) -> str:
    log = session.model.event_log
    lines = "".join(f"<li>{html.escape(e.text)}</li>" for e in reversed(log[-limit:])) or "<li>no events yet</li>"
    return (f"<b>Event log</b> (newest first; {len(log)} events)<ul class='event-log' "
            f"style='max-height: 320px; overflow-y: auto; font-size: 13px;'>{lines}</ul>")


@solara.component
def EventLogView(session: Session, tick: int, live: Live | None = None):
    LiveHTML(lambda: event_log_html(session), (tick, session.model), live)


def _runs_input(label: str, value: solara.Reactive[str]) -> int | None:
    text = str(value.value).strip()
    n = int(text) if text.isdigit() else None
    err = None if n is not None and 1 <= n <= MAX_RUNS else f"runs: a whole number from 1 to {MAX_RUNS}"
    solara.InputText(label, value=value, continuous_update=False, error=bool(err), message=err or "")
    return None if err else n


@solara.component
def MonteCarloView(session: Session):
    """N seeded runs with the current settings, in the background: fan chart and P(war by day)."""
    runs_text = solara.use_reactive("100")
    progress = solara.use_reactive((0, 0))
    cancel = solara.use_memo(threading.Event, [])
    solara.use_effect(lambda: cancel.set, [])   # page closed: stop waiting

    def work():
        n = int(runs_text.value)
        return monte_carlo(session.settings, runs=n, entropy=session.settings.seed, cancel=cancel,
                           on_progress=lambda k, t: progress.set((k, t)))

    task = solara.lab.use_task(work, dependencies=None, prefer_threaded=True)
    n = _runs_input("Monte Carlo runs", runs_text)
    solara.Button("Run Monte Carlo", on_click=task, disabled=n is None or task.pending, color="primary")
    if _task_status(task, progress, "Monte Carlo"):
        mc = task.value
        (g,) = mc["groups"].values()
        solara.HTML(tag="div", unsafe_innerHTML=html.escape(
            f"{g['runs']} runs with the current settings: P(war) {g['p_war']:.2f}, P(deal) {g['p_deal']:.2f}"
            + _median(mc, g)))
        mc = {**mc, "groups": {"current settings": g}}
        with solara.Columns([1, 1]):
            LiveChart(lambda: charts.fan_option(mc, "Highest rung: median, 50 % and 90 % of runs"), (id(task.value),))
            LiveChart(lambda: charts.p_war_option(mc, "P(war by day)"), (id(task.value),))


def _task_status(task, progress: solara.Reactive, what: str) -> bool:
    """Progress while a background task runs, its error if it failed; True when its result is ready."""
    if task.pending:
        k, t = progress.value
        solara.ProgressLinear(value=100 * k / t if t else True)
        solara.Text(f"{k} of {t} runs done" if t else "starting ...")
        return False
    if task.error:
        solara.Error(f"{what} failed: {task.exception}")
        return False
    return bool(task.finished and task.value)


def _median(mc, g) -> str:
    if g["median_war_day"] is None:
        return "; no war in any run"
    start = mc["dates"][0]
    d = date.fromisoformat(start) + timedelta(days=round(g["median_war_day"]))
    return f"; median war day {d.isoformat()}"


@solara.component
def ComparisonView(session: Session):
    """Two policies (for every defender group) side by side on the same seeds."""
    a = solara.use_reactive("as_happened")
    b = solara.use_reactive("deterrence")
    runs_text = solara.use_reactive("100")
    progress = solara.use_reactive((0, 0))
    cancel = solara.use_memo(threading.Event, [])
    solara.use_effect(lambda: cancel.set, [])

    def work():
        return monte_carlo(session.settings, runs=int(runs_text.value), policies=[a.value, b.value],
                           entropy=session.settings.seed, cancel=cancel,
                           on_progress=lambda k, t: progress.set((k, t)))

    task = solara.lab.use_task(work, dependencies=None, prefer_threaded=True)
    with solara.Row():
        solara.Select("Policy A", values=list(POLICIES), value=a)
        solara.Select("Policy B", values=list(POLICIES), value=b)
    solara.HTML(tag="div", unsafe_innerHTML=f"<i>A</i>: {html.escape(DESCRIPTIONS[a.value])}<br>"
                f"<i>B</i>: {html.escape(DESCRIPTIONS[b.value])}")
    n = _runs_input("Runs per policy", runs_text)
    solara.Button("Compare", on_click=task, disabled=n is None or task.pending or a.value == b.value,
                  color="primary")
    if a.value == b.value:
        solara.Warning("pick two different policies")
    if _task_status(task, progress, "comparison"):
        mc = task.value
        cells = [("policy", "runs", "P(war)", "P(deal)", "median war day")]
        for label, g in mc["groups"].items():
            cells.append((label, g["runs"], f"{g['p_war']:.2f}", f"{g['p_deal']:.2f}",
                          _median(mc, g).removeprefix("; median war day ").removeprefix("; ")))
        rows = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in cells)
        solara.HTML(tag="table", unsafe_innerHTML=rows, classes=["comparison"])
        with solara.Columns([1, 1]):
            LiveChart(lambda: charts.p_war_option(mc, "P(war by day), same seeds"), (id(task.value),))
            LiveChart(lambda: charts.fan_option(mc, "Highest rung (median, 50 / 90 %)"), (id(task.value),))
