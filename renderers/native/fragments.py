"""Combined fragments (alt, opt, loop, par, critical, break, group): tab, guards, branch separators, frame.

Frames are placed by the column solver; here they get their rows. Nesting reads at a
glance: each level sits ``frame_inset`` inside its parent, outermost frames are drawn
two pixels wide and outer tabs darker. Guards go in the first bar-free stretch right of the tab,
so no text ever covers an activation bar.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from diagram_dsl.model import FragmentKind
from diagram_dsl.renderers.native.context import Context, Label, measure
from diagram_dsl.renderers.native.freespace import bar_intervals, first_fit, free_spans, widest
from diagram_dsl.renderers.native.horizontal import TextRow, row_stretch
from diagram_dsl.renderers.native.scene import FragmentFact, PlateFact, PolylineShape, Rect, RectShape, Shape, Stroke
from diagram_dsl.renderers.native.steps import BranchStart, FragmentOpen
from diagram_dsl.renderers.native.styles import text_block
from diagram_dsl.renderers.native.tabs import guard_label, keyword_of, tab_shapes
from diagram_dsl.renderers.native.theme import Theme


@dataclass
class FragmentDraft:
    frame: int
    kind: FragmentKind
    depth: int
    top: float
    left: float
    right: float
    body_top: float
    message_ids: list[int] = field(default_factory=list)
    separators: list[float] = field(default_factory=list)


def frame_shapes(theme: Theme, rect: Rect, depth: int) -> list[Shape]:
    """A frame's outline: two pixels wide for an outermost frame, one inside it, so nesting shows at a glance.

    The heavy outline is two one-pixel outlines, one inside the other: whole pixels look the same in the
    PNG and the SVG, where a wider stroke would be rounded by one and anti-aliased by the other.
    """
    stroke = Stroke(theme.fragment_stroke, theme.stroke)
    shapes: list[Shape] = [RectShape(rect, None, stroke)]
    if depth == 0 and rect.w > 2 and rect.h > 2:
        shapes.append(RectShape(Rect(rect.x + 1, rect.y + 1, rect.w - 2, rect.h - 2), None, stroke))
    return shapes


def tab_fill(theme: Theme, depth: int) -> str:
    """Outer tabs tinted darker (toward the frame colour), inner ones paler."""
    share = (0.34, 0.18)[depth] if depth < 2 else 0.0
    return _mix(theme.tab_fill, theme.fragment_stroke, share)


def _mix(base: str, toward: str, share: float) -> str:
    def channels(colour: str) -> tuple[int, int, int]:
        value = colour.lstrip("#")
        return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)

    mixed = (round(a + (b - a) * share) for a, b in zip(channels(base), channels(toward), strict=True))
    return "#" + "".join(f"{channel:02X}" for channel in mixed)


def place_guard(context: Context, guard: Label, depths: tuple[int, ...], stretch: tuple[float, float]
                ) -> tuple[float, Label]:
    """Left edge and lines of a guard: beside its tab (or the frame's left edge), wrapped onto a second line if that
    keeps it there, else in the first bar-free stretch of [low, high] it fits (wrapped if need be)."""
    m = context.metrics
    low = stretch[0]
    spans = free_spans(bar_intervals(context, depths), stretch[0], stretch[1], m.guard_gap)
    left = first_fit(spans, guard.width)
    if left is not None and left > spans[0][0]:
        # A guard read far from the tab it belongs to (past a bar) reads as a label of that bar; two lines beside
        # the tab read as the condition, as PlantUML and UML draw it.
        beside = _wrapped_into(context, guard, spans[0], max_lines=max(2, len(guard.lines)))
        if beside is not None:
            return spans[0][0], beside
    if left is not None:
        return left, guard
    room = widest(spans)
    if room is None:
        return low, guard
    narrower = measure(" ".join(guard.lines), context.styles.guard, max(room[1] - room[0], m.guard_min_width))
    return room[0], narrower


def _wrapped_into(context: Context, guard: Label, span: tuple[float, float], max_lines: int) -> Label | None:
    """The guard re-wrapped to the width of ``span``, when it then fits there in at most ``max_lines`` lines."""
    width = span[1] - span[0]
    if width < context.metrics.guard_min_width:
        return None
    wrapped = measure(" ".join(guard.lines), context.styles.guard, width)
    return wrapped if len(wrapped.lines) <= max_lines and wrapped.width <= width + 1e-6 else None


def open_fragment(context: Context, step: FragmentOpen, top: float, shapes: list[Shape], plates: list[PlateFact]
                  ) -> FragmentDraft:
    m, styles, theme = context.metrics, context.styles, context.styles.theme
    left, right = context.frame(step.frame)
    keyword = keyword_of(step.fragment)
    tab, tab_parts = tab_shapes(styles, keyword, left, top, tab_fill(theme, step.depth),
                                Stroke(theme.fragment_stroke, theme.stroke))
    shapes.extend(tab_parts)
    plates.append(PlateFact("tab", tab))
    header = tab.h
    guard = None if step.fragment.kind is FragmentKind.GROUP else guard_label(context, step.fragment.label)
    if guard is not None:
        x, guard = place_guard(context, guard, step.depths,
                               row_stretch(context, TextRow(step.frame, guard, step.depths, header=True)))
        shapes.append(text_block(guard.lines, x, top + m.tab_pad_y, styles.guard, "guard"))
        header = max(header, guard.height + 2 * m.tab_pad_y)
    return FragmentDraft(step.frame, step.fragment.kind, step.depth, top, left, right, top + header + m.header_gap)


def start_branch(context: Context, draft: FragmentDraft, step: BranchStart, y: float, frames: list[Shape],
                 shapes: list[Shape]) -> float:
    """Draw the separator at ``y`` and the branch's guard below it; return where the branch's first row starts."""
    m, styles, theme = context.metrics, context.styles, context.styles.theme
    draft.separators.append(y)
    frames.append(PolylineShape(((draft.left, y), (draft.right, y)),
                                Stroke(theme.fragment_stroke, theme.stroke, m.separator_dash)))
    guard = guard_label(context, step.guard)
    if guard is None:
        return y + m.separator_gap + m.header_gap
    x, guard = place_guard(context, guard, step.depths,
                           row_stretch(context, TextRow(step.frame, guard, step.depths)))
    top = y + m.separator_gap
    shapes.append(text_block(guard.lines, x, top, styles.guard, "guard"))
    return top + guard.height + m.header_gap


def close_fragment(context: Context, draft: FragmentDraft, bottom: float, frames: list[Shape]) -> FragmentFact:
    rect = Rect(draft.left, draft.top, draft.right - draft.left, bottom - draft.top)
    frames.extend(frame_shapes(context.styles.theme, rect, draft.depth))
    return FragmentFact(draft.kind.value, rect, tuple(draft.message_ids), draft.depth, tuple(draft.separators))
