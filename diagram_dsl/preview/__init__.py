"""The live preview behind ``diagram-dsl serve`` (browser) and ``diagram-dsl watch`` (terminal).

How a save reaches the page: ``workspace`` watches the sources (watchfiles) and asks ``loader`` for the
changed flow; the loader process (``worker``) forks a child that loads, validates and draws it with the
native renderer, adding ``hotspots`` (where each element is written); the ``app`` pushes the new state to
every open page as a server-sent event, and ``static/preview.js`` swaps it into the page. ``server`` runs it
all on 127.0.0.1 and stops every part of it on Ctrl-C. ``tools`` draws with the real PlantUML or Mermaid on
request; ``terminal`` is ``watch``'s loop.
"""
