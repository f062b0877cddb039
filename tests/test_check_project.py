"""``diagram-dsl check`` on a whole project, on docs and on hand-written diagrams — what CI runs."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from diagram_dsl.build import run_build
from diagram_dsl.checks.diagrams import validate_imported
from diagram_dsl.cli import main
from diagram_dsl.importers.discover import load_diagrams

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "tests" / "fixtures" / "seed-sequence-diagram-solutions.md"
FLOW = '''
from diagram_dsl import Flow, Scores
flow = Flow(number={n}, title={title!r}, description="d", scores=Scores(5, 5, "High"),
            when_to_use=["w"], important_points=["p"])
user, app = flow.actor("User"), flow.participant("App")
with user.call(app, {label!r}) as request:
    request.reply("200")
'''


def check(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--root", str(root), "check", *args])


@pytest.fixture
def built(tmp_path: Path) -> Path:
    (tmp_path / "sources").mkdir()
    for n, title in ((1, "Alpha Flow"), (2, "Beta Flow")):
        (tmp_path / "sources" / f"0{n}_flow.py").write_text(FLOW.format(n=n, title=title, label="GET /"))
    assert run_build(tmp_path, jobs=1).ok
    return tmp_path


def test_a_freshly_built_project_is_clean(built: Path) -> None:
    result = check(built)
    assert result.exit_code == 0, result.output
    assert "checked 2 flow(s), 1 Markdown file(s): 0 error(s), 0 warning(s)" in result.stdout  # CI logs read stdout


def test_stale_output_fails_and_fix_rebuilds_it(built: Path) -> None:
    (built / "sources" / "02_flow.py").write_text(FLOW.format(n=2, title="Beta Flow", label="POST /new"))
    result = check(built)
    assert result.exit_code == 1
    assert "sources/02_flow.py:1: error OUT301 outputs are stale (source changed)" in result.stdout
    fixed = check(built, "--fix")
    assert fixed.exit_code == 0, fixed.output
    assert "POST /new" in (built / "generated-diagrams/sequence-diagram-solutions/2-beta-flow.puml").read_text()


def test_doc_links_are_linted_fixed_and_excludable(built: Path) -> None:
    doc = built / "docs" / "guide.md"
    doc.parent.mkdir()
    doc.write_text("# Guide\n\n## Beta Flow\n\n![beta](../generated-diagrams/sequence-diagram-solutions/2-beta.png)\n")
    result = check(built, "--format", "json")
    assert result.exit_code == 1
    (finding,) = json.loads(result.stdout)
    assert (finding["code"], finding["file"], finding["line"]) == ("DOC200", "docs/guide.md", 5)
    assert "2-beta-flow.png" in finding["message"]
    assert check(built, "--fix").exit_code == 0
    assert "(../generated-diagrams/sequence-diagram-solutions/2-beta-flow.png)" in doc.read_text()
    (built / "docs" / "old.md").write_text("## Alpha Flow\n![x](generated-diagrams/sequence-diagram-solutions/x.png)\n")
    assert check(built).exit_code == 1
    (built / "pyproject.toml").write_text('[tool.diagram-dsl]\ndocs-exclude = ["docs/old.md"]\n')
    assert check(built).exit_code == 0


def test_github_annotations_point_at_the_doc_line(built: Path) -> None:
    (built / "README.md").write_text("## Alpha Flow\n\n![a](generated-diagrams/sequence-diagram-solutions/1-a.png)\n")
    result = check(built, "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=README.md,line=3,title=DOC200::")


@pytest.mark.usefixtures("plantuml", "mermaid")
def test_inline_sequence_diagrams_must_parse_with_the_real_tools(built: Path) -> None:
    doc = built / "docs.md"
    doc.write_text(textwrap.dedent("""\
        # Inline diagrams

        ```mermaid
        flowchart LR
          A --> B
        ```

        ```mermaid
        sequenceDiagram
          Alice->>Bob: hi
          Bob-->>Alice: hello
        ```

        ```mermaid
        sequenceDiagram
          Alice->>Bob: hi
          Bob-->>>Alice: broken arrow
        ```

        ```plantuml
        @startuml
        Alice -> Bob : hi
        Bob --> Alice : ok
        this line is not PlantUML
        @enduml
        ```
        """))
    result = check(built, "--format", "json")
    assert result.exit_code == 1, result.output
    findings = json.loads(result.stdout)
    real = [f for f in findings if f["code"] == "DOC210"]
    assert [(f["file"], f["line"]) for f in real] == [("docs.md", 17), ("docs.md", 24)], findings
    assert "real Mermaid" in real[0]["message"] and "real PlantUML" in real[1]["message"]


def test_hand_written_diagrams_are_imported_and_validated(tmp_path: Path) -> None:
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    (legacy / "login.puml").write_text(textwrap.dedent("""\
        @startuml
        actor User
        participant Web
        User -> Web : login
        Web -> Web : hash
        alt ok
          Web --> User : 200
        else bad
          Web -> Web : log
        end
        @enduml
        """))
    (legacy / "implicit.mmd").write_text("sequenceDiagram\n  A->>B: one\n  B->>C: two\n")
    (legacy / "broken.mmd").write_text("sequenceDiagram\n  A->>B: ok\n  loop forever\n")
    result = check(tmp_path, str(legacy), "--format", "json")
    assert result.exit_code == 1
    findings = {(Path(f["file"]).name, f["line"], f["code"]) for f in json.loads(result.stdout)}
    assert ("login.puml", 4, "SEQ110") in findings
    assert any(name == "broken.mmd" and code == "IMP001" for name, _, code in findings)
    # A diagram that draws no reply is not checked for replies; the note saying so is not a finding.
    assert not any(name == "implicit.mmd" for name, _, _ in findings)
    strict = check(tmp_path, str(legacy / "implicit.mmd"), "--strict", "--format", "json")
    assert {f["code"] for f in json.loads(strict.stdout)} >= {"SEQ110"}


def test_the_users_document_through_the_cli(tmp_path: Path) -> None:
    doc = tmp_path / "sequence-diagram-solutions.md"
    shutil.copy(SEED, doc)
    result = check(REPO, str(doc), "--format", "json")
    assert result.exit_code == 1
    findings = [f for f in json.loads(result.stdout) if f["code"].startswith("DOC")]
    assert len(findings) == 19 and {f["code"] for f in findings} == {"DOC200"}
    fixed = check(REPO, str(doc), "--fix")
    assert fixed.exit_code == 0, fixed.output
    assert check(REPO, str(doc)).exit_code == 0


def test_the_repository_itself_is_in_sync() -> None:
    """make test includes this: main can never land with invalid flows, stale outputs or drifted docs."""
    result = check(REPO)
    assert result.exit_code == 0, result.output


def test_requests_whose_callee_never_answers_that_caller_are_one_way_unless_strict(tmp_path: Path) -> None:
    diagram = tmp_path / "mixed.mmd"
    diagram.write_text(textwrap.dedent("""\
        sequenceDiagram
          Admin->>CR: update config
          CR->>Operator: reconcile triggered
          Operator->>Server: restart
          Server-->>Operator: active
          Operator->>Server: health?
        """))
    result = check(tmp_path, str(diagram), "--format", "json")
    findings = [(f["code"], f["line"]) for f in json.loads(result.stdout)]
    # restart/active pairs up; "health?" goes to a callee that does answer this caller elsewhere: a real gap
    assert findings == [("SEQ110", 6)], findings
    (item,) = load_diagrams(diagram)
    notes = [f for f in validate_imported(item, notes=True) if f.code == "SEQ116"]  # the API keeps the note
    assert len(notes) == 1 and "2 request(s)" in notes[0].message and "lines 2, 3" in notes[0].message
    strict = check(tmp_path, str(diagram), "--strict", "--format", "json")
    assert [(f["code"], f["line"]) for f in json.loads(strict.stdout)] == [
        ("SEQ110", 2), ("SEQ110", 3), ("SEQ110", 6)]


def test_authoring_convention_warnings_need_strict_on_hand_written_diagrams(tmp_path: Path) -> None:
    diagram = tmp_path / "poller.mmd"
    diagram.write_text("sequenceDiagram\n  Client->>Api: submit\n  Api-->>Client: 202\n"
                       "  Worker->>Api: poll\n  Api-->>Worker: job\n")
    relaxed = check(tmp_path, str(diagram), "--format", "json")
    assert relaxed.exit_code == 0 and json.loads(relaxed.stdout) == []
    strict = check(tmp_path, str(diagram), "--strict", "--format", "json")
    assert {f["code"] for f in json.loads(strict.stdout)} & {"SEQ103", "SEQ121"}
    assert strict.exit_code == 1
