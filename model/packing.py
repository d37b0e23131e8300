"""Packed layouts: a row of an array whose positions are named once.

Compiled code takes its scalars packed in one float array (numba's cost is per argument). Each layout is
declared once, as a tuple of names; ``layout`` derives the ``IntEnum`` that compiled code indexes with,
and ``pack`` builds the array from keyword values, refusing a missing or unknown name.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np


def layout(name: str, names: tuple[str, ...]) -> type[IntEnum]:
    """An ``IntEnum`` of ``names`` in order, from 0 (members are upper-case: ``temperature`` -> ``TEMPERATURE``)."""
    if len(set(names)) != len(names):
        raise ValueError(f"layout {name}: a name appears twice")
    return IntEnum(name, {n.upper(): i for i, n in enumerate(names)})


_NAMES: dict[type[IntEnum], tuple[str, ...]] = {}


def names(lay: type[IntEnum]) -> tuple[str, ...]:
    """A layout's names in order (lower case)."""
    if lay not in _NAMES:
        _NAMES[lay] = tuple(m.name.lower() for m in lay)
    return _NAMES[lay]


def pack(lay: type[IntEnum], **values: float) -> np.ndarray:
    """The float array of a layout from its values by name (every name, and no other)."""
    order = names(lay)
    try:
        if len(values) != len(order):
            raise KeyError
        return np.array([values[n] for n in order], dtype=float)
    except KeyError:
        expected = set(order)
        missing, unknown = expected - set(values), set(values) - expected
        raise KeyError(f"{lay.__name__}: missing {sorted(missing)}, unknown {sorted(unknown)}") from None


def unpack(lay: type[IntEnum], row: np.ndarray) -> dict[str, float]:
    """``{name: value}`` of a packed row."""
    return {m.name.lower(): float(row[m.value]) for m in lay}
