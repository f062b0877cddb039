"""Turn a tool's complaint about an emitted line into one line that names the flow's source file."""

from __future__ import annotations

from diagram_dsl.model import Branch, FlowModel, Fragment, Location, Message, Note, walk_events


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0].strip() if text.strip() else ""


def source_location(flow: FlowModel, emitted_line: str) -> Location:
    """The DSL element whose text the offending emitted line carries, else the flow's own declaration.

    A tool names a line of the emitted text; the user edits the Python source. Labels survive
    emission (escaped at most), so the element whose label the line contains is the best guess.
    """
    fallback = flow.metadata.location if flow.metadata.location.line else flow.diagram.location
    if not emitted_line.strip():
        return fallback
    candidates: list[tuple[str, Location]] = [(p.label, p.location) for p in flow.diagram.participants]
    for event in walk_events(flow.diagram.events):
        if isinstance(event, Message):
            candidates.append((event.label, event.location))
        elif isinstance(event, Note):
            candidates.append((event.text, event.location))
        elif isinstance(event, Fragment):
            candidates.extend((branch.guard, branch.location) for branch in event.branches
                              if isinstance(branch, Branch))
    # Longest label first: "Validate token" must not be claimed by a participant called "Token".
    for label, location in sorted(candidates, key=lambda item: -len(_first_line(item[0]))):
        needle = _first_line(label)
        if len(needle) >= 3 and needle in emitted_line and location.line:
            return location
    return fallback


def syntax_error_message(flow: FlowModel, tool: str, text: str, line: int | None, message: str,
                         extension: str) -> str:
    """``sources/x.py:12: PlantUML rejected line 7 of the emitted .puml (`...`): <message>; ...``"""
    lines = text.splitlines()
    emitted = lines[line - 1].strip() if line is not None and 1 <= line <= len(lines) else ""
    where = source_location(flow, emitted)
    quoted = f" (`{emitted[:100]}`)" if emitted else ""
    at = f"line {line} of" if line is not None else "part of"
    return (f"{where}: {tool} rejected {at} the emitted .{extension}{quoted}: {message}; "
            f"reword that element, or report an emitter bug with this flow")
