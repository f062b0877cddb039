"""Project settings for the checks, from ``[tool.diagram-dsl]`` in the project's pyproject.toml."""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CheckConfig:
    docs_exclude: tuple[str, ...] = ()  # glob patterns, relative to the root, of Markdown files not to lint

    def excluded(self, path: Path, root: Path) -> bool:
        try:
            relative = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return False
        return any(fnmatch.fnmatch(relative, pattern) for pattern in self.docs_exclude)


def read_config(root: Path) -> CheckConfig:
    try:
        data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (FileNotFoundError, tomllib.TOMLDecodeError):
        return CheckConfig()
    section = data.get("tool", {}).get("diagram-dsl", {})
    patterns = section.get("docs-exclude", [])
    return CheckConfig(tuple(str(p) for p in patterns) if isinstance(patterns, list) else ())
