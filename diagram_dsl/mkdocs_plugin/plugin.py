"""The plugin's events: flows loaded and validated once per build (``on_files``), pictures added to the site as
files (so MkDocs copies them and its own link validation sees them), pages rewritten (``on_page_markdown``),
and the flow sources watched by ``mkdocs serve``.
"""

from __future__ import annotations

import logging
import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from diagram_dsl.embed.pictures import PictureStore, Wanted
from diagram_dsl.embed.site import FAIL_LEVELS, DocsFlows, Signature, docs_flows, fails, find_root
from diagram_dsl.errors import DiagramDslError
from diagram_dsl.mkdocs_plugin.pages import PageEmbedder
from diagram_dsl.mkdocs_plugin.validation import BackgroundCheck, Reported
from diagram_dsl.project import PICTURE_FORMATS, RENDERERS, Project, load_project

if TYPE_CHECKING:
    from mkdocs.livereload import LiveReloadServer

log = get_plugin_logger(__name__)
_INLINE_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*(mermaid|plantuml)\b", re.MULTILINE | re.IGNORECASE)


class DiagramDslConfig(base.Config):  # type: ignore[no-untyped-call]  # mkdocs leaves __init_subclass__ untyped
    root = c.Optional(c.Dir(exists=True))  # the diagram-dsl project; default: nearest pyproject.toml upward
    format = c.Choice(PICTURE_FORMATS, default="svg")  # what a ```diagram-dsl block shows unless it says
    assets = c.Type(str, default="assets/diagram-dsl")  # where the pictures go inside the site
    renderer = c.Optional(c.Choice(RENDERERS))  # default: the project's renderer
    fail_on = c.Choice(FAIL_LEVELS, default="error")  # validator findings at this level are MkDocs warnings
    check_inline = c.Type(bool, default=True)  # inline ```mermaid / ```plantuml diagrams must parse


