"""The persistent Dagster instance the CLI shares with ``dagster dev``, so CLI runs show up in the UI."""

import os
from pathlib import Path

import dagster as dg

from assets.resources import PROJECT_ROOT


def dagster_home() -> Path:
    """``$DAGSTER_HOME`` if set, else the project-local ``.dagster/`` (also what ``make ui`` uses)."""
    home = Path(os.environ.get("DAGSTER_HOME") or PROJECT_ROOT / ".dagster").resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text("telemetry:\n  enabled: false\n")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def persistent_instance() -> dg.DagsterInstance:
    dagster_home()
    return dg.DagsterInstance.get()
