"""The PlantUML pre-scan's shortcuts (searches in C over the whole body) answer as its line-by-line scan does."""

from __future__ import annotations

import random

from diagram_dsl.importers import plantuml_blocks

# Pieces of lines: free text opening and closing (notes, refs, legends, headers), words only other diagram types
# start a line with, arrows and relations, style blocks, blanks, and letters an ignore-case pattern reads as ASCII.
_PIECES = (
    "note over A", "note left", "hnote over DB #yellow", "rnote", "end note", "endnote", "End Note", "end  hnote",
    "end ref", "ref over A", "legend", "end legend", "header", "footer", "title", "end title", "caption",
    "left header", "center footer", "/ note", "/note over", "state: {", "state", "class Foo", "abstract  class X",
    "enum", "component", "A -> B: msg", "A -> (x)", "A -> (1)", "A --> B", "-> (", "<style>", "</style>",
    "skinparam x {", "skinparam", "sprite $x {", "style {", "}", "{", "endif", "end", "endifx", "if (x)", "if(",
    "while (", "elseif (", ":act;", ":a:b;", "(*)", "(use)", "(use) -", "[comp]", "[a-b]", "A <|-- B", "A --|> B",
    "A *-- B", "A o-- B", "A o--> B", "A --o B", "A ..|> B", "<|..", "left to right direction", "json", "fork",
    "start", "usecase", "actor A", ":", ";", "(", ")", "[", "]", "--", "..", "|", "*", "o", ">", "<", "-", " ",
    "\t", "\x1f", "x", "alt", "loop", "else", "activate A", "\u017ftate", "\u212aelvin", "t\u0131tle", "\u00e9",
)


def _line(rng: random.Random) -> str:
    line = "".join(rng.choice(_PIECES) + rng.choice(("", " ", "\t")) for _ in range(rng.choice((0, 1, 1, 2, 3))))
    if rng.random() < 0.3:
        line = rng.choice(("  ", "\t", "        ")) + line
    if rng.random() < 0.2:
        line = line.upper() if rng.random() < 0.5 else line.title()
    return line


def test_the_pre_scan_answers_as_the_line_by_line_scan_of_the_body_without_its_style_blocks() -> None:
    rng = random.Random(20261130)
    for _ in range(20_000):
        body = [_line(rng) for _ in range(rng.randint(0, 16))]
        expected = plantuml_blocks._scan(plantuml_blocks._without_style_blocks(body))
        assert plantuml_blocks.looks_like_other_diagram(body) is expected, body


def test_free_text_is_skipped_from_its_opening_line_to_its_closing_one() -> None:
    note = ["A -> B: x", "  note right of A #yellow", "    {", "      state: {", "    }", "  end note"]
    assert not plantuml_blocks.looks_like_other_diagram(note)
    assert not plantuml_blocks.looks_like_other_diagram(note[:-1])  # never closed: free text to the end
    assert plantuml_blocks.looks_like_other_diagram([*note, "state Idle"])
    # An `end` that closes no free text (in a line, or a block's) does not end the note.
    assert not plantuml_blocks.looks_like_other_diagram(
        ["note over A", "the end note", "end", "endnotes", "state: 1", "end note"])
    assert plantuml_blocks.looks_like_other_diagram(["note over A", "end\tNOTE", "State: 1"])
