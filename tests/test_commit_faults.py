"""Fault injection: the writer killed (SIGKILL, a real process) at every boundary of a document's commit.

At each boundary a version-joining reader must see exactly the old or exactly the new
document, before and after the kill; the next start must leave every table at one
version; the other document's files must not change.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets.resources import StorageResource
from assets.sensors import raw_pdf_sensor
from pipeline import commit as protocol
from pipeline.store import open_store
from pipeline.writer import committed_version
from report_facts import cli

DOC = "report"
OTHER = "other"
SWITCH = len(protocol.COMMITTED_TABLES)  # the boundary right after documents was switched

_WRITER = """
import sys
from pathlib import Path
from pipeline.commit import commit, read_committed, COMMITTED_TABLES
from pipeline.locks import document_lock
from pipeline.store import open_store

source, target = Path(sys.argv[1]), Path(sys.argv[2])
version, tables = read_committed(open_store(source), "report", COMMITTED_TABLES)
with document_lock(target, "report"):
    commit(open_store(target), "report", version, tables)
"""


@pytest.fixture(scope="module")
def outputs(tmp_path_factory, reports):
    """``old``: report (edition 1, style A) and other (edition 2); ``new``: report re-delivered in style B."""
    root = tmp_path_factory.mktemp("faults")
    mp = pytest.MonkeyPatch()
    mp.setenv("DAGSTER_HOME", str(root / "dagster"))
    raw = root / "raw"
    raw.mkdir()
    shutil.copy(reports["a1"].path, raw / f"{DOC}.pdf")
    shutil.copy(reports["a2"].path, raw / f"{OTHER}.pdf")
    assert cli.main(["run", str(raw), "--output-dir", str(root / "old")]) == 0
    shutil.copy(reports["b1"].path, raw / f"{DOC}.pdf")  # a corrected re-issue: same edition, new bytes
    assert cli.main(["run", str(raw / f"{DOC}.pdf"), "--output-dir", str(root / "new")]) == 0
    yield root
    mp.undo()


def _view(out: Path) -> dict[str, list[tuple]]:
    """Per committed table, the rows of ``report`` a reader joining on (document_id, document_version) sees."""
    con = duckdb.connect()
    view = {}
    for table in protocol.COMMITTED_TABLES:
        rows = con.execute(
            f"select t.* exclude (document_id) from read_parquet('{out}/{table}/*/*.parquet', hive_partitioning=true,"
            f" union_by_name=true) t join read_parquet('{out}/documents/*/*.parquet', hive_partitioning=true) d"
            f" using (document_id, document_version) where document_id = '{DOC}'"
        ).fetchall()
        view[table] = sorted(map(repr, rows))
    return view


def _files(out: Path, document_id: str, tables=protocol.VERSIONED_TABLES) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.glob(f"*/document_id={document_id}/*.parquet"))
        if p.parts[-3] in tables
    }


def _wait_for(marker: Path, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else "writer exited"
        assert time.monotonic() < deadline, "writer never reached the boundary"
        time.sleep(0.05)


def _paused(cmd: list[str], boundary: int, marker: Path, **extra_env: str) -> subprocess.Popen:
    env = {**os.environ, **extra_env, protocol.PAUSE_ENV: str(boundary), protocol.PAUSE_MARKER_ENV: str(marker)}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _wait_for(marker, proc)
    return proc


def _kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL


@pytest.mark.parametrize("boundary", range(protocol.BOUNDARIES))
def test_kill_at_every_boundary_never_shows_or_leaves_a_mix(outputs: Path, tmp_path: Path, boundary: int) -> None:
    out = tmp_path / "out"
    shutil.copytree(outputs / "old", out)
    old, new = _view(outputs / "old"), _view(outputs / "new")
    assert old != new
    other_before = _files(out, OTHER)

    proc = _paused([sys.executable, "-c", _WRITER, str(outputs / "new"), str(out)], boundary, tmp_path / "paused")
    try:
        assert _view(out) == (new if boundary >= SWITCH else old)  # a reader while the writer is stopped there
    finally:
        _kill(proc)
    assert _view(out) == (new if boundary >= SWITCH else old)  # and after it died
    assert any(s.problems for s in protocol.status(open_store(out)))  # status tells

    repaired = protocol.recover(open_store(out), out)  # what every start does first
    assert len(repaired) == 1 and repaired[0].startswith(f"{DOC}: {'completed' if boundary >= SWITCH else 'rolled'}")
    assert _view(out) == (new if boundary >= SWITCH else old)
    if boundary >= SWITCH:  # the change list of the new version is written after the commit, by its own step
        assert _files(out, DOC, protocol.COMMITTED_TABLES) == _files(outputs / "new", DOC, protocol.COMMITTED_TABLES)
    else:
        assert _files(out, DOC) == _files(outputs / "old", DOC)
    assert all(not s.problems for s in protocol.status(open_store(out)))
    assert _files(out, OTHER) == other_before


def test_killed_cli_run_is_repaired_by_the_next_sensor_tick(outputs: Path, tmp_path: Path, reports) -> None:
    """The whole pipeline as a process, killed between two table swaps; status reports it, the sensor repairs it."""
    out = tmp_path / "out"
    shutil.copytree(outputs / "old", out)
    old = _view(out)
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(reports["b1"].path, raw / f"{DOC}.pdf")
    cmd = [sys.executable, "-m", "report_facts.cli", "run", str(raw), "--output-dir", str(out)]
    proc = _paused(cmd, SWITCH // 2, tmp_path / "paused", DAGSTER_HOME=str(tmp_path / "dagster"))
    try:
        assert _view(out) == old  # mid-commit, half the tables already hold the new version's files
        assert len({p.name for p in out.glob("blocks/document_id=report/*.parquet")}) == 2
    finally:
        _kill(proc)
    assert _view(out) == old
    assert cli.main(["status", "--output-dir", str(out)]) == 1
    version_before = committed_version(open_store(out), DOC)
    with dg.instance_for_test() as instance:
        context = dg.build_sensor_context(
            instance=instance, resources={"storage": StorageResource(raw_dir=str(raw), output_dir=str(out))}
        )
        raw_pdf_sensor(context)
    assert cli.main(["status", "--output-dir", str(out)]) == 0
    assert committed_version(open_store(out), DOC) == version_before
    assert _view(out) == old
