"""Emitter and real-tool throughput: emit N generated diagrams, then check them in one batch per tool."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

COUNT = 200


def _diagrams(count: int) -> list[object]:
    import strategies  # type: ignore[import-not-found]
    from hypothesis import HealthCheck, Phase, given, settings

    drawn: list[object] = []

    @settings(max_examples=count, database=None, derandomize=True, phases=[Phase.generate], deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(strategies.diagrams(hostile=True))
    def collect(diagram: object) -> None:
        drawn.append(diagram)

    collect()
    return drawn


def main() -> None:
    from diagram_dsl import toolchain
    from diagram_dsl.emit import emit_mermaid, emit_plantuml

    diagrams = _diagrams(COUNT)
    rows: list[tuple[str, float]] = []
    start = time.perf_counter()
    puml = [emit_plantuml(d) for d in diagrams]  # type: ignore[arg-type]
    rows.append(("emit_plantuml", time.perf_counter() - start))
    start = time.perf_counter()
    mmd = [emit_mermaid(d) for d in diagrams]  # type: ignore[arg-type]
    rows.append(("emit_mermaid", time.perf_counter() - start))
    for name, run in (("plantuml_syntax_check", lambda: toolchain.plantuml_syntax_check(puml)),
                      ("plantuml_render_svg", lambda: toolchain.plantuml_render_svg(puml)),
                      ("mermaid_parse", lambda: toolchain.mermaid_parse(mmd))):
        start = time.perf_counter()
        try:
            run()
        except toolchain.ToolError as error:
            print(f"{name}: skipped ({error})")
            continue
        rows.append((name, time.perf_counter() - start))
    print(f"{'step':24} {'diagrams':>8} {'total s':>8} {'ms/diagram':>10}")
    for name, seconds in rows:
        print(f"{name:24} {len(diagrams):>8} {seconds:>8.2f} {1000 * seconds / len(diagrams):>10.2f}")


if __name__ == "__main__":
    main()
