"""The council profile: defaults, validation like a dataset, demo profiles, optional data."""

from __future__ import annotations

import pickle
import tomllib
from datetime import date
from pathlib import Path

import pytest

from sendreport.cli import main
from sendreport.demo.profiles import demo_profile_toml
from sendreport.exceptions import EXIT_INVALID, ProfileError
from sendreport.profile import Profile, load_profile, parse_profile

HERTFORDSHIRE_WORDS = (
    "Hertfordshire",
    "PALMS",
    "Families First",
    "Cabinet Panel",
    "SEND Partnership Board",
)
HEREFORDSHIRE_WORDS = ("Herefordshire", "Wye Valley", "Scrutiny Committee", "Partnership Group")


def write_profile(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "council.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_absent_profile_gives_neutral_defaults(tmp_path: Path) -> None:
    profile = load_profile(tmp_path)
    assert profile == Profile()
    named = profile.named_for("884")
    assert named.short_name == "Herefordshire"
    assert named.committee == "the council's scrutiny committee"
    assert named.small_number_threshold == 5
    assert not named.demo


def test_a_few_lines_are_enough(tmp_path: Path) -> None:
    write_profile(
        tmp_path,
        '[council]\nname = "Somewhere Borough Council"\n'
        '[governance]\nperformance_committee = "Children\'s Scrutiny Panel"\n',
    )
    profile = load_profile(tmp_path).named_for("330")
    assert profile.name == "Somewhere Borough Council"
    assert profile.short_name == "Birmingham"  # from the register when not given
    assert profile.committee == "the Children's Scrutiny Panel"
    assert profile.source.endswith("council.toml")


def test_three_improvement_areas_with_their_own_measures(tmp_path: Path) -> None:
    write_profile(
        tmp_path,
        """
[waiting_lists]
baseline_date = 2024-03-31

[[improvement_areas]]
area_id = 1
metrics = ["ehcna_decision_6wk_pct"]

[[improvement_areas]]
area_id = 2
metrics = ["ehcp_overdue_open", "ehcp_caseload"]

[[improvement_areas]]
area_id = 7
metrics = []
""",
    )
    profile = load_profile(tmp_path)
    assert [a.area_id for a in profile.improvement_areas] == [1, 2, 7]
    assert profile.metrics_for(2) == ("ehcp_overdue_open", "ehcp_caseload")
    assert profile.metrics_for(3) == ()
    assert profile.waiting_list_baseline == date(2024, 3, 31)
    assert profile.to_json()["improvement_areas"][0] == {
        "area_id": 1,
        "metrics": ["ehcna_decision_6wk_pct"],
    }


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        ('[council]\nnmae = "X"\n', "council.nmae", "did you mean 'name'"),
        ('[councill]\nname = "X"\n', "councill", "did you mean 'council'"),
        ("[disclosure]\nsmall_number_threshold = \"5\"\n", "disclosure.small_number_threshold", "whole number"),
        ("[waiting_lists]\nbaseline_date = \"2023-09-30\"\n", "waiting_lists.baseline_date", "without quotes"),
        ('[links]\nlocal_offer = "www.example.gov.uk"\n', "links.local_offer", "https://"),
        ("demo = 1\n", "demo", "true or false"),
        (
            '[[improvement_areas]]\narea_id = 1\nmetrics = ["camhs_waitng"]\n',
            "improvement_areas[1].metrics",
            "did you mean 'camhs_waiting'",
        ),
        ("[[improvement_areas]]\narea_id = \"one\"\n", "improvement_areas[1].area_id", "area_id"),
    ],
)  # fmt: skip
def test_a_bad_key_is_exit_2_naming_the_key(tmp_path: Path, text: str, key: str, words: str):
    write_profile(tmp_path, text)
    with pytest.raises(ProfileError) as caught:
        load_profile(tmp_path)
    err = caught.value
    assert err.exit_code == EXIT_INVALID
    assert err.key == key
    assert key in str(err) and "council.toml" in str(err)
    assert words in str(err)
    assert "how to fix" in str(err)
    copy = pickle.loads(pickle.dumps(err))
    assert str(copy) == str(err)


def test_several_problems_are_reported_together(tmp_path: Path) -> None:
    write_profile(tmp_path, '[council]\nnmae = "X"\n[ratings]\namber_band_pct = "ten"\n')
    with pytest.raises(ProfileError) as caught:
        load_profile(tmp_path)
    assert "council.nmae" in str(caught.value) and "ratings.amber_band_pct" in str(caught.value)


def test_not_toml_names_the_line(tmp_path: Path) -> None:
    write_profile(tmp_path, "[council]\nname = Somewhere\n")
    with pytest.raises(ProfileError, match="line 2"):
        load_profile(tmp_path)


def test_validate_command_refuses_a_bad_profile(tmp_path: Path, capsys) -> None:
    from sendreport.demo import write_demo

    write_demo(tmp_path, "884")
    write_profile(tmp_path, '[council]\nshort = "Hereford"\n')
    assert main(["validate", "--data", str(tmp_path), "--la", "884"]) == EXIT_INVALID
    err = capsys.readouterr().err
    assert "council.short" in err and "Traceback" not in err


@pytest.mark.parametrize("code", ["919", "884", "330", "201"])
def test_demo_profiles_parse_and_carry_only_their_councils_words(code: str) -> None:
    text = demo_profile_toml(code, {"330": "Birmingham", "201": "City of London"}.get(code, ""))
    profile = parse_profile(tomllib.loads(text), Path("council.toml"))
    assert profile.demo is True
    assert len(profile.improvement_areas) == 5
    others = {
        "919": HEREFORDSHIRE_WORDS,
        "884": HERTFORDSHIRE_WORDS,
    }.get(code, HERTFORDSHIRE_WORDS + HEREFORDSHIRE_WORDS)
    for word in others:
        assert word not in text, f"{code}'s demo profile mentions {word!r}"
    if code == "919":
        assert profile.camhs_service.startswith("PALMS")
        assert profile.early_help_service == "Families First"
    if code == "884":
        assert profile.committee == "the Children and Young People Scrutiny Committee"
        assert profile.plan_name == "SEND action plan"


def test_sign_off_roles(tmp_path: Path) -> None:
    from sendreport.profile import parse_profile

    good = parse_profile(
        {"sign_off": {"required_roles": ["Analyst", "assurer", "approver"]}}, tmp_path
    )
    assert good.sign_off_roles == ("analyst", "analytical assurer", "approver")
    assert good.to_json()["sign_off_roles"] == ["analyst", "analytical assurer", "approver"]
    with pytest.raises(ProfileError, match=r"sign_off\.required_roles"):
        parse_profile({"sign_off": {"required_roles": ["chief"]}}, tmp_path)
