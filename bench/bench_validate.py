"""Validation time for generated flows of 1,000 / 10,000 / 100,000 events; the cost must grow linearly.

Each flow repeats a block that exercises every path rule: nested calls, an alt
answering in both branches, a loop, an opt, a par and a break, with activations.
"""

from __future__ import annotations

import time

from diagram_dsl.model import (
    Branch,
    Diagram,
    Event,
    Fragment,
    FragmentKind,
    Location,
    Message,
    MessageKind,
    Note,
    NotePosition,
    Participant,
    ParticipantKind,
    walk_events,
)
from diagram_dsl.validate import Severity, validate

SIZES = (1_000, 10_000, 100_000)
REPEATS = {1_000: 30, 10_000: 10, 100_000: 3}  # best of N: small flows are timed more often to beat noise


class _Writer:
    def __init__(self) -> None:
        self.line = 0
        self.next_id = 0

    def at(self) -> Location:
        self.line += 1
        return Location("bench.py", self.line)

    def message(self, kind: MessageKind, sender: str, receiver: str, reply_to: int | None = None, *,
                activate: bool = False, deactivate: bool = False) -> Message:
        self.next_id += 1
        return Message(self.next_id, kind, sender, receiver, f"m{self.next_id}", self.at(), reply_to,
                       activate, deactivate)

    def call(self, caller: str, callee: str, inner: list[Event]) -> list[Event]:
        request = self.message(MessageKind.REQUEST, caller, callee, activate=True)
        return [request, *inner, self.message(MessageKind.REPLY, callee, caller, request.id, deactivate=True)]

    def unit(self) -> list[Event]:
        """About 30 events: calls nested three deep and one fragment of each control-flow kind."""
        request = self.message(MessageKind.REQUEST, "p0", "p1", activate=True)
        answers = [Branch(guard, (*self.call("p1", "p3", []),
                                  self.message(MessageKind.REPLY, "p1", "p0", request.id, deactivate=True)), self.at())
                   for guard in ("ok", "failed")]
        return [
            *self.call("p0", "p1", self.call("p1", "p2", self.call("p2", "p3", []))),
            request,
            Fragment(FragmentKind.ALT, tuple(answers), self.at()),
            Fragment(FragmentKind.LOOP, (Branch("each", tuple(self.call("p0", "p2", [])), self.at()),), self.at()),
            Fragment(FragmentKind.OPT, (Branch("maybe", (self.message(MessageKind.ASYNC, "p0", "p3"),), self.at()),),
                     self.at()),
            Fragment(FragmentKind.PAR, (Branch("a", tuple(self.call("p0", "p1", [])), self.at()),
                                        Branch("b", tuple(self.call("p0", "p2", [])), self.at())), self.at()),
            Fragment(FragmentKind.BREAK, (Branch("abort", (self.message(MessageKind.SELF, "p0", "p0"),), self.at()),),
                     self.at()),
            Note(NotePosition.OVER, ("p0", "p1"), "note", self.at()),
        ]


def generated_flow(event_count: int) -> Diagram:
    writer = _Writer()
    participants = tuple(Participant(f"p{i}", f"P{i}", ParticipantKind.ACTOR if i == 0 else
                                     ParticipantKind.PARTICIPANT) for i in range(4))
    events: list[Event] = []
    total = 0
    while total < event_count:
        unit = writer.unit()
        events.extend(unit)
        total += len(walk_events(tuple(unit)))
    return Diagram(participants, tuple(events))


def _best_times(diagram: Diagram, repeats: int) -> tuple[float, float]:
    """Best wall-clock and best CPU seconds over ``repeats`` runs (CPU time is what other load cannot inflate)."""
    best_wall = best_cpu = float("inf")
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        findings = validate(diagram)
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
        errors = [str(f) for f in findings if f.severity is Severity.ERROR]
        if errors:
            raise SystemExit(f"benchmark flow is not clean: {errors[:3]}")
    return best_wall, best_cpu


def main() -> None:
    print(f"{'events':>8}  {'wall s':>7}  {'cpu s':>7}  {'us/event':>8}  {'cpu x per 10x':>13}")
    previous: float | None = None
    for size in SIZES:
        diagram = generated_flow(size)
        count = len(walk_events(diagram.events))
        wall, cpu = _best_times(diagram, REPEATS[size])
        ratio = f"{cpu / previous:.2f}" if previous else "-"
        print(f"{count:>8}  {wall:>7.3f}  {cpu:>7.3f}  {cpu / count * 1e6:>8.2f}  {ratio:>13}")
        previous = cpu
    print("(best of 30/10/3 runs; linear growth is about 10x per 10x events; target: 100k events < 1 s)")


if __name__ == "__main__":
    main()
