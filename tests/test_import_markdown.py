"""Markdown code blocks and folders: diagrams are found with lines that point into the original files."""

from __future__ import annotations

from pathlib import Path

from diagram_dsl.importers.discover import load_diagrams
from diagram_dsl.importers.markdown import code_blocks

DOC = """# Design

```mermaid
flowchart LR
  A --> B
```

Some text.

```mermaid
sequenceDiagram
    Alice->>Bob: hi
    Bob-->>Alice: hello
```

~~~~markdown
```mermaid
sequenceDiagram
    Inside->>Fence: not a block
```
~~~~

  ```puml
  @startuml
  A -> B : x
  B -> : broken
  @enduml
  ```

```plantuml
Alice -> Bob : no @startuml needed
```
"""


def test_code_blocks_know_their_language_and_first_line() -> None:
    blocks = code_blocks(DOC)
    assert [(b.language, b.first_line) for b in blocks] == [
        ("mermaid", 4), ("mermaid", 11), ("plantuml", 24), ("plantuml", 31)]
    assert blocks[2].text.startswith("@startuml\nA -> B")  # the fence's indentation is removed


def test_markdown_lines_point_into_the_markdown_file(tmp_path: Path) -> None:
    doc = tmp_path / "design.md"
    doc.write_text(DOC, encoding="utf-8")
    found = load_diagrams(doc)
    assert [(item.language, item.origin.line) for item in found] == [
        ("mermaid", 11), ("plantuml", 24), ("plantuml", 31)]
    mermaid, broken, bare = found
    assert mermaid.diagram is not None
    assert [(m.location.file, m.location.line) for m in mermaid.diagram.messages()] == [(str(doc), 12), (str(doc), 13)]
    assert broken.diagram is not None and broken.error is None  # the line it cannot read is skipped, located
    assert [(skipped.line, skipped.text) for skipped in broken.facts.skipped] == [(26, "B -> : broken")]
    assert bare.diagram is not None and bare.diagram.messages()[0].location.line == 31


def test_folders_are_searched_in_name_order_skipping_tool_folders(tmp_path: Path) -> None:
    (tmp_path / "b.mmd").write_text("sequenceDiagram\nA->>B: one\n", encoding="utf-8")
    (tmp_path / "a.puml").write_text("@startuml\nA -> B : two\n@enduml\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("A -> B : ignored", encoding="utf-8")
    for skipped in ("node_modules", ".git"):
        (tmp_path / skipped).mkdir()
        (tmp_path / skipped / "c.mmd").write_text("sequenceDiagram\nA->>B: hidden\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "d.md").write_text("```mermaid\nsequenceDiagram\nX->>Y: three\n```\n", encoding="utf-8")
    found = load_diagrams(tmp_path)
    labels = [item.diagram.messages()[0].label for item in found if item.diagram is not None]
    assert labels == ["two", "one", "three"]
    assert found[2].origin.file == str(tmp_path / "docs" / "d.md")


def test_unreadable_or_wrong_paths_are_clean_failures(tmp_path: Path) -> None:
    binary = tmp_path / "x.mmd"
    binary.write_bytes(b"sequenceDiagram\n\xff\xfe\x00")
    text = tmp_path / "x.txt"
    text.write_text("hello", encoding="utf-8")
    for path, words in ((binary, "not UTF-8"), (text, "not a diagram file"), (tmp_path / "missing.puml", "no such")):
        found = load_diagrams(path)
        assert len(found) == 1 and found[0].diagram is None and found[0].error is not None
        assert words in found[0].error.message and found[0].origin.line == 1


def test_byte_order_mark_does_not_shift_anything(tmp_path: Path) -> None:
    path = tmp_path / "bom.mmd"
    path.write_bytes("\ufeffsequenceDiagram\nA->>B: hi\n".encode())
    found = load_diagrams(path)
    assert found[0].diagram is not None and found[0].diagram.messages()[0].location.line == 2
