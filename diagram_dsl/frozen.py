"""``quick``: frozen dataclasses that cost half as much to build.

A frozen dataclass's generated ``__init__`` stores each field through ``object.__setattr__``
(its own ``__setattr__`` refuses): about 0.1 us a field. The importers make a ``Message``, a ``Location``
and more per line they read, the validator a ``Finding`` per problem, and layout a few thousand
rectangles, lines and shapes per diagram: for each, the constructor was a large part of the cost.
The ``__init__`` made here gives the instance its whole field dict at once, which is what the
stores through ``object.__setattr__`` end up making; equality, hashing, ``repr`` and immutability stay the
dataclass's own. Defaults are kept; classes with default factories, ``init=False`` fields,
``__post_init__`` or slots are refused (none of those is needed here).
"""

from __future__ import annotations

import dataclasses
from types import FunctionType
from typing import TypeVar

T = TypeVar("T")


def quick(cls: type[T]) -> type[T]:
    """Replace the ``__init__`` of the frozen dataclass ``cls`` with one that fills its instance dict directly."""
    if not dataclasses.is_dataclass(cls) or not cls.__dataclass_params__.frozen:  # type: ignore[attr-defined]
        raise TypeError(f"{cls.__name__} is not a frozen dataclass")
    fields = dataclasses.fields(cls)
    if hasattr(cls, "__post_init__") or hasattr(cls, "__slots__") or any(
            not field.init or field.default_factory is not dataclasses.MISSING for field in fields):
        raise TypeError(f"{cls.__name__}: only plain fields (with or without a default) are supported")
    namespace: dict[str, object] = {}
    params = []
    for field in fields:
        if not field.name.isidentifier():
            raise TypeError(f"{cls.__name__}: bad field name {field.name!r}")
        if field.default is dataclasses.MISSING:
            params.append(field.name)
        else:
            namespace[f"_default_{field.name}"] = field.default
            params.append(f"{field.name}=_default_{field.name}")
    # The whole instance dict in one step (one call, one dict display) rather than a store per field.
    namespace["_set_attribute"] = object.__setattr__
    values = ", ".join(f"{field.name!r}: {field.name}" for field in fields)
    exec(f"def __init__(self, {', '.join(params)}):\n    _set_attribute(self, '__dict__', {{{values}}})", namespace)
    init = namespace["__init__"]
    assert isinstance(init, FunctionType)
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    setattr(cls, "__init__", init)  # noqa: B010 - mypy refuses a direct assignment to a method
    return cls
