"""SEN2 person-level returns in, ``ehcp_requests`` out: the same figures as contract form."""

from __future__ import annotations

import inspect
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from sendreport.exceptions import InputFileError, ValidationFailed
from sendreport.load import load_inputs
from sendreport.metrics import REGISTRY, compute
from sendreport.periods import Period
from sendreport.sen2 import Outcome, merge_outcome, read_sen2_returns
from tests.conftest import GREAT_EXPECTATIONS
from tests.inputs.sen2_writer import as_sen2_sees, make_identities, write_return

# Validating tests share one test process (make test-fast: Great Expectations imported once).
pytestmark = GREAT_EXPECTATIONS

AS_AT = date(2024, 12, 31)
YEARS = (2023, 2024, 2025)  # periods: calendar 2022, 2023, 2024
LA = "919"


def edge_requests() -> pd.DataFrame:
    """Hand-made requests at the boundaries the metrics turn on."""
    d = pd.Timestamp
    rows = [
        # 6 weeks: 42 days in time, 43 late; 20 weeks: 140 days in time, 141 late
        ("E01", "EP1", d("2023-01-02"), "assess", d("2023-02-13"), "issue", d("2023-05-22"), 0),
        ("E02", "EP2", d("2023-01-02"), "assess", d("2023-02-14"), "issue", d("2023-05-23"), 0),
        # leap day: received 29 February 2024, decided 42 days later, plan 140 days later
        ("E03", "EP3", d("2024-02-29"), "assess", d("2024-04-11"), "issue", d("2024-07-18"), 0),
        ("E04", "EP4", d("2024-02-28"), "not_assess", d("2024-02-29"), None, None, 0),
        # a late plan with a permitted exception
        ("E05", "EP5", d("2023-03-01"), "assess", d("2023-04-01"), "issue", d("2023-11-30"), 1),
        # two requests by one person: refused in 2022, assessed and issued from 2023
        ("E06", "EP6", d("2022-03-01"), "not_assess", d("2022-04-05"), None, None, 0),
        ("E07", "EP6", d("2023-06-01"), "assess", d("2023-07-01"), "issue", d("2024-01-15"), 0),
        # across returns: A at one year end, Y the next; withdrawn assessment the next year
        ("E08", "EP8", d("2022-12-20"), "assess", d("2023-02-01"), "issue", d("2023-06-01"), 0),
        ("E09", "EP9", d("2022-11-01"), "assess", d("2022-12-10"), "withdrawn", d("2023-12-31"), 0),
        ("E10", "EP10", d("2023-10-01"), "withdrawn", d("2023-12-31"), None, None, 0),
        # before the first return's period: H/H dated by NamedPlan StartDate; H/Y
        ("E11", "EP11", d("2021-03-01"), "assess", d("2021-04-01"), "issue", d("2021-07-01"), 0),
        ("E12", "EP12", d("2021-09-01"), "assess", d("2021-10-01"), "issue", d("2022-03-01"), 0),
        # still open at the last return: decision and assessment pending
        ("E13", "EP13", d("2024-12-01"), "pending", None, None, None, 0),
        ("E14", "EP14", d("2024-06-01"), "assess", d("2024-07-01"), "pending", None, 0),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "request_id",
            "person_id",
            "received_date",
            "request_outcome",
            "request_outcome_date",
            "assessment_outcome",
            "plan_issued_date",
            "week20_exception",
        ],
    )
    frame["assessment_outcome_date"] = frame["plan_issued_date"]
    frame.loc[frame["assessment_outcome"] == "withdrawn", "plan_issued_date"] = None
    frame["la_code"] = LA
    for col in ("received_date", "request_outcome_date", "assessment_outcome_date"):
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[us]")
    frame["plan_issued_date"] = pd.to_datetime(frame["plan_issued_date"]).astype("datetime64[us]")
    frame["week20_exception"] = frame["week20_exception"].astype("Int64")
    return frame


