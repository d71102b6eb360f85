"""Fact extraction end to end on invented text about the fictional Republic of Veltrava."""

from __future__ import annotations

import datetime

import pytest
from spacy.language import Language

from pipeline.extract.facts import extract, load_nlp
from pipeline.model import PageStart, TextBlock
from pipeline.schemas import to_arrow


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


def block(n: int, text: str, kind: str = "paragraph", page: int = 1, pages: tuple[PageStart, ...] = ()) -> TextBlock:
    return TextBlock(f"blk_{n}", kind, text, "sec_1", pages or (PageStart(0, page, str(page + 2)),))


def person(rows: dict, name: str) -> dict:
    found = [p for p in rows["people"] if name in p["aliases"]]
    assert len(found) == 1, (name, rows["people"])
    return found[0]


def organization(rows: dict, alias: str) -> dict:
    found = [o for o in rows["organizations"] if alias in o["aliases"]]
    assert len(found) == 1, (alias, rows["organizations"])
    return found[0]


PEOPLE = [
    "Professor Ilse Varga chaired the Veltravan delegation in Orvan.",
    "In her closing remarks, Varga Ilse thanked the hosts for the invitation.",
    "The proposal of Dr. Tomas KREN was adopted, and Tomas Kren's team will draft the plan.",
    "General Secretary Oren Malik opened the summit, and Malik later met the press.",
    "Founders Ana and Luis Ferreira started the company in Orvan in 2015.",
    "Prices were quoted in JPY and USD, and the Veltravan Space Agency (VSA) reviewed them.",
]


def test_people_are_merged_and_cleaned(nlp: Language) -> None:
    rows = extract([block(i, t, page=i + 1) for i, t in enumerate(PEOPLE)], nlp)
    varga = person(rows, "Ilse Varga")
    assert set(varga["aliases"]) == {"Ilse Varga", "Varga Ilse"} and varga["pages"] == [1, 2]
    kren = person(rows, "Tomas Kren")
    assert set(kren["aliases"]) == {"Tomas KREN", "Tomas Kren"} and kren["name"] in kren["aliases"]
    malik = person(rows, "Oren Malik")
    assert "Malik" in malik["aliases"] and malik["mention_count"] == 2
    assert person(rows, "Ana")["name"] == "Ana Ferreira"
    every_alias = {a for p in rows["people"] for a in p["aliases"]}
    assert every_alias.isdisjoint({"JPY", "USD", "VSA", "Professor Ilse Varga", "Tomas Kren's", "Luis"})
    assert not any(o["name"] in {"JPY", "USD"} for o in rows["organizations"])


ORGS = [
    "Funding is provided by the Veltravan Space Agency (VSA), which reports to parliament.",
    "The VSA also works with ORVA (Orvan Research and Veterinary Association).",
    "Veltrava's Harbour Science Council (HSC) sets the research agenda.",
    "The HSC met in March and the VSA and ORVA attended.",
    "A private firm, the Harbour Shipping Company (HSC), is unrelated to the council.",
    "This HSC reported record freight volumes.",
    "The Orvan Institute of Marine Studies hosted the meeting; the Orvan Institute of Marine Studies' director spoke.",
]


def test_organizations_and_acronyms(nlp: Language) -> None:
    blocks = [block(i, t, page=i + 1) for i, t in enumerate(ORGS)]
    rows = extract(blocks, nlp)
    vsa = organization(rows, "VSA")
    assert vsa["name"] == "Veltravan Space Agency" and vsa["acronym"] == "VSA"
    assert vsa["pages"] == [1, 2, 4]
    orva = organization(rows, "ORVA")
    assert orva["name"] == "Orvan Research and Veterinary Association" and orva["pages"] == [2, 4]
    council = organization(rows, "Harbour Science Council")
    company = organization(rows, "Harbour Shipping Company")
    assert council["entity_id"] != company["entity_id"]
    assert council["acronym"] == company["acronym"] == "HSC"
    hsc = {m["page"]: m["entity_id"] for m in rows["mentions"] if m["text"] == "HSC"}
    assert hsc == {3: council["entity_id"], 4: council["entity_id"], 5: company["entity_id"], 6: company["entity_id"]}
    institute = organization(rows, "Orvan Institute of Marine Studies")
    assert institute["mention_count"] == 2 and institute["aliases"] == ["Orvan Institute of Marine Studies"]


