"""Masks for personal data: what lists, staff chat and anything logged may show."""

from __future__ import annotations

import re

MASK = "*"


def mask_identity(number: str) -> str:
    """Keep the first 3 and last 2 characters of a long number, first and last of a short one."""
    if len(number) >= 12:
        head, tail = 3, 2
    elif len(number) >= 4:
        head, tail = 1, 1
    else:
        return MASK * len(number)
    return number[:head] + MASK * (len(number) - head - tail) + number[-tail:]


def mask_phone(phone: str) -> str:
    """Hide the middle digits: 13812345678 → 138****5678; short numbers keep only the last 2."""
    digits = [i for i, c in enumerate(phone) if c.isdigit()]
    keep = set(digits[:3] + digits[-4:]) if len(digits) >= 10 else set(digits[-2:])
    return "".join(c if (i in keep or not c.isdigit()) else MASK for i, c in enumerate(phone))


def mask_email(email: str) -> str:
    local, at, domain = email.partition("@")
    if not at:
        return MASK * len(email)
    return (local[:1] + MASK * 3) + "@" + domain


# Free text (a citizen's question): identity numbers, e-mail addresses, then any run of 7 or more
# digits (phones, written with spaces or dashes too); over-masking a long figure is the safe mistake.
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15}|[A-Za-z]{1,3}\d{7,12})(?![0-9A-Za-z])")
_EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_DIGITS_IN_TEXT = re.compile(r"(?<![0-9])\+?\d(?:[\d\- ]*\d){6,}(?![0-9])")


def mask_text(text: str) -> str:
    """``text`` with identity numbers, phone numbers and e-mail addresses masked (before it is stored)."""
    text = _ID_IN_TEXT.sub(lambda m: mask_identity(m[0]), text)
    text = _EMAIL_IN_TEXT.sub(lambda m: mask_email(m[0]), text)
    return _DIGITS_IN_TEXT.sub(lambda m: mask_phone(m[0]) if sum(c.isdigit() for c in m[0]) >= 7 else m[0], text)
