"""The message kinds and arrow styles as plain class attributes, for the importers' per-arrow code.

On Python 3.11 an enum member read from its class (``MessageKind.REQUEST``) is a descriptor call, about ten
times the cost of a plain class attribute; the importers and the convention inference test kinds and styles
several times for every arrow they read. ``Kind.REQUEST is MessageKind.REQUEST``: the very same members.
"""

from __future__ import annotations

from typing import Final

from diagram_dsl.importers.facts import ArrowStyle
from diagram_dsl.model import MessageKind


class Kind:
    REQUEST: Final = MessageKind.REQUEST
    REPLY: Final = MessageKind.REPLY
    ASYNC: Final = MessageKind.ASYNC
    SELF: Final = MessageKind.SELF
    CREATE: Final = MessageKind.CREATE
    DESTROY: Final = MessageKind.DESTROY
    LOST: Final = MessageKind.LOST
    FOUND: Final = MessageKind.FOUND


class Style:
    CALL: Final = ArrowStyle.CALL
    REPLY: Final = ArrowStyle.REPLY
    ASYNC: Final = ArrowStyle.ASYNC
    PLAIN: Final = ArrowStyle.PLAIN
    OTHER: Final = ArrowStyle.OTHER
