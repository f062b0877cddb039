"""PlantUML sequence diagrams (``@startuml … @enduml``, several per file) into the model.

Styling (``skinparam``, ``!theme``, ``<style>``, colours, ``hide footbox``), page furniture
(``header``, ``footer``, ``legend``, ``caption``, ``newpage``) and the preprocessor (``!define``,
``!function`` bodies; macros are not expanded) are skipped on purpose. Blocks of another diagram
type (class, activity, mindmap, ...) are skipped silently. A line that cannot be read becomes one
``ImportFailure`` at that line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path

from diagram_dsl.importers.assembly import Assembler
from diagram_dsl.importers.facts import Drawn
from diagram_dsl.importers.members import Kind, Style
from diagram_dsl.importers.plantuml_arrows import ARROW, DRAWN_OTHER, NAME, Arrow, arrow_from, parse_arrow_line
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
    Note,
    NotePosition,
    ParticipantKind,
    Reference,
    Space,
)

LANGUAGE = "plantuml"
_I = re.IGNORECASE
# Every statement a line can hold, in the order they are tried (the first that matches reads the line): blocks of
# lines skipped or read as one (a teoz span, a `{` block, `<style>`, `!function`, a `title`/`legend`... block),
# then the statements; the message arrow comes last. Each is (name, how a line it reads can start: its first one or
# two characters in lower case, blank-separated, pattern); they are tried as ONE pattern per line (see
# _statement_pattern), and ``match.lastgroup`` names the statement: each alternative is a named group around the
# groups it reads, which are named after it. An optional part is `(?:X|)`, not `(?:X)?` (see plantuml_arrows.ARROW).
_STATEMENTS = (
    ("teoz_span", "{", r"\{[^}]*\}\s*<?-+>?\s*\{[^}]*\}"),
    ("braced", "sk sp st", r"(?i:skinparam|sprite|style)\b.*\{\Z"),
    ("style_block", "<s", r"(?i:<style>)"),
    ("function", "!", r"(?i:!(?:unquoted\s+)?(?P<function_word>function|procedure)\b)"),
    ("furniture", "le ri ce ti he fo ca", r"(?i:(?:(?:left|right|center)\s+|)"
                                          r"(?P<furniture_word>title|header|footer|legend|caption)"
                                          r"(?:\s+(?:left|right|center|top|bottom))*\s*$)"),
    ("title", "ti", r"(?i:title(?:\s*:\s*|\s+)(?P<title_text>.+)$)"),
    ("declare", "cr pa ac bo co en da qu",
     rf"(?i:(?:(?P<declare_create>create)\s+|)"
     rf"(?P<declare_kind>participant|actor|boundary|control|entity|database|collections|queue)"
     rf"\s+(?P<declare_a>{NAME})(?:\s+as\s+(?P<declare_b>{NAME})|)(?P<declare_tail>.*)$)"),
    ("create", "cr", rf"(?i:create\s+(?P<create_name>{NAME})\s*$)"),
    ("end_box", "en", r"(?i:end\s*box\s*$)"),
    ("box", "bo", r"(?i:box\b\s*(?P<box_rest>.*)$)"),
    ("note", "/ no hn rn", r"(?i:(?:/\s*|)(?P<note_shape>note|hnote|rnote)\s+"
                           r"(?P<note_where>left\s+of|right\s+of|over|left|right|across)(?![\w])\s*"
                           r"(?P<note_rest>.*)$)"),
    ("ref", "re", r"(?i:ref\s+over\s+(?P<ref_rest>.*)$)"),
    ("group", "al el op lo pa br cr gr",
     r"(?i:(?P<group_kw>alt|else|opt|loop|par2|par|break|critical|group)(?=$|[\s#])(?P<group_rest>.*)$)"),
    ("end", "en", r"(?i:end(?:\s*(?:alt|opt|loop|par2|par|break|critical|group)|)\s*$)"),
    ("divider", "==", r"==+\s*(?P<divider_text>.*?)\s*=*$"),
    ("delay", "..", r"\.\.\.(?:(?P<delay_text>.*)\.\.\.|)$"),
    ("space", "||", r"(?:\|\|\||\|\|(?P<space_pixels>\d+)\|\|)$"),
    ("lifeline", "ac de", rf"(?i:(?P<lifeline_verb>activate|deactivate|destroy)\s+(?P<lifeline_name>{NAME})"
                          rf"(?:\s+#[\w#]+)*\s*$)"),
    ("return", "re", r"(?i:return(?:\s+(?:#\w+\s+|)(?P<return_label>.*)|)$)"),  # `return #red x`: colour is style
    ("autoactivate", "au", r"(?i:autoactivate\s+(?P<autoactivate_state>on|off)\s*$)"),
    ("autonumber", "au", r"(?i:autonumber\b(?P<autonumber_rest>.*)$)"),
)


@functools.cache
def _statement_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern trying the statements ``names`` in order, then the arrow."""
    alternatives = "".join(f"(?P<{name}>{pattern})|" for name, _, pattern in _STATEMENTS if name in names)
    return re.compile(f"^(?:{alternatives}(?P<arrow>(?x:{ARROW})))")


