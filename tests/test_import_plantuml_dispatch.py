"""The PlantUML importer's one-pattern-per-line dispatch reads every line as trying each statement in turn would."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from diagram_dsl.importers import plantuml, plantuml_arrows

_ROOT = Path(__file__).resolve().parent


def _lines() -> list[str]:
    """Every line of the PlantUML test files as written and in upper case, and a few with awkward letters."""
    lines = {line.strip() for path in sorted(_ROOT.rglob("*.puml")) for line in path.read_text().splitlines()}
    # Letters an ignore-case pattern matches as ASCII ones: long s, dotless i, dotted capital I, Kelvin sign.
    lines |= {"\u017fkinparam x {", "t\u0131tle", "T\u0130TLE x", "\u212aelvin", "ALT x", "END", "Note over A: x",
              "&A -> B", "{x} A -> B", "activate", "activate A", "autonumber 10", "participant", "==x==", "...",
              "||5||", "return", "box", "<style>", "!function f()", "legend", "left header", "rnote over A",
              "/ note over A : x"}
    lines = {line for line in lines if line}
    return sorted(lines | {line.upper() for line in lines})


@pytest.mark.parametrize("first", sorted({line[0] for line in _lines()}))
def test_a_line_is_matched_only_against_the_statements_its_start_can_begin(first: str) -> None:
    # The narrowed pattern must give the same statement and the same groups as the pattern holding every statement.
    everything = plantuml._statement_pattern(tuple(name for name, _, _ in plantuml._STATEMENTS))
    for line in (line for line in _lines() if line[0] == first):
        narrowed, full = plantuml._BY_START[line[:2]].match(line), everything.match(line)
        assert (narrowed is None) == (full is None), line
        if narrowed is not None and full is not None:
            assert narrowed.lastgroup == full.lastgroup, line
            assert narrowed.groupdict() == {k: v for k, v in full.groupdict().items() if k in narrowed.groupdict()}


def test_the_arrow_is_read_by_position_from_every_pattern_ending_with_it() -> None:
    patterns = [plantuml_arrows._LINE, *(plantuml._BY_START[chr(code)] for code in range(128)),
                *(plantuml._BY_START[chr(code) + "l"] for code in range(128)), plantuml._BY_START["é"]]
    for pattern in patterns:
        by_position = sorted(pattern.groupindex, key=pattern.groupindex.__getitem__)
        assert tuple(by_position[-10:]) == plantuml_arrows.ARROW_GROUPS
        assert pattern.groupindex["label"] == pattern.groups  # nothing after the arrow's last group


def test_a_name_holds_the_same_characters_as_word_characters_dot_at_and_dollar() -> None:
    # NAME lists the ASCII letters and digits before `\w` (faster): with or without ignore-case, no other character.
    everything = "".join(map(chr, range(0x110000))).replace("\n", "")
    listed = plantuml_arrows.NAME.split("|")[-1]
    for flags in (0, re.IGNORECASE):
        assert re.findall(listed, everything, flags) == re.findall(r"[\w.@$]+", everything, flags)


def test_an_arrow_label_loses_the_blanks_str_strip_would() -> None:
    # The label is read after `:\s*` instead of being stripped: `\s` must be exactly what str.strip takes away.
    everything = "".join(map(chr, range(0x110000)))
    assert re.findall(r"\s", everything) == [char for char in everything if char.isspace()]
    match = plantuml_arrows._LINE.match("A -> B :\u3000\u00a0 label")
    arrow = None if match is None else plantuml_arrows.arrow_from(match)
    assert arrow is not None and arrow[2] == "label"
