"""``report-facts``: process PDFs through the Dagster asset graph, print what came out.

``run`` registers each document as a partition of the persistent instance and
materializes every asset for it in-process, one document after the other; a
document that fails is reported with its reason and the others still go through.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from assets.resources import PROJECT_ROOT

SUMMARY_TABLES = [
    "pages",
    "blocks",
    "sections",
    "footnotes",
    "tables",
    "mentions",
    "organizations",
    "people",
    "amounts",
    "dates",
]


@dataclass
class Outcome:
    path: Path
    document_id: str
    ok: bool
    seconds: float
    counts: dict[str, int]
    error: str | None = None


def collect_pdfs(paths: list[str]) -> list[Path]:
    """PDF files named directly or found (non-recursively) in named folders, in a stable order."""
    found: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found.extend(sorted(x for x in path.iterdir() if x.is_file() and x.suffix.lower() == ".pdf"))
        else:
            found.append(path)
    return found


def _counts(output_dir: Path, document_id: str) -> dict[str, int]:
    import pyarrow.parquet as pq

    from pipeline.writer import partition_dir

    counts = {}
    for table in SUMMARY_TABLES:
        folder = partition_dir(output_dir, table, document_id)
        files = list(folder.glob("*.parquet")) if folder.exists() else []
        counts[table] = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
    return counts


def _failure(result) -> str:
    """The first step failure's message, which names the file and the reason."""
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data and event.step_failure_data.error:
            error = event.step_failure_data.error
            while error.cause is not None and "IngestError" not in error.cls_name:
                error = error.cause
            return error.message.strip().splitlines()[-1] if error.message else error.cls_name
    return "run failed"


def _run_in_process(pdf: Path, key: str, output_dir: Path, workers: int | None):
    """All assets of one partition in this process (``dg.materialize``): no per-step process start-up."""
    import dagster as dg

    from assets.definitions import ALL_ASSETS, resources
    from report_facts.instance import persistent_instance

    res = resources(progress=True, output_dir=str(output_dir))
    if workers is not None:
        res["layout"] = res["layout"].model_copy(update={"workers": workers})
        res["nlp"] = res["nlp"].model_copy(update={"workers": workers})
    return dg.materialize(
        ALL_ASSETS,
        partition_key=key,
        instance=persistent_instance(),
        resources=res,
        run_config={
            "ops": {"raw_pdf": {"config": {"path": str(pdf.resolve())}}},
            "loggers": {"console": {"config": {"log_level": "ERROR"}}},
        },
        raise_on_error=False,
        tags={"report-facts/file": pdf.name, "report-facts/source": "cli"},
    )


def _run_multiprocess(pdf: Path, key: str, output_dir: Path, workers: int | None):
    """One Dagster run of the ``process_document`` job under the multiprocess executor."""
    import dagster as dg

    from assets.definitions import process_document_job
    from report_facts.instance import persistent_instance

    per_document = {"workers": workers} if workers is not None else {}
    return dg.execute_job(
        dg.reconstructable(process_document_job),
        instance=persistent_instance(),
        run_config={
            "ops": {"raw_pdf": {"config": {"path": str(pdf.resolve())}}},
            "resources": {
                "storage": {"config": {"output_dir": str(output_dir)}},
                "progress": {"config": {"enabled": True}},
                "layout": {"config": per_document},
                "nlp": {"config": per_document},
            },
            "loggers": {"console": {"config": {"log_level": "ERROR"}}},
        },
        tags={"dagster/partition": key, "report-facts/file": pdf.name, "report-facts/source": "cli"},
    )


def run_documents(
    pdfs: list[Path], output_dir: Path, workers: int | None = None, executor: str = "in_process"
) -> list[Outcome]:
    """Process every PDF, one after the other, each as one Dagster run with the chosen executor."""
    from assets.partitions import documents_partitions
    from pipeline.ids import document_key
    from report_facts.instance import persistent_instance

    instance = persistent_instance()
    jobs: list[tuple[Path, str]] = []
    refused: list[Outcome] = []
    owners: dict[str, Path] = {}
    for pdf in pdfs:
        key = document_key(pdf.name)
        if key in owners:
            reason = f"{pdf.name}: document id {key!r} already used by {owners[key].name} in this run"
            refused.append(Outcome(pdf, key, False, 0.0, {}, reason))
            continue
        owners[key] = pdf
        jobs.append((pdf, key))
    instance.add_dynamic_partitions(documents_partitions.name, sorted({key for _, key in jobs}))
    runner = _run_multiprocess if executor == "multiprocess" else _run_in_process
    outcomes = []
    for i, (pdf, key) in enumerate(jobs, 1):
        print(f"[{i}/{len(jobs)}] {pdf.name} -> {key}", file=sys.stderr, flush=True)
        started = time.perf_counter()
        result = runner(pdf, key, output_dir, workers)
        seconds = time.perf_counter() - started
        if result.success:
            outcomes.append(Outcome(pdf, key, True, seconds, _counts(output_dir, key)))
        else:
            outcomes.append(Outcome(pdf, key, False, seconds, {}, _failure(result)))
            print(f"  FAILED: {outcomes[-1].error}", file=sys.stderr, flush=True)
    return outcomes + refused


