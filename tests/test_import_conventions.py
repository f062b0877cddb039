"""Each convention rule of the README ("How hand-written diagrams are judged") on its own example."""

from __future__ import annotations

import sys
from dataclasses import fields, replace

from diagram_dsl.checks.diagrams import validate_imported
from diagram_dsl.importers import conventions, parse_mermaid, parse_plantuml
from diagram_dsl.importers.conventions import judge
from diagram_dsl.importers.result import ImportedDiagram
from diagram_dsl.model import Branch, Fragment, FragmentKind, Location, Message, MessageKind


def plantuml(body: str) -> ImportedDiagram:
    (item,) = parse_plantuml(f"@startuml\n{body}\n@enduml\n", "x.puml")
    return item


def mermaid(body: str) -> ImportedDiagram:
    (item,) = parse_mermaid(f"sequenceDiagram\n{body}\n", "x.mmd")
    return item


def found(item: ImportedDiagram) -> list[tuple[str, int]]:
    return [(f.code, f.location.line) for f in validate_imported(item)]


# -- 1. dashed arrows are replies --------------------------------------------------------------------------------
def test_in_a_diagram_whose_dashes_are_replies_a_dashed_arrow_answering_nothing_is_a_mistake() -> None:
    item = plantuml("A -> B : get\nB --> A : data\nB --> A : data again")
    assert judge(item.diagram, item.facts).convention.dashed_replies  # type: ignore[arg-type]
    assert found(item) == [("SEQ111", 4)]


def test_dashes_that_mostly_answer_nothing_are_notifications() -> None:
    item = mermaid("C->>S: call\nS->>C: answer\nS->>X: ask\nX->>S: told\nS-->>C: notification")
    assert not judge(item.diagram, item.facts).convention.draws_replies  # type: ignore[arg-type]
    assert found(item) == []


def test_streams_http_callbacks_delays_and_completions_are_not_double_replies() -> None:
    stream = mermaid("C->>S: POST /stream\nS-->>C: part 1\nS-->>C: part 2\nS-->>C: part 3\nC->>S: GET /x\n"
                     "S-->>C: x")
    callback = plantuml("Switch -> MC : GET /parties\nMC --> Switch : HTTP 202\nMC --> Switch : **PUT** /parties/1\n"
                        "Switch -> MC : POST /quotes\nMC --> Switch : HTTP 202")
    delayed = plantuml("Alice -> Bob : hello\nBob --> Alice : hi\n...5 minutes later...\nBob --> Alice : bye")
    completion = plantuml("App -> Client : open\nClient -> Command : Open\nClient --> App : error code\n"
                          "Command --> App : pool handle\nApp -> Client : close\nClient -> Command : Close\n"
                          "Client --> App : ok")
    for item in (stream, callback, delayed, completion):
        assert [code for code, _ in found(item)] == [], item.origin


def test_a_dashed_request_answered_at_once_by_a_dashed_reply_pairs_with_it() -> None:
    item = plantuml("Client -> Server : subscribe\nServer --> Client : need credentials?\n"
                    "Client --> Server : credentials\nServer --> Client : subscribed")
    assert [code for code, _ in found(item) if code != "SEQ150"] == []  # the call back is SEQ150's business


def test_a_dashed_arrow_back_after_a_calls_only_answer_is_the_mistake() -> None:
    item = plantuml("Client -> API : GET /orders/42\nAPI --> Client : 200 order\nClient --> API : thanks")
    assert found(item) == [("SEQ113", 4)]  # not the answered GET read as unanswered


# -- 2. a diagram that draws no reply ------------------------------------------------------------------------------
def test_a_diagram_drawing_no_reply_is_not_checked_for_replies() -> None:
    item = mermaid("Alice->>Bob: Hello\nBob->>Alice: Fine\nAlice->>Carl: Hi")
    assert found(item) == []


# -- 3. which requests await a reply ----------------------------------------------------------------------------
def test_calls_to_a_callee_that_never_answers_are_one_way() -> None:
    item = mermaid("Admin->>CR: update\nCR->>Op: reconcile triggered\nOp->>Srv: restart\nSrv-->>Op: active\n"
                   "Op->>Srv: health?")
    assert found(item) == [("SEQ110", 6)]  # Srv answers Op elsewhere: health? is missing its reply


