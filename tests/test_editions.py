"""Editions: series recognition, stable ids across editions, the change list, ``report-facts diff``."""

import shutil
from pathlib import Path

import pandas as pd
import pytest

from report_facts import cli


def _expected(report) -> set[tuple[str, str, str | None, str | None]]:
    """The generator's own record of what it changed between the editions."""
    out = set()
    for c in report.edition_changes:

        def text(v):
            if v is None or isinstance(v, str):
                return v
            return f"{v['number']} {v['title']}" if "title" in v else v["text"]

        out.add((c["kind"], c["object"], text(c["old"]), text(c["new"])))
    return out


@pytest.fixture(scope="module")
def processed(tmp_path_factory, reports):
    root = tmp_path_factory.mktemp("editions")
    mp = pytest.MonkeyPatch()
    mp.setenv("DAGSTER_HOME", str(root / "dagster"))
    raw = root / "raw"
    raw.mkdir()
    # the newer edition is processed first: which one is "previous" comes from the documents, not the order
    shutil.copy(reports["a2"].path, raw / "veldoria-landscape-second.pdf")
    out = root / "out"
    assert cli.main(["run", str(raw), "--output-dir", str(out)]) == 0
    shutil.copy(reports["a1"].path, raw / "veldoria-landscape-first.pdf")
    assert cli.main(["run", str(raw / "veldoria-landscape-first.pdf"), "--output-dir", str(out)]) == 0
    yield out
    mp.undo()


def test_editions_form_one_series_with_their_dates(processed: Path) -> None:
    docs = pd.read_parquet(processed / "documents").set_index("document_id")
    assert docs.loc["veldoria-landscape-first", "edition"] == "March 2025"
    assert docs.loc["veldoria-landscape-second", "edition"] == "March 2026"
    assert docs["series_id"].nunique() == 1


def test_change_list_is_exactly_what_changed(processed: Path, reports) -> None:
    changes = pd.read_parquet(processed / "edition_changes")
    newer = changes[changes["document_id"] == "veldoria-landscape-second"]
    assert set(newer["previous_document_id"]) == {"veldoria-landscape-first"}
    newer = newer.astype(object).where(newer.notna(), None)
    got = {(r.kind, r.object, r.old_value, r.new_value) for r in newer.itertuples()}
    assert got == _expected(reports["a2"])
    assert changes[changes["document_id"] == "veldoria-landscape-first"].empty


def test_unchanged_content_keeps_its_ids(processed: Path) -> None:
    sections = pd.read_parquet(processed / "sections")
    first = sections[sections["document_id"] == "veldoria-landscape-first"].set_index("title")
    second = sections[sections["document_id"] == "veldoria-landscape-second"].set_index("title")
    renumbered = "Regional Development Agencies"
    assert first.loc[renumbered, "number"] != second.loc[renumbered, "number"]
    assert first.loc[renumbered, "section_id"] == second.loc[renumbered, "section_id"]
    common = first.index.intersection(second.index)
    assert (first.loc[common, "section_id"] == second.loc[common, "section_id"]).all()
    blocks = pd.read_parquet(processed / "blocks")
    ids = blocks.groupby("document_id", observed=True)["block_id"].apply(set)
    assert len(ids["veldoria-landscape-first"] & ids["veldoria-landscape-second"]) > 0.8 * len(
        ids["veldoria-landscape-first"]
    )
    orgs = pd.read_parquet(processed / "organizations")
    by_doc = orgs.groupby("document_id", observed=True)["entity_id"].apply(set)
    assert len(by_doc["veldoria-landscape-first"] & by_doc["veldoria-landscape-second"]) >= 0.9 * len(
        by_doc["veldoria-landscape-first"]
    )


def test_diff_command_prints_the_changes(processed: Path, capsys) -> None:
    code = cli.main(["diff", "veldoria-landscape-first", "veldoria-landscape-second", "--output-dir", str(processed)])
    assert code == 0
    printed = capsys.readouterr().out
    assert printed.startswith("8 changes from veldoria-landscape-first to veldoria-landscape-second")
    assert (
        "renumbered" in printed and "(4) Regional Development Agencies -> (3) Regional Development Agencies" in printed
    )


def test_figures_of_an_added_paragraph_are_named_and_dates_are_iso(processed: Path) -> None:
    changes = pd.read_parquet(processed / "edition_changes")
    newer = changes[changes["document_id"] == "veldoria-landscape-second"]
    added = newer[(newer["kind"] == "added") & newer["object"].isin(["amount", "date"])]
    assert set(zip(added["object"], added["new_value"], strict=True)) == {
        ("amount", "EUR 1.2 million"),
        ("date", "2025-06"),
    }
    assert all(d.startswith("in the added paragraph") for d in added["detail"])
    publication = newer[(newer["kind"] == "changed") & (newer["object"] == "date")]
    assert ("2025-03", "2026-03") in set(zip(publication["old_value"], publication["new_value"], strict=True))
    assert "printed: March 2025 -> March 2026" in set(publication["detail"])
