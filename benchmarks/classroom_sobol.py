"""The classroom Sobol design end to end on all cores (target: <= 30 s on this 2-core machine).

    python benchmarks/classroom_sobol.py [--workers N] [--repeat 1]

Runs ``crisislab sensitivity --design classroom_sobol`` (8 parameters, Sobol N = 256 with second-order
indices: 4,608 ``ukraine_2021`` runs, then the indices of 4 outcomes with bootstrap confidence intervals,
the CSV and the plot) as a fresh process into a temporary folder, and prints its wall time — what a
student waits for after pressing Enter, interpreter start-up and imports included.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=os.cpu_count())
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args(argv)
    walls = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [sys.executable, "-m", "experiments.cli", "sensitivity", "--design", "classroom_sobol",
                   "--out", str(Path(tmp) / "sobol"), "--workers", str(args.workers), "--no-progress"]
            t0 = time.perf_counter()
            done = subprocess.run(cmd, check=False, cwd=ROOT, capture_output=True, text=True)
            walls.append(time.perf_counter() - t0)
            if done.returncode != 0:
                sys.exit(f"crisislab sensitivity failed ({done.returncode}): {done.stderr.strip()}")
    print(done.stdout.strip().splitlines()[-1].strip())
    print(f"classroom Sobol (4,608 runs + analysis, {args.workers} workers): {statistics.median(walls):.1f} s wall "
          f"(median of {args.repeat}; target <= 30 s)")


if __name__ == "__main__":
    main()
