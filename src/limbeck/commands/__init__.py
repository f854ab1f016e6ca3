"""Implementations behind :mod:`limbeck.command`, one module per group of commands.

``limbeck.command`` is the public API (Alembic's ``alembic.command``); it
re-exports these so each group stays a small module.
"""
