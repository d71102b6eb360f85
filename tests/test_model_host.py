"""The model host: work runs there when this process started one, here otherwise, with the same tables;
a host that cannot load the model or dies fails the call with the reason, and never outlives its owner."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.extract import DEFAULT_MODEL
from pipeline.extract import host as model_host
from pipeline.extract.facts import extract, load_nlp
from pipeline.extract.host import ModelHostError
from pipeline.extract.nlp import load_model
from pipeline.rows import text_blocks
from pipeline.schemas import TABLES
from pipeline.writer import read_partition
from report_facts import cli

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def host():
    """A model host of the default model, started by this process, stopped after the test."""
    model_host.start(DEFAULT_MODEL)
    yield model_host
    model_host.stop()


def _gone(pid: int, wait_seconds: float = 30.0) -> bool:
    """Whether process ``pid`` has ended (reaped or a zombie) within ``wait_seconds``."""
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().split(") ")[1].startswith("Z"):
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False


def _pid_in_fork(queue: multiprocessing.Queue) -> None:
    queue.put((os.getpid(), model_host.run("os:getpid")))


def _dies_leaving_a_child(pid_file: str) -> None:
    """Run in the host: fork a child that holds the host's end of the connection (as a model worker does), die."""
    if os.fork() == 0:
        Path(pid_file).write_text(str(os.getpid()))
        time.sleep(120)
        os._exit(0)
    while not Path(pid_file).exists():
        time.sleep(0.01)
    os._exit(3)


def test_without_a_host_the_work_runs_here() -> None:
    assert model_host.run("os:getpid") == os.getpid()


def test_work_runs_in_the_host_and_gives_what_it_gives_here(host, parsed) -> None:
    host_pid = host.run("os:getpid")
    assert host_pid != os.getpid()
    blocks = text_blocks(parsed["a1"].structure)
    assert host.run("pipeline.extract.facts:extract_with", blocks, DEFAULT_MODEL, 2) == extract(blocks, load_nlp())
    queue = multiprocessing.get_context("fork").Queue()
    child = multiprocessing.get_context("fork").Process(target=_pid_in_fork, args=(queue,))
    child.start()
    child_pid, ran_in = queue.get(timeout=60)
    child.join()
    assert ran_in == child_pid  # a process forked from the owner does not talk to its host
    assert host.run("os:getpid") == host_pid  # and the host still serves its owner


def test_the_fact_pipeline_shares_the_one_loaded_model() -> None:
    facts, whole = load_nlp(), load_model()
    assert facts.vocab is whole.vocab and facts.get_pipe("ner") is whole.get_pipe("ner")
    assert facts.pipe_names[:2] == ["sentencizer", "ner"] and "parser" in whole.pipe_names


def test_a_model_that_fails_to_load_fails_every_call_with_the_reason() -> None:
    model_host.start("no_such_spacy_model")
    try:
        with pytest.raises(ModelHostError, match=r"no_such_spacy_model.*failed to load"):
            model_host.run("pipeline.extract.facts:extract_with", [], "no_such_spacy_model", 1)
        with pytest.raises(ModelHostError, match="failed to load"):
            model_host.run("os:getpid")
    finally:
        model_host.stop()


def test_an_error_in_the_work_is_raised_here(host) -> None:
    with pytest.raises(ModelHostError, match="ZeroDivisionError"):
        host.run("operator:truediv", 1, 0)
    with pytest.raises(ModelHostError, match="cannot be sent"):
        host.run("importlib:import_module", "json")  # a module does not pickle
    assert host.run("operator:add", 1, 2) == 3  # the host lives on


def test_a_dead_host_fails_the_call_and_the_next_calls_run_here(host) -> None:
    host_pid = host.run("os:getpid")
    os.kill(host_pid, signal.SIGKILL)
    with pytest.raises(ModelHostError, match=r"exited \(code -9\)"):
        host.run("os:getpid")
    assert host.run("os:getpid") == os.getpid()


def test_a_host_that_dies_while_its_child_holds_the_connection_fails_the_call(host, tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    try:
        with pytest.raises(ModelHostError, match=r"exited \(code 3\)"):
            host.run("tests.test_model_host:_dies_leaving_a_child", str(pid_file))
        assert not _gone(int(pid_file.read_text()), wait_seconds=0)  # the error did not wait for the child
    finally:
        os.kill(int(pid_file.read_text()), signal.SIGKILL)


def test_the_host_ends_with_its_owner_even_when_the_owner_is_killed(tmp_path: Path) -> None:
    script = (
        "import os, sys, time\n"
        "from pipeline.extract import host\n"
        "host.start(sys.argv[1])\n"
        "print(host.run('os:getpid'), flush=True)\n"
        "if sys.argv[2] == 'kill':\n"
        "    child = os.fork() or time.sleep(600)  # a forked child keeps the owner's end of the connection open\n"
        "    print(child, flush=True)\n"
        "    os.kill(os.getpid(), 9)\n"
    )
    for how in ("exit", "kill"):
        proc = subprocess.Popen(
            [sys.executable, "-c", script, DEFAULT_MODEL, how], cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        host_pid = int(proc.stdout.readline())
        child = int(proc.stdout.readline()) if how == "kill" else None
        proc.wait()
        try:
            assert _gone(host_pid), how
        finally:
            if child is not None:
                os.kill(child, signal.SIGKILL)


def test_the_command_line_runs_the_model_in_its_host_with_the_tables_of_one_process(
    tmp_path: Path, reports, monkeypatch
) -> None:
    (tmp_path / "one").mkdir()
    pdf = Path(shutil.copy(reports["b1"].path, tmp_path / "one" / "report.pdf"))
    tables = set(TABLES) - {"ingest_errors"}
    outputs = {}
    for processes in ("1", "2"):  # one PDF: the host; a folder of one PDF on two processes: the model in-process
        monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / f"dagster-{processes}"))
        out = tmp_path / f"out-{processes}"
        target = pdf if processes == "1" else pdf.parent
        assert cli.main(["run", str(target), "--output-dir", str(out), "--processes", processes]) == 0
        assert model_host._host is None  # the command stopped its host
        outputs[processes] = out
    (key,) = [p.name.removeprefix("document_id=") for p in (outputs["1"] / "documents").iterdir()]
    for table in tables:
        one, two = (read_partition(outputs[p], table, key) for p in ("1", "2"))
        assert (one is None) == (two is None), table
        assert one is None or one.equals(two), table


def test_a_model_that_fails_to_load_fails_the_document_naming_it(tmp_path: Path, reports) -> None:
    env = {**os.environ, "REPORT_FACTS_MODEL": "no_such_spacy_model", "DAGSTER_HOME": str(tmp_path / "dagster")}
    proc = subprocess.run(
        [sys.executable, "-m", "report_facts.cli", "run", str(reports["a1"].path), "--output-dir", str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 1
    errors = [line for line in proc.stdout.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and "no_such_spacy_model" in errors[0] and "failed to load" in errors[0], proc.stdout
