"""How to fix a finding in the Python DSL: a hint table, kept apart from the rules that decide findings.

The rules word a finding the same for every source (a flow, a ``.puml``, a Markdown block); for a flow
written in the DSL, ``with_dsl_hints`` adds the DSL call that fixes it ("fix: reply(..., deactivate=True)
or flow.deactivate(participant)"). A finding no entry matches is left as it is.
"""

from __future__ import annotations

from dataclasses import replace

from diagram_dsl.validate.findings import Finding

# (code, words the message must contain or "" for any, the fix). The first matching entry wins.
_HINTS: tuple[tuple[str, str, str], ...] = (
    ("SEQ101", "label", "rename one of them, or reuse the first one's variable instead of declaring it again"),
    ("SEQ101", "", "give one of them another id="),
    ("SEQ102", "", 'remove the declaration, or waive it with Flow(..., allow=["SEQ102"])'),
    ("SEQ103", "", 'show what starts it with flow.found(participant, "...") or a message to it from someone reached'),
    ("SEQ110", "",
     'answer it on every path through its handle (`with a.call(b, ...) as c:` ... `c.reply("...")`), or make it '
     "one-way with a.send(b, ...)"),
    ("SEQ111", "answer the innermost request first", "reply to the inner call before the outer one"),
    ("SEQ111", "", "answer through the call's handle: `with a.call(b, ...) as c:` ... `c.reply(...)`"),
    ("SEQ112", "is answered inside it", "answer it after the fragment, or make the call inside it too"),
    ("SEQ113", "", "if it is an event rather than an answer, write it as b.send(a, ...)"),
    ("SEQ120", "was it meant for", "deactivate the participant it was meant for: flow.deactivate(that_participant)"),
    ("SEQ120", "is never ended",
     "answer its call with handle.reply(...) or b.reply(a, ..., deactivate=True), or end it with "
     "flow.deactivate(participant)"),
    ("SEQ120", "without an activation",
     "remove this flow.deactivate(...) or deactivate=True (a reply already ended that activation), or start one "
     "with flow.activate(participant)"),
    ("SEQ120", "", "start and end the activation on the same path: both inside the fragment, or both outside it"),
    ("SEQ121", "",
     'show what wakes it with flow.found(participant, "..."), or make it active first with flow.activate(participant)'),
    ("SEQ130", "is empty", "indent the events into the fragment's `with` block, or remove the fragment"),
    ("SEQ131", "", 'write the condition as the guard, e.g. flow.alt("card declined")'),
    ("SEQ132", "", 'say what happens there with flow.note("...", over=participant), or remove the branch'),
    ("SEQ140", "before it is created", "move a.create(b) before b's first message"),
    ("SEQ140", "created again", "create it once, or end it (a.destroy(b)) before creating it again"),
    ("SEQ140", "", "send nothing to or from it after a.destroy(b) or flow.end_of_life(b)"),
    ("SEQ141", "", "create or destroy it on every branch of the fragment, or use it only inside the branch that does"),
    ("SEQ150", "", 'make one direction asynchronous (send), or waive it with Flow(..., allow=["SEQ150"])'),
    ("SEQ160", "no title", 'give the flow a title: Flow(title="...")'),
    # Before the entries naming a field: a placeholder finding names its field too.
    ("SEQ161", "placeholder", "replace the TODO text with your own"),
    ("SEQ161", "no description", 'add Flow(description="one sentence on what the flow shows")'),
    ("SEQ161", "no scores",
     'add Flow(scores=Scores(solution_quality=7, implementation_difficulty=3, performance_level="High"))'),
    ("SEQ161", "when_to_use", 'add Flow(when_to_use=["..."])'),
    ("SEQ161", "important_points", 'add Flow(important_points=["..."])'),
    ("SEQ162", "", "remove that code from allow="),
    ("SEQ171", "", "spell the text in characters the pinned fonts draw, or draw the project with PlantUML "
     '(renderer = "plantuml" in [tool.diagram-dsl])'),
)


def dsl_hint(finding: Finding) -> str:
    """The DSL fix for ``finding``, or "" when there is none worth naming."""
    for code, words, hint in _HINTS:
        if code == finding.code and words in finding.message:
            return hint
    return ""


def dsl_fixes(code: str) -> tuple[str, ...]:
    """Every DSL fix the table knows for ``code`` (for ``check --explain``), in table order."""
    return tuple(dict.fromkeys(hint for entry_code, _, hint in _HINTS if entry_code == code.upper()))


def with_dsl_hints(findings: list[Finding]) -> list[Finding]:
    """``findings`` of a flow written in the DSL, each with its DSL fix when there is one."""
    return [replace(finding, hint=hint) if (hint := dsl_hint(finding)) and not finding.hint else finding
            for finding in findings]
