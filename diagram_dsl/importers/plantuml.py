"""PlantUML sequence diagrams (``@startuml … @enduml``, several per file) into the model.

Styling (``skinparam``, ``!theme``, ``<style>``, colours, ``hide footbox``), page furniture
(``header``, ``footer``, ``legend``, ``caption``, ``newpage``) and the preprocessor (``!define``,
``!function`` bodies; macros are not expanded) are skipped on purpose. Blocks of another diagram
type (class, activity, mindmap, ...) are skipped silently. A line that cannot be read becomes one
``ImportFailure`` at that line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from diagram_dsl.importers.assembly import Assembler
from diagram_dsl.importers.facts import ArrowStyle, Drawn
from diagram_dsl.importers.members import Kind, Style
from diagram_dsl.importers.plantuml_arrows import NAME, Arrow, parse_arrow_line
from diagram_dsl.importers.plantuml_blocks import find_blocks, looks_like_other_diagram, uncomment
from diagram_dsl.importers.plantuml_preprocess import Expanded, Preprocessor
from diagram_dsl.importers.result import ImportedDiagram, ImportFailure, TooDeep
from diagram_dsl.importers.text import plantuml_color, plantuml_text, unquote
from diagram_dsl.model import (
    Autonumber,
    Delay,
    Diagram,
    Divider,
    FragmentKind,
    Location,
    MessageKind,
    Note,
    NotePosition,
    ParticipantKind,
    Reference,
    Space,
)

LANGUAGE = "plantuml"
_I = re.IGNORECASE
_DECLARE = re.compile(
    rf"^(?:(?P<create>create)\s+)?(?P<kind>participant|actor|boundary|control|entity|database|collections|queue)"
    rf"\s+(?P<a>{NAME})(?:\s+as\s+(?P<b>{NAME}))?(?P<tail>.*)$", _I)
_DECLARE_TAIL = re.compile(r"^(?:\s+(?:#[\w#]+|order\s+-?\d+|<<.*?>>|\*\*))*\s*$", _I)
_CREATE = re.compile(rf"^create\s+(?P<name>{NAME})\s*$", _I)
_BOX = re.compile(r"^box\b\s*(?P<rest>.*)$", _I)
_END_BOX = re.compile(r"^end\s*box\s*$", _I)
_NOTE = re.compile(r"^(?:/\s*)?(?P<shape>note|hnote|rnote)\s+"
                   r"(?P<where>left\s+of|right\s+of|over|left|right|across)(?![\w])\s*(?P<rest>.*)$", _I)
_NOTE_END = re.compile(r"^end\s*[hr]?note\s*$", _I)
_REF = re.compile(r"^ref\s+over\s+(?P<rest>.*)$", _I)
_REF_END = re.compile(r"^end\s*ref\s*$", _I)
_GROUP = re.compile(r"^(?P<kw>alt|else|opt|loop|par2|par|break|critical|group)(?=$|[\s#])(?P<rest>.*)$", _I)
_END = re.compile(r"^end(?:\s*(?:alt|opt|loop|par2|par|break|critical|group))?\s*$", _I)
_DIVIDER = re.compile(r"^==+\s*(?P<text>.*?)\s*=*$")
_DELAY = re.compile(r"^\.\.\.(?:(?P<text>.*)\.\.\.)?$")
_SPACE = re.compile(r"^(?:\|\|\||\|\|(?P<pixels>\d+)\|\|)$")
_LIFELINE = re.compile(rf"^(?P<verb>activate|deactivate|destroy)\s+(?P<name>{NAME})(?:\s+#[\w#]+)*\s*$", _I)
_RETURN = re.compile(r"^return(?:\s+(?P<label>.*))?$", _I)
_AUTOACTIVATE = re.compile(r"^autoactivate\s+(?P<state>on|off)\s*$", _I)
_AUTONUMBER = re.compile(r"^autonumber\b(?P<rest>.*)$", _I)
_TITLE = re.compile(r"^title(?:\s*:\s*|\s+)(?P<text>.+)$", _I)
_IGNORED = re.compile(
    r"^(?:skinparam|hide|show|scale|newpage|mainframe|header|footer|caption|legend|skin|set|order|"
    r"(?:left|right|center)\s+(?:header|footer)|@startuml)\b|^!", _I)
_TEOZ_SPAN = re.compile(r"^\{[^}]*\}\s*<?-+>?\s*\{[^}]*\}")
_BRACED = re.compile(r"^(?:skinparam|sprite|style)\b", _I)
_STYLE_OPEN, _STYLE_CLOSE = re.compile(r"^<style>", _I), re.compile(r"^</style>", _I)
_FUNCTION = re.compile(r"^!(?:unquoted\s+)?(function|procedure)\b", _I)
_FURNITURE = re.compile(r"^(?:(?:left|right|center)\s+)?(title|header|footer|legend|caption)"
                        r"(?:\s+(?:left|right|center|top|bottom))*\s*$", _I)
_FURNITURE_WORDS = ("left", "right", "center", "title", "header", "footer", "legend", "caption")
_TEOZ_PREFIX = re.compile(r"^(?:&\s*)?(?:\{[^}]*\}\s*)?")
# Every statement other than an arrow starts like this (a keyword, or `==`, `...`, `||`, `/ note`, `<style>`,
# `!`, `{`); a line that does not is read as an arrow straight away.
_KEYWORD_START = re.compile(
    r"^(?:[/!<=|.{]|end\w*|(?:title|participant|actor|boundary|control|entity|database|collections|queue|create|"
    r"box|note|hnote|rnote|ref|alt|else|opt|loop|par2?|break|critical|group|activate|deactivate|destroy|return|"
    r"autoactivate|autonumber|skinparam|sprite|style|header|footer|legend|caption|left|right|center)\b)", _I)
_DECLARE_WORDS = ("create", "participant", "actor", "boundary", "control", "entity", "database", "collections",
                  "queue")
_GROUP_WORDS = ("alt", "else", "opt", "loop", "par", "break", "critical", "group")
_FRAGMENT_KINDS = {
    "alt": FragmentKind.ALT, "opt": FragmentKind.OPT, "loop": FragmentKind.LOOP, "par": FragmentKind.PAR,
    "par2": FragmentKind.PAR, "break": FragmentKind.BREAK, "critical": FragmentKind.CRITICAL,
    "group": FragmentKind.GROUP,
}
_KINDS = {kind.value: kind for kind in ParticipantKind}


def parse_plantuml(text: str, file: str, first_line: int = 1, *, include_root: Path | None = None
                   ) -> list[ImportedDiagram]:
    """Every sequence diagram in ``text``; line numbers start at ``first_line`` (for Markdown blocks).

    ``include_root``: ``!include`` reads files under this folder, resolved from ``file`` (``None``: no
    include is read; the diagram is checked as written).
    """
    lines = uncomment(text.splitlines())
    results: list[ImportedDiagram] = []
    for block in find_blocks(lines):
        origin = Location(file, first_line + block.start)
        if block.tag != "uml" or looks_like_other_diagram([lines[i] for i in block.body]):
            continue
        if not block.closed:
            failure = ImportFailure(f"@start{block.tag} is never closed", origin, hint="add @enduml")
            results.append(ImportedDiagram(origin, LANGUAGE, None, failure, replies_drawn=False))
            continue
        expanded = _preprocessed(lines, block.body, first_line, file, include_root)
        parser = _Parser(expanded.texts, expanded.numbers, origin, file)
        parser.assembler.preprocessor_line = expanded.unexpanded_line
        try:
            diagram = parser.run()
        except ImportFailure as failure:
            results.append(ImportedDiagram(origin, LANGUAGE, None, failure, replies_drawn=False))
            continue
        facts = parser.assembler.facts()
        if diagram.participants or diagram.events:
            results.append(ImportedDiagram(origin, LANGUAGE, diagram, None, parser.assembler.replies_drawn, facts))
        elif facts.skipped:  # nothing could be read: the diagram itself is unreadable
            first = facts.skipped[0]
            unreadable = ImportFailure(first.message, Location(file, first.line), first.hint)
            results.append(ImportedDiagram(origin, LANGUAGE, None, unreadable, replies_drawn=False))
    return results


def import_plantuml(text: str, file: str = "<plantuml>") -> Diagram:
    """The single (first) sequence diagram in ``text``; raises ``ImportFailure``."""
    for result in parse_plantuml(text, file):
        if result.error is not None:
            raise result.error
        if result.facts.skipped:  # this API reads a diagram faithfully or not at all
            skipped = result.facts.skipped[0]
            raise ImportFailure(skipped.message, Location(file, skipped.line), skipped.hint)
        assert result.diagram is not None
        return result.diagram
    raise ImportFailure("no PlantUML sequence diagram found", Location(file, 1), hint="wrap it in @startuml/@enduml")


# A directive the preprocessor must look at (`!pragma` and `!theme` change nothing the checker reads).
_NEEDS_PREPROCESSOR = re.compile(r"^[ \t]*!(?![ \t]*(?:pragma|theme)\b)", re.MULTILINE | re.IGNORECASE)


def _preprocessed(lines: list[str], body: list[int], first_line: int, file: str, include_root: Path | None
                  ) -> Expanded:
    texts = [lines[index] for index in body]
    if not _NEEDS_PREPROCESSOR.search("\n".join(texts)):
        return Expanded(texts, [first_line + index for index in body])
    return Preprocessor(Path(file), include_root).run([(lines[index], first_line + index) for index in body])


@dataclass
class _Cursor:
    position: int = 0


class _Parser:
    """Reads one diagram's lines (already preprocessed), each with the original line it came from."""

    def __init__(self, texts: list[str], numbers: list[int], origin: Location, file: str) -> None:
        self.texts = texts
        self.numbers = numbers
        self.origin = origin
        self.assembler = Assembler(file, LANGUAGE)
        self.autoactivate = False
        self.cursor = _Cursor()

    def run(self) -> Diagram:
        while self.cursor.position < len(self.texts):
            position = self.cursor.position
            self.cursor.position += 1
            line = self.texts[position].strip()
            if line.endswith("\\"):
                line = self._continued(line)
            if not line or line[0] == "'":
                continue  # blank, or a comment (joined with the lines it continues, as PlantUML reads it)
            resume = self.cursor.position
            try:
                self._statement(line, self.numbers[position])
            except TooDeep:
                raise
            except ImportFailure as failure:
                # One line that cannot be read is skipped, so the rest of the diagram is still checked.
                self.cursor.position = resume
                self.assembler.skip_line(self.numbers[position], line, failure)
        return self.assembler.finish(self.origin.line, close_open_blocks=True)

    def _continued(self, line: str) -> str:
        """A line ending in a single backslash goes on at the next line (PlantUML joins them)."""
        while line.endswith("\\") and not line.endswith("\\\\") and self.cursor.position < len(self.texts):
            line = line[:-1] + self.texts[self.cursor.position].strip()
            self.cursor.position += 1
        return line

    def _statement(self, line: str, number: int) -> None:
        """Reads one line (neither blank nor a comment: ``run`` skips those)."""
        if _KEYWORD_START.match(line):  # most lines are arrows: only a line starting like a keyword tries them all
            # Non-ASCII text gets no shortcut: an ignore-case pattern also matches letters like U+0131 or U+017F.
            lowered = line[:12].lower() if line.isascii() else ""
            if (line[0] == "{" and _TEOZ_SPAN.match(line)) or self._skip_multiline(line, lowered, number):
                return
            for words, pattern, handler in _BY_FIRST_CHAR.get(lowered[0], ()) if lowered else _HANDLERS:
                if lowered and not lowered.startswith(words):
                    continue
                match = pattern.match(line)
                if match is not None:
                    handler(self, match, number)
                    return
        arrow = parse_arrow_line(_TEOZ_PREFIX.sub("", line) if line[0] in "&{" else line)
        if arrow is None and _IGNORED.match(line):
            return
        if arrow is None:
            raise self.assembler.fail(f"cannot read `{_shorten(line)}` as a PlantUML sequence statement", number,
                                      "check the arrow and the `:` before the label")
        self._message(arrow, number)

    # -- multi-line text -----------------------------------------------------------------------
    def _read_until(self, end: re.Pattern[str], opened: int, what: str, closer: str) -> list[str]:
        collected: list[str] = []
        while self.cursor.position < len(self.texts):
            text = self.texts[self.cursor.position].strip()
            self.cursor.position += 1
            if end.match(text):
                return collected
            collected.append(text)
        raise self.assembler.fail(f"{what} opened here is never closed", opened, f"add `{closer}`")

    def _skip_multiline(self, line: str, lowered: str, number: int) -> bool:
        """Skips (or reads, for a title) a block of lines; ``lowered``: the line's start in lower case if ASCII."""
        if line.endswith("{") and _BRACED.match(line):
            self._skip_braces(number)
            return True
        if line[0] == "<" and _STYLE_OPEN.match(line):
            self._read_until(_STYLE_CLOSE, number, "<style>", "</style>")
            return True
        function = _FUNCTION.match(line) if line[0] == "!" else None
        if function:
            word = function.group(1).lower()
            self._read_until(re.compile(rf"^!end{word}\b", _I), number, f"!{word}", f"!end{word}")
            return True
        furniture = _FURNITURE.match(line) if not lowered or lowered.startswith(_FURNITURE_WORDS) else None
        if furniture:
            word = furniture.group(1).lower()
            text = self._read_until(re.compile(rf"^end\s*{word}\s*$", _I), number, word, f"end {word}")
            if word == "title":
                self.assembler.title = "\n".join(plantuml_text(t) for t in text)
            return True
        return False

    def _skip_braces(self, opened: int) -> None:
        depth = 1
        while self.cursor.position < len(self.texts):
            text = self.texts[self.cursor.position]
            self.cursor.position += 1
            depth += text.count("{") - text.count("}")
            if depth <= 0:
                return
        raise self.assembler.fail("`{` block opened here is never closed", opened, "add `}`")

    # -- statements ----------------------------------------------------------------------------
    def _title(self, match: re.Match[str], number: int) -> None:
        self.assembler.title = plantuml_text(match.group("text"))

    def _declare(self, match: re.Match[str], number: int) -> None:
        if not _DECLARE_TAIL.match(match.group("tail")):
            raise self.assembler.fail(f"unexpected `{_shorten(match.group('tail').strip())}` after the participant",
                                      number, 'write `participant "Label" as Name` or `participant Name`')
        first, second = match.group("a"), match.group("b")
        if second is None:
            name, label = unquote(first), unquote(first)
        elif second.startswith('"') and not first.startswith('"'):
            name, label = first, unquote(second)
        else:
            name, label = unquote(second), unquote(first)
        kind = _KINDS[match.group("kind").lower()]
        participant = self.assembler.declare(name, kind, number, plantuml_text(label), labelled=second is not None)
        if match.group("create") or "**" in match.group("tail"):
            self.assembler.pending_create.add(participant)

    def _create(self, match: re.Match[str], number: int) -> None:
        self.assembler.pending_create.add(self.assembler.resolve(unquote(match.group("name")), number, "create"))

    def _box(self, match: re.Match[str], number: int) -> None:
        parts = re.match(r'^(?P<title>"[^"]*"|[^#]*)\s*(?P<color>#[\w#]+)?', match.group("rest").strip())
        title = parts.group("title") if parts else ""
        color = parts.group("color") if parts else None
        self.assembler.open_box(plantuml_text(unquote(title)), plantuml_color(color) if color else None, number,
                                nested=True)

    def _end_box(self, match: re.Match[str], number: int) -> None:
        self.assembler.close_box(number)

    def _targets(self, head: str, number: int, statement: str) -> tuple[str, ...]:
        head = re.sub(r"#[\w#]+", "", head).strip()
        names = [unquote(part) for part in head.split(",") if part.strip()]
        if not names:
            raise self.assembler.fail("this needs at least one participant", number, "name it after `over`/`of`")
        return tuple(self.assembler.resolve(name, number, statement) for name in names)

    def _note(self, match: re.Match[str], number: int) -> None:
        head, text = _split_text(match.group("rest"))
        if text is None:
            text = "\n".join(self._read_until(_NOTE_END, number, "note", "end note"))
        where = re.sub(r"\s+", " ", match.group("where").lower())
        position = {"left of": NotePosition.LEFT, "right of": NotePosition.RIGHT, "left": NotePosition.LEFT,
                    "right": NotePosition.RIGHT}.get(where, NotePosition.OVER)
        if where in ("left of", "right of", "over"):
            targets = self._targets(head, number, "note")
        elif where == "across":
            targets = tuple(self.assembler.participant_ids())
        else:
            targets = self._attached(position, number)
        self.assembler.add(Note(position, targets, plantuml_text(text), self.assembler.loc(number)))

    def _attached(self, position: NotePosition, number: int) -> tuple[str, ...]:
        """``note left``/``note right`` with no participant sits beside the previous message."""
        last = self.assembler.last_message
        ends = [] if last is None else [p for p in (last.sender, last.receiver) if p is not None]
        if not ends:
            raise self.assembler.fail("a note without `of`/`over` must follow a message", number,
                                      "write `note left of Name`")
        ends.sort(key=self.assembler.column)
        return (ends[0] if position is NotePosition.LEFT else ends[-1],)

    def _ref(self, match: re.Match[str], number: int) -> None:
        head, text = _split_text(match.group("rest"))
        if text is None:
            text = "\n".join(self._read_until(_REF_END, number, "ref", "end ref"))
        self.assembler.add(Reference(self._targets(head, number, "ref"), plantuml_text(text),
                                     self.assembler.loc(number)))

    def _group(self, match: re.Match[str], number: int) -> None:
        keyword = match.group("kw").lower()
        guard = plantuml_text(re.sub(r"^\s*(?:#[\w#]+\s*)*", "", match.group("rest")))
        if keyword == "else":
            self.assembler.next_branch(guard, "else", number, None)
        else:
            self.assembler.open_fragment(_FRAGMENT_KINDS[keyword], guard, keyword, number)

    def _end(self, match: re.Match[str], number: int) -> None:
        self.assembler.close_block(number)

    def _divider(self, match: re.Match[str], number: int) -> None:
        self.assembler.add(Divider(plantuml_text(match.group("text")), self.assembler.loc(number)))

    def _delay(self, match: re.Match[str], number: int) -> None:
        self.assembler.add(Delay(plantuml_text(match.group("text") or ""), self.assembler.loc(number)))

    def _space(self, match: re.Match[str], number: int) -> None:
        pixels = match.group("pixels")
        self.assembler.add(Space(int(pixels) if pixels else None, self.assembler.loc(number)))

    def _lifeline(self, match: re.Match[str], number: int) -> None:
        assembler = self.assembler
        verb = match.group("verb").lower()
        participant = assembler.resolve(unquote(match.group("name")), number, verb)
        if verb == "destroy":
            if not assembler.retype_last_message_to(participant, Kind.DESTROY):
                assembler.destruction(participant, number)
        else:
            assembler.activation(participant, verb == "activate", number)

    def _return(self, match: re.Match[str], number: int) -> None:
        callee, caller, request = self.assembler.pop_return(number)
        label = plantuml_text(match.group("label") or "")
        if callee == caller:
            self.assembler.message(Kind.SELF, callee, caller, label, number, deactivate=True, returned=True,
                                   drawn=Drawn(Style.OTHER, returns=True))
            return
        # Returning from a create or a send answers no call: keep the arrow, without reply pairing.
        kind = Kind.REPLY if request is not None else Kind.ASYNC
        self.assembler.replies_drawn |= kind is Kind.REPLY
        self.assembler.message(kind, callee, caller, label, number, deactivate=True, reply_to=request, returned=True,
                               drawn=Drawn(Style.REPLY if request is not None else Style.OTHER,
                                           returns=request is not None))

    def _autoactivate(self, match: re.Match[str], number: int) -> None:
        self.autoactivate = match.group("state").lower() == "on"

    def _autonumber(self, match: re.Match[str], number: int) -> None:
        words = match.group("rest").split()
        if self.assembler.autonumber is not None or (words and words[0].lower() in ("stop", "resume", "inc", "off")):
            return
        start = int(words[0]) if words and words[0].isdigit() else 1
        step = int(words[1]) if len(words) > 1 and words[1].isdigit() else 1
        self.assembler.autonumber = Autonumber(start, step)

    def _message(self, arrow: Arrow, number: int) -> None:
        assembler = self.assembler
        sender = None if arrow.sender is None else assembler.resolve(arrow.sender, number)
        receiver = None if arrow.receiver is None else assembler.resolve(arrow.receiver, number)
        if sender is None and receiver is None:
            raise assembler.fail("an arrow needs a participant at one end at least", number)
        kind = _message_kind(arrow, sender, receiver)
        drawn = Drawn(_style(arrow, kind), handoff=arrow.activate and arrow.deactivate)
        # Under `autoactivate on`, PlantUML ends the sender's activation on every dashed arrow it sends while
        # active, whoever receives it (and starts none): `B --> A` after `A -> B` is the return.
        deactivate = arrow.deactivate or (self.autoactivate and arrow.dashed and assembler.is_active(sender))
        # An arrow back to the caller that ends the activation its call started is the return (`--++` hands
        # control on instead: it starts the caller's own activation).
        returned = kind is Kind.REQUEST and deactivate and not arrow.activate \
            and assembler.ends_call_from(sender, receiver)
        if returned:
            drawn = Drawn(drawn.style, returns=True)
            kind = Kind.REPLY  # back to the caller, ending the activation its call started: a return
        if kind is Kind.REPLY and not assembler.answers_open_call(sender, receiver):
            kind = Kind.ASYNC  # a dashed arrow that answers no open call is a dashed one-way message
        if kind is Kind.REPLY and (returned or assembler.answers_innermost_call(sender, receiver)):
            assembler.replies_drawn = True  # the author draws replies: one answers the call being served
        auto = self.autoactivate and kind in (Kind.REQUEST, Kind.SELF, Kind.CREATE)
        assembler.message(kind, sender, receiver, arrow.label, number,
                          activate=arrow.activate or auto, deactivate=deactivate, drawn=drawn)
        if arrow.bidirectional and kind is Kind.REQUEST:
            assembler.message(Kind.REPLY, receiver, sender, "", number,
                              drawn=Drawn(Style.REPLY, answered_in_place=True))


