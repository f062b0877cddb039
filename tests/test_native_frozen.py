"""Layout speed-ups that must not show: ``frozen.quick`` keeps what a frozen dataclass promises, and the paused
cyclic collector is restored."""

from __future__ import annotations

import dataclasses

import pytest

from diagram_dsl.renderers.native.frozen import quick
from diagram_dsl.renderers.native.scene import Rect, Stroke, TextLine


def test_quick_classes_build_compare_hash_and_stay_frozen() -> None:
    rect = Rect(1.0, 2.0, 3.0, 4.0)
    assert (rect.x, rect.y, rect.w, rect.h, rect.right, rect.bottom) == (1.0, 2.0, 3.0, 4.0, 4.0, 6.0)
    assert rect == Rect(1.0, 2.0, 3.0, 4.0) and hash(rect) == hash(Rect(1.0, 2.0, 3.0, 4.0))
    assert rect != Rect(1.0, 2.0, 3.0, 5.0)
    assert repr(rect) == "Rect(x=1.0, y=2.0, w=3.0, h=4.0)"
    assert Rect(w=3.0, h=4.0, x=1.0, y=2.0) == rect
    with pytest.raises(dataclasses.FrozenInstanceError):
        rect.x = 5.0  # type: ignore[misc]
    assert dataclasses.replace(rect, x=0.0) == Rect(0.0, 2.0, 3.0, 4.0)
    assert dataclasses.asdict(rect) == {"x": 1.0, "y": 2.0, "w": 3.0, "h": 4.0}


def test_quick_keeps_defaults_and_refuses_what_it_cannot_build() -> None:
    assert Stroke("#000") == Stroke("#000", 1.0, ())
    assert TextLine(1.0, 2.0, "a").width == 0.0
    with pytest.raises(TypeError):
        Rect(1.0, 2.0, 3.0)  # type: ignore[call-arg]

    @dataclasses.dataclass
    class Mutable:
        value: int

    @dataclasses.dataclass(frozen=True)
    class WithFactory:
        values: list[int] = dataclasses.field(default_factory=list)

    for cls in (Mutable, WithFactory):
        with pytest.raises(TypeError):
            quick(cls)


def test_layout_leaves_the_cyclic_collector_as_it_found_it() -> None:
    import gc

    from sample_flows import kitchen_sink

    from diagram_dsl.renderers.native.layout import layout_diagram

    diagram = kitchen_sink().diagram
    assert gc.isenabled()
    layout_diagram(diagram)
    assert gc.isenabled()
    gc.disable()
    try:
        layout_diagram(diagram)
        assert not gc.isenabled()
    finally:
        gc.enable()
