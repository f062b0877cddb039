"""Findings and the rule registry: every rule's stable code, severity, one-line summary and ``--explain`` text.

A ``Finding`` is what every rule returns: the code, its severity, the model
location of the element that caused it, a one-sentence message and — for the
path-aware rules — the path or branch on which it fails ("in alt branch
'card declined'"). Severities: ``error`` blocks a build, ``warning`` is waivable
per flow (``Flow(..., allow=["SEQ102"])``), ``info`` never fails a check.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from diagram_dsl.frozen import quick
from diagram_dsl.model import Location


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    summary: str
    explain: str


@quick  # one per problem found: see diagram_dsl.frozen
@dataclass(frozen=True, order=True)
class Finding:
    """One problem found in a flow; ``path`` names the branch or path that fails, "" when it is not path-specific;
    ``hint`` names the fix in the source's own language when there is one (``diagram_dsl.validate.hints``)."""

    location: Location
    code: str
    severity: Severity
    message: str
    path: str = ""
    hint: str = ""

    @property
    def text(self) -> str:
        """The message with its path and fix: ``activation of B ... is never ended; fix: flow.deactivate(...)``."""
        text = f"{self.message} {self.path}" if self.path else self.message
        return f"{text}; fix: {self.hint}" if self.hint else text

    def __str__(self) -> str:
        return f"{self.location}: {self.severity.value} {self.code} {self.text}"


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

