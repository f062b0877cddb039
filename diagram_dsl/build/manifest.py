"""The build manifest: what was built from what, committed beside the outputs.

Deterministic JSON (sorted keys, no timestamps), so an unchanged build rewrites nothing
and a stale output shows up as a diff.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from diagram_dsl.fsutil import atomic_write_text
from diagram_dsl.project import Project

FORMAT_VERSION = 1


@dataclass(frozen=True)
class FlowEntry:
    source: str  # posix path relative to the root, e.g. sources/01_simple_login_sequence.py
    source_hash: str
    number: int
    slug: str
    outputs: dict[str, str]  # posix path relative to the root -> sha256


@dataclass
class Manifest:
    renderer: str = ""
    renderer_version: str = ""
    code_hash: str = ""
    flows: dict[str, FlowEntry] = field(default_factory=dict)  # keyed by source path
    docs: dict[str, str] = field(default_factory=dict)  # generated doc page -> sha256

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "format": FORMAT_VERSION,
            "renderer": self.renderer,
            "renderer_version": self.renderer_version,
            "code_hash": self.code_hash,
            "flows": {
                key: {"source_hash": e.source_hash, "number": e.number, "slug": e.slug, "outputs": e.outputs}
                for key, e in sorted(self.flows.items())
            },
            "docs": dict(sorted(self.docs.items())),
        }
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        if data.get("format") != FORMAT_VERSION:
            return cls()
        flows = {
            key: FlowEntry(key, value["source_hash"], int(value["number"]), value["slug"], dict(value["outputs"]))
            for key, value in data.get("flows", {}).items()
        }
        return cls(data.get("renderer", ""), data.get("renderer_version", ""), data.get("code_hash", ""), flows,
                   dict(data.get("docs", {})))


def read_manifest(project: Project) -> Manifest:
    try:
        return Manifest.from_json(project.manifest_path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        return Manifest()


def write_manifest(project: Project, manifest: Manifest) -> None:
    atomic_write_text(project.manifest_path, manifest.to_json())
