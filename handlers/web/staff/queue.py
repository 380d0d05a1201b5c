"""The queue: open tickets by due date, 50 a page, with a count on every filter."""

from __future__ import annotations

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.tickets.codes import Action, Role, TicketKind
from bot.tickets.status import TicketStatus
from bot.tickets.views import Filters, TicketRow
from handlers.web.staff.console import PAGE_SIZE, Console, Viewer
from handlers.web.staff.pages import page

# The queue's filters, in the order of the navigation (labels: texts.WEB_QUEUE_FILTERS).
FILTERS = ("open", "mine", "unassigned", "due_soon", "overdue", "correction", "paused")
KINDS = ("", TicketKind.DISCLOSURE_REQUEST.value, TicketKind.ENQUIRY.value)


def filters_for(name: str, kind: str, viewer: Viewer) -> Filters:
    """The service's filter for a queue filter: always open tickets, of one kind when asked."""
    k = kind or None
    return {
        "open": Filters(open_only=True, kind=k),
        "mine": Filters(open_only=True, kind=k, assignee=viewer.name),
        "unassigned": Filters(open_only=True, kind=k, unassigned=True),
        "due_soon": Filters(open_only=True, kind=k, due_soon=True),
        "overdue": Filters(open_only=True, kind=k, overdue=True),
        "correction": Filters(open_only=True, kind=k, status=TicketStatus.AWAITING_CORRECTION.value),
        "paused": Filters(open_only=True, kind=k, statuses=(TicketStatus.IN_CONSULTATION.value,
                                                            TicketStatus.AWAITING_FEE.value)),
    }[name]


def routes(console: Console) -> list[Route]:
    @page(console)
    async def queue(request: Request, viewer: Viewer) -> Response:
        params = request.query_params
        name = params.get("filter", "open") if params.get("filter") in FILTERS else "open"
        kind = params.get("kind", "") if params.get("kind", "") in KINDS else ""
        number = int(params["page"]) if params.get("page", "").isdigit() and int(params["page"]) > 0 else 1
        await console.require(request, viewer, Role.STAFF, Action.LISTED)

        def load(session: Session) -> tuple[list[TicketRow], int, dict[str, int]]:
            service = console.service(session)
            rows, total = service.queue_page(session, viewer.name, filters_for(name, kind, viewer),
                                             offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
            counts = service.queue_counts(session, viewer.name, {f: filters_for(f, kind, viewer) for f in FILTERS})
            return rows, total, counts

        rows, total, counts = await console.run(load)
        pages = max(1, -(-total // PAGE_SIZE))
        return console.render(request, "queue.html", {
            "viewer": viewer, "rows": rows, "total": total, "counts": counts, "filters": FILTERS, "kinds": KINDS,
            "current": name, "kind": kind, "page": min(number, pages), "pages": pages})

    return [Route("/", queue, methods=["GET"]), Route("/queue", queue, methods=["GET"])]
