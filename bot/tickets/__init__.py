"""Tickets: enquiries and disclosure requests on the statutory clock, with an append-only history."""
