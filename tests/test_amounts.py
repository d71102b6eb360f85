"""Monetary amount extraction on invented sentences about the fictional Republic of Veltrava."""

from __future__ import annotations

import pytest

from pipeline.extract.amounts import AmountMatch, find_amounts


def _only(text: str) -> AmountMatch:
    found = find_amounts(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "surface", "value", "currency"),
    [
        ("The Veltravan ministry set aside CNY17 billion for new labs.", "CNY17 billion", 17e9, "CNY"),
        ("Its harbour fund holds CNY 9 billion in reserves.", "CNY 9 billion", 9e9, "CNY"),
        ("A rover grant of $65 million was approved.", "$65 million", 65e6, "USD"),
        ("Donors pledged US$ 3.5 billion to the delta project.", "US$ 3.5 billion", 3.5e9, "USD"),
        ("Output reached 31.6 trillion JPY last cycle.", "31.6 trillion JPY", 31.6e12, "JPY"),
        ("The consortium spent 2.7 billion euros on probes.", "2.7 billion euros", 2.7e9, "EUR"),
        ("Orvan Institute received 83 million RMB in total.", "83 million RMB", 83e6, "CNY"),
        ("A loan of 700 million yuan financed the bridge.", "700 million yuan", 700e6, "CNY"),
        ("Each visitor paid 10 thousand yen at the gate.", "10 thousand yen", 1e4, "JPY"),
        ("The archive was sold for 7,250.50 USD.", "7,250.50 USD", 7250.5, "USD"),
        ("Capital of two million dollars was raised.", "two million dollars", 2e6, "USD"),
        ("A reserve of one hundred million yuan was kept.", "one hundred million yuan", 1e8, "CNY"),
        ("The prize is worth a million euros.", "a million euros", 1e6, "EUR"),
        ("Ticket sales brought in twenty-five thousand yen.", "twenty-five thousand yen", 25e3, "JPY"),
        ("The bond raised $1.2bn for ports.", "$1.2bn", 1.2e9, "USD"),
        ("The agency lent €300mn to farmers.", "€300mn", 3e8, "EUR"),
        ("Rent is £950 in the capital.", "£950", 950, "GBP"),
        ("Rice cost ¥480 per bag.", "¥480", 480, "JPY"),
        ("Seoul partners added KRW 5 billion.", "KRW 5 billion", 5e9, "KRW"),
        ("Field offices received 40 million INR.", "40 million INR", 40e6, "INR"),
        ("The mint issued 75 Hong Kong dollars in coins.", "75 Hong Kong dollars", 75, "HKD"),
        ("Fees of 30 pounds sterling apply.", "30 pounds sterling", 30, "GBP"),
        ("They won a two million-dollar award.", "two million-dollar", 2e6, "USD"),
        ("A grant of 15 million\nUSD arrived late.", "15 million\nUSD", 15e6, "USD"),
    ],
)
def test_single_amount(text: str, surface: str, value: float, currency: str) -> None:
    found = _only(text)
    assert found.text == surface
    assert text[found.start : found.end] == surface
    assert found.value == pytest.approx(value)
    assert found.currency == currency
    assert found.value_high is None


@pytest.mark.parametrize(
    ("text", "approximate"),
    [
        ("Building costs were approx. 12 million RMB.", True),
        ("Building costs were approximately 12 million RMB.", True),
        ("Building costs were about $12 million.", True),
        ("Building costs were around 12 million euros.", True),
        ("Building costs were roughly 12 million euros.", True),
        ("Building costs were nearly $12 million.", True),
        ("Building costs were almost $12 million.", True),
        ("Building costs were more than $12 million.", True),
        ("Building costs went over $12 million.", True),
        ("Grants of up to $12 million are offered.", True),
        ("Building costs were at least 12 million yuan.", True),
        ("Building costs were some 12 million yuan.", True),
        ("Building costs were ~$12 million.", True),
        ("Building costs were exactly $12 million.", False),
    ],
)
def test_approximate_markers(text: str, approximate: bool) -> None:
    found = _only(text)
    assert found.approximate is approximate
    assert found.value == pytest.approx(12e6)
    assert text[found.start : found.end] == found.text


