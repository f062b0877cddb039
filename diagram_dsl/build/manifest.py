"""The build manifest: what was built from what, committed beside the outputs.

Deterministic JSON (sorted keys, no timestamps), so an unchanged build rewrites nothing
and a stale output shows up as a diff.

The manifest is input too — it can be hand-edited, half-merged or planted — so it is read with
suspicion: every field must have its type, every output must be a file name this tool writes for
that flow, directly inside the output folder. A manifest that fails any of this counts as absent
(every flow is rebuilt, nothing is deleted on its word) and ``problem`` says why; nothing outside
the project is ever read because a manifest named it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from diagram_dsl.fsutil import NotARegularFile, atomic_write_text, read_regular_file
from diagram_dsl.naming import is_safe_slug
from diagram_dsl.project import Project, output_names

FORMAT_VERSION = 1
MANIFEST_SIZE_LIMIT = 64 * 1024 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


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
    problem: str = ""  # why the manifest on disk was not usable ("" when it was, or when there is none)

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


class _Malformed(ValueError):
    """The manifest's content does not have the shape this version writes."""


def parse_manifest(text: str, project: Project) -> Manifest:
    """The manifest in ``text``, checked field by field against ``project``; raises ``_Malformed``."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise _Malformed(f"it is not valid JSON ({_short(error)})") from None
    if not isinstance(data, dict):
        raise _Malformed(f"it holds {type(data).__name__}, not an object")
    version_field = data.get("format")
    if type(version_field) is not int or version_field != FORMAT_VERSION:
        raise _Malformed(f"its format is {_short(version_field)}, not {FORMAT_VERSION}")
    renderer, version, code_hash = (_string(data, key) for key in ("renderer", "renderer_version", "code_hash"))
    flows_data = data.get("flows", {})
    if not isinstance(flows_data, dict):
        raise _Malformed("its flows are not an object")
    flows = {key: _entry(key, value, project) for key, value in flows_data.items()}
    docs_data = data.get("docs", {})
    if not isinstance(docs_data, dict):
        raise _Malformed("its docs are not an object")
    page = None if project.page is None else project.page.path.as_posix()
    docs = {}
    for key, value in docs_data.items():
        if key != page or not _is_sha256(value):
            raise _Malformed(f"its docs entry {_short(key)} is not this project's catalog page with a sha256")
        docs[key] = value
    return Manifest(renderer, version, code_hash, flows, docs)


def _entry(key: Any, value: Any, project: Project) -> FlowEntry:
    source = PurePosixPath(key) if isinstance(key, str) else None
    if source is None or source.parent != project.sources or source.suffix != ".py" or source.as_posix() != key:
        raise _Malformed(f"it lists {_short(key)}, which is not a flow module in {project.sources}/")
    if not isinstance(value, dict):
        raise _Malformed(f"its entry for {key} is not an object")
    number, slug, source_hash = value.get("number"), value.get("slug"), value.get("source_hash")
    if not isinstance(number, int) or isinstance(number, bool) or not 0 < number < 10**9:
        raise _Malformed(f"its entry for {key} has number {_short(number)}")
    if not isinstance(slug, str) or not is_safe_slug(slug):
        raise _Malformed(f"its entry for {key} has slug {_short(slug)}")
    if not isinstance(source_hash, str) or not _is_sha256(source_hash):
        raise _Malformed(f"its entry for {key} has no sha256 source_hash")
    outputs = value.get("outputs")
    if not isinstance(outputs, dict):
        raise _Malformed(f"its entry for {key} has no outputs object")
    allowed = {(project.output / name).as_posix() for name in output_names(f"{number}-{slug}")}
    for output, digest in outputs.items():
        if output not in allowed or not _is_sha256(digest):
            raise _Malformed(f"its entry for {key} lists {_short(output)}, which is not an output of that flow in "
                             f"{project.output}/")
    return FlowEntry(key, source_hash, number, slug, dict(outputs))


def _string(data: dict[str, Any], key: str) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise _Malformed(f"its {key} is not a string")
    return value


def _is_sha256(value: Any) -> bool:
    return isinstance(value, str) and bool(_SHA256.match(value))


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, BaseException) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def read_manifest(project: Project) -> Manifest:
    """The project's manifest; an empty one (with ``problem`` set when a file was there) if it is not usable."""
    shown = project.manifest.as_posix()
    try:
        data = read_regular_file(project.manifest_path, limit=MANIFEST_SIZE_LIMIT)
    except NotARegularFile:
        return Manifest(problem=f"{shown} is not a regular file")
    except OSError as error:
        return Manifest(problem=f"{shown} cannot be read ({error.strerror or error})")
    if data is None:
        return Manifest()
    try:
        return parse_manifest(data.decode("utf-8"), project)
    except UnicodeDecodeError:
        return Manifest(problem=f"{shown} is not UTF-8 text")
    except _Malformed as error:
        return Manifest(problem=f"{shown} is not a manifest this version can use: {error}")


def write_manifest(project: Project, manifest: Manifest) -> None:
    atomic_write_text(project.manifest_path, manifest.to_json())
