"""Timing plumbing and report logic, on tiny commands and synthetic outcomes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import report
from measure import Run, error_line, normalized, run
from runner import Outcome, imported_modules
from scenarios import select


def test_error_line_prefers_the_informative_line() -> None:
    assert error_line("FAILED: Can't locate revision abc\n") == "FAILED: Can't locate revision abc"
    assert error_line("INFO  [x] Context impl.\nFAILED: boom\nmore\n") == "FAILED: boom"
    trace = "Traceback (most recent call last):\n  File \"x\", line 1\nImportError: no main\n"
    assert error_line(trace) == "ImportError: no main"
    assert error_line("") == ""


def test_normalized_sorts_parenthesised_lists_only() -> None:
    text = "abc (b_label, a_label) (head)\nx, y -> z (mergepoint), merge x and y\n"
    assert normalized(text) == "abc (a_label, b_label) (head)\nx, y -> z (mergepoint), merge x and y\n"


def test_run_reports_success_with_usage(tmp_path: Path) -> None:
    result = run([sys.executable, "-c", "print('hi')"], tmp_path, tmp_path / "s")
    assert result.ok and result.error == ""
    assert result.wall > 0 and result.max_rss_kib > 0
    assert (tmp_path / "s" / "stdout.txt").read_text() == "hi\n"


def test_run_reports_failure_status_and_error_line(tmp_path: Path) -> None:
    code = "import sys; print('INFO  [a] start', file=sys.stderr); sys.exit('FAILED: no such revision')"
    result = run([sys.executable, "-c", code], tmp_path, tmp_path / "s")
    assert (result.status, result.error) == (1, "FAILED: no such revision")


def test_run_reports_a_missing_program(tmp_path: Path) -> None:
    result = run([str(tmp_path / "nope")], tmp_path, tmp_path / "s")
    assert result.status == 127 and "cannot start" in result.error


def test_imported_modules_sees_what_a_command_imports(tmp_path: Path) -> None:
    modules, error = imported_modules(Path(sys.executable), ["-c", "import json"], tmp_path)
    assert error == "" and "json" in modules and "sqlalchemy" not in modules


def test_select_by_name_glob_and_group() -> None:
    assert [s.name for s in select(["heads-1k"])] == ["heads-1k"]
    assert {s.name for s in select(["history-*"])} == {"history-1k", "history-1k-cached", "history-5k",
                                                      "history-5k-cached"}
    assert len(select(["linearity"])) == 12
    with pytest.raises(ValueError, match="no scenario matches 'nope'"):
        select(["nope"])


def _outcome(*walls: float, failed: bool = False) -> Outcome:
    runs = [Run(w, w / 2, 1000, 0, "", "x") for w in walls]
    return Outcome(runs, Run(0.1, 0.1, 1, 2, "FAILED: boom", "") if failed else None)


def test_targets_pass_fail_and_not_run() -> None:
    ok = {"heads-1k": {"limbeck": _outcome(0.1, 0.2, 0.3), "alembic": _outcome(1.5, 1.6, 1.7)},
          "heads-5k": {"limbeck": _outcome(1.0), "alembic": _outcome(5.0)},
          "current-5k": {"limbeck": _outcome(failed=True), "alembic": _outcome(5.0)}}
    by_text = {t.text: report.evaluate(t, ok, {"heads-1k": ({"click"}, "")}) for t in report.TARGETS}
    assert by_text["`heads` 1k < 0.25 s without cache"] == ("0.200 s (CPU 0.100 s)", "PASS")
    assert by_text["`heads` 1k >= 5x faster than Alembic"] == ("8.0x (CPU 8.0x)", "PASS")
    assert by_text["`heads` never imports SQLAlchemy"] == ("not imported", "PASS")
    assert by_text["`heads` 5k >= 10x faster"][1] == "FAIL"
    assert by_text["`current` 5k >= 10x faster"][1] == "NOT RUN (limbeck FAILED: exit 2: FAILED: boom)"
    assert by_text["`history` 5k >= 10x faster"][1] == "NOT RUN (scenario not selected)"


def test_linearity_verdict_uses_marginal_cost() -> None:
    linear = {250: 0.35, 500: 0.6, 1000: 1.1, 2000: 2.1}
    quadratic = {n: 0.1 + (n / 1000) ** 2 for n in (250, 500, 1000, 2000)}
    assert report._linearity_cells(linear)[2] == "yes"
    assert report._linearity_cells(quadratic)[2] == "NO"
    a, b = report._fit(sorted(linear.items()))
    assert a == pytest.approx(0.1, abs=0.01) and b == pytest.approx(0.001, rel=0.01)


def test_same_stdout_counts_differing_lines(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("one\ntwo\nthree\n")
    (tmp_path / "b.txt").write_text("one\nTWO\nthree\n")
    a, b = _outcome(1.0), _outcome(2.0)
    a.stdout_path, b.stdout_path = tmp_path / "a.txt", tmp_path / "b.txt"
    b.runs[0] = Run(2.0, 1.0, 1000, 0, "", "y")
    assert report.same_stdout({"limbeck": a, "alembic": b}, ["limbeck", "alembic"]) == "no (2 lines differ)"
    assert report.same_stdout({"limbeck": a, "alembic": a}, ["limbeck", "alembic"]) == "yes"
    assert report.same_stdout({"limbeck": a}, ["limbeck", "alembic"]) == "n/a"


def test_results_keep_sections_written_by_other_scripts() -> None:
    previous = ("# Benchmark results\n\nold table\n\n<!-- autogen_compare:begin -->\n## Autogenerate\n\n"
                "| a | b |\n<!-- autogen_compare:end -->\n")
    blocks = report.foreign_sections(previous)
    assert blocks == ["<!-- autogen_compare:begin -->\n## Autogenerate\n\n| a | b |\n<!-- autogen_compare:end -->\n"]
    text = report.document(command="python bench/run.py", python=Path(sys.executable), repeat=1,
                           body=["## Scenarios", "", "new table", ""], keep=blocks)
    assert "new table" in text and "old table" not in text
    assert text.endswith("\n" + blocks[0])
    assert report.foreign_sections(text) == blocks


def test_table_section_replaces_its_own_block_only(tmp_path: Path) -> None:
    from report import write_table_section

    results = tmp_path / "RESULTS.md"
    results.write_text("# Benchmark results\n\nkept\n\n<!-- other:begin -->\nother\n<!-- other:end -->\n", encoding="utf-8")
    write_table_section(results, "mine", "Mine", "How.", ["| a |", "|---|", "| 1 |"])
    write_table_section(results, "mine", "Mine", "How, again.", ["| a |", "|---|", "| 2 |"])
    text = results.read_text(encoding="utf-8")
    assert text.count("<!-- mine:begin -->") == 1 and "| 1 |" not in text
    assert "<!-- mine:begin -->\n## Mine\n\nHow, again.\n\n| a |\n|---|\n| 2 |\n\n<!-- mine:end -->" in text
    assert "kept" in text and "<!-- other:begin -->\nother\n<!-- other:end -->" in text
