"""Helpers for testing migrations and limbeck itself (and, later, the pytest plugin)."""

from limbeck.testing.compile import compile_ops, offline_context

__all__ = ["compile_ops", "offline_context"]
