"""``diagram-dsl convert FILE --to plantuml|mermaid|python``: move a hand-written diagram between forms."""

from __future__ import annotations

import re
from pathlib import Path

import click

from diagram_dsl.cli.cmd_new import next_free_number
from diagram_dsl.emit import emit_mermaid, emit_plantuml
from diagram_dsl.emit.python import emit_python
from diagram_dsl.fsutil import atomic_write_text
from diagram_dsl.importers.discover import SUFFIXES, load_diagrams
from diagram_dsl.importers.result import ImportedDiagram, ImportFailure
from diagram_dsl.model import Diagram, Location
from diagram_dsl.naming import is_safe_slug, module_stem, slugify
from diagram_dsl.project import load_project

_EXTENSIONS = {"plantuml": "puml", "mermaid": "mmd", "python": "py"}


def title_from_file(path: Path) -> str:
    """``03_order-refund.mmd`` -> ``Order Refund``: the file name without its number, as words."""
    words = re.sub(r"^\d+[\s_.-]*", "", path.stem).replace("_", " ").replace("-", " ").split()
    return " ".join(word[:1].upper() + word[1:] for word in words) or "Imported Diagram"


def _pick(found: list[ImportedDiagram], index: int | None, path: Path) -> ImportedDiagram:
    if not found:
        raise click.ClickException(f"{path}: no PlantUML or Mermaid sequence diagram found")
    if index is None and len(found) > 1:
        places = ", ".join(str(item.origin.line) for item in found)
        raise click.ClickException(f"{path}: holds {len(found)} sequence diagrams (at lines {places}); "
                                   "pick one with --index N (1 = the first)")
    position = 1 if index is None else index
    if not 1 <= position <= len(found):
        raise click.ClickException(f"{path}: --index {position} is out of range (1..{len(found)})")
    return found[position - 1]


@click.command("convert")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--to", "target", type=click.Choice(sorted(_EXTENSIONS)), required=True,
              help="What to write: PlantUML, Mermaid, or a DSL source module for sources/.")
@click.option("--number", type=int, default=None, help="Flow number for --to python (default: the next free one).")
@click.option("--title", default=None, help="Flow title for --to python (default: the diagram's title or file name).")
@click.option("--index", type=int, default=None, help="Which diagram of a file that holds several (1 = first).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Write here instead of standard output; a folder gets the conventional file name.")
@click.pass_obj
def command(root: Path, file: Path, target: str, number: int | None, title: str | None, index: int | None,
            output: Path | None) -> None:
    """Convert the sequence diagram in FILE (.puml, .plantuml, .mmd or a Markdown block).

    \b
    Example:
      diagram-dsl convert docs/login.mmd --to plantuml
      diagram-dsl convert docs/login.puml --to python -o sources/
    """
    if file.suffix.lower() not in SUFFIXES:
        raise click.ClickException(f"{file}: not a diagram file; give a .puml, .plantuml, .mmd or .md file")
    chosen = _pick(load_diagrams(file), index, file)
    if chosen.error is not None or chosen.diagram is None:
        raise click.ClickException(str(chosen.error))
    if chosen.facts.skipped:  # a converted diagram must not silently lose what the importer could not read
        skipped = chosen.facts.skipped[0]
        raise click.ClickException(str(ImportFailure(skipped.message, Location(chosen.origin.file, skipped.line),
                                                     skipped.hint)))
    diagram: Diagram = chosen.diagram
    flow_title = title or diagram.title or title_from_file(file)
    slug = slugify(flow_title)
    if target == "python" and not is_safe_slug(slug):
        raise click.ClickException(f"title {flow_title!r} gives no usable slug; pass --title with letters or digits")
    flow_number = next_free_number(load_project(root)) if number is None else number
    if target == "plantuml":
        text = emit_plantuml(diagram)
    elif target == "mermaid":
        text = emit_mermaid(diagram)
    else:
        text = emit_python(diagram, number=flow_number, title=flow_title)
    if output is None:
        click.echo(text, nl=False)
        return
    if output.is_dir():
        stem = module_stem(flow_number, slug) if target == "python" else (slug or file.stem)
        output = output / f"{stem}.{_EXTENSIONS[target]}"
    atomic_write_text(output, text)
    click.echo(f"wrote {output}", err=True)
