"""The participant graph (who sends to whom) and the reachability rule SEQ103.

Edges: sender -> receiver for every message with both ends. Roots: the flow's
first sender, every actor (an external initiator by definition) and every
receiver of a found message (triggered from outside the diagram). A participant
that sends or receives messages but that no path from a root reaches acts with
no visible trigger.

Call cycles (SEQ150) are not read off this graph: A calling B in one place and B
calling A in another is harmless. The dataflow pass sees the real wait-for
relation instead — a request to a participant that is itself waiting on an
open request (``pairing.Pairing.report_call_cycles``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from diagram_dsl.model import Diagram, Message, MessageKind, ParticipantKind
from diagram_dsl.validate.findings import Finding, make_finding

if TYPE_CHECKING:
    import networkx as nx


def participant_graph(messages: tuple[Message, ...]) -> nx.DiGraph:
    # Imported here, not with the module: networkx takes longer to import (~0.2 s) than validating a hundred
    # diagrams, and only this rule needs it — hand-written diagrams checked leniently never do.
    import networkx as nx

    ends = {(message.sender, message.receiver) for message in messages}
    graph = nx.DiGraph()
    graph.add_nodes_from(sorted({end for pair in ends for end in pair if end is not None}))
    graph.add_edges_from(sorted((sender, receiver) for sender, receiver in ends
                                if sender is not None and receiver is not None))
    return graph


def check_reachability(diagram: Diagram, messages: tuple[Message, ...]) -> list[Finding]:
    import networkx as nx  # see participant_graph

    graph = participant_graph(messages)
    roots = {p.id for p in diagram.participants if p.kind is ParticipantKind.ACTOR}
    first_sender = next((m.sender for m in messages if m.sender is not None), None)
    if first_sender is not None:
        roots.add(first_sender)
    roots |= {m.receiver for m in messages if m.kind is MessageKind.FOUND and m.receiver is not None}
    reached: set[str] = set()
    for root in sorted(roots):
        if root in graph and root not in reached:
            reached.add(root)
            reached |= nx.descendants(graph, root)
    unreached = [p for p in diagram.participants if p.id in graph and p.id not in reached]
    if not unreached:
        return []
    # Report where the unreached part starts (a participant acting with no trigger), not everyone it reaches:
    # the sources of the unreached subgraph, one per strongly connected group, first declared first.
    sub = graph.subgraph(p.id for p in unreached)
    order = {p.id: index for index, p in enumerate(diagram.participants)}
    condensed = nx.condensation(sub)
    starts = {min(condensed.nodes[node]["members"], key=order.__getitem__)
              for node in condensed.nodes if condensed.in_degree(node) == 0}
    findings = []
    for participant in unreached:
        if participant.id in starts:
            label = " ".join(participant.label.split())
            findings.append(make_finding(
                "SEQ103", participant.location,
                f"participant {label!r} is not reached by any message path from the flow's initiators"))
    return findings