@pytest.fixture(scope="module")
def truth(demo_frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    demo = demo_frames["ehcp_requests"]  # LA 919's
    # A quarter of the demo's requests keeps the test quick and still fills every quarter.
    demo = demo[(demo["received_date"] <= pd.Timestamp(AS_AT)) & (demo.index % 4 == 0)]
    frame = pd.concat([demo, edge_requests()], ignore_index=True)
    return as_sen2_sees(frame, AS_AT)


@pytest.fixture(scope="module")
def identities(truth: pd.DataFrame) -> dict[str, dict[str, str]]:
    return make_identities(list(truth["person_id"].unique()))


def varied_case(name: str) -> str:
    """A supplier that spells tags its own way."""
    return name.upper() if len(name) % 3 == 0 else name.lower() if len(name) % 3 == 1 else name


ANOTHER_LA = (
    "<Person><Forename>Other</Forename><Surname>Authority</Surname>"
    "<PersonBirthDate>2012-05-05</PersonBirthDate><UPN>Q999999999999</UPN>"
    "<Requests><ReceivedDate>2023-03-03</ReceivedDate><RequestOutcome>H</RequestOutcome>"
    "<Assessment><AssessmentOutcome>S</AssessmentOutcome>"
    "<AssessmentOutcomeDate>2023-05-05</AssessmentOutcomeDate></Assessment></Requests>"
    "<FavouriteColour>green</FavouriteColour></Person>\n"
)


@pytest.fixture(scope="module")
def sen2_dir(tmp_path_factory, truth, identities) -> Path:
    folder = tmp_path_factory.mktemp("sen2")
    write_return(truth, identities, 2023, folder / "SEN2_2023.xml", la_code=LA)
    write_return(
        truth,
        identities,
        2024,
        folder / "sen2 2024 resubmitted.XML",
        la_code=LA,
        tag=varied_case,
        namespace="http://www.dfe.gov.uk/CBDS/SEN2",
        extra_persons=ANOTHER_LA,
    )
    write_return(truth, identities, 2025, folder / "SEN2_2025.xml", la_code=LA)
    return folder


@pytest.fixture(scope="module")
def derived(sen2_dir: Path):
    return load_inputs(sen2_dir, datasets=["ehcp_requests"])


def requests_only_metrics() -> list[str]:
    ids = []
    for metric_id, spec in REGISTRY.items():
        params = inspect.signature(spec.func).parameters
        if set(params) - {"period"} == {"ehcp_requests"} or (
            "ehcp_requests" in params
            and all(
                p.default is not inspect.Parameter.empty or n in ("ehcp_requests", "period")
                for n, p in params.items()
            )
        ):
            ids.append(metric_id)
    return sorted(ids)


def quarters(first: str, last: str) -> list[Period]:
    return list(Period.parse_range(f"{first}..{last}"))


def test_every_request_metric_matches_contract_form(truth, derived) -> None:
    frame = derived.frames["ehcp_requests"]
    ids = requests_only_metrics()
    assert {"ehcp_20wk_pct_ex", "ehcna_decision_6wk_pct", "ehcp_overdue_open"} <= set(ids)
    compared = 0
    calendar_years = [Period.calendar_year(y) for y in (2022, 2023, 2024)]
    for period in quarters("2022-23-Q1", "2024-25-Q3") + calendar_years:
        for metric_id in ids:
            if metric_id.endswith("_cy") != (period in calendar_years):
                continue  # calendar-year metrics take calendar years, the rest quarters
            # From 2023-24 every look-back (a year earlier, the year to date) lies inside
            # the returns' periods; earlier quarters only for the quarter's own figures.
            if period.label < "2023-24-Q1" and ("yoy" in metric_id or "ytd" in metric_id):
                continue
            want = compute(metric_id, {"ehcp_requests": truth}, period)
            got = compute(metric_id, {"ehcp_requests": frame}, period)
            assert (got.value, got.numerator, got.denominator, got.components) == (
                want.value,
                want.numerator,
                want.denominator,
                want.components,
            ), f"{metric_id} {period.label}"
            compared += 1
    assert compared > 100


def test_boundaries_survive_the_round_trip(derived) -> None:
    frame = derived.frames["ehcp_requests"]
    leap = frame[frame["received_date"] == pd.Timestamp("2024-02-29")]
    assert len(leap) >= 1
    assert (leap["plan_issued_date"] == pd.Timestamp("2024-07-18")).any()
    assert frame["request_id"].is_unique
    # two requests by one person share a person id
    assert frame["person_id"].value_counts().max() >= 2
    # A then Y across returns, the concrete outcome kept with its date
    e08 = frame[frame["received_date"] == pd.Timestamp("2022-12-20")]
    assert (e08["request_outcome_date"] == pd.Timestamp("2023-02-01")).any()


def test_warnings_name_unknown_and_left_out(derived) -> None:
    text = "\n".join(derived.warnings)
    assert "'FavouriteColour' is not a SEN2 item" in text
    assert "AssessmentOutcome S" in text
    assert "Q999999999999" not in text and "Authority" not in text


def test_validation_passes_the_same_suite(derived) -> None:
    from sendreport.validate import validate_inputs

    summary = validate_inputs(derived, data_end=date(2025, 3, 31), la_code=LA, results_dir=None)
    assert (
        summary.datasets["ehcp_requests"].passed == summary.datasets["ehcp_requests"].expectations
    )


def test_merge_rules() -> None:
    y, a, h = Outcome("Y", "2023-02-01"), Outcome("A"), Outcome("H")
    assert merge_outcome(a, y) == y
    assert merge_outcome(y, h) == y  # H never overwrites a known outcome
    assert merge_outcome(y, a) == y
    assert merge_outcome(a, h) == h
    assert merge_outcome(h, a) == h
    n = Outcome("N", "2023-03-01")
    assert merge_outcome(y, n) == n  # a later concrete value wins
    w1, w2 = Outcome("W", "2022-12-31", True), Outcome("W", "2023-12-31", True)
    assert merge_outcome(w1, w2) == w1


# --- problems -------------------------------------------------------------------------


def _one(tmp_path: Path, body: str, year: int = 2024, name: str = "r.xml") -> Path:
    (tmp_path / name).write_text(
        f"<Message><Header><CollectionDetails><Year>{year}</Year></CollectionDetails>"
        f"<Source><LEA>919</LEA></Source></Header><Persons>\n{body}</Persons></Message>"
    )
    return tmp_path / name


PERSON = (
    "<Person><Forename>Ada</Forename><Surname>Smithereen</Surname>"
    "<PersonBirthDate>2015-02-03</PersonBirthDate><UPN>Q919111111111</UPN>\n{requests}</Person>\n"
)


def _errors(tmp_path: Path) -> str:
    with pytest.raises((InputFileError, ValidationFailed)) as info:
        load_inputs(tmp_path, datasets=["ehcp_requests"])
    text = str(info.value)
    for secret in ("Ada", "Smithereen", "Q919111111111", "2015-02-03"):
        assert secret not in text
    return text


def test_bad_code_names_file_person_element_and_line(tmp_path: Path) -> None:
    request = "<Requests><ReceivedDate>2023-01-05</ReceivedDate>\n<RequestOutcome>Q</RequestOutcome></Requests>"
    _one(tmp_path, PERSON.format(requests="") + PERSON.format(requests=request))
    text = _errors(tmp_path)
    assert "r.xml" in text and "Persons/Person[2]/Requests[1]/RequestOutcome" in text
    assert "line 6" in text and "'Q' is not a code" in text


def test_duplicate_request_in_one_return(tmp_path: Path) -> None:
    request = (
        "<Requests><ReceivedDate>2023-01-05</ReceivedDate><RequestOutcome>A</RequestOutcome>"
        "</Requests>"
    )
    _one(tmp_path, PERSON.format(requests=request * 2))
    assert "appears twice in one return" in _errors(tmp_path)


def test_bad_birth_date_is_not_echoed(tmp_path: Path) -> None:
    person = PERSON.replace("2015-02-03", "2015-13-45").format(requests="")
    _one(tmp_path, person)
    text = _errors(tmp_path)
    assert "PersonBirthDate" in text and "2015-13-45" not in text


def test_missing_identity(tmp_path: Path) -> None:
    _one(
        tmp_path,
        "<Person><Requests><ReceivedDate>2023-01-05</ReceivedDate>"
        "<RequestOutcome>A</RequestOutcome></Requests></Person>",
    )
    assert "no UPN" in _errors(tmp_path)


def test_doctype_and_entities_are_refused(tmp_path: Path) -> None:
    (tmp_path / "evil.xml").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        "<Message>&x;</Message>"
    )
    text = _errors(tmp_path)
    assert "evil.xml" in text and "root:" not in text


