"""``report-facts``: process PDFs through the Dagster asset graph, print what came out.

``run`` registers each document as a partition of the persistent instance and
materializes every asset for it in-process, one document after the other; a
document that fails is reported with its reason and the others still go through.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import PROJECT_ROOT
from pipeline.store import Location, is_url, output_location

if TYPE_CHECKING:
    from pipeline.document import CoverReads

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
    path: Location
    document_id: str
    ok: bool
    seconds: float
    counts: dict[str, int]
    error: str | None = None


@dataclass(frozen=True)
class Source:
    """A PDF to process (a local path or a URL) and its path relative to the folder it was found in
    (``documents.source_path``)."""

    path: Location
    relative: str


def collect_pdfs(paths: list[str]) -> list[Source]:
    """PDF files named directly or found in named folders and their sub-folders, in a stable order;
    each local or remote (``s3://bucket/raw/report.pdf``, ``s3://bucket/raw``).

    A file's relative path is taken from the folder named on the command line, or from raw/ when
    the file lies under it, else it is the file name.
    """
    from pipeline.raw import is_dir, list_pdfs, relative_to

    found: list[Source] = []
    for p in paths:
        path = output_location(p)
        if is_dir(path):
            found.extend(Source(x.location, x.relative) for x in list_pdfs(path))
        else:
            found.append(Source(path if is_url(path) else Path(p), relative_to(path, PROJECT_ROOT / "raw")))
    return found


def _counts(output_dir: Location, document_id: str) -> dict[str, int]:
    """Rows of the committed version of the document in each summary table."""
    from pipeline.writer import read_partition

    counts = {}
    for table in SUMMARY_TABLES:
        rows = read_partition(output_dir, table, document_id)
        counts[table] = rows.num_rows if rows is not None else 0
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


def _raw_pdf_config(pdf: Source) -> dict:
    from pipeline.raw import resolved

    return {"config": {"path": resolved(pdf.path), "source_path": pdf.relative}}


def _run_in_process(pdf: Source, key: str, output_dir: Location, workers: int | None):
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
            "ops": {"raw_pdf": _raw_pdf_config(pdf)},
            "loggers": {"console": {"config": {"log_level": "ERROR"}}},
        },
        raise_on_error=False,
        tags={"report-facts/file": pdf.relative, "report-facts/source": "cli"},
    )


def _run_multiprocess(pdf: Source, key: str, output_dir: Location, workers: int | None):
    """One Dagster run of the ``process_document`` job under the multiprocess executor."""
    import dagster as dg

    from assets.definitions import process_document_job
    from report_facts.instance import persistent_instance

    per_document = {"workers": workers} if workers is not None else {}
    return dg.execute_job(
        dg.reconstructable(process_document_job),
        instance=persistent_instance(),
        run_config={
            "ops": {"raw_pdf": _raw_pdf_config(pdf)},
            "resources": {
                "storage": {"config": {"output_dir": str(output_dir)}},
                "progress": {"config": {"enabled": True}},
                "layout": {"config": per_document},
                "nlp": {"config": per_document},
            },
            "loggers": {"console": {"config": {"log_level": "ERROR"}}},
        },
        tags={"dagster/partition": key, "report-facts/file": pdf.relative, "report-facts/source": "cli"},
    )


def assign_ids(
    pdfs: list[Source],
    output_dir: Location,
    readers: int = 0,
    layouts: bool = False,
    meanwhile: Callable[[], object] | None = None,
    reads: CoverReads | None = None,
) -> list[tuple[Source, str]]:
    """The document id of every PDF (``pipeline.identity``), warnings printed for names that collide.

    ``readers`` processes read the covers (0: this process); with ``layouts``, they also read the
    layout of the first short documents from the same parse (``pipeline.document.start_cover_reads``),
    kept here for the documents' runs, unless ``reads`` of these PDFs were started already; this process
    calls ``meanwhile`` while they read."""
    from pipeline.chars import configured_char_source
    from pipeline.document import start_cover_reads
    from pipeline.identity import identify
    from pipeline.ids import document_key
    from pipeline.ingest import sha256_of
    from pipeline.raw import is_file, local_copy, name_of

    readable = [(p, local_copy(p.path)) for p in pdfs if is_file(p.path)]
    files = [(local, p.relative, sha256_of(local)) for p, local in readable]
    paths = [local for _, local in readable]
    if reads is not None and reads.paths != paths:  # a file came or went since: read them anew
        reads = None
    if reads is None and layouts and readers > 0:
        reads = start_cover_reads(paths, readers, configured_char_source())
    if meanwhile is not None:
        meanwhile()
    covers = reads.covers() if reads is not None else None
    found = identify(output_dir, files, readers=readers, covers=covers)
    ids = {p: a.document_id for (p, _), a in zip(readable, found, strict=True)}
    for a in found:
        if a.warning:
            print(f"warning: {a.warning}", file=sys.stderr, flush=True)
    return [(p, ids.get(p) or document_key(name_of(p.path))) for p in pdfs]


def start_covers_early(pdfs: list[Source], args: argparse.Namespace) -> CoverReads | None:
    """Start reading the covers of local PDFs (and short documents' layouts) first thing, before this
    process imports Dagster (``run_documents`` takes them over).

    Importing Dagster, building the instance and loading the model keep one core busy for the first
    seconds of a run; the readers read on the other meanwhile. For twenty two-page documents, the
    covers are most of the reading."""
    if args.executor != "in_process" or args.parallel > 1 or not pdfs or any(is_url(p.path) for p in pdfs):
        return None
    from pipeline.chars import configured_char_source, reader_count
    from pipeline.document import start_cover_reads

    paths = [Path(p.path) for p in pdfs if Path(p.path).is_file()]
    return start_cover_reads(paths, reader_count(args.workers), configured_char_source())


@dataclass(frozen=True)
class Job:
    """One document of a run: its place in the run, file and id, and how to run it."""

    number: int
    total: int
    pdf: Source
    key: str
    output_dir: Location
    workers: int | None
    executor: str


def _prefetch(pdf: Source, workers: int | None, layout: bool = True, pages: bool = True) -> None:
    """Start reading a document in the readers while this process has other work (``pipeline.document``):
    a short one's ``layout``, a long one's ``pages`` (they wait in memory until its layout step: only
    for the document processed next). The in-process executor's layout step takes the work over."""
    from assets.resources import LayoutResource
    from pipeline.document import prefetch, read_ahead
    from pipeline.raw import local_copy

    resource = LayoutResource()
    try:
        local = local_copy(pdf.path)  # a remote PDF's cached copy, which the layout step reads too
    except OSError:
        return  # the run refuses it with the reason
    if layout:
        prefetch(local, resource.char_source, resource.limits())
    if pages:
        workers = workers if workers is not None else resource.workers
        read_ahead(local, resource.char_source, resource.limits(), workers, resource.max_pages)


def run_job(job: Job, following: Job | None = None) -> Outcome:
    """One Dagster run for the document (the following one's layout prefetched meanwhile); its outcome,
    with the reason when it failed."""
    from pipeline.timing import mark

    print(f"[{job.number}/{job.total}] {job.pdf.relative} -> {job.key}", file=sys.stderr, flush=True)
    if job.executor == "in_process":
        _prefetch(job.pdf, job.workers)
    if following is not None and following.executor == "in_process":
        _prefetch(following.pdf, following.workers, pages=False)
    runner = _run_multiprocess if job.executor == "multiprocess" else _run_in_process
    started = time.perf_counter()
    mark(job.key, "(dagster run start)")
    result = runner(job.pdf, job.key, job.output_dir, job.workers)
    seconds = time.perf_counter() - started
    mark(job.key, "(read back row counts)")
    if result.success:
        outcome = Outcome(job.pdf.path, job.key, True, seconds, _counts(job.output_dir, job.key))
    else:
        outcome = Outcome(job.pdf.path, job.key, False, seconds, {}, _failure(result))
        print(f"  FAILED: {outcome.error}", file=sys.stderr, flush=True)
    mark(job.key, "(done)")
    return outcome


def _lost(job: Job, reason: str) -> Outcome:
    print(f"  FAILED: {job.pdf.relative}: {reason}", file=sys.stderr, flush=True)
    return Outcome(job.pdf.path, job.key, False, 0.0, {}, f"{job.pdf.relative}: {reason}")


def _by_series(jobs: list[Job], output_dir: Location) -> list[list[Job]]:
    """Jobs grouped by report series (from the registry), in run order: editions stay one after the other."""
    from pipeline.identity import Registry
    from pipeline.store import open_store

    registry = Registry.load(open_store(output_dir))
    groups: dict[str, list[Job]] = {}
    for job in jobs:
        entry = registry.get(job.key)
        series = entry.series if entry is not None and entry.series is not None else None
        groups.setdefault(f"series:{series}" if series else f"document:{job.key}", []).append(job)
    return list(groups.values())


def _models_in_background(model_name: str) -> threading.Thread:
    """Load both spaCy pipelines (one read of the model) and import the steps' extraction rules
    (``pipeline.extract.host.load_for_steps``) in a thread while this process mostly waits on the readers
    reading the covers; the document processes forked after it share them."""
    from pipeline.extract.host import load_for_steps

    thread = threading.Thread(target=load_for_steps, args=(model_name,), name="load-models", daemon=True)
    thread.start()
    return thread


def _models(model_name: str, executor: str, processes: int) -> threading.Thread | None:
    """Start loading the model for the in-process executor's steps: in the model host when one process runs
    the documents (``pipeline.extract.host``: off this process's critical path), else in a thread here, to be
    shared by the document processes forked later. The multiprocess executor's steps load it themselves."""
    if executor != "in_process":
        return None
    if processes == 1:
        from pipeline.extract.host import start

        start(model_name)
        return None
    return _models_in_background(model_name)


def run_documents(
    pdfs: list[Source],
    output_dir: Location,
    workers: int | None = None,
    executor: str = "in_process",
    processes: int = 1,
    reads: CoverReads | None = None,
) -> list[Outcome]:
    """Process every PDF, each as one Dagster run with the chosen executor: one after the other in
    this process, or (``processes`` > 1, in-process executor) spread over forked document processes.
    ``reads``: their covers, when reading them was started already (``start_covers_early``)."""
    from assets.partitions import documents_partitions
    from assets.resources import NlpResource
    from pipeline.chars import reader_count
    from pipeline.timing import mark
    from report_facts.batch import run_forked
    from report_facts.instance import persistent_instance

    processes = processes if executor == "in_process" else 1
    models = _models(NlpResource().model_name, executor, processes if len(pdfs) > 1 else 1)

    def meanwhile() -> None:
        """While the readers read the covers: a lone long document's pages go to the readers next (it
        runs in this process), this process builds its Dagster instance and imports pandas, which
        pyarrow imports on its first table built from rows (about 0.25 s; before forking, once for
        all document processes)."""
        if executor == "in_process" and len(pdfs) == 1:
            _prefetch(pdfs[0], workers, layout=False)
        persistent_instance()
        importlib.import_module("pandas")

    mark("", "(assign ids: read covers)")
    layouts = executor == "in_process"
    found = assign_ids(pdfs, output_dir, reader_count(workers), layouts=layouts, meanwhile=meanwhile, reads=reads)
    instance = persistent_instance()
    jobs: list[Job] = []
    refused: list[Outcome] = []
    owners: dict[str, Source] = {}
    for pdf, key in found:
        if key in owners:
            reason = f"{pdf.relative}: the same document as {owners[key].relative} ({key!r}) in this run"
            refused.append(Outcome(pdf.path, key, False, 0.0, {}, reason))
            continue
        owners[key] = pdf
        jobs.append(Job(len(jobs) + 1, 0, pdf, key, output_dir, workers, executor))
    jobs = [Job(j.number, len(jobs), j.pdf, j.key, j.output_dir, j.workers, j.executor) for j in jobs]
    instance.add_dynamic_partitions(documents_partitions.name, sorted({job.key for job in jobs}))
    groups = _by_series(jobs, output_dir)
    if processes > 1 and len(groups) > 1:
        mark("", "(wait for the models)")
        import assets.definitions  # noqa: F401  (the code location: imported once, here)

        if models is not None:
            models.join()  # no fork while a thread is loading: the children share the loaded models
        processes = min(processes, len(groups))
        if workers is None:  # the cores are shared out among the document processes
            share = max(1, (os.cpu_count() or 1) // processes)
            groups = [[dataclasses.replace(job, workers=share) for job in group] for group in groups]
        mark("", f"(documents in {processes} processes: wall)")
        order = {job.key: i for i, job in enumerate(jobs)}
        outcomes = sorted(run_forked(groups, processes, run_job, _lost), key=lambda o: order[o.document_id])
    else:
        mark("", "(documents one after the other: wall)")
        outcomes = [run_job(job, following) for job, following in zip(jobs, [*jobs[1:], None], strict=True)]
    mark("", "(done)")
    return outcomes + refused


def run_in_children(pdfs: list[Source], args: argparse.Namespace, parallel: int) -> list[Outcome]:
    """``parallel`` documents at once, each in its own ``report-facts run`` process (Dagster is not
    thread-safe enough to launch several runs from one process); outcomes come from the output tables.
    Ids are assigned here first, so the children find them in the registry."""
    from concurrent.futures import ThreadPoolExecutor

    output_dir = output_location(args.output_dir)
    # the cores are shared out: four documents at once on two cores leave no room for readers or model workers
    workers = args.workers if args.workers is not None else max(1, (os.cpu_count() or 1) // parallel)

    def child(job: tuple[Source, str]) -> Outcome:
        pdf, key = job
        cmd = [sys.executable, "-m", "report_facts.cli", "run", str(pdf.path), "--source-path", pdf.relative]
        cmd += ["--output-dir", str(output_dir), "--executor", args.executor, "--workers", str(workers)]
        started = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        sys.stderr.write(proc.stderr)
        if proc.returncode == 0:
            return Outcome(pdf.path, key, True, seconds, _counts(output_dir, key))
        errors = [ln.removeprefix("error: ") for ln in proc.stdout.splitlines() if ln.startswith("error: ")]
        return Outcome(pdf.path, key, False, seconds, {}, errors[0] if errors else f"{pdf.relative}: run failed")

    with ThreadPoolExecutor(max_workers=parallel) as pool:
        return list(pool.map(child, assign_ids(pdfs, output_dir)))


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


def _host_early(args: argparse.Namespace) -> None:
    """Fork the model host first thing when one local PDF is named (or one process runs the documents), before
    this process imports Dagster: the host loads the model while this process imports and starts the run
    (``run_documents`` starts it otherwise, when it knows the documents)."""
    if args.executor != "in_process" or args.parallel > 1:
        return
    one_pdf = len(args.paths) == 1 and args.paths[0].lower().endswith(".pdf") and os.path.isfile(args.paths[0])
    if one_pdf or args.processes == 1:
        from pipeline.extract import configured_model
        from pipeline.extract.host import start

        start(configured_model())


def cmd_run(args: argparse.Namespace) -> int:
    """``run``; the model host, when one was started, lives as long as the command."""
    from pipeline.extract.host import stop

    _host_early(args)
    try:
        return _run(args)
    finally:
        stop()


def _run(args: argparse.Namespace) -> int:
    output_dir = output_location(args.output_dir)
    pdfs = collect_pdfs(args.paths or [str(PROJECT_ROOT / "raw")])
    if args.source_path and len(pdfs) == 1:
        pdfs = [Source(pdfs[0].path, args.source_path)]
    reads = start_covers_early(pdfs, args)
    _recover(output_dir)
    if not pdfs:
        print("no PDF files found", file=sys.stderr)
        return 2
    if args.parallel > 1 and len(pdfs) > 1:
        from report_facts.instance import persistent_instance

        persistent_instance()  # create the shared instance once, before the children race to
        outcomes = run_in_children(pdfs, args, args.parallel)
    else:
        processes = args.processes if args.processes is not None else os.cpu_count() or 1
        outcomes = run_documents(pdfs, output_dir, args.workers, args.executor, processes, reads)
    print_summary(outcomes)
    print(f"output: {output_dir}")
    return 0 if all(o.ok for o in outcomes) else 1


def _recover(output_dir: Location) -> None:
    """Every start first completes or rolls back the commits a crash left unfinished (on a shared
    object store, each run's first step does that for its own document only)."""
    from pipeline.commit import recover, recoverable
    from pipeline.store import open_store

    for line in recover(open_store(output_dir), output_dir, only=recoverable(output_dir, [])):
        print(f"recovered: {line}", file=sys.stderr, flush=True)


def cmd_status(args: argparse.Namespace) -> int:
    """One line per document: its committed version, whatever in its tables disagrees with it, and
    (``--runs``) its last run on the instance with the run's error."""
    from pipeline.commit import status
    from pipeline.store import open_store

    output_dir = output_location(args.output_dir)
    states = status(open_store(output_dir))
    runs = {}
    if args.runs:
        from report_facts.instance import persistent_instance
        from report_facts.runqueue import last_runs

        runs = last_runs(persistent_instance(), [s.document_id for s in states])
    for document_id in sorted({s.document_id for s in states} | set(runs)):
        state = next((s for s in states if s.document_id == document_id), None)
        line = f"{document_id}  {state.version or '-' if state else '-'}"
        line += f"  {'no output' if state is None else 'ok' if not state.problems else 'INCONSISTENT'}"
        if args.runs:
            run = runs.get(document_id)
            line += f"  last run: {f'{run.state} {run.run_id[:8]}' if run else 'none'}"
        print(line)
        for problem in state.problems if state else []:
            print(f"    {problem}")
        if document_id in runs and runs[document_id].error:
            print(f"    error: {runs[document_id].error}")
    bad = sum(1 for s in states if s.problems)
    print(f"{len(states)} documents, {bad} inconsistent ({output_dir})")
    return 1 if bad else 0


def cmd_submit(args: argparse.Namespace) -> int:
    from report_facts.runqueue import submit

    output_dir = output_location(args.output_dir)
    pdfs = collect_pdfs(args.paths)
    if not pdfs:
        print("no PDF files found", file=sys.stderr)
        return 2
    for item in submit(pdfs, output_dir, Path(args.workspace).resolve()):
        print(f"{item.document_id}  {item.source}  " + (f"queued {item.run_id}" if item.run_id else item.reason))
    return 0


def _document_id(ref: str, output_dir: Location) -> str:
    """A document id, or the id the registry gave a PDF file (by its bytes), else its name's slug."""
    from pipeline.identity import Registry
    from pipeline.ids import document_key
    from pipeline.ingest import sha256_of
    from pipeline.store import open_store

    if not ref.lower().endswith(".pdf"):
        return ref
    if Path(ref).is_file():
        digest = sha256_of(Path(ref))
        entry = next((e for e in Registry.load(open_store(output_dir)).entries if digest in e.sha256), None)
        if entry is not None:
            return entry.document_id
    return document_key(Path(ref).name)


def cmd_diff(args: argparse.Namespace) -> int:
    from pipeline.editions import EDITION_TABLES, Edition, diff
    from pipeline.writer import read_partition

    output_dir = output_location(args.output_dir)
    editions = []
    for ref in (args.old, args.new):
        doc_id = _document_id(ref, output_dir)
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
    run.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="PDF files or folders of PDFs, sub-folders included, local or URLs (s3://bucket/raw) (default: raw/)",
    )
    run.add_argument(
        "--output-dir",
        default=str(PROJECT_ROOT / "output"),
        help="folder or URL (s3://bucket/prefix) of the Parquet datasets (default: output/)",
    )
    run.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes working on one document: page readers, then model workers (default: 2, the machine's "
        "cores; with several document processes, the cores divided among them)",
    )
    run.add_argument(
        "--parallel",
        type=int,
        default=1,
        help="documents processed at once, each in its own process (default: 1, one after the other)",
    )
    run.add_argument(
        "--processes",
        type=int,
        default=None,
        help="document processes of this run: forked once after the models are loaded, each runs one document "
        "after another (default: the machine's cores; 1: every document in this process). In-process executor only",
    )
    run.add_argument(
        "--executor",
        choices=["in_process", "multiprocess"],
        default="in_process",
        help="Dagster executor of each document's run: in_process (default, least overhead) or multiprocess "
        "(every step in its own process, as under dagster dev)",
    )
    run.add_argument("--source-path", default="", help=argparse.SUPPRESS)  # a --parallel child's relative path
    run.set_defaults(func=cmd_run)
    diff = sub.add_parser(
        "diff",
        help="print what changed between two processed editions",
        description="Compare two processed documents (ids or PDF paths) edition to edition.",
    )
    diff.add_argument("old", help="the earlier edition: document id or PDF path")
    diff.add_argument("new", help="the later edition: document id or PDF path")
    diff.add_argument("--output-dir", default=str(PROJECT_ROOT / "output"), help="folder or URL of the tables")
    diff.set_defaults(func=cmd_diff)
    status = sub.add_parser(
        "status",
        help="report documents whose tables disagree on their version",
        description="For every document: the version `documents` names, and any table holding another version, "
        "lacking it, or an unfinished commit (repaired by the next `run`). Exits 1 when something disagrees.",
    )
    status.add_argument("--output-dir", default=str(PROJECT_ROOT / "output"), help="folder or URL of the tables")
    status.add_argument(
        "--runs", action="store_true", help="also each document's last run on the instance: its state and error"
    )
    status.set_defaults(func=cmd_status)
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
    submit = sub.add_parser(
        "submit",
        help="queue one run per document on the instance's run queue (workers execute them)",
        description="Register each PDF as a document partition and enqueue one run per new or changed document "
        "on the Dagster instance of $DAGSTER_HOME (deploy/dagster.yaml for a team install); the daemon hands "
        "them to the run launcher's workers. Unchanged documents and documents already queued are skipped.",
    )
    submit.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="PDF files or folders of PDFs: URLs (s3://bucket/raw) or local paths the workers can read",
    )
    submit.add_argument(
        "--output-dir",
        default=str(PROJECT_ROOT / "output"),
        help="folder or URL (s3://bucket/prefix) the workers write to (default: output/)",
    )
    submit.add_argument(
        "--workspace", default=str(PROJECT_ROOT / "workspace.yaml"), help="the code location (workspace.yaml)"
    )
    submit.set_defaults(func=cmd_submit)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def entry() -> None:
    """The console command: ``main``, then exit without the interpreter's teardown.

    Everything is written and committed when ``main`` returns; at teardown a native library
    thread has aborted the process now and then ("terminate called without an active
    exception"), which turned a finished run into a failed exit code.
    """
    code = main()
    from pipeline.chars import close_readers

    close_readers()  # readers live across documents; os._exit would skip the finaliser that stops them
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    entry()
