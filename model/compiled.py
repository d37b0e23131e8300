"""Where numba keeps the model's compiled code between processes.

numba caches a compiled function under the timestamp of its own source file only: after a change to a
function it calls from another file (``model/kernels.py`` composes the rules of ``model/beliefs.py``,
``model/decision.py`` ...), the stale machine code would be loaded again — wrong numbers, or a crash. So
the model's compiled code is cached in a directory named after a hash of every source file of the
package and numba's version (``~/.cache/crisislab/numba-<hash>``, or under ``$XDG_CACHE_HOME``): any
change to the code compiles everything afresh once. ``NUMBA_CACHE_DIR``, when set, is respected; when
the directory cannot be written, a temporary one is used for the process (compiling every time, never
stale).
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path


def cache_name(package: Path, numba_version: str) -> str:
    """``numba-<hash>``: a hash of every ``.py`` file of ``package`` (names and bytes) and numba's version."""
    digest = hashlib.sha256(numba_version.encode())
    for source in sorted(package.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return f"numba-{digest.hexdigest()[:16]}"


def configure_cache() -> Path:
    """Point numba's cache at the directory for this exact source; returns it. Call before the model's
    compiled functions are defined (``model/__init__.py`` does)."""
    import numba

    if os.environ.get("NUMBA_CACHE_DIR"):
        return Path(numba.config.CACHE_DIR)
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "crisislab"
    path = root / cache_name(Path(__file__).parent, numba.__version__)
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path):  # writable?
            pass
    except OSError:
        path = Path(tempfile.mkdtemp(prefix="crisislab-numba-"))
        atexit.register(shutil.rmtree, path, ignore_errors=True)
    else:
        _forget_old(root, keep=path)
    numba.config.CACHE_DIR = str(path)
    return path


def _forget_old(root: Path, keep: Path, days: float = 30.0) -> None:
    """Remove the caches of other versions of the source not used for ``days`` days (a few MB each)."""
    os.utime(keep)   # this one is in use
    cutoff = time.time() - days * 86400
    for old in root.glob("numba-*"):
        try:
            if old != keep and old.stat().st_mtime < cutoff:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            pass