def test_approximate_marker_is_part_of_surface() -> None:
    assert _only("It cost about $3,500.").text == "about $3,500"


def test_amount_with_converted_amount_in_brackets() -> None:
    text = "The lab spent 64 million RMB (approx. 1.3 billion JPY) on optics."
    first, second = find_amounts(text)
    assert (first.text, first.value, first.currency, first.approximate) == (
        "64 million RMB",
        64e6,
        "CNY",
        False,
    )
    assert (second.text, second.value, second.currency, second.approximate) == (
        "approx. 1.3 billion JPY",
        1.3e9,
        "JPY",
        True,
    )


@pytest.mark.parametrize(
    ("text", "value", "high", "currency"),
    [
        ("Small grants run $5-10 million each.", 5e6, 10e6, "USD"),
        ("Bids fell between 2 and 3 billion USD.", 2e9, 3e9, "USD"),
        ("Stipends pay 4,500 to 5,200 RMB per month.", 4500, 5200, "CNY"),
        ("Budgets range from $500,000 to 2 million.", 5e5, 2e6, "USD"),
        ("Awards span €2 million to €4 million.", 2e6, 4e6, "EUR"),
        ("Subsidies of five to ten million yen were paid.", 5e6, 10e6, "JPY"),
    ],
)
def test_ranges(text: str, value: float, high: float, currency: str) -> None:
    found = _only(text)
    assert found.value == pytest.approx(value)
    assert found.value_high == pytest.approx(high)
    assert found.currency == currency
    assert text[found.start : found.end] == found.text


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("Stipends pay 4,500 to 5,200 RMB per month.", "month"),
        ("Each museum gets approx. three million RMB per year.", "year"),
        ("The lease is $40,000 a month.", "month"),
        ("Operations cost 9 million euros annually.", "year"),
        ("Royalties of £2 million per annum are due.", "year"),
        ("The rig burns $80,000 per day.", "day"),
        ("Crews earn 600 USD weekly.", "week"),
        ("Interns receive 2,400 yuan monthly.", "month"),
        ("Authors get about $1,500 per article.", None),
        ("Labour is billed at $85 per hour.", "hour"),
        ("Each technician costs $85 per work- hour in the yard.", "hour"),
        ("Divers are paid $40 hourly.", "hour"),
    ],
)
def test_periods(text: str, period: str | None) -> None:
    assert _only(text).period == period


@pytest.mark.parametrize(
    "text",
    [
        "Veltrava published 318,902 papers in the decade.",
        "Funding rose 14.2% over the previous year.",
        "The survey began in 2019 and ended in 2021.",
        "A few million dollars were mentioned, without detail.",
        "The census counted 3,200 households.",
        "The CNYX index rose by 5 points.",
        "EURO-PEAN 12 is the name of a probe.",
        "It ships 40 EURO-PEAN modules.",
        "Prices are quoted in constant 2015 US dollars.",
        "Funding in millions of dollars is shown in Figure 3.",
    ],
)
def test_non_amounts(text: str) -> None:
    assert find_amounts(text) == []


def test_offsets_over_a_paragraph() -> None:
    text = (
        "In its third plan, the Veltravan Research Council spent 3.4 billion yuan, "
        "while partners gave US$250 million and roughly €75 million more."
    )
    found = find_amounts(text)
    assert [a.text for a in found] == ["3.4 billion yuan", "US$250 million", "roughly €75 million"]
    assert all(text[a.start : a.end] == a.text for a in found)
    assert [a.currency for a in found] == ["CNY", "USD", "EUR"]


def test_qualified_table_cell_with_leader_dots() -> None:
    """A costs cell: "Up to" caps the first figure (the ceiling, approximate); the next one stands alone."""
    found = find_amounts("Up to $6,715 ......... $0 ..........................")
    assert [(a.value, a.approximate, a.currency) for a in found] == [(6715.0, True, "USD"), (0.0, False, "USD")]
