"""Shared fixtures: our own sample reports (two visual styles, two editions; a two-column style), parsed once."""

from pathlib import Path

import pytest

from pipeline.document import ParsedDocument, parse
from samplegen import STYLE_A, STYLE_B, STYLE_E, GeneratedReport, build_report

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
REALWORLD = SHARED / "realworld"


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("samples")


@pytest.fixture(scope="session")
def reports(sample_dir: Path) -> dict[str, GeneratedReport]:
    """Style A and B, editions 1 and 2, and the two-column style E, with the generator's answer keys."""
    out = {}
    for style, editions in ((STYLE_A, (1, 2)), (STYLE_B, (1, 2)), (STYLE_E, (1,))):
        for edition in editions:
            key = f"{style.name.lower()}{edition}"
            out[key] = build_report(sample_dir / f"veldoria-{key}.pdf", style, edition)
    return out


@pytest.fixture(scope="session")
def parsed(reports: dict[str, GeneratedReport]) -> dict[str, ParsedDocument]:
    return {key: parse(report.path, workers=1) for key, report in reports.items()}


def require(path: Path) -> Path:
    """Skip cleanly when a file from ../shared is not available (tests must pass without it)."""
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path
