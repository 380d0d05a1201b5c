"""Masks for personal data: what lists, staff chat and anything logged may show."""

from __future__ import annotations

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
