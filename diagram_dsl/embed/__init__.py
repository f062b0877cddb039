"""Flows inside documentation sites: what the MkDocs plugin and the Sphinx extension share.

``site`` loads and validates a project's flows once per docs build and finds the flow a page names;
``options`` reads what a page asks for (flow, theme, format, width, alt text, caption);
``pictures`` hands out each picture — the committed output when it is current, else rendered once;
``links`` tells which generated picture an image link names and whether its section is about that flow;
``html`` writes the markup a page embeds.
"""
