"""The commit protocol on an object store (fsspec's in-memory file system: no rename, whole-object puts).

The same commits on a local folder and on ``memory://`` leave the same keys and the same bytes, and a
URL stays a URL on its way through the resources (``Path("s3://b/x")`` would have become a folder).
"""

import uuid

import pytest

from assets.resources import StorageResource
from pipeline import commit as protocol
from pipeline.schemas import to_arrow
from pipeline.store import FsspecStore, LocalStore, as_location, is_url, lock_root, open_store
from pipeline.writer import committed_version, partition_dir, read_table

pytest.importorskip("fsspec")


def _tables(words: list[str]) -> dict:
    tables = {name: to_arrow(name, []) for name in protocol.COMMITTED_TABLES}
    tables["documents"] = to_arrow("documents", [{"file_name": "r.pdf", "sha256": "x", "page_count": 1}])
    tables["pages"] = to_arrow("pages", [{"page": 1, "page_label": "1"}])
    tables["blocks"] = to_arrow("blocks", [{"block_id": f"b{i}", "page": 1, "text": w} for i, w in enumerate(words)])
    return tables


@pytest.fixture
def url() -> str:
    return f"memory://report-facts-{uuid.uuid4().hex}/out"


def test_url_is_kept_and_chooses_the_object_store(url, tmp_path):
    assert is_url(url) and not is_url(str(tmp_path)) and not is_url(tmp_path)
    assert as_location(url) == url
    assert isinstance(open_store(url), FsspecStore)
    assert isinstance(open_store(tmp_path), LocalStore)
    assert StorageResource(output_dir=url).output_path() == url
    assert partition_dir(url, "blocks", "doc") == f"{url}/blocks/document_id=doc"
    assert lock_root(url) != lock_root(url + "2") and not str(lock_root(url)).startswith("memory")


def test_store_operations(url):
    store = open_store(url)
    assert store.get("a/b.bin") is None and store.list("a") == []
    store.put("a/b.bin", b"1")
    store.put("a/c/d.bin", b"2")
    store.put("a/b.bin", b"3")
    assert store.get("a/b.bin") == b"3"
    assert store.list("a") == ["a/b.bin", "a/c/d.bin"]
    store.delete("a/b.bin")
    store.delete("a/b.bin")  # missing: not an error
    assert store.list("a") == ["a/c/d.bin"]
    with pytest.raises(ValueError):
        store.get("../escape")


def test_commit_on_an_object_store_equals_the_local_one(url, tmp_path):
    stores = {"local": open_store(tmp_path), "object": open_store(url)}
    for store in stores.values():
        protocol.commit(store, "doc", "v1", _tables(["old"]), on_boundary=lambda _: None)
        protocol.commit(store, "doc", "v2", _tables(["new", "words"]), on_boundary=lambda _: None)
    local, remote = stores["local"], stores["object"]
    for table in protocol.COMMITTED_TABLES:
        assert remote.list(table) == local.list(table)
        for key in local.list(table):
            assert remote.get(key) == local.get(key)
    assert committed_version(remote, "doc") == "v2"
    assert remote.list(protocol.JOURNAL) == []
    assert [s.problems for s in protocol.status(remote)] == [[]]
    assert read_table(url, "blocks").column("text").to_pylist() == ["new", "words"]


def test_crash_before_the_switch_rolls_back_on_the_object_store(url):
    store = open_store(url)
    protocol.commit(store, "doc", "v1", _tables(["old"]), on_boundary=lambda _: None)

    def crash(boundary: int) -> None:
        if boundary == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        protocol.commit(store, "doc", "v2", _tables(["new"]), on_boundary=crash)
    assert read_table(url, "blocks").column("text").to_pylist() == ["old"]  # a joining reader: old everywhere
    assert protocol.recover(store, url, only=protocol.recoverable(url, ["other"])) == []  # not this run's document
    assert protocol.recover(store, url, only=protocol.recoverable(url, ["doc"])) == [
        "doc: rolled back version v2, kept version v1"
    ]
    assert [s.problems for s in protocol.status(store)] == [[]]
