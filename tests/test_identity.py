"""Document identity: editions, re-issues and unrelated files whose names slug alike, by every arrival path."""

import shutil
from pathlib import Path

import dagster as dg
import pandas as pd
import pyarrow as pa
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from assets.definitions import ALL_ASSETS, resources
from assets.resources import StorageResource
from assets.sensors import raw_pdf_sensor
from pipeline.identity import Cover, Registry, read_cover
from report_facts import cli
from tests.test_editions import _expected


def test_cover_tells_editions_and_reissues_apart(reports) -> None:
    a1, a2, b1 = (read_cover(reports[k].path) for k in ("a1", "a2", "b1"))
    assert a1.series == a2.series == b1.series
    assert (a1.edition, a2.edition, b1.edition) == ("March 2025", "March 2026", "March 2025")


def test_cover_lines_are_pdfplumbers_text_lines_of_the_page(reports, tmp_path: Path) -> None:
    import pdfplumber

    from pipeline.chars_pdfplumber import text_chars
    from pipeline.identity import cover_lines

    notice = tmp_path / "notice.pdf"
    c = canvas.Canvas(str(notice), pagesize=A4)
    c.setFont("Helvetica-Bold", 19.96)  # a size our characters round: the cover keeps it exact
    c.drawString(72, 760, "Harbour Notice")
    c.setFont("Helvetica", 11)
    c.drawString(72, 740, "Issued in March 2025 by the Orvan Harbour Authority")
    c.rotate(90)
    c.drawString(300, -40, "rotated margin note")
    c.save()
    for path in [notice, *(reports[k].path for k in ("a1", "b1", "e1"))]:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages[:2]:
                expected = [(ln["text"], max(ch["size"] for ch in ln["chars"])) for ln in page.extract_text_lines()]
                assert cover_lines(text_chars(page)) == expected, (path.name, page.page_number)
    assert cover_lines([]) == []


def test_assignment_rules_and_stability() -> None:
    report, notice = "series-report", "series-notice"

    def assign_all() -> list:
        registry = Registry([])
        return [
            registry.assign("report.pdf", "2025/report.pdf", "h1", Cover(report, "March 2025")),
            registry.assign("report.pdf", "2025/report.pdf", "h1", Cover(report, "March 2025")),  # same bytes
            registry.assign("report.pdf", "2026/report.pdf", "h2", Cover(report, "March 2026")),  # next edition
            registry.assign("Report.pdf", "fixed/Report.pdf", "h3", Cover(report, "March 2025")),  # corrected re-issue
            registry.assign("REPORT.pdf", "REPORT.pdf", "h4", Cover(notice, "May 2025")),  # unrelated, same slug
            registry.assign("renamed.pdf", "renamed.pdf", "h2", Cover(report, "March 2026")),  # bytes seen before
        ]

    first = assign_all()
    assert [(a.document_id, a.kind) for a in first[:4]] == [
        ("report", "new"),
        ("report", "same"),
        ("report-march-2026", "edition"),
        ("report", "version"),
    ]
    assert first[4].kind == "collision" and first[4].document_id.startswith("report-") and first[4].warning
    assert first[4].document_id not in {"report", "report-march-2026"}
    assert first[5].document_id == "report-march-2026"
    assert [a.document_id for a in assign_all()] == [a.document_id for a in first]  # same files, same ids


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("DAGSTER_HOME", str(tmp_path_factory.mktemp("dagster")))
    yield
    mp.undo()


def _documents(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out / "documents").astype({"document_id": str}).set_index("document_id")


def _assert_two_editions(out: Path, reports, sources: tuple[str, str]) -> None:
    docs = _documents(out)
    assert sorted(docs.index) == ["report", "report-march-2026"]
    assert list(docs.loc[["report", "report-march-2026"], "edition"]) == ["March 2025", "March 2026"]
    assert list(docs.loc[["report", "report-march-2026"], "source_path"]) == list(sources)
    changes = pd.read_parquet(out / "edition_changes").astype({"document_id": str})
    newer = changes[changes["document_id"] == "report-march-2026"]
    assert set(newer["previous_document_id"]) == {"report"}
    newer = newer.astype(object).where(newer.notna(), None)
    assert {(r.kind, r.object, r.old_value, r.new_value) for r in newer.itertuples()} == _expected(reports["a2"])
    assert changes[changes["document_id"] == "report"].empty


