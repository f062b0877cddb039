"""Import, and import + validate as `check` does it, on the real-world corpus (../shared/corpus/real-world).

Every file is read into memory first, so the figures are parsing (and validating), not disk. Each
step repeats over the whole corpus until it has used at least a second of CPU; the best of three runs
is reported as diagrams per second and MB of source text per second. CPU time, not wall time: on a
machine shared with test runs, wall time measures the neighbours too.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real-world"
MIN_SECONDS = 1.0


def _sources() -> list[tuple[str, str]]:
    files = sorted(CORPUS.glob("plantuml/*.puml")) + sorted(CORPUS.glob("mermaid/*.mmd"))
    return [(str(path), path.read_text(encoding="utf-8")) for path in files]


def _rate(step: Callable[[], int]) -> tuple[float, int]:
    """Best CPU seconds per full pass over the corpus, and how many diagrams one pass yields."""
    best = float("inf")
    diagrams = 0
    for _ in range(3):
        passes, start = 0, time.process_time()
        while True:
            diagrams = step()
            passes += 1
            elapsed = time.process_time() - start
            if elapsed >= MIN_SECONDS:
                break
        best = min(best, elapsed / passes)
    return best, diagrams


def main() -> None:
    from diagram_dsl.checks.diagrams import validate_imported
    from diagram_dsl.importers import ImportedDiagram, parse_mermaid, parse_plantuml

    if not CORPUS.is_dir():
        print(f"skipped: corpus not found at {CORPUS}")
        return
    sources = _sources()
    megabytes = sum(len(text.encode("utf-8")) for _, text in sources) / 1e6

    def parse(name: str, text: str) -> list[ImportedDiagram]:
        return parse_mermaid(text, name) if name.endswith(".mmd") else parse_plantuml(text, name)

    def import_all() -> int:
        return sum(1 for name, text in sources for item in parse(name, text) if item.diagram is not None)

    def import_and_validate() -> int:
        count = 0
        for name, text in sources:
            for item in parse(name, text):
                if item.diagram is not None:
                    validate_imported(item)  # read under its own conventions, as `check` does
                    count += 1
        return count

    print(f"corpus: {len(sources)} files, {megabytes * 1000:.1f} kB")
    print(f"{'step':20} {'diagrams':>8} {'cpu ms/pass':>11} {'diagrams/s':>11} {'MB/s':>7}")
    for label, step in (("import", import_all), ("import + validate", import_and_validate)):
        seconds, diagrams = _rate(step)
        rate, throughput = diagrams / seconds, megabytes / seconds
        print(f"{label:20} {diagrams:>8} {seconds * 1000:>11.1f} {rate:>11.0f} {throughput:>7.2f}")


if __name__ == "__main__":
    main()
