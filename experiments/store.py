"""Crash-safe result folders: one Parquet part per chunk, written atomically, plus ``manifest.json``.

Layout of a results folder::

    OUT/manifest.json                      design, its identity hash, config hash, code and package versions
    OUT/runs.parquet/part-00012.parquet    one row per run (always)
    OUT/steps.parquet/part-00012.parquet   one row per run and day (on request)
    OUT/events.parquet/...  OUT/dyads.parquet/...

A part is written to a hidden temporary name and renamed, so a reader never sees half a file; a chunk
counts as done when its ``runs`` part exists (it is written last). Running the same design into the same
folder again skips done chunks. Query with pandas (``pd.read_parquet("OUT/runs.parquet")``), DuckDB
(``SELECT * FROM 'OUT/runs.parquet/*.parquet'``) or :func:`load_table`.
"""

from __future__ import annotations

import errno
import json
import os
import platform
import re
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from experiments.design import Plan
from experiments.runner import TABLES

# Bytes a run takes on disk per table, a low estimate (measured on ukraine_2021: runs ~1-5 KB, steps
# ~10-20 KB, events ~3-5 KB per run, depending on the chunk size): a sweep that cannot fit fails before it
# starts, and a low estimate never refuses one that fits.
BYTES_PER_RUN = {"runs": 500, "steps": 8_000, "events": 2_000, "dyads": 1_000}
PART = re.compile(r"^part-(\d{5,})\.parquet$")
PACKAGES = ("mesa", "numpy", "pandas", "pyarrow", "networkx", "pydantic", "scipy", "SALib", "distributed")


class StoreError(OSError):
    """The folder cannot hold this design's results; the message is one line."""


def check_output_dir(out: Path) -> Path:
    """Create the folder if needed and prove it is writable, before any run starts."""
    out = Path(out)
    try:
        if out.exists() and not out.is_dir():
            raise StoreError(f"output folder {out} is a file")
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".probe-", delete=True) as fh:
            fh.write(b"\0" * 65536)  # a full disk fails here, not after the first hour
            fh.flush()
            os.fsync(fh.fileno())
    except StoreError:
        raise
    except OSError as e:
        raise StoreError(f"output folder {out} is not writable: {e.strerror or e}") from None
    return out


def check_free_space(out: Path, need: int, runs: int) -> None:
    """Refuse, before any run, a sweep whose results cannot fit on the folder's disk."""
    free = shutil.disk_usage(out).free
    if free < need:
        raise StoreError(f"output folder {out}: {runs} runs need about {need / 1e6:.1f} MB, only {free / 1e6:.1f} MB "
                         "free on its disk; free some space or choose another --out")


def write_failed(out: Path, e: OSError, kept: int) -> StoreError:
    """The one-line error for a write that failed mid-sweep (the finished runs stay and resume)."""
    why = "the disk is full" if e.errno == errno.ENOSPC else (e.strerror or str(e))
    return StoreError(f"cannot write results to {out}: {why}; the {kept} runs finished are kept: "
                      "free some space and run the same command to resume")


