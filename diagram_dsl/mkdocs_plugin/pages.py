"""One page's Markdown: its ```` ```diagram-dsl ```` blocks become pictures, its image links to generated pictures
point at the copies in the site, and whatever cannot be honoured is a problem at the page's line.

Pure apart from the URLs it is handed, so it is tested without MkDocs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from diagram_dsl.catalog import LoadedFlow
from diagram_dsl.embed.html import embed_html
from diagram_dsl.embed.links import Named, judge, picture_names, points_at_outputs
from diagram_dsl.embed.options import Embed, EmbedError, parse_block
from diagram_dsl.embed.pictures import Wanted
from diagram_dsl.embed.site import DocsFlows, alt_text
from diagram_dsl.markdown.scan import image_links
from diagram_dsl.mkdocs_plugin.fences import Fence, diagram_fences

UrlFor = Callable[[Wanted, bool], str | None]  # (picture, for a Markdown link?) -> URL, None when unavailable


@dataclass
class PageResult:
    markdown: str
    problems: list[tuple[int, str]] = field(default_factory=list)  # (1-based line in the Markdown, message)


@dataclass(frozen=True)
class _Resolved:
    embed: Embed
    flow: LoadedFlow


@dataclass(frozen=True)
class _Problem:
    line: int  # 1-based, in the page's Markdown
    message: str


class PageEmbedder:
    def __init__(self, flows: DocsFlows, default_format: str = "svg") -> None:
        self.flows = flows
        self.default_format = default_format
        self.names = picture_names(flows.catalog)

    # -- what a page needs ------------------------------------------------------------------------

    def wanted(self, markdown: str, base: Path) -> list[Wanted]:
        """The pictures the page shows (nothing is reported here; ``transform`` reports)."""
        lines = markdown.splitlines()
        found: list[Wanted] = []
        for fence in diagram_fences(lines):
            resolved = self._resolve(fence, base)
            if isinstance(resolved, _Resolved):
                found += self._pictures(resolved.embed, resolved.flow)
        for named in self._linked(markdown):
            found.append((named.flow, named.theme, named.format))
        return found

    def _pictures(self, embed: Embed, flow: LoadedFlow) -> list[Wanted]:
        themes = (embed.theme,) if embed.theme else self.flows.project.themes
        return [(flow, theme, embed.format or self.default_format) for theme in themes]

    def _resolve(self, fence: Fence, base: Path) -> _Resolved | _Problem:
        try:
            embed = parse_block(fence.body)
        except EmbedError as error:
            hint = f" ({error.hint})" if error.hint else ""
            return _Problem(fence.start + 2 + error.line_offset, f"diagram-dsl block: {error.message}{hint}")
        flow = self.flows.lookup(embed.flow, base)
        if flow is None:
            return _Problem(fence.start + 2 + embed.flow_line, f"diagram-dsl block: {self._unknown(embed.flow)}")
        return _Resolved(embed, flow)

    def _unknown(self, key: str) -> str:
        project = self.flows.project
        known = ", ".join(f"{f.metadata.number} ({f.metadata.slug})" for f in self.flows.flows[:6])
        more = " ..." if len(self.flows.flows) > 6 else ""
        failed = self.flows.load_problems()
        why = f"; sources that failed to load: {'; '.join(failed)}" if failed else ""
        return (f"no flow {key!r} in {project.sources}/ (name one by number, slug or source file: "
                f"{known or 'there are none'}{more}){why}")

    def _linked(self, markdown: str) -> list[Named]:
        project = self.flows.project
        found = []
        for link in image_links(markdown):
            if points_at_outputs(link.target, project):
                named, _ = judge(link.target, [h.text for h in link.headings], link.alt, self.flows.catalog,
                                 self.names)
                if named is not None:
                    found.append(named)
        return found

    # -- the page as the site shows it ------------------------------------------------------------

    def transform(self, markdown: str, base: Path, url_for: UrlFor, *, material: bool = False) -> PageResult:
        lines = markdown.splitlines()
        result = PageResult(markdown)
        replaced: dict[int, tuple[int, str]] = {}  # fence start -> (fence end, replacement lines)
        for fence in diagram_fences(lines):
            resolved = self._resolve(fence, base)
            if isinstance(resolved, _Problem):
                result.problems.append((resolved.line, resolved.message))
                continue
            embed, flow = resolved.embed, resolved.flow
            urls = {}
            for wanted in self._pictures(embed, flow):
                url = url_for(wanted, False)
                if url is not None:
                    urls[wanted[1]] = url
            if not urls:
                result.problems.append((fence.start + 1, f"diagram-dsl block: flow {flow.metadata.number} "
                                                         f"({flow.metadata.title}) could not be drawn (see above)"))
                continue
            html = embed_html(urls, embed, embed.alt or alt_text(flow), material=material)
            # Raw HTML must start a block of its own: blank lines around it, the fence's indentation kept.
            replaced[fence.start] = (fence.end, f"\n{fence.indent}{html}\n")
        lines = self._relinked(lines, base, url_for, result)
        out: list[str] = []
        index = 0
        while index < len(lines):
            if index in replaced:
                end, html = replaced[index]
                out.append(html)
                index = end + 1
                continue
            out.append(lines[index])
            index += 1
        result.markdown = "\n".join(out) + ("\n" if markdown.endswith("\n") else "")
        return result

    def _relinked(self, lines: list[str], base: Path, url_for: UrlFor, result: PageResult) -> list[str]:
        project = self.flows.project
        lines = list(lines)
        # right to left within a line, so earlier columns stay valid while later targets are replaced
        for link in sorted(image_links("\n".join(lines)), key=lambda link: (link.line, -link.column)):
            if not points_at_outputs(link.target, project):
                continue
            named, drift = judge(link.target, [h.text for h in link.headings], link.alt, self.flows.catalog,
                                 self.names)
            if drift is not None:
                result.problems.append((link.line, f"{drift.code} {drift.message}"))
            if named is None:
                continue
            line = lines[link.line - 1]
            markdown_link = link.column > 0 and line[link.column - 1] == "("
            url = url_for((named.flow, named.theme, named.format), markdown_link)
            if url is None:
                continue
            raw = link.target
            if line[link.column:].startswith("<"):
                raw = f"<{link.target}>"
            if line[link.column:link.column + len(raw)] == raw:
                lines[link.line - 1] = line[:link.column] + url + line[link.column + len(raw):]
        return lines
