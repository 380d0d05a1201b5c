"""Proof of identity and contact checks (第二十九条), and the masks used everywhere."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from bot.errors import InvalidInput
from bot.tickets.identity import (
    check_email,
    check_identity,
    check_identity_for,
    check_phone,
    mod11_2_check,
    uscc_check,
)
from bot.tickets.masking import mask_email, mask_identity, mask_phone

VALID = [
    ("resident_id", "11010519491231002X"),  # GB 11643 sample, check character X
    ("resident_id", "11010519491231002x"),  # lower-case x is accepted and normalised
    ("uscc", "91350100M000100Y43"),  # a published 统一社会信用代码
    ("passport", "E12345678"),
    ("passport", "EA1234567"),
    ("passport", "K1234567"),
    ("hk_macao_permit", "H12345678"),
    ("hk_macao_permit", "M1234567890"),
    ("taiwan_permit", "12345678"),
    ("foreign_permanent_resident", "USA123456789012"),  # the 2017 card
    ("foreign_permanent_resident", "933100001234567896"),  # the 2023 card, MOD 11-2 check
]

INVALID = [
    ("resident_id", "110105194912310021"),  # wrong check digit
    ("resident_id", "11010519491331002X"),  # month 13
    ("resident_id", "1101051949123100"),  # too short
    ("resident_id", "01010519491231002X"),  # region code cannot start with 0
    ("uscc", "91350100M000100Y44"),  # wrong check character
    ("uscc", "91350100M000100I43"),  # I is not in the GB 32100 alphabet
    ("passport", "ABCDEFGH"),  # no digit
    ("passport", "E1234"),  # too short
    ("hk_macao_permit", "A12345678"),
    ("taiwan_permit", "1234567"),
    ("foreign_permanent_resident", "US1234567890123"),
    ("foreign_permanent_resident", "933100001234567890"),  # wrong check digit
]


@pytest.mark.parametrize(("kind", "number"), VALID)
def test_valid_numbers(kind: str, number: str) -> None:
    assert check_identity(kind, number) == number.upper()


@pytest.mark.parametrize(("kind", "number"), INVALID)
def test_invalid_numbers_are_refused_without_repeating_them(kind: str, number: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_identity(kind, number)
    assert number not in str(caught.value)


_BIRTH = st.dates(min_value=date(1920, 1, 1), max_value=date(2020, 12, 31))


@given(region=st.integers(110000, 659999), born=_BIRTH, seq=st.integers(0, 999), wrong=st.integers(1, 10))
def test_mod11_2_accepts_its_own_check_and_rejects_any_other(region: int, born: date, seq: int, wrong: int) -> None:
    body = f"{region}{born:%Y%m%d}{seq:03d}"
    check = mod11_2_check(body)
    assert check_identity("resident_id", body + check) == body + check
    other = "0123456789X"[("0123456789X".index(check) + wrong) % 11]
    with pytest.raises(InvalidInput):
        check_identity("resident_id", body + other)


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=17, max_size=17))
def test_gb32100_check_character_round_trip(body: str) -> None:
    assert check_identity("uscc", body + uscc_check(body)) == body + uscc_check(body)


def test_people_and_organisations_use_their_own_documents() -> None:
    check_identity_for("natural_person", "resident_id")
    check_identity_for("legal_services", "uscc")
    with pytest.raises(InvalidInput):
        check_identity_for("natural_person", "uscc")
    with pytest.raises(InvalidInput):
        check_identity_for("commercial", "resident_id")


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("13812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("0745-2230100", "0745-2230100"),
        ("07452230100", "07452230100"),
        ("+85291234567", "+85291234567"),
    ],
)
def test_valid_phones(raw: str, normalised: str) -> None:
    assert check_phone(raw) == normalised


@pytest.mark.parametrize("raw", ["12812345678", "1381234567", "2230100", "phone", "+1"])
def test_invalid_phones(raw: str) -> None:
    with pytest.raises(InvalidInput):
        check_phone(raw)


@pytest.mark.parametrize("raw", ["hhhcxxs@163.com", "zhang.san+gk@example.com.cn"])
def test_valid_emails(raw: str) -> None:
    assert check_email(raw) == raw


@pytest.mark.parametrize("raw", ["hhhcxxs163.com", "a@b", "a b@example.com", "a@@example.com"])
def test_invalid_emails(raw: str) -> None:
    with pytest.raises(InvalidInput):
        check_email(raw)


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("11010519491231002X", "110*************2X"),
        ("91350100M000100Y43", "913*************43"),
        ("E12345678", "E*******8"),
        ("123", "***"),
    ],
)
def test_mask_identity(value: str, masked: str) -> None:
    assert mask_identity(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [("13812345678", "138****5678"), ("0745-2230100", "074*-***0100"), ("2230100", "*****00")],
)
def test_mask_phone(value: str, masked: str) -> None:
    assert mask_phone(value) == masked


def test_mask_email() -> None:
    assert mask_email("zhang.san@example.com") == "z***@example.com"


@given(st.from_regex(r"[1-9]\d{16}[\dX]", fullmatch=True))
def test_a_masked_identity_never_contains_the_number(number: str) -> None:
    masked = mask_identity(number)
    assert number not in masked and len(masked) == len(number)
    assert number[3:-2] not in masked


def test_birth_dates_before_1900_are_refused() -> None:
    body = "110105" + (date(1899, 12, 31) + timedelta(days=0)).strftime("%Y%m%d") + "002"
    with pytest.raises(InvalidInput):
        check_identity("resident_id", body + mod11_2_check(body))


def _with_check(body: str) -> str:
    return body + mod11_2_check(body)


@pytest.mark.parametrize("number", [
    _with_check("11011519500101123"),  # 110115 大兴区 exists since 2001; a first card issued there, born 1950
    _with_check("43300119990101123"),  # 433001 怀化市 (the old city), retired in 1997; born 1999
    _with_check("14999919800101123"),  # a code no table lists
])
def test_a_number_is_never_refused_for_its_region_code(number: str) -> None:
    # python-stdnum's own validate refuses these (its region table is stricter than the law), or fails.
    with pytest.raises(Exception):  # noqa: B017 - InvalidComponent, or KeyError for an unlisted code
        ric.validate(number)
    assert check_identity("resident_id", number) == number


def test_an_organisation_code_may_start_with_a_letter() -> None:
    # GB 32100: the registering authority may be a letter (N: 农业农村, for 村级集体经济组织 N2…);
    # stdnum.cn.uscc.validate wants eight leading digits.
    body = "N2430902MF0000001"
    code = body + uscc_check(body)
    assert not uscc.is_valid(code)
    assert check_identity("uscc", code) == code
    with pytest.raises(InvalidInput):
        check_identity("uscc", body + ("0" if code[-1] != "0" else "1"))
