"""Name rules without the model: acronym definitions, cleaning, merge keys, variants (fictional Veltrava)."""

from __future__ import annotations

import pytest

from pipeline.extract.acronyms import acronym_shaped, find_definitions
from pipeline.extract.amounts import is_currency_code
from pipeline.extract.cjk import find_cjk_orgs
from pipeline.extract.evidence import (
    WordIndex,
    common_acronyms,
    document_modifiers,
    explained_terms,
    lower_case_phrases,
)
from pipeline.extract.orgnames import clean_org, is_org_name, names_a_body, org_key
from pipeline.extract.orgvariants import variant_links
from pipeline.extract.personnames import clean_person, is_full_name, name_key, person_shaped
from pipeline.normalise import normalise


def _definitions(text: str) -> list[tuple[str, str, str]]:
    """(acronym, long form, long form with its qualifier) for every definition in ``text``."""
    return [
        (text[d.short_start : d.short_end], text[d.long_start : d.long_end], text[d.qualified_start : d.long_end])
        for d in find_definitions(text)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Funding comes from the Veltravan Space Agency (VSA) every year.",
            [("VSA", "Veltravan Space Agency", "Veltravan Space Agency")],
        ),
        (
            "The ORVA (Orvan Research and Veterinary Association) met twice.",
            [("ORVA", "Orvan Research and Veterinary Association", "Orvan Research and Veterinary Association")],
        ),
        (
            "She joined the National Natural Harbour Foundation (NNHF) in spring.",
            [("NNHF", "National Natural Harbour Foundation", "National Natural Harbour Foundation")],
        ),
        (
            "Observers include the Inter-Island network on Tide Science (ITTS).",
            [("ITTS", "Inter-Island network on Tide Science", "Inter-Island network on Tide Science")],
        ),
        (
            "Data came from the VSA Centre for Orbit Studies (COS) last year.",
            [("COS", "Centre for Orbit Studies", "VSA Centre for Orbit Studies")],
        ),
        (
            "Guidance on Regional Tide Groups (RTGs) was issued.",
            [("RTGs", "Regional Tide Groups", "Regional Tide Groups")],
        ),
        (
            "The Tide Academy of Veltra for the advancement of science in island states (TAV) met.",
            [("TAV", "Tide Academy of Veltra", "Tide Academy of Veltra")],
        ),
        (
            "Work with the Orvan Tide Council on matters of coastal safety (OTC) went on.",
            [("OTC", "Orvan Tide Council", "Orvan Tide Council")],
        ),
    ],
)
def test_acronym_definitions(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert _definitions(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The flight data recorder (FDR) was recovered.",  # lower-case long form: not a name
        "Install the Data Set of the yard for years of study (DSY) now.",  # the name does not spell it all
        "Sales rose in Veltrava (USD) last year.",  # currency codes are not acronyms
        "See Chapter IV (II) for details.",  # Roman numerals are not acronyms
        "Parts may be covered under warranty, thereby Computer (PWC) costs fall.",  # crosses a clause
    ],
)
def test_no_acronym_definition(text: str) -> None:
    assert find_definitions(text) == []


@pytest.mark.parametrize(
    ("span", "name"),
    [
        ("Professor Ilse Varga", "Ilse Varga"),
        ("General Secretary Oren Malik", "Oren Malik"),
        ("Dr. Tomas KREN", "Tomas KREN"),
        ("Helena Marsh's", "Helena Marsh"),
        ("Helena Marsh’s", "Helena Marsh"),
        ("Founders Ana", "Ana"),
        ("Pia Lund - June 2", "Pia Lund"),
        ("Nils K. Ostrand", "Nils K. Ostrand"),
    ],
)
def test_clean_person(span: str, name: str) -> None:
    found = clean_person(span)
    assert found is not None and span[found[0] : found[1]] == name


@pytest.mark.parametrize("span", ["VSA", "JPY", "Orvan Science Agency", "Plenary Lectures", "Coastal Regeneration"])
def test_clean_person_rejects(span: str) -> None:
    assert clean_person(span) is None


def test_name_key_ignores_order_case_and_initials() -> None:
    assert name_key("Mei Dalan") == name_key("Dalan Mei")
    assert name_key("Tomas KREN") == name_key("Tomas Kren")
    assert name_key("Nils K. Ostrand") == name_key("Nils Ostrand")
    assert is_full_name("Nils K. Ostrand") and not is_full_name("P.O. Box")


@pytest.mark.parametrize(
    ("span", "at_start", "name"),
    [
        ("the Orvan Institute of Marine Studies'", False, "Orvan Institute of Marine Studies"),
        ("The Veltravan Academy of Arts", True, "Veltravan Academy of Arts"),
        ("The World Tide Academy", False, "The World Tide Academy"),
        ("• (2) the Harbour Council,", False, "Harbour Council"),
        ("November, Orvan Print & Media Ltd.", False, "Orvan Print & Media Ltd."),
        ("9th Tide Congress of the Veltra Party", False, "Tide Congress of the Veltra Party"),
        ("21st Century Tide Institute", False, "21st Century Tide Institute"),
        ("The Orvan Company: Docket No", True, "Orvan Company"),
    ],
)
def test_clean_org(span: str, at_start: bool, name: str) -> None:
    start, end = clean_org(span, at_sentence_start=at_start)
    assert span[start:end] == name


