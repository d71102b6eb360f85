"""report-facts core: PDF layout, document structure, fact extraction and Parquet output.

Plain Python with no Dagster import, so every stage can be run and tested on its own.
"""

from pathlib import Path

PIPELINE_VERSION = "0.1.0"
PROJECT_ROOT = Path(__file__).resolve().parent.parent  # the checkout: raw/ and output/ by default
