"""Participant handles: arrows are written from the sender, ``user.call(web, "POST /login")``."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

from diagram_dsl.dsl.location import caller_location
from diagram_dsl.model import Message, MessageKind

if TYPE_CHECKING:
    from diagram_dsl.dsl.flow import Flow


class Lifeline:
    """A declared participant, returned by ``flow.actor(...)``, ``flow.service(...)`` and the other declarations.

    Every method records one arrow leaving this participant, in the order you write them.
    """

    def __init__(self, flow: Flow, participant_id: str, label: str) -> None:
        self.flow = flow
        self.id = participant_id
        self.label = label

    def __repr__(self) -> str:
        return f"Lifeline({self.id!r})"

    def call(self, receiver: Lifeline, label: str, *, activate: bool = True) -> Call:
        """A synchronous request to ``receiver``, which must answer it.

        Answer it with ``.reply(...)`` on the returned handle (or with ``receiver.reply(self, ...)``).
        Use ``with`` to make the nesting visible: what the callee does before answering goes inside.

        Args:
            receiver: the participant called.
            label: the text on the arrow.
            activate: start an activation bar on ``receiver`` (the default); the reply ends it. ``False`` draws
                no bar, for a call whose callee does nothing worth showing before it answers.

        Example:
            with user.call(web, "POST /login") as login:
                web.call(db, "SELECT user").reply("row")
                login.reply("200 OK")
        """
        message = self.flow._message(MessageKind.REQUEST, self, receiver, label, caller_location(),
                                     activate=activate)
        return Call(self, receiver, message)

    def send(self, receiver: Lifeline, label: str) -> Message:
        """An asynchronous message to ``receiver``: no reply expected (an event, a queue publish).

        Args:
            receiver: the participant it goes to.
            label: the text on the arrow.
        """
        return self.flow._message(MessageKind.ASYNC, self, receiver, label, caller_location())

    def reply(self, receiver: Lifeline, label: str, *, deactivate: bool | None = None) -> Message:
        """A hand-written reply to ``receiver``: answers the innermost open call from ``receiver`` to this participant.

        Like ``handle.reply(...)``, it ends the activation that call started. The validator pairs it by
        nesting: the reply answers the innermost request still open on its path.

        Args:
            receiver: the caller being answered.
            label: the text on the arrow.
            deactivate: ``None`` (the default) ends this participant's activation exactly when the call it
                answers started one; ``True`` or ``False`` decides it yourself (``True`` also ends an activation
                started by ``flow.activate(...)``).

        Example:
            user.call(web, "GET /profile")
            web.reply(user, "200 profile")
        """
        return self.flow._hand_written_reply(self, receiver, label, deactivate, caller_location())

    def step(self, label: str) -> Message:
        """A self-message: work this participant does on its own (drawn as an arrow back to itself).

        Args:
            label: what it does.
        """
        return self.flow._message(MessageKind.SELF, self, self, label, caller_location())

    def create(self, receiver: Lifeline, label: str = "create") -> Message:
        """Creates ``receiver``: its head is drawn at this arrow instead of at the top, and it has no lifeline before.

        Args:
            receiver: the participant created (declared like any other, and used only after this).
            label: the text on the arrow.
        """
        return self.flow._message(MessageKind.CREATE, self, receiver, label, caller_location())

    def destroy(self, receiver: Lifeline, label: str = "destroy") -> Message:
        """Destroys ``receiver``: its lifeline ends in a cross at this arrow, and it is not used after.

        Args:
            receiver: the participant destroyed.
            label: the text on the arrow.
        """
        return self.flow._message(MessageKind.DESTROY, self, receiver, label, caller_location())

    def lose(self, label: str, *, toward: Lifeline | None = None) -> Message:
        """A message that never arrives: the arrow ends in a cross.

        Args:
            label: the text on the arrow.
            toward: the participant it was meant for; ``None`` draws it to the diagram's edge.
        """
        return self.flow._message(MessageKind.LOST, self, toward, label, caller_location())


class Call:
    """The handle of a synchronous request, returned by ``a.call(b, ...)``.

    ``with`` just makes the nesting visible in the source; the call stays open until ``.reply(...)``.
    """

    def __init__(self, caller: Lifeline, callee: Lifeline, request: Message) -> None:
        self.caller = caller
        self.callee = callee
        self.request = request

    def reply(self, label: str) -> Message:
        """The callee answers the caller; ends the callee's activation if the request started one.

        Answering an outer call also ends the calls opened inside it that are still unanswered (the call stack
        unwinds), which the validator reports.

        Args:
            label: the text on the reply arrow (dashed, from the callee back to the caller).
        """
        return self.caller.flow._handle_reply(self, label, caller_location())

    def __enter__(self) -> Call:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None