def run_in_children(pdfs: list[Path], args: argparse.Namespace, parallel: int) -> list[Outcome]:
    """``parallel`` documents at once, each in its own ``report-facts run`` process (Dagster is not
    thread-safe enough to launch several runs from one process); outcomes come from the output tables."""
    from concurrent.futures import ThreadPoolExecutor

    from pipeline.ids import document_key

    output_dir = Path(args.output_dir).resolve()
    # the cores are shared out: four documents at once on two cores leave no room for readers or model workers
    workers = args.workers if args.workers is not None else max(1, (os.cpu_count() or 1) // parallel)

    def child(pdf: Path) -> Outcome:
        cmd = [
            sys.executable,
            "-m",
            "report_facts.cli",
            "run",
            str(pdf),
            "--output-dir",
            str(output_dir),
            "--executor",
            args.executor,
        ]
        cmd += ["--workers", str(workers)]
        started = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        sys.stderr.write(proc.stderr)
        key = document_key(pdf.name)
        if proc.returncode == 0:
            return Outcome(pdf, key, True, seconds, _counts(output_dir, key))
        errors = [ln.removeprefix("error: ") for ln in proc.stdout.splitlines() if ln.startswith("error: ")]
        return Outcome(pdf, key, False, seconds, {}, errors[0] if errors else f"{pdf.name}: run failed")

    with ThreadPoolExecutor(max_workers=parallel) as pool:
        return list(pool.map(child, pdfs))


def print_summary(outcomes: list[Outcome]) -> None:
    head = ["document", "status", "seconds", *SUMMARY_TABLES]
    rows = [
        [
            o.document_id,
            "ok" if o.ok else "FAILED",
            f"{o.seconds:.1f}",
            *(str(o.counts.get(t, "")) for t in SUMMARY_TABLES),
        ]
        for o in outcomes
    ]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for r in [head, *rows]:
        print("  ".join(c.rjust(w) if j > 1 else c.ljust(w) for j, (c, w) in enumerate(zip(r, widths, strict=True))))
    for o in outcomes:
        if not o.ok:
            print(f"error: {o.error}")


def cmd_run(args: argparse.Namespace) -> int:
    pdfs = collect_pdfs(args.paths or [str(PROJECT_ROOT / "raw")])
    if not pdfs:
        print("no PDF files found", file=sys.stderr)
        return 2
    output_dir = Path(args.output_dir).resolve()
    if args.parallel > 1 and len(pdfs) > 1:
        from report_facts.instance import persistent_instance

        persistent_instance()  # create the shared instance once, before the children race to
        outcomes = run_in_children(pdfs, args, args.parallel)
    else:
        outcomes = run_documents(pdfs, output_dir, workers=args.workers, executor=args.executor)
    print_summary(outcomes)
    print(f"output: {output_dir}")
    return 0 if all(o.ok for o in outcomes) else 1


def _document_id(ref: str) -> str:
    """A document id, or the id of a PDF path/file name."""
    from pipeline.ids import document_key

    return document_key(Path(ref).name) if ref.lower().endswith(".pdf") else ref


def cmd_diff(args: argparse.Namespace) -> int:
    from pipeline.editions import EDITION_TABLES, Edition, diff
    from pipeline.writer import read_partition

    output_dir = Path(args.output_dir).resolve()
    editions = []
    for ref in (args.old, args.new):
        doc_id = _document_id(ref)
        tables = {name: read_partition(output_dir, name, doc_id) for name in EDITION_TABLES}
        if tables["blocks"] is None:
            print(f"error: {doc_id} has no output in {output_dir}; run `report-facts run` on it first", file=sys.stderr)
            return 2
        editions.append(Edition.from_tables(doc_id, {k: v for k, v in tables.items() if v is not None}))
    changes = diff(*editions)
    print(f"{len(changes)} changes from {editions[0].document_id} to {editions[1].document_id}")
    for c in changes:
        pages = f"p{c.old_page or '-'}->p{c.new_page or '-'}"
        old = _short(c.old) if c.old is not None else ""
        new = _short(c.new) if c.new is not None else ""
        arrow = f"{old} -> {new}" if old and new else (new or old)
        detail = f"  [{c.detail}]" if c.detail else ""
        print(f"{c.kind:<10} {c.object:<12} {pages:<12} {arrow}{detail}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from report_facts.show import show

    output_dir = Path(args.output_dir).resolve()
    doc_id = _document_id(args.document)
    pdf = Path(args.pdf) if args.pdf else _pdf_of(args.document, output_dir, doc_id)
    if pdf is None or not pdf.is_file():
        print(f"error: cannot find the PDF of {doc_id}; pass it with --pdf", file=sys.stderr)
        return 2
    try:
        review = show(output_dir, doc_id, pdf, Path(args.to).resolve(), scale=args.scale)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{len(review.images)} annotated pages in {review.images[0].parent}")
    print(f"review page: {review.html}")
    return 0


def _pdf_of(ref: str, output_dir: Path, doc_id: str) -> Path | None:
    """The PDF named on the command line, else the processed file's name looked up in raw/."""
    if ref.lower().endswith(".pdf"):
        return Path(ref)
    from pipeline.writer import read_partition

    documents = read_partition(output_dir, "documents", doc_id)
    if documents is None or documents.num_rows == 0:
        return None
    return PROJECT_ROOT / "raw" / documents.column("file_name")[0].as_py()


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="report-facts",
        description="Turn long PDF reports into Parquet fact tables (organizations, people, amounts, dates) "
        "with page, section and character-span provenance, orchestrated by Dagster.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser(
        "run",
        help="process PDFs (files or folders; default: raw/) into output/",
        description="Register each PDF as a document partition and materialize every asset for it.",
    )
    run.add_argument("paths", nargs="*", metavar="PATH", help="PDF files or folders of PDFs (default: raw/)")
    run.add_argument(
        "--output-dir", default=str(PROJECT_ROOT / "output"), help="folder of the Parquet datasets (default: output/)"
    )
    run.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes working on one document: page readers, then model workers (default: 2, the machine's "
        "cores; with --parallel, the cores divided among the documents)",
    )
    run.add_argument(
        "--parallel",
        type=int,
        default=1,
        help="documents processed at once, each in its own process (default: 1, one after the other)",
    )
    run.add_argument(
        "--executor",
        choices=["in_process", "multiprocess"],
        default="in_process",
        help="Dagster executor of each document's run: in_process (default, least overhead) or multiprocess "
        "(every step in its own process, as under dagster dev)",
    )
    run.set_defaults(func=cmd_run)
    diff = sub.add_parser(
        "diff",
        help="print what changed between two processed editions",
        description="Compare two processed documents (ids or PDF paths) edition to edition.",
    )
    diff.add_argument("old", help="the earlier edition: document id or PDF path")
    diff.add_argument("new", help="the later edition: document id or PDF path")
    diff.add_argument("--output-dir", default=str(PROJECT_ROOT / "output"), help="where the tables are")
    diff.set_defaults(func=cmd_diff)
    show = sub.add_parser(
        "show",
        help="draw what the pipeline saw on the pages and write a review page (HTML) for one document",
        description="Render the pages of a processed document with its blocks (by kind) and mentions (by label) "
        "drawn on them, and one self-contained HTML review page: thumbnails, section tree, fact tables; "
        "clicking a fact opens its page with its boxes highlighted. Needs only the Parquet output and the PDF.",
    )
    show.add_argument("document", help="document id or PDF path")
    show.add_argument("--pdf", help="the processed PDF (default: the PDF path given, else raw/<file_name>)")
    show.add_argument("--output-dir", default=str(PROJECT_ROOT / "output"), help="where the tables are")
    show.add_argument("--to", default=str(PROJECT_ROOT / "review"), help="where to write (default: review/)")
    show.add_argument("--scale", type=float, default=1.25, help="page image pixels per PDF point (default: 1.25)")
    show.set_defaults(func=cmd_show)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
