"""The part of PlantUML's preprocessor that decides what a sequence diagram says, expanded before it is read.

Expanded: ``!include`` of a file inside the project (a relative path, resolved from the including
file, that stays under the include root — never a URL, an absolute path or a standard-library
``<name>``), ``!define`` constants and macros, ``!$variable = value``, simple ``!procedure`` and
``!function`` (a body of lines, or one ``!return``), and ``!if``/``!ifdef``/``!ifndef``/``!elseif``/
``!else``/``!endif`` on defined names, variables, numbers and string comparisons. Everything else
(a condition that calls built-in functions, ``!while``, ``!foreach``, ``!includeurl``...) is left
as written: its lines are read once (a conditional: its first arm) and the first such directive is
recorded, so the checker can say once that the diagram was checked as written.

Every produced line keeps the line number of the directive or line it came from in the original
text, so findings point at what the author wrote. Nothing here runs code, reads a file outside the
include root, or touches the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

MAX_INCLUDE_DEPTH = 8
MAX_INCLUDE_BYTES = 1_000_000
MAX_EXPANSIONS = 10_000  # macro calls expanded per diagram; nesting stops at twice the include depth

_I = re.IGNORECASE
_DIRECTIVE = re.compile(r"^!\s*(?P<word>[a-z_]+)\b\s*(?P<rest>.*)$", _I)
_DEFINE = re.compile(r"^(?P<name>[A-Za-z_$][\w$]*)(?:\((?P<args>[^)]*)\))?\s*(?P<body>.*)$")
_ASSIGN = re.compile(r"^!\s*(?:(?:local|global)\s+)?(?P<name>\$\w+)\s*(?P<op>\?=|=)\s*(?P<value>.*)$", _I)
_PROC = re.compile(r"^!\s*(?:unquoted\s+)?(?P<kind>procedure|function)\s+(?P<name>\$?\w+)\s*\((?P<args>[^)]*)\)\s*$",
                   _I)
_IGNORED = {"pragma", "theme", "assert", "log", "dump_memory", "startsub", "endsub", "option"}


@dataclass
class Expanded:
    """The diagram's lines after preprocessing: text and the original line number of each."""

    texts: list[str] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    unexpanded_line: int | None = None  # the first directive left as written

    def add(self, text: str, number: int) -> None:
        self.texts.append(text)
        self.numbers.append(number)

    def left_as_written(self, number: int) -> None:
        if self.unexpanded_line is None:
            self.unexpanded_line = number


@dataclass
class _Macro:
    params: list[str]
    body: list[str]  # lines (a procedure) or one expression (a function or a !define)
    function: bool = False