class _PatternsByStart(dict[str, re.Pattern[str]]):
    """The pattern for a line starting with given (up to) two characters, made the first time one does.

    A pattern tries its alternatives one by one, each at a cost even when its first letter does not match, so a
    line is matched only against the statements that can start as it does (a line starting `Cl`, like most message
    lines, is tried as a message only). An ASCII character is matched by an ignore-case letter only as itself in
    either case; a line starting with any other character is matched against every statement (ignore-case also
    matches letters like U+0131 or U+017F).
    """

    def __missing__(self, start: str) -> re.Pattern[str]:
        if not start.isascii():
            return _statement_pattern(tuple(name for name, _, _ in _STATEMENTS))
        lowered = start.lower()  # (a one-character line: every statement starting with it, which cannot match)
        pattern = self[start] = _statement_pattern(tuple(
            name for name, starts, _ in _STATEMENTS
            if any(lowered.startswith(begin) or begin.startswith(lowered) for begin in starts.split())))
        return pattern


_BY_START = _PatternsByStart()
_DECLARE_TAIL = re.compile(r"^(?:\s+(?:#[\w#]+|order\s+-?\d+|<<.*?>>|\*\*))*\s*$", _I)
_NOTE_END = re.compile(r"^end\s*[hr]?note\s*$", _I)
_REF_END = re.compile(r"^end\s*ref\s*$", _I)
_IGNORED = re.compile(
    r"^(?:skinparam|hide|show|scale|newpage|mainframe|header|footer|caption|legend|skin|set|order|"
    r"(?:left|right|center)\s+(?:header|footer)|@startuml)\b|^!", _I)
_STYLE_CLOSE = re.compile(r"^</style>", _I)
_TEOZ_PREFIX = re.compile(r"^(?:&\s*)?(?:\{[^}]*\}\s*)?")
_FUNCTION_END = {word: re.compile(rf"^!end{word}\b", _I) for word in ("function", "procedure")}
_FURNITURE_END = {word: re.compile(rf"^end\s*{word}\s*$", _I)
                  for word in ("title", "header", "footer", "legend", "caption")}
_BOX_TITLE = re.compile(r'^(?P<title>"[^"]*"|[^#]*)\s*(?P<color>#[\w#]+)?')
_COLOR = re.compile(r"#[\w#]+")
_GUARD_COLORS = re.compile(r"^\s*(?:#[\w#]+\s*)*")
_BLANKS = re.compile(r"\s+")
_FRAGMENT_KINDS = {
    "alt": FragmentKind.ALT, "opt": FragmentKind.OPT, "loop": FragmentKind.LOOP, "par": FragmentKind.PAR,
    "par2": FragmentKind.PAR, "break": FragmentKind.BREAK, "critical": FragmentKind.CRITICAL,
    "group": FragmentKind.GROUP,
}
_KINDS = {kind.value: kind for kind in ParticipantKind}
# Where a note goes (any other place: over). Made once: reading an enum member from its class is a call on 3.11.
_NOTE_POSITIONS = {"left of": NotePosition.LEFT, "right of": NotePosition.RIGHT, "left": NotePosition.LEFT,
                   "right": NotePosition.RIGHT}
