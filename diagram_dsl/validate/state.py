"""The dataflow state at one point of the control-flow graph, and the persistent stacks it is made of.

Stacks are cons cells ``(top, rest)`` so a push or pop is O(1) and a balanced
branch hands back the very object it started from — joins then compare states
by identity first, which keeps the pass linear in the number of events.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import NamedTuple, TypeAlias

from diagram_dsl.model import Activation, Message

RequestStack: TypeAlias = "tuple[Message, RequestStack] | None"
Origin: TypeAlias = Message | Activation  # what started an activation
ActivationStack: TypeAlias = "tuple[Origin, ActivationStack] | None"


class State(NamedTuple):
    """Open requests (innermost on top), each participant's activations, and lifeline existence.

    ``activations`` never holds an empty stack. Lifelines: ``created`` holds participants created on
    some path so far and ``created_all`` those created on every path; ``destroyed`` holds those
    destroyed on every path and ``destroyed_some`` those destroyed on at least one. A named tuple
    because the pass makes one per state change and tuples are the cheapest to make.
    """

    requests: RequestStack
    activations: Mapping[str, ActivationStack]
    created: frozenset[str]
    destroyed: frozenset[str]
    created_all: frozenset[str] = frozenset()
    destroyed_some: frozenset[str] = frozenset()

    # Built with ``tuple.__new__`` rather than ``State(...)`` or ``_replace``: these run once per event, and a named
    # tuple's own constructor is a Python-level function. The other fields are read by position: cheaper than by
    # name on Python 3.11, and than slicing and unpacking.
    def with_requests(self, requests: RequestStack) -> State:
        return _make(State, (requests, self[1], self[2], self[3], self[4], self[5]))

    def with_activations(self, activations: Mapping[str, ActivationStack]) -> State:
        return _make(State, (self[0], activations, self[2], self[3], self[4], self[5]))

    def with_created(self, participant: str) -> State:
        """Created here, on every path through here: a lifeline from now on, even if an earlier one was destroyed."""
        return _make(State, (self.requests, self.activations, self.created | {participant},
                             self.destroyed - {participant}, self.created_all | {participant},
                             self.destroyed_some - {participant}))

    def with_destroyed(self, participant: str, activations: Mapping[str, ActivationStack]) -> State:
        return _make(State, (self.requests, activations, self.created, self.destroyed | {participant},
                             self.created_all, self.destroyed_some | {participant}))


_make = tuple.__new__
EMPTY_STATE = State(None, {}, frozenset(), frozenset())


def requests_top_down(stack: RequestStack) -> Iterator[Message]:
    while stack is not None:
        item, stack = stack
        yield item


def origins_top_down(stack: ActivationStack) -> Iterator[Origin]:
    while stack is not None:
        item, stack = stack
        yield item


def request_stack(bottom_up: list[Message]) -> RequestStack:
    stack: RequestStack = None
    for item in bottom_up:
        stack = (item, stack)
    return stack


def activation_stack(bottom_up: list[Origin]) -> ActivationStack:
    stack: ActivationStack = None
    for item in bottom_up:
        stack = (item, stack)
    return stack


def same_requests(left: RequestStack, right: RequestStack) -> bool:
    return left is right or left == right


def same_activations(left: Mapping[str, ActivationStack], right: Mapping[str, ActivationStack]) -> bool:
    return left is right or left == right
