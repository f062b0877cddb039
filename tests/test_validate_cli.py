"""``diagram-dsl check`` through click's CliRunner on a temporary project."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from diagram_dsl.cli import main

HEADER = '''
from diagram_dsl import Flow, Scores

flow = Flow(number={number}, title={title!r}, description="A test flow.", scores=Scores(5, 5, "High"),
            when_to_use=["tests"], important_points=["none"], allow={allow!r})
a = flow.actor("Checkout")
b = flow.participant("Payment")
'''

CLEAN = '''
with a.call(b, "charge(card)") as charge:
    charge.reply("receipt")
'''

MISSING_REPLY = '''
with a.call(b, "charge(card)") as charge:
    with flow.alt("card accepted"):
        charge.reply("receipt")
    with flow.else_("card declined"):
        b.step("log decline")
'''

UNUSED = '''
flow.participant("Audit")
a.send(b, "ping")
'''


def _write(root: Path, stem: str, number: int, body: str, allow: tuple[str, ...] = ()) -> Path:
    path = root / "sources" / f"{stem}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    title = stem.split("_", 1)[1].replace("_", " ").title()
    path.write_text(HEADER.format(number=number, title=title, allow=list(allow)) + textwrap.dedent(body))
    return path


def _line_of(path: Path, text: str) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def _check(root: Path, *args: str) -> Result:
    # These tests are about the validator: without explicit PATHS, check the flows in sources/ only
    # (a bare `check` also lints generated outputs and docs, which tests/test_check_project.py covers).
    valued = {"--format", "--explain"}
    positional = [a for i, a in enumerate(args) if not a.startswith("-") and (i == 0 or args[i - 1] not in valued)]
    scope = [] if positional else [str(root / "sources")]
    return CliRunner().invoke(main, ["--root", str(root), "check", *args, *scope])


def _findings(result: Result) -> list[str]:
    """The finding lines of a text-format run: stdout without its last line, the summary."""
    lines = result.stdout.splitlines()
    assert lines and lines[-1].startswith("checked "), result.stdout
    return lines[:-1]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    _write(tmp_path, "01_clean_flow", 1, CLEAN)
    return tmp_path


def test_clean_catalog_exits_zero(project: Path) -> None:
    result = _check(project)
    assert result.exit_code == 0, result.output
    assert result.stdout == "checked 1 flow(s): 0 error(s), 0 warning(s)\n"  # the summary goes where CI logs read


# A flow's findings carry the fix in the DSL (``validate.hints``).
SEQ110_FIX = ("; fix: answer it on every path through its handle (`with a.call(b, ...) as c:` ... `c.reply(\"...\")`), "
              "or make it one-way with a.send(b, ...)")


def test_error_is_one_compiler_style_line_and_exits_one(project: Path) -> None:
    bad = _write(project, "02_bad_flow", 2, MISSING_REPLY)
    line = _line_of(bad, 'a.call(b, "charge(card)")')
    result = _check(project)
    assert result.exit_code == 1
    assert _findings(result) == [
        f"sources/02_bad_flow.py:{line}: error SEQ110 request \"charge(card)\" (Checkout → Payment) has no "
        f"response in alt branch 'card declined'{SEQ110_FIX}"]


def test_findings_sorted_by_file_and_line(project: Path) -> None:
    _write(project, "03_unused_flow", 3, UNUSED)
    _write(project, "02_bad_flow", 2, MISSING_REPLY)
    lines = _findings(_check(project))
    assert [line.split(":")[0] for line in lines] == ["sources/02_bad_flow.py", "sources/03_unused_flow.py"]


def test_json_format(project: Path) -> None:
    bad = _write(project, "02_bad_flow", 2, MISSING_REPLY)
    result = _check(project, "--format", "json")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert findings == [{
        "code": "SEQ110", "severity": "error", "file": "sources/02_bad_flow.py",
        "line": _line_of(bad, 'a.call(b, "charge(card)")'),
        "message": "request \"charge(card)\" (Checkout → Payment) has no response in alt branch 'card declined'"
                   + SEQ110_FIX,
        "path": "in alt branch 'card declined'"}]


def test_github_format(project: Path) -> None:
    bad = _write(project, "02_bad_flow", 2, MISSING_REPLY)
    result = _check(project, "--format", "github")
    line = _line_of(bad, 'a.call(b, "charge(card)")')
    assert result.stdout.splitlines() == [
        f"::error file=sources/02_bad_flow.py,line={line},title=SEQ110::request \"charge(card)\" "
        f"(Checkout → Payment) has no response in alt branch 'card declined'{SEQ110_FIX}"]


def test_warnings_pass_unless_strict_and_allow_waives_them(project: Path) -> None:
    _write(project, "02_unused_flow", 2, UNUSED)
    relaxed = _check(project)
    assert relaxed.exit_code == 0
    assert " warning SEQ102 " in relaxed.stdout
    assert _check(project, "--strict").exit_code == 1
    _write(project, "02_unused_flow", 2, UNUSED, allow=("SEQ102",))
    assert _check(project, "--strict").exit_code == 0


def test_paths_select_flows_by_file_or_number(project: Path) -> None:
    bad = _write(project, "02_bad_flow", 2, MISSING_REPLY)
    assert _check(project, str(project / "sources" / "01_clean_flow.py")).exit_code == 0
    assert _check(project, "1").exit_code == 0
    assert _check(project, "sources/02_bad_flow.py").exit_code == 1
    assert _check(project, str(bad)).exit_code == 1


def test_unknown_path_is_a_usage_error(project: Path) -> None:
    result = _check(project, "sources/99_nope.py")
    assert result.exit_code == 2
    assert "no flow" in result.output


def test_load_errors_are_findings(project: Path) -> None:
    broken = project / "sources" / "02_broken.py"
    broken.write_text("from diagram_dsl import Flow\n\nx = (\n")
    result = _check(project)
    assert result.exit_code == 1
    assert result.stdout.startswith("sources/02_broken.py:")
    assert " error SEQ000 syntax error" in result.stdout


def test_explain(project: Path) -> None:
    result = _check(project, "--explain", "seq110")
    assert result.exit_code == 0
    assert result.stdout.startswith("SEQ110 (error): synchronous request without a response on some path")
    unknown = _check(project, "--explain", "SEQ999")
    assert unknown.exit_code == 2
    assert "unknown rule code" in unknown.output


def test_bad_format_is_a_usage_error(project: Path) -> None:
    assert _check(project, "--format", "xml").exit_code == 2


def test_a_broken_file_named_in_paths_is_reported(project: Path) -> None:
    (project / "sources" / "02_broken.py").write_text("from diagram_dsl import Flow\n\nraise ValueError('boom')\n")
    result = _check(project, "sources/02_broken.py")
    assert result.exit_code == 1
    assert _findings(result) == ["sources/02_broken.py:3: error SEQ000 ValueError: boom"]
    assert _check(project, "1").exit_code == 0  # the other flow is still checked on its own
