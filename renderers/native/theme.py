"""The default look of the native renderer: every colour and size in one place.

All sizes are logical units (1 unit = 1 px at ``--scale 1``). Colours are CSS hex
strings so the SVG canvas can use them as they are.

Palette (light, print-friendly, WCAG AA contrast for text on its fill):

==================  =========  ==================================================
role                colour     used for
==================  =========  ==================================================
background          #FFFFFF    the canvas
ink                 #1F2933    all text, arrows
muted_ink           #52606D    guard text, delay text, fragment separators
head_fill           #EEF2FB    participant heads (pale blue)
head_stroke         #4A5A78    head outlines, stick figures, glyphs
lifeline            #8C98A8    dashed lifelines
bar_fill            #DCE3F0    activation bars
note_fill           #FFF7D1    notes (pale yellow) with #C9A227 outline
fragment_stroke     #6B7A90    fragment frames; tab fill #E7ECF3
ref_fill            #F7F9FC    ``ref`` boxes
divider_fill        #E7ECF3    divider label plates
box_fill            #F5F7FA    participant group boxes without a colour
number_ink          #2F54C8    autonumber digits
destroy_ink         #C0392B    destruction crosses and lost-message crosses
==================  =========  ==================================================
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    background: str = "#FFFFFF"
    ink: str = "#1F2933"
    muted_ink: str = "#52606D"
    head_fill: str = "#EEF2FB"
    head_stroke: str = "#4A5A78"
    lifeline: str = "#8C98A8"
    bar_fill: str = "#DCE3F0"
    bar_stroke: str = "#4A5A78"
    note_fill: str = "#FFF7D1"
    note_stroke: str = "#C9A227"
    fragment_stroke: str = "#6B7A90"
    tab_fill: str = "#E7ECF3"
    ref_fill: str = "#F7F9FC"
    divider_fill: str = "#E7ECF3"
    box_fill: str = "#F5F7FA"
    box_stroke: str = "#B8C2D0"
    number_ink: str = "#2F54C8"
    destroy_ink: str = "#C0392B"

    # Fonts: (size, weight). Weights are Inter's variable ``wght`` axis.
    body_size: int = 13
    title_size: int = 17
    small_size: int = 12
    regular_weight: int = 400
    strong_weight: int = 600
    line_height_ratio: float = 1.3

    stroke: float = 1.0
    heavy_stroke: float = 1.4


DEFAULT_THEME = Theme()


# -- Layout metrics (owned by the layout side; colours and type above belong to the look) -------------


@dataclass(frozen=True)
class LayoutMetrics:
    """Every distance the layout uses, in logical units: no layout module holds a bare pixel number."""

    margin: float = 12.0  # around the whole drawing
    title_gap: float = 12.0  # below the title
    title_min_wrap: float = 400.0  # the title wraps at twice the wrap width, and never narrower than this
    head_pad_x: float = 8.0
    head_pad_y: float = 7.0
    head_min_width: float = 64.0
    glyph_size: float = 26.0  # boundary/control/entity circle diameter; actor figure width
    actor_height: float = 34.0
    glyph_label_gap: float = 4.0  # between a glyph and its name
    column_gap: float = 16.0  # minimum clear space between two neighbouring heads
    box_pad: float = 8.0  # participant box around its heads
    box_title_pad: float = 6.0  # below a participant box's title
    box_radius: float = 4.0
    first_row_gap: float = 12.0  # between the heads and the first row
    footer_gap: float = 24.0  # between the last element and the heads repeated at the bottom
    tail: float = 6.0  # how far a bar still open at the end reaches below the last row

    lifeline_dash: tuple[float, float] = (5.0, 4.0)
    delay_dash: tuple[float, float] = (2.0, 3.0)
    reply_dash: tuple[float, float] = (5.0, 3.0)
    separator_dash: tuple[float, float] = (6.0, 4.0)

    bar_width: float = 10.0
    bar_nest_offset: float = 5.0
    bar_min_height: float = 6.0
    arrow_length: float = 9.0
    arrow_half_width: float = 4.5
    arrow_min: float = 24.0  # shortest arrow between two lifelines
    label_gap: float = 4.0  # between a label's bottom and its arrow
    label_margin: float = 6.0  # clear space at each end of a message label
    number_gap: float = 5.0  # between an autonumber and its label
    row_gap: float = 9.0  # below each arrow
    empty_label_lift: float = 6.0  # an arrow without a label still sits this far below the row top
    self_loop_width: float = 20.0
    self_loop_min_height: float = 14.0
    self_label_gap: float = 5.0  # between a self-message loop and its label
    lost_gap: float = 28.0  # how far before its target a lost message stops
    edge_arrow_min: float = 36.0  # length of a found / lost-to-nowhere arrow
    edge_clearance: float = 18.0  # from a found or lost message's dot to the next lifeline or bar
    found_dot: float = 7.0
    cross_size: float = 10.0
    cross_stop: float = 1.0  # a destroying arrow's head stops this far before the cross

    note_pad: float = 7.0
    note_fold: float = 8.0
    note_gap: float = 6.0  # between a lifeline (or its bars) and a note beside it
    note_overhang: float = 14.0  # how far a note or ref over lifelines reaches past them
    block_gap: float = 8.0  # above and below notes, refs and dividers
    plate_pad_y: float = 4.0  # divider plates around their text
    plate_radius: float = 3.0
    divider_line_gap: float = 3.0  # between the two lines of a divider

    frame_clearance: float = 8.0  # frame edge to any lifeline or bar it passes
    frame_inset: float = 10.0  # a nested frame inside its parent, per side
    frame_text_pad: float = 6.0  # text inside a frame, from its edges
    frame_gap: float = 4.0  # above a frame and below it
    frame_bottom_pad: float = 4.0  # below a frame's last row
    header_gap: float = 4.0  # between a fragment's header and its first row
    separator_gap: float = 4.0  # above a branch separator and between it and its guard
    tab_pad_x: float = 8.0
    tab_pad_y: float = 3.0
    tab_slant: float = 7.0
    guard_gap: float = 8.0  # between a tab or a bar and a guard
    guard_min_width: float = 48.0  # narrowest gap a guard is wrapped into

    delay_height: float = 34.0
    default_space: float = 20.0
    knockout_half_width: float = 3.0  # a lifeline hidden under a text: this far either side of it


DEFAULT_METRICS = LayoutMetrics()


# ---- Themes by name and the dark palette (owned by the "look" side; layout constants live above) ----------------
#
# Dark palette, for GitHub's dark mode and dark documentation sites. The background is GitHub's dark canvas
# so a PNG sits in the page without a visible frame; every text colour keeps a WCAG contrast of at least 4.5:1
# on every fill it can be drawn on (tests/test_render_theme.py checks that on the catalog's real layouts).

DARK_THEME = Theme(
    background="#0D1117",
    ink="#E6EDF3",
    muted_ink="#A3AFBD",
    head_fill="#1B2433",
    head_stroke="#8FA2C4",
    lifeline="#5D6B7E",
    bar_fill="#27344A",
    bar_stroke="#8FA2C4",
    note_fill="#33301E",
    note_stroke="#B8962A",
    fragment_stroke="#8896AB",
    tab_fill="#222C3B",
    ref_fill="#151C27",
    divider_fill="#222C3B",
    box_fill="#141A23",
    box_stroke="#3A4657",
    number_ink="#8EB1FF",
    destroy_ink="#FF7B6B",
)

THEMES: dict[str, Theme] = {"light": DEFAULT_THEME, "dark": DARK_THEME}

# How much of a diagram's own colour (a participant box's ``color``) survives in the dark theme: the rest is
# the background, so a pastel meant for white paper becomes a dark tint that light text still reads on.
DARK_TINT_SHARE = 0.14


def theme_named(name: str) -> Theme:
    """The theme called ``name`` ("light" or "dark"); KeyError for any other name."""
    return THEMES[name]


def user_fill(theme: Theme, colour: str | None) -> str | None:
    """A fill colour written in a diagram, adapted to ``theme`` (unchanged on a light background)."""
    if colour is None or _luminance(theme.background) > 0.5:
        return colour
    fg, bg = _rgb(colour), _rgb(theme.background)
    mixed = (round(b + (f - b) * DARK_TINT_SHARE) for f, b in zip(fg, bg, strict=True))
    return "#" + "".join(f"{channel:02X}" for channel in mixed)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two ``#RRGGBB`` colours (1 to 21)."""
    high, low = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    if len(value) == 3:  # "#ABC" is "#AABBCC"
        value = "".join(digit * 2 for digit in value)
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in _rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue
