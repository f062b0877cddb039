"""``diagram-dsl check``: validate the catalog's flows and print findings compiler style."""

from __future__ import annotations

import json
from pathlib import Path

import click

from diagram_dsl.catalog import Catalog, LoadedFlow, load_catalog
from diagram_dsl.dsl.location import display_path, display_paths_relative_to
from diagram_dsl.validate import Finding, Severity, explain, validate_catalog
from diagram_dsl.validate.findings import make_finding

_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _selected(catalog: Catalog, paths: tuple[str, ...]) -> tuple[Catalog, set[str]]:
    """The catalog narrowed to PATHS (files or flow keys) and the display names of the chosen source files."""
    with display_paths_relative_to(catalog.root):
        if not paths:
            return catalog, {display_path(str(f.path)) for f in catalog.flows} | {
                e.location.file for e in catalog.errors if e.location}
        chosen: list[LoadedFlow] = []
        files: set[str] = set()
        for key in paths:
            resolved = _as_path(key, catalog.root)
            flow = next((f for f in catalog.flows if f.path == resolved), None) or catalog.find(key)
            shown = display_path(str(resolved))
            failed = any(e.location is not None and e.location.file == shown for e in catalog.errors)
            if flow is None and not failed:
                raise click.UsageError(f"{key}: no flow in {catalog.root / 'sources'} matches this path or name")
            if flow is not None and flow not in chosen:
                chosen.append(flow)
                files.add(display_path(str(flow.path)))
            if failed:
                files.add(shown)
    return Catalog(catalog.root, tuple(chosen), catalog.errors), files


def _as_path(key: str, root: Path) -> Path:
    """A PATHS entry as an absolute path: relative to the working directory, else to the project root."""
    candidate = Path(key)
    if candidate.is_absolute():
        return candidate.resolve()
    here = Path.cwd() / candidate
    return here.resolve() if here.exists() else (root / candidate).resolve()


def _load_findings(catalog: Catalog, files: set[str]) -> list[Finding]:
    findings = []
    for error in catalog.errors:
        if error.location is not None and error.location.file in files:
            hint = f" ({error.hint})" if error.hint else ""
            findings.append(make_finding("SEQ000", error.location, f"{error.message}{hint}"))
    return findings


def _escape_github(text: str, *, in_property: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if in_property else text


def _render(findings: list[Finding], output: str) -> str:
    if output == "json":
        return json.dumps([{"code": f.code, "severity": f.severity.value, "file": f.location.file,
                            "line": f.location.line, "message": f.text, "path": f.path} for f in findings],
                          indent=2, ensure_ascii=False)
    if output == "github":
        return "\n".join(
            f"::{_GITHUB_LEVEL[f.severity]} file={_escape_github(f.location.file, in_property=True)},"
            f"line={f.location.line},title={f.code}::{_escape_github(f.text)}" for f in findings)
    return "\n".join(str(f) for f in findings)


@click.command("check")
@click.argument("paths", nargs=-1)
@click.option("--format", "output", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True, help="text: file:line compiler style; json: a list; github: Actions annotations.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--explain", "explain_code", metavar="CODE", help="Explain a rule code (e.g. SEQ110) and exit.")
@click.pass_obj
def command(root: Path, paths: tuple[str, ...], output: str, strict: bool, explain_code: str | None) -> None:
    """Validate flows in sources/ (all, or the PATHS given: files, numbers or slugs).

    Exit 0 when clean, 1 on any error (or any warning with --strict), 2 on a usage error.

    \b
    Example:
      diagram-dsl check
      diagram-dsl check sources/04_e_commerce_checkout.py --format github
      diagram-dsl check --explain SEQ110
    """
    if explain_code is not None:
        text = explain(explain_code)
        if text is None:
            raise click.UsageError(f"unknown rule code {explain_code!r}; codes look like SEQ110")
        click.echo(text)
        return
    catalog, files = _selected(load_catalog(root), paths)
    findings = sorted(_load_findings(catalog, files) + validate_catalog(catalog))
    rendered = _render(findings, output)
    if rendered:
        click.echo(rendered)
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = sum(f.severity is Severity.WARNING for f in findings)
    if output == "text":
        click.echo(f"checked {len(catalog.flows)} flow(s): {errors} error(s), {warnings} warning(s)", err=True)
    if errors or (strict and warnings):
        raise click.exceptions.Exit(1)
