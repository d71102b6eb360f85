"""Synthetic PDF policy reports (fictional Republic of Veldoria) with exact ground truth."""

from samplegen.report import (
    STYLE_A,
    STYLE_B,
    STYLE_C,
    STYLE_D,
    STYLE_E,
    STYLE_F,
    STYLES,
    GeneratedReport,
    ReportStyle,
    build_report,
)

__all__ = [
    "STYLES",
    "STYLE_A",
    "STYLE_B",
    "STYLE_C",
    "STYLE_D",
    "STYLE_E",
    "STYLE_F",
    "GeneratedReport",
    "ReportStyle",
    "build_report",
]