_OVER = NotePosition.OVER


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
        if block.tag != "uml":
            continue
        texts = [lines[index] for index in block.body]  # read by the pre-scan, then by the parser
        if looks_like_other_diagram(texts):
            continue
        if not block.closed:
            failure = ImportFailure(f"@start{block.tag} is never closed", origin, hint="add @enduml")
            results.append(ImportedDiagram(origin, LANGUAGE, None, failure, replies_drawn=False))
            continue
        expanded = _preprocessed(lines, texts, block.body, first_line, file, include_root)
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


# A directive the preprocessor must look at (`!pragma` and `!theme` change nothing the checker reads), at the start
# of a line: searched for in the lines joined, each after a line break (a pattern starting with a literal character
# is searched for at that character's occurrences only; `^` with MULTILINE is tried at every position).
_NEEDS_PREPROCESSOR = re.compile(r"\n[ \t]*!(?![ \t]*(?:pragma|theme)\b)", re.IGNORECASE)


def _preprocessed(lines: list[str], texts: list[str], body: list[int], first_line: int, file: str,
                  include_root: Path | None) -> Expanded:
    """The diagram's lines (``texts``: the lines ``body`` indexes) after the preprocessor."""
    joined = "\n" + "\n".join(texts)  # (no line holds a line break: they were split at them)
    if "!" not in joined or not _NEEDS_PREPROCESSOR.search(joined):  # a substring test is much cheaper
        return Expanded(texts, [first_line + index for index in body])
    return Preprocessor(Path(file), include_root).run([(lines[index], first_line + index) for index in body])


