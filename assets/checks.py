"""Asset check specs and how outcomes from ``pipeline.checks`` become Dagster check results.

The checks run inside the asset that produces the tables, before anything is written:
a failing ERROR check stops the step, so the previous good partition stays in place
and nothing downstream runs on wrong data (``blocking=True``). WARN checks only report.
"""

import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import dagster as dg
import pyarrow as pa

from assets.partitions import documents_partitions
from pipeline import checks, flow_checks


@dataclass(frozen=True)
class Check:
    asset: str
    name: str
    run: Callable[[dict[str, pa.Table]], checks.CheckOutcome]
    blocking: bool

    def spec(self) -> dg.AssetCheckSpec:
        # partitioned checks are a preview feature in Dagster 1.13; we rely on it knowingly
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", dg.PreviewWarning)
            return dg.AssetCheckSpec(
                self.name,
                asset=self.asset,
                blocking=self.blocking,
                description=(self.run.__doc__ or "").strip() or None,
                partitions_def=documents_partitions,
            )


STRUCTURE_CHECKS = [
    Check("pages", "characters_accounted", lambda t: checks.characters_accounted(t["pages"]), False),
    Check("footnotes", "footnote_sequence", lambda t: checks.footnote_sequence(t["footnotes"]), False),
    Check("sections", "headings_match_toc", lambda t: checks.headings_match_toc(t["sections"]), False),
    Check("sections", "section_tree", lambda t: checks.sections_unique(t["sections"]), True),
]

FACT_CHECKS = [
    Check("mentions", "offsets_round_trip", lambda t: checks.offsets_round_trip(t["mentions"], t["blocks"]), True),
    Check("amounts", "currency_and_value", lambda t: checks.amounts_valid(t["amounts"]), True),
    Check("dates", "start_before_end", lambda t: checks.dates_ordered(t["dates"]), True),
]

FLOW_CHECKS = [
    Check(
        "money_flows",
        "flows_join_amounts",
        lambda t: flow_checks.flows_join_amounts(t["money_flows"], t["amounts"]),
        True,
    ),
    Check(
        "money_flows",
        "parties_resolve",
        lambda t: flow_checks.flows_parties_resolve(t["money_flows"], t["organizations"], t["people"]),
        True,
    ),
    Check(
        "money_flows", "period_start_before_end", lambda t: flow_checks.flows_periods_ordered(t["money_flows"]), True
    ),
]


def evaluate(specs: Iterable[Check], tables: dict[str, pa.Table]) -> tuple[list[dg.AssetCheckResult], list[str]]:
    """Run the checks; return their results and the descriptions of failed blocking ones."""
    results, blocking_failures = [], []
    for check in specs:
        outcome = check.run(tables)
        severity = dg.AssetCheckSeverity.ERROR if check.blocking else dg.AssetCheckSeverity.WARN
        results.append(
            dg.AssetCheckResult(
                asset_key=check.asset,
                check_name=check.name,
                passed=outcome.passed,
                severity=severity,
                description=outcome.description,
                metadata={
                    k: dg.MetadataValue.json(v) if isinstance(v, (dict, list)) else v
                    for k, v in outcome.metadata.items()
                },
            )
        )
        if check.blocking and not outcome.passed:
            blocking_failures.append(f"{check.asset}.{check.name}: {outcome.description}")
    return results, blocking_failures