class Preprocessor:
    def __init__(self, including_file: Path | None, include_root: Path | None) -> None:
        self.including_file = including_file
        self.include_root = include_root.resolve() if include_root is not None else None
        self.constants: dict[str, str] = {}
        self.macros: dict[str, _Macro] = {}
        self.expansions = 0

    # -- entry --------------------------------------------------------------------------------------
    def run(self, lines: list[tuple[str, int]]) -> Expanded:
        out = Expanded()
        self._lines(lines, out, depth=0, base=self.including_file)
        return out

    def _lines(self, lines: list[tuple[str, int]], out: Expanded, depth: int, base: Path | None) -> None:
        conditions: list[tuple[bool, bool]] = []  # (this arm is read, an earlier arm was read)
        index = 0
        while index < len(lines):
            text, number = lines[index]
            index += 1
            stripped = text.strip()
            active = all(read for read, _ in conditions)
            directive = _DIRECTIVE.match(stripped) if stripped.startswith("!") else None
            word = directive.group("word").lower() if directive else ""
            if word in ("if", "ifdef", "ifndef"):
                value = self._condition(word, directive.group("rest") if directive else "", number, out) \
                    if active else False
                conditions.append((value and active, value))
                continue
            if word in ("elseif", "else", "endif") and conditions:
                _, taken = conditions.pop()
                if word == "elseif":
                    value = not taken and self._condition("if", directive.group("rest") if directive else "", number,
                                                          out)
                    conditions.append((value, taken or value))
                elif word == "else":
                    conditions.append((not taken, True))
                continue
            if not active:
                continue
            if stripped.startswith("!"):
                index = self._directive(stripped, number, lines, index, out, depth, base)
                continue
            self._line(text, number, out, depth, base)

    # -- directives ---------------------------------------------------------------------------------
    def _directive(self, stripped: str, number: int, lines: list[tuple[str, int]], index: int, out: Expanded,
                   depth: int, base: Path | None) -> int:
        assign = _ASSIGN.match(stripped)
        if assign:
            if assign.group("op") == "=" or assign.group("name") not in self.constants:
                self.constants[assign.group("name")] = _unquote(self._substitute(assign.group("value").strip()))
            return index
        procedure = _PROC.match(stripped)
        if procedure:
            return self._collect_procedure(procedure, lines, index, number, out)
        directive = _DIRECTIVE.match(stripped)
        word = directive.group("word").lower() if directive else ""
        rest = directive.group("rest").strip() if directive else ""
        if word == "define":
            self._define(rest)
        elif word == "undef":
            self.constants.pop(rest.strip(), None)
            self.macros.pop(rest.strip(), None)
        elif word == "include":
            self._include(rest, number, out, depth, base)
        elif word in _IGNORED:
            out.add(stripped, number)  # the importer skips these as it always did
        else:
            out.left_as_written(number)  # !while, !foreach, !includeurl, !import ...: read as written
        return index

    def _define(self, rest: str) -> None:
        match = _DEFINE.match(rest)
        if match is None:
            return
        name, args, body = match.group("name"), match.group("args"), match.group("body")
        if args is None:
            self.constants[name] = body
        else:
            self.macros[name] = _Macro([a.strip() for a in args.split(",") if a.strip()], [body], function=True)

    def _collect_procedure(self, match: re.Match[str], lines: list[tuple[str, int]], index: int, number: int,
                           out: Expanded) -> int:
        kind = match.group("kind").lower()
        end = re.compile(rf"^!\s*end{kind}\b", _I)
        body: list[str] = []
        while index < len(lines) and not end.match(lines[index][0].strip()):
            body.append(lines[index][0])
            index += 1
        params = [p.split("=")[0].strip() for p in match.group("args").split(",") if p.strip()]
        if kind == "function":
            returns = [line.strip() for line in body if line.strip().lower().startswith("!return")]
            if len(returns) != 1 or len([line for line in body if line.strip()]) != 1:
                out.left_as_written(number)  # a function with logic: its calls stay as written
                return index + 1
            body = [returns[0][len("!return"):].strip()]
        self.macros[match.group("name")] = _Macro(params, body, function=kind == "function")
        return index + 1

    def _include(self, rest: str, number: int, out: Expanded, depth: int, base: Path | None) -> None:
        target = rest.strip().strip('"')
        if "!" in target:  # `file.puml!2`, `file.puml!name`: one diagram of a multi-diagram file
            target = target.split("!", 1)[0]
        path = self._resolve(target, base)
        if path is None or depth >= MAX_INCLUDE_DEPTH:
            out.left_as_written(number)
            return
        try:
            data = path.read_bytes()[:MAX_INCLUDE_BYTES + 1]
        except OSError:
            out.left_as_written(number)
            return
        if len(data) > MAX_INCLUDE_BYTES:
            out.left_as_written(number)
            return
        text = data.decode("utf-8", errors="replace")
        included = _between_start_and_end(text.splitlines())
        self._lines([(line, number) for line in included], out, depth + 1, path)

    def _resolve(self, target: str, base: Path | None) -> Path | None:
        """The file a relative ``!include`` names, if it lies inside the include root; else None."""
        if self.include_root is None or base is None or not target or target.startswith("<") \
                or re.match(r"^[a-z][a-z0-9+.-]*:", target, _I) or Path(target).is_absolute():
            return None
        candidate = (base.parent / target).resolve()
        if not candidate.is_relative_to(self.include_root) or not candidate.is_file():
            return None
        return candidate

    def _condition(self, word: str, rest: str, number: int, out: Expanded) -> bool:
        rest = rest.strip()
        if word in ("ifdef", "ifndef"):
            defined = rest in self.constants or rest in self.macros
            return defined if word == "ifdef" else not defined
        value = _evaluate(self._substitute(rest), self.constants)
        if value is None:
            out.left_as_written(number)
            return True  # unknown: read the first arm
        return value

    # -- ordinary lines -----------------------------------------------------------------------------
    def _line(self, text: str, number: int, out: Expanded, depth: int, base: Path | None) -> None:
        stripped = text.strip()
        call = re.match(r"^(?P<name>\$?\w+)\s*\((?P<args>.*)\)\s*$", stripped)
        macro = self.macros.get(call.group("name")) if call else None
        if call is not None and macro is not None and not macro.function and self.expansions < MAX_EXPANSIONS \
                and depth < MAX_INCLUDE_DEPTH * 2:
            self.expansions += 1
            values = _split_args(call.group("args"))
            body = [_bind(line, macro.params, values) for line in macro.body]
            self._lines([(line, number) for line in body], out, depth + 1, base)
            return
        out.add(self._substitute(text), number)

    def _substitute(self, text: str) -> str:
        if not self.constants and not self.macros:
            return text
        for _ in range(8):  # a constant may name another one; a few rounds settle it
            before = text
            for name, macro in self.macros.items():
                if macro.function and name in text and self.expansions < MAX_EXPANSIONS:
                    text = self._call_functions(text, name, macro)
            for name, value in self.constants.items():
                if name in text:
                    text = _replace_word(text, name, value, "$")
            if text == before:
                break
        return text

    def _call_functions(self, text: str, name: str, macro: _Macro) -> str:
        def one(match: re.Match[str]) -> str:
            self.expansions += 1
            return _concatenated(_bind(macro.body[0], macro.params, _split_args(match.group("args"))))

        return re.sub(rf"(?<![\w$]){re.escape(name)}\s*\((?P<args>[^()]*)\)", one, text)


