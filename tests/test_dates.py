"""Date extraction on invented sentences about the fictional Republic of Veltrava."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.extract.dates import DateMatch, find_dates


def _only(text: str) -> DateMatch:
    found = find_dates(text)
    assert len(found) == 1, found
    assert text[found[0].start : found[0].end] == found[0].text
    return found[0]


@pytest.mark.parametrize(
    ("text", "surface", "start", "end", "precision"),
    [
        (
            "The charter was signed on November 28, 2012 in Veltra.",
            "November 28, 2012",
            date(2012, 11, 28),
            date(2012, 11, 28),
            "day",
        ),
        (
            "The charter was signed on 28 November 2012 in Veltra.",
            "28 November 2012",
            date(2012, 11, 28),
            date(2012, 11, 28),
            "day",
        ),
        (
            "The charter was signed on Nov. 28, 2012 in Veltra.",
            "Nov. 28, 2012",
            date(2012, 11, 28),
            date(2012, 11, 28),
            "day",
        ),
        (
            "The charter was signed on Nov 28 2012 in Veltra.",
            "Nov 28 2012",
            date(2012, 11, 28),
            date(2012, 11, 28),
            "day",
        ),
        (
            "The charter was signed on 2012-11-28 in Veltra.",
            "2012-11-28",
            date(2012, 11, 28),
            date(2012, 11, 28),
            "day",
        ),
        (
            "The charter was signed on 2012/11/28 in Veltra.",
            "2012/11/28",
            date(2012, 11, 28),
            date(2012, 11, 28),
            "day",
        ),
        (
            "The rule lapses on February 29th, 2028.",
            "February 29th, 2028",
            date(2028, 2, 29),
            date(2028, 2, 29),
            "day",
        ),
        (
            "The reform began on Sept. 3, 2019 after a vote.",
            "Sept. 3, 2019",
            date(2019, 9, 3),
            date(2019, 9, 3),
            "day",
        ),
        ("The ORVAN BULLETIN, APRIL 2031 issue.", "APRIL 2031", date(2031, 4, 1), date(2031, 4, 30), "month"),
        (
            "The council met in April 2031 to vote.",
            "April 2031",
            date(2031, 4, 1),
            date(2031, 4, 30),
            "month",
        ),
        (
            "The satellite flew in Feb. 2023 for tests.",
            "Feb. 2023",
            date(2023, 2, 1),
            date(2023, 2, 28),
            "month",
        ),
        (
            "The summit ran June 3-5, 2023 in Port Delm.",
            "June 3-5, 2023",
            date(2023, 6, 3),
            date(2023, 6, 5),
            "day",
        ),
        (
            "The fair ran October 4 to 6, 2021 in Port Delm.",
            "October 4 to 6, 2021",
            date(2021, 10, 4),
            date(2021, 10, 6),
            "day",
        ),
        (
            "The fair ran 4-6 October 2021 in Port Delm.",
            "4-6 October 2021",
            date(2021, 10, 4),
            date(2021, 10, 6),
            "day",
        ),
        (
            "The school ran October 29 to November 3, 2024 on the coast.",
            "October 29 to November 3, 2024",
            date(2024, 10, 29),
            date(2024, 11, 3),
            "day",
        ),
        (
            "Veltrava chaired the board from April 2012 to October 2016.",
            "April 2012 to October 2016",
            date(2012, 4, 1),
            date(2016, 10, 31),
            "month",
        ),
        (
            "The trial ran from June to July 2021 in two towns.",
            "June to July 2021",
            date(2021, 6, 1),
            date(2021, 7, 31),
            "month",
        ),
        (
            "The drills ran December to February 2019 each night.",
            "December to February 2019",
            date(2018, 12, 1),
            date(2019, 2, 28),
            "month",
        ),
        (
            "Field work took place between April and June 2020.",
            "between April and June 2020",
            date(2020, 4, 1),
            date(2020, 6, 30),
            "month",
        ),
        ("[Harbour Doc. 2020–1722 Filed 8–5–20; 8:45 am]", "8–5–20", date(2020, 8, 5), date(2020, 8, 5), "day"),
        ("The permit was dated 11/3/19 by the clerk.", "11/3/19", date(2019, 11, 3), date(2019, 11, 3), "day"),
    ],
)
def test_day_and_month_dates(text: str, surface: str, start: date, end: date, precision: str) -> None:
    found = _only(text)
    assert (found.text, found.start_date, found.end_date, found.precision) == (
        surface,
        start,
        end,
        precision,
    )


@pytest.mark.parametrize(
    ("text", "surface", "first", "last"),
    [
        ("The Veltravan Research Council was founded in 2019.", "2019", 2019, 2019),
        ("Output has doubled since 2015 in most provinces.", "2015", 2015, 2015),
        ("The fleet must be electric by 2040 under the plan.", "2040", 2040, 2040),
        ("Records were sealed until 1905 by decree.", "1905", 1905, 1905),
        ("Exports grew during 2011 despite floods.", "2011", 2011, 2011),
        ("Membership stood at 41 as of 2018.", "2018", 2018, 2018),
        ("The mine closed at the end of 2017.", "2017", 2017, 2017),
        ("The target year 2030 was kept.", "2030", 2030, 2030),
        ("Spending rose in fiscal 2021.", "2021", 2021, 2021),
        ("Spending rose in FY2024 and fell later.", "FY2024", 2024, 2024),
        ("The act (2016) reshaped the courts.", "2016", 2016, 2016),
        ("The Delm Outlook 2035 sets goals.", "2035", 2035, 2035),
        ("The 2022 Harbour Forum drew crowds.", "2022", 2022, 2022),
        ("The plan covers 2008-2022 for all regions.", "2008-2022", 2008, 2022),
        ("The plan covers 2008–2022 for all regions.", "2008–2022", 2008, 2022),
        ("Census rounds ran 2017 to 2024 nationwide.", "2017 to 2024", 2017, 2024),
        ("Subsidies ran from 2013 through 2018 nationwide.", "2013 through 2018", 2013, 2018),
        ("Grants were paid between 2012 and 2014 only.", "between 2012 and 2014", 2012, 2014),
        ("The league played its 2011/12 season at home.", "2011/12", 2011, 2012),
    ],
)
def test_years(text: str, surface: str, first: int, last: int) -> None:
    found = _only(text)
    assert found.text == surface
    assert found.precision == "year"
    assert (found.start_date, found.end_date) == (date(first, 1, 1), date(last, 12, 31))


@pytest.mark.parametrize(
    "text",
    [
        "See https://veltrava.example/2019/05/plan-2020.pdf for details.",
        "See www.delm-agency.example/reports/2021-budget.html today.",
        "Mirror: <https://\nwww.delm.example/2018/01/02/notes> archived.",
        "The file vrc-fy2019-qa-dlm07 lists the projects.",
        "Case number 2023-12345 was closed.",
        "The handbook has ISBN 978-4-2019-8812-3 on its cover.",
        "Decree No. 2019 was repealed.",
        "The quote is on p. 2019 of the reprint.",
        "The index is on pp. 2010-2015 of the atlas.",
        "Veltrava had 2,019 registered ships.",
        "The ratio was 2019.5 on the old scale.",
        "Delm counted 2020 papers on algae.",
        "The institute had a total of 2020 researchers on staff.",
        "The codes 1,2020 and 3,2021 are retired.",
        "Growth was 2020% in that niche.",
        "The 2019-nCoV samples were stored.",
        "Open the report_2019.pdf attachment.",
        "Call 03-2019-2020 for the desk.",
        "You may 2020 not see this, in lower case.",
        "This notice replaces Notice 2018–23–51 in full.",
        "Include Product Identifier 2019– VT–035–XY in the comments.",
        "The clerk profiled 8-5-20 cases and stamped 8-5-20 forms.",
        "The permit was dated 13/3/19 by the clerk.",
    ],
)
def test_non_dates(text: str) -> None:
    assert find_dates(text) == []


def test_year_without_cue_after_count_word_is_not_a_date() -> None:
    assert find_dates("Some 1950 delegates attended.") == []


def test_overlapping_candidates_keep_longest() -> None:
    found = _only("The treaty took effect on May 12, 2021 across Veltrava.")
    assert found.text == "May 12, 2021"
    assert found.precision == "day"


def test_footnote_call_after_month_year() -> None:
    found = _only("The regulation was adopted in June 2011.7 The text follows.")
    assert found.text == "June 2011"


def test_yearless_day_borrows_year_from_same_sentence() -> None:
    text = "The 2026 Delm Expo opens on June 14th in the old port."
    found = find_dates(text)
    assert [(d.text, d.start_date) for d in found] == [
        ("2026", date(2026, 1, 1)),
        ("June 14th", date(2026, 6, 14)),
    ]


def test_yearless_day_without_year_in_sentence_is_dropped() -> None:
    text = "The bridge opened in 2000. Under the treaty signed later (November 21), tolls ended."
    assert [d.text for d in find_dates(text)] == ["2000"]


def test_month_of_that_year() -> None:
    text = "Veltrava joined the customs pact in 2009. Later, in March of the same year, tariffs fell."
    found = find_dates(text)
    assert [(d.text, d.start_date, d.end_date, d.precision) for d in found] == [
        ("2009", date(2009, 1, 1), date(2009, 12, 31), "year"),
        ("March of the same year", date(2009, 3, 1), date(2009, 3, 31), "month"),
    ]


def test_invalid_calendar_day_is_skipped() -> None:
    assert find_dates("It ended on February 30, 2021.") == []


def test_offsets_over_a_paragraph() -> None:
    text = (
        "Founded in 1998, the Orvan Institute opened a lab on June 3, 2004 and\n"
        "ran surveys from 2010 to 2012 (see https://orvan.example/2011/x).\n"
        "Its last review, dated 15 January 2023, covers March 2020 to May 2022."
    )
    found = find_dates(text)
    assert [d.text for d in found] == [
        "1998",
        "June 3, 2004",
        "2010 to 2012",
        "15 January 2023",
        "March 2020 to May 2022",
    ]
    assert all(text[d.start : d.end] == d.text for d in found)
