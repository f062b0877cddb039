"""``diagram-dsl new "Title"`` writes the title as a safe Python literal, whatever the title holds.

A title is the user's text: ``\"\"\"`` would end the docstring, ``\\U`` is a syntax error in a plain
string, a line break or a quote could end a literal early and let the rest run as code.
"""

from __future__ import annotations

import ast
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from diagram_dsl.catalog import load_catalog
from diagram_dsl.cli import main

# Printable text plus the characters that break naive templates; at least one letter so the title has a slug.
_NASTY = st.sampled_from(['"""', "'''", '"', "'", "\\", "\\U", "\\N{", "\\x", "\n", "\r\n", "\t", "{", "}", "#",
                          "\\\n", "é", "🚀", "\u2028", "\x00", "\x1b", "\x7f"])
_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_WORD = st.from_regex(r"[A-Za-z][A-Za-z0-9 ]{0,8}", fullmatch=True)
TITLES = st.builds(lambda parts, word: "".join(parts) + word, st.lists(st.one_of(_NASTY, _TEXT), max_size=6), _WORD)


def _new(root: Path, title: str) -> Path:
    # "--" ends the options, as a shell user would type it for a title starting with "-".
    result = CliRunner().invoke(main, ["--root", str(root), "new", "--", title])
    assert result.exit_code == 0, result.output
    (created,) = (root / "sources").glob("*.py")
    return created


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TITLES)
@example('"""; import os; os.system("echo pwned") #"""')
@example('C:\\Users\\x\\U0001 path')
@example("Line one\nimport sys; sys.exit(3)\n")
@example("it's \"quoted\" \\")
@example("Order Refund")
def test_the_module_loads_and_keeps_the_title_exactly(title: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        created = _new(root, title)
        source = created.read_text(encoding="utf-8")
        module = ast.parse(source)  # a syntax error would fail here
        assert ast.get_docstring(module, clean=False) == f"{title}."
        assert created.name.isascii() and created.parent == root / "sources"  # the file name is the slug
        catalog = load_catalog(root)
        assert catalog.errors == (), catalog.errors
        (flow,) = catalog.flows
        assert flow.metadata.title == title


def test_a_plain_title_reads_as_before(tmp_path: Path) -> None:
    source = _new(tmp_path, "Order Refund").read_text(encoding="utf-8")
    assert source.startswith('"""Order Refund."""\n')
    assert '    title="Order Refund",\n' in source
