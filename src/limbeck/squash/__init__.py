"""``limbeck squash`` and ``limbeck check-squash``: checkpoints computed from the migrations themselves.

A checkpoint is made the way Atlas makes one: run the history on a scratch
database (:mod:`.scratch`), reflect what it built and write that as
ordinary ``op.*`` calls with the autogenerate renderer (:mod:`.build`,
:mod:`.render`). Whatever reflection cannot see is listed in the file and
in a warning. :mod:`.dump` describes a database's schema (and seeded rows)
as comparable text, and :mod:`.check` builds a database both ways and
compares the dumps. How the revision map chooses between the checkpoint and
the files it replaces is :mod:`limbeck.script.checkpoints`.
"""