class _Parser:
    """Reads one diagram's lines (already preprocessed), each with the original line it came from."""

    def __init__(self, texts: list[str], numbers: list[int], origin: Location, file: str) -> None:
        self.texts = texts
        self.numbers = numbers
        self.origin = origin
        self.assembler = Assembler(file, LANGUAGE)
        self.autoactivate = False
        self.position = 0  # the next line to read (a statement spanning several lines moves it on)

    def run(self) -> Diagram:
        texts, numbers, count = self.texts, self.numbers, len(self.texts)
        while self.position < count:
            position = self.position
            self.position = position + 1
            line = texts[position].strip()
            if line.endswith("\\"):
                line = self._continued(line)
            if not line or line[0] == "'":
                continue  # blank, or a comment (joined with the lines it continues, as PlantUML reads it)
            resume = self.position
            number = numbers[position]
            try:
                # The statement this line holds (inline: a call per line is a large part of reading one).
                match = _BY_START[line[:2]].match(line)
                if match is None:
                    self._arrow(line, None, number)
                elif (statement := match.lastgroup) != "arrow":
                    _HANDLERS[statement](self, match, number)
                elif (arrow := arrow_from(match)) is None:  # (an arrow never starts with teoz's `&` or `{`)
                    self._arrow(line, match, number)  # no message: refused there, unless it is skipped
                else:
                    self._message(arrow, number)  # most arrows: read here, a call less
            except TooDeep:
                raise
            except ImportFailure as failure:
                # One line that cannot be read is skipped, so the rest of the diagram is still checked.
                self.position = resume
                self.assembler.skip_line(number, line, failure)
        return self.assembler.finish(self.origin.line, close_open_blocks=True)

    def _continued(self, line: str) -> str:
        """A line ending in a single backslash goes on at the next line (PlantUML joins them)."""
        while line.endswith("\\") and not line.endswith("\\\\") and self.position < len(self.texts):
            line = line[:-1] + self.texts[self.position].strip()
            self.position += 1
        return line

    def _arrow(self, line: str, match: re.Match[str] | None, number: int) -> None:
        """A line that is no other statement: a message arrow (``match``: the line's statement match, None when
        it has none), a line the importer skips, or one it cannot read."""
        if line[0] in "&{":  # teoz: `& B -> C` starts with the previous arrow, `{start} A -> B` names its end
            arrow = parse_arrow_line(_TEOZ_PREFIX.sub("", line))
        else:
            arrow = None if match is None else arrow_from(match)
        if arrow is not None:
            self._message(arrow, number)
        elif not _IGNORED.match(line):
            raise self.assembler.fail(f"cannot read `{_shorten(line)}` as a PlantUML sequence statement", number,
                                      "check the arrow and the `:` before the label")

    # -- multi-line text -----------------------------------------------------------------------
    def _read_until(self, end: re.Pattern[str], opened: int, what: str, closer: str, starts: str = "eE"
                    ) -> list[str]:
        """The lines up to the one ``end`` matches, which starts with one of the characters ``starts`` (a cheap
        test first: most lines of a note are text)."""
        texts, position, count = self.texts, self.position, len(self.texts)
        collected: list[str] = []
        while position < count:
            text = texts[position].strip()
            position += 1
            if text[:1] in starts and end.match(text):
                self.position = position
                return collected
            collected.append(text)
        self.position = position
        raise self.assembler.fail(f"{what} opened here is never closed", opened, f"add `{closer}`")

    def _teoz_span(self, match: re.Match[str], number: int) -> None:
        """A teoz timing span (`{start} <-> {end} : 2 s`): drawn, but no message."""

    def _braced(self, match: re.Match[str], number: int) -> None:
        """`skinparam sequence {`, `style ... {`, `sprite $x {`: skipped to its closing brace."""
        depth = 1
        while self.position < len(self.texts):
            text = self.texts[self.position]
            self.position += 1
            depth += text.count("{") - text.count("}")
            if depth <= 0:
                return
        raise self.assembler.fail("`{` block opened here is never closed", number, "add `}`")

    def _style_block(self, match: re.Match[str], number: int) -> None:
        self._read_until(_STYLE_CLOSE, number, "<style>", "</style>", "<")

    def _function(self, match: re.Match[str], number: int) -> None:
        """A preprocessor function or procedure body the preprocessor left as written: skipped."""
        word = match.group("function_word").lower()
        end = _FUNCTION_END.get(word) or re.compile(rf"^!end{word}\b", _I)  # (non-ASCII spelling: its own)
        self._read_until(end, number, f"!{word}", f"!end{word}", "!")

    def _furniture(self, match: re.Match[str], number: int) -> None:
        """A `title`, `header`, `footer`, `legend` or `caption` block: the title is kept, the rest skipped."""
        word = match.group("furniture_word").lower()
        end = _FURNITURE_END.get(word) or re.compile(rf"^end\s*{word}\s*$", _I)  # (non-ASCII spelling: its own)
        text = self._read_until(end, number, word, f"end {word}")
        if word == "title":
            self.assembler.title = "\n".join(plantuml_text(t) for t in text)

    # -- statements ----------------------------------------------------------------------------
    def _title(self, match: re.Match[str], number: int) -> None:
        self.assembler.title = plantuml_text(match.group("title_text"))

    def _declare(self, match: re.Match[str], number: int) -> None:
        tail = match.group("declare_tail")
        if tail and not _DECLARE_TAIL.match(tail):  # (it matches an empty tail)
            raise self.assembler.fail(f"unexpected `{_shorten(tail.strip())}` after the participant", number,
                                      'write `participant "Label" as Name` or `participant Name`')
        first, second = match.group("declare_a"), match.group("declare_b")
        if second is None:
            name, label = unquote(first), unquote(first)
        elif second.startswith('"') and not first.startswith('"'):
            name, label = first, unquote(second)
        else:
            name, label = unquote(second), unquote(first)
        kind = _KINDS[match.group("declare_kind").lower()]
        participant = self.assembler.declare(name, kind, number, plantuml_text(label), labelled=second is not None)
        if match.group("declare_create") or "**" in tail:
            self.assembler.pending_create.add(participant)

    def _create(self, match: re.Match[str], number: int) -> None:
        name = unquote(match.group("create_name"))
        self.assembler.pending_create.add(self.assembler.resolve(name, number, "create"))

    def _box(self, match: re.Match[str], number: int) -> None:
        parts = _BOX_TITLE.match(match.group("box_rest").strip())
        title = parts.group("title") if parts else ""
        color = parts.group("color") if parts else None
        self.assembler.open_box(plantuml_text(unquote(title)), plantuml_color(color) if color else None, number,
                                nested=True)

    def _end_box(self, match: re.Match[str], number: int) -> None:
        self.assembler.close_box(number)

    def _targets(self, head: str, number: int, statement: str) -> tuple[str, ...]:
        head = (_COLOR.sub("", head) if "#" in head else head).strip()
        names = [unquote(part) for part in head.split(",") if part.strip()]
        if not names:
            raise self.assembler.fail("this needs at least one participant", number, "name it after `over`/`of`")
        ids, resolve = self.assembler.id_by_name, self.assembler.resolve  # most names are known: a look-up
        return tuple([ids.get(name) or resolve(name, number, statement) for name in names])

    def _note(self, match: re.Match[str], number: int) -> None:
        head, text = _split_text(match.group("note_rest"))
        if text is None:
            text = "\n".join(self._read_until(_NOTE_END, number, "note", "end note"))
        where = _BLANKS.sub(" ", match.group("note_where").lower())
        position = _NOTE_POSITIONS.get(where, _OVER)
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
        head, text = _split_text(match.group("ref_rest"))
        if text is None:
            text = "\n".join(self._read_until(_REF_END, number, "ref", "end ref"))
        self.assembler.add(Reference(self._targets(head, number, "ref"), plantuml_text(text),
                                     self.assembler.loc(number)))

    def _group(self, match: re.Match[str], number: int) -> None:
        keyword = match.group("group_kw").lower()
        rest = match.group("group_rest")
        guard = plantuml_text(_GUARD_COLORS.sub("", rest) if "#" in rest else rest)  # plantuml_text strips blanks
        if keyword == "else":
            self.assembler.next_branch(guard, "else", number, None)
        else:
            self.assembler.open_fragment(_FRAGMENT_KINDS[keyword], guard, keyword, number)

    def _end(self, match: re.Match[str], number: int) -> None:
        self.assembler.close_block(number)

    def _divider(self, match: re.Match[str], number: int) -> None:
        self.assembler.add(Divider(plantuml_text(match.group("divider_text")), self.assembler.loc(number)))

    def _delay(self, match: re.Match[str], number: int) -> None:
        self.assembler.add(Delay(plantuml_text(match.group("delay_text") or ""), self.assembler.loc(number)))

    def _space(self, match: re.Match[str], number: int) -> None:
        pixels = match.group("space_pixels")
        self.assembler.add(Space(int(pixels) if pixels else None, self.assembler.loc(number)))

    def _lifeline(self, match: re.Match[str], number: int) -> None:
        assembler = self.assembler
        verb = match.group("lifeline_verb").lower()
        name = match.group("lifeline_name")
        name = name[1:-1] if name[0] == '"' else name  # a NAME token has no blank around it: unquoting is a slice
        participant = assembler.id_by_name.get(name) or assembler.resolve(name, number, verb)
        if verb == "destroy":
            if not assembler.retype_last_message_to(participant, Kind.DESTROY):
                assembler.destruction(participant, number)
        else:
            assembler.activation(participant, verb == "activate", number)

    def _return(self, match: re.Match[str], number: int) -> None:
        callee, caller, request, ends_activation = self.assembler.pop_return(number)
        label = plantuml_text(match.group("return_label") or "")
        if callee == caller:
            self.assembler.message(Kind.SELF, callee, caller, label, number, deactivate=ends_activation,
                                   returned=True, drawn=Drawn(Style.OTHER, returns=True))
            return
        # Returning from a create or a send answers no call: keep the arrow, without reply pairing.
        kind = Kind.REPLY if request is not None else Kind.ASYNC
        self.assembler.replies_drawn |= kind is Kind.REPLY
        self.assembler.message(kind, callee, caller, label, number, deactivate=ends_activation, reply_to=request,
                               returned=True, drawn=Drawn(Style.REPLY if request is not None else Style.OTHER,
                                                          returns=request is not None))

    def _autoactivate(self, match: re.Match[str], number: int) -> None:
        self.autoactivate = match.group("autoactivate_state").lower() == "on"

    def _autonumber(self, match: re.Match[str], number: int) -> None:
        words = match.group("autonumber_rest").split()
        if self.assembler.autonumber is not None or (words and words[0].lower() in ("stop", "resume", "inc", "off")):
            return
        start = int(words[0]) if words and words[0].isdigit() else 1
        step = int(words[1]) if len(words) > 1 and words[1].isdigit() else 1
        self.assembler.autonumber = Autonumber(start, step)

    def _message(self, arrow: Arrow, number: int) -> None:
        assembler = self.assembler
        first, second, label, marked, drawn, dashed, bidirectional, activate, deactivate = arrow
        ids = assembler.id_by_name  # most ends are known already: a look-up instead of a call
        sender = None if first is None else ids.get(first) or assembler.resolve(first, number)
        receiver = None if second is None else ids.get(second) or assembler.resolve(second, number)
        # Its ends say what it is first (from or to the edge: found or lost; to itself: a self-message), then its
        # marks; lost, found and destroying arrows are never paired, however drawn.
        if sender is None:
            if receiver is None:
                raise assembler.fail("an arrow needs a participant at one end at least", number)
            kind, drawn = Kind.FOUND, DRAWN_OTHER
        elif receiver is None:
            kind, drawn = Kind.LOST, DRAWN_OTHER
        elif sender == receiver:
            kind = Kind.SELF
        else:
            kind = marked
            if kind is Kind.LOST or kind is Kind.DESTROY:
                drawn = DRAWN_OTHER
        if activate and deactivate:
            drawn = Drawn(drawn.style, handoff=True)
        # Under `autoactivate on`, PlantUML ends the sender's activation on every dashed arrow it sends while
        # active, whoever receives it (and starts none): `B --> A` after `A -> B` is the return.
        deactivate = deactivate or (self.autoactivate and dashed and assembler.is_active(sender))
        # An arrow back to the caller that ends the activation its call started is the return (`--++` hands
        # control on instead: it starts the caller's own activation).
        returned = kind is Kind.REQUEST and deactivate and not activate and assembler.ends_call_from(sender, receiver)
        if returned:
            drawn = Drawn(drawn.style, returns=True)
            kind = Kind.REPLY  # back to the caller, ending the activation its call started: a return
        if kind is Kind.REPLY and not assembler.answers_open_call(sender, receiver):
            kind = Kind.ASYNC  # a dashed arrow that answers no open call is a dashed one-way message
        if kind is Kind.REPLY and (returned or assembler.answers_innermost_call(sender, receiver)):
            assembler.replies_drawn = True  # the author draws replies: one answers the call being served
        auto = self.autoactivate and kind in (Kind.REQUEST, Kind.SELF, Kind.CREATE)
        assembler.message(kind, sender, receiver, label, number,
                          activate=activate or auto, deactivate=deactivate, drawn=drawn)
        if bidirectional and kind is Kind.REQUEST:
            assembler.message(Kind.REPLY, receiver, sender, "", number,
                              drawn=Drawn(Style.REPLY, answered_in_place=True))


