"""The project's settings, from ``[tool.diagram-dsl]`` in its pyproject.toml — the one place that knows paths.

Every default is this repository's own layout, so a project with no configuration builds exactly
as this one does. Paths are relative to the project root and must stay inside it: nothing this
tool writes or deletes can be steered outside the project by a setting.
"""

from __future__ import annotations

import fnmatch
import hashlib
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from diagram_dsl.errors import DiagramDslError
from diagram_dsl.model import Location, Metadata

PYPROJECT = "pyproject.toml"
SECTION = "diagram-dsl"

ALL_FORMATS = ("png", "svg", "puml", "mmd")  # the order outputs are written and listed in
PICTURE_FORMATS = ("png", "svg")  # drawn once per theme; the others are text and theme-free
RENDERERS = ("native", "plantuml", "mermaid")
THEMES = ("light", "dark")

DEFAULT_SOURCES = "sources"
DEFAULT_OUTPUT = "generated-diagrams/sequence-diagram-solutions"
DEFAULT_MANIFEST = "generated-diagrams/.manifest.json"
MANIFEST_NAME = ".manifest.json"  # beside the outputs when a project names its own output folder
DEFAULT_PAGE = "sequence-diagram-solutions.md"
# Generic on purpose: a project's own wording goes in [tool.diagram-dsl.catalog-page] title / intro (this
# repository's catalog sets its own there).
DEFAULT_PAGE_TITLE = "Sequence Diagrams"
DEFAULT_PAGE_INTRO = "Flows in this catalog: {count}. Each one is checked by diagram-dsl and drawn from its source."
DEFAULT_LOAD_TIMEOUT = 10.0  # seconds one flow module may take to load before it is reported (SEQ000)


class ConfigError(DiagramDslError):
    """``[tool.diagram-dsl]`` holds a value this tool cannot use; the message names the key and what is allowed."""


@dataclass(frozen=True)
class CatalogPageSettings:
    path: PurePosixPath  # relative to the root
    title: str
    intro: str  # ``{count}`` is replaced by the number of flows
    template: PurePosixPath | None = None  # a Markdown file with {title} {intro} {count} {index} {flows} {guides}


_DEFAULT_SOURCES_PATH = PurePosixPath(DEFAULT_SOURCES)
_DEFAULT_OUTPUT_PATH = PurePosixPath(DEFAULT_OUTPUT)
_DEFAULT_MANIFEST_PATH = PurePosixPath(DEFAULT_MANIFEST)
_DEFAULT_PAGE_SETTINGS = CatalogPageSettings(PurePosixPath(DEFAULT_PAGE), DEFAULT_PAGE_TITLE, DEFAULT_PAGE_INTRO)


@dataclass(frozen=True)
class Project:
    """Where a project keeps its flows and outputs, and how it wants them built."""

    root: Path  # absolute
    sources: PurePosixPath = _DEFAULT_SOURCES_PATH
    output: PurePosixPath = _DEFAULT_OUTPUT_PATH
    manifest: PurePosixPath = _DEFAULT_MANIFEST_PATH
    formats: tuple[str, ...] = ALL_FORMATS
    page: CatalogPageSettings | None = _DEFAULT_PAGE_SETTINGS
    renderer: str = "native"
    themes: tuple[str, ...] = ("light",)  # the first is drawn under the plain names, the others as <stem>.<theme>.png
    docs_exclude: tuple[str, ...] = ()  # glob patterns, relative to the root, of Markdown files not to lint
    load_timeout: float = DEFAULT_LOAD_TIMEOUT
    configured: frozenset[str] = field(default=frozenset())  # the keys the project set itself

    @property
    def sources_dir(self) -> Path:
        return self.root / self.sources

    @property
    def output_dir(self) -> Path:
        return self.root / self.output

    @property
    def manifest_path(self) -> Path:
        return self.root / self.manifest

    @property
    def page_path(self) -> Path | None:
        return None if self.page is None else self.root / self.page.path

    def output_path(self, metadata: Metadata, extension: str, theme: str | None = None) -> Path:
        """Where a flow's output goes; pictures in a theme other than the first get ``.<theme>`` before the suffix."""
        variant = f".{theme}" if theme is not None and theme != self.themes[0] else ""
        return self.output_dir / f"{output_stem(metadata)}{variant}.{extension}"

    def output_files(self, metadata: Metadata) -> dict[tuple[str, str | None], Path]:
        """Every output of a flow: ``(format, theme)`` -> path; text formats have no theme."""
        files: dict[tuple[str, str | None], Path] = {}
        for extension in self.formats:
            for theme in (self.themes if extension in PICTURE_FORMATS else (None,)):
                files[(extension, theme)] = self.output_path(metadata, extension, theme)
        return files

    def relative(self, path: Path) -> str:
        """``path`` as a posix path relative to the root (as the manifest and findings show it)."""
        return path.relative_to(self.root).as_posix()

    def source_files(self) -> list[Path]:
        """The flow modules: ``*.py`` in the sources folder; files starting with ``_`` are shared helpers."""
        folder = self.sources_dir
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.glob("*.py") if not p.name.startswith("_"))

    def shared_source_helpers(self) -> list[Path]:
        folder = self.sources_dir
        return sorted(folder.glob("_*.py")) if folder.is_dir() else []

    def output_settings_key(self) -> str:
        """The settings that change the bytes a build writes; "" for this repository's defaults."""
        default = Project(self.root)
        parts = []
        if self.formats != default.formats:
            parts.append("formats=" + ",".join(self.formats))
        if self.page != default.page:
            parts.append(repr(self.page))
        if self.page is not None and self.page.template is not None:  # editing the template rewrites the page
            template = self.root / self.page.template
            parts.append("template=" + (hashlib.sha256(template.read_bytes()).hexdigest() if template.is_file()
                                        else "missing"))
        if self.themes != default.themes:
            parts.append("themes=" + ",".join(self.themes))
        return ";".join(parts)

    def preview(self, renderer: str) -> Project:
        """Where a one-off build with another renderer than the project's goes: a git-ignored sibling of the
        output folder with its own manifest and no catalog page, so the committed outputs are never replaced."""
        folder = self.output.parent / f"{self.output.name}.{renderer}-preview"
        return replace(self, output=folder, manifest=folder / MANIFEST_NAME, page=None, renderer=renderer)

    def diagram_link_markers(self) -> tuple[str, ...]:
        """Folder names that mark a Markdown image link as pointing at this project's generated diagrams."""
        markers = {f"{self.output.name}/"}
        if self.manifest.parent.name:
            markers.add(f"{self.manifest.parent.name}/")
        return tuple(sorted(markers))

    def docs_excluded(self, path: Path) -> bool:
        try:
            relative = path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return False
        return any(fnmatch.fnmatch(relative, pattern) for pattern in self.docs_exclude)