def test_the_one_unanswered_call_of_a_diagram_is_a_mistake_but_not_an_event_or_a_person() -> None:
    missing = mermaid("U->>W: login\nW->>A: verify\nA->>D: select\nA-->>W: ok\nW-->>U: 200")
    event = mermaid("U->>W: login\nW->>A: verify\nA-->>W: ok\nW->>K: publish LoginEvent\nW-->>U: 200")
    person = plantuml("actor Payee as P\nS -> D : PUT /t\nD --> S : 200\nD -> P : you have funds!\n"
                      "S -> D : GET /t\nD --> S : 200")
    assert found(missing) == [("SEQ110", 4)]
    assert found(event) == [] and found(person) == []


def test_activation_marked_calls_and_closed_calls() -> None:
    marked = mermaid("N->>+C: request 10\nC->>-N: response\nN->>C: request 11\nN->>+C: request 11 again\n"
                     "C->>-N: response")
    closed = plantuml("H -> D : read\nactivate D\nD --> H : rows\ndeactivate D\nH -> D : persist a\nactivate D\n"
                      "deactivate D\nH -> D : persist b\nactivate D\ndeactivate D")
    assert found(marked) == [] and found(closed) == []


def test_the_one_unanswered_call_closed_at_once_ran_with_nothing_to_return() -> None:
    """The lone unanswered call of a diagram that answers its others is surely a call — not when the author closes
    its activation at once: the return is drawn only where it carries data (`find()` yes, `save()` no)."""
    closed = plantuml("C -> S : handle()\nactivate S\nS -> R : find()\nactivate R\nR --> S : entity\ndeactivate R\n"
                      "S -> R : save()\nactivate R\ndeactivate R\nS --> C : result\ndeactivate S")
    forgotten = plantuml("C -> S : handle()\nactivate S\nS -> R : find()\nactivate R\nR --> S : entity\n"
                         "deactivate R\nS -> R : save()\nactivate R\nS --> C : result\ndeactivate S")
    assert found(closed) == []
    assert [code for code, _ in found(forgotten)] == ["SEQ110"]  # R's bar runs on: the return is what is missing


def test_replies_drawn_for_few_calls_require_none() -> None:
    item = plantuml("M -> S : setup()\nM -> S : image_id()\nM <-- S : ID\nM -> P : desc()\nM <-- P : DESC\n"
                    "M -> P : pre_load()\nM -> IO : size()\nM -> IO : read()\nM -> IO : close()\nM -> IO : open()\n"
                    "M <-- IO : handle")
    assert found(item) == []


def test_a_solid_arrow_straight_back_answers_a_call_nothing_else_answers() -> None:
    item = plantuml("App -> Client : open\nClient --> App : ok\nApp -> Client : close\nClient -> App : closed")
    assert found(item) == []


def test_an_alt_on_the_response_answers_it_by_its_guard() -> None:
    item = mermaid("C->>M: GET /a\nalt found\nM-->>C: meta\nelse not found\nC->>M: GET /b\nalt found\n"
                   "M-->>C: meta\nelse not found\nNote over C: give up\nend\nend")
    assert found(item) == []


def test_a_call_whose_activation_never_ends_is_missing_its_return() -> None:
    item = plantuml("autoactivate on\nClient -> API : GET\nAPI -> DB : SELECT\nreturn rows")
    assert found(item) == [("SEQ110", 3)]


# -- 4. declarations --------------------------------------------------------------------------------------------
def test_in_a_declaring_diagram_an_undeclared_participant_is_seq100_once() -> None:
    item = plantuml('participant "Checkout" as Checkout\nparticipant "Payment" as Payment\nactor User\n'
                    "User -> Checkout : buy\nCheckout -> Paymnt : charge\nPayment --> Checkout : receipt\n"
                    "Checkout --> User : ok")
    findings = validate_imported(item)
    assert [(f.code, f.location.line) for f in findings] == [("SEQ100", 6)]
    assert "did you mean 'Payment'" in findings[0].message


def test_a_diagram_that_creates_participants_by_use_is_not_asked_to_declare() -> None:
    item = plantuml("participant A\nA -> B : x\nB --> A : y\nB -> C : z\nC --> B : w")
    assert found(item) == []


def test_a_participant_only_a_note_brings_into_being_is_seq100_in_any_diagram() -> None:
    item = mermaid("A->>B: x\nB-->>A: y\nNote over Bb: typo")
    assert found(item) == [("SEQ100", 4)]


