"""The validator's score on its seeded-defect corpus (tests/seeded): what `make score` prints, with the time it takes.

Every mistake should be caught, at its line, as exactly one finding; every correct twin should give none.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

SCORER = Path(__file__).resolve().parents[1] / "tests" / "seeded" / "scorer.py"


def main() -> None:
    spec = importlib.util.spec_from_file_location("seeded_scorer", SCORER)
    assert spec is not None and spec.loader is not None
    scorer = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = scorer
    spec.loader.exec_module(scorer)
    start = time.perf_counter()
    outcomes = scorer.score()
    elapsed = time.perf_counter() - start
    print(scorer.table(outcomes))
    for problem in scorer.problems(outcomes):
        print(f"  {problem}")
    print(f"({len(outcomes)} cases in {elapsed:.2f} s)")


if __name__ == "__main__":
    main()
