"""Where a parallel offline run spends CPU: the parent's loop, each worker, the replay (load-insensitive).

    cd <generated tree> && ../../.venv/bin/python ../../bench/jobs_split.py upgrade base:head --sql --jobs 2

Runs the ``limbeck`` command line in this process with timers around the
step loop (``runner.run_steps``), each worker's rendering and each replay,
and prints process CPU times on stderr. On a machine whose cores are busy
the wall time of ``--jobs 2`` says little; on idle cores the parent's CPU
time was taken as the critical path (the workers render while the parent
renders the first slice), but on the 2-core machine, idle, ``--jobs 2``
took longer in wall time although the parent's CPU fell (2026-12-06,
bench/RESULTS.md): the ratio here is an upper bound, not a prediction.
"""

from __future__ import annotations

import sys
import time

from limbeck.runtime import migration, parallel, runner


def _timed(name: str, fn, wall: bool = False):  # type: ignore[no-untyped-def]
    def wrapper(*args, **kw):  # type: ignore[no-untyped-def]
        w0, c0 = time.perf_counter(), time.process_time()
        try:
            return fn(*args, **kw)
        finally:
            extra = f" wall={time.perf_counter() - w0:.3f}" if wall else ""
            sys.stderr.write(f"SPLIT {name} cpu={time.process_time() - c0:.3f}{extra}\n")
            sys.stderr.flush()

    return wrapper


def main() -> None:
    migration.run_steps = _timed("parent-loop", runner.run_steps, wall=True)  # type: ignore[attr-defined]
    parallel._render = _timed("worker-render", parallel._render)
    parallel._replay = _timed("parent-replay", parallel._replay)
    from limbeck.cli import main as cli

    w0, c0 = time.perf_counter(), time.process_time()
    try:
        cli()
    finally:
        sys.stderr.write(f"SPLIT parent-total cpu={time.process_time() - c0:.3f} wall={time.perf_counter() - w0:.3f}\n")


if __name__ == "__main__":
    main()
