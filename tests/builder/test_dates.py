"""Relative dates resolved from the article's date, with the words they came from and the precision they give."""

from __future__ import annotations

import pytest

from dashboard.build.dates import parse_absolute, relative_dates
from dashboard.build.draft import Draft
from dashboard.build.extract import read_pasted
from dashboard.build.suggest import add_article

FRIDAY = "2021-09-03"  # a Friday


@pytest.mark.parametrize(
    ("text", "words", "value"),
    [
        ("The talks resumed on Friday in Mexico.", "on Friday", "2021-09-03"),  # the article's own day
        ("They met on Thursday.", "on Thursday", "2021-09-02"),  # the latest Thursday before it
        ("The group met last Friday.", "last Friday", "2021-08-27"),
        ("Talks will resume next Monday.", "next Monday", "2021-09-06"),
        ("The delegations met last week.", "last week", "2021-08"),  # 23-29 August: one month
        ("The parties agreed this week.", "this week", "2021"),  # 30 Aug - 5 Sep: two months
        ("They signed a memorandum last month.", "last month", "2021-08"),
        ("The vote was held in March.", "in March", "2021-03"),  # the latest March on or before the date
        ("The vote was held in November.", "in November", "2020-11"),  # a month later in the year: last year's
        ("The vote is due in November.", "in November", "2021-11"),  # what is to come: the next November
        ("Results are expected on Tuesday.", "on Tuesday", "2021-09-07"),  # the next Tuesday
        ("The rule takes effect October 4.", "October 4", "2021-10-04"),
        ("The plant will close, the board decided on Tuesday.", "on Tuesday", "2021-08-31"),  # "will" is another clause
        ("The report came out last year.", "last year", "2020"),
        ("He spoke yesterday.", "yesterday", "2021-09-02"),
        ("The bill passes next year.", "next year", "2022"),
        ("The vote is due in March.", "in March", "2022-03"),  # to come, and March is past this year: next year's
        ("They met December 24.", "December 24", "2020-12-24"),  # a later day in the year: last year's
        ("Talks resume next Friday.", "next Friday", "2021-09-10"),  # "next" on the article's own weekday: a week on
        ("Talks resumed earlier this month.", "earlier this month", "2021-09"),
    ],
)
def test_a_relative_date_is_resolved_from_the_articles_date(text: str, words: str, value: str) -> None:
    found = relative_dates(text, FRIDAY)
    assert [(d.words, d.value) for d in found] == [(words, value)]
    assert text[found[0].start : found[0].end] == words


def test_nothing_is_resolved_without_the_articles_date_or_below_its_precision() -> None:
    assert relative_dates("They met on Thursday, last week.", None) == []
    assert relative_dates("They met on Thursday, last week.", "2021-09") == []  # no day: no weekday, no week
    assert [d.value for d in relative_dates("They met last month.", "2021-09")] == ["2021-08"]
    assert relative_dates("They met in March.", "2021") == []
    assert relative_dates("They met last month, on March 3.", "2021") == []  # a year's article: no month, no day
    assert relative_dates("He leaves tomorrow.", "2021-09") == []
    assert relative_dates("He spoke yesterday.", "Sept 2021") == []  # not a partial ISO date
    assert relative_dates("He spoke yesterday.", "2021-02-30") == []  # no such day


def test_a_week_across_new_year_and_a_day_that_does_not_exist_are_no_date() -> None:
    assert relative_dates("The parties agreed this week.", "2021-12-31") == []  # 27 Dec 2021 - 2 Jan 2022
    assert relative_dates("They met February 30.", FRIDAY) == []


def test_a_month_crosses_into_the_next_year() -> None:
    assert [d.value for d in relative_dates("Talks start next month.", "2021-12-10")] == ["2022-01"]


@pytest.mark.parametrize(
    ("line", "value"),
    [("March 2, 2024", "2024-03-02"), ("2 March 2024", "2024-03-02"), ("March 2024", "2024-03"), ("In 2024", "2024")],
)
def test_a_written_date_keeps_the_precision_its_words_give(line: str, value: str) -> None:
    assert parse_absolute(line) == value


def test_words_that_are_no_date_give_none() -> None:
    assert parse_absolute("no date here") is None


def test_a_lower_case_weekday_in_running_text_is_no_date() -> None:
    assert relative_dates("a friday prayer", FRIDAY) == []


def test_a_habit_is_no_date() -> None:
    assert relative_dates("He used the library every Sunday and each March.", FRIDAY) == []


def test_the_draft_shows_each_relative_date_with_its_words_and_rule() -> None:
    draft = add_article(Draft(), read_pasted("2021-09-03\nThe talks resumed on Friday. They had met last month."))
    mentions = draft.articles[0].dates
    assert [(m.words, m.suggestion.value) for m in mentions] == [("on Friday", "2021-09-03"), ("last month", "2021-08")]
    assert all(m.suggestion.rule == "relative-date" and m.suggestion.words == m.words for m in mentions)
