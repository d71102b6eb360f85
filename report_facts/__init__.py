"""Command-line entry points of report-facts (the ``report-facts`` console script)."""
