"""A team install on real services (``make services``: PostgreSQL, Redis, moto's S3 endpoint on 127.0.0.1).

Skipped, with the reason, when the services are not running or the distributed extra is not
installed; CI (.ci/run) starts them, so there these tests run. What they hold:
- Parquet written to the S3 endpoint through the commit protocol equals a local run row for row,
  and pandas, ``pyarrow.dataset`` and DuckDB (through fsspec) read it;
- raw PDFs on S3 (a folder URL with sub-folders, or one file's URL) give the same document ids,
  source paths and rows as the same files in a local folder, through ``run`` and the sensor;
- documents submitted by URL to the queue of a PostgreSQL instance are executed by two Celery
  workers (separate processes, each with its own DAGSTER_HOME on the same database), their output
  on S3 equals local runs of the same files, and re-submitting unchanged documents queues nothing;
- a run's step process killed mid-commit, or its whole Celery worker killed mid-commit: the run
  ends failed (the latter through the daemon's run monitoring and the worker heartbeat), readers
  keep the previous version, and re-submitting completes it.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from pipeline.commit import COMMITTED_TABLES
from pipeline.writer import read_table
from report_facts import cli

pytestmark = pytest.mark.distributed
ROOT = Path(__file__).resolve().parent.parent
PORTS = {
    "postgres": int(os.environ.get("REPORT_FACTS_PG_PORT", "55432")),
    "redis": int(os.environ.get("REPORT_FACTS_REDIS_PORT", "56379")),
    "s3": int(os.environ.get("REPORT_FACTS_S3_PORT", "59000")),
}
TABLES = [*COMMITTED_TABLES, "money_flows"]


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def services():
    """The services' environment, a fresh bucket; skips when something is missing."""
    for module in ("s3fs", "psycopg2", "dagster_postgres", "dagster_celery", "dagster_aws"):
        pytest.importorskip(module, reason="the distributed extra is not installed (make install-distributed)")
    down = [name for name, port in PORTS.items() if not _listening(port)]
    if down:
        pytest.skip(f"services not running ({', '.join(down)}): start them with `make services`")
    env = {
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{PORTS['s3']}",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "REPORT_FACTS_REDIS_URL": f"redis://127.0.0.1:{PORTS['redis']}/0",
    }
    mp = pytest.MonkeyPatch()
    for key, value in env.items():
        mp.setenv(key, value)
    import s3fs

    bucket = f"report-facts-{uuid.uuid4().hex[:12]}"
    fs = s3fs.S3FileSystem()
    fs.mkdir(bucket)
    yield {"env": env, "bucket": bucket, "fs": fs}
    mp.undo()


def _rows(location, table: str) -> list[str]:
    data = read_table(location, table)
    return sorted(map(repr, data.to_pylist())) if data is not None else []


def _frame_rows(frame) -> list[str]:
    return sorted(map(repr, frame.astype(object).where(frame.notna(), None).to_dict("records")))


def _sources(tmp_path: Path, reports, keys: list[str]) -> list[Path]:
    raw = tmp_path / "raw"
    raw.mkdir()
    return [Path(shutil.copy(reports[key].path, raw / f"report-{key}.pdf")) for key in keys]


def test_s3_output_equals_a_local_run_and_every_reader_reads_it(services, reports, tmp_path, monkeypatch):
    import duckdb
    import pandas as pd
    import pyarrow.dataset as ds

    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    [pdf] = _sources(tmp_path, reports, ["a1"])
    local, url = tmp_path / "local", f"s3://{services['bucket']}/parity"
    assert cli.main(["run", str(pdf), "--output-dir", str(local)]) == 0
    assert cli.main(["run", str(pdf), "--output-dir", url]) == 0
    for table in TABLES:
        assert _rows(url, table) == _rows(local, table), table
    assert cli.main(["status", "--output-dir", url]) == 0

    fs = services["fs"]
    con = duckdb.connect()
    con.register_filesystem(fs)
    for table in ("documents", "blocks", "organizations", "amounts"):
        expected = pd.read_parquet(local / table)
        remote = pd.read_parquet(f"{url}/{table}")  # s3fs, pointed at the endpoint by AWS_ENDPOINT_URL
        assert len(expected) > 0 and _frame_rows(remote) == _frame_rows(expected), table
        dataset = ds.dataset(f"{url.removeprefix('s3://')}/{table}", filesystem=fs, partitioning="hive")
        assert _frame_rows(dataset.to_table().to_pandas()) == _frame_rows(expected), table
        query = f"select * from read_parquet('{url}/{table}/*/*.parquet', hive_partitioning=true)"
        assert len(con.execute(query).df()) == len(expected), table


