"""Dagster layer of report-facts: partitions, resources, assets, checks and the sensor on raw/.

Thin by design: every computation lives in ``pipeline``; this package wires it into
Dagster so runs, lineage and checks show up in the UI.
"""
