"""Renderers: layout + canvases (native) and the real PlantUML / Mermaid tools."""