def _instance_home(path: Path, database_url: str, services: dict) -> dict[str, str]:
    """A DAGSTER_HOME with the team dagster.yaml, and the environment of a process that uses it."""
    path.mkdir(parents=True)
    shutil.copy(ROOT / "deploy" / "dagster.yaml", path / "dagster.yaml")
    return {
        **services["env"],
        "DAGSTER_HOME": str(path),
        "REPORT_FACTS_PG_URL": database_url,
        "REPORT_FACTS_IO_URL": f"s3://{services['bucket']}/io",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }


def _start(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """A service process in its own session, so it and its children are stopped together."""
    with open(log, "w") as out:
        return subprocess.Popen(
            cmd, cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture
def database(services):
    """A fresh PostgreSQL database for one test's instance, dropped afterwards."""
    import psycopg2

    name = f"dagster_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(host="127.0.0.1", port=PORTS["postgres"], user="postgres", dbname="postgres")
    admin.autocommit = True
    admin.cursor().execute(f"create database {name}")
    yield f"postgresql+psycopg2://postgres@127.0.0.1:{PORTS['postgres']}/{name}"
    admin.cursor().execute(f"drop database if exists {name} with (force)")
    admin.close()


class Cluster:
    """A client environment (this process), a daemon and Celery workers on one PostgreSQL instance."""

    def __init__(self, root: Path, database: str, services: dict, monkeypatch) -> None:
        self.root, self.database, self.services = root, database, services
        self.watched = root / "watched"  # the daemon's sensor watches an empty folder: only submitted runs
        self.watched.mkdir()
        self.procs: list[subprocess.Popen] = []
        self.client = self._env("client")
        for key, value in self.client.items():
            monkeypatch.setenv(key, value)

    def _env(self, name: str, **extra: str) -> dict[str, str]:
        env = _instance_home(self.root / f"{name}-{uuid.uuid4().hex[:6]}", self.database, self.services)
        return {**env, "REPORT_FACTS_RAW_DIR": str(self.watched), **extra}

    def worker(self, name: str, **extra: str) -> subprocess.Popen:
        cmd = ["dagster-celery", "worker", "start", "-n", f"{name}-{uuid.uuid4().hex[:6]}", "-y", "deploy/celery.yaml"]
        cmd += ["-A", "dagster_celery.app", "--", "--pool=solo", "--concurrency=1"]
        self.procs.append(_start(cmd, self._env(name, **extra), self.root / f"{name}.log"))
        return self.procs[-1]

    def daemon(self) -> None:
        self.procs.append(
            _start(["dagster-daemon", "run", "-w", "workspace.yaml"], self._env("daemon"), self.root / "daemon.log")
        )

    def wait(self, count: int, timeout: float = 900) -> list:
        """The submitted runs once ``count`` of them have ended."""
        import dagster as dg

        instance = dg.DagsterInstance.get()
        done = {dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED}
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            runs = instance.get_runs(filters=dg.RunsFilter(tags={"report-facts/source": "submit"}))
            if sum(r.status in done for r in runs) >= count:
                return runs
            time.sleep(3)
        raise AssertionError(f"runs did not end: {[r.status for r in runs]}\n{self.logs()}")

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in sorted(self.root.glob("*.log")))

    def stop(self, proc: subprocess.Popen | None = None) -> None:
        for p in [proc] if proc else self.procs:
            _stop(p)


@pytest.fixture
def cluster(tmp_path, database, services, monkeypatch):
    started = Cluster(tmp_path, database, services, monkeypatch)
    yield started
    started.stop()


def _upload(services: dict, pdfs: list[Path], prefix: str) -> list[str]:
    """The PDFs put on the S3 endpoint under ``prefix``; their URLs."""
    urls = [f"s3://{services['bucket']}/{prefix}/{pdf.name}" for pdf in pdfs]
    for pdf, url in zip(pdfs, urls, strict=True):
        services["fs"].pipe_file(url, pdf.read_bytes())
    return urls


def test_remote_raw_pdfs_run_and_are_sensed_like_local_files(services, reports, tmp_path, monkeypatch):
    import dagster as dg

    from assets.resources import StorageResource
    from assets.sensors import raw_pdf_sensor

    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    raw = tmp_path / "raw"
    (raw / "2024").mkdir(parents=True)
    shutil.copy(reports["a1"].path, raw / "2024" / "Annual Report.pdf")
    remote = f"s3://{services['bucket']}/raw"
    services["fs"].pipe_file(f"{remote}/2024/Annual Report.pdf", (raw / "2024" / "Annual Report.pdf").read_bytes())

    def tick(raw_dir: str, out: Path) -> list[tuple]:
        storage = StorageResource(raw_dir=raw_dir, output_dir=str(out))
        with dg.instance_for_test() as instance:
            context = dg.build_sensor_context(instance=instance, resources={"storage": storage})
            result = raw_pdf_sensor(context)
        return [(r.partition_key, r.tags["report-facts/file"], r.run_key) for r in result.run_requests]

    assert tick(remote, tmp_path / "sensed-remote") == tick(str(raw), tmp_path / "sensed-local")
    assert [key for key, *_ in tick(remote, tmp_path / "sensed-remote")] == ["annual-report"]

    local, from_s3 = tmp_path / "local", f"s3://{services['bucket']}/from-s3"
    assert cli.main(["run", str(raw), "--output-dir", str(local)]) == 0
    assert cli.main(["run", remote, "--output-dir", from_s3]) == 0  # a folder URL: sub-folders kept
    for table in TABLES:
        assert _rows(from_s3, table) == _rows(local, table), table
    assert _rows(local, "documents") and "'source_path': '2024/Annual Report.pdf'" in _rows(local, "documents")[0]


def test_submitted_documents_run_on_two_celery_workers(services, cluster, reports, tmp_path, monkeypatch, capsys):
    import dagster as dg

    pdfs = _sources(tmp_path, reports, ["a1", "a2", "b1"])
    url = f"s3://{services['bucket']}/queue"
    urls = _upload(services, pdfs, "raw")  # the workers read the PDFs from S3
    assert cli.main(["submit", *urls, "--output-dir", url]) == 0
    queued = capsys.readouterr().out
    assert queued.count(" queued ") == 3, queued

    cluster.worker("w1")
    cluster.worker("w2")
    cluster.daemon()
    runs = cluster.wait(3)
    assert [r.status for r in runs] == [dg.DagsterRunStatus.SUCCESS] * 3, cluster.logs()
    cluster.stop()
    for name in ("w1", "w2"):  # both workers executed runs
        assert "Task execute_job[" in (tmp_path / f"{name}.log").read_text(), cluster.logs()
    client = cluster.client

    local = tmp_path / "local"
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "local-dagster"))
    assert cli.main(["run", *map(str, pdfs), "--output-dir", str(local)]) == 0
    for table in TABLES:
        assert _rows(url, table) == _rows(local, table), table

    monkeypatch.setenv("DAGSTER_HOME", client["DAGSTER_HOME"])
    capsys.readouterr()
    assert cli.main(["submit", *urls, "--output-dir", url]) == 0
    again = capsys.readouterr().out
    assert again.count("unchanged") == 3 and " queued " not in again, again
    assert cli.main(["status", "--runs", "--output-dir", url]) == 0
    status = capsys.readouterr().out
    assert status.count("last run: SUCCESS") == 3, status


def test_a_run_killed_mid_commit_keeps_the_old_version_and_a_resubmit_completes(
    services, cluster, reports, tmp_path, capsys
):
    import dagster as dg

    from pipeline.commit import document_version
    from pipeline.ingest import sha256_of
    from pipeline.store import open_store
    from pipeline.writer import committed_version

    [pdf] = _sources(tmp_path, reports, ["a1"])
    url = f"s3://{services['bucket']}/killed"
    cluster.daemon()
    normal = cluster.worker("first")
    assert cli.main(["submit", str(pdf), "--output-dir", url]) == 0
    assert [r.status for r in cluster.wait(1)] == [dg.DagsterRunStatus.SUCCESS], cluster.logs()
    cluster.stop(normal)
    old = {table: _rows(url, table) for table in TABLES}

    shutil.copy(reports["b1"].path, pdf)  # a corrected re-issue: the same document, new bytes
    marker = tmp_path / "paused.pid"
    paused = cluster.worker("paused", REPORT_FACTS_PAUSE_AT_BOUNDARY="3", REPORT_FACTS_PAUSE_MARKER=str(marker))
    assert cli.main(["submit", str(pdf), "--output-dir", url]) == 0
    deadline = time.monotonic() + 600
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(1)
    assert marker.exists(), cluster.logs()
    time.sleep(0.5)
    os.kill(int(marker.read_text()), signal.SIGKILL)  # the step process, three tables into the commit
    runs = cluster.wait(2)
    assert runs[0].status == dg.DagsterRunStatus.FAILURE, cluster.logs()
    assert {table: _rows(url, table) for table in TABLES} == old  # readers still see the previous version
    cluster.stop(paused)

    cluster.worker("again")
    capsys.readouterr()
    assert cli.main(["submit", str(pdf), "--output-dir", url]) == 0
    assert " queued " in capsys.readouterr().out
    runs = cluster.wait(3)
    assert runs[0].status == dg.DagsterRunStatus.SUCCESS, cluster.logs()
    assert committed_version(open_store(url), "report-a1") == document_version(sha256_of(pdf))
    assert cli.main(["status", "--output-dir", url]) == 0


