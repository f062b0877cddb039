"""Project-level checks run by ``diagram-dsl check``: outputs in sync with sources, docs in sync with outputs."""