_Handler = Callable[[_Parser, re.Match[str], int], None]
# Tried in this order; the first pattern that matches reads the line. Each names the (lower-case) words a line it
# matches starts with, so that an ASCII line skips at once the patterns it cannot match.
_HANDLERS: tuple[tuple[tuple[str, ...], re.Pattern[str], _Handler], ...] = (
    (("title",), _TITLE, _Parser._title), (_DECLARE_WORDS, _DECLARE, _Parser._declare),
    (("create",), _CREATE, _Parser._create), (("end",), _END_BOX, _Parser._end_box), (("box",), _BOX, _Parser._box),
    (("/", "note", "hnote", "rnote"), _NOTE, _Parser._note), (("ref",), _REF, _Parser._ref),
    (_GROUP_WORDS, _GROUP, _Parser._group), (("end",), _END, _Parser._end), (("==",), _DIVIDER, _Parser._divider),
    (("...",), _DELAY, _Parser._delay), (("||",), _SPACE, _Parser._space),
    (("activate", "deactivate", "destroy"), _LIFELINE, _Parser._lifeline), (("return",), _RETURN, _Parser._return),
    (("autoactivate",), _AUTOACTIVATE, _Parser._autoactivate), (("autonumber",), _AUTONUMBER, _Parser._autonumber),
)
# The handlers an ASCII line can reach, by its first (lower-case) character, in the order above: one dictionary
# look-up instead of sixteen prefix tests per keyword line.
_BY_FIRST_CHAR = {char: tuple(h for h in _HANDLERS if any(word[0] == char for word in h[0]))
                  for char in {word[0] for words, _, _ in _HANDLERS for word in words}}


