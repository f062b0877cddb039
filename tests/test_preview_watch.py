"""`diagram-dsl watch`: the real command in a scratch project; every save prints that flow's findings."""

from __future__ import annotations

from pathlib import Path

from preview_support import alive, descendants, line_of, running, save, write_project
from test_preview_server import OTHER, PING


def test_each_save_prints_the_flows_findings_then_recovers(tmp_path: Path) -> None:
    project = write_project(tmp_path, {"01_ping_pong.py": PING, "02_fire_and_forget.py": OTHER})
    source = project / "sources" / "01_ping_pong.py"
    with running(["watch", "--no-build"], project, r"watching 2 flow\(s\)") as watch:
        assert "sources/01_ping_pong.py: 0 error(s), 0 warning(s)" in " ".join(watch.seen)
        assert any("02_fire_and_forget.py" in line and "SEQ161" in line for line in watch.seen)
        workers = descendants(watch.process.pid)
        missing = PING.replace('query.reply("one row")', "pass")
        save(source, missing)
        watch.wait_for_line(r"01_ping_pong.py changed")
        request = line_of(missing, 'api.call(db, "SELECT 1")')
        finding = watch.wait_for_line(r"error SEQ110")
        assert finding.startswith(f"sources/01_ping_pong.py:{request}: error SEQ110 request \"SELECT 1\"")
        watch.wait_for_line(r"sources/01_ping_pong.py: 1 error\(s\)")
        broken = PING.replace('"GET /ping")', '"GET /ping"')
        save(source, broken)
        line = watch.wait_for_line(r"error SEQ000")
        assert line.startswith(f"sources/01_ping_pong.py:{line_of(broken, 'GET /ping')}: error SEQ000 syntax error")
        watch.wait_for_line(r"01_ping_pong.py: does not load")
        save(source, PING)
        watch.wait_for_line(r"sources/01_ping_pong.py: 0 error\(s\), 0 warning\(s\)")
        assert watch.stop() == 130
        watch.wait_for_line("watch stopped", 5)
        assert [pid for pid in workers if alive(pid)] == []


def test_each_save_rebuilds_that_flows_outputs(tmp_path: Path) -> None:
    project = write_project(tmp_path, {"01_ping_pong.py": PING})
    source = project / "sources" / "01_ping_pong.py"
    svg = project / "generated-diagrams" / "sequence-diagram-solutions" / "1-ping-pong.svg"
    with running(["watch"], project, r"watching 1 flow\(s\)") as watch:
        assert any("build: built 1" in line for line in watch.seen), watch.seen
        assert svg.is_file() and "pong, rebuilt" not in svg.read_text(encoding="utf-8")
        save(source, PING.replace('"pong"', '"pong, rebuilt"'))
        watch.wait_for_line(r"build: built 1", 60)
        assert "pong, rebuilt" in svg.read_text(encoding="utf-8")