class DiagramDslPlugin(BasePlugin[DiagramDslConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.store: PictureStore | None = None
        self.project: Project | None = None
        self.flows: DocsFlows | None = None
        self.embedder: PageEmbedder | None = None
        self.served: dict[Wanted, File] = {}
        self.site_root: Path | None = None  # the folder of mkdocs.yml
        self.check: BackgroundCheck | None = None  # the flows' validation, running beside this build
        self.checked: tuple[Signature, list[Reported]] | None = None  # the last verdict and what it was about

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        """Defined so MkDocs keeps this plugin across ``mkdocs serve`` rebuilds: drawn pictures are remembered."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        assets = self.config.assets.strip("/")
        if not assets or ".." in assets.split("/"):
            raise PluginError(f"diagram-dsl: assets {self.config.assets!r} must be a folder inside the site")
        self.config.assets = assets
        self.site_root = Path(config.config_file_path or ".").resolve().parent
        root = Path(self.config.root) if self.config.root else find_root(self.site_root)
        try:
            self.project = load_project(root)
        except DiagramDslError as error:
            raise PluginError(f"diagram-dsl: {error}") from None
        if self.store is None or self.store.renderer != self.config.renderer:
            self.store = PictureStore(self.config.renderer)
        return config

    @event_priority(-50)  # late: pages other plugins generate are seen too
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        assert self.project is not None and self.store is not None
        flows = docs_flows(self.project)
        self.flows = flows
        self._start_check(flows)
        self.embedder = PageEmbedder(flows, self.config.format)
        pages = list(files.documentation_pages())
        wanted: list[Wanted] = []
        inline: list[File] = []
        for file in pages:
            text = file.content_string
            wanted += self.embedder.wanted(text, self._folder(file, config))
            if _INLINE_FENCE.search(text):
                inline.append(file)
        pictures, problems = self.store.pictures(self.project, wanted)
        for problem in problems:
            log.warning(problem)
        self.served = {}
        for item, picture in pictures.items():
            src_uri = f"{self.config.assets}/{picture.name}"
            existing = files.get_file_from_path(src_uri)
            if existing is not None:
                files.remove(existing)
            if picture.path is not None:
                file = File.generated(config, src_uri, abs_src_path=str(picture.path))
            else:
                file = File.generated(config, src_uri, content=picture.read())
            files.append(file)
            self.served[item] = file
        if self.config.check_inline and inline:  # the real parsers start only for pages that have such blocks
            self._check_inline(inline)
        return files

    def _check_inline(self, pages: list[File]) -> None:
        from diagram_dsl.checks.inline import check_inline_syntax
        from diagram_dsl.validate import Severity

        on_disk = [(Path(file.abs_src_path), self._shown(file)) for file in pages if file.abs_src_path]
        for finding in check_inline_syntax(on_disk):
            log.log(logging.WARNING if finding.severity is Severity.ERROR else logging.INFO, str(finding))

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if self.embedder is None:
            return markdown
        source = page.file

        def url_for(item: Wanted, markdown_link: bool) -> str | None:
            file = self.served.get(item)
            if file is None:
                return None
            if markdown_link:  # MkDocs resolves a Markdown link from the page's source file, then validates it
                return posixpath.relpath(file.src_uri, posixpath.dirname(source.src_uri) or ".")
            return file.url_relative_to(source)  # raw HTML is left alone: relative to the page's URL

        result = self.embedder.transform(markdown, self._folder(source, config), url_for,
                                         material=config.theme.name == "material")
        offset = _front_matter_lines(source, markdown)
        for line, message in result.problems:
            log.warning(f"{self._shown(source)}:{line + offset}: {message}")
        return result.markdown

    def _start_check(self, flows: DocsFlows) -> None:
        """Validate the flows beside the build; an unchanged project (``mkdocs serve``) keeps the last verdict."""
        self._stop_check()
        if self.checked is not None and self.checked[0] == flows.signature:
            return
        self.checked = None
        if flows.project.sources_dir.is_dir():
            self.check = BackgroundCheck(flows.project)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """The flows' findings, logged before MkDocs counts warnings (so ``--strict`` fails on them)."""
        if self.check is not None and self.flows is not None:
            findings, problem = self.check.results()
            self.check = None
            if problem is not None:
                log.warning(f"diagram-dsl: {problem}")
            else:
                self.checked = (self.flows.signature, findings)
        for finding in self.checked[1] if self.checked else []:
            level = logging.WARNING if fails(finding.severity, self.config.fail_on) else logging.INFO
            log.log(level, finding.line)

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_check()

    def on_shutdown(self) -> None:
        self._stop_check()

    def _stop_check(self) -> None:
        if self.check is not None:
            self.check.stop()
            self.check = None

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer | None:
        """Editing a flow (or adding one, or the settings) rebuilds the site."""
        if self.flows is not None:
            for path in self.flows.watched_files():
                if path.exists():
                    server.watch(str(path))
        return server

    def _folder(self, file: File, config: MkDocsConfig) -> Path:
        if file.abs_src_path:
            return Path(file.abs_src_path).parent
        return Path(config.docs_dir) / posixpath.dirname(file.src_uri)

    def _shown(self, file: File) -> str:
        """The page as findings name it: relative to the project root like every other diagram-dsl finding (or to
        mkdocs.yml's folder when the site lives outside the project)."""
        assert self.project is not None
        if not file.abs_src_path:
            return file.src_uri
        path = Path(file.abs_src_path).resolve()
        for folder in (self.project.root, self.site_root):
            if folder is not None and path.is_relative_to(folder):
                return path.relative_to(folder).as_posix()
        return str(path)


def _front_matter_lines(file: File, markdown: str) -> int:
    """How many lines MkDocs cut from the top of the page (its YAML front matter) before handing us ``markdown``."""
    try:
        source = file.content_string
    except (OSError, UnicodeDecodeError, TypeError):
        return 0
    if not markdown or not source.endswith(markdown):
        return 0
    return source[: len(source) - len(markdown)].count("\n")