def test_broken_xml_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "broken.xml").write_text("<Message>\n<Header>\n</Message>")
    text = _errors(tmp_path)
    assert "broken.xml" in text and "line 3" in text


def test_two_returns_for_one_year(tmp_path: Path) -> None:
    _one(tmp_path, PERSON.format(requests=""), name="a.xml")
    _one(tmp_path, PERSON.format(requests=""), name="b.xml")
    assert "2 returns for collection year 2024" in _errors(tmp_path)


def test_sen2_and_a_requests_file_together(tmp_path: Path) -> None:
    _one(tmp_path, PERSON.format(requests=""))
    (tmp_path / "ehcp_requests.csv").write_text("request_id\n")
    assert "both ehcp_requests.csv and SEN2 returns" in _errors(tmp_path)


def test_item_of_a_later_year_is_a_warning(tmp_path: Path) -> None:
    request = (
        "<Requests><ReceivedDate>2023-01-05</ReceivedDate><RequestSource>1</RequestSource>"
        "<RequestOutcome>A</RequestOutcome></Requests>"
    )
    path = _one(tmp_path, PERSON.format(requests=request))
    result = read_sen2_returns([path])
    assert any("'RequestSource' is not an item of the 2024 return" in w for w in result.warnings)
    assert result.frame.loc[0, "request_outcome"] == "pending"


