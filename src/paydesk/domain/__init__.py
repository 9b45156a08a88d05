"""Entities and value objects of the payments ledger. Pure: no I/O, no framework."""
