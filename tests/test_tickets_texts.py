"""Texts and settings of the ticket layer: every code has its label, no name shadows another area's."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import bot.texts
from bot import texts
from bot.settings import Settings
from bot.tickets.codes import (
    Action,
    ApplicantType,
    Channel,
    DeliveryForm,
    DeliveryWay,
    IdKind,
    PauseKind,
    RemedyKind,
    RemedyResult,
    Role,
    TicketKind,
)
from bot.tickets.outcomes import ENQUIRY_OUTCOMES, OUTCOMES


def test_no_text_name_is_defined_by_two_areas() -> None:
    seen: dict[str, str] = {}
    for module in pkgutil.iter_modules(bot.texts.__path__):
        names = [n for n in vars(importlib.import_module(f"bot.texts.{module.name}")) if n.isupper()]
        for name in names:
            assert name not in seen, f"{name} is in both {seen[name]} and {module.name}"
            seen[name] = module.name


@pytest.mark.parametrize(
    ("enum", "labels"),
    [
        (TicketKind, texts.KIND_LABELS), (Channel, texts.CHANNEL_LABELS), (Channel, texts.RECEIPT_RULES),
        (ApplicantType, texts.APPLICANT_TYPE_LABELS), (IdKind, texts.ID_KIND_LABELS),
        (DeliveryForm, texts.FORM_LABELS), (DeliveryWay, texts.DELIVERY_LABELS), (PauseKind, texts.PAUSE_LABELS),
        (Role, texts.ROLE_LABELS), (RemedyKind, texts.REMEDY_KIND_LABELS), (RemedyResult, texts.REMEDY_RESULT_LABELS),
        (Action, texts.ACTION_LABELS),
    ],
)
def test_every_code_has_a_label(enum: type, labels: dict[str, str]) -> None:
    assert set(labels) == {m.value for m in enum}  # type: ignore[attr-defined]


def test_outcome_texts_cover_the_tables() -> None:
    assert set(texts.OUTCOME_DECISIONS) == set(OUTCOMES)
    assert set(texts.ENQUIRY_OUTCOMES) == set(texts.ENQUIRY_OUTCOME_LABELS) == ENQUIRY_OUTCOMES


def test_applicant_type_labels_are_the_columns_of_table_three() -> None:
    columns = [label.removeprefix("法人或其他组织：") for label in texts.APPLICANT_TYPE_LABELS.values()]
    assert columns == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]


def test_agency_settings_have_defaults_and_come_from_the_environment() -> None:
    default = Settings.from_env({})
    assert (default.agency_name, default.review_body, default.court) == (
        "怀化市鹤城区人民政府", "怀化市人民政府", "怀化市中级人民法院")
    assert (default.correction_days, default.due_soon_days, default.fee_payment_days) == (15, 3, 20)
    custom = Settings.from_env({"AGENCY_NAME": "某区人民政府", "AGENCY_COURT": "某铁路运输法院",
                                "CORRECTION_DAYS": "10", "DUE_SOON_DAYS": "5", "HOME_CALENDAR": "cn"})
    assert (custom.agency_name, custom.court, custom.correction_days, custom.due_soon_days, custom.home_calendar) == (
        "某区人民政府", "某铁路运输法院", 10, 5, "CN")
    with pytest.raises(ValueError, match="CORRECTION_DAYS"):
        Settings.from_env({"CORRECTION_DAYS": "fifteen"})
    with pytest.raises(ValueError, match="DUE_SOON_DAYS"):
        Settings.from_env({"DUE_SOON_DAYS": "0"})