def test_an_alias_declared_again_with_another_label_is_seq101_at_the_second() -> None:
    item = mermaid("participant O as Orders\nparticipant O as Billing\nO->>O: work")
    box = plantuml('collections "topic" as T\nbox "Central"\nparticipant T\nend box\nT -> T : x')
    assert found(item) == [("SEQ101", 3)]
    assert found(box) == []  # naming it again (to put it in a box) declares nothing new


# -- 5. process activations ---------------------------------------------------------------------------------------
def test_an_activation_after_a_one_way_message_is_a_running_process() -> None:
    item = plantuml("Peer -> Ledger : start\nactivate Ledger\nPeer -> Enclave : start\nactivate Enclave\n"
                    "Peer -> Api : call\nApi --> Peer : ok")
    assert found(item) == []
    lone = plantuml("Peer -> Ledger : start\nactivate Ledger\nPeer -> Api : call\nApi --> Peer : ok")
    assert found(lone) == [("SEQ110", 2)]  # the one unanswered call: one finding, not also its open bar


# -- how the inference stays fast without changing what it finds ----------------------------------------------------
def test_a_judged_diagram_rebuilds_only_the_branches_and_fragments_around_what_changed() -> None:
    item = plantuml("A -> B : get\nB --> A : data\nalt ok\nA -> C : x\nC --> A : y\nelse bad\ngroup g\n"
                    "A -> D : tell\nend\nend\nopt other\nA -> B : z\nB --> A : w\nend\nA -> D : tell again")
    assert item.diagram is not None
    judged = judge(item.diagram, item.facts)
    assert sorted(judged.one_way) == [5, 8]  # D never answers: both calls to it are one-way
    assert [m.kind.value for m in judged.diagram.messages()] == \
        ["request", "reply", "request", "reply", "async", "request", "reply", "async"]
    old, new = item.diagram.events, judged.diagram.events
    assert [a is b for a, b in zip(old, new, strict=True)] == [True, True, False, True, False]
    alt_before, alt_after = old[2], new[2]
    assert isinstance(alt_before, Fragment) and isinstance(alt_after, Fragment)
    assert [a is b for a, b in zip(alt_before.branches, alt_after.branches, strict=True)] == [True, False]
    assert replace(alt_after, branches=alt_before.branches) == alt_before  # nothing else about the alt changed


def test_the_fast_copies_of_messages_branches_and_fragments_keep_every_field() -> None:
    # conventions copies these with their constructors (twice as fast as dataclasses.replace): a new field must be
    # added there too, which this test asks for by failing.
    assert [f.name for f in fields(Message)] == ["id", "kind", "sender", "receiver", "label", "location",
                                                 "reply_to", "activate", "deactivate"]
    assert [f.name for f in fields(Branch)] == ["guard", "events", "location"]
    assert [f.name for f in fields(Fragment)] == ["kind", "branches", "location", "leaves"]
    message = Message(7, MessageKind.REQUEST, "A", "B", "x", Location("f", 3), 2, True, True)
    assert conventions._with_kind(message, MessageKind.ASYNC) == replace(message, kind=MessageKind.ASYNC)
    branch = Branch("guard", (message,), Location("f", 2))
    assert conventions._with_events(branch, ()) == replace(branch, events=())
    fragment = Fragment(FragmentKind.BREAK, (branch,), Location("f", 1), leaves=2)
    assert conventions._with_branches(fragment, ()) == replace(fragment, branches=())


def test_the_answer_label_shortcut_agrees_with_the_pattern_for_every_first_letter() -> None:
    tails = ("eturns x", "eturned", "esponse", "eply", "éponse", "etour", "ttp 200", "TTP status 404", "ck",
             "cknowledged")
    for code in range(sys.maxunicode + 1):
        letter = chr(code)
        if letter.isalpha():
            for tail in tails:
                label = letter + tail
                assert conventions._labelled_as_answer(label) is \
                    (conventions._RESPONSE_LABEL.match(label) is not None), label


def test_the_ascii_shortcut_of_folding_agrees_with_the_pattern() -> None:
    ascii_texts = ["".join(chr(code) for code in range(128)), "Get User!", "get_user", "HTTP 200 OK", "  ", ""]
    ascii_texts += [chr(code) * 2 + "Ab9" + chr(code) for code in range(128)]
    for text in ascii_texts:
        assert conventions._fold(text) == conventions._NOT_FOLDED.sub("", text.casefold()), repr(text)
    assert conventions._fold("Straße Ünïcode \u017f \u212a") == "strassencodesk"  # not ASCII: the pattern itself
