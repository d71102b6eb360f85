"""The persistent Dagster instance the CLI shares with ``dagster dev``, so CLI runs show up in the UI."""

import os
from pathlib import Path

import dagster as dg

from assets.resources import PROJECT_ROOT

# Runs queued by the sensor or the UI: at most one run per document partition at a time, so two
# runs of one document never interleave (the writer's file lock covers runs started elsewhere).
INSTANCE_CONFIG = """\
telemetry:
  enabled: false
concurrency:
  runs:
    max_concurrent_runs: 4
    tag_concurrency_limits:
      - key: "dagster/partition"
        value:
          applyLimitPerUniqueValue: true
        limit: 1
"""


def dagster_home() -> Path:
    """``$DAGSTER_HOME`` if set, else the project-local ``.dagster/`` (also what ``make ui`` uses)."""
    home = Path(os.environ.get("DAGSTER_HOME") or PROJECT_ROOT / ".dagster").resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(INSTANCE_CONFIG)
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def persistent_instance() -> dg.DagsterInstance:
    dagster_home()
    return dg.DagsterInstance.get()