def _between_start_and_end(lines: list[str]) -> list[str]:
    starts = [i for i, line in enumerate(lines) if line.strip().lower().startswith("@start")]
    if not starts:
        return lines
    ends = [i for i, line in enumerate(lines) if line.strip().lower().startswith("@end") and i > starts[0]]
    return lines[starts[0] + 1:ends[0] if ends else len(lines)]


def _split_args(text: str) -> list[str]:
    parts, depth, current, quoted = [], 0, "", False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == "," and depth == 0 and not quoted:
            parts.append(current.strip())
            current = ""
            continue
        depth += char == "(" and not quoted
        depth -= char == ")" and not quoted
        current += char
    if current.strip() or parts:
        parts.append(current.strip())
    return parts


def _bind(text: str, params: list[str], values: list[str]) -> str:
    for param, value in zip(params, values, strict=False):
        text = _replace_word(text, param, _unquote(value), "")
    return text


def _unquote(text: str) -> str:
    text = text.strip()
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def _evaluate(expression: str, constants: dict[str, str]) -> bool | None:
    """A preprocessor condition: numbers, quoted strings, `==`/`!=`, `%true()`/`%false()`, `&&`, `||`, `!`;
    None when it needs anything else (built-in functions, arithmetic)."""
    text = expression.strip()
    if text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        text = text[1:-1].strip()
    for operator, combine in (("||", any), ("&&", all)):
        if operator in text:
            parts = [_evaluate(part, constants) for part in text.split(operator)]
            return None if any(part is None for part in parts) else combine(parts)
    if text.startswith("!") and not text.startswith("!="):
        inner = _evaluate(text[1:], constants)
        return None if inner is None else not inner
    low = text.lower()
    if low in ("%true()", "true"):
        return True
    if low in ("%false()", "false"):
        return False
    match = re.match(r'^(?P<a>"[^"]*"|[\w.-]+)\s*(?P<op>==|!=)\s*(?P<b>"[^"]*"|[\w.-]+)$', text)
    if match:
        equal = _unquote(match.group("a")) == _unquote(match.group("b"))
        return equal if match.group("op") == "==" else not equal
    if re.fullmatch(r"-?\d+", text):
        return int(text) != 0
    if re.fullmatch(r'"[^"]*"', text):
        return bool(_unquote(text))
    return None


def _replace_word(text: str, name: str, value: str, also_before: str) -> str:
    """``name`` replaced by ``value`` wherever it stands as a whole word (``value`` taken literally)."""
    pattern = re.compile(rf"(?<![\w{re.escape(also_before)}]){re.escape(name)}(?!\w)")
    return pattern.sub(lambda _: value, text)


def _concatenated(expression: str) -> str:
    """A function's return value: ``"a" + $x + "b"`` joined (quotes removed), anything else as written."""
    parts, current, quoted = [], "", False
    for char in expression:
        if char == '"':
            quoted = not quoted
        if char == "+" and not quoted:
            parts.append(current)
            current = ""
            continue
        current += char
    parts.append(current)
    return "".join(_unquote(part) for part in parts)
