"""Reliability of the core: one transaction per update, the inbox, the outbox (keys, claims, leases,
outcomes by kind), idempotent forms, the daily jobs once, the shared flood limit, honest confirmations."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, func, select, update

from bot import texts
from bot.app import App
from bot.dialogue import jobs, outbox
from bot.dialogue.engine import Engine
from bot.dialogue.flood import FloodLimit
from bot.dialogue.messages import Document, Incoming, Reply, clean
from bot.dialogue.models import DialogueState, InboxUpdate, OutboxMessage, ScheduledRun
from bot.dialogue.outbox import Outcome, Owner, Result
from bot.tickets.clock import FixedClock
from bot.tickets.models import Ticket, TicketEvent
from bot.tickets.service import TicketService
from tests.dialogue_helpers import DAY, RESIDENT_ID, STAFF, make_app
from tests.ticket_helpers import CALENDAR, form

OWNER = Owner("w1", frozenset({"telegram"}))


@pytest.fixture
def app(db_url: str) -> Iterator[App]:
    app = make_app(db_url, staff_chat_id="-100")
    yield app
    app.close()


def run(engine: Engine, text: str = "", *, user: str = "u1", button: str | None = None, update: int | None = None,
        **options: object):  # type: ignore[no-untyped-def]
    return engine.process(Incoming("telegram", user, user, text=text, button=button, update_id=update),
                          via_outbox=True, owner=OWNER, **options)  # type: ignore[arg-type]


def review(engine: Engine, user: str = "u1", first_update: int = 100) -> str:
    """Fill the request form up to its review; returns the id of the 确认提交 button."""
    steps: list[tuple[str, str | None]] = [
        ("/apply", None), ("张三", None), ("", "f:applicant_type:natural_person"), ("", "f:id_kind:resident_id"),
        (RESIDENT_ID, None), ("13812345678", None), ("", "f:skip"), ("", "f:skip"), ("鹤城区2025年财政预算", None),
        ("", "f:form:electronic"), ("", "f:delivery:chat"),
    ]
    last = None
    for n, (text, button) in enumerate(steps):
        last = run(engine, text, user=user, button=button, update=first_update + n)
    assert last is not None
    return next(b.id for b in last.replies[-1].buttons if b.id.startswith("f:submit"))


def rows(app: App) -> list[OutboxMessage]:
    with app.db.session() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def count(app: App, model: type) -> int:  # type: ignore[type-arg]
    with app.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


# --- one transaction per update --------------------------------------------------------------------

def test_every_reply_is_an_outbox_row_written_with_the_update(app: App) -> None:
    done = run(app.engine, "/start", update=1)
    assert [i.key for i in done.outbox] == ["reply:telegram:1:0"]
    assert done.outbox[0].lease_until is not None  # this worker sends it at once
    again = run(app.engine, "/start", update=1)  # delivered twice (to this worker or another)
    assert again.duplicate and again.outbox == [] and len(rows(app)) == 1
    with app.db.session() as session:
        assert session.get(InboxUpdate, ("telegram", 1)).status == "done"


def test_a_failure_rolls_the_whole_update_back_and_it_is_handled_again(app: App,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    button = review(app.engine)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(TicketService, "file_from_chat", broken)
    with pytest.raises(RuntimeError):
        run(app.engine, button=button, update=500)
    with app.db.session() as session:  # nothing of it stays: not the ticket, not the inbox row, not the state
        assert session.get(InboxUpdate, ("telegram", 500)) is None
        assert session.scalars(select(Ticket)).all() == []
        assert session.get(DialogueState, ("telegram", "u1")).step == "review"
    monkeypatch.undo()
    done = run(app.engine, button=button, update=500)  # the same update, again: now it goes through
    assert not done.duplicate and [i.key.split(":")[0] for i in done.outbox] == ["receipt", "card"]
    assert count(app, Ticket) == 1


def test_a_second_press_of_submit_returns_the_first_receipt(app: App) -> None:
    button = review(app.engine)
    first = run(app.engine, button=button, update=500)
    receipt = next(i for i in first.outbox if i.key.startswith("receipt:"))
    other_worker = Engine(app.settings, app.db.session, lambda: app.matcher, app.engine.clock)
    second = run(other_worker, button=button, update=501)  # a double press, reaching another worker
    assert [r.text for r in second.replies] == [receipt.reply.text]
    assert count(app, Ticket) == 1


def test_double_submits_on_two_workers_at_once_file_one_request(db_url: str) -> None:
    app = make_app(db_url, staff_chat_id="-100")
    buttons = {f"u{n}": review(app.engine, f"u{n}", 1000 * n) for n in range(1, 5)}
    workers = [Engine(app.settings, app.db.session, lambda: app.matcher, app.engine.clock) for _ in range(2)]
    errors: list[BaseException] = []

    def press(worker: Engine, user: str, update: int) -> None:
        try:
            run(worker, button=buttons[user], user=user, update=update)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=press, args=(w, user, 1000 * int(user[1:]) + 500 + k))
               for user in buttons for k, w in enumerate(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert count(app, Ticket) == 4
    app.close()


def test_text_is_cleaned_of_what_the_database_refuses(app: App) -> None:
    assert clean({"text": "张\x00三\ud800", "n": [1, "a\x00"]}) == {"text": "张三", "n": [1, "a"]}
    run(app.engine, "/apply", update=1)
    run(app.engine, clean("张\x00三"), update=2)
    with app.db.session() as session:
        assert session.get(DialogueState, ("telegram", "u1")).data["fields"]["name"] == "张三"


# --- the inbox -------------------------------------------------------------------------------------

def test_a_stored_update_is_claimed_handled_once_or_given_up(app: App) -> None:
    payload = {"update_id": 7, "message": {"text": "/start"}}
    assert app.engine.defer("telegram", 7, "u1", payload, "RuntimeError")
    assert not app.engine.defer("telegram", 7, "u1", payload, "RuntimeError")  # known already
    with app.db.session() as session:  # due at once, for the test
        session.execute(update(InboxUpdate).values(lease_until=None))
    [stored] = app.engine.claim_updates("telegram")
    assert stored.payload == payload and app.engine.claim_updates("telegram") == []  # leased
    done = app.engine.process(Incoming("telegram", "u1", "u1", text="/start", update_id=7), via_outbox=True,
                              claimed=True)
    assert not done.duplicate and len(done.outbox) == 1
    assert app.engine.process(Incoming("telegram", "u1", "u1", text="/start", update_id=7), claimed=True).duplicate
    with app.db.session() as session:
        row = session.get(InboxUpdate, ("telegram", 7))
        assert row.status == "done" and row.payload is None  # the text is not kept once handled
    # An update that fails on every try is given up, and its sender asked to send it again.
    app.engine.defer("telegram", 8, "u1", {"update_id": 8}, "RuntimeError")  # the first try
    for _ in range(4):  # four more
        with app.db.session() as session:
            session.execute(update(InboxUpdate).values(lease_until=None))
        [stored] = app.engine.claim_updates("telegram")
        told = app.engine.update_failed(stored, "RuntimeError")
    assert [i.reply.text for i in told] == [texts.TEMPORARY_FAILURE]
    with app.db.session() as session:
        assert session.get(InboxUpdate, ("telegram", 8)).status == "failed"


# --- the outbox ------------------------------------------------------------------------------------

def test_a_key_written_twice_is_one_row(app: App) -> None:
    with app.db.session() as session:
        first = outbox.put(session, key="k1", channel="telegram", chat_id="1", reply=Reply("a"), at=app.engine.clock.now())
        second = outbox.put(session, key="k1", channel="telegram", chat_id="1", reply=Reply("a"), at=app.engine.clock.now())
    assert first is not None and second is None and len(rows(app)) == 1


def test_claims_never_overlap_and_an_expired_lease_counts_as_unknown(app: App) -> None:
    with app.db.session() as session:
        for n in range(30):
            outbox.put(session, key=f"k{n}", channel="telegram", chat_id=str(n % 10), reply=Reply(str(n)),
                       at=app.engine.clock.now())
    claimed: list[list[int]] = []
    lock = threading.Lock()

    def claim() -> None:
        got = [i.id for i in app.engine.claim_outbox(frozenset({"telegram"}), "w", 100)]
        with lock:
            claimed.append(got)

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    everything = [i for got in claimed for i in got]
    assert len(everything) == len(set(everything)) == 10  # no row twice; one per chat (its oldest)
    with app.db.session() as session:  # a worker died holding them: the leases run out
        session.execute(update(OutboxMessage).values(lease_until=outbox.wall() - timedelta(seconds=1)))
    again = app.engine.claim_outbox(frozenset({"telegram"}), "w2", 100)
    assert sorted(i.id for i in again) == sorted(everything)
    assert {r.unknown for r in rows(app) if r.id in everything} == {1}


def test_outcomes_by_kind(app: App) -> None:
    answered = [*run(app.engine, "明天会下雨吗？", user="1001", update=1).outbox,
                *run(app.engine, button="staff", user="1001", update=2).outbox]  # enquiry 2026-000001, its card
    app.engine.record([(i, Result(Outcome.SENT, 1)) for i in answered])
    with app.db.session() as session:
        service = TicketService(app.settings, CALENDAR, app.engine.clock)
        service.reply(session, STAFF, "2026-1", text="第一次")
        service.reply(session, STAFF, "2026-1", text="第二次")
    items = {i.key: i for i in app.engine.claim_outbox(frozenset({"telegram"}), "w", 100)}
    notices = [i for k, i in sorted(items.items()) if k.startswith("event:")]
    assert len(notices) == 1  # the chat's oldest first: the second waits behind it
    first = notices[0]
    told = app.engine.record([(first, Result(Outcome.RETRY, 0, retry_after=30, reason="429"))])
    assert told == []
    told = app.engine.record([(first, Result(Outcome.FAILED, 0, reason="Bad Request: chat not found"))])
    assert [i.reply.text for i in told] == [
        "工单 2026-000001 的一条消息未能送达申请人：Telegram 拒收（Bad Request: chat not found），不会重发，请改用电话、邮件等方式联系。"]
    by_key = {r.key: r for r in rows(app)}
    row = by_key[first.key]
    assert row.status == "failed" and row.error == "Bad Request: chat not found" and row.attempts == 2
    with app.db.session() as session:
        event_data = session.scalars(select(TicketEvent.data).where(TicketEvent.action == "undelivered")).one()
    assert event_data == {"outbox": first.id, "result": "failed", "reason": "Bad Request: chat not found"}
    # The queue moves on: the chat's next message is due now.
    [second] = [i for i in app.engine.claim_outbox(frozenset({"telegram"}), "w", 100) if i.chat_id == "1001"]
    app.engine.record([(second, Result(Outcome.UNDELIVERED, 0, reason="Forbidden: bot was blocked by the user"))])
    assert {r.status for r in rows(app) if r.chat_id == "1001" and r.ticket_number} == {"failed", "undelivered"}
    # The digest names both, once.
    assert app.engine.digest()
    digest = next(r.text for r in rows(app) if r.key.startswith("digest:"))
    assert "未能送达的消息（2 条）" in digest and "被拒收：Bad Request: chat not found" in digest
    assert all(r.reported_at is not None for r in rows(app) if r.status in ("failed", "undelivered"))


def test_a_message_in_parts_records_what_was_delivered(app: App) -> None:
    with app.db.session() as session:
        outbox.put(session, key="k", channel="telegram", chat_id="1", at=app.engine.clock.now(),
                   reply=Reply("见附件", documents=(Document("a.pdf", file_id="F", channel="telegram"),)))
    [item] = app.engine.claim_outbox(frozenset({"telegram"}), "w")
    app.engine.record([(item, Result(Outcome.RETRY, 1, reason="502"))])  # the text went, the file did not
    with app.db.session() as session:
        session.execute(update(OutboxMessage).values(next_attempt_at=outbox.wall()))
    [again] = app.engine.claim_outbox(frozenset({"telegram"}), "w")
    assert again.parts_sent == 1


def test_a_moved_chat_is_remembered(app: App) -> None:
    with app.db.session() as session:
        outbox.put(session, key="k", channel="telegram", chat_id="-100", reply=Reply("x"), at=app.engine.clock.now())
        outbox.put(session, key="k2", channel="telegram", chat_id="-100", reply=Reply("y"), at=app.engine.clock.now())
    [item] = app.engine.claim_outbox(frozenset({"telegram"}), "w")
    app.engine.record([(item, Result(Outcome.SENT, 1, moved_to="-1009"))])
    assert app.engine.chat_moves("telegram") == {"-100": "-1009"}
    assert [r.chat_id for r in rows(app)] == ["-1009", "-1009"]


# --- honest confirmations --------------------------------------------------------------------------

def test_a_reply_to_a_request_by_post_says_it_must_be_posted(app: App) -> None:
    with app.db.session() as session:
        TicketService(app.settings, CALENDAR, app.engine.clock).register_request(
            session, STAFF, channel="post", form=form())
    before = len(rows(app))
    done = run(app.engine, "/reply 2026-1 您申请的信息见附件", user=STAFF, update=1)
    text = done.replies[0].text
    assert "已发送" not in text and "邮寄或当面送达" in text and "怀化市鹤城区迎丰西路 1 号" in text
    assert "138****5678" in text and "13812345678" not in text
    assert [r.key for r in rows(app)][before:] == ["reply:telegram:1:0"]  # nothing for the applicant
    with app.db.session() as session:  # the reply is in the history all the same
        assert session.scalars(select(TicketEvent).where(TicketEvent.action == "replied")).one().data["text"]
    closed = run(app.engine, "/close 2026-1 disclosed", user=STAFF, update=2).replies[0].text
    assert "已办结" in closed and "须邮寄或当面送达" in closed and "已发送给申请人" not in closed


# --- the shared flood limit ------------------------------------------------------------------------

def test_the_flood_limit_is_shared_by_workers(app: App) -> None:
    other = Engine(app.settings, app.db.session, lambda: app.matcher, app.engine.clock)
    limit = FloodLimit(limit=3, window=60)
    answers = [len(run(engine, "/privacy", update=n, limit=limit).replies)
               for n, engine in enumerate([app.engine, other] * 3)]
    assert answers == [1, 1, 1, 1, 0, 0]
    assert "太频繁" in rows(app)[3].text
    # Registered staff working through a queue are not limited.
    assert all(run(app.engine, "/queue", user=STAFF, update=100 + n, limit=limit).replies for n in range(6))


# --- the daily jobs --------------------------------------------------------------------------------

def test_the_digest_catches_up_and_runs_once(db_url: str) -> None:
    clock = FixedClock.on(DAY, hour=8)
    app = make_app(db_url, clock, staff_chat_id="-100")
    assert [i.key for i in app.engine.run_scheduled("w1")] == []  # 08:00: sweep and housekeeping only
    clock.current += timedelta(hours=1, minutes=5)  # a worker starting at 09:05
    workers = [Engine(app.settings, app.db.session, lambda: app.matcher, clock) for _ in range(3)]
    written: list[str] = []

    def tick(engine: Engine) -> None:
        written.extend(i.key for i in engine.run_scheduled("w"))

    threads = [threading.Thread(target=tick, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert written == [f"digest:{DAY.isoformat()}"]
    with app.db.session() as session:
        assert sorted(session.scalars(select(ScheduledRun.job))) == ["digest", "housekeeping", "sweep"]
    app.close()


def test_housekeeping_prunes_old_updates_and_keeps_attachments_unless_asked(db_url: str, tmp_path: Path) -> None:
    clock = FixedClock.on(DAY)
    app = make_app(db_url, clock)
    answers = [run(app.engine, "/start", update=n).outbox[0] for n in range(3)]
    app.engine.record([(i, Result(Outcome.SENT, 1)) for i in answers[:2]])  # the third still waits
    clock.advance(days=8)
    run(app.engine, "/start", update=10)
    with app.db.session() as session:
        assert jobs.take(session, jobs.HOUSEKEEPING, date(2026, 3, 10), clock.now(), "w")
        jobs.run(session, jobs.HOUSEKEEPING, app.engine._service(session), app.settings, date(2026, 3, 10),
                 clock.now())
        assert [r.update_id for r in session.scalars(select(InboxUpdate))] == [10]
        # The chat's own answers go after INBOX_RETENTION_DAYS once delivered; one still waiting stays.
        assert [r.key for r in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))] == [
            "reply:telegram:2:0", "reply:telegram:10:0"]
        # Attachments: never pruned by default; with ATTACHMENT_RETENTION_YEARS, those of tickets closed
        # that many years ago.
        folder = tmp_path / "attachments"
        stored = folder / "abc" / "答复.pdf"
        stored.parent.mkdir(parents=True)
        stored.write_bytes(b"%PDF")
        ticket = TicketService(app.settings, CALENDAR, clock).register_request(session, STAFF, channel="telegram",
                                                                              form=form(), chat_id="9")
        ticket.closed_on = date(2020, 1, 2)
        outbox.put(session, key="f", channel="telegram", chat_id="9", at=clock.now(), ticket_number=ticket.number,
                   reply=Reply("见附件", documents=(Document("答复.pdf", path=str(stored)),)))
        session.flush()
        assert jobs.prune_attachments(session, app.settings, date(2026, 3, 10), folder) == 0
        assert jobs.prune_attachments(session, app.settings.with_(attachment_retention_years=5),
                                      date(2026, 3, 10), folder) == 1
    assert not stored.exists()
    app.close()


# --- what one question costs -----------------------------------------------------------------------

def test_a_plain_question_costs_two_commits(app: App) -> None:
    run(app.engine, "区长信箱收到多少封来信？", user="warm", update=1)  # the index loaded, the user known
    statements: list[str] = []
    commits: list[int] = []

    def statement(*args: object) -> None:
        statements.append(str(args[2]))

    def commit(*_args: object) -> None:
        commits.append(1)

    engine = app.db.engine
    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "commit", commit)
    try:
        done = run(app.engine, "依申请公开要收费吗？", user="warm", update=2)
        app.engine.record([(done.outbox[0], Result(Outcome.SENT, 1))])
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "commit", commit)
    assert len(commits) == 2, commits  # the update with its outbox row; the delivery record
    assert len(statements) <= 12, statements
