"""``diagram-dsl diff [BASE] [HEAD]``: what changed in the flows between two revisions, for a pull request."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from diagram_dsl.cli.common import require_project

if TYPE_CHECKING:
    from diagram_dsl.diff.compare import CatalogDiff


@click.command("diff")
@click.argument("base", required=False)
@click.argument("head", required=False)
@click.option("--format", "output", type=click.Choice(["text", "markdown", "json"]), default="text",
              show_default=True, help="text for a terminal; markdown for a PR comment or $GITHUB_STEP_SUMMARY.")
@click.option("--images", "images_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write one picture per changed flow here: <n>-<slug>.diff.png (added green, removed red, "
                   "relabelled amber).")
@click.option("--image-url", default=None, metavar="PREFIX",
              help="With --images and --format markdown: embed each picture as PREFIX/<file> (where you upload "
                   "them).")
@click.option("--exit-code", is_flag=True, help="Exit 1 when any flow changed (like git diff --exit-code).")
@click.pass_obj
def command(root: Path, base: str | None, head: str | None, output: str, images_dir: Path | None,
            image_url: str | None, exit_code: bool) -> None:
    """Compare the flows of BASE and HEAD: flows added, removed and changed, and in each changed flow the
    messages added, removed or relabelled, the participants added or removed and the fragments changed.

    BASE defaults to where this branch left the default branch (git merge-base HEAD origin/HEAD, main or
    master); HEAD defaults to the working tree. A revision's sources are read from git into a temporary
    folder and loaded as `check` loads them.

    \b
    Example:
      diagram-dsl diff
      diagram-dsl diff origin/main --format markdown >> "$GITHUB_STEP_SUMMARY"
      diagram-dsl diff v1.0 v1.1 --images diagram-diff/
    """
    from diagram_dsl.diff.compare import compare_catalogs
    from diagram_dsl.diff.report import as_json, as_markdown, as_text
    from diagram_dsl.diff.revisions import WORKING_TREE, Revision, default_base, flows_at, resolve

    project = require_project(root)
    top = project.root
    old = resolve(top, base) if base else default_base(top)
    new = resolve(top, head) if head else Revision(WORKING_TREE, None)
    with flows_at(top, old) as before, flows_at(top, new) as after:
        diff = compare_catalogs(before, after, old.label, new.label)
        pictures: dict[int, Path] = {}
        if images_dir is not None:
            pictures = _write_pictures(diff, images_dir)
    if output == "json":
        click.echo(as_json(diff, pictures), nl=False)
    elif output == "markdown":
        shown = {number: f"{image_url.rstrip('/')}/{path.name}" if image_url else path.as_posix()
                 for number, path in pictures.items()}
        click.echo(as_markdown(diff, shown), nl=False)
    else:
        click.echo(as_text(diff, pictures), nl=False)
    if exit_code and any(flow.status != "unchanged" for flow in diff.flows):
        raise click.exceptions.Exit(1)


def _write_pictures(diff: CatalogDiff, folder: Path) -> dict[int, Path]:
    from diagram_dsl.diff.picture import render_diff
    from diagram_dsl.fsutil import atomic_write_bytes
    from diagram_dsl.project import output_stem
    from diagram_dsl.renderers.base import RenderError

    written: dict[int, Path] = {}
    for flow in diff.with_status("changed"):
        meta = flow.metadata
        try:
            rendered = render_diff(flow)
        except RenderError as error:
            click.echo(f"{meta.location}: warning: no change picture: {error}", err=True)
            continue
        path = folder / f"{output_stem(meta)}.diff.png"
        atomic_write_bytes(path, rendered.png)
        atomic_write_bytes(path.with_suffix(".svg"), rendered.svg)
        written[meta.number] = path
    return written
