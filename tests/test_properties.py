"""Property-based tests (hypothesis): invariants of random valid runs, and clear refusals of random invalid
configurations.

The number of examples is ``CRISISLAB_FUZZ_EXAMPLES`` (default 60 per property, a few seconds each in
CI); the README's Reliability section gives the figures of a long run (``CRISISLAB_FUZZ_EXAMPLES=2000``).
"""

from __future__ import annotations

import contextlib
import copy
import io
import math
import os
from datetime import timedelta

import annotated_types as at
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from agents.policies import POLICIES
from agents.signals import CATALOGUE
from experiments import cli
from model import CrisisModel
from model.config import CONFIG_DIR, ScenarioError, _chain, _merged, scenario_from_dict
from model.invariants import violations
from model.parameters import Parameters
from model.synthetic import synthetic_scenario

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")   # a NaN or an overflow on the way fails

EXAMPLES = int(os.environ.get("CRISISLAB_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

FLOAT_PARAMETERS = {n: f for n, f in Parameters.model_fields.items() if f.annotation is float}


def _bounds(field) -> tuple[float, float, bool]:
    lo, hi, open_low = 0.0, 1e6, False
    for m in field.metadata:
        if isinstance(m, at.Ge):
            lo = float(m.ge)
        elif isinstance(m, at.Gt):
            lo, open_low = float(m.gt), True
        elif isinstance(m, at.Le):
            hi = float(m.le)
    return lo, hi, open_low


def _value(name: str) -> st.SearchStrategy[float]:
    """Anywhere in the parameter's bounds, with its extremes and its default drawn often."""
    lo, hi, open_low = _bounds(FLOAT_PARAMETERS[name])
    edge = [hi] + ([] if open_low else [lo])
    inside = st.floats(lo, hi, exclude_min=open_low, allow_nan=False, allow_infinity=False)
    return st.one_of(st.sampled_from(edge), st.just(FLOAT_PARAMETERS[name].default), inside)


@st.composite
def parameters(draw) -> dict:
    names = draw(st.lists(st.sampled_from(sorted(FLOAT_PARAMETERS)), max_size=8, unique=True))
    out = {n: draw(_value(n)) for n in names}
    out["credibility_rule"] = draw(st.sampled_from(["reputation", "current_calculus", "mix"]))
    out["complete_information"] = draw(st.booleans())
    out["core_negotiable"] = draw(st.booleans())
    return out


@st.composite
def worlds(draw):
    """A scenario (a shipped one, or a synthetic world of random size), a policy, parameters, a seed."""
    kind = draw(st.sampled_from(["ukraine_2021", "two_blocs", "helsinki", "synthetic"]))
    if kind == "synthetic":
        n = draw(st.integers(4, 40))
        scenario = synthetic_scenario(n, draw(st.integers(2, max(2, n // 2))), draw(st.integers(0, 2**16)),
                                      days=draw(st.integers(20, 200)))
    else:
        scenario = kind
    names = sorted(POLICIES)
    if draw(st.booleans()):
        policy = draw(st.sampled_from(names))
    else:   # a policy per defender actor (those a named policy governs)
        from model.config import load_scenario
        sc = scenario if not isinstance(scenario, str) else load_scenario(scenario)
        policy = {a: draw(st.sampled_from(names)) for a in sc.policy_actors}
    return scenario, policy, draw(parameters()), draw(st.integers(0, 2**32 - 1))


def _build(world) -> CrisisModel:
    scenario, policy, params, seed = world
    try:
        return CrisisModel(scenario, seed=seed, policy=policy, **params)
    except ScenarioError as e:   # e.g. all four cohesion weights drawn as 0: refused by validation, not a run
        assert "weight" in str(e), e
        assume(False)


def _check_world(m: CrisisModel) -> None:
    assert violations(m) == []


@FUZZ
@given(worlds())
def test_random_valid_runs_keep_every_invariant(world):
    m = _build(world)
    _check_world(m)
    m.run()
    _check_world(m)
    rows = m.datacollector.get_model_vars_dataframe()
    assert len(rows) == m.day + 1 and rows["day"].tolist() == list(range(m.day + 1))
    numeric = rows.select_dtypes(include=[np.number, bool]).to_numpy(dtype=float)
    assert np.isfinite(numeric).all(), "a NaN or an infinity in the day's rows"
    assert rows["max_rung"].between(0, 9).all() and rows["challenger_rung"].between(0, 9).all()
    assert rows["p_win"].between(0, 1).all() and rows["hazard"].between(0, 1).all()
    assert rows["believed_resolve"].between(0, 1).all()
    for col in [c for c in rows.columns if c.startswith("cohesion_")]:
        assert rows[col].between(0, 1).all(), col
    out = m.outcome()
    assert all(math.isfinite(v) for v in out.values() if isinstance(v, float))
    assert out["peak_rung"] == rows["max_rung"].max()
    _check_log(m, rows)
    _check_war_is_absorbing(m, rows)


def _check_log(m: CrisisModel, rows) -> None:
    """The event log agrees with the rung series: days in order, and every rise of the highest rung is
    the doing of a signal of that rung delivered that day."""
    log = m.event_log
    assert [e.day for e in log] == sorted(e.day for e in log) and all(0 <= e.day <= m.day for e in log)
    assert all(e.date == m.scenario.start + timedelta(days=e.day) for e in log)
    top, challenger = rows["max_rung"].tolist(), rows["challenger_rung"].tolist()
    ch = m.scenario.challenger
    for d in range(1, len(top)):
        if top[d] > top[d - 1]:
            today = [e for e in log if e.day == d and not e.verb.startswith("cannot")]
            by_signal = any(CATALOGUE[e.signal].rung == top[d] for e in today)
            # an incident moves the challenger one rung up, and its line says so
            by_incident = any(e.signal == "incident" and any(
                tpl.startswith("{} rung {} → {}") and vals == (ch, top[d] - 1, top[d]) for tpl, vals in e.effects)
                for e in today) and challenger[d] == top[d]
            assert by_signal or by_incident, f"day {d}: max rung {top[d - 1]} -> {top[d]} with no such signal logged"
    invasions = [e.day for e in log if CATALOGUE[e.signal].ends == "war" and not e.verb.startswith("cannot")]
    if m.world.war:
        assert invasions and invasions[0] == m.world.war_day and rows["war"].iloc[-1]
        assert not any(e.day > m.world.war_day for e in log)   # nothing after the war began
    else:
        assert not invasions and not rows["war"].any()


def _check_war_is_absorbing(m: CrisisModel, rows) -> None:
    war = rows["war"].tolist()
    assert war == sorted(war)   # once true, true
    if m.world.war:
        day = m.world.war_day
        for _ in range(5):      # even stepped on by hand, war stays war and its day stays
            m.step()
        assert m.world.war and m.world.war_day == day and not m.running


@FUZZ
@given(st.integers(0, 2**32 - 1), st.sampled_from(sorted(POLICIES)), parameters())
def test_same_config_and_seed_give_identical_runs(seed, policy, params):
    try:
        a = CrisisModel("two_blocs", seed=seed, policy=policy, **params).run()
    except ScenarioError:
        assume(False)
    b = CrisisModel("two_blocs", seed=seed, policy=policy, **params).run()
    assert a.outcome() == b.outcome()
    assert [e.text for e in a.event_log] == [e.text for e in b.event_log]
    ra, rb = a.datacollector.get_model_vars_dataframe(), b.datacollector.get_model_vars_dataframe()
    assert ra.equals(rb)


# ---------------------------------------------------------------------------- invalid configurations

def _reference() -> dict:
    return _merged(_chain(CONFIG_DIR / "ukraine_2021.toml"))


REFERENCE = _reference()
NUMERIC_ACTOR_FIELDS = ["power", "gdp_busd", "energy_dependence", "stake", "war_aversion", "resolve_prior",
                        "aim_prior", "horizon_years", "trust_in_leader", "posture"]
NON_NEGATIVE = sorted(n for n, f in FLOAT_PARAMETERS.items() if _bounds(f)[0] >= 0)


@st.composite
def broken(draw) -> tuple[dict, list[str]]:
    """A copy of the reference scenario with one random fault, and words the refusal must contain."""
    raw = copy.deepcopy(REFERENCE)
    actors = raw["actors"]
    kind = draw(st.sampled_from(["wrong_type", "missing_actor", "unknown_member", "negative", "dates_order",
                                 "end_before_start", "duplicate_iso", "huge", "missing_field", "bad_iso",
                                 "unknown_signal", "unknown_field"]))
    if kind == "wrong_type":
        i, field = draw(st.integers(0, len(actors) - 1)), draw(st.sampled_from(NUMERIC_ACTOR_FIELDS))
        actors[i][field] = draw(st.sampled_from(["a lot", [1, 2], {"x": 1}]))
        return raw, [f"actors.{i}.{field}"]
    if kind == "missing_actor":   # a state others refer to is gone
        code = draw(st.sampled_from([*raw["challengers"], raw["leader"], *raw["targets"]]))
        raw["actors"] = [a for a in actors if a["iso3"] != code]
        return raw, [repr(code)]
    if kind == "unknown_member":
        k = draw(st.integers(0, len(raw["alliances"]) - 1))
        raw["alliances"][k]["members"].append("ZZZ")
        return raw, [f"alliance {raw['alliances'][k]['name']} members", "'ZZZ'"]
    if kind == "negative":
        name = draw(st.sampled_from(NON_NEGATIVE))
        raw.setdefault("parameters", {})[name] = -draw(st.floats(1e-6, 1e9))
        return raw, [f"parameters.{name}"]
    if kind == "dates_order":
        tl = raw["timeline"]
        i = draw(st.integers(0, len(tl) - 2))
        j = draw(st.integers(i + 1, len(tl) - 1))
        assume(tl[i]["date"] != tl[j]["date"])
        tl[i], tl[j] = tl[j], tl[i]
        return raw, ["out of order"]
    if kind == "end_before_start":
        raw["end"] = raw["start"] - timedelta(days=draw(st.integers(0, 400)))
        return raw, ["end", "not after start"]
    if kind == "duplicate_iso":
        i = draw(st.integers(0, len(actors) - 1))
        actors.append(copy.deepcopy(actors[i]))
        return raw, ["duplicated actor codes", actors[i]["iso3"]]
    if kind == "huge":
        name = draw(st.sampled_from(sorted(FLOAT_PARAMETERS)))
        raw.setdefault("parameters", {})[name] = draw(st.sampled_from([1e12, 1e308, float("inf")]))
        return raw, [f"parameters.{name}"]
    if kind == "missing_field":
        field = draw(st.sampled_from(["challengers", "start", "end", "actors", "targets"]))
        del raw[field]
        return raw, [field]
    if kind == "bad_iso":
        i = draw(st.integers(0, len(actors) - 1))
        actors[i]["iso3"] = draw(st.sampled_from(["usa", "US", "USAA", "U5A", ""]))
        return raw, [f"actors.{i}.iso3"]
    if kind == "unknown_signal":
        i = draw(st.integers(0, len(raw["timeline"]) - 1))
        raw["timeline"][i]["kind"] = "carrier_pigeon"
        return raw, [f"timeline.{i}.kind", "carrier_pigeon"]
    field = draw(st.sampled_from(["colour", "evalme", "__import__"]))
    raw[field] = "x"
    return raw, [field]


@FUZZ
@given(broken())
def test_random_invalid_scenarios_are_refused_naming_the_field(case):
    raw, needles = case
    with pytest.raises(ScenarioError) as e:
        scenario_from_dict(raw)
    msg = str(e.value)
    assert "\n" not in msg and all(n in msg for n in needles), (needles, msg)


def _toml(raw: dict) -> str:
    import tomli_w

    def clean(v):   # TOML has no null: drop None values, as a hand-written file would
        if isinstance(v, dict):
            return {k: clean(x) for k, x in v.items() if x is not None}
        if isinstance(v, list):
            return [clean(x) for x in v]
        return v

    return tomli_w.dumps(clean(raw))


@settings(FUZZ, max_examples=max(10, EXAMPLES // 3))
@given(broken())
def test_random_invalid_scenario_files_give_one_line_and_exit_2(tmp_path_factory, case):
    raw, needles = case
    try:
        text = _toml(raw)
    except (TypeError, ValueError):   # e.g. infinity is fine in TOML, but some faults cannot be written
        assume(False)
    folder = tmp_path_factory.mktemp("bad")
    path = folder / "bad.toml"
    path.write_text(text)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["run", str(path), "--runs", "2", "--executor", "serial", "--no-progress",
                         "--out", str(folder / "results")])
    lines = err.getvalue().strip().splitlines()
    assert code == 2 and len(lines) == 1 and lines[0].startswith("crisislab: error: bad.toml: "), lines
    assert all(n in lines[0] for n in needles), (needles, lines[0])
    assert "Traceback" not in err.getvalue() and not (folder / "results").exists()


@pytest.mark.parametrize("name", ["synthetic-99999-3-0", "synthetic-3-2-0", "synthetic-50-99-0"])
def test_huge_or_impossible_synthetic_worlds_are_refused(name):
    with pytest.raises(ScenarioError, match="synthetic world"):
        CrisisModel(name)
