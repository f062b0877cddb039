"""``diagram-dsl diff`` on a temporary git repository with two commits (and a working tree on top)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from docs_sites import BROKEN_FLOW, REPO, fixture_project, write
from PIL import Image

from diagram_dsl.catalog import load_catalog
from diagram_dsl.cli import main
from diagram_dsl.diff.picture import ADDED, RELABELLED, REMOVED
from diagram_dsl.mkdocs_plugin.validation import BackgroundCheck
from diagram_dsl.project import load_project
from diagram_dsl.renderers.base import Highlight, RenderOptions, get_renderer

CHECKOUT = "04_e_commerce_checkout.py"
EDITS = (  # what the second commit does to flow 4
    ('payments = flow.participant("Payment Gateway")',
     'payments = flow.participant("Payment Gateway")\nfraud = flow.participant("Fraud Service")'),
    ('        checkout.step("re-price on the server\\n(prices, tax, shipping)")',
     '        checkout.step("re-price on the server\\n(prices, tax, shipping)")\n'
     '        checkout.call(fraud, "score(order) | <script>").reply("risk score")'),
    ('pay.reply("approved | declined")', 'pay.reply("approved | declined | 3-D Secure needed")'),
    ('            checkout.call(cart, "clear cart").reply("ok")\n', ""),
    ('flow.alt("payment approved")', 'flow.alt("payment approved and not flagged")'),
)


def _git(root: Path, *args: str) -> str:
    settings = ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main",
                "-c", "commit.gpgsign=false"]
    return subprocess.run(["git", *settings, *args], cwd=root, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """main: flows 1, 4, 12. feature: flow 4 edited, flow 12 deleted, flow 5 added, flow 1's file renamed."""
    root = fixture_project(tmp_path / "repo")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    _git(root, "checkout", "-qb", "feature")
    source = root / "sources" / CHECKOUT
    text = source.read_text(encoding="utf-8")
    for old, new in EDITS:
        assert old in text, old
        text = text.replace(old, new)
    source.write_text(text, encoding="utf-8")
    (root / "sources" / "12_oauth_authorization.py").unlink()
    shutil.copy(REPO / "sources" / "05_api_rate_limiting.py", root / "sources")
    _git(root, "mv", "sources/01_simple_login_sequence.py", "sources/01_login.py")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "head")
    return root


