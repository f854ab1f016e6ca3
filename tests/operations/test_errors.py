"""The exceptions refusals raise: limbeck's, and also the class Alembic raises for the same refusal.

Migration code written for Alembic catches ``NotImplementedError``,
``TypeError`` or SQLAlchemy's ``CompileError`` around an operation Alembic
refuses; ``tests/dialects/test_alembic_parity.py`` checks every refusal of
the per-dialect tables against Alembic's recorded exception. Here: the
classes themselves, and that defining them keeps ``limbeck.errors``
import-light.
"""

from __future__ import annotations

import pickle
import subprocess
import sys

import pytest
import sqlalchemy as sa

from limbeck import errors


def test_unsupported_operation_is_not_implemented_error() -> None:
    exc = errors.UnsupportedOperation("add_column(t.c)", "sqlite", "no", "use batch mode")
    assert isinstance(exc, NotImplementedError)
    assert isinstance(exc, errors.CommandError)
    assert str(exc) == "add_column(t.c) is not supported on sqlite: no; use batch mode"


def test_invalid_argument_is_type_error() -> None:
    assert issubclass(errors.InvalidArgument, TypeError)
    assert issubclass(errors.InvalidArgument, errors.LimbeckError)


@pytest.mark.parametrize(
    "name, base, limbeck_base",
    [
        ("UnsupportedCompilation", sa.exc.CompileError, errors.UnsupportedOperation),
        ("InvalidDefinition", sa.exc.CompileError, errors.CommandError),
        ("InvalidConstruct", sa.exc.ArgumentError, errors.CommandError),
    ],
)
def test_sqlalchemy_kin_derive_from_both(name: str, base: type, limbeck_base: type) -> None:
    cls = getattr(errors, name)
    assert issubclass(cls, base) and issubclass(cls, limbeck_base)
    assert getattr(errors, name) is cls  # made once
    exc = cls("x", "mysql", "why", None) if limbeck_base is errors.UnsupportedOperation else cls("one line")
    assert "\n" not in str(exc) and "sqlalche.me" not in str(exc)  # limbeck's message, no SQLAlchemy link
    if limbeck_base is errors.CommandError:
        again = pickle.loads(pickle.dumps(exc))
        assert type(again) is cls and str(again) == "one line"


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="NoSuchError"):
        errors.NoSuchError  # noqa: B018


def test_errors_module_does_not_import_sqlalchemy() -> None:
    probe = (
        "import sys, limbeck.errors as e\n"
        "assert 'sqlalchemy' not in sys.modules, 'imported by limbeck.errors'\n"
        "assert issubclass(e.UnsupportedCompilation, NotImplementedError)\n"
        "assert 'sqlalchemy.exc' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", probe], check=True)
