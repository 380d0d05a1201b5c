"""Identity numbers and phones a citizen types into free text (a question sent to staff, a request's
description, a 补正) reach staff masked: the group card, /ticket, /queue, the digest, `tickets list` and
`tickets show`; only `tickets show --reveal` shows them, and that is recorded."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bot.app import App
from bot.cli import main
from bot.dialogue.digest import digest_text
from bot.dialogue.messages import Incoming
from bot.dialogue.models import OutboxMessage
from bot.tickets.models import TicketEvent
from tests.dialogue_helpers import RESIDENT_ID, STAFF, make_app

PHONE = "13912345678"
GROUP = "-1001"


@pytest.fixture
def app(db_url: str) -> Iterator[App]:
    app = make_app(db_url, staff_chat_id=GROUP)
    yield app
    app.close()


def say(app: App, text: str = "", user: str = "u1", button: str | None = None) -> str:
    return "\n".join(r.text for r in app.engine.handle(Incoming("telegram", user, user, text=text, button=button)))


def file_request(app: App, description: str) -> None:
    for line in ("/apply", "张三"):
        say(app, line)
    for button in ("f:applicant_type:natural_person", "f:id_kind:resident_id"):
        say(app, button=button)
    say(app, RESIDENT_ID)
    say(app, "13812345678")
    say(app, button="f:skip")
    say(app, button="f:skip")
    say(app, description)
    say(app, button="f:form:electronic")
    say(app, button="f:delivery:chat")
    say(app, button="f:submit")


def assert_masked(text: str) -> None:
    assert RESIDENT_ID not in text and PHONE not in text, text


def test_free_text_is_masked_wherever_staff_read_it(app: App, db_url: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    say(app, f"我的身份证号{RESIDENT_ID}，电话{PHONE}，明天会下雨吗？")
    assert "2026-000001" in say(app, button="staff")  # 转人工: the question becomes the enquiry's subject
    file_request(app, f"请公开我的低保审批材料（身份证{RESIDENT_ID}，电话{PHONE}）")
    say(app, "/correction 2026-2 请写明年份", user=STAFF)
    say(app, button="fix:2026-000002")
    say(app, f"2024年的材料，联系电话 {PHONE}")

    with app.db.session() as session:
        cards = session.scalars(select(OutboxMessage.text).where(OutboxMessage.chat_id == GROUP)).all()
        assert len(cards) == 2 and all("新工单" in card for card in cards)
        for card in cards:
            assert_masked(card)
        assert "110***" in cards[0] and "139****5678" in cards[0]  # masked, not dropped
        assert_masked(digest_text(session, app.engine._service(session)))
    for number in ("2026-1", "2026-2"):
        shown = say(app, f"/ticket {number}", user=STAFF)
        assert "139****5678" in shown
        assert_masked(shown)
    assert_masked(say(app, "/queue", user=STAFF))

    assert main(["--db", db_url, "tickets", "list", "--as", STAFF]) == 0
    assert main(["--db", db_url, "tickets", "show", "2026-2", "--as", STAFF]) == 0
    masked = capsys.readouterr().out
    assert "低保审批材料" in masked and "2024年的材料" in masked
    assert_masked(masked)
    assert main(["--db", db_url, "tickets", "show", "2026-2", "--reveal", "--as", STAFF]) == 0
    revealed = capsys.readouterr().out
    assert f"身份证{RESIDENT_ID}，电话{PHONE}" in revealed and f"联系电话 {PHONE}" in revealed
    with app.db.session() as session:
        assert session.scalars(select(TicketEvent.actor).where(TicketEvent.action == "revealed")).all() == [STAFF]


def test_the_citizen_sees_their_own_text_as_written(app: App) -> None:
    file_request(app, f"请公开（电话{PHONE}）")
    assert f"电话{PHONE}" in say(app, "/status 2026-1")
