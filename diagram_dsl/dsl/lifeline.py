"""Participant handles: arrows are written from the sender, ``user.call(web, "POST /login")``."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

from diagram_dsl.dsl.location import caller_location
from diagram_dsl.model import Message, MessageKind

if TYPE_CHECKING:
    from diagram_dsl.dsl.flow import Flow


class Lifeline:
    """A declared participant. Every method records one event on the owning flow."""

    def __init__(self, flow: Flow, participant_id: str, label: str) -> None:
        self.flow = flow
        self.id = participant_id
        self.label = label

    def __repr__(self) -> str:
        return f"Lifeline({self.id!r})"

    def call(self, receiver: Lifeline, label: str, *, activate: bool = True) -> Call:
        """A synchronous request; answer it with ``.reply(...)`` on the returned handle."""
        message = self.flow._message(MessageKind.REQUEST, self, receiver, label, caller_location(),
                                     activate=activate)
        return Call(self, receiver, message)

    def send(self, receiver: Lifeline, label: str) -> Message:
        """An asynchronous message: no reply expected."""
        return self.flow._message(MessageKind.ASYNC, self, receiver, label, caller_location())

    def reply(self, receiver: Lifeline, label: str, *, deactivate: bool = False) -> Message:
        """A hand-written reply with no handle; the validator pairs it with the innermost open request."""
        return self.flow._message(MessageKind.REPLY, self, receiver, label, caller_location(),
                                  deactivate=deactivate)

    def step(self, label: str) -> Message:
        """A self-message: work this participant does on its own."""
        return self.flow._message(MessageKind.SELF, self, self, label, caller_location())

    def create(self, receiver: Lifeline, label: str = "create") -> Message:
        return self.flow._message(MessageKind.CREATE, self, receiver, label, caller_location())

    def destroy(self, receiver: Lifeline, label: str = "destroy") -> Message:
        return self.flow._message(MessageKind.DESTROY, self, receiver, label, caller_location())

    def lose(self, label: str, *, toward: Lifeline | None = None) -> Message:
        """A message that never arrives (drawn ending in an X)."""
        return self.flow._message(MessageKind.LOST, self, toward, label, caller_location())


class Call:
    """The handle of a synchronous request; ``with`` just makes nesting visible in the source."""

    def __init__(self, caller: Lifeline, callee: Lifeline, request: Message) -> None:
        self.caller = caller
        self.callee = callee
        self.request = request

    def reply(self, label: str) -> Message:
        """The callee answers the caller; ends the callee's activation if the request opened one."""
        return self.caller.flow._message(
            MessageKind.REPLY, self.callee, self.caller, label, caller_location(),
            reply_to=self.request.id, deactivate=self.request.activate,
        )

    def __enter__(self) -> Call:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None
