"""CrisisLab dashboard: ``solara run app.py`` or ``crisislab dashboard`` (binds to 127.0.0.1).

Every browser session builds its own model (``Session`` in ``dashboard/session.py``); nothing model-like
is module-level, so one student's steps never show on another's screen. Monte Carlo and comparison runs
go to a process pool shared by all sessions and are awaited off the page's thread.
"""

import solara
import solara.server.settings

from dashboard.session import Session
from dashboard.views import ComparisonView, Controls, LiveViews, MonteCarloView, OwnRoot, use_player

# Solara's usage reports (mixpanel.com, api.ipify.org) are on by default; ``crisislab dashboard`` turns them
# off before the server starts, and a plain ``solara run app.py`` stops sending them once this module loads.
solara.server.settings.telemetry.mixpanel_enable = False


@solara.component
def Page():
    session = solara.use_memo(Session, [])   # one model per browser session
    tick = solara.use_reactive(0)            # bumped whenever the model moves; only the views read it
    playing = solara.use_reactive(False)
    speed = solara.use_reactive(5)
    use_player(session, tick, playing, speed)

    solara.Title("CrisisLab")
    with solara.Sidebar():
        Controls(session, tick, playing, speed)
    with solara.Column(style={"padding": "0 12px"}):
        OwnRoot(lambda: LiveViews(session, tick, playing))   # a step re-renders only this root
        with solara.Columns([1, 1]):
            with solara.Card("Monte Carlo (current settings, in the background)"):
                MonteCarloView(session)
            with solara.Card("Compare two policies on the same seeds"):
                ComparisonView(session)
