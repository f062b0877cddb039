"""``diagram-dsl new "Title"``: scaffold a working flow with the next free number."""

from __future__ import annotations

import re
from pathlib import Path

import click

from diagram_dsl.emit.python import py_str
from diagram_dsl.fsutil import atomic_write_text
from diagram_dsl.naming import is_safe_slug, module_stem, slugify
from diagram_dsl.project import Project, load_project

TEMPLATE = '''{docstring}

from diagram_dsl import Flow, Scores

flow = Flow(
    number={number},
    title={title},
    description="TODO: one sentence on what this flow shows.",
    scores=Scores(solution_quality=5, implementation_difficulty=5, performance_level="Medium"),
    when_to_use=["TODO: when to pick this pattern"],
    important_points=["TODO: what an implementer must not miss"],
)

user = flow.actor("User")
app = flow.participant("App")
db = flow.database("Database")

with user.call(app, "request") as request:
    with app.call(db, "query") as query:
        query.reply("rows")
    with flow.alt("found"):
        request.reply("200 OK")
    with flow.else_("not found"):
        request.reply("404 Not Found")
'''


def docstring(title: str) -> str:
    """The module's docstring: the title in triple quotes, or an escaped literal when the title needs one.

    The title is the user's text: quotes, backslashes (``\\U`` would end the module at a syntax
    error), line breaks or control characters must not reach the source unescaped.
    """
    plain = title.isprintable() and not any(char in title for char in '"\\')
    return f'"""{title}."""' if plain else py_str(f"{title}.")


def next_free_number(project: Project) -> int:
    taken = [int(m.group(1)) for p in project.source_files() if (m := re.match(r"(\d+)_", p.name))]
    return max(taken, default=0) + 1


@click.command("new")
@click.argument("title")
@click.option("--number", type=int, default=None, help="Flow number (default: the next free one).")
@click.pass_obj
def command(root: Path, title: str, number: int | None) -> None:
    """Create sources/NN_<slug>.py for TITLE with a working example flow.

    \b
    Example:
      diagram-dsl new "Order Refund"
    """
    slug = slugify(title)
    if not is_safe_slug(slug):
        raise click.ClickException(f"title {title!r} gives no usable slug; use letters or digits")
    project = load_project(root)
    number = next_free_number(project) if number is None else number
    path = project.sources_dir / f"{module_stem(number, slug)}.py"
    if path.exists():
        raise click.ClickException(f"{path} already exists; pick another title or --number")
    atomic_write_text(path, TEMPLATE.format(docstring=docstring(title), number=number, title=py_str(title)))
    click.echo(f"created {path} (flow {number}, outputs named {number}-{slug}.*)")
