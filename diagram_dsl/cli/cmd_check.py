"""``diagram-dsl check``: what CI runs. Flows valid, outputs in sync, docs pointing at real diagrams.

With no PATHS it checks the whole project; PATHS narrow it to flows (source files, numbers or
slugs; a ``.py`` flow file anywhere, in a project or not) or extend it to hand-written diagrams
(.puml, .plantuml, .mmd, .md files and folders).

Flow modules start loading before the validator is imported: the worker processes that load them
are forked from a small process, which keeps them cheap, and they run while it imports.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from diagram_dsl.catalog import Catalog, LoadedFlow, load_flow_file, start_catalog
from diagram_dsl.cli.common import require_project
from diagram_dsl.dsl.location import display_path, display_paths_relative_to
from diagram_dsl.errors import LoadError
from diagram_dsl.fsutil import project_lock
from diagram_dsl.model import Location

if TYPE_CHECKING:
    from diagram_dsl.validate import Finding

_MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass
class _Scope:
    """What one run checks."""

    flows: list[LoadedFlow] = field(default_factory=list)
    flow_files: set[str] = field(default_factory=set)  # display names of chosen sources (for load errors)
    standalone: list[LoadedFlow] = field(default_factory=list)  # flow files that are not the project's flows
    standalone_errors: list[LoadError] = field(default_factory=list)  # ... and those of them that failed to load
    diagram_paths: list[Path] = field(default_factory=list)  # hand-written diagrams to import and validate
    markdown: list[Path] = field(default_factory=list)  # docs whose links and inline blocks are linted
    project: bool = False  # outputs and the catalog page too


def _as_path(key: str, root: Path) -> Path:
    """A PATHS entry as an absolute path: relative to the working directory, else to the project root."""
    candidate = Path(key)
    if candidate.is_absolute():
        return candidate.resolve()
    here = Path.cwd() / candidate
    return here.resolve() if here.exists() else (root / candidate).resolve()


def _add_flow(scope: _Scope, flow: LoadedFlow | None, shown: str) -> None:
    if flow is not None and flow not in scope.flows:
        scope.flows.append(flow)
    scope.flow_files.add(shown)


def _scope(catalog: Catalog, paths: tuple[str, ...]) -> _Scope:
    from diagram_dsl.importers.discover import SUFFIXES
    from diagram_dsl.markdown.scan import markdown_files

    project = catalog.project
    root = project.root
    failed = {e.location.file for e in catalog.errors if e.location}
    with display_paths_relative_to(root):
        if not paths:
            docs = [p for p in markdown_files(root, []) if p.is_file() and not project.docs_excluded(p)]
            return _Scope(list(catalog.flows), {display_path(str(f.path)) for f in catalog.flows} | failed,
                          diagram_paths=list(docs), markdown=list(docs), project=True)
        scope = _Scope()
        for key in paths:
            path = _as_path(key, root)
            shown = display_path(str(path))
            flow = next((f for f in catalog.flows if f.path == path), None) or catalog.find(key)
            if flow is not None or shown in failed:
                _add_flow(scope, flow, shown)
            elif path.is_dir() and path == project.sources_dir.resolve():
                for each in catalog.flows:
                    _add_flow(scope, each, display_path(str(each.path)))
                scope.flow_files |= {f for f in failed if f.startswith(f"{project.sources.as_posix()}/")}
            elif path.is_dir():
                scope.diagram_paths.append(path)
                scope.markdown.extend(p for p in markdown_files(root, [path])
                                      if p.is_file() and not project.docs_excluded(p))  # not a folder or FIFO
            elif path.is_file() and path.suffix.lower() in SUFFIXES:
                scope.diagram_paths.append(path)
                if path.suffix.lower() in _MARKDOWN_SUFFIXES:
                    scope.markdown.append(path)
            elif path.is_file() and path.suffix == ".py":
                _add_standalone(scope, path, project.load_timeout)
            else:
                raise click.UsageError(f"{key}: no flow in {project.sources}/ and no .py, .puml, .plantuml, .mmd or "
                                       ".md file or folder matches this path or name")
        return scope


def _add_standalone(scope: _Scope, path: Path, timeout: float) -> None:
    """A flow file that is not one of the project's flows: checked on its own, never built."""
    try:
        scope.standalone.append(load_flow_file(path, timeout=timeout))
    except LoadError as error:
        scope.standalone_errors.append(error)


def _load_findings(catalog: Catalog, scope: _Scope) -> list[Finding]:
    from diagram_dsl.validate.findings import make_finding

    findings = []
    chosen = [e for e in catalog.errors if e.location is not None and e.location.file in scope.flow_files]
    for error in chosen + scope.standalone_errors:
        hint = f" ({error.hint})" if error.hint else ""
        findings.append(make_finding(error.code, error.location or Location("<unknown>", 1), f"{error.message}{hint}"))
    return findings


