"""Money flows: payers, payees, periods and restatements, on our own sample report and invented sentences."""

from __future__ import annotations

import datetime

import pyarrow as pa
import pytest
from spacy.language import Language

from pipeline.document import structure_tables
from pipeline.extract.facts import extract, load_nlp
from pipeline.extract.flows import money_flows
from pipeline.flow_checks import flows_join_amounts, flows_parties_resolve, flows_periods_ordered
from pipeline.model import PageStart, TextBlock
from pipeline.rows import text_blocks_from_tables
from pipeline.schemas import to_arrow


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def _flows(blocks: list[TextBlock], sections: list[dict], nlp: Language) -> tuple[list[dict], dict[str, dict]]:
    rows = extract(blocks, nlp)
    block_rows = [{"block_id": b.block_id, "kind": b.kind, "text": b.text} for b in blocks]
    flows = money_flows(
        block_rows,
        sections,
        rows["mentions"],
        rows["organizations"] + rows["people"],
        rows["amounts"],
        rows["dates"],
    )
    return flows, {a["mention_id"]: a for a in rows["amounts"]}


def _years(flow: dict) -> list[int] | None:
    if flow["period_start"] is None and flow["period_end"] is None:
        return None
    return [d.year if d else None for d in (flow["period_start"], flow["period_end"])]


def _readable(flows: list[dict], amounts: dict[str, dict]) -> list[dict]:
    return [
        {
            "text": amounts[f["mention_id"]]["text"],
            "from": f["from_names"],
            "to": f["to_names"],
            "period": _years(f),
            "restates": amounts[f["restates_mention_id"]]["text"] if f["restates_mention_id"] else None,
        }
        for f in flows
    ]


@pytest.mark.parametrize("key", ["a1", "b2"])
def test_sample_report_flows_are_exact(key: str, reports, parsed, nlp: Language) -> None:
    tables = structure_tables(parsed[key])
    blocks = text_blocks_from_tables(tables["blocks"], tables["pages"])
    rows = extract(blocks, nlp)
    flows = money_flows(
        tables["blocks"].to_pylist(),
        tables["sections"].to_pylist(),
        rows["mentions"],
        rows["organizations"] + rows["people"],
        rows["amounts"],
        rows["dates"],
    )
    amounts = {a["mention_id"]: a for a in rows["amounts"]}
    fields = ("from", "to", "period", "restates")
    got = {
        (amounts[f["mention_id"]]["value"], amounts[f["mention_id"]]["currency"]): {k: r[k] for k in fields}
        for f, r in zip(flows, _readable(flows, amounts), strict=True)
    }
    expected = {(f["value"], f["currency"]): {k: f[k] for k in fields} for f in reports[key].money_flows}
    assert got == expected
    data = to_arrow("money_flows", flows)
    assert flows_join_amounts(data, to_arrow("amounts", rows["amounts"])).passed
    orgs, people = to_arrow("organizations", rows["organizations"]), to_arrow("people", rows["people"])
    assert flows_parties_resolve(data, orgs, people).passed
    assert flows_periods_ordered(data).passed
    assert len(flows) == len(reports[key].money_flows) >= 17


def _block(n: int, text: str) -> TextBlock:
    return TextBlock(f"blk_{n}", "paragraph", text, "sec_1", (PageStart(0, 3, "1"),))


def test_restatement_own_year_and_topic(nlp: Language) -> None:
    text = (
        "The Orvan Harbour Authority (OHA) runs the ports of Veltrava. The OHA employs 400 staff. "
        "Actual expenditures in 2020 were USD 40 million (approx. EUR 37 million) (USD 35 million in 2019), "
        "and the proposed budget for 2021 is USD 45 million."
    )
    flows, amounts = _flows([_block(0, text)], [], nlp)
    got = _readable(flows, amounts)
    authority = "Orvan Harbour Authority"
    assert got == [
        {"text": "USD 40 million", "from": [authority], "to": [], "period": [2020, 2020], "restates": None},
        {
            "text": "approx. EUR 37 million",
            "from": [authority],
            "to": [],
            "period": [2020, 2020],
            "restates": "USD 40 million",
        },
        {"text": "USD 35 million", "from": [authority], "to": [], "period": [2019, 2019], "restates": None},
        {"text": "USD 45 million", "from": [], "to": [authority], "period": [2021, 2021], "restates": None},
    ]
    assert all(f["evidence"] and f["evidence"] in text for f in flows)
    assert flows[0]["from_entity_ids"][0].startswith("org_")


