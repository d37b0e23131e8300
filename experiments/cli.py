"""The ``crisislab`` command line.

    crisislab scenarios [--parameters]
    crisislab run SCENARIO [--policy P ...] [--runs N] [--seed S] [--days D] [--set key=value ...] [--out DIR]
    crisislab sweep DESIGN [--out DIR]
    crisislab sensitivity SCENARIO --method sobol|morris --param NAME=LOW:HIGH ... [--n N] [--outcome O ...]
    crisislab sensitivity --design DESIGN
    crisislab report OUT
    crisislab dashboard [--host 127.0.0.1] [--port 8765] [--mc-workers N]

Every command that runs the model takes ``--executor serial|process|dask``, ``--workers N`` and
``--scheduler ADDRESS``; with ``--out`` it writes a resumable results folder (run the same command again to
finish an interrupted one). Bad input prints one line ``crisislab: error: ...`` and exits with status 2;
nothing is written.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from agents.policies import DESCRIPTIONS, POLICIES
from experiments.design import DesignError
from experiments.executors import EXECUTORS, ExecutorError
from model.config import ScenarioError, available_scenarios
from model.parameters import parameter_table


class CliError(Exception):
    """A user error: printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own errors: one line, exit 2
        raise CliError(message)


def parse_set(pairs: list[str]) -> dict[str, Any]:
    """``key=value`` pairs; values are JSON when they parse (numbers, booleans), else strings."""
    out: dict[str, Any] = {}
    for pair in pairs:
        if "=" not in pair:
            raise CliError(f"--set expects key=value, got {pair!r}")
        key, raw = pair.split("=", 1)
        key = key.strip()
        try:
            out[key] = json.loads(raw)
        except json.JSONDecodeError:
            out[key] = raw
    return out


def _whole(name: str, minimum: int):
    """An argparse type: a whole number of at least ``minimum``, with a message naming the flag."""
    def conv(text: str) -> int:
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a whole number, got {text!r}") from None
        if v < minimum:
            raise argparse.ArgumentTypeError(f"{name} must be at least {minimum}, got {v}"
                                             if minimum else f"{name} must be non-negative, got {v}")
        return v
    return conv


def _positive(name: str):
    return _whole(name, 1)


