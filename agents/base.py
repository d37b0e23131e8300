"""The base of CrisisLab's Mesa agents: Mesa 3.3.1's agent-id counters without its memory leak.

Mesa 3.3.1 numbers agents per model with a class-level ``defaultdict`` keyed by the model
(``mesa.Agent._ids``), which keeps every model ever built alive for the life of the process — about
0.1 MB per ``ukraine_2021`` run, so a 4,608-run sweep worker or a day-long classroom server grew without
bound (upstream: mesa/mesa#3179, fixed in mesa/mesa#3180 after 3.3.1). Here the counters are held by
weak reference to their model: the same ids (1, 2, ... per model, shared by states and alliances), and a
model is freed once nothing else refers to it.
"""

from __future__ import annotations

import itertools
import weakref

import mesa


class _IdsPerModel(weakref.WeakKeyDictionary):
    """model -> itertools.count(1), created on first use, dropped with the model."""

    def __getitem__(self, model):
        try:
            return super().__getitem__(model)
        except KeyError:
            counter = itertools.count(1)
            self[model] = counter
            return counter


class CrisisAgent(mesa.Agent):
    """A Mesa agent whose id counter does not keep its model alive."""

    _ids = _IdsPerModel()
