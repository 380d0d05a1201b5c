"""Checks for proof of identity and contact details (第二十九条第二款第（一）项).

Functions return the value normalised (upper case, no spaces) or raise InvalidInput. The error
message never repeats the number it rejects, so it is safe to show and to log.
"""

from __future__ import annotations

import re
from datetime import date

from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

from bot import texts
from bot.errors import InvalidInput
from bot.tickets.codes import ApplicantType, IdKind

# The check characters come from python-stdnum (stdnum.cn.ric: GB 11643, ISO 7064 MOD 11-2;
# stdnum.cn.uscc: GB 32100). Its ``validate`` functions are not used: ric.validate refuses a number
# whose region code its table does not list for the birth year (a code retired or created later, as
# when a first card is issued after a district was renamed: 110115, 大兴区 since 2001, born 1950), and
# uscc.validate wants 8 leading digits where GB 32100 allows a letter first (N2… 村级集体经济组织).
# The law asks for a valid proof of identity, not for a region table: no number is refused for its
# region code.
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, S, V, Z


def mod11_2_check(body: str) -> str:
    """The ISO 7064 MOD 11-2 check character of 17 digits (GB 11643)."""
    return str(ric.calc_check_digit(body + "0"))


def uscc_check(body: str) -> str:
    """The GB 32100 check character of the first 17 characters of a 统一社会信用代码."""
    return str(uscc.calc_check_digit(body))


def _fail(kind: str) -> InvalidInput:
    return InvalidInput(texts.INVALID_ID.format(kind=texts.ID_KIND_LABELS.get(kind, kind)))


def _well_formed_resident_id(number: str) -> bool:
    """18 characters, a region code not starting with 0, a real birth date from 1900 on; the check
    character is not looked at."""
    if not re.fullmatch(r"[1-9]\d{16}[\dX]", number):
        return False
    try:
        return ric.get_birth_date(number) >= date(1900, 1, 1)
    except ValidationError:
        return False


def check_resident_id(value: str) -> str:
    number = ric.compact(value)
    if not _well_formed_resident_id(number) or ric.calc_check_digit(number) != number[17]:
        raise _fail(IdKind.RESIDENT_ID)
    return number


def only_check_digit_wrong(value: str) -> bool:
    """True when a 居民身份证 number is well formed but its GB 11643 check character is wrong (a mistyped digit)."""
    number = ric.compact(value)
    return _well_formed_resident_id(number) and ric.calc_check_digit(number) != number[17]


def check_uscc(value: str) -> str:
    code = uscc.compact(value)
    if not re.fullmatch(f"[{_USCC_CHARS}]{{18}}", code) or uscc.calc_check_digit(code) != code[17]:
        raise _fail(IdKind.USCC)
    return code


def check_foreign_permanent_resident(value: str) -> str:
    number = value.strip().upper()
    if re.fullmatch(r"[A-Z]{3}\d{12}", number):  # the 2017 card: nationality code + 12 digits
        return number
    # The 2023 card: 18 characters starting with 9, check character as GB 11643.
    if re.fullmatch(r"9\d{16}[\dX]", number) and ric.calc_check_digit(number) == number[17]:
        return number
    raise _fail(IdKind.FOREIGN_PERMANENT_RESIDENT)


_FORMATS = {
    # ICAO 9303 document numbers are up to 9 characters; Chinese ones look like E12345678 / EA1234567.
    IdKind.PASSPORT: r"(?=.*\d)[A-Z0-9]{6,9}",
    IdKind.HK_MACAO_PERMIT: r"[HM]\d{8}(\d{2})?",  # H/M + 8 digits (older cards: 10)
    IdKind.TAIWAN_PERMIT: r"\d{8}(\d{2})?",  # 8 digits (older booklets: 10)
}


def check_identity(kind: str, value: str) -> str:
    """Validate an identity number of the given kind; return it normalised."""
    id_kind = IdKind(kind)
    if id_kind is IdKind.RESIDENT_ID:
        return check_resident_id(value)
    if id_kind is IdKind.USCC:
        return check_uscc(value)
    if id_kind is IdKind.FOREIGN_PERMANENT_RESIDENT:
        return check_foreign_permanent_resident(value)
    number = re.sub(r"\s", "", value).upper()
    if not re.fullmatch(_FORMATS[id_kind], number):
        raise _fail(id_kind)
    return number


def check_identity_for(applicant_type: str, kind: str) -> None:
    """An organisation proves itself with its 统一社会信用代码; a person with a personal document."""
    is_person = ApplicantType(applicant_type) is ApplicantType.NATURAL_PERSON
    if is_person == (IdKind(kind) is IdKind.USCC):
        raise InvalidInput(texts.ID_KIND_MISMATCH)


_MOBILE = r"1[3-9]\d{9}"
_LANDLINE = r"0\d{2,3}-?\d{7,8}(-\d{1,6})?"
_INTERNATIONAL = r"\+\d{7,15}"


def check_phone(value: str) -> str:
    """A mainland mobile or landline number (+86 allowed), or an international one in E.164 form."""
    phone = re.sub(r"[\s()（）]", "", value)
    if phone.startswith("+86"):
        phone = phone[3:].lstrip("-")
    if re.fullmatch(f"{_MOBILE}|{_LANDLINE}", phone) or re.fullmatch(_INTERNATIONAL, phone):
        return phone
    raise InvalidInput(texts.INVALID_PHONE)


_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")


def check_email(value: str) -> str:
    email = value.strip()
    if len(email) > 254 or not _EMAIL.fullmatch(email):
        raise InvalidInput(texts.INVALID_EMAIL)
    return email


def check_address(value: str) -> str:
    address = value.strip()
    if len(address) < 5 or len(address) > 300:
        raise InvalidInput(texts.INVALID_ADDRESS)
    return address
