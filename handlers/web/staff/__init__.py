"""The staff console: a Starlette application mounted at /staff (``staff_app``)."""

from handlers.web.staff.app import staff_app

__all__ = ["staff_app"]
