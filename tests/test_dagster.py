"""Dagster layer: the sensor on raw/ (new, changed, unchanged files) and a real materialize of one partition."""

import json
import shutil
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest

from assets.definitions import ALL_ASSETS, defs, resources
from assets.partitions import documents_partitions
from assets.resources import StorageResource
from assets.sensors import raw_pdf_sensor
from pipeline.ids import document_key
from pipeline.schemas import TABLES


def _tick(instance: dg.DagsterInstance, raw: Path, cursor: str | None) -> dg.SensorResult:
    storage = StorageResource(raw_dir=str(raw), output_dir=str(raw.parent / "out"))
    context = dg.build_sensor_context(instance=instance, cursor=cursor, resources={"storage": storage})
    return raw_pdf_sensor(context)


def test_sensor_new_unchanged_and_changed_files(tmp_path: Path, reports) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(reports["a1"].path, raw / "Report One.pdf")
    with dg.instance_for_test() as instance:
        first = _tick(instance, raw, None)
        assert [r.partition_key for r in first.run_requests] == ["report-one"]
        assert first.dynamic_partitions_requests[0].partition_keys == ["report-one"]
        run_key = first.run_requests[0].run_key
        assert run_key.startswith("report-one:")
        assert run_key.endswith(json.loads(first.cursor)["Report One.pdf"][2])

        unchanged = _tick(instance, raw, first.cursor)
        assert unchanged.run_requests == []
        assert unchanged.skip_reason is not None

        shutil.copy(reports["b1"].path, raw / "Report One.pdf")  # a corrected re-issue replaces the file
        changed = _tick(instance, raw, unchanged.cursor)
        assert [r.partition_key for r in changed.run_requests] == ["report-one"]
        assert changed.run_requests[0].run_key != run_key

        shutil.copy(reports["a2"].path, raw / "Report One.pdf")  # the next edition overwrites it: a new document
        edition = _tick(instance, raw, changed.cursor)
        assert [r.partition_key for r in edition.run_requests] == ["report-one-march-2026"]
        changed = edition

        shutil.copy(reports["b2"].path, raw / "second.PDF")
        both = _tick(instance, raw, changed.cursor)
        assert [r.partition_key for r in both.run_requests] == ["second"]
        config = both.run_requests[0].run_config["ops"]["raw_pdf"]["config"]
        assert Path(config["path"]).name == "second.PDF"


def test_sensor_touch_without_content_change_does_not_rerun(tmp_path: Path, reports) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    pdf = raw / "doc.pdf"
    shutil.copy(reports["a1"].path, pdf)
    with dg.instance_for_test() as instance:
        first = _tick(instance, raw, None)
        pdf.touch()
        pdf.write_bytes(pdf.read_bytes())
        again = _tick(instance, raw, first.cursor)
        assert again.run_requests == []


def test_sensor_skips_a_file_the_cli_already_processed(tmp_path: Path, reports) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(reports["a1"].path, raw / "doc.pdf")
    with dg.instance_for_test() as instance:
        digest = json.loads(_tick(instance, raw, None).cursor)["doc.pdf"][2]
        # what a CLI run leaves on the instance: raw_pdf with the file's hash, then the last asset
        instance.report_runless_asset_event(
            dg.AssetMaterialization("raw_pdf", partition="doc", metadata={"sha256": digest})
        )
        half_done = _tick(instance, raw, None)
        assert [r.partition_key for r in half_done.run_requests] == ["doc"]  # not through to the end: run it
        instance.report_runless_asset_event(dg.AssetMaterialization("edition_changes", partition="doc"))
        fresh_start = _tick(instance, raw, None)  # dagster dev starting: empty cursor
        assert fresh_start.run_requests == []
        shutil.copy(reports["a2"].path, raw / "doc.pdf")  # the next edition over the same file
        changed = _tick(instance, raw, fresh_start.cursor)
        assert [r.partition_key for r in changed.run_requests] == ["doc-march-2026"]