def _add_where(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("where the runs are computed")
    g.add_argument("--executor", choices=EXECUTORS, default="process",
                   help="serial (this process), process (a pool, default) or dask (a cluster)")
    g.add_argument("--workers", type=_positive("--workers"), default=None,
                   help="processes for the pool or the local Dask cluster (default: all cores)")
    g.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (implies --executor dask)")
    g.add_argument("--no-progress", action="store_true", help="hide the progress bar")


def _add_model(p: argparse.ArgumentParser) -> None:
    p.add_argument("--seed", type=_whole("--seed", 0), default=None, help="entropy of the seed sequence (default 0)")
    p.add_argument("--days", type=_positive("--days"), default=None,
                   help="days to run (default: to the scenario's end)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="fix a parameter")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="crisislab", description="CrisisLab: an agent-based model of international crises")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("scenarios", help="list scenarios, policies and design presets")
    s.add_argument("--parameters", action="store_true", help="also list every parameter with unit and source")

    r = sub.add_parser("run", help="run a scenario many times and print a summary (per policy)")
    r.add_argument("scenario", help="a name from configs/ or a path to a .toml file")
    r.add_argument("--policy", nargs="+", default=None, metavar="P",
                   help=f"defender policy; several are compared on the same seeds: {', '.join(POLICIES)}")
    r.add_argument("--runs", type=_positive("--runs"), default=100, help="seeded runs per policy (default 100)")
    _add_model(r)
    r.add_argument("--out", type=Path, default=None, help="write a results folder (Parquet + manifest.json)")
    r.add_argument("--steps", action=argparse.BooleanOptionalAction, default=True, help="keep per-day rows")
    r.add_argument("--events", action=argparse.BooleanOptionalAction, default=True, help="keep the event log")
    r.add_argument("--dyads", action=argparse.BooleanOptionalAction, default=False, help="keep per-dyad rungs")
    _add_where(r)

    w = sub.add_parser("sweep", help="run a design file (grid, lhs, sobol, morris) into a results folder")
    w.add_argument("design", help="a preset from experiments/presets/ or a path to a design .toml")
    w.add_argument("--out", type=Path, default=None, help="results folder (default results/<design name>)")
    _add_where(w)

    se = sub.add_parser("sensitivity", help="Sobol or Morris indices of outcomes, as a table and a plot")
    se.add_argument("scenario", nargs="?", default=None, help="a scenario (or give --design)")
    se.add_argument("--design", default=None, help="a preset or design file instead of the flags below")
    se.add_argument("--method", choices=("sobol", "morris"), default="sobol")
    se.add_argument("--param", action="append", default=[], metavar="NAME=LOW:HIGH",
                    help="a parameter range to vary (repeat); NAME=A,B,... for levels analysed separately")
    se.add_argument("--n", type=_positive("--n"), default=None,
                    help="base sample size (sobol: a power of 2, default 64; morris: trajectories, default 20)")
    se.add_argument("--replications", type=_positive("--replications"), default=None,
                    help="seeded runs per point (default 4)")
    se.add_argument("--outcome", nargs="+", default=None, metavar="O",
                    help="p_war (default), p_deal, war_day, peak_rung, final_cohesion_<ALLIANCE>")
    se.add_argument("--policy", default=None, help="the defenders' policy for every run")
    _add_model(se)
    se.add_argument("--out", type=Path, default=None, help="results folder (default results/<name>)")
    _add_where(se)

    db = sub.add_parser("dashboard", help="the Solara dashboard (solara run app.py), on this machine only by default")
    db.add_argument("--host", default="127.0.0.1",
                    help="address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 serves a classroom "
                         "network)")
    db.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    db.add_argument("--mc-workers", type=_positive("--mc-workers"), default=None,
                    help="processes for the sessions' Monte Carlo runs (default: cores - 1, at least 1, so that "
                         "stepping stays responsive while Monte Carlo runs)")

    rp = sub.add_parser("report", help="plots of a results folder (fan chart, P(war by day), cohesion)")
    rp.add_argument("out", type=Path, help="a results folder written by run, sweep or sensitivity")
    return p


# ---------------------------------------------------------------------------- commands

def cmd_scenarios(args) -> int:
    from experiments.design import PRESET_DIR

    print("Scenarios (configs/):")
    for name, desc in available_scenarios().items():
        print(f"  {name:<16} {desc}")
    print("\nPolicies (agents/policies/):")
    for name, desc in DESCRIPTIONS.items():
        print(f"  {name:<16} {desc}")
    print("\nDesign presets (experiments/presets/):")
    for path in sorted(PRESET_DIR.glob("*.toml")):
        first = next((ln.lstrip("# ").strip() for ln in path.read_text().splitlines() if ln.startswith("#")), "")
        print(f"  {path.stem:<16} {first}")
    if args.parameters:
        print("\nParameters (model/parameters.py): name = default [unit] source")
        for row in parameter_table():
            print(f"  {row['name']} = {row['default']} [{row['unit']}] {row['source']}")
    return 0


def _progress(args) -> bool:
    return not args.no_progress and sys.stderr.isatty()


def _execute(plan, args, out: Path | None, argv: list[str]):
    """Run the plan on the chosen executor; Ctrl-C reports what was kept."""
    from experiments.sweep import Interrupted, run_plan

    try:
        return run_plan(plan, out=out, executor=args.executor, workers=args.workers, scheduler=args.scheduler,
                        progress=_progress(args), command=["crisislab", *argv])
    except Interrupted as e:
        where = f" in {e.out}; run the same command to resume" if e.out else "; nothing was written"
        print(f"crisislab: interrupted: {e.kept} of {e.planned} runs kept{where}", file=sys.stderr)
        raise SystemExit(130) from None


def _default_out(name: str) -> Path:
    return Path("results") / re.sub(r"[^A-Za-z0-9_.-]+", "-", name)


def cmd_run(args, argv: list[str]) -> int:
    from experiments.batch import BatchResult, batch_design, format_summary, summarise_batch
    from experiments.design import plan

    policies = args.policy
    if policies:
        bad = [p for p in policies if p not in POLICIES]
        if bad:
            raise CliError(f"unknown policy {bad[0]!r}; known: {', '.join(POLICIES)}")
    overrides = parse_set(args.set)
    design = batch_design(args.scenario, policies, args.runs, args.seed or 0, args.days, overrides,
                          steps=args.steps, events=args.events, dyads=args.dyads)
    p = plan(design)  # validates everything before the first run
    batch = BatchResult.of(_execute(p, args, args.out, argv), policies)
    print("\n\n".join(format_summary(s) for s in summarise_batch(batch)))
    if args.out is not None:
        _print_written(batch.results)
    return 0


def _print_written(res) -> None:
    what = "computed" if not res.skipped else f"computed, {res.skipped} already there"
    print(f"  results: {res.out}  ({res.computed} runs {what}; {res.seconds:.1f} s)")


def cmd_sweep(args, argv: list[str]) -> int:
    from experiments.design import describe, load_design, plan

    design = load_design(args.design)
    p = plan(design)
    out = args.out or _default_out(design.name or design.scenario)
    print(describe(p))
    res = _execute(p, args, out, argv)
    print(format_points(p, res.runs))
    if design.method in ("sobol", "morris") and design.outcomes:
        _indices(p, res, out)
    _print_written(res)
    return 0


def cmd_sensitivity(args, argv: list[str]) -> int:
    from experiments.design import describe, design_from_dict, load_design, parse_range, plan

    if args.design is not None:
        if args.scenario or args.param:
            raise CliError("give either --design or a scenario with --param, not both")
        design = load_design(args.design, outcomes=args.outcome, n=args.n, replications=args.replications,
                             entropy=args.seed, days=args.days)
        if design.method not in ("sobol", "morris"):
            raise CliError(f"design {design.name} uses method {design.method}; sensitivity needs sobol or morris")
    else:
        if args.scenario is None:
            raise CliError("give a scenario (e.g. ukraine_2021) or --design")
        if not args.param:
            raise CliError("give at least one --param NAME=LOW:HIGH")
        factors: dict[str, Any] = {}
        for text in args.param:
            name, f = parse_range(text)
            if name in factors:
                raise CliError(f"--param {name} is given twice")
            factors[name] = f
        n = args.n or (64 if args.method == "sobol" else 20)
        raw = {"scenario": args.scenario, "method": args.method, "n": n, "replications": args.replications or 4,
               "entropy": args.seed or 0, "days": args.days, "policy": args.policy, "fixed": parse_set(args.set),
               "factors": factors, "outcomes": args.outcome or ["p_war"]}
        design = design_from_dict(raw, where="sensitivity")
        design = design.model_copy(update={"name": f"{args.scenario}-{args.method}-{design.identity()[:8]}"})
    p = plan(design)
    out = args.out or _default_out(design.name)
    print(describe(p))
    res = _execute(p, args, out, argv)
    _indices(p, res, out)
    _print_written(res)
    return 0


def _indices(p, res, out: Path) -> None:
    from experiments.sensitivity import analyze, format_indices, plot_indices
    from experiments.store import atomic_write_bytes

    df = analyze(p, res.runs)
    method = p.design.method
    print(format_indices(df, method))
    atomic_write_bytes(out / "sensitivity.csv", df.to_csv(index=False).encode())
    png = plot_indices(df, method, out / "sensitivity.png",
                       title=f"{method.capitalize()} indices, {p.design.name or p.design.scenario} "
                             f"({p.n_runs} runs)")
    print(f"  indices: {out / 'sensitivity.csv'}  plot: {png}")


def format_points(p, runs) -> str:
    """Outcome shares per level combination (the list factors) of a sweep."""
    from experiments.batch import wilson_interval

    if p.design.model != "crisis":
        return f"  {len(runs)} runs; mean y {runs['y'].mean():.4f}"
    keys = list(p.design.levels_factors) or ["policy"]
    lines = [f"  {' / '.join(keys):<40} {'runs':>6} {'P(war)':>8} {'95% CI':>14} {'P(deal)':>8} {'peak rung':>10}"]
    for key, g in runs.groupby(keys, sort=False):
        key = key if isinstance(key, tuple) else (key,)
        k = int((g["outcome"] == "war").sum())
        lo, hi = wilson_interval(k, len(g))
        lines.append(f"  {' / '.join(str(x) for x in key):<40} {len(g):>6} {k / len(g):>8.3f} "
                     f"{f'{lo:.3f}-{hi:.3f}':>14} {(g['outcome'] == 'deal').mean():>8.3f} "
                     f"{g['peak_rung'].astype(float).mean():>10.2f}")
    return "\n".join(lines)


def cmd_dashboard(args) -> int:
    import os

    app = Path(__file__).resolve().parent.parent / "app.py"
    if not app.is_file():
        raise CliError(f"the dashboard needs the source tree (app.py not found at {app})")
    if not 0 < args.port < 65536:
        raise CliError(f"--port must be between 1 and 65535, got {args.port}")
    if args.mc_workers is not None:
        os.environ["CRISISLAB_MC_WORKERS"] = str(args.mc_workers)
    # solara run, with its telemetry and version check off (dashboard/serve.py)
    from dashboard.serve import set_environment

    set_environment()
    cmd = [sys.executable, "-m", "dashboard.serve", str(app), "--host", args.host, "--port", str(args.port),
           "--production", "--no-open"]
    print(f"CrisisLab dashboard on http://{args.host}:{args.port}/  (Ctrl-C to stop)", flush=True)
    os.execv(sys.executable, cmd)
    return 0  # not reached


def cmd_report(args) -> int:
    from experiments.report import make_report

    paths = make_report(args.out)
    for p in paths:
        print(f"  {p}")
    return 0


def main(argv: list[str] | None = None) -> int:
    from experiments.store import StoreError
    from experiments.sweep import RunFailed

    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(argv)
        if args.command == "scenarios":
            return cmd_scenarios(args)
        if args.command == "run":
            return cmd_run(args, argv)
        if args.command == "sweep":
            return cmd_sweep(args, argv)
        if args.command == "sensitivity":
            return cmd_sensitivity(args, argv)
        if args.command == "dashboard":
            return cmd_dashboard(args)
        return cmd_report(args)
    except (CliError, ScenarioError, DesignError, ExecutorError, StoreError, RunFailed) as e:
        print(f"crisislab: error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into e.g. `head`
        sys.stderr.close()
        return 0
    except OSError as e:
        print(f"crisislab: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("crisislab: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
