"""Score the validator on the seeded-defect corpus: caught, at the right line, one finding per mistake, no false alarm.

Each case in ``expected.tsv`` holds one mistake (the rule code it breaks and its line) or none (``-``, the
correct twin). A case is checked the way ``diagram-dsl check`` checks it: a DSL flow is loaded and validated
with its metadata (a load error is SEQ000, or the rule a DSL misuse breaks); a hand-written diagram is
imported and read under its own conventions. Errors and warnings count; info notes do not (they are not in
the default output).

    python tests/seeded/scorer.py          # prints the table; exit 1 unless every case is right
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
LANGUAGES = ("dsl", "plantuml", "mermaid")


@dataclass(frozen=True)
class Case:
    path: Path
    language: str
    code: str | None  # None for a correct twin
    line: int


@dataclass(frozen=True)
class Outcome:
    case: Case
    found: tuple[tuple[str, int], ...]  # (code, line) of every error and warning

    @property
    def caught(self) -> bool:
        return any(code == self.case.code for code, _ in self.found)

    @property
    def right_line(self) -> bool:
        return (self.case.code, self.case.line) in self.found

    @property
    def single(self) -> bool:
        return len(self.found) == 1

    @property
    def clean(self) -> bool:
        return not self.found


def cases() -> Iterator[Case]:
    for raw in (HERE / "expected.tsv").read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        file, code, line = raw.split("\t")
        yield Case(HERE / file, file.split("/")[0], None if code == "-" else code, int(line))


def findings(case: Case) -> tuple[tuple[str, int], ...]:
    from diagram_dsl.checks.diagrams import validate_imported
    from diagram_dsl.errors import DiagramDslError
    from diagram_dsl.importers.discover import load_diagrams
    from diagram_dsl.validate import Severity, validate

    found: list[tuple[str, int]] = []
    if case.language == "dsl":
        from diagram_dsl.catalog import load_flow_file

        try:
            model = load_flow_file(case.path).model
        except DiagramDslError as error:
            code = getattr(error, "code", "SEQ000")  # a DSL misuse names the rule it breaks (SEQ100, SEQ130...)
            return ((code, error.location.line if error.location else 1),)
        results = validate(model.diagram, model.metadata)
        found = [(f.code, f.location.line) for f in results if f.severity is not Severity.INFO]
    else:
        for item in load_diagrams(case.path):
            if item.diagram is None:
                found.append(("IMP001", item.error.location.line if item.error and item.error.location else 1))
                continue
            found += [(f.code, f.location.line) for f in validate_imported(item) if f.severity is not Severity.INFO]
    return tuple(sorted(found))


def score() -> list[Outcome]:
    return [Outcome(case, findings(case)) for case in cases()]


def table(outcomes: list[Outcome]) -> str:
    lines = [f"{'set':10} {'mistakes':>8} {'caught':>7} {'right line':>10} {'one finding':>11} {'correct':>8} "
             f"{'false alarms':>12}"]
    for language in (*LANGUAGES, "all"):
        chosen = [o for o in outcomes if language in ("all", o.case.language)]
        mistakes = [o for o in chosen if o.case.code is not None]
        twins = [o for o in chosen if o.case.code is None]
        lines.append(f"{language:10} {len(mistakes):>8} {sum(o.caught for o in mistakes):>7} "
                     f"{sum(o.right_line for o in mistakes):>10} {sum(o.single for o in mistakes):>11} "
                     f"{len(twins):>8} {sum(not o.clean for o in twins):>12}")
    return "\n".join(lines)


def problems(outcomes: list[Outcome]) -> list[str]:
    """Every case not scored perfectly, with what was found instead."""
    wrong = []
    for outcome in outcomes:
        case = outcome.case
        where = case.path.relative_to(HERE).as_posix()
        if case.code is None and not outcome.clean:
            wrong.append(f"{where}: correct, but found {list(outcome.found)}")
        elif case.code is not None and not (outcome.right_line and outcome.single):
            wrong.append(f"{where}: expected {case.code} at line {case.line}, found {list(outcome.found)}")
    return wrong


def main() -> int:
    outcomes = score()
    print(table(outcomes))
    wrong = problems(outcomes)
    for problem in wrong:
        print(f"  {problem}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