def test_amounts_and_dates(nlp: Language) -> None:
    text = "The ministry spent 2.5 billion euros on ports. Work began on 14 March 2021 and ended in May 2022."
    rows = extract([block(0, text)], nlp)
    (amount,) = rows["amounts"]
    assert amount["value"] == 2.5e9 and amount["currency"] == "EUR" and amount["text"] == "2.5 billion euros"
    assert amount["sentence"] == "The ministry spent 2.5 billion euros on ports."
    assert amount["page"] == 1 and amount["page_label"] == "3" and amount["section_id"] == "sec_1"
    day, month = rows["dates"]
    assert (day["start"], day["end"], day["precision"]) == (datetime.date(2021, 3, 14),) * 2 + ("day",)
    assert (month["start"], month["end"]) == (datetime.date(2022, 5, 1), datetime.date(2022, 5, 31))
    assert day["sentence"] == month["sentence"] == "Work began on 14 March 2021 and ended in May 2022."
    labels = {m["text"]: (m["label"], m["entity_id"], m["source"]) for m in rows["mentions"]}
    assert labels["2.5 billion euros"] == ("MONEY", None, "rule")
    assert labels["14 March 2021"] == ("DATE", None, "rule")


def _document() -> list[TextBlock]:
    """Prose over a page break, a table, a footnote, a heading and a figure."""
    spread = "The Orvan Harbour Authority (OHA) was led by Mira Holt. " * 3
    return [
        block(0, "Veltravan Port Reform", kind="heading"),
        block(1, spread, pages=(PageStart(0, 4, "ii"), PageStart(len(spread) // 2, 5, "iii"))),
        block(
            2, "Body | Budget\nOrvan Harbour Authority | USD 4 million\nMira Holt | 2 June 2020", kind="table", page=5
        ),
        block(3, "1 Holt, M., report to the OHA, 3 May 2019, on EUR 300 million of bonds.", kind="footnote", page=5),
        block(4, "Kasper Lindqvist Tide Council USD 9 million", kind="figure", page=6),
    ]


def test_every_mention_points_into_its_block(nlp: Language) -> None:
    blocks = _document()
    rows = extract(blocks, nlp)
    by_id = {b.block_id: b for b in blocks}
    assert rows["mentions"]
    for m in rows["mentions"]:
        b = by_id[m["block_id"]]
        assert b.text[m["start_char"] : m["end_char"]] == m["text"]
        assert (m["page"], m["page_label"]) == (b.page_at(m["start_char"]).page, b.page_at(m["start_char"]).page_label)
        assert (m["entity_id"] is None) == (m["label"] in {"MONEY", "DATE"})
    for table in ("amounts", "dates"):
        for r in rows[table]:
            assert by_id[r["block_id"]].text[r["start_char"] : r["end_char"]] == r["text"]
    assert not any(m["block_id"] == "blk_4" for m in rows["mentions"])
    assert {m["page"] for m in rows["mentions"] if m["block_id"] == "blk_1"} == {4, 5}
    cells = [m for m in rows["mentions"] if m["block_id"] == "blk_2"]
    assert {m["text"] for m in cells} >= {"Orvan Harbour Authority", "USD 4 million", "2 June 2020"}


def test_rows_fit_the_contract_and_are_deterministic(nlp: Language) -> None:
    first = extract(_document(), nlp)
    second = extract(_document(), nlp)
    assert first == second
    for table, rows in first.items():
        assert to_arrow(table, rows).num_rows == len(rows)
    ids = [m["mention_id"] for m in first["mentions"]]
    assert len(ids) == len(set(ids))
    entity_ids = {m["entity_id"] for m in first["mentions"]} - {None}
    assert entity_ids == {r["entity_id"] for r in first["organizations"] + first["people"]}


def test_entity_ids_depend_on_the_name_only(nlp: Language) -> None:
    one = extract([block(0, "In 2020, Mira Holt left the Orvan Harbour Authority.")], nlp)
    other = extract([block(7, "Minister Mira Holt left the Orvan Harbour Authority in 2020.", page=9)], nlp)
    assert (
        organization(one, "Orvan Harbour Authority")["entity_id"]
        == organization(other, "Orvan Harbour Authority")["entity_id"]
    )
    assert person(one, "Mira Holt")["entity_id"] == person(other, "Mira Holt")["entity_id"]


def test_native_script_and_known_as_names_join(nlp: Language) -> None:
    text = (
        "Trade runs through the Orvan Technology Exchange (奥尔万技术交易所有限公司、奥技所). "
        "Grants come from the Veltra-Orvan Exchange Foundation (commonly known as the Marlow Foundation)."
    )
    rows = extract([block(0, text)], nlp)
    exchange = organization(rows, "Orvan Technology Exchange")
    assert set(exchange["aliases"]) >= {"奥尔万技术交易所有限公司", "奥技所"}
    assert organization(rows, "Marlow Foundation")["aliases"][0] == "Veltra-Orvan Exchange Foundation"


def test_names_only_in_title_case_need_a_plain_use(nlp: Language) -> None:
    blocks = [
        block(0, "Building Resilient Harbour Networks Across Veltrava", kind="heading"),
        block(1, "The Orvan Harbour Authority published new rules.", page=2),
        block(2, "Orvan Harbour Authority Annual Review", kind="heading", page=3),
    ]
    rows = extract(blocks, nlp)
    assert [o["name"] for o in rows["organizations"]] == ["Orvan Harbour Authority"]
    assert organization(rows, "Orvan Harbour Authority")["pages"] == [2, 3]


NOTICE = [
    "AGENCY: Veltravan Harbour Administration (VHA), Ministry of Tides.",
    "ACTION: Notice of proposed rulemaking (NPRM).",
    "SUMMARY: The VHA proposes to supersede Harbour Directive (HD) 2019-04, which applies to all 212 KRX vessels.",
    "This proposed harbour directive would require installing new ballast control computer (BCC) software "
    "on BCC A and BCC B, and revising the Vessel Operating Manual (VOM).",
    "Operators must follow 12 VRC 45.1 and 12 VRC 45.3 and the Orvan Special Notice Bulletin 212-31.",
    "The Orvan Special Notice Bulletin 212-40 describes the test, and the Orvan Special Notice Bulletin 212-41 "
    "the checklist. Operators may ask the Dredging Safety Branch for help.",
    "For more information contact Mira Talven, Manager, Dredging Safety Branch, VHA; phone: 555-0100.",
    "Steps labelled RC Exempt are removed from that step.",
    "Issued on May 3, 2020. Kerel Ostan, Director, Compliance & Survey Division, Coastal Certification Service.",
]


def test_notice_terms_are_not_organizations(nlp: Language) -> None:
    """Document types, lower-case terms, codes after numbers and product labels stay out of organizations."""
    rows = extract([block(i, t, page=i + 1) for i, t in enumerate(NOTICE)], nlp)
    names = {a for o in rows["organizations"] for a in [o["name"], *o["aliases"]]}
    assert organization(rows, "VHA")["name"] == "Veltravan Harbour Administration"
    for body in ["Ministry of Tides", "Dredging Safety Branch", "Compliance & Survey Division"]:
        assert body in names, (body, names)
    terms = {"NPRM", "Harbour Directive", "HD", "BCC", "BCC A", "Vessel Operating Manual", "VOM", "VRC", "KRX"}
    assert names.isdisjoint(terms), names & terms
    assert not any("Bulletin" in n or "Special Notice" in n or n.startswith("Director") for n in names), names


def test_notice_people_need_a_name_shape(nlp: Language) -> None:
    rows = extract([block(i, t, page=i + 1) for i, t in enumerate(NOTICE)], nlp)
    people = {p["name"] for p in rows["people"]}
    assert {"Mira Talven", "Kerel Ostan"} <= people
    assert people.isdisjoint({"RC Exempt", "Vessel Operating Manual"}), people


def test_a_news_outlet_named_once_is_kept(nlp: Language) -> None:
    """A one-off model ORG needs support; a news outlet's head noun is that support, a bare phrase is not."""
    text = "According to the Orvan Harbour Daily, the Gold Tide Access scheme opened in 2021."
    names = {o["name"] for o in extract([block(0, text)], nlp)["organizations"]}
    assert "Orvan Harbour Daily" in names and "Gold Tide Access" not in names, names


def test_a_designator_alone_without_article_is_a_name(nlp: Language) -> None:
    """ "Parliament charges ..." names a body; "the Agency's", plural "Centres" and "Party-building" do not."""
    texts = [
        "Under that statute, Parliament charges the Veltra Tide Office with keeping the harbours safe.",
        "The scope of the Agency's authority is set out in the Harbour Act, and the Veltra Tide Office reports yearly.",
        "There are Centres in fields such as marine science, and Party-building efforts must be described.",
    ]
    names = {o["name"] for o in extract([block(i, t, page=i + 1) for i, t in enumerate(texts)], nlp)["organizations"]}
    assert names == {"Parliament", "Veltra Tide Office"}, names


def test_a_colon_ends_an_organization_name(nlp: Language) -> None:
    text = "Airworthiness Notices; The Orvan Company: Docket No. VT–2020–0686; Product Identifier 2019–NM–035."
    names = {o["name"] for o in extract([block(0, text)], nlp)["organizations"]}
    assert names == {"Orvan Company"}, names


def test_a_capitalised_particle_opens_an_organization_name(nlp: Language) -> None:
    """ "La", "De" opening a body's name belong to it; a lower-case "of" before a head still ends a lead."""
    text = (
        "Funding came from the La Vela Institute for Tides and from De Grauw Foundation, "
        "and Ann Ostrel of the Veltra Harbour Agency signed it."
    )
    names = {o["name"] for o in extract([block(0, text)], nlp)["organizations"]}
    assert {"La Vela Institute for Tides", "De Grauw Foundation", "Veltra Harbour Agency"} <= names, names
    assert not {"Vela Institute for Tides", "Grauw Foundation"} & names, names
