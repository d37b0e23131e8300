"""Imported by the forkserver the sweep's workers are forked from (``experiments/executors.py``): one short
run of each kind of day loads the model's compiled kernels (numba) there, once, so every worker forked
from it starts with them in memory instead of loading them from numba's cache itself (~0.3 s a worker)."""

from model import CrisisModel

for _policy in ("as_happened", "deterrence"):
    CrisisModel("ukraine_2021", seed=0, policy=_policy).run(60)
