"""Lint Markdown docs against the catalog: diagram links that resolve, and inline diagrams that parse."""