_RULE_LIST = (
    Rule("SEQ000", _E, "the flow's source module could not be loaded",
         "The module raised, defined no flow (or more than one), or clashes with another flow's number or slug. "
         "Nothing else in it can be checked until it loads; the message names the failing line."),
    Rule("SEQ100", _E, "an event refers to a participant that is not declared in the flow",
         "Every message end, note, activation, destruction and ref must name a declared participant. "
         "Declare it with flow.participant(...) (or the importer's `participant` line) before using it."),
    Rule("SEQ101", _E, "two participants share an id or a display label",
         "Readers and emitters tell lifelines apart by id and by label; two columns titled the same are "
         "ambiguous. Rename one of them or give it an explicit id. The same label in two different boxes is "
         "fine: the box titles tell them apart."),
    Rule("SEQ102", _W, "participant declared but never used",
         "A lifeline with no message, note, activation or ref is noise in the drawing. Remove it, or waive the "
         "warning for this flow with allow=[\"SEQ102\"] if the empty column is intended."),
    Rule("SEQ103", _W, "participant that no message path from the flow's initiators reaches",
         "The participant graph has an edge sender -> receiver for every message. Roots are the flow's first "
         "sender, every actor and every receiver of a found message. A participant that takes part in messages "
         "but cannot be reached from a root acts on its own with no trigger in the diagram."),
    Rule("SEQ110", _E, "synchronous request without a response on some path",
         "A request (A -> B, synchronous) opens a pending call that B must answer with a reply to A. The validator "
         "walks every path of the control-flow graph (alt/else and critical/option branches, opt taken or "
         "skipped, loops, par branches, break taken or not) and reports each request still open at the end of "
         "some path, naming that path. Add the reply in that branch."),
    Rule("SEQ111", _E, "response without a matching request, to the wrong participant, or out of nesting order",
         "A reply answers the innermost open request: its sender is that request's callee and its receiver the "
         "caller. Reported: a reply that matches no open request (or answers one already answered), a reply sent "
         "to someone other than the caller, and a reply to an inner request after its outer request was already "
         "answered (answering the outer one unwinds the inner ones; the message names both). An inner request "
         "that is simply never answered is SEQ110 only."),
    Rule("SEQ112", _E, "request opened and answered inconsistently across branches, loop iterations or par "
         "branches",
         "Where paths join, every path must leave the same requests open. Reported at the reply: a request "
         "answered after a fragment although some branch already answered it (or never opened it), including one "
         "opened in a loop iteration or a par branch and answered after it. Reported at the fragment: a loop or "
         "par branch that answers a request opened before it (a second iteration or a sibling would answer it "
         "again). The path is named. A request left open and never answered is SEQ110 instead."),
    Rule("SEQ113", _E, "reply to a participant that never calls its sender",
         "A reply B -> A where A never sends a synchronous request to B anywhere in the flow: usually the arrow "
         "is drawn backwards (B calls A) or should be an asynchronous message. When B is answering another "
         "caller's request at that point, the reply went to the wrong participant: that is SEQ111, naming the "
         "request."),
    Rule("SEQ115", _I, "replies are implicit in this diagram; request/response pairing not checked",
         "Diagrams imported from other tools often draw no replies at all. With replies='implicit' (or 'auto' "
         "on a diagram with requests and no replies) the validator reports this once instead of one SEQ110 per "
         "request; a request's callee then holds control from the request on."),
    Rule("SEQ116", _I, "requests read as one-way messages under the diagram's own conventions",
         "Hand-written diagrams that draw some replies usually draw them only where the answer matters: an "
         "arrow to a Kafka topic or a 'reconcile triggered' kick is not a call awaiting a return. `check` "
         "infers from each diagram which of its requests await a reply (the README's 'How hand-written "
         "diagrams are judged': the callee answers nobody, the diagram marks calls with activations, closes "
         "calls with `deactivate`, draws replies for few calls...) and lists the others once here, with the "
         "reason. An info note: shown with `check --strict`, which also checks them as calls. Flows written "
         "in the DSL are always checked strictly."),
    Rule("SEQ120", _E, "activation never closed, or deactivation without activation",
         "`activate` on a message activates its receiver; `deactivate` ends the sender's innermost activation; "
         "explicit activate/deactivate events do the same. Every activation must end on every path. An "
         "activation left open only because its request has no reply is reported once, as SEQ110."),
    Rule("SEQ121", _W, "a participant that does not hold control starts a synchronous request",
         "A participant holds control when it is the flow's initiator (first sender), an actor, the callee of an "
         "open request, explicitly active, or has already received an asynchronous, found or create message. A "
         "synchronous request from anyone else starts out of nowhere; it is reported once per participant."),
    Rule("SEQ130", _E, "malformed fragment",
         "A fragment with no events, else/option/and branches on a fragment that has none (opt, loop, break, "
         "group), or an alt/par/critical with a single branch given as else/and/option."),
    Rule("SEQ131", _W, "fragment guard is empty where the language needs one",
         "alt, opt, loop, break and critical print their guard in the drawing; an empty guard leaves readers "
         "guessing the condition. Groups need a label too."),
    Rule("SEQ132", _W, "empty branch in a fragment",
         "An else/and/option branch with no events draws an empty compartment. Add a note saying what happens "
         "there, or remove the branch."),
    Rule("SEQ140", _E, "message to or from a participant before it is created or after it is destroyed",
         "A participant that some message creates has no lifeline before that message on any path; a destroyed "
         "participant has none after its destruction on every path. A participant destroyed in a loop's body "
         "and used again in that body is used after its destruction by the next iteration (reported at that "
         "use, naming the loop). Creating a participant that exists already (created, not destroyed since) is "
         "reported at the second creation. Reported once per participant."),
    Rule("SEQ141", _W, "participant used after a join where it was created or destroyed on some paths only",
         "After an alt, opt, loop or break where one path creates (or destroys) a participant and another does "
         "not, the participant may or may not exist: a message to it is right on some paths and wrong on the "
         "others. Create or destroy it on every path, or move the use into the branch that created it. A "
         "warning, reported once per participant at its first such use."),
    Rule("SEQ150", _W, "synchronous call cycle: re-entrancy or deadlock risk",
         "A synchronous request to a participant that is itself waiting on an open request (A calls B, B calls "
         "back A before answering): re-entrant code at best, a deadlock at worst. Reported once per pair, and "
         "only when the waiting request is answered (otherwise SEQ110 already says so)."),
    Rule("SEQ160", _E, "metadata: missing title, score out of range, duplicate number or slug",
         "Each flow needs a title, a positive number, and a number and slug no other flow in the catalog uses. "
         "Scores, when given, are quality and difficulty from 0 to 10 and a performance level of Low, Medium, "
         "High or Very High."),
    Rule("SEQ161", _W, "metadata: no description, scores, when-to-use or important points, or placeholder text",
         "A quick sketch needs only a title; the catalog page documents every flow with a description, scores, "
         "when-to-use bullets and important points. Each one missing is a warning (`check --strict` fails on "
         "it), and so is text still holding the scaffold's TODO placeholder."),
    Rule("SEQ162", _E, "allow= names an error or an unknown code",
         "A flow may waive warnings for itself, never errors; and a code that does not exist waives nothing."),
    Rule("SEQ170", _E, "text holds a control character, NUL or lone surrogate that cannot be drawn or written",
         "Labels, titles, guards, notes and catalog fields end up in SVG (XML), PlantUML and Mermaid text and "
         "PNGs. NUL and most control characters cannot be written to XML at all, a lone surrogate cannot be "
         "encoded, and the rest draw as nothing. Line breaks and tabs are fine. Reported once per element, at "
         "its line, naming the character."),
    Rule("SEQ171", _W, "text with characters no pinned font can draw",
         "The native renderer draws only with its pinned fonts (Inter; Heebo for Hebrew; Noto Sans Arabic for "
         "Arabic), so a picture looks the same on every machine. Characters none of them has (CJK, emoji, rare "
         "scripts) are drawn as a box; the finding names them at the label's line. Write them out, or waive "
         "the warning for this flow with allow=[\"SEQ171\"] if the box is acceptable."),
    # Project checks (diagram_dsl.checks): outputs and docs in sync with the flows.
    Rule("IMP001", _E, "a hand-written PlantUML or Mermaid diagram cannot be read",
         "Nothing in the diagram could be read as sequence-diagram syntax (or it is structurally broken: a "
         "`@startuml` never closed, a Mermaid block never ended). Fix the syntax at this line; text that is not "
         "a sequence diagram (a flowchart, a class diagram) is skipped, never reported."),
    Rule("IMP002", _W, "a line of a hand-written diagram could not be read and was skipped",
         "The importer does not understand this one line (syntax it does not know, or a statement in the wrong "
         "place). It skips the line and checks the rest of the diagram, so a finding may be missing near it. "
         "Fix the line if the real tool rejects it too; otherwise report the syntax as an importer gap."),
    Rule("IMP003", _I, "the diagram uses the PlantUML preprocessor beyond what the checker expands",
         "`!include` of files inside the project, `!define`, simple `!procedure`/`!function` calls and "
         "`!if`/`!else` with conditions on defined names are expanded; anything else (a URL or a standard-library "
         "include, built-in functions in conditions, loops) is left as written and checked that way."),
    Rule("OUT300", _E, "a flow's generated outputs are missing",
         "Every flow in sources/ has <n>-<slug>.png, .svg, .puml and .mmd in generated-diagrams/"
         "sequence-diagram-solutions/, recorded in generated-diagrams/.manifest.json. Run `make diagrams` "
         "(or `diagram-dsl check --fix`) and commit them."),
    Rule("OUT301", _E, "a flow's generated outputs are stale",
         "The flow's source, the code that draws it or the renderer changed since the outputs were built, or an "
         "output was edited by hand (its hash no longer matches the manifest). Run `make diagrams` and commit."),
    Rule("OUT302", _E, "an output no flow produces (orphan), or a manifest entry for a deleted flow",
         "Usually a renamed or deleted flow. `make diagrams` removes outputs that no flow produces."),
    Rule("OUT303", _E, "the generated catalog page is out of date",
         "sequence-diagram-solutions.md is generated from the flows' metadata; regenerate it with "
         "`make diagrams` (or `diagram-dsl docs`) instead of editing it."),
    Rule("DOC200", _E, "a Markdown image links to a diagram that no flow produces",
         "Diagram file names come from each flow's own title: <n>-<slug>.png. A link under a heading that names "
         "a flow is fixed by `diagram-dsl check --fix` to that flow's file."),
    Rule("DOC201", _E, "a Markdown image shows a different flow than its section names",
         "The image exists, but the heading above it (or its alt text) names another flow. `--fix` points it at "
         "the flow the section is about."),
    Rule("DOC202", _E, "a Markdown image path to a diagram does not resolve from the file",
         "The file name is right but the folder part does not lead to it from this Markdown file (nor from the "
         "project root). Build the diagrams, or let `--fix` write the right relative path."),
    Rule("DOC210", _E, "an inline ```mermaid / ```plantuml sequence diagram does not parse",
         "The real Mermaid parser (mermaid.parse) or the real PlantUML (-syntax) rejects the block; the line is "
         "the block's line in the Markdown file. Without the real tools installed (`make tools`) the check uses "
         "diagram-dsl's own parser and says so once."),
    Rule("DOC211", _I, "inline diagrams were checked without the real parsers",
         "The real PlantUML and Mermaid are not installed here (`make tools` installs them into tools/), so "
         "inline diagrams were checked with diagram-dsl's own importer only."),
)

RULES: dict[str, Rule] = {rule.code: rule for rule in _RULE_LIST}


def make_finding(code: str, location: Location, message: str, path: str = "") -> Finding:
    """A finding of rule ``code``, at the rule's severity."""
    return Finding(location, code, RULES[code].severity, message, path)


def explain(code: str) -> str | None:
    """The ``--explain`` text for a rule code (case-insensitive), or None if there is no such rule."""
    rule = RULES.get(code.upper())
    if rule is None:
        return None
    return f"{rule.code} ({rule.severity.value}): {rule.summary}\n\n{rule.explain}"
