"""Scenario files load and validate; bad files give one clear message naming the problem."""

from pathlib import Path

import pytest

from model import ScenarioError, available_scenarios, load_scenario
from model.parameters import Parameters, parameter_table
from model.synthetic import synthetic_scenario

CONFIGS = Path(__file__).resolve().parent.parent / "configs"


@pytest.mark.parametrize("name", sorted(p.stem for p in CONFIGS.glob("*.toml")))
def test_every_scenario_file_loads(name):
    sc = load_scenario(name)
    assert sc.days > 30 and sc.actors


def test_reference_scenario_has_the_required_actors_and_dates():
    sc = load_scenario("ukraine_2021")
    isos = {a.iso3 for a in sc.actors}
    assert {"RUS", "BLR", "UKR", "GEO", "MDA", "USA", "GBR", "FRA", "DEU", "ITA", "POL", "ROU", "BGR", "HUN",
            "CZE", "SVK", "EST", "LVA", "LTU", "TUR", "CAN"} <= isos
    assert {al.name for al in sc.alliances} == {"NATO", "EU", "CSTO"}
    assert {f.format for f in sc.forums} >= {"osce", "nrc"}
    dates = {(str(e.date), e.kind) for e in sc.timeline}
    for d, k in [("2021-12-03", "intelligence_disclosure"), ("2021-12-07", "leader_call"),
                 ("2021-12-08", "talks_offer"), ("2021-12-17", "ultimatum"), ("2022-01-10", "talks_round"),
                 ("2022-01-12", "talks_round"), ("2022-01-13", "talks_round"), ("2022-01-14", "cyber_hybrid"),
                 ("2022-01-26", "public_rejection"), ("2022-02-21", "recognition"),
                 ("2022-02-24", "full_invasion")]:
        assert (d, k) in dates
    assert str(sc.start) == "2021-11-01" and str(sc.end) == "2022-03-31"
    assert all(e.source for e in sc.timeline)


def test_every_parameter_has_default_unit_and_source():
    for row in parameter_table():
        assert row["unit"], row["name"]
        assert row["source"], row["name"]
    assert Parameters().credibility_rule == "reputation"


def test_presets_extend_the_reference_world():
    assert {"deterrence", "appeasement", "helsinki", "accommodation", "two_blocs"} <= set(available_scenarios())
    base, preset = load_scenario("ukraine_2021"), load_scenario("deterrence")
    assert [a.iso3 for a in base.actors] == [a.iso3 for a in preset.actors]


def _write(tmp_path, text):
    p = tmp_path / "bad.toml"
    p.write_text(text)
    return p


def _base_text():
    return (CONFIGS / "two_blocs.toml").read_text()


@pytest.mark.parametrize("mutation,needle", [
    (lambda t: t + "\n[[[broken", "malformed TOML"),
    (lambda t: t.replace('members = ["LDR", "BIG", "FLA", "FLB"]', 'members = ["LDR", "BIG", "ZZZ"]'),
     "unknown actor 'ZZZ'"),
    (lambda t: t.replace('iso3 = "BIG"', 'iso3 = "FLA"'), "duplicated ISO3"),
    (lambda t: t.replace("end = 2030-03-31", "end = 2029-12-01"), "not after start"),
    (lambda t: t.replace("milex_busd = 50", "milex_busd = -5"), "milex_busd"),
    (lambda t: t.replace("milex_busd = 50", 'milex_busd = "lots"'), "milex_busd"),
    (lambda t: t.replace('challenger = "RED"', 'challenger = "XXX"'), "unknown actor 'XXX'"),
    (lambda t: t.replace('kind = "troop_buildup"', 'kind = "teleport"'), "unknown signal kind"),
    (lambda t: t.replace("[groups]", "bogus_field = 1\n[groups]"), "bogus_field"),
])
def test_invalid_scenario_files_name_the_problem(tmp_path, mutation, needle):
    with pytest.raises(ScenarioError, match=needle):
        load_scenario(_write(tmp_path, mutation(_base_text())))


def test_bad_names_and_paths():
    with pytest.raises(ScenarioError, match="unknown scenario"):
        load_scenario("atlantis")
    with pytest.raises(ScenarioError, match="must be a .toml file"):
        load_scenario("../../etc/passwd")
    with pytest.raises(ScenarioError, match="not found"):
        load_scenario("/nonexistent/x.toml")


def test_overrides_are_validated():
    assert load_scenario("two_blocs", credibility_rule="current_calculus").parameters.credibility_rule == \
        "current_calculus"
    with pytest.raises(ScenarioError, match="unknown parameter 'nope'"):
        load_scenario("two_blocs", nope=1)
    with pytest.raises(ScenarioError, match="credibility_rule"):
        load_scenario("two_blocs", credibility_rule="vibes")
    with pytest.raises(ScenarioError, match="branch_date"):
        load_scenario("ukraine_2021", branch_date="2025-01-01")


@pytest.mark.parametrize("n,k", [(4, 2), (25, 3), (200, 6)])
def test_synthetic_worlds_are_valid_and_seeded(n, k):
    a, b = synthetic_scenario(n, k, seed=3), synthetic_scenario(n, k, seed=3)
    assert len(a.actors) == n and len(a.alliances) == k
    assert a.config_hash() == b.config_hash()
    assert synthetic_scenario(n, k, seed=4).config_hash() != a.config_hash()
    with pytest.raises(ScenarioError):
        synthetic_scenario(2, 2)


def test_a_scenario_loaded_by_name_is_cached_but_an_edit_is_seen_at_once(tmp_path):
    """Loading is cached (a model built by name in a loop validates its file once), keyed by the file's
    bytes: an edit of the same size, made within the file system's timestamp resolution, is still seen."""
    from pydantic import ValidationError

    from model.config import CONFIG_DIR

    path = tmp_path / "mine.toml"
    text = (CONFIG_DIR / "two_blocs.toml").read_text()
    path.write_text(text)
    first = load_scenario(path)
    assert load_scenario(path) is first   # cached: the same (frozen) object
    same_size = text.replace('description = "', 'description = "X', 1)
    assert same_size.endswith("\n")
    path.write_text(same_size[:-1])       # one byte in, one out, right away
    second = load_scenario(path)
    assert second is not first and second.description.startswith("X")
    with pytest.raises(ValidationError):  # frozen: nobody can change what others share
        first.description = "changed"
