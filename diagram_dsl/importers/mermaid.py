"""Mermaid ``sequenceDiagram`` text into the model.

Arrow meaning follows Mermaid's documentation: ``->>`` (solid, arrowhead) is a call, ``-->>``
(dotted, arrowhead) a reply, ``-)``/``--)`` an asynchronous send, ``-x``/``--x`` a lost message (or
the destroying message right after ``destroy X``), ``<<->>`` a call answered in the same arrow.
``->``/``-->`` draw a line with no arrowhead: no call/return meaning, so they import as
asynchronous sends and never trigger pairing findings. ``rect`` (a background colour) is ignored
on purpose: its messages belong to the enclosing block. Styling (frontmatter ``config``,
``%%{init}%%``), ``%%`` comments, ``link``/``links``/``properties``/``details`` and accessibility
text are ignored. Text that is not a sequence diagram (a flowchart, ...) yields no diagram.

Mermaid counts activations line by line, so an ``activate X`` written at the start of an ``else``
branch (or after a ``break``) only to undo what the previous branch ended is dropped: in the model
every branch starts from the state before the block. Notes that stand for a divider, delay, ref,
found message or group are read back as those (see ``mermaid_notes``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from diagram_dsl.importers.assembly import Assembler
from diagram_dsl.importers.facts import ArrowStyle, Drawn
from diagram_dsl.importers.members import Kind, Style
from diagram_dsl.importers.mermaid_notes import GROUP_SHADE, SPACE_COMMENT, note_meaning
from diagram_dsl.importers.result import ImportedDiagram, ImportFailure, TooDeep
from diagram_dsl.importers.text import CSS_COLORS, css_rgb_to_hex, mermaid_text, split_mermaid_statements
from diagram_dsl.model import (
    Autonumber,
    Delay,
    Destruction,
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

LANGUAGE = "mermaid"
_I = re.IGNORECASE
_HEADER = re.compile(r"^sequenceDiagram\b\s*(?P<rest>.*)$", _I)
_DECLARE = re.compile(r"^(?:(?P<create>create)\s+)?(?P<kind>participant|actor)\s+(?P<name>.+?)"
                      r"(?:@\{(?P<meta>[^}]*)\})?(?:\s+as\s+(?P<label>.*))?$", _I)
_DESTROY = re.compile(r"^destroy\s+(?P<name>.+)$", _I)
_BOX = re.compile(r"^box(?:\s+(?P<rest>.*))?$", _I)
_AUTONUMBER = re.compile(r"^autonumber(?:\s+(?P<start>\d+))?(?:\s+(?P<step>\d+))?\s*$", _I)
_AUTONUMBER_OFF = re.compile(r"^autonumber\s+off\s*$", _I)
_TITLE = re.compile(r"^title(?:\s*:\s*|\s+)(?P<text>.+)$", _I)
_NOTE = re.compile(r"^note\s+(?P<where>left\s+of|right\s+of|over)\s+(?P<targets>[^:]+?)\s*:(?P<text>.*)$", _I)
_LIFELINE = re.compile(r"^(?P<verb>activate|deactivate)\s+(?P<name>.+)$", _I)
_OPEN = re.compile(r"^(?P<kw>loop|alt|opt|par_over|par|critical|break|rect)\b\s*(?P<rest>.*)$", _I)
_BRANCH = re.compile(r"^(?P<kw>else|and|option)\b\s*(?P<rest>.*)$", _I)
_END = re.compile(r"^end\s*$", _I)
_IGNORED = re.compile(r"^(?:links?|properties|details)\s|^acc(?:Title|Descr)\s*:", _I)
# Mermaid v11 half-arrows: `-|\`, `-|/`, `-\\`, `-//` (and dotted `--…`) point at the receiver; the reversed
# forms `/|-`, `\|-`, `//-`, `\\-` (and `…--`) point back at the participant written first.
_HALF_ARROWS = ("--|\\", "--|/", "--\\\\", "--//", "/|--", "\\|--", "//--", "\\\\--",
                "-|\\", "-|/", "-\\\\", "-//", "/|-", "\\|-", "//-", "\\\\-")
# Every arrow, in the order the pattern tries them (a longer arrow before its own prefix).
_ARROWS = ("<<-->>", "<<->>", "-->>", "->>", *_HALF_ARROWS, "-->", "->", "--x", "-x", "--)", "-)")
# The sender is the shortest text an arrow can follow. Only a space, `(` or an arrow's first character can start
# what follows it, so the pattern tries only the ends before one of those (as `.+?` would, in the same order, but
# without testing the rest after every other character): `.` then runs free of them, each taken whole (`*+`).
_ARROW_LEAD = r"(?:[^\S\n]|[(\-</\\])"  # `.` never takes a newline: the sender does not either
_NOT_ARROW_LEAD = r"[^\s(\-</\\]"
_MESSAGE_HEAD = (rf"(?P<sender>.{_NOT_ARROW_LEAD}*+(?:{_ARROW_LEAD}{_NOT_ARROW_LEAD}*+)*?)"
                 r"\s*(?:\(\))?\s*(?=[-</\\])"  # an arrow starts here: skip the others
                 rf"(?P<arrow>{'|'.join(map(re.escape, _ARROWS))})\s*(?:\(\))?\s*(?P<activation>[+-]?)\s*")
_MESSAGE = re.compile(rf"^{_MESSAGE_HEAD}(?P<receiver>[^:]+?)\s*(?::(?P<text>.*))?$")
# The same match, found faster, for a message whose receiver starts right after the first head the pattern finds
# (most messages): the head taken whole, the receiver read greedily up to its last character before the `:`
# instead of one character at a time. Whenever it matches, _MESSAGE makes the same first choices and stops at
# the same (only) end of the receiver, so the groups are the same; when it does not, _MESSAGE is tried.
_PLAIN_MESSAGE = re.compile(rf"^(?>{_MESSAGE_HEAD})(?P<receiver>[^:\s](?:[^:]*[^:\s])?)\s*(?::(?P<text>.*))?$")
_MESSAGE_GROUPS = {"sender": 1, "arrow": 2, "activation": 3, "receiver": 4, "text": 5}  # read by match.groups()
assert _MESSAGE.groupindex == _PLAIN_MESSAGE.groupindex == _MESSAGE_GROUPS
# Every statement other than a message starts with one of these words (a prefix test, so it also lets through
# a message whose sender merely starts like one); a statement that does not is read as a message straight away.
_KEYWORDS = ("create", "participant", "actor", "destroy", "box", "autonumber", "title", "note", "activate",
             "deactivate", "loop", "alt", "opt", "par", "critical", "break", "rect", "else", "and", "option", "end",
             "link", "properties", "details", "acc")
_KEYWORD_START = re.compile(rf"^(?:{'|'.join(_KEYWORDS)})", _I)  # the same test for non-ASCII statements
_ACC_DESCRIPTION = re.compile(r"^accDescr\s*\{")
_FRAGMENT_KINDS = {"loop": FragmentKind.LOOP, "alt": FragmentKind.ALT, "opt": FragmentKind.OPT,
                   "par": FragmentKind.PAR, "par_over": FragmentKind.PAR, "critical": FragmentKind.CRITICAL,
                   "break": FragmentKind.BREAK}
_BRANCH_PARENTS = {"else": (FragmentKind.ALT,), "and": (FragmentKind.PAR,), "option": (FragmentKind.CRITICAL,)}
_TYPES = {kind.value: kind for kind in ParticipantKind}
_META_TYPE = re.compile(r"[\"']type[\"']\s*:\s*[\"'](?P<type>\w+)[\"']")
_META_ALIAS = re.compile(r"[\"']alias[\"']\s*:\s*[\"'](?P<alias>[^\"']*)[\"']")
_SPACES = re.compile(r"\s+")
# Enum members read once (on Python 3.11 reading one from its class is a descriptor call).
_ACTOR, _PARTICIPANT = ParticipantKind.ACTOR, ParticipantKind.PARTICIPANT
_OVER = NotePosition.OVER
_NOTE_POSITIONS = {"left of": NotePosition.LEFT, "right of": NotePosition.RIGHT}


def parse_mermaid(text: str, file: str, first_line: int = 1) -> list[ImportedDiagram]:
    """The sequence diagram in ``text`` (zero or one); line numbers start at ``first_line``."""
    parser = _Parser(text.splitlines(), file, first_line)
    try:
        diagram = parser.run()
    except ImportFailure as failure:
        origin = parser.origin or Location(file, first_line)
        return [ImportedDiagram(origin, LANGUAGE, None, failure, replies_drawn=False)]
    if diagram is None:
        return []
    facts = parser.assembler.facts()
    if not diagram.participants and not diagram.events and facts.skipped:  # nothing could be read
        first = facts.skipped[0]
        unreadable = ImportFailure(first.message, Location(file, first.line), first.hint)
        return [ImportedDiagram(diagram.location, LANGUAGE, None, unreadable, replies_drawn=False)]
    return [ImportedDiagram(diagram.location, LANGUAGE, diagram, None, parser.assembler.replies_drawn, facts)]


def import_mermaid(text: str, file: str = "<mermaid>") -> Diagram:
    """The sequence diagram in ``text``; raises ``ImportFailure``."""
    for result in parse_mermaid(text, file):
        if result.error is not None:
            raise result.error
        if result.facts.skipped:  # this API reads a diagram faithfully or not at all
            skipped = result.facts.skipped[0]
            raise ImportFailure(skipped.message, Location(file, skipped.line), skipped.hint)
        assert result.diagram is not None
        return result.diagram
    raise ImportFailure("no Mermaid sequenceDiagram found", Location(file, 1),
                        hint="start the text with `sequenceDiagram`")


class _Parser:
    def __init__(self, lines: list[str], file: str, first_line: int) -> None:
        self.lines = lines
        self.file = file
        self.first_line = first_line
        self.assembler = Assembler(file, LANGUAGE)
        self.origin: Location | None = None
        self.pending_destroy: dict[str, Destruction] = {}
        # Mermaid's own line-by-line activation counts (a plain dict: a Counter is slow to make and copy)
        self.linear_active: dict[str, int] = {}
        self.block_starts: list[tuple[str, dict[str, int]]] = []
        self.restore_to: dict[str, int] | None = None
        self.group_label_due = False

    def run(self) -> Diagram | None:
        lines, first_line = self.lines, self.first_line
        header_line: int | None = None
        in_directive = in_description = False
        statement_at = self._statement
        for index in range(self._skip_frontmatter(), len(lines)):
            stripped = lines[index].strip()
            if not stripped:
                continue  # a blank line changes nothing, not even inside a directive or a description
            number = first_line + index
            # Directives, comments and accessibility descriptions are rare: one test lets every other line by.
            if in_directive or in_description or stripped.startswith(("%%", "accDescr")):
                if in_directive or stripped.startswith("%%{"):
                    in_directive = "}%%" not in stripped
                    continue
                if in_description:
                    in_description = "}" not in stripped
                    continue
                space = SPACE_COMMENT.match(stripped) if stripped.startswith("%%") else None
                if space and header_line is not None:
                    pixels = space.group("pixels")
                    self.assembler.add(Space(int(pixels) if pixels else None, self.assembler.loc(number)))
                    continue
                if stripped.startswith("%%"):
                    continue
                if _ACC_DESCRIPTION.match(stripped) and "}" not in stripped:
                    in_description = True
                    continue
            # Most lines hold one statement, already stripped.
            statements = [part.strip() for part in split_mermaid_statements(stripped)] if ";" in stripped \
                else (stripped,)
            for statement in statements:
                if not statement:
                    continue
                if header_line is None:
                    header = _HEADER.match(statement)
                    if header is None:
                        return None  # a flowchart, a class diagram...: not ours, and not an error
                    header_line = number
                    self.origin = self.assembler.loc(number)
                    statement = header.group("rest").strip()
                    if not statement:
                        continue
                try:
                    statement_at(statement, number)
                except TooDeep:
                    raise
                except ImportFailure as failure:
                    # One statement that cannot be read is skipped, so the rest of the diagram is still checked.
                    self.assembler.skip_line(number, statement, failure)
        if header_line is None:
            return None
        return self.assembler.finish(header_line)

    def _skip_frontmatter(self) -> int:
        """``---`` YAML ``---`` before the header: only its top-level ``title:`` matters to the model."""
        if not self.lines or self.lines[0].strip() != "---":
            return 0
        for index in range(1, len(self.lines)):
            line = self.lines[index]
            if line.strip() == "---":
                return index + 1
            title = re.match(r"^title\s*:\s*(?P<text>.*)$", line)
            if title:
                self.assembler.title = mermaid_text(title.group("text").strip().strip("\"'"))
        raise self.assembler.fail("frontmatter opened here is never closed", self.first_line, "add `---`")

    def _statement(self, statement: str, number: int) -> None:
        if self.restore_to is not None:
            if self._restores(statement):
                return
            self.restore_to = None
        if self.group_label_due:
            self.group_label_due = False
            note = _NOTE.match(statement)
            if note is not None and note.group("where").lower() == "over":
                self.assembler.set_guard(mermaid_text(note.group("text")))
                return
        # Non-ASCII text gets no shortcut: an ignore-case pattern also matches letters like U+0131 or U+017F.
        if statement.isascii():
            handlers = _BY_FIRST_TWO.get(statement[:2].lower())
            if handlers is not None:  # a keyword's first two letters (most messages stop here)
                lowered = statement[:11].lower()
                for words, pattern, handler in handlers:
                    if lowered.startswith(words):
                        match = pattern.match(statement)
                        if match is not None:
                            handler(self, match, number)
                            return
            # Most statements are messages: only a keyword tries the others.
            match = _PLAIN_MESSAGE.match(statement) or _MESSAGE.match(statement)
            if match is not None:
                self._message(match, number)
                return
        elif self._reads_slowly(statement, number):
            return
        raise self.assembler.fail(f"cannot read `{_shorten(statement)}` as a Mermaid sequence statement", number,
                                  "check the arrow (->>, -->>, -), -x) and the `:` before the text")

    def _reads_slowly(self, statement: str, number: int) -> bool:
        """Every pattern in turn, for a statement with non-ASCII text; False when none reads it."""
        if not _KEYWORD_START.match(statement):
            match = _MESSAGE.match(statement)
            if match is not None:
                self._message(match, number)
                return True
        for _, pattern, handler in _HANDLERS:
            match = pattern.match(statement)
            if match is not None:
                handler(self, match, number)
                return True
        match = _MESSAGE.match(statement)
        if match is not None:
            self._message(match, number)
            return True
        return False

    def _restores(self, statement: str) -> bool:
        """An ``activate``/``deactivate`` that only brings Mermaid's counts back to the block's start."""
        match = _LIFELINE.match(statement)
        target = self.restore_to
        if match is None or target is None or not self.assembler.known(match.group("name").strip()):
            return False
        participant = self.assembler.resolve(match.group("name").strip(), 0)
        count, wanted = self.linear_active.get(participant, 0), target.get(participant, 0)
        if match.group("verb").lower() == "activate" and count < wanted:
            self.linear_active[participant] = count + 1
            return True
        if match.group("verb").lower() == "deactivate" and count > wanted:
            self.linear_active[participant] = count - 1
            return True
        return False

    def _ignore(self, match: re.Match[str], number: int) -> None:
        return None

    def _name(self, raw: str, number: int) -> str:
        name = raw.strip()
        if not name:
            raise self.assembler.fail("a participant name is missing", number)
        return name

    def _declare(self, match: re.Match[str], number: int) -> None:
        create, kind_word, raw_name, meta, label = match.group("create", "kind", "name", "meta", "label")
        name = self._name(raw_name, number)
        kind = _ACTOR if kind_word.lower() == "actor" else _PARTICIPANT
        if meta:  # `@{ "type": "database", "alias": "..." }`, rare: neither pattern can match an empty one
            declared_type = _META_TYPE.search(meta)
            if declared_type:
                kind = _TYPES.get(declared_type.group("type").lower(), kind)
            alias = _META_ALIAS.search(meta)
            if label is None and alias:
                label = alias.group("alias")
        text = mermaid_text(label) if label is not None and label.strip() else name
        participant = self.assembler.declare(name, kind, number, text, labelled=label is not None)
        if create:
            self.assembler.pending_create.add(participant)

    def _destroy(self, match: re.Match[str], number: int) -> None:
        """Mermaid names the participant first; the next message to or from it is where it ends."""
        participant = self.assembler.resolve(self._name(match.group("name"), number), number, "destroy")
        self.pending_destroy[participant] = self.assembler.destruction(participant, number)

    def _box(self, match: re.Match[str], number: int) -> None:
        rest = (match.group("rest") or "").strip()
        colour = re.match(r"^(?P<color>(?:rgba?|hsla?)\s*\([^)]*\)|\w+)\s*(?P<title>.*)$", rest)
        color, title = None, rest
        if colour and (colour.group("color").lower() in CSS_COLORS or "(" in colour.group("color")):
            color, title = css_rgb_to_hex(colour.group("color")), colour.group("title")
        if color is not None and color.lower() == "transparent":
            color = None  # Mermaid's way of saying "no colour"
        self.assembler.open_box(mermaid_text(title), color, number)

    def _autonumber(self, match: re.Match[str], number: int) -> None:
        if self.assembler.autonumber is None:
            start, step = match.group("start"), match.group("step")
            self.assembler.autonumber = Autonumber(int(start) if start else 1, int(step) if step else 1)

    def _title(self, match: re.Match[str], number: int) -> None:
        self.assembler.title = mermaid_text(match.group("text"))

    def _note(self, match: re.Match[str], number: int) -> None:
        assembler = self.assembler
        where_words, target_list, text = match.group("where", "targets", "text")
        where = _SPACES.sub(" ", where_words.lower())
        position = _NOTE_POSITIONS.get(where, _OVER)
        names = [self._name(part, number) for part in target_list.split(",")]
        if position is not _OVER and len(names) != 1:
            raise assembler.fail(f"`note {where}` takes one participant", number, "use `note over A,B`")
        targets = tuple([assembler.resolve(name, number, "note") for name in names])
        meaning = note_meaning(position, mermaid_text(text))
        location = assembler.loc(number)
        if meaning.kind == "note":
            assembler.add(Note(position, targets, meaning.text, location))
        elif meaning.kind == "found":
            assembler.message(Kind.FOUND, None, targets[0], meaning.text, number)
        elif meaning.kind == "divider":
            assembler.add(Divider(meaning.text, location))
        elif meaning.kind == "delay":
            assembler.add(Delay(meaning.text, location))
        else:
            assembler.add(Reference(targets, meaning.text, location))

    def _lifeline(self, match: re.Match[str], number: int) -> None:
        active = match.group("verb").lower() == "activate"
        participant = self.assembler.resolve(self._name(match.group("name"), number), number,
                                             "activate" if active else "deactivate")
        count = self.linear_active.get(participant, 0)
        self.linear_active[participant] = count + 1 if active else count - 1 if count > 0 else count
        self.assembler.activation(participant, active, number)

    def _open(self, match: re.Match[str], number: int) -> None:
        keyword = match.group("kw").lower()
        self.block_starts.append((keyword, dict(self.linear_active)))
        if keyword == "rect" and GROUP_SHADE.match(match.group("rest").strip()):
            self.assembler.open_fragment(FragmentKind.GROUP, "", "rect", number)  # our emitter's group
            self.group_label_due = True
        elif keyword == "rect":
            self.assembler.open_ignored_block("rect", number)
        else:
            self.assembler.open_fragment(_FRAGMENT_KINDS[keyword], mermaid_text(match.group("rest")), keyword, number)

    def _branch(self, match: re.Match[str], number: int) -> None:
        keyword = match.group("kw").lower()
        self.assembler.next_branch(mermaid_text(match.group("rest")), keyword, number, _BRANCH_PARENTS[keyword])
        if keyword != "and" and self.block_starts:
            self.restore_to = self.block_starts[-1][1]

    def _end(self, match: re.Match[str], number: int) -> None:
        if self.assembler.box_open and self.assembler.open_block_keyword() is None:
            self.assembler.close_box(number)
            return
        self.assembler.close_block(number)
        keyword, at_start = self.block_starts.pop()
        if keyword == "break":
            self.restore_to = at_start  # after a break the flow goes on as if its body had not run

    def _message(self, match: re.Match[str], number: int) -> None:
        assembler = self.assembler
        first, arrow, activation, second, text = match.groups()  # in _MESSAGE_GROUPS' order
        if arrow in _REVERSED_HALF_ARROWS:
            first, second = second, first  # the head is drawn at the participant written first
        # Most ends are known already: a look-up instead of a resolve call (`_name` only to raise: a name that
        # strips to nothing is missing).
        ids = assembler.id_by_name
        first, second = first.strip(), second.strip()
        sender = ids.get(first) or assembler.resolve(first or self._name(first, number), number)
        receiver: str | None = ids.get(second) or assembler.resolve(second or self._name(second, number), number)
        # Most labels hold neither a break nor an entity code: mermaid_text's own shortcut, without the call.
        label = "" if not text else text.strip() if "<" not in text and "#" not in text else mermaid_text(text)
        kind = _ARROW_KINDS[arrow]
        if sender == receiver:
            if kind is Kind.LOST:
                receiver = None  # a crossed arrow to oneself: lost, going nowhere
            else:
                kind = Kind.SELF
        deactivate = activation == "-"
        drawn = _ARROW_DRAWN[arrow]
        returned = kind is Kind.REQUEST and deactivate and assembler.ends_call_from(sender, receiver)
        if returned:
            drawn = Drawn(drawn.style, returns=True)
            kind = Kind.REPLY  # back to the caller, ending the activation its call started: a return
        if kind is Kind.REPLY and not assembler.answers_open_call(sender, receiver):
            kind = Kind.ASYNC  # a dotted arrow that answers no open call is a dotted one-way message
        if kind is Kind.REPLY and (returned or assembler.answers_innermost_call(sender, receiver)):
            assembler.replies_drawn = True  # the author draws replies: one answers the call being served
        pending_destroy = self.pending_destroy  # empty in most diagrams
        destroyed = pending_destroy.get(receiver) if pending_destroy and receiver is not None \
            and receiver != sender else None
        if destroyed is not None and assembler.remove_event(destroyed):
            del pending_destroy[destroyed.participant]
            kind = Kind.DESTROY
        assembler.message(kind, sender, receiver, label, number,
                          activate=activation == "+", deactivate=deactivate, drawn=drawn)
        if activation == "+" and receiver is not None:
            self.linear_active[receiver] = self.linear_active.get(receiver, 0) + 1
        elif activation == "-" and self.linear_active.get(sender, 0) > 0:
            self.linear_active[sender] -= 1
        if kind is Kind.REQUEST and arrow in _ANSWERED_IN_PLACE and receiver is not None:
            assembler.message(Kind.REPLY, receiver, sender, "", number,
                              drawn=Drawn(Style.REPLY, answered_in_place=True))
        ending = pending_destroy.pop(sender, None) if pending_destroy else None
        if ending is not None and assembler.remove_event(ending):
            assembler.destruction(sender, number)


_Handler = Callable[[_Parser, re.Match[str], int], None]
# Tried in this order (a message last); the first pattern that matches reads the statement. Each names the
# (lower-case) words a statement it matches starts with, so that an ASCII statement skips at once the patterns it
# cannot match.
_HANDLERS: tuple[tuple[tuple[str, ...], re.Pattern[str], _Handler], ...] = (
    (("create", "participant", "actor"), _DECLARE, _Parser._declare), (("destroy",), _DESTROY, _Parser._destroy),
    (("box",), _BOX, _Parser._box), (("autonumber",), _AUTONUMBER_OFF, _Parser._ignore),
    (("autonumber",), _AUTONUMBER, _Parser._autonumber), (("title",), _TITLE, _Parser._title),
    (("note",), _NOTE, _Parser._note), (("activate", "deactivate"), _LIFELINE, _Parser._lifeline),
    (("loop", "alt", "opt", "par", "critical", "break", "rect"), _OPEN, _Parser._open),
    (("else", "and", "option"), _BRANCH, _Parser._branch), (("end",), _END, _Parser._end),
    (("link", "properties", "details", "acc"), _IGNORED, _Parser._ignore),
)
# The handlers an ASCII statement can reach, by its first two (lower-case) characters, in the order above: one
# dictionary look-up instead of a prefix test per keyword (every keyword is longer than two characters).
_BY_FIRST_TWO = {start: tuple(h for h in _HANDLERS if any(word[:2] == start for word in h[0]))
                 for start in {word[:2] for words, _, _ in _HANDLERS for word in words}}
assert {word for words, _, _ in _HANDLERS for word in words} == set(_KEYWORDS)
assert all(len(word) > 2 for word in _KEYWORDS)

_ANSWERED_IN_PLACE = frozenset({"<<->>", "<<-->>"})  # a call and its reply in one arrow
_REVERSED_HALF_ARROWS = frozenset({"/|-", "\\|-", "//-", "\\\\-", "/|--", "\\|--", "//--", "\\\\--"})


def _message_kind(arrow: str, to_self: bool) -> MessageKind:
    if arrow.endswith("x"):
        return Kind.LOST
    if to_self:
        return Kind.SELF
    if arrow == "-->>":
        return Kind.REPLY
    if arrow in ("->>", "<<->>", "<<-->>"):
        return Kind.REQUEST
    return Kind.ASYNC  # -) --), the half-arrows and the arrowless -> -->


def _style(arrow: str, kind: MessageKind) -> ArrowStyle:
    """The arrow's documented meaning as drawn (half-arrows: one-way messages, as UML's half arrowheads are)."""
    if kind not in (Kind.REQUEST, Kind.REPLY, Kind.ASYNC, Kind.SELF, Kind.CREATE):
        return Style.OTHER
    if arrow == "-->>":
        return Style.REPLY
    if arrow in ("->>", "<<->>", "<<-->>"):
        return Style.CALL
    if arrow in ("->", "-->"):
        return Style.PLAIN
    return Style.ASYNC


# What each arrow is to another participant, and how it is drawn (the same to oneself): read once per arrow.
_ARROW_KINDS = {arrow: _message_kind(arrow, False) for arrow in _ARROWS}
_ARROW_DRAWN = {arrow: Drawn(_style(arrow, kind)) for arrow, kind in _ARROW_KINDS.items()}
assert all(_style(arrow, _message_kind(arrow, True)) is drawn.style for arrow, drawn in _ARROW_DRAWN.items())


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
