"""The MkDocs plugin ``diagram-dsl``: flows validated once per build, embedded by pages, drawn into the site.

Turn it on in mkdocs.yml::

    plugins:
      - search
      - diagram-dsl

A page embeds a flow with a fenced block (```` ```diagram-dsl ```` + ``flow: 4``) or links a generated picture
(``![Checkout](../generated-diagrams/sequence-diagram-solutions/4-e-commerce-checkout.png)``). Validator
findings, drifted links and inline diagrams that do not parse are MkDocs warnings at ``file:line``, so
``mkdocs build --strict`` fails on them.
"""

from diagram_dsl.mkdocs_plugin.plugin import DiagramDslConfig, DiagramDslPlugin

__all__ = ["DiagramDslConfig", "DiagramDslPlugin"]
