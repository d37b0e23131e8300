"""Start Solara's server for the dashboard: ``python -m dashboard.serve <solara run arguments>``.

``crisislab dashboard`` runs this instead of ``solara run`` for settings Solara has but does not reach
from its command line:

- No telemetry and no version check: Solara reports usage to mixpanel.com and asks pypi.org for its latest
  version unless told not to; a classroom server sends nothing anywhere.
- Synchronous websocket writes (``SOLARA_SERVER_SYNC_WS_WRITE``) stay OFF unless set explicitly. They
  write each frame from the sending thread with ``os.write`` on the socket's file-descriptor number, taken
  when the page connected (Solara 1.64.1, ``solara/server/sync_ws_write.py``): once a page has gone and the
  process has reused that number for a file it opened, frames land in that file. The load benchmark saw
  websocket frames inside the server's own timing file (2026-11-23); a numba cache file or any other file
  the server writes could be hit the same way. Without them, 30 pages stepping flat out still get their
  steps within 360 ms at p95 (``benchmarks/README.md``). When set to true, uvicorn's ``auto`` protocol is
  pointed at ``websockets``, the only one they work with.
"""

from __future__ import annotations

import os
import sys
import warnings


class _NoEvents:
    """IPython's ``shell.events`` with nothing registered: every method is a no-op."""

    def __getattr__(self, name: str):
        return _ignore


def _ignore(*args, **kwargs) -> None:
    return None


def tune_running_server() -> None:
    """Called when the app module loads; a no-op outside Solara's server (e.g. headless tests).

    - Telemetry off: ``crisislab dashboard`` turns it off before the server starts; a plain
      ``solara run app.py`` stops sending usage reports from here on.
    - Solara 1.64.1 builds a fake IPython shell for every message a page sends (``get_ipython`` in
      ``solara/server/patch.py``), with a ``unittest.mock.MagicMock`` as its ``events`` so that the
      ``pre_execute``/``post_execute`` triggers of ``comm`` go nowhere. Creating and calling that mock is
      slow: under thirty pages stepping at once it was a quarter of the server's Python time (py-spy).
      A plain object whose methods do nothing serves the same purpose: ``patch.py`` uses ``mock`` for
      nothing else, so its ``mock`` name is pointed at a namespace whose ``MagicMock`` makes one.
    """
    from types import SimpleNamespace

    settings = sys.modules.get("solara.server.settings")   # loaded by Solara's server; not imported here:
    if settings is not None and hasattr(settings, "telemetry"):   # importing it outside one is circular
        settings.telemetry.mixpanel_enable = False
    patch = sys.modules.get("solara.server.patch")
    if patch is not None and hasattr(patch, "FakeIPython"):
        patch.mock = SimpleNamespace(MagicMock=_NoEvents)


# Solara's settings for the dashboard's server (an explicit value in the environment wins)
ENVIRONMENT = {"SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False", "SOLARA_SERVER_SYNC_WS_WRITE": "false"}


def set_environment() -> None:
    """Put ``ENVIRONMENT`` in this process's environment (``crisislab dashboard`` does it before it execs
    this module, so the server's environment shows the settings from its first instruction)."""
    for key, value in ENVIRONMENT.items():
        os.environ.setdefault(key, value)


def main(argv: list[str] | None = None) -> None:
    set_environment()
    if os.environ["SOLARA_SERVER_SYNC_WS_WRITE"].lower() in ("1", "true", "yes"):
        import uvicorn.config

        warnings.filterwarnings("ignore", message=r".*`websockets` implementation is deprecated")
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"websockets\..*")
        uvicorn.config.WS_PROTOCOLS["auto"] = uvicorn.config.WS_PROTOCOLS["websockets"]
    from solara.__main__ import main as solara_main

    sys.argv = ["solara", "run", *(sys.argv[1:] if argv is None else argv), "--no-check-version"]
    solara_main()


if __name__ == "__main__":
    main()
