"""report-facts core: PDF layout, document structure, fact extraction and Parquet output.

Plain Python with no Dagster import, so every stage can be run and tested on its own.
"""

PIPELINE_VERSION = "0.1.0"
