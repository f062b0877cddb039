"""Slugs and identifiers derived from names — never random, so outputs are stable."""

from __future__ import annotations

import re
import unicodedata

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def slugify(title: str) -> str:
    """Title to slug: ``"E-commerce Checkout"`` -> ``"e-commerce-checkout"``."""
    words = re.findall(r"[a-z0-9]+", _ascii_fold(title).lower())
    return "-".join(words)


def is_safe_slug(slug: str) -> bool:
    """A slug that can only name a file inside the output folder: lowercase words joined by hyphens."""
    return bool(_SLUG_RE.match(slug)) and len(slug) <= 100


def identifier(label: str) -> str:
    """A participant id from its label: ``"Auth Service"`` -> ``"auth_service"``; always a valid identifier."""
    words = re.findall(r"[a-z0-9]+", _ascii_fold(label).lower())
    ident = "_".join(words) or "p"
    return f"p_{ident}" if ident[0].isdigit() else ident


def module_stem(number: int, slug: str) -> str:
    """The source file stem for a flow: ``(1, "simple-login-sequence")`` -> ``"01_simple_login_sequence"``."""
    return f"{number:02d}_{slug.replace('-', '_')}"
