"""Typed resources: where documents come from and go to, layout limits, the spaCy model, progress output.

Paths sit behind one resource so that moving raw/ and output/ to object storage
later is configuration, not code.
"""

import os
import sys
from typing import Any

import dagster as dg

from pipeline import PROJECT_ROOT
from pipeline.chars import Limits, configured_char_source
from pipeline.extract import configured_model
from pipeline.identity import Registry
from pipeline.ids import document_key
from pipeline.raw import RawFile, is_file, list_pdfs, name_of, relative_to
from pipeline.store import Location, is_url, join, open_store, output_location
from pipeline.timing import mark


class StorageResource(dg.ConfigurableResource):
    """Locations of input PDFs and of the Parquet datasets: folders or URLs (``s3://bucket/prefix``, any
    fsspec protocol); the output is written through the same commit protocol either way."""

    # a team install sets them for the sensor and UI runs (submit names the output in each run's config)
    raw_dir: str = os.environ.get("REPORT_FACTS_RAW_DIR", str(PROJECT_ROOT / "raw"))
    output_dir: str = os.environ.get("REPORT_FACTS_OUTPUT_DIR", str(PROJECT_ROOT / "output"))

    def output_path(self) -> Location:
        location = output_location(self.output_dir)
        if not is_url(location):
            location.mkdir(parents=True, exist_ok=True)
        return location

    def raw_location(self) -> Location:
        return output_location(self.raw_dir)

    def pdfs(self) -> list[RawFile]:
        """Every PDF under raw_dir, sub-folders included, in a stable order."""
        return list_pdfs(self.raw_location())

    def source_path(self, location: Location) -> str:
        """The path of a PDF relative to raw_dir (its file name when it lies elsewhere)."""
        return relative_to(location, self.raw_location())

    def find_pdf(self, partition_key: str) -> Location:
        """The PDF in raw_dir registered under ``partition_key`` (else the one whose name slugs to it)."""
        raw = self.raw_location()
        entry = Registry.load(open_store(self.output_path())).get(partition_key)
        if entry is not None and is_file(join(raw, *entry.source_path.split("/"))):
            return join(raw, *entry.source_path.split("/"))
        for found in self.pdfs():
            if document_key(name_of(found.location)) == partition_key:
                return found.location
        raise FileNotFoundError(f"no PDF in {raw} has document id {partition_key!r}")


class LayoutResource(dg.ConfigurableResource):
    """Parallelism and per-document limits for reading one (untrusted) PDF."""

    workers: int = 2
    max_pages: int = 2000
    max_seconds: float = 300.0
    max_memory_mb: int = 2048
    char_source: str = configured_char_source()

    def limits(self) -> Limits:
        return Limits(seconds=self.max_seconds, memory_mb=self.max_memory_mb)


class NlpResource(dg.ConfigurableResource):
    """The spaCy model: its name, and where the work that needs it runs (``run``).

    ``workers`` processes run the model over one document (forked, sharing the loaded model).
    """

    model_name: str = configured_model()
    workers: int = 2

    def run(self, document_id: str, target: str, *args: Any) -> Any:
        """``target`` (``module:function``) called with ``args`` where the model is: in the model host the
        command line started, else in this process, loaded once (``pipeline.extract.host``). A host that
        failed (died, could not load the model) fails the document's step with the reason."""
        from pipeline.extract.host import ModelHostError, run

        try:
            return run(target, *args)
        except ModelHostError as exc:
            raise dg.Failure(description=f"{document_id}: {exc}") from exc


class ProgressResource(dg.ConfigurableResource):
    """One line per document and stage on stderr, for the command line; silent under ``dagster dev``."""

    enabled: bool = False

    def stage(self, document_id: str, stage: str, detail: str = "") -> None:
        mark(document_id, stage)
        if self.enabled:
            print(f"  {document_id}: {stage}{(' - ' + detail) if detail else ''}", file=sys.stderr, flush=True)
