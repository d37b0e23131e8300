"""CrisisLab dashboard (placeholder until the dashboard issue): ``solara run app.py``.

Each browser session builds its own model (never a module-level one). Binds to 127.0.0.1 by default.
"""

import solara

from agents.policies import POLICIES
from model import CrisisModel, ScenarioError, available_scenarios


@solara.component
def Page():
    scenario, set_scenario = solara.use_state("ukraine_2021")
    policy, set_policy = solara.use_state("as_happened")
    seed, set_seed = solara.use_state(1)
    result, set_result = solara.use_state(None)

    def run():
        try:
            m = CrisisModel(scenario, seed=int(seed), policy=policy).run()
            set_result((m.outcome(), [e.text for e in m.event_log][-15:]))
        except ScenarioError as e:
            set_result(({"error": str(e)}, []))

    solara.Title("CrisisLab")
    names = [n for n in available_scenarios() if not n.startswith("synthetic")]
    solara.Select("Scenario", values=names, value=scenario, on_value=set_scenario)
    solara.Select("Policy", values=list(POLICIES), value=policy, on_value=set_policy)
    solara.InputInt("Seed", value=seed, on_value=set_seed)
    solara.Button("Run", on_click=run)
    if result:
        outcome, events = result
        solara.Markdown("\n".join(f"- **{k}**: {v}" for k, v in outcome.items()))
        solara.Markdown("\n".join(f"- {t}" for t in reversed(events)))
