"""The markup a page gets for an embedded flow: an ``<img>``, or light and dark pictures together.

With both themes, a browser shows the one matching the reader's colour scheme: ``<picture>`` with a
``prefers-color-scheme: dark`` source in general, or — on the Material theme, whose palette toggle does not
change ``prefers-color-scheme`` — two images marked ``#only-light`` / ``#only-dark``, which Material shows
according to the palette the reader picked.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from diagram_dsl.embed.options import Embed


def _attributes(values: Mapping[str, str]) -> str:
    return "".join(f' {key}="{escape(value, quote=True)}"' for key, value in values.items())


def embed_html(urls: Mapping[str, str], embed: Embed, alt: str, *, material: bool = False) -> str:
    """``urls``: theme -> URL of the picture, in the project's theme order (the first is the fallback)."""
    themes = list(urls)
    attributes = {"alt": alt, **embed.width_attributes(), "loading": "lazy"}
    if len(themes) == 1 or not {"light", "dark"} <= set(themes):
        image = f'<img src="{escape(urls[themes[0]], quote=True)}"{_attributes(attributes)}>'
    elif material:
        image = "".join(f'<img src="{escape(urls[theme], quote=True)}#only-{theme}"{_attributes(attributes)}>'
                        for theme in ("light", "dark"))
    else:
        image = (f'<picture><source media="(prefers-color-scheme: dark)" srcset="{escape(urls["dark"], quote=True)}">'
                 f'<img src="{escape(urls["light"], quote=True)}"{_attributes(attributes)}></picture>')
    caption = f"<figcaption>{escape(embed.caption)}</figcaption>" if embed.caption else ""
    return f'<figure class="diagram-dsl">{image}{caption}</figure>'
