"""The preview's loader process: a flow module can hang, exit or crash it, and the next save still loads."""

from __future__ import annotations

import sys
from pathlib import Path

from preview_async import run_async

from diagram_dsl.preview.loader import FlowLoader
from diagram_dsl.preview.snapshot import Snapshot

GOOD = '''\
from diagram_dsl import Flow

flow = Flow(number=1, title="Good")
a, b = flow.actor("A"), flow.service("B")
with a.call(b, "ping") as ping:
    ping.reply("pong")
'''


def _load_all(root: Path, names: list[str], timeout: float = 3.0) -> list[Snapshot]:
    async def run() -> list[Snapshot]:
        loader = FlowLoader(root, timeout=timeout)
        try:
            return [await loader.load(root / name, name) for name in names]
        finally:
            await loader.stop()

    return run_async(run)


def test_hangs_exits_and_crashes_are_load_problems_and_the_next_flow_loads(tmp_path: Path) -> None:
    sources = {
        "good.py": GOOD,
        "loops.py": "while True:\n    pass\n",
        "sleeps.py": "import time\ntime.sleep(600)\n",
        "exits.py": "import sys\n\nsys.exit(0)\n",
        "kills.py": "import os\nos._exit(3)\n",
        "raises.py": "x = 1\nraise KeyboardInterrupt\n",
        "broken.py": "from diagram_dsl import Flow\nflow = Flow(number=1, title='x'\n",
    }
    for name, text in sources.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    order = ["good.py", "loops.py", "good.py", "sleeps.py", "exits.py", "kills.py", "good.py", "raises.py",
             "broken.py", "good.py"]
    snapshots = dict(zip(range(len(order)), _load_all(tmp_path, order), strict=True))
    for index, name in enumerate(order):
        snapshot = snapshots[index]
        if name == "good.py":
            assert snapshot.problem is None and snapshot.svg is not None and snapshot.findings, index
            continue
        assert snapshot.problem is not None, name
        text = str(snapshot.problem)
        expected = {"loops.py": "did not finish loading within 3 s",
                    "sleeps.py": "did not finish loading within 3 s",
                    "exits.py": "exits.py:3: the module called sys.exit(0)",
                    "kills.py": "kills.py:2: the module called os._exit(3)",  # caught by the loader's worker
                    "raises.py": "raises.py:2: the module raised KeyboardInterrupt",
                    "broken.py": "broken.py:2: syntax error"}[name]
        assert expected in text, text


def test_an_edited_helper_module_is_seen_on_the_next_load(tmp_path: Path) -> None:
    (tmp_path / "_names.py").write_text('SERVICE = "Billing"\n', encoding="utf-8")
    prelude = f"import sys\nsys.path.insert(0, {str(tmp_path)!r})\nfrom _names import SERVICE\n"
    flow = prelude + GOOD.replace('flow.service("B")', "flow.service(SERVICE)")
    (tmp_path / "flow.py").write_text(flow, encoding="utf-8")

    async def run() -> tuple[Snapshot, Snapshot]:
        loader = FlowLoader(tmp_path, timeout=10)
        try:
            first = await loader.load(tmp_path / "flow.py", "flow.py")
            (tmp_path / "_names.py").write_text('SERVICE = "Invoicing"\n', encoding="utf-8")
            second = await loader.load(tmp_path / "flow.py", "flow.py")
            return first, second
        finally:
            await loader.stop()

    first, second = run_async(run)
    assert first.model is not None and second.model is not None
    assert [p.label for p in first.model.diagram.participants] == ["A", "Billing"]
    assert [p.label for p in second.model.diagram.participants] == ["A", "Invoicing"]
    assert str(tmp_path) not in sys.path  # the flow's change to the import path stayed in the loader process
