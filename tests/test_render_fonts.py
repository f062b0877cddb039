"""The pinned font covers the scripts and symbols we promise, and unsupported characters never reach it."""

from __future__ import annotations

import pytest

from diagram_dsl.renderers.native.fonts import REPLACEMENT, covered_codepoints, displayable, font_path, pil_font
from diagram_dsl.renderers.native.text import TextStyle, line_width, wrap

PROMISED = "é ü ß € — → ✓ … ÀÿĀžŁőŒ ΑΩαωάΐ АЯаяЁёЇї «» ‘’“” • ± × ÷ °"  # noqa: RUF001
LATIN_1 = [chr(c) for c in range(0xA1, 0x100) if c != 0xAD]  # soft hyphen is invisible by definition
LATIN_EXTENDED_A = [chr(c) for c in range(0x100, 0x180) if c != 0x149]  # ŉ is deprecated by Unicode
GREEK = [chr(c) for c in range(0x391, 0x3CA) if c != 0x3A2]  # 0x3A2 is unassigned
CYRILLIC = [chr(c) for c in range(0x410, 0x450)]


def _notdef_mask() -> bytes:
    font = pil_font(20, 400)
    return bytes(font.getmask("\U0010fffd"))


@pytest.mark.parametrize("chars", [PROMISED.replace(" ", ""), LATIN_1, LATIN_EXTENDED_A, GREEK, CYRILLIC],
                         ids=["symbols", "latin-1", "latin-ext-a", "greek", "cyrillic"])
def test_font_draws_a_real_glyph_for_every_promised_character(chars: str | list[str]) -> None:
    font = pil_font(20, 400)
    notdef = _notdef_mask()
    missing = [c for c in chars if bytes(font.getmask(c)) == notdef or ord(c) not in covered_codepoints()]
    assert not missing


def test_font_is_the_pinned_packaged_file() -> None:
    path = font_path()
    assert path.name == "Inter[opsz,wght].ttf"
    assert "site-packages" in str(path) or "fontpkg_inter" in str(path)


def test_unsupported_characters_are_replaced_and_controls_dropped() -> None:
    assert displayable("emoji 🚀") == f"emoji {REPLACEMENT}"
    assert displayable("tab\there") == "tab here"
    assert displayable("bell\x07!") == "bell!"
    assert displayable("é ü ß € — → ✓ …") == "é ü ß € — → ✓ …"


def test_wrapping_keeps_every_word_and_respects_the_width() -> None:
    style = TextStyle(13, 400, "#000000", 17)
    text = "Σύντομο κείμενο και ένα πολύ μακρύ κείμενο για δοκιμή αναδίπλωσης γραμμών → ✓"  # noqa: RUF001
    lines = wrap(text, style, 150)
    assert len(lines) > 1
    assert " ".join(lines) == text
    assert all(line_width(line, 13, 400) <= 150 for line in lines)


def test_words_longer_than_the_width_are_split() -> None:
    style = TextStyle(13, 400, "#000000", 17)
    lines = wrap("x" * 200, style, 80)
    assert "".join(lines) == "x" * 200
    assert all(line_width(line, 13, 400) <= 80 for line in lines)
