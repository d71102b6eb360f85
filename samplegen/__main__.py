"""Command line: ``python -m samplegen OUT.pdf [--style a|b|c|d|e] [--edition 1|2] [--truth OUT.json]``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from samplegen.report import STYLES, build_report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m samplegen", description="Write a synthetic policy report PDF.")
    parser.add_argument("out", type=Path, help="PDF file to write")
    parser.add_argument(
        "--style",
        choices=sorted(STYLES),
        default="a",
        help="a: A4/Times, b: Letter/Helvetica, c: body-size headings, d: small-caps headings, e: two columns",
    )
    parser.add_argument("--edition", type=int, choices=(1, 2), default=1, help="2 = next edition of the report")
    parser.add_argument("--truth", type=Path, help="also write the ground truth as JSON")
    args = parser.parse_args(argv)
    report = build_report(args.out, STYLES[args.style], args.edition)
    if args.truth:
        args.truth.write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(report.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
