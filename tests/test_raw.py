"""Raw PDFs by URL (``pipeline.raw``): listed, named and keyed like local files, read through a local cache.

fsspec's in-memory filesystem (``memory://``) stands in for an object store here; the
distributed tests do the same against the S3 endpoint of ``make services``.
"""

import json
import shutil
import uuid
from pathlib import Path

import dagster as dg
import fsspec
import pytest

from assets.resources import StorageResource
from assets.sensors import raw_pdf_sensor
from pipeline import raw
from pipeline.ingest import sha256_of
from report_facts.cli import collect_pdfs


@pytest.fixture
def remote(tmp_path, monkeypatch):
    """A fresh ``memory://`` root and a private cache folder."""
    monkeypatch.setenv(raw.CACHE_ENV, str(tmp_path / "cache"))
    url = f"memory://raw-{uuid.uuid4().hex[:8]}"
    fs = fsspec.filesystem("memory")
    yield url, fs
    fs.rm(url.removeprefix("memory://"), recursive=True)


def _put(fs, url: str, relative: str, source: Path) -> None:
    fs.pipe_file(f"{url.removeprefix('memory://')}/{relative}", source.read_bytes())


def _layout(reports, local: Path, url: str, fs) -> None:
    files = {"Report One.pdf": "a1", "2024/annual.pdf": "b1", "2024/.hidden/skip.pdf": "a2", "notes.txt": "a2"}
    for relative, key in files.items():
        (local / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(reports[key].path, local / relative)
        _put(fs, url, relative, reports[key].path)


def test_a_remote_folder_lists_like_a_local_one(reports, tmp_path, remote):
    url, fs = remote
    _layout(reports, tmp_path / "local", url, fs)
    local, found = raw.list_pdfs(tmp_path / "local"), raw.list_pdfs(url)
    assert [f.relative for f in found] == [f.relative for f in local] == ["2024/annual.pdf", "Report One.pdf"]
    assert [f.size for f in found] == [f.size for f in local]
    assert [f.location for f in found] == [f"{url}/2024/annual.pdf", f"{url}/Report One.pdf"]
    assert raw.is_dir(url) and raw.is_file(found[0].location) and not raw.is_file(f"{url}/missing.pdf")
    assert raw.relative_to(found[0].location, url) == "2024/annual.pdf"
    assert raw.relative_to(found[0].location, tmp_path) == "annual.pdf"  # not under that root: the file name
    assert raw.list_pdfs(f"{url}/nothing-here") == []


def test_local_copy_is_cached_and_follows_a_changed_object(reports, tmp_path, remote):
    url, fs = remote
    _put(fs, url, "r.pdf", reports["a1"].path)
    first = raw.local_copy(f"{url}/r.pdf")
    assert first.name == "r.pdf" and first.read_bytes() == reports["a1"].path.read_bytes()
    assert raw.local_copy(f"{url}/r.pdf") == first
    _put(fs, url, "r.pdf", reports["b1"].path)  # a replaced object: a new copy, never the stale one
    second = raw.local_copy(f"{url}/r.pdf")
    assert second != first and second.read_bytes() == reports["b1"].path.read_bytes()
    with pytest.raises(FileNotFoundError):
        raw.local_copy(f"{url}/missing.pdf")
    assert raw.local_copy(tmp_path / "x.pdf") == tmp_path / "x.pdf"  # a local path is used where it is


def test_the_cache_keeps_to_its_budget_dropping_the_least_recently_used(reports, remote, monkeypatch):
    url, fs = remote
    size = reports["a1"].path.stat().st_size
    monkeypatch.setenv(raw.CACHE_MB_ENV, str(2.5 * size / (1024 * 1024)))  # room for two copies
    names = ["one.pdf", "two.pdf", "three.pdf", "four.pdf"]
    for name in names:
        _put(fs, url, name, reports["a1"].path)
    copies = [raw.local_copy(f"{url}/{name}") for name in names[:3]]
    raw.local_copy(f"{url}/{names[1]}")  # used again: now the most recent of the older ones
    copies.append(raw.local_copy(f"{url}/{names[3]}"))
    assert [p.exists() for p in copies] == [False, True, False, True]


def _tick(instance, raw_dir: str, out: Path, cursor: str | None) -> dg.SensorResult:
    storage = StorageResource(raw_dir=raw_dir, output_dir=str(out))
    return raw_pdf_sensor(dg.build_sensor_context(instance=instance, cursor=cursor, resources={"storage": storage}))


def _requests(result: dg.SensorResult) -> list[tuple]:
    return [
        (
            r.partition_key,
            r.run_key,
            r.tags["report-facts/file"],
            r.run_config["ops"]["raw_pdf"]["config"]["source_path"],
        )
        for r in result.run_requests
    ]


def test_the_sensor_keys_remote_files_like_local_ones(reports, tmp_path, remote):
    url, fs = remote
    _layout(reports, tmp_path / "local", url, fs)
    with dg.instance_for_test() as instance:
        local = _tick(instance, str(tmp_path / "local"), tmp_path / "out-local", None)
    with dg.instance_for_test() as instance:
        first = _tick(instance, url, tmp_path / "out-remote", None)
        assert _requests(first) == _requests(local)
        assert [k for k, *_ in _requests(first)] == ["annual", "report-one"]
        paths = [r.run_config["ops"]["raw_pdf"]["config"]["path"] for r in first.run_requests]
        assert paths == [f"{url}/2024/annual.pdf", f"{url}/Report One.pdf"]

        unchanged = _tick(instance, url, tmp_path / "out-remote", first.cursor)
        assert unchanged.run_requests == []
        _put(fs, url, "Report One.pdf", reports["a2"].path)  # the next edition over the same object
        changed = _tick(instance, url, tmp_path / "out-remote", unchanged.cursor)
        assert [r.partition_key for r in changed.run_requests] == ["report-one-march-2026"]
        assert json.loads(changed.cursor)["Report One.pdf"][2] == sha256_of(reports["a2"].path)


def test_the_command_line_collects_remote_folders_and_files(reports, tmp_path, remote):
    url, fs = remote
    _layout(reports, tmp_path / "local", url, fs)
    assert [(s.path, s.relative) for s in collect_pdfs([url])] == [
        (f"{url}/2024/annual.pdf", "2024/annual.pdf"),
        (f"{url}/Report One.pdf", "Report One.pdf"),
    ]
    assert [(s.path, s.relative) for s in collect_pdfs([f"{url}/2024/annual.pdf"])] == [
        (f"{url}/2024/annual.pdf", "annual.pdf")
    ]


def test_a_tick_hashes_within_its_budget_and_the_next_tick_takes_up_the_rest(reports, tmp_path, remote):
    from assets.sensors import scan

    url, fs = remote
    _layout(reports, tmp_path / "local", url, fs)
    state, changed = scan(url, {}, budget_seconds=0)  # spent after the first file
    assert [f.relative for f in changed] == ["2024/annual.pdf"] and list(state) == ["2024/annual.pdf"]
    state, changed = scan(url, state, budget_seconds=0)
    assert [f.relative for f in changed] == ["Report One.pdf"] and sorted(state) == [
        "2024/annual.pdf",
        "Report One.pdf",
    ]
    assert scan(url, state, budget_seconds=0)[1] == []
