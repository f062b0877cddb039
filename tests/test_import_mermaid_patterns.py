"""The Mermaid importer's fast message pattern reads every statement it matches as the full pattern does."""

from __future__ import annotations

import random

from diagram_dsl.importers import mermaid

# Pieces of statements: names, blanks (Unicode ones too), every arrow and pieces of arrows, activation marks, `()`,
# colons, a line break.
_PIECES = (
    "A", "Bob", "a b", " ", "  ", "\t", "\u00a0", "\u3000", ":", "::", "+", "-", "--", "()", "(", ")", "<", "<<",
    ">", ">>", "/", "//", "\\", "\\\\", "|", "x", "X", ")", *mermaid._ARROWS, "hi", "\u00e9", "\n", ": hello", "+B",
    "-A", " : ", "#", "x:y",
)


def test_the_plain_message_pattern_matches_as_the_message_pattern_whenever_it_matches() -> None:
    rng = random.Random(20261130)
    fast = 0
    for _ in range(30_000):
        statement = "".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 9)))
        if rng.random() < 0.5:
            statement = statement.strip()
        full, plain = mermaid._MESSAGE.match(statement), mermaid._PLAIN_MESSAGE.match(statement)
        if plain is not None:
            fast += 1
            assert full is not None, repr(statement)
            assert (plain.groups(), plain.span()) == (full.groups(), full.span()), repr(statement)
    assert fast > 10_000  # the fast pattern reads most of them