def test_giving_verb_government_and_period_forms(nlp: Language) -> None:
    text = (
        "Norway and Sweden signed a port agreement. "
        "From 2013 to 2019, the Norwegian government contributed USD 12 million to the Orvan Harbour Authority. "
        "As of the end of March 2022, the Tide Council has spent USD 3 million."
    )
    flows, amounts = _flows([_block(0, text)], [], nlp)
    first, second = _readable(flows, amounts)
    assert first["from"] == ["Norway"] and first["to"] == ["Orvan Harbour Authority"]
    assert first["period"] == [2013, 2019]
    assert flows[0]["from_entity_ids"] == [None]
    assert second["period"] == [2013, 2022]  # "as of" counts from the nearest date before
    assert flows[1]["period_end"] == datetime.date(2022, 3, 31)


def test_market_size_names_no_party(nlp: Language) -> None:
    text = "The Orvan Harbour Authority (OHA) praised the OHA staff. In 2016 the market was USD 9 billion."
    flows, amounts = _flows([_block(0, text)], [], nlp)
    (flow,) = _readable(flows, amounts)
    assert flow == {"text": "USD 9 billion", "from": [], "to": [], "period": [2016, 2016], "restates": None}
    assert flows[0]["kind"] == "market_size"


def _table(rows: list[dict]) -> pa.Table:
    base = {
        "mention_id": "men_1",
        "from_names": [],
        "to_names": [],
        "from_entity_ids": [],
        "to_entity_ids": [],
        "period_start": None,
        "period_end": None,
        "restates_mention_id": None,
    }
    return to_arrow("money_flows", [base | r for r in rows])


def test_checks_catch_broken_rows() -> None:
    amounts = to_arrow("amounts", [{"mention_id": "men_1", "text": "USD 1", "value": 1.0, "currency": "USD"}])
    orgs = to_arrow("organizations", [{"entity_id": "org_1", "name": "Tide Council"}])
    people = to_arrow("people", [])
    assert flows_join_amounts(_table([{}]), amounts).passed
    assert not flows_join_amounts(_table([{"mention_id": "men_2"}]), amounts).passed
    assert not flows_join_amounts(_table([{}, {}]), amounts).passed
    assert not flows_join_amounts(_table([{"restates_mention_id": "men_9"}]), amounts).passed
    good = {"from_names": ["Tide Council", "Veltrava"], "from_entity_ids": ["org_1", None]}
    assert flows_parties_resolve(_table([good]), orgs, people).passed
    assert not flows_parties_resolve(
        _table([{"to_names": ["Tide Board"], "to_entity_ids": ["org_1"]}]), orgs, people
    ).passed
    assert not flows_parties_resolve(_table([{"to_names": ["Tide Council"], "to_entity_ids": []}]), orgs, people).passed
    reverse = {"period_start": datetime.date(2022, 1, 1), "period_end": datetime.date(2021, 12, 31)}
    assert not flows_periods_ordered(_table([reverse])).passed
    assert flows_periods_ordered(_table([{"period_end": datetime.date(2021, 12, 31)}])).passed


def test_recurrence_unit(nlp: Language) -> None:
    text = (
        "The Tide Council pays a subsidy of USD 2,000 per paper. Its budget grew to USD 9 million, an increase of 5%."
    )
    flows, _ = _flows([_block(0, text)], [], nlp)
    assert [f["per"] for f in flows] == ["paper", None]
    assert flows[0]["kind"] == "subsidy" and flows[0]["from_names"] == ["Tide Council"]
