"""The preview's HTML and the JSON its pages receive: plain functions of the workspace's state, no I/O."""

from __future__ import annotations

import json
import time
from html import escape
from pathlib import Path
from typing import Any

from diagram_dsl.preview.snapshot import Snapshot
from diagram_dsl.preview.workspace import Entry
from diagram_dsl.validate.findings import Finding, Severity

RENDERER_NAMES = ("native", "plantuml", "mermaid")


def _absolute(root: Path, file: str) -> str:
    path = Path(file)
    return str(path if path.is_absolute() else (root / path).resolve())


def _finding(root: Path, finding: Finding) -> dict[str, Any]:
    where = finding.location
    return {"code": finding.code, "severity": finding.severity.value, "file": where.file, "line": where.line,
            "path": _absolute(root, where.file), "text": finding.text}


def counts(snapshot: Snapshot | None) -> dict[str, int]:
    if snapshot is None:
        return {"error": 0, "warning": 0, "info": 0}
    return {severity.value: snapshot.count(severity) for severity in Severity}


def flow_state(root: Path, entry: Entry, renderer: str, svg: str | None, draw_error: str) -> dict[str, Any]:
    """What a flow page shows: drawing, findings, load problem. A missing drawing keeps the last one on screen."""
    snapshot = entry.snapshot
    state: dict[str, Any] = {"key": entry.key, "version": entry.version, "renderer": renderer,
                             "file": entry.path.name, "path": str(entry.path), "title": entry.path.stem,
                             "svg": svg, "drawError": draw_error, "problem": None, "findings": [],
                             "counts": counts(snapshot), "seconds": 0.0, "deleted": snapshot is None,
                             # when the save was noticed and this state sent (epoch ms): `make bench` splits the
                             # save-to-page time with them
                             "noticedAt": round(entry.noticed_at * 1000, 1), "sentAt": round(time.time() * 1000, 1)}
    if snapshot is None:
        return state
    state.update(file=snapshot.shown, title=snapshot.title, seconds=round(snapshot.seconds, 4),
                 findings=[_finding(root, f) for f in snapshot.findings])
    if snapshot.problem is not None:
        where = snapshot.problem.location
        state["problem"] = {"file": where.file, "line": where.line, "path": _absolute(root, where.file),
                            "text": str(snapshot.problem)}
    return state


def index_state(entries: list[Entry]) -> list[dict[str, Any]]:
    rows = []
    for entry in entries:
        snapshot = entry.snapshot
        model = snapshot.model if snapshot is not None else None
        shown = snapshot.shown if snapshot else entry.path.name
        rows.append({"key": entry.key, "version": entry.version, "file": shown,
                     "title": model.metadata.title if model else entry.path.stem,
                     "number": model.metadata.number if model else None,
                     "counts": counts(snapshot), "drawable": bool(snapshot and snapshot.svg),
                     "problem": str(snapshot.problem) if snapshot and snapshot.problem else
                     ("deleted" if snapshot is None else "")})
    return rows


def _json_script(element_id: str, value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False).replace("</", "<\\/")
    return f'<script id="{element_id}" type="application/json">{text}</script>'


def _page(title: str, body: str, data: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)} — diagram-dsl preview</title>"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<link rel=\"stylesheet\" href=\"/static/preview.css\"></head>"
            f"<body>{body}{data}<script src=\"/static/preview.js\"></script></body></html>\n")


def index_page(root: Path, entries: list[Entry], generation: int) -> str:
    cards = []
    for row in index_state(entries):
        key = escape(row["key"])
        number = f"{row['number']}. " if row["number"] is not None else ""
        cards.append(
            f'<a class="card" href="/flow/{key}" data-key="{key}">'
            f'<div class="thumb"><img alt="" loading="lazy" src="/flow/{key}/diagram.svg?v={row["version"]}"></div>'
            f'<div class="card-title">{escape(number + row["title"])}</div>'
            f'<div class="card-file">{escape(row["file"])}</div><div class="badges"></div></a>')
    body = (f'<header><h1>Flows</h1><span class="root">{escape(str(root))}</span>'
            '<span id="status" class="status">connecting…</span></header>'
            f'<main id="index" class="grid">{"".join(cards) or "<p>No flows yet: `diagram-dsl new` starts one.</p>"}'
            "</main>")
    state = {"page": "index", "generation": generation, "flows": index_state(entries)}
    return _page("Flows", body, _json_script("state", state))


def flow_page(root: Path, entry: Entry, renderer: str, svg: str | None, draw_error: str,
              unavailable: dict[str, str]) -> str:
    state = flow_state(root, entry, renderer, svg, draw_error)
    options = []
    for name in RENDERER_NAMES:
        why = unavailable.get(name, "")
        disabled = f' disabled title="{escape(why)}"' if why else ""
        selected = " selected" if name == renderer else ""
        options.append(f'<option value="{name}"{selected}{disabled}>{name}</option>')
    body = (
        '<header><a class="back" href="/">← all flows</a>'
        f'<h1 id="title">{escape(state["title"])}</h1><span id="file" class="file">{escape(state["file"])}</span>'
        f'<label>renderer <select id="renderer">{"".join(options)}</select></label>'
        '<label>zoom <select id="zoom"><option value="fit">fit</option><option value="1">100%</option>'
        '<option value="1.5">150%</option></select></label>'
        '<label>click opens <select id="opener"><option value="vscode">VS Code</option>'
        '<option value="copy">copy file:line</option></select></label>'
        '<span id="status" class="status">connecting…</span></header>'
        '<div id="problem" class="problem" hidden></div>'
        '<main class="split"><section id="drawing" class="drawing"></section>'
        '<aside class="findings"><h2 id="summary">Findings</h2><ol id="findings"></ol></aside></main>'
        '<div id="tooltip" class="tooltip" hidden></div><div id="toast" class="toast" hidden></div>')
    return _page(state["title"], body, _json_script("state", {"page": "flow", "flow": state}))