def output_stem(metadata: Metadata) -> str:
    """``<n>-<slug>``: named after the flow's own title, never after anything else."""
    return f"{metadata.number}-{metadata.slug}"


_OUTPUT_NAME = re.compile(r"^\d+-[a-z0-9]+(?:-[a-z0-9]+)*(?:(?:\.(?:{themes}))?\.(?:{pictures})|\.(?:{texts}))$".format(
    themes="|".join(THEMES), pictures="|".join(PICTURE_FORMATS),
    texts="|".join(f for f in ALL_FORMATS if f not in PICTURE_FORMATS)))


def output_names(stem: str) -> frozenset[str]:
    """Every file name a flow with this stem can have in the output folder, under any formats and themes."""
    names = {f"{stem}.{extension}" for extension in ALL_FORMATS}
    names |= {f"{stem}.{theme}.{extension}" for theme in THEMES for extension in PICTURE_FORMATS}
    return frozenset(names)


def looks_like_output(name: str) -> bool:
    """A file name this tool would write into the output folder (``<n>-<slug>[.<theme>].<format>``)."""
    return bool(_OUTPUT_NAME.match(name))


def load_project(root: Path) -> Project:
    """The settings of the project at ``root``: its ``[tool.diagram-dsl]`` table over this repository's defaults.

    Raises ``ConfigError`` located at the pyproject.toml line of a bad value.
    """
    root = root.resolve()
    pyproject = root / PYPROJECT
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return Project(root)
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"cannot read {PYPROJECT}: {error}", Location(PYPROJECT, 1)) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{PYPROJECT} is not valid TOML: {error}", Location(PYPROJECT, _toml_error_line(error)),
                          hint="fix the TOML syntax") from None
    tool = data.get("tool", {})
    section = tool.get(SECTION, {}) if isinstance(tool, dict) else {}
    if not isinstance(section, dict):
        raise ConfigError(f"[tool.{SECTION}] must be a table", Location(PYPROJECT, _key_line(text, SECTION)))
    return _Settings(root, text, section).project()


