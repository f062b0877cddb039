"""Which calls are still open on the path being written, so a hand-written reply knows what it answers.

The DSL records; the validator judges. This only lets ``b.reply(a, ...)`` end the activation that its
matching ``a.call(b, ...)`` started, as ``handle.reply(...)`` does. It follows the path the author is
writing: every branch of a fragment starts from the calls open before it, the flow goes on after a
fragment from where its first branch ended (a consistent flow ends every branch alike), and below a
``break_`` it goes on from where the break started (the path that skips it).
"""

from __future__ import annotations

from dataclasses import dataclass

from diagram_dsl.model import Message

OpenCalls = tuple[Message, ...]  # requests recorded and not yet answered on the path being written, innermost last


@dataclass
class CallsAround:
    """The open calls when a fragment starts (every branch starts there) and after its first branch (where the
    flow goes on after the fragment: a consistent flow leaves every branch in that state)."""

    before: OpenCalls
    after: OpenCalls = ()


def matching_call(calls: OpenCalls, sender: str, receiver: str) -> Message | None:
    """The innermost open request that a reply from ``sender`` to ``receiver`` answers."""
    for request in reversed(calls):
        if request.sender == receiver and request.receiver == sender:
            return request
    return None


def answered(calls: OpenCalls, request: Message) -> OpenCalls:
    """The open calls once ``request`` is answered: it and the calls opened after it (the call stack unwinds)."""
    for index, candidate in enumerate(calls):
        if candidate is request:
            return calls[:index]
    return calls
