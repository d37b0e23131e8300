"""CrisisLab dashboard: ``solara run app.py`` or ``crisislab dashboard`` (binds to 127.0.0.1).

Every browser session builds its own model (``Session`` in ``dashboard/session.py``); nothing model-like
is module-level, so one student's steps never show on another's screen. Monte Carlo and comparison runs
go to a process pool shared by all sessions and are awaited off the page's thread.
"""

import solara

from dashboard.serve import tune_running_server
from dashboard.session import Session
from dashboard.views import ComparisonView, Controls, Live, LiveViews, MonteCarloView, OwnRoot, use_player

tune_running_server()   # Solara's telemetry off; no MagicMock per page message (see dashboard/serve.py)


@solara.component
def Page():
    session = solara.use_memo(Session, [])   # one model per browser session
    tick = solara.use_reactive(0)            # bumped when the views must re-render (new model, run ended)
    live = solara.use_memo(Live, [])         # a step refreshes the views in place through this
    playing = solara.use_reactive(False)
    speed = solara.use_reactive(5)
    use_player(session, tick, playing, speed, live)

    solara.Title("CrisisLab")
    with solara.Sidebar():
        Controls(session, tick, playing, speed)
    with solara.Column(style={"padding": "0 12px"}):
        OwnRoot(lambda: LiveViews(session, tick, playing, live))   # re-rendered apart from the page
        with solara.Columns([1, 1]):
            with solara.Card("Monte Carlo (current settings, in the background)"):
                MonteCarloView(session)
            with solara.Card("Compare two policies on the same seeds"):
                ComparisonView(session)