def _relative(finding: Finding, root: Path) -> Finding:
    path = Path(finding.location.file)
    if not path.is_absolute():
        path = (Path.cwd() / path).resolve()
    try:
        shown = path.relative_to(root).as_posix()
    except ValueError:
        return finding
    return replace(finding, location=replace(finding.location, file=shown))


def _escape_github(text: str, *, in_property: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if in_property else text


def _render(findings: list[Finding], output: str) -> str:
    from diagram_dsl.validate import Severity

    github_level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    if output == "json":
        return json.dumps([{"code": f.code, "severity": f.severity.value, "file": f.location.file,
                            "line": f.location.line, "message": f.text, "path": f.path} for f in findings],
                          indent=2, ensure_ascii=False)
    if output == "github":
        return "\n".join(
            f"::{github_level[f.severity]} file={_escape_github(f.location.file, in_property=True)},"
            f"line={f.location.line},title={f.code}::{_escape_github(f.text)}" for f in findings)
    return "\n".join(str(f) for f in findings)


def _run_checks(root: Path, paths: tuple[str, ...], strict: bool, fix: bool) -> tuple[list[Finding], str]:
    if fix and not paths:
        from diagram_dsl.build import run_build

        run_build(root)  # regenerates stale outputs and the catalog page; validator errors stay findings below
    with start_catalog(root) as pending:
        # The flows load in their workers while this process imports the validator (see the module docstring).
        from diagram_dsl.checks.diagrams import check_diagram_files
        from diagram_dsl.checks.doc_links import check_doc_links
        from diagram_dsl.checks.inline import check_inline_syntax
        from diagram_dsl.checks.outputs import check_outputs
        from diagram_dsl.validate import validate, validate_catalog

        catalog = pending.wait()
    scope = _scope(catalog, paths)

    chosen = Catalog(catalog.project, tuple(scope.flows), catalog.errors)
    findings = _load_findings(catalog, scope) + validate_catalog(flow.model for flow in chosen.flows)
    for flow in scope.standalone:  # not the project's: no number or slug clash with its flows
        findings += validate(flow.model.diagram, flow.metadata)
    if scope.project:
        with project_lock(catalog.root, shared=True):  # never judge a build half done
            findings += check_outputs(catalog.project)
    checked, diagram_findings = check_diagram_files(scope.diagram_paths, strict=strict)
    findings += diagram_findings
    if scope.markdown:
        findings += check_doc_links(catalog, scope.markdown, fix=fix)
        findings += check_inline_syntax([(p, display_path(str(p))) for p in scope.markdown])
    summary = f"checked {len(scope.flows) + len(scope.standalone) + len(scope.standalone_errors)} flow(s)"
    if checked:
        summary += f", {checked} hand-written diagram(s)"
    if scope.markdown:
        summary += f", {len(scope.markdown)} Markdown file(s)"
    return sorted({_relative(f, catalog.root) for f in findings}), summary


@click.command("check")
@click.argument("paths", nargs=-1)
@click.option("--format", "output", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True, help="text: file:line compiler style; json: a list; github: Actions annotations.")
@click.option("--strict", is_flag=True, help="Fail on warnings too; check replies even where a diagram draws none.")
@click.option("--fix", is_flag=True, help="Rebuild stale outputs and rewrite drifted doc links, then check.")
@click.option("--explain", "explain_code", metavar="CODE", help="Explain a rule code (e.g. SEQ110) and exit.")
@click.pass_obj
def command(root: Path, paths: tuple[str, ...], output: str, strict: bool, fix: bool,
            explain_code: str | None) -> None:
    """Check flows, generated outputs and docs (the whole project, or the PATHS given).

    PATHS may be flow sources, numbers or slugs, a flow file anywhere (in a project or not), or
    hand-written .puml/.plantuml/.mmd/.md files and folders. Exit 0 when clean, 1 on any error (or
    any warning with --strict), 2 on a usage error.

    \b
    Example:
      diagram-dsl check
      diagram-dsl check --format github
      diagram-dsl check docs/ legacy/login.puml --strict
      diagram-dsl check ~/scratch/sketch.py
      diagram-dsl check --explain SEQ110
    """
    if explain_code is not None:
        from diagram_dsl.validate import explain
        from diagram_dsl.validate.hints import dsl_fixes

        text = explain(explain_code)
        if text is None:
            raise click.UsageError(f"unknown rule code {explain_code!r}; codes look like SEQ110")
        fixes = dsl_fixes(explain_code)
        if fixes:
            text += "\n\nIn a flow written in the Python DSL:\n" + "\n".join(f"  - {fix}" for fix in fixes)
        click.echo(text)
        return
    if not paths:
        require_project(root)
    findings, summary = _run_checks(root.resolve(), paths, strict, fix)
    from diagram_dsl.validate import Severity

    rendered = _render(findings, output)
    if rendered:
        click.echo(rendered)
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = sum(f.severity is Severity.WARNING for f in findings)
    if output == "text":
        click.echo(f"{summary}: {errors} error(s), {warnings} warning(s)")
    if errors or (strict and warnings):
        raise click.exceptions.Exit(1)
