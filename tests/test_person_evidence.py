"""Evidence for and against person entities, without the model (fictional Veltrava text)."""

from __future__ import annotations

import pytest

from pipeline.extract.mentions import Mention
from pipeline.extract.people import resolve_people
from pipeline.extract.personevidence import without_unevidenced
from pipeline.extract.segments import segments
from pipeline.model import PageStart, TextBlock


def _kept(texts: list[str], names: list[str]) -> list[str]:
    """The people left of every occurrence of ``names`` tagged PERSON in one-paragraph blocks ``texts``."""
    blocks = [TextBlock(f"blk_{i}", "paragraph", t, "sec_1", (PageStart(0, 1, "1"),)) for i, t in enumerate(texts)]
    segs = segments(blocks)
    mentions = []
    for seg in segs:
        for name in names:
            at = seg.text.find(name)
            while at != -1:
                mentions.append(Mention(seg, seg.start + at, seg.start + at + len(name), "PERSON", "model"))
                at = seg.text.find(name, at + len(name))
    rows, ids = without_unevidenced(*resolve_people(mentions), segs)
    assert set(ids.values()) == {r["entity_id"] for r in rows}
    return sorted(r["name"] for r in rows)


@pytest.mark.parametrize(
    "text",
    [
        "Orvel Tarn, a quarterly journal for tide studies, printed the survey.",
        "Orvel Tarn, the publisher of tide charts, printed the survey.",
        "See Marrow Insight, 2021 No. 4 (Vol. 12), for the figures.",
        "The 3rd Island Forum on Coastal Erosion and Tidal Marsh Habits met in May.",
        "The tidal marsh habits of the island are studied every year.\nTidal Marsh Habits are studied.",
    ],
)
def test_evidence_against_and_none_for_drops_the_entity(text: str) -> None:
    names = ["Orvel Tarn", "Marrow Insight", "Tidal Marsh Habits"]
    assert _kept(text.split("\n"), names) == []


@pytest.mark.parametrize(
    "text",
    [
        "Prof. Orvel Tarn, a quarterly journal editor, printed the survey.",  # a title before
        "Orvel Tarn, a quarterly journal for tide studies, said so. Later Tarn left.",  # family name alone
        "Orvel Tarn said the journal, a quarterly one, was late.",  # speech verb
        "Orvel K. Tarn, 2021 No. 4, gives the figures.",  # an initial
        "Orvel Tarn (former director of the tide office), 2021 No. 4, gives them.",  # a role in apposition
    ],
)
def test_evidence_for_keeps_the_entity(text: str) -> None:
    assert _kept([text], ["Orvel K. Tarn", "Orvel Tarn", "Tarn"]) != []


def test_a_name_without_any_evidence_stays() -> None:
    assert _kept(["Orvel Tarn and Mira Voss met at the harbour."], ["Orvel Tarn", "Mira Voss"]) == [
        "Mira Voss",
        "Orvel Tarn",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The Tide Forum's Orvel Tarn opened the 3rd Island Forum on Coastal Erosion.",  # an owner, not a head
        "The Veltra Tide Office and Orvel Tarn signed the 2021 plan.",  # a body coordinated with a person
    ],
)
def test_a_name_after_a_body_is_not_its_tail(text: str) -> None:
    assert _kept([text], ["Orvel Tarn"]) == ["Orvel Tarn"]


@pytest.mark.parametrize(
    "texts",
    [
        ["Issued in Veltra on 2 May 2021.\nOrvel Tarn\nDirector, Tide Office, Veltra Marine Board."],
        ["Issued in Veltra on 2 May 2021.", "Orvel Tarn", "Director, Tide Office, Veltra Marine Board."],
    ],
)
def test_a_signature_block_is_evidence_for(texts: list[str]) -> None:
    # "Tide Office, Veltra Marine Board" would otherwise make the name the tail of a body's name
    assert _kept([t.replace("Orvel Tarn", "Tide Office Orvel Tarn") for t in texts], ["Orvel Tarn"]) == ["Orvel Tarn"]


def test_a_gloss_ends_a_body_name() -> None:
    text = "Mira Voss (Institute of Tide Studies of Veltra) and Orvel Tarn (Tide Office) wrote it."
    assert _kept([text], ["Orvel Tarn"]) == ["Orvel Tarn"]


def test_a_body_named_in_an_apposition_is_no_head() -> None:
    assert _kept(["Orvel Tarn, a Tide Office veteran, met us."], ["Orvel Tarn"]) == ["Orvel Tarn"]