def test_same_name_in_another_folder_is_a_new_edition(tmp_path: Path, reports, home) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    (raw / "2025").mkdir(parents=True)
    shutil.copy(reports["a1"].path, raw / "2025" / "report.pdf")
    assert cli.main(["run", str(raw), "--output-dir", str(out)]) == 0
    (raw / "2026").mkdir()
    shutil.copy(reports["a2"].path, raw / "2026" / "report.pdf")
    assert cli.main(["run", str(raw), "--output-dir", str(out)]) == 0  # walks sub-folders; 2025 is unchanged
    _assert_two_editions(out, reports, ("2025/report.pdf", "2026/report.pdf"))


def test_file_overwritten_with_the_next_edition_through_the_cli(tmp_path: Path, reports, home) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    shutil.copy(reports["a1"].path, raw / "report.pdf")
    assert cli.main(["run", str(raw), "--output-dir", str(out)]) == 0
    shutil.copy(reports["a2"].path, raw / "report.pdf")
    assert cli.main(["run", str(raw), "--output-dir", str(out)]) == 0
    _assert_two_editions(out, reports, ("report.pdf", "report.pdf"))


def test_file_overwritten_with_the_next_edition_through_the_sensor(tmp_path: Path, reports) -> None:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    storage = {"raw_dir": str(raw), "output_dir": str(out)}
    cursor = None
    with dg.instance_for_test() as instance:
        for edition in ("a1", "a2"):
            shutil.copy(reports[edition].path, raw / "report.pdf")
            tick = raw_pdf_sensor(
                dg.build_sensor_context(
                    instance=instance, cursor=cursor, resources={"storage": StorageResource(**storage)}
                )
            )
            cursor = tick.cursor
            assert len(tick.run_requests) == 1
            request = tick.run_requests[0]
            instance.add_dynamic_partitions("documents", [request.partition_key])
            result = dg.materialize(
                ALL_ASSETS,
                partition_key=request.partition_key,
                instance=instance,
                resources=resources(**storage),
                run_config=request.run_config,
            )
            assert result.success
    _assert_two_editions(out, reports, ("report.pdf", "report.pdf"))


def _notice(path: Path) -> Path:
    """An unrelated two-page notice (our own text) for the name collision."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setTitle("Notice on Harbour Dues of the Port of Ostrel")
    for page in (1, 2):
        y = 780
        if page == 1:
            c.setFont("Helvetica-Bold", 18)
            c.drawString(72, y, "Notice on Harbour Dues of the Port of Ostrel")
            y -= 40
        c.setFont("Helvetica", 11)
        for i in range(12):
            c.drawString(
                72, y, f"Paragraph {page}.{i}: the Ostrel Port Board revised the dues on 4 June 2024 by $12,000."
            )
            y -= 18
        c.showPage()
    c.save()
    return path


def test_unrelated_files_whose_names_slug_alike_both_stay(tmp_path: Path, reports, home, capsys) -> None:
    out = tmp_path / "out"
    first = tmp_path / "one" / "Report 2024.pdf"
    first.parent.mkdir()
    shutil.copy(reports["b1"].path, first)
    assert cli.main(["run", str(first), "--output-dir", str(out)]) == 0
    before = {t: pd.read_parquet(out / t) for t in ("blocks", "mentions", "dates")}
    second = _notice(tmp_path / "two" / "report-2024.pdf") if (tmp_path / "two").mkdir() is None else None
    assert cli.main(["run", str(second), "--output-dir", str(out)]) == 0
    assert "warning:" in capsys.readouterr().err
    docs = _documents(out)
    assert len(docs) == 2 and "report-2024" in docs.index
    other = next(i for i in docs.index if i != "report-2024")
    assert other.startswith("report-2024-")
    assert docs.loc[other, "file_name"] == "report-2024.pdf"
    for table, df in before.items():
        now = pd.read_parquet(out / table).astype({"document_id": str})
        kept = now[now["document_id"] == "report-2024"].reset_index(drop=True)
        old = pa.Table.from_pandas(df.drop(columns="document_id").reset_index(drop=True), preserve_index=False)
        assert pa.Table.from_pandas(kept.drop(columns="document_id"), preserve_index=False).equals(old), table
        assert (now["document_id"] == other).any(), table