def code_version() -> str:
    here = Path(__file__).resolve().parent.parent
    try:
        rev = subprocess.run(["git", "-C", str(here), "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, timeout=5, check=False).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(here), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=5, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        rev, dirty = "", ""
    pkg = _version("crisislab")
    return f"{pkg}+{rev}{'.dirty' if dirty else ''}" if rev else pkg


def _version(pkg: str) -> str:
    try:
        return metadata.version(pkg)
    except metadata.PackageNotFoundError:
        return "not installed"


def atomic_write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def atomic_write_table(table: pa.Table, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, tmp)
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class ResultStore:
    """A results folder bound to one plan."""

    def __init__(self, out: Path, plan: Plan):
        self.out = Path(out)
        self.plan = plan
        self.tables = ["runs"] + [t for t in TABLES[1:] if getattr(plan.design.outputs, t, False)]

    # ------------------------------------------------------------------ opening

    def _identity(self) -> dict[str, Any]:
        return {"design_id": self.plan.design.identity(), "config_hash": self.plan.config_hash,
                "chunk_size": self.plan.chunk_size}

    def check(self) -> set[int]:
        """Read-only: the folder is writable, has room and holds nothing but this design; return the done chunks."""
        check_output_dir(self.out)
        done = self._check_identity()
        todo = self.plan.n_runs - sum(len(r) for k, r in enumerate(self.plan.chunks()) if k in done)
        check_free_space(self.out, todo * sum(BYTES_PER_RUN[t] for t in self.tables), todo)
        return done

    def _check_identity(self) -> set[int]:
        manifest_path = self.out / "manifest.json"
        if manifest_path.exists():
            try:
                old = json.loads(manifest_path.read_text())
            except (OSError, json.JSONDecodeError) as e:
                raise StoreError(f"{manifest_path} is unreadable ({e}); choose another --out") from None
            for key, value in self._identity().items():
                if old.get(key) != value:
                    what = {"design_id": "a different design", "config_hash": "results of a different scenario "
                            "configuration", "chunk_size": "a different chunking"}[key]
                    raise StoreError(f"output folder {self.out} holds {what} ({key} {old.get(key)} != {value}); "
                                     "choose another --out or delete that folder")
            return self.done_chunks()
        stray = [p.name for p in self.out.glob("*.parquet")]
        if stray:
            raise StoreError(f"output folder {self.out} holds {stray[0]} but no manifest.json; choose another --out")
        return set()

    def open(self, command: list[str] | None = None) -> set[int]:
        """Check the folder, write or update the manifest, clean leftovers; return the done chunk ids."""
        self.check()
        manifest_path = self.out / "manifest.json"
        identity = self._identity()
        if manifest_path.exists():
            manifest = json.loads(manifest_path.read_text())
            versions = manifest.setdefault("code_versions", [manifest.get("code_version")])
            if code_version() not in versions:
                versions.append(code_version())
            manifest["status"] = "running"
        else:
            manifest = self._manifest(identity, command)
        for t in self.tables:
            (self.out / f"{t}.parquet").mkdir(exist_ok=True)
        self._write_manifest(manifest)
        done = self.done_chunks()
        self._clean(done)
        return done

    def _manifest(self, identity: dict[str, Any], command: list[str] | None) -> dict[str, Any]:
        d = self.plan.design
        config = self.plan.scenario.model_dump(mode="json") if self.plan.scenario is not None else None
        return {
            **identity, "status": "running", "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "design": d.model_dump(mode="json"), "scenario": d.scenario, "config": config,
            "planned_runs": self.plan.n_runs, "points": len(self.plan.points),
            "chunks": len(self.plan.chunks()), "entropy": d.entropy,
            "seeds": "numpy.random.SeedSequence(entropy, spawn_key=(run,)).generate_state(1, uint32)[0]",
            "code_version": code_version(), "code_versions": [code_version()],
            "python": platform.python_version(), "packages": {p: _version(p) for p in PACKAGES},
            "tables": self.tables, "command": command or [],
        }

    def _write_manifest(self, manifest: dict[str, Any]) -> None:
        atomic_write_bytes(self.out / "manifest.json", json.dumps(manifest, indent=2, default=str).encode())

    def done_chunks(self) -> set[int]:
        folder = self.out / "runs.parquet"
        if not folder.is_dir():
            return set()
        return {int(m.group(1)) for p in folder.iterdir() if (m := PART.match(p.name))}

    def _clean(self, done: set[int]) -> None:
        """Remove temporary files and parts of chunks that never finished (their runs part is missing)."""
        for t in self.tables:
            folder = self.out / f"{t}.parquet"
            for p in folder.iterdir():
                m = PART.match(p.name)
                if p.name.endswith(".tmp") or (m and int(m.group(1)) not in done):
                    p.unlink()

    # ------------------------------------------------------------------ writing

    def write_chunk(self, chunk: int, tables: dict[str, pa.Table]) -> None:
        """Write a chunk's parts; the runs part last, so it marks the chunk done."""
        name = f"part-{chunk:05d}.parquet"
        for t in self.tables[1:] + ["runs"]:
            atomic_write_table(tables[t], self.out / f"{t}.parquet" / name)

    def finish(self, status: str, extra: dict[str, Any] | None = None) -> None:
        manifest = json.loads((self.out / "manifest.json").read_text())
        manifest["status"] = status
        manifest["completed_runs"] = count_rows(self.out, "runs")
        manifest.update(extra or {})
        self._write_manifest(manifest)


# ---------------------------------------------------------------------------- reading

def read_manifest(out: Path) -> dict[str, Any]:
    path = Path(out) / "manifest.json"
    if not path.is_file():
        raise StoreError(f"{out} is not a results folder (no manifest.json)")
    try:
        return json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as e:
        raise StoreError(f"{path} is unreadable: {e}") from None


def _parts(out: Path, table: str) -> list[Path]:
    out = Path(out)
    done = {p.name for p in (out / "runs.parquet").glob("part-*.parquet")}
    folder = out / f"{table}.parquet"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if PART.match(p.name) and p.name in done)


def count_rows(out: Path, table: str = "runs") -> int:
    return sum(pq.ParquetFile(p).metadata.num_rows for p in _parts(out, table))


def load_table(out: Path, table: str = "runs") -> pd.DataFrame:
    """One table of a results folder as a DataFrame, rows ordered by run (and day), done chunks only."""
    parts = _parts(out, table)
    if not parts:
        if table != "runs" and table not in read_manifest(out).get("tables", []):
            raise StoreError(f"{out} has no {table} table (it was not requested when the runs were made)")
        return pd.DataFrame()
    return table_to_frame(table, pa.concat_tables([pq.read_table(p, use_threads=False) for p in parts]))


def table_to_frame(table: str, t: pa.Table) -> pd.DataFrame:
    """Arrow to pandas; the runs table keeps nullable integers (war_day is empty when there was no war)."""
    df = t.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get) if table == "runs" else t.to_pandas()
    keys = [k for k in ("run", "day") if k in df.columns]
    return df.sort_values(keys, kind="stable").reset_index(drop=True)
