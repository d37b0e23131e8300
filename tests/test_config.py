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
    assert {f.format for f in sc.forums} >= {"inclusive", "alliance_council", "minilateral", "bilateral"}
    dates = {(str(e.date), e.kind) for e in sc.timeline}
    for d, k in [("2021-11-02", "talks_round"), ("2021-11-30", "diplomatic_protest"), ("2021-12-02", "talks_round"),
                 ("2021-12-03", "intelligence_disclosure"), ("2021-12-07", "conditional_call"),
                 ("2021-12-08", "talks_offer"), ("2021-12-09", "consultation"), ("2021-12-10", "weapons_delay"),
                 ("2021-12-17", "ultimatum"), ("2021-12-28", "domestic_crackdown"), ("2021-12-30", "conditional_call"),
                 ("2022-01-07", "public_rejection"), ("2022-01-10", "talks_round"), ("2022-01-12", "talks_round"),
                 ("2022-01-13", "talks_round"), ("2022-01-14", "cyber_hybrid"), ("2022-01-17", "weapons_delivery"),
                 ("2022-01-21", "talks_round"), ("2022-01-23", "embassy_drawdown"), ("2022-01-24", "forces_on_alert"),
                 ("2022-01-26", "public_rejection"), ("2022-02-02", "flank_reinforcement"),
                 ("2022-02-04", "third_party_support"), ("2022-02-07", "mediation"), ("2022-02-10", "military_exercise"),
                 ("2022-02-12", "conditional_call"), ("2022-02-15", "claimed_pullback"),
                 ("2022-02-15", "public_commitment"), ("2022-02-17", "proxy_escalation"),
                 ("2022-02-19", "military_exercise"), ("2022-02-20", "military_exercise"),
                 ("2022-02-21", "recognition"), ("2022-02-22", "sanctions_imposed"), ("2022-02-24", "full_invasion")]:
        assert (d, k) in dates, (d, k)
    assert str(sc.start) == "2021-11-01" and str(sc.end) == "2022-03-31"
    assert all(e.source and e.check for e in sc.timeline)
    assert sc.history and all(e.date < sc.start and e.source for e in sc.history)
    assert sc.record.outcome == "war" and str(sc.record.war_date) == "2022-02-24" and sc.record.peak_rung == 7
    assert {m.kind for m in sc.record.key_moves} >= {"ultimatum", "cyber_hybrid", "recognition", "full_invasion"}
    assert sc.projection.target_power_growth_per_year > 0 and sc.limited_gain.share > 0
    assert {a.iso3 for a in sc.actors if a.nuclear} >= {"RUS", "USA", "GBR", "FRA"}


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
    (lambda t: t.replace('iso3 = "BIG"', 'iso3 = "FLA"'), "duplicated actor codes"),
    (lambda t: t.replace("end = 2030-03-31", "end = 2029-12-01"), "not after start"),
    (lambda t: t.replace("power = 50", "power = -5"), "power"),
    (lambda t: t.replace("power = 50", 'power = "lots"'), "power"),
    (lambda t: t.replace('challengers = ["RED"]', 'challengers = ["XXX"]'), "unknown actor 'XXX'"),
    (lambda t: t.replace('kind = "troop_buildup"', 'kind = "teleport"'), "unknown signal kind"),
    (lambda t: t.replace("[groups]", "bogus_field = 1\n[groups]"), "bogus_field"),
    (lambda t: t.replace('role = "defender"', 'role = "bystander"', 1), "role"),
    (lambda t: t.replace('format = "inclusive"', 'format = "osce"'), "format"),
    (lambda t: t.replace('kind = "limited_incursion"', 'kind = "ultimatum"'), "limited_gain.kind"),
    (lambda t: t.replace('source = "assumption: an illustrative toy world"\n\n[record]', 'source = ""\n\n[record]'),
     "source"),
    (lambda t: t.replace('outcome = "standoff"', 'outcome = "victory"'), "record.outcome"),
    (lambda t: t.replace('outcome = "standoff"', 'outcome = "war"'), "war_date"),
    (lambda t: t.replace("date = 2030-01-01\nkind", "date = 2029-12-01\nkind"), "outside"),
    (lambda t: t + '\n[[history]]\ndate = 2030-02-01\nkind = "leader_call"\nsender = "LDR"\nsource = "x"\n',
     "not before the start"),
    (lambda t: t.replace('note = "Red masses', 'payload = { item = "teleporter" }\nnote = "Red masses'),
     "unknown item 'teleporter'"),
    (lambda t: t.replace('language = 2', 'language = 2\nwar_kind = "ultimatum"'), "war_kind"),
])
def test_invalid_scenario_files_name_the_problem(tmp_path, mutation, needle):
    with pytest.raises(ScenarioError, match=needle):
        load_scenario(_write(tmp_path, mutation(_base_text())))


def test_a_first_language_file_is_migrated_on_load(tmp_path):
    """Scenario files of the first language (``challenger``, ``side``, ``milex_busd``, ``resolve``, the old
    forum formats) still load: they are rewritten in the second (docs/scenario_language.md)."""
    old = (Path(__file__).resolve().parent / "data" / "ukraine_2021_v1.toml").read_text()
    sc = load_scenario(_write(tmp_path, old))
    assert sc.language == 2 and sc.challengers == ["RUS"]
    rus = next(a for a in sc.actors if a.iso3 == "RUS")
    assert rus.role == "challenger" and rus.power == pytest.approx(65.9) and rus.resolve_prior == pytest.approx(0.85)
    assert {f.format for f in sc.forums} == {"inclusive", "alliance_council", "minilateral", "bilateral"}
    assert {i.name for i in sc.items} == {"missile_limits", "exercise_caps", "military_channels",
                                           "incident_prevention"}
    talks = [e for e in sc.timeline if e.kind == "talks_round"]
    assert {e.payload["format"] for e in talks} <= {"inclusive", "alliance_council", "minilateral", "bilateral"}


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
