"""Combined fragments (alt, opt, loop, par, critical, break, group): header, branch separators, frame."""

from __future__ import annotations

from dataclasses import dataclass, field

from diagram_dsl.model import FragmentKind
from diagram_dsl.renderers.native.context import Context, Label, measure
from diagram_dsl.renderers.native.scene import FragmentFact, PolylineShape, Rect, RectShape, Shape, Stroke
from diagram_dsl.renderers.native.steps import BranchStart, FragmentOpen
from diagram_dsl.renderers.native.styles import text_block
from diagram_dsl.renderers.native.tabs import tab_shapes, tab_size

GUARD_GAP = 8.0  # between the tab and the guard text


@dataclass
class FragmentDraft:
    kind: FragmentKind
    depth: int
    top: float
    keyword: str
    guard: Label | None
    header_height: float
    body_top: float
    low: float | None = None
    high: float | None = None
    message_ids: list[int] = field(default_factory=list)
    branches: list[tuple[float, Label | None]] = field(default_factory=list)  # separator y, guard

    def include(self, low: float, high: float) -> None:
        self.low = low if self.low is None else min(self.low, low)
        self.high = high if self.high is None else max(self.high, high)


def _guard(context: Context, text: str) -> Label | None:
    if not text.strip():
        return None
    return measure(f"[{text}]", context.styles.guard, context.wrap_width)


def open_fragment(context: Context, step: FragmentOpen, top: float) -> FragmentDraft:
    kind = step.fragment.kind
    label = step.fragment.label
    if kind is FragmentKind.GROUP:
        keyword, guard = (label.strip().split("\n")[0] or "group"), None
    else:
        keyword, guard = kind.value, _guard(context, label)
    _, tab_h = tab_size(context, keyword)
    header = max(tab_h, (guard.height + 6) if guard else 0.0)
    return FragmentDraft(kind, step.depth, top, keyword, guard, header, top + header + 8)


def start_branch(context: Context, draft: FragmentDraft, step: BranchStart, y: float) -> float:
    """Record the separator at ``y``; return where the branch's first row starts."""
    guard = _guard(context, step.guard)
    draft.branches.append((y, guard))
    return y + 4 + (guard.height if guard else 0.0) + 8


def close_fragment(context: Context, draft: FragmentDraft, bottom: float, frames: list[Shape], top_layer: list[Shape]
                   ) -> FragmentFact:
    theme = context.styles.theme
    pad = theme.fragment_pad
    participants = context.diagram.participants
    if (draft.low is None or draft.high is None) and participants:
        draft.include(context.positions[1] - context.heads[participants[0].id].width / 2,
                      context.positions[len(participants)] + context.heads[participants[-1].id].width / 2)
    elif draft.low is None or draft.high is None:
        draft.include(context.positions[0], context.positions[-1])
    assert draft.low is not None and draft.high is not None
    left, right = draft.low - pad, draft.high + pad
    tab_w, _ = tab_size(context, draft.keyword)
    header_w = tab_w + (GUARD_GAP + draft.guard.width + pad if draft.guard else 0.0)
    branch_w = max((g.width + 2 * pad for _, g in draft.branches if g), default=0.0)
    right = max(right, left + header_w, left + branch_w)
    rect = Rect(left, draft.top, right - left, bottom - draft.top)
    stroke = Stroke(theme.fragment_stroke, theme.heavy_stroke)
    frames.append(RectShape(rect, None, stroke))
    _, _, tab = tab_shapes(context, draft.keyword, left, draft.top)
    top_layer.extend(tab)
    if draft.guard:
        top_layer.append(text_block(draft.guard.lines, left + tab_w + GUARD_GAP, draft.top + 3, context.styles.guard,
                                    "guard"))
    dashed = Stroke(theme.fragment_stroke, theme.stroke, (6.0, 4.0))
    for y, guard in draft.branches:
        frames.append(PolylineShape(((left, y), (right, y)), dashed))
        if guard:
            top_layer.append(text_block(guard.lines, left + pad, y + 4, context.styles.guard, "guard"))
    return FragmentFact(draft.kind.value, rect, tuple(draft.message_ids), draft.depth)