_UNPAIRED = (Kind.LOST, Kind.FOUND, Kind.DESTROY)  # a tuple: enums hash slowly


def _style(arrow: Arrow, kind: MessageKind) -> ArrowStyle:
    """The arrow's documented meaning as drawn: solid call, dashed return, thin-headed asynchronous send."""
    if kind in _UNPAIRED:
        return Style.OTHER
    if arrow.asynchronous:
        return Style.ASYNC
    if arrow.dashed and not arrow.bidirectional:
        return Style.REPLY
    return Style.CALL


def _message_kind(arrow: Arrow, sender: str | None, receiver: str | None) -> MessageKind:
    """The first of the arrow's marks that says what it is (``**`` create before ``!!`` destroy before a lost
    ``x`` before a thin head before ``<->`` before dashes); a plain arrow is a request."""
    if sender is None:
        return Kind.FOUND
    if receiver is None:
        return Kind.LOST
    if sender == receiver:
        return Kind.SELF
    if arrow.create:
        return Kind.CREATE
    if arrow.destroy:
        return Kind.DESTROY
    if arrow.lost:
        return Kind.LOST
    if arrow.asynchronous:
        return Kind.ASYNC
    if arrow.bidirectional:
        return Kind.REQUEST
    if arrow.dashed:
        return Kind.REPLY
    return Kind.REQUEST


def _split_text(rest: str) -> tuple[str, str | None]:
    """``A, B #color : text`` into the head and the text after the first colon outside quotes."""
    in_quotes = False
    for index, char in enumerate(rest):
        if char == '"':
            in_quotes = not in_quotes
        elif char == ":" and not in_quotes:
            return rest[:index], rest[index + 1:]
    return rest, None


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