def test_org_names_and_keys() -> None:
    assert org_key("Association for Tide Science") == org_key("the Association of Tide Science")
    assert org_key("Orvan Centre for Reefs") == org_key("Orvan Center for Reefs")
    assert org_key("Orvan Print & Media Ltd.") == org_key("Orvan Print & Media")
    assert not is_org_name("Actively") and not is_org_name("MEMORANDUM") and is_org_name("VSA")
    assert not is_org_name("Ministry of Tides said that")
    assert names_a_body("Veltravan Development Programme") and names_a_body("Center for Tide Strategy")
    assert not names_a_body("Sustainable Tide Goals") and not names_a_body("Chief Harbour Officer")


def test_variant_links() -> None:
    forms = ["Tide Data Office", "VSA Tide Data Office", "Halden Reef Institute", "Halden Reef Institute for Corals"]
    forms += ["United Harbours", "UH", "Veltravan Ministry of Tides", "Ministry of Tides"]
    links = set(variant_links(forms, defined=set()))
    assert ("VSA Tide Data Office", "Tide Data Office") in links
    assert ("Halden Reef Institute for Corals", "Halden Reef Institute") in links
    assert ("UH", "United Harbours") in links
    assert ("Veltravan Ministry of Tides", "Ministry of Tides") in links


def test_shared_base_is_ambiguous() -> None:
    links = variant_links(["Veltravan Academy of Arts", "Orvanian Academy of Arts", "Academy of Arts"], set())
    assert links == []


def test_currency_codes_are_not_acronyms() -> None:
    assert is_currency_code("USD") and is_currency_code("RMB") and not is_currency_code("VSA")
    assert acronym_shaped("VSA") and acronym_shaped("RTGs") and not acronym_shaped("USD")


def test_cjk_org_names() -> None:
    text = "Orvan Exchange (奥尔万技术交易所有限公司、奥技所) and “关于奥尔万港口的意见”"
    assert [text[a:b] for a, b in find_cjk_orgs(text)] == ["奥尔万技术交易所有限公司", "奥技所"]


def test_terms_are_not_bodies_or_people() -> None:
    """Document types, numbered items and roles name no body; codes and document nouns name no one."""
    for term in [
        "Vessel Operating Manual",
        "Harbour Directive",
        "Orvan Air Flight 212",
        "Service Bulletin 212",
        "Harbour Engineer",
    ]:
        assert not names_a_body(term), term
    assert names_a_body("Dredging Safety Branch") and names_a_body("Unit 3")
    assert not is_org_name("Authority for This Rule") and is_org_name("Authority for Tides")
    assert not person_shaped("RC Exempt") and not person_shaped("Maintenance Manual")
    assert person_shaped("Kerel T. Ostan") and person_shaped("Tomas KREN")


@pytest.mark.parametrize(
    ("span", "name"),
    [
        ("Director, Compliance & Survey Division", "Compliance & Survey Division"),
        ("Vessels The Orvan Company", "Orvan Company"),
        ("Veltra Fishing, Marine and Coastal Organization", "Veltra Fishing, Marine and Coastal Organization"),
    ],
)
def test_clean_org_drops_roles_and_run_in_words(span: str, name: str) -> None:
    start, end = clean_org(span, at_sentence_start=False)
    assert span[start:end] == name


def test_document_evidence_for_terms() -> None:
    texts = [
        "Install the new ballast control computer (BCC) and the Notice of proposed changes (NPC) applies.",
        "The Veltra Space Agency (VSA) and the Ministry of education (MOE) met.",
        "Revise the Vessel Operating Manual. The vessel operating manual is on board.",
        "See the Orvan Special Notice Bulletin 4 and the Orvan Special Notice Bulletin 5.",
        "The Orvan Tide Office agreed.",
    ]
    acronyms = set().union(*(common_acronyms(t) for t in texts))
    assert acronyms == {"BCC", "NPC"}
    forms = ["Vessel Operating Manual", "Orvan Special Notice", "Orvan Tide Office", "Veltra Space Agency"]
    index = WordIndex(texts)
    assert lower_case_phrases(forms, index) == {"Vessel Operating Manual"}
    assert document_modifiers(forms, index) == {"Orvan Special Notice"}


def test_accented_foreign_body_is_defined_once_normalised() -> None:
    """Spacing accents composed first, a Portuguese designator heads the body's name."""
    text = normalise("Work is shared with the Age\u02c6ncia Veltrana de Mare\u00b4s (AVM) and others.")
    assert _definitions(text) == [("AVM", "Agência Veltrana de Marés", "Agência Veltrana de Marés")]
    assert names_a_body("Agência Veltrana de Marés")


def test_acronyms_explained_as_non_bodies_are_terms() -> None:
    text = (
        "WTI is an abbreviation for Weighted Tide Index. VSA stands for the Veltra Space Agency. "
        "HLR is short for Harbour Load Ratio, and OTC means nothing here."
    )
    assert explained_terms(text) == {"WTI", "HLR"}
