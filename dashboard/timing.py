"""Server-side timing of the dashboard's steps, for ``benchmarks/dashboard_load.py``.

With ``CRISISLAB_TIMING=FILE`` in the server's environment, each Step click appends one line to FILE:
the seconds from the click handler starting to the views updated (the model's step, every live view's
new content built and sent to the browser). Without it, nothing is recorded.
"""

from __future__ import annotations

import os
import threading

_LOCK = threading.Lock()


def record(seconds: float) -> None:
    path = os.environ.get("CRISISLAB_TIMING")
    if path:
        with _LOCK, open(path, "a") as f:
            f.write(f"{seconds:.6f}\n")
