"""OAI-PMH's vocabulary as both sides read it (protocol/)."""

from __future__ import annotations

from datetime import datetime

import pytest

from protocol import dates, errors


def test_each_error_code_reads_back_as_its_own_class():
    for code, kind in errors.BY_CODE.items():
        error = errors.from_code(code, "why")
        assert type(error) is kind and error.code == code and error.message == "why"


def test_a_code_oai_pmh_does_not_define_is_kept_as_it_came():
    error = errors.from_code("tooManyRequests", "slow down")
    assert isinstance(error, errors.UnknownError)
    assert error.errors == [("tooManyRequests", "slow down")]


def test_several_errors_travel_together_in_response_order():
    raised = errors.BadArgument("from is wrong", errors.BadArgument("until is wrong"))
    assert raised.errors == [("badArgument", "from is wrong"), ("badArgument", "until is wrong")]
    assert not raised.echoes_arguments


def test_the_eight_codes_of_the_spec_and_no_other():
    assert sorted(errors.CODES) == sorted(
        [
            "badArgument",
            "badResumptionToken",
            "badVerb",
            "cannotDisseminateFormat",
            "idDoesNotExist",
            "noRecordsMatch",
            "noMetadataFormats",
            "noSetHierarchy",
        ]
    )


def test_a_day_as_an_upper_bound_means_its_last_second():
    assert dates.parse_argument("2024-03-01", end_of_day=True) == (
        datetime(2024, 3, 1, 23, 59, 59),
        dates.DAYS,
    )


@pytest.mark.parametrize(
    "value", ["2024-02-30", "2024-03-01T12:00:00", "2024-3-1", "", "\u0662\u0660\u0662\u0664-03-01"]
)
def test_an_argument_that_is_not_a_real_utc_datestamp_is_refused(value):
    with pytest.raises(dates.BadDatestamp):
        dates.parse_argument(value)


def test_a_stored_datestamp_reads_back_as_the_moment_written():
    moment = datetime(2024, 3, 1, 10, 0, 5)
    assert dates.parse_datestamp(dates.format_datestamp(moment)) == moment


@pytest.mark.parametrize(
    "value",
    ["2024-03-01T10:00:05", "2024-03-01 10:00:05Z", "2024-02-30T10:00:05Z", "2024-03-01", 5],
)
def test_a_stored_datestamp_of_any_other_shape_is_refused(value):
    with pytest.raises((ValueError, TypeError)):
        dates.parse_datestamp(value)


def test_a_partners_datestamp_with_offset_and_fraction_is_read_as_utc_seconds():
    assert dates.parse_lenient("2024-03-01T12:00:00.250+02:00") == datetime(2024, 3, 1, 10, 0, 0)


def test_datestamps_are_written_in_the_granularity_asked():
    moment = datetime(2024, 3, 1, 10, 0, 5)
    assert dates.format_datestamp(moment) == "2024-03-01T10:00:05Z"
    assert dates.format_datestamp(moment, dates.DAYS) == "2024-03-01"
