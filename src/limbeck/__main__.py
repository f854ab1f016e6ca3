"""``python -m limbeck`` runs the same CLI as the ``limbeck`` console script."""

from limbeck.cli import main

if __name__ == "__main__":  # pragma: no cover - exercised through subprocess tests
    main()
