"""Imported once per run by the multiprocess executor's forkserver, so that step processes fork warm.

Every step process otherwise imports, for itself, the code location (Dagster, the pipeline),
spaCy for the fact step, the instance's SQLite storage (SQLAlchemy, Alembic: about 0.7 s when
a step opens the instance), the IO manager's paths (fsspec, universal-pathlib) and pandas,
which pyarrow imports whenever it builds arrays from Python objects (about 0.7 s in each step
that writes tables). The forkserver skips a module it cannot import, so a storage module that
moves in a later Dagster release costs time, not a failure.
"""

import dagster._core.instance.factory
import dagster._core.storage.event_log.sqlite
import dagster._core.storage.runs.sqlite
import dagster._core.storage.schedules.sqlite
import dagster._core.storage.sqlite_storage
import fsspec
import pandas
import pyarrow.dataset
import pyarrow.parquet
import upath

import assets.definitions
import pipeline.extract.facts  # spaCy, its model code and the registered rule components
import pipeline.extract.flows  # the money-flow rules (their parser loads where it runs)
