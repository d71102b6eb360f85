"""Data-quality checks of the ``money_flows`` table (see ``pipeline.checks`` for the others).

A flow is only worth reading when it can be traced: it joins an amount, every party it names
is an entity of the same document (or a country, named without an entity id), and its period
runs forwards.
"""

from __future__ import annotations

import pyarrow as pa

from pipeline.checks import CheckOutcome

__all__ = ["flows_join_amounts", "flows_parties_resolve", "flows_periods_ordered"]


def flows_join_amounts(flows: pa.Table, amounts: pa.Table) -> CheckOutcome:
    """Every flow joins one amount on mention_id (one flow per amount), and what it restates is an amount too."""
    ids = amounts.column("mention_id").to_pylist()
    known = set(ids)
    flow_ids = flows.column("mention_id").to_pylist()
    dangling = [m for m in flow_ids if m not in known]
    repeated = sorted({m for m in flow_ids if flow_ids.count(m) > 1}) if len(set(flow_ids)) != len(flow_ids) else []
    missing = sorted(known - set(flow_ids))
    restates = [m for m in flows.column("restates_mention_id").to_pylist() if m is not None and m not in known]
    ok = not (dangling or repeated or missing or restates)
    return CheckOutcome(
        ok,
        f"{len(flow_ids)} flows for {len(ids)} amounts" if ok else "flows and amounts do not join one to one",
        {"dangling": dangling[:50], "repeated": repeated[:50], "missing": missing[:50], "bad_restates": restates[:50]},
    )


def flows_parties_resolve(flows: pa.Table, organizations: pa.Table, people: pa.Table) -> CheckOutcome:
    """Every party with an entity_id names that organization or person by its canonical name; names and ids pair up."""
    names = dict(
        zip(
            organizations.column("entity_id").to_pylist() + people.column("entity_id").to_pylist(),
            organizations.column("name").to_pylist() + people.column("name").to_pylist(),
            strict=True,
        )
    )
    bad = []
    for r in flows.select(["mention_id", "from_names", "to_names", "from_entity_ids", "to_entity_ids"]).to_pylist():
        for side in ("from", "to"):
            party_names, ids = r[f"{side}_names"] or [], r[f"{side}_entity_ids"] or []
            paired = len(party_names) == len(ids) and all(party_names)
            if not paired or any(e is not None and names.get(e) != n for n, e in zip(party_names, ids, strict=True)):
                bad.append(r["mention_id"])
    return CheckOutcome(
        not bad,
        f"parties of {flows.num_rows - len(set(bad))} of {flows.num_rows} flows resolve",
        {"unresolved": sorted(set(bad))[:50]},
    )


def flows_periods_ordered(flows: pa.Table) -> CheckOutcome:
    """Every period runs forwards: period_start <= period_end where both are known."""
    bad = [
        r["mention_id"]
        for r in flows.select(["mention_id", "period_start", "period_end"]).to_pylist()
        if r["period_start"] is not None and r["period_end"] is not None and r["period_start"] > r["period_end"]
    ]
    return CheckOutcome(
        not bad, f"{flows.num_rows - len(bad)} of {flows.num_rows} periods ordered", {"reversed": bad[:50]}
    )