def test_inspect_shows_the_returns_and_no_personal_data(sen2_dir: Path, identities, capsys) -> None:
    from sendreport.cli import main

    assert main(["inspect", "--data", str(sen2_dir), "--dataset", "ehcp_requests"]) == 0
    out = capsys.readouterr().out
    assert "derived from 3 SEN2 return(s)" in out and "request_id" in out
    upns = [i["upn"] for i in identities.values() if "upn" in i]
    assert not [u for u in upns if u in out]


def test_contract_problem_names_the_return_person_and_line(tmp_path: Path) -> None:
    from sendreport.validate import validate_inputs

    backwards = (
        "<Requests><ReceivedDate>2023-07-24</ReceivedDate>"
        "<RequestOutcomeDate>2023-01-01</RequestOutcomeDate><RequestOutcome>N</RequestOutcome>"
        "</Requests>"
    )
    _one(tmp_path, PERSON.format(requests="") + PERSON.format(requests=backwards))
    loaded = load_inputs(tmp_path, datasets=["ehcp_requests"])
    with pytest.raises(ValidationFailed) as info:
        validate_inputs(loaded, data_end=date(2024, 3, 31), la_code=LA, results_dir=None)
    text = str(info.value)
    assert "'source': 'r.xml, Persons/Person[2]/Requests[1] (line 5)'" in text, text
    assert "Smithereen" not in text and "Q919111111111" not in text


def test_entity_expansion_is_refused_quickly(tmp_path: Path) -> None:
    laughs = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    (tmp_path / "laughs.xml").write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE m [<!ENTITY l0 "ha">{laughs}]>\n<Message>&l9;</Message>'
    )
    text = _errors(tmp_path)
    assert "laughs.xml" in text and "DOCTYPE" in text and "haha" not in text


def test_need_flags_age_and_exception_are_carried(tmp_path: Path) -> None:
    request = (
        "<Requests><ReceivedDate>2023-03-01</ReceivedDate><RequestOutcomeDate>2023-04-01"
        "</RequestOutcomeDate><RequestOutcome>Y</RequestOutcome><RequestMediation>0"
        "</RequestMediation><Assessment><AssessmentOutcome>Y</AssessmentOutcome>"
        "<AssessmentOutcomeDate>2023-09-01</AssessmentOutcomeDate><AssessmentTribunal>1"
        "</AssessmentTribunal><OtherMediation>1</OtherMediation><Week20>1</Week20></Assessment>"
        "<ActivePlans><SENneed><SENtype>SLCN</SENtype><SENtypeRank>2</SENtypeRank></SENneed>"
        "<SENneed><SENtype>asd</SENtype><SENtypeRank>1</SENtypeRank></SENneed></ActivePlans>"
        "</Requests>"
    )
    result = read_sen2_returns([_one(tmp_path, PERSON.format(requests=request))])
    row = result.frame.iloc[0]
    assert row["primary_need"] == "ASD" and row["age_at_request"] == "8"
    assert (row["mediation"], row["tribunal_appeal"], row["week20_exception"]) == ("1", "1", "1")
    assert row["plan_issued_date"] == row["assessment_outcome_date"] == "2023-09-01"
    assert "2015-02-03" not in result.frame.to_csv()


def test_historical_decisions_are_dated_before_the_returns_periods(derived) -> None:
    """H (decided before the return's period, no date) is dated by that bound, so the table
    meets the contract and no figure inside the returns' periods moves."""
    frame = derived.frames["ehcp_requests"]
    decided = frame[frame["request_outcome"].isin(["assess", "not_assess"])]
    assert decided["request_outcome_date"].notna().all()
    e11 = frame[frame["received_date"] == pd.Timestamp("2021-03-01")].iloc[0]
    assert e11["request_outcome_date"] < pd.Timestamp("2022-01-01")
    assert e11["received_date"] <= e11["request_outcome_date"] <= e11["assessment_outcome_date"]
