"""The ``crisislab`` command line.

    crisislab scenarios [--parameters]
    crisislab run SCENARIO [--policy P] [--runs N] [--seed S] [--days D] [--set key=value ...] [--out DIR]

Bad input prints one line ``crisislab: error: ...`` and exits with status 2; nothing is written.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from agents.policies import DESCRIPTIONS, POLICIES
from model.config import ScenarioError, available_scenarios, load_scenario
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


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="crisislab", description="CrisisLab: an agent-based model of international crises")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("scenarios", help="list scenarios and policies")
    s.add_argument("--parameters", action="store_true", help="also list every parameter with unit and source")
    r = sub.add_parser("run", help="run a scenario many times and print a summary")
    r.add_argument("scenario", help="a name from configs/ or a path to a .toml file")
    r.add_argument("--policy", default=None, help=f"defender policy: {', '.join(POLICIES)}")
    r.add_argument("--runs", type=int, default=100, help="number of seeded runs (default 100)")
    r.add_argument("--seed", type=int, default=0, help="entropy of the seed sequence (default 0)")
    r.add_argument("--days", type=int, default=None, help="days to run (default: to the scenario's end)")
    r.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override a parameter")
    r.add_argument("--out", type=Path, default=None, help="write Parquet files and manifest.json here")
    r.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    return p


def cmd_scenarios(args) -> int:
    print("Scenarios (configs/):")
    for name, desc in available_scenarios().items():
        print(f"  {name:<16} {desc}")
    print("\nPolicies (agents/policies/):")
    for name, desc in DESCRIPTIONS.items():
        print(f"  {name:<16} {desc}")
    if args.parameters:
        print("\nParameters (model/parameters.py): name = default [unit] source")
        for row in parameter_table():
            print(f"  {row['name']} = {row['default']} [{row['unit']}] {row['source']}")
    return 0


def cmd_run(args, argv: list[str]) -> int:
    from experiments.batch import check_output_dir, format_summary, run_batch, summarise, write_results

    if args.runs < 1:
        raise CliError(f"--runs must be at least 1, got {args.runs}")
    if args.days is not None and args.days < 1:
        raise CliError(f"--days must be at least 1, got {args.days}")
    if args.seed < 0:
        raise CliError(f"--seed must be non-negative, got {args.seed}")
    if args.policy is not None and args.policy not in POLICIES:
        raise CliError(f"unknown policy {args.policy!r}; known: {', '.join(POLICIES)}")
    overrides = parse_set(args.set)
    load_scenario(args.scenario, **overrides)  # validate everything before the first run
    if args.out is not None:
        try:
            check_output_dir(args.out)
        except OSError as e:
            raise CliError(str(e)) from None
    res = run_batch(args.scenario, policy=args.policy, runs=args.runs, entropy=args.seed, days=args.days,
                    overrides=overrides, progress=not args.no_progress and sys.stderr.isatty())
    print(format_summary(summarise(res)))
    if args.out is not None:
        paths = write_results(res, args.out, argv)
        print(f"  wrote {', '.join(p.name for p in paths.values())} to {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(argv)
        if args.command == "scenarios":
            return cmd_scenarios(args)
        return cmd_run(args, argv)
    except (CliError, ScenarioError) as e:
        print(f"crisislab: error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into e.g. `head`
        sys.stderr.close()
        return 0
    except OSError as e:
        print(f"crisislab: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("crisislab: interrupted; nothing was written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