_Handler = Callable[[_Parser, re.Match[str], int], None]
# The reader of each statement in _STATEMENTS, by its name (the arrow is read by _Parser._arrow).
_HANDLERS: dict[str | None, _Handler] = {
    "teoz_span": _Parser._teoz_span, "braced": _Parser._braced, "style_block": _Parser._style_block,
    "function": _Parser._function, "furniture": _Parser._furniture, "title": _Parser._title,
    "declare": _Parser._declare, "create": _Parser._create, "end_box": _Parser._end_box, "box": _Parser._box,
    "note": _Parser._note, "ref": _Parser._ref, "group": _Parser._group, "end": _Parser._end,
    "divider": _Parser._divider, "delay": _Parser._delay, "space": _Parser._space, "lifeline": _Parser._lifeline,
    "return": _Parser._return, "autoactivate": _Parser._autoactivate, "autonumber": _Parser._autonumber,
}


def _split_text(rest: str) -> tuple[str, str | None]:
    """``A, B #color : text`` into the head and the text after the first colon outside quotes."""
    if '"' not in rest:  # no quotes (most notes): the first colon, found without a step per character
        head, colon, text = rest.partition(":")
        return (head, text) if colon else (rest, None)
    in_quotes = False
    for index, char in enumerate(rest):
        if char == '"':
            in_quotes = not in_quotes
        elif char == ":" and not in_quotes:
            return rest[:index], rest[index + 1:]
    return rest, None


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