def test_a_worker_killed_mid_run_fails_the_run_and_a_resubmit_completes(services, cluster, reports, tmp_path, capsys):
    """The whole worker (the Celery process, the run, its step and reader processes) dies mid-commit:
    its Celery task stays STARTED, and only the worker heartbeat tells the daemon the run is dead."""
    import dagster as dg

    from pipeline.commit import document_version
    from pipeline.ingest import sha256_of
    from pipeline.store import open_store
    from pipeline.writer import committed_version

    [pdf] = _sources(tmp_path, reports, ["a1"])
    [source] = _upload(services, [pdf], "raw-worker-killed")
    url = f"s3://{services['bucket']}/worker-killed"
    cluster.daemon()
    normal = cluster.worker("first")
    assert cli.main(["submit", source, "--output-dir", url]) == 0
    assert [r.status for r in cluster.wait(1)] == [dg.DagsterRunStatus.SUCCESS], cluster.logs()
    cluster.stop(normal)
    old = {table: _rows(url, table) for table in TABLES}

    services["fs"].pipe_file(source, reports["b1"].path.read_bytes())  # a corrected re-issue, same URL
    marker = tmp_path / "paused.pid"
    doomed = cluster.worker("doomed", REPORT_FACTS_PAUSE_AT_BOUNDARY="3", REPORT_FACTS_PAUSE_MARKER=str(marker))
    assert cli.main(["submit", source, "--output-dir", url]) == 0
    deadline = time.monotonic() + 600
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(1)
    assert marker.exists(), cluster.logs()
    time.sleep(0.5)
    os.killpg(doomed.pid, signal.SIGKILL)  # every process of the worker, three tables into the commit
    doomed.wait()
    runs = cluster.wait(2)
    assert runs[0].status == dg.DagsterRunStatus.FAILURE, cluster.logs()
    assert {table: _rows(url, table) for table in TABLES} == old  # readers still see the previous version
    capsys.readouterr()
    cli.main(["status", "--runs", "--output-dir", url])
    status = capsys.readouterr().out
    assert "last run: FAILURE" in status and "no heartbeat" in status, status

    cluster.worker("again")
    assert cli.main(["submit", source, "--output-dir", url]) == 0
    assert " queued " in capsys.readouterr().out
    runs = cluster.wait(3)
    assert runs[0].status == dg.DagsterRunStatus.SUCCESS, cluster.logs()
    assert committed_version(open_store(url), "report-a1") == document_version(sha256_of(reports["b1"].path))
    assert cli.main(["status", "--output-dir", url]) == 0
