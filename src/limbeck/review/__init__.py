"""Review-ready SQL: what a change board needs on top of the offline script.

Every tool here observes the one statement stream (``Emitter.observers``)
of an offline run: validation parses each statement as the emitter rendered
it, per-revision files group statements by their revision tag, lint reads
the typed constructs and operation records, the plan summarises all of it.
Nothing re-parses a rendered script to find statements and nothing renders
SQL a second way.

Import-light: ``limbeck --help`` loads the CLI verbs of this package, not
these modules.
"""
