"""A catalog diff as text (a terminal), Markdown (a pull-request comment or ``$GITHUB_STEP_SUMMARY``) or JSON.

Labels are untrusted text: in Markdown every character that could start markup is escaped, so a label can
neither break the table nor inject HTML or links.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from diagram_dsl.diff.compare import CatalogDiff, FlowDiff, FragmentChange, MessageChange
from diagram_dsl.model import Fragment, Message

_SIGN = {"added": "+", "removed": "-", "relabelled": "~", "changed": "~"}
# What could start markup inside a list item or a table cell: emphasis, code, links and images, HTML, tables.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|<>~&#$])")


Names = Mapping[str, str]  # participant id -> label on one line


def _ends(message: Message, names: Names) -> str:
    sender = names.get(message.sender, message.sender) if message.sender else "[found]"
    receiver = names.get(message.receiver, message.receiver) if message.receiver else "[lost]"
    return f"{sender} -> {receiver}"


def participant_names(flow: FlowDiff) -> dict[str, str]:
    names: dict[str, str] = {}
    for side in (flow.old, flow.new):
        if side is not None:
            names.update((p.id, _one_line(p.label)) for p in side.model.diagram.participants)
    return names


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _where(message: Message) -> str:
    return f"  ({message.location})" if message.location.line else ""


def message_line(change: MessageChange, names: Names) -> str:
    if change.change == "relabelled" and change.old is not None and change.new is not None:
        return (f"message {_ends(change.new, names)}: {_one_line(change.old.label)!r} -> "
                f"{_one_line(change.new.label)!r}{_where(change.new)}")
    message = change.new or change.old
    assert message is not None
    where = _where(message) if change.new is not None else ""
    return f"message {_ends(message, names)}: {_one_line(message.label)!r}{where}"


def _fragment_name(fragment: Fragment) -> str:
    return f"{fragment.kind.value} " + " / ".join(f"[{_one_line(branch.guard)}]" for branch in fragment.branches)


def fragment_line(change: FragmentChange) -> str:
    if change.change == "changed" and change.old is not None and change.new is not None:
        return f"fragment {_fragment_name(change.old)} -> {_fragment_name(change.new)}"
    fragment = change.new or change.old
    assert fragment is not None
    return f"fragment {_fragment_name(fragment)}"


def _flow_name(flow: FlowDiff) -> str:
    meta = flow.metadata
    return f"{meta.number}. {meta.title}"


def _details(flow: FlowDiff) -> list[tuple[str, str]]:
    """(sign, line) for every change inside a changed flow."""
    lines = [("+", f"participant {_one_line(p.label)}") for p in flow.participants_added]
    lines += [("-", f"participant {_one_line(p.label)}") for p in flow.participants_removed]
    names = participant_names(flow)
    lines += [(_SIGN[m.change], message_line(m, names)) for m in flow.messages]
    lines += [(_SIGN[f.change], fragment_line(f)) for f in flow.fragments]
    lines += [("~", other) for other in flow.other]
    return lines


def summary(diff: CatalogDiff) -> str:
    counts = {status: len(diff.with_status(status)) for status in ("added", "removed", "changed", "unchanged")}
    return ", ".join(f"{count} {status}" for status, count in counts.items())


def as_text(diff: CatalogDiff, images: Mapping[int, Path] | None = None) -> str:
    lines = [f"flows: {diff.base} -> {diff.head}"]
    for flow in diff.flows:
        if flow.status == "unchanged":
            continue
        lines.append(f"  {flow.status:<8} {_flow_name(flow)}")
        for sign, line in _details(flow) if flow.status == "changed" else []:
            lines.append(f"      {sign} {line}")
        if images and flow.metadata.number in images:
            lines.append(f"      picture: {images[flow.metadata.number]}")
    lines += [f"  could not load: {line}" for line in diff.unreadable]
    lines.append(summary(diff))
    return "\n".join(lines) + "\n"


def escape_markdown(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _one_line(text))


def as_markdown(diff: CatalogDiff, images: Mapping[int, str] | None = None) -> str:
    """``images``: flow number -> where its change picture is (a URL to embed, or a file name to mention)."""
    title = "### Sequence diagram changes"
    head = f"{escape_markdown(diff.base)} → {escape_markdown(diff.head)}: {summary(diff)}"
    changed = [flow for flow in diff.flows if flow.status != "unchanged"]
    if not changed and not diff.unreadable:
        return f"{title}\n\n{head}. No flow changed.\n"
    lines = [title, "", head, "", "| | flow | changes |", "|---|---|---|"]
    marks = {"added": "🟢 added", "removed": "🔴 removed", "changed": "🟡 changed"}
    for flow in changed:
        lines.append(f"| {marks[flow.status]} | {escape_markdown(_flow_name(flow))} | {_counts(flow)} |")
    lines.append("")
    for flow in changed:
        if flow.status != "changed":
            continue
        lines += ["<details>", f"<summary>{escape_markdown(_flow_name(flow))}</summary>", ""]
        lines += [f"- {_md_sign(sign)} {escape_markdown(line)}" for sign, line in _details(flow)]
        picture = (images or {}).get(flow.metadata.number)
        if picture is not None and picture.startswith(("http://", "https://")):
            lines += ["", f'<img src="{_attribute(picture)}" alt="Changes in {_attribute(_flow_name(flow))}">']
        elif picture is not None:
            lines += ["", f"Picture: `{picture.replace('`', '')}` (green added, red removed, amber relabelled)"]
        lines += ["", "</details>", ""]
    if diff.unreadable:
        lines += ["**Could not load:**", *(f"- {escape_markdown(line)}" for line in diff.unreadable), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def _md_sign(sign: str) -> str:
    return {"+": "**added**", "-": "**removed**", "~": "**changed**"}[sign]


def _counts(flow: FlowDiff) -> str:
    if flow.status != "changed":
        return ""
    parts = []
    messages = [(flow.count("added"), "+"), (flow.count("removed"), "-"), (flow.count("relabelled"), "~")]
    if any(count for count, _ in messages):
        parts.append(" ".join(f"{sign}{count}" for count, sign in messages if count) + " messages")
    if flow.participants_added or flow.participants_removed:
        parts.append(f"+{len(flow.participants_added)} -{len(flow.participants_removed)} participants")
    if flow.fragments:
        parts.append(f"{len(flow.fragments)} fragment(s)")
    if flow.other:
        parts.append(escape_markdown(", ".join(flow.other)))
    return "; ".join(parts)


def as_json(diff: CatalogDiff, images: Mapping[int, Path] | None = None) -> str:
    def flow_json(flow: FlowDiff) -> dict[str, Any]:
        meta = flow.metadata
        data: dict[str, Any] = {"number": meta.number, "title": meta.title, "slug": meta.slug, "status": flow.status,
                                "participants_added": [p.label for p in flow.participants_added],
                                "participants_removed": [p.label for p in flow.participants_removed],
                                "messages": [_message_json(m) for m in flow.messages],
                                "fragments": [{"change": f.change, "text": fragment_line(f)} for f in flow.fragments],
                                "other": list(flow.other)}
        if images and meta.number in images:
            data["picture"] = str(images[meta.number])
        return data

    return json.dumps({"base": diff.base, "head": diff.head, "flows": [flow_json(f) for f in diff.flows
                                                                        if f.status != "unchanged"],
                       "unchanged": len(diff.with_status("unchanged")), "unreadable": list(diff.unreadable)},
                      indent=2, ensure_ascii=False) + "\n"


def _message_json(change: MessageChange) -> dict[str, Any]:  # ids, not labels: stable for tools
    message = change.new or change.old
    assert message is not None
    data: dict[str, Any] = {"change": change.change, "kind": message.kind.value, "sender": message.sender,
                            "receiver": message.receiver, "label": message.label}
    if change.change == "relabelled" and change.old is not None:
        data["old_label"] = change.old.label
    if change.new is not None and change.new.location.line:
        data["location"] = str(change.new.location)
    return data