class _Settings:
    """Reads one ``[tool.diagram-dsl]`` table; every bad value is a ConfigError at its line."""

    _KNOWN = ("sources", "output", "manifest", "formats", "catalog-page", "renderer", "theme", "docs-exclude",
              "load-timeout")

    def __init__(self, root: Path, text: str, section: Mapping[str, Any]) -> None:
        self.root = root
        self.text = text
        self.section = section

    def fail(self, key: str, message: str, hint: str = "") -> ConfigError:
        return ConfigError(f"[tool.{SECTION}] {key}: {message}", Location(PYPROJECT, _key_line(self.text, key)),
                           hint=hint)

    def project(self) -> Project:
        unknown = sorted(set(self.section) - set(self._KNOWN))
        if unknown:
            raise self.fail(unknown[0], "unknown setting", hint=f"known settings: {', '.join(self._KNOWN)}")
        output = self.path("output", DEFAULT_OUTPUT)
        default_manifest = DEFAULT_MANIFEST if "output" not in self.section else (output / MANIFEST_NAME).as_posix()
        manifest = self.path("manifest", default_manifest)
        sources = self.path("sources", DEFAULT_SOURCES)
        if output == sources or sources in output.parents or output in sources.parents:
            raise self.fail("output", f"{output} and the sources folder {sources} must not contain each other")
        formats = self.formats()
        page = self.page(formats)
        renderer = self.choice("renderer", "native", RENDERERS)
        themes = self.themes()
        return Project(self.root, sources, output, manifest, formats, page, renderer, themes,
                       self.strings("docs-exclude"), self.timeout(), frozenset(self.section))

    def path(self, key: str, default: str) -> PurePosixPath:
        value = self.section.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "must be a non-empty path string")
        return self.inside(key, value)

    def inside(self, key: str, value: str) -> PurePosixPath:
        path = PurePosixPath(value.replace("\\", "/"))
        if path.is_absolute() or re.match(r"^[A-Za-z]:", value) or ".." in path.parts or path == PurePosixPath("."):
            raise self.fail(key, f"{value!r} must be a folder or file inside the project, relative to its root",
                            hint="e.g. \"docs/diagrams\"")
        return path

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.section.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(key, "must be a list of strings")
        return tuple(value)

    def choice(self, key: str, default: str, allowed: tuple[str, ...]) -> str:
        value = self.section.get(key, default)
        if value not in allowed:
            raise self.fail(key, f"{value!r} is not one of {', '.join(allowed)}")
        return str(value)

    def themes(self) -> tuple[str, ...]:
        value = self.section.get("theme", "light")
        chosen = [value] if isinstance(value, str) else value
        if not isinstance(chosen, list) or not chosen or not all(item in THEMES for item in chosen) \
                or len(set(chosen)) != len(chosen):
            raise self.fail("theme", f"{value!r} must be one of {', '.join(THEMES)}, or a list of them without repeats",
                            hint='e.g. theme = ["light", "dark"] draws both; the first gets the plain file names')
        return tuple(str(item) for item in chosen)

    def formats(self) -> tuple[str, ...]:
        chosen = self.strings("formats") if "formats" in self.section else ALL_FORMATS
        unknown = [item for item in chosen if item not in ALL_FORMATS]
        if unknown or not chosen:
            raise self.fail("formats", f"{unknown[0]!r} is not an output format" if unknown else "is empty",
                            hint=f"choose from {', '.join(ALL_FORMATS)}")
        return tuple(item for item in ALL_FORMATS if item in chosen)

    def timeout(self) -> float:
        value = self.section.get("load-timeout", DEFAULT_LOAD_TIMEOUT)
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
            raise self.fail("load-timeout", "must be a positive number of seconds")
        return float(value)

    def page(self, formats: tuple[str, ...]) -> CatalogPageSettings | None:
        value = self.section.get("catalog-page", {})
        if value is False:
            return None
        if not isinstance(value, dict):
            raise self.fail("catalog-page", "must be a table (path, title, intro, template) or false for no page")
        unknown = sorted(set(value) - {"path", "title", "intro", "template"})
        if unknown:
            raise self.fail("catalog-page", f"unknown key {unknown[0]!r}",
                            hint="known keys: path, title, intro, template")
        path = self.inside("catalog-page", str(value.get("path", DEFAULT_PAGE)))
        if path.suffix.lower() not in (".md", ".markdown"):
            raise self.fail("catalog-page", f"path {path} must be a Markdown file (.md)")
        title, intro = value.get("title", DEFAULT_PAGE_TITLE), value.get("intro", DEFAULT_PAGE_INTRO)
        if not isinstance(title, str) or not isinstance(intro, str) or not title.strip():
            raise self.fail("catalog-page", "title must be a non-empty string and intro a string")
        if "png" not in formats and "svg" not in formats:
            raise self.fail("catalog-page", "the page shows PNG or SVG pictures; add one to formats or set "
                            "catalog-page = false")
        template = None
        if "template" in value:
            if not isinstance(value["template"], str) or not value["template"].strip():
                raise self.fail("catalog-page", "template must be the path of a Markdown file")
            template = self.inside("catalog-page", value["template"])
            if template == path:
                raise self.fail("catalog-page", "template and path must be different files")
        return CatalogPageSettings(path, title, intro, template)


def _key_line(text: str, key: str) -> int:
    """The line of ``key = ...`` (or ``[...key]``) inside the diagram-dsl table, else the table's line."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if re.match(rf"^\s*\[tool\.{re.escape(SECTION)}[\].]", line)
                  or re.match(rf"^\s*\[tool\.\"{re.escape(SECTION)}\"", line)), None)
    if start is None:
        return 1
    for index in range(start, len(lines)):
        if index > start and re.match(r"^\s*\[", lines[index]) and SECTION not in lines[index]:
            break
        if re.match(rf"^\s*(\"?{re.escape(key)}\"?\s*=|\[tool\.{re.escape(SECTION)}\.{re.escape(key)}\])",
                    lines[index]):
            return index + 1
    return start + 1


def _toml_error_line(error: tomllib.TOMLDecodeError) -> int:
    match = re.search(r"line (\d+)", str(error))
    return int(match.group(1)) if match else 1
