"""Check a stance label file for one of the invented gold articles (format and coverage; never a model).

    python tools/labels/check_gold_stance.py tests/data/gold/<stem>.stance.jsonl
    python tools/labels/check_gold_stance.py data/synthetic/stance/<stem>.stance.jsonl   # the synthetic set

For the synthetic set the statements are data/synthetic/statements/<stem>.jsonl and the targets the article's two
countries in data/synthetic/targets.json.

The file must hold one line per (row of tests/data/gold/<stem>.jsonl, target) for the two targets
"the United States" and "Canada–China cooperation": statement_id, speaker, group, target, stance
(favor / against / none), intensity (0 with none only; 1 or 2 otherwise), rationale, text.
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from check_labels import stance_error

GOLD = Path(__file__).resolve().parents[2] / "tests" / "data" / "gold"
TARGETS = ("the United States", "Canada–China cooperation")


SYNTHETIC = Path(__file__).resolve().parents[2] / "data" / "synthetic"


def check(path: Path) -> list[str]:
    stem = path.name.split(".")[0]
    if (SYNTHETIC / "statements" / f"{stem}.jsonl").is_file():
        src = SYNTHETIC / "statements" / f"{stem}.jsonl"
        targets = tuple(json.loads((SYNTHETIC / "targets.json").read_text(encoding="utf-8"))[stem])
    else:
        src, targets = GOLD / f"{stem}.jsonl", TARGETS
    rows = [json.loads(x) for x in open(src, encoding="utf-8") if x.strip()]
    want = Counter((r["statement_id"], r["speaker"], t) for r in rows for t in targets)
    got, errors = Counter(), []
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        if not line.strip():
            continue
        try:
            r = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"line {n}: not JSON ({exc})")
            continue
        key = (r.get("statement_id"), r.get("speaker"), r.get("target"))
        if key not in want:
            errors.append(f"line {n}: no gold row / target {key}")
        got[key] += 1
        if (err := stance_error(r.get("stance"), r.get("intensity"))) is not None:
            errors.append(f"line {n}: {err}")
        if not isinstance(r.get("rationale"), str) or not r["rationale"].strip():
            errors.append(f"line {n}: no rationale")
    missing = want - got
    extra = got - want
    if missing:
        errors.append(f"{sum(missing.values())} (row, target) pair(s) not labelled, first: {next(iter(missing))}")
    if extra:
        errors.append(f"{sum(extra.values())} pair(s) labelled twice or unknown, first: {next(iter(extra))}")
    return errors


if __name__ == "__main__":
    errs = check(Path(sys.argv[1]))
    print("\n".join(errs) if errs else "ok")
    sys.exit(1 if errs else 0)