def test_definitions_load() -> None:
    keys = {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
    assert set(TABLES) <= keys
    assert {"raw_pdf", "document_layout"} <= keys


@pytest.fixture(scope="module")
def materialized(tmp_path_factory, reports):
    """All assets of one partition materialized through Dagster, into a temporary output folder."""
    out = tmp_path_factory.mktemp("output")
    pdf = reports["a1"].path
    key = document_key(pdf.name)
    result = _materialize(key, pdf, out)
    assert result.success
    return out, key, result, pdf


def _materialize(key: str, pdf: Path, out: Path) -> dg.ExecuteInProcessResult:
    """Every asset of one document partition, in a throwaway instance, writing to ``out``."""
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions(documents_partitions.name, [key])
        return dg.materialize(
            ALL_ASSETS,
            partition_key=key,
            instance=instance,
            raise_on_error=False,
            resources=resources(output_dir=str(out), raw_dir=str(pdf.parent)),
            run_config={"ops": {"raw_pdf": {"config": {"path": str(pdf)}}}},
        )


def test_materialize_writes_every_contract_table(materialized) -> None:
    out, key, _, _ = materialized
    for table, schema in TABLES.items():
        if table == "ingest_errors":
            continue
        df = pd.read_parquet(out / table)
        assert set(schema.names) <= set(df.columns), table
        assert (df["document_id"].astype(str) == key).all()
    assert len(pd.read_parquet(out / "blocks")) > 50
    mentions = pd.read_parquet(out / "mentions")
    assert len(mentions) > 20
    assert mentions["boxes"].map(len).gt(0).all()  # every fact located on its page


def test_ingest_errors_is_materialized_by_the_layout_steps(materialized) -> None:
    _, key, result, _ = materialized
    events = [e for e in result.get_asset_materialization_events() if e.asset_key.to_user_string() == "ingest_errors"]
    assert [e.partition for e in events] == [key]


def test_materializations_carry_row_count_and_preview_and_the_definition_the_schema(materialized) -> None:
    _, _, result, _ = materialized
    by_key = {m.asset_key.to_user_string(): m for m in result.asset_materializations_for_node("structure_tables_asset")}
    blocks = by_key["blocks"]
    assert blocks.metadata["dagster/row_count"].value > 50
    assert "|" in blocks.metadata["preview"].value
    assert "dagster/column_schema" not in blocks.metadata  # fixed by the contract: on the definition only
    spec = defs.resolve_asset_graph().get(dg.AssetKey("blocks"))
    assert "text" in [c.name for c in spec.metadata["dagster/column_schema"].columns]


def test_asset_checks_run_and_pass(materialized) -> None:
    _, _, result, _ = materialized
    evaluations = result.get_asset_check_evaluations()
    names = {e.check_name for e in evaluations}
    assert {
        "characters_accounted",
        "footnote_sequence",
        "headings_match_toc",
        "section_tree",
        "offsets_round_trip",
        "currency_and_value",
        "start_before_end",
        "flows_join_amounts",
        "parties_resolve",
        "period_start_before_end",
    } <= names
    assert all(e.passed for e in evaluations), [e.check_name for e in evaluations if not e.passed]


def test_failing_blocking_check_keeps_previous_output(materialized, monkeypatch) -> None:
    out, key, _, pdf = materialized
    before = pd.read_parquet(out / "dates")
    from pipeline import checks

    monkeypatch.setattr(checks, "dates_ordered", lambda dates: checks.CheckOutcome(False, "forced failure"))
    result = _materialize(key, pdf, out)
    assert not result.success
    failed = [e for e in result.get_asset_check_evaluations() if not e.passed]
    assert [e.check_name for e in failed] == ["start_before_end"]
    assert pd.read_parquet(out / "dates").equals(before)


def test_multiprocess_runs_in_parallel_write_the_in_process_tables(
    materialized, reports, tmp_path, monkeypatch
) -> None:
    """Steps in forkserver processes, two documents at once with the cores shared out: same tables."""
    from pipeline.writer import read_partition
    from report_facts import cli

    reference, key, _, pdf = materialized
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(pdf, raw / pdf.name)
    shutil.copy(reports["b1"].path, raw / "other.pdf")
    out = tmp_path / "out"
    assert cli.main(["run", str(raw), "--executor", "multiprocess", "--parallel", "2", "--output-dir", str(out)]) == 0
    assert sorted(pd.read_parquet(out / "documents")["document_id"].astype(str)) == sorted([key, "other"])
    for table in set(TABLES) - {"ingest_errors", "edition_changes"}:
        assert read_partition(out, table, key).equals(read_partition(reference, table, key)), table


def test_sensor_skips_a_file_already_queued_by_submit(tmp_path: Path, reports) -> None:
    from dagster._core.storage.dagster_run import DagsterRun

    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(reports["a1"].path, raw / "doc.pdf")
    with dg.instance_for_test() as instance:
        digest = json.loads(_tick(instance, raw, None).cursor)["doc.pdf"][2]
        tags = {"dagster/partition": "doc", "report-facts/sha256": digest}
        run = DagsterRun(job_name="process_document", status=dg.DagsterRunStatus.STARTED, tags=tags)
        instance.add_run(run)
        assert _tick(instance, raw, None).run_requests == []  # a run of `report-facts submit` is on it
        instance.report_run_failed(run)
        assert [r.partition_key for r in _tick(instance, raw, None).run_requests] == ["doc"]