def diff(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--root", str(root), "diff", *args])
    return result.exit_code, result.output


def test_text_lists_flows_and_every_change_inside_a_changed_flow(repo: Path) -> None:
    code, output = diff(repo, "main", "feature")
    assert code == 0, output
    source = (repo / "sources" / CHECKOUT).read_text(encoding="utf-8").splitlines()
    fraud = next(n for n, line in enumerate(source, 1) if "score(order)" in line)
    secure = next(n for n, line in enumerate(source, 1) if "3-D Secure" in line)
    lines = output.splitlines()
    assert re.fullmatch(r"flows: main \([0-9a-f]{10}\) -> feature \([0-9a-f]{10}\)", lines[0]), lines[0]
    assert lines[1:] == [
        "  changed  4. E-commerce Checkout",
        "      + participant Fraud Service",
        "      + message Checkout Service -> Fraud Service: 'score(order) | <script>'  "
        f"(sources/04_e_commerce_checkout.py:{fraud})",
        f"      + message Fraud Service -> Checkout Service: 'risk score'  (sources/04_e_commerce_checkout.py:{fraud})",
        "      ~ message Payment Gateway -> Checkout Service: 'approved | declined' -> "
        f"'approved | declined | 3-D Secure needed'  (sources/04_e_commerce_checkout.py:{secure})",
        "      - message Checkout Service -> Cart Service: 'clear cart'",
        "      - message Cart Service -> Checkout Service: 'ok'",
        "      ~ fragment alt [payment approved] / [payment declined] -> "
        "alt [payment approved and not flagged] / [payment declined]",
        "  added    5. API Rate Limiting",
        "  removed  12. OAuth Authorization",
        "1 added, 1 removed, 1 changed, 1 unchanged",  # flow 1 moved to another file: unchanged
    ], output


def test_the_default_compares_the_merge_base_with_the_working_tree(repo: Path) -> None:
    _git(repo, "checkout", "-q", "main")
    _git(repo, "commit", "-q", "--allow-empty", "-m", "main moves on")
    _git(repo, "checkout", "-q", "feature")
    code, output = diff(repo, "--exit-code")
    assert code == 1 and output.startswith("flows: merge-base with main (") and "-> working tree" in output
    assert "1 added, 1 removed, 1 changed, 1 unchanged" in output
    source = repo / "sources" / "05_api_rate_limiting.py"
    source.unlink()  # the working tree counts, not only commits
    code, output = diff(repo)
    assert code == 0 and "0 added, 1 removed, 1 changed, 1 unchanged" in output
    assert _git(repo, "status", "--porcelain") == " D sources/05_api_rate_limiting.py\n"  # nothing else touched


def test_markdown_for_a_pull_request_escapes_labels(repo: Path) -> None:
    code, output = diff(repo, "main", "feature", "--format", "markdown")
    assert code == 0, output
    assert output.startswith("### Sequence diagram changes\n\nmain")
    assert "| 🟡 changed | 4. E-commerce Checkout | +2 -2 ~1 messages; +1 -0 participants; 1 fragment(s) |" \
        in output
    assert "| 🟢 added | 5. API Rate Limiting |  |" in output
    assert "<script>" not in output and "score(order) \\| \\<script\\>" in output
    assert output.count("<details>") == 1


def test_json_names_each_change(repo: Path) -> None:
    code, output = diff(repo, "main", "feature", "--format", "json")
    assert code == 0, output
    data = json.loads(output)
    (changed,) = [flow for flow in data["flows"] if flow["status"] == "changed"]
    assert [(m["change"], m["label"]) for m in changed["messages"]] == [
        ("added", "score(order) | <script>"), ("added", "risk score"),
        ("relabelled", "approved | declined | 3-D Secure needed"), ("removed", "clear cart"), ("removed", "ok")]
    assert changed["participants_added"] == ["Fraud Service"] and data["unchanged"] == 1


def _pixels_near(image: Image.Image, colour: str, tolerance: int = 40) -> int:
    target = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return sum(count for count, pixel in image.convert("RGB").getcolors(1 << 24) or []
               if all(abs(a - b) <= tolerance for a, b in zip(pixel, target, strict=True)))


def test_one_picture_per_changed_flow_in_the_change_colours(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "pictures"
    code, output = diff(repo, "main", "feature", "--images", str(out))
    assert code == 0, output
    assert sorted(p.name for p in out.iterdir()) == ["4-e-commerce-checkout.diff.png", "4-e-commerce-checkout.diff.svg"]
    svg = (out / "4-e-commerce-checkout.diff.svg").read_text(encoding="utf-8")
    fills = _text_fills(svg)
    assert fills["score(order) | &lt;script&gt;"] == fills["risk score"] == ADDED
    relabelled = [fill for text, fill in fills.items() if text.startswith("approved | declined | 3-D Secure")]
    assert relabelled == [RELABELLED]  # the new label (however it wraps), in amber
    guard = [fill for text, fill in fills.items() if text.startswith("[payment approved") or text.endswith("flagged]")]
    assert guard and set(guard) == {RELABELLED}  # the alt whose guard changed (however it wraps beside its tab)
    assert fills["clear cart"] == fills["ok"] == "#E06F77"  # drawn back in as ghosts: red, paler
    assert fills["get cart"] == "#1F2933" and REMOVED not in fills.values()  # the rest as always
    assert "stroke-dasharray" in svg
    png = Image.open(out / "4-e-commerce-checkout.diff.png")
    assert _pixels_near(png, ADDED) > 100 and _pixels_near(png, RELABELLED) > 50
    assert _pixels_near(png, "#E06F77", 12) > 50  # the red ghost: red mixed 35 % toward white


def _text_fills(svg: str) -> dict[str, str]:
    """Each text line of the SVG -> its fill colour."""
    return {match.group(2): match.group(1)
            for match in re.finditer(r'<text\b[^>]*?\bfill="(#[0-9A-Fa-f]{6})"[^>]*>([^<]*)</text>', svg)}


def test_a_bad_revision_is_one_line(repo: Path) -> None:
    code, output = diff(repo, "no-such-branch")
    assert code == 1 and "'no-such-branch' is not a commit in this repository" in output
    assert "Traceback" not in output
    code, output = diff(repo, "--upload-pack=evil")
    assert code != 0 and "Traceback" not in output


def test_a_symlink_in_a_revision_is_not_followed(repo: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.py"
    secret.write_text("raise SystemExit('read outside the revision')\n", encoding="utf-8")
    (repo / "sources" / "09_link.py").symlink_to(secret)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "a link")
    (repo / "sources" / "09_link.py").unlink()
    code, output = diff(repo, "HEAD", "main")
    assert code == 0, output
    assert "read outside the revision" not in output


def test_a_highlight_recolours_exactly_one_message_and_moves_nothing() -> None:
    flow = load_catalog(REPO).find("1")
    assert flow is not None
    message = flow.model.diagram.messages()[3]
    renderer = get_renderer("native")
    with renderer.session(RenderOptions()) as session:
        plain = session.render(flow.model).svg.decode().splitlines()
    with renderer.session(RenderOptions(highlights=((message.id, Highlight(ADDED)),))) as session:
        coloured = session.render(flow.model).svg.decode().splitlines()
    assert len(plain) == len(coloured)
    changed = [(a, b) for a, b in zip(plain, coloured, strict=True) if a != b]
    label_lines = len(message.label.splitlines())
    assert len(changed) == 2 + label_lines  # shaft, head, label line(s): nothing else
    for before, after in changed:
        assert ADDED in after and ADDED not in before
        assert re.sub(r"#[0-9A-F]{6}", "", before) == re.sub(r"#[0-9A-F]{6}", "", after)  # same geometry


def test_the_background_check_reports_findings_and_is_always_stopped(tmp_path: Path) -> None:
    root = fixture_project(tmp_path / "p", ("01_simple_login_sequence.py",))
    write(root / "sources" / "07_broken_flow.py", BROKEN_FLOW)
    check = BackgroundCheck(load_project(root))
    findings, problem = check.results()
    assert problem is None
    assert [(f.severity, f.line.split(" ", 1)[0]) for f in findings if f.severity == "error"] == [
        ("error", "sources/07_broken_flow.py:12:")]
    stopped = BackgroundCheck(load_project(root))
    process = stopped.process
    stopped.stop()
    assert process is not None and process.poll() is not None  # killed and reaped, no leftover process
    assert stopped.results() == ([], "the flows were not checked (the check was stopped)")
