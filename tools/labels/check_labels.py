"""Check a raw label file against its item file (format only; it never looks at a model).

    python tools/labels/check_labels.py tools/labels/raw/train_01.jsonl

Every item of tools/labels/items/<batch>.jsonl must have exactly one line with a
speaker and a label for each of TARGETS: [stance, intensity] or [stance, intensity, note],
stance in favor/against/none, intensity 0 with none and 1 or 2 otherwise.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

TARGETS = ["Donald Trump", "Hillary Clinton", "Bernie Sanders", "Barack Obama",
           "the Republican Party", "the Democratic Party", "Obamacare", "immigration"]
STANCES = {"favor", "against", "none"}
#: Round 3 (batches named country_*): the country targets.
COUNTRY_TARGETS = ["the United States", "Russia", "China", "Mexico"]


def targets_for(batch: str, item: dict | None = None) -> list[str]:
    """The targets an item of ``batch`` is labelled toward (round 4, ``world_*``: the item's own list)."""
    if batch.startswith("world"):
        if item is None:
            raise ValueError("round-4 items carry their own targets; pass the item")
        return list(item["targets"])
    return COUNTRY_TARGETS if batch.startswith("country") else TARGETS


def stance_error(stance, intensity) -> str | None:
    """What is wrong with one (stance, intensity) label, or None."""
    if stance not in STANCES or intensity not in (0, 1, 2):
        return f"bad stance/intensity {stance!r} {intensity!r}"
    if (stance == "none") != (intensity == 0):
        return f"intensity 0 goes with none only ({stance!r} {intensity!r})"
    return None


def check(path: Path) -> list[str]:
    batch = path.name.split(".")[0]
    by_id = {json.loads(x)["item_id"]: json.loads(x)
             for x in open(path.parent.parent / "items" / f"{batch}.jsonl", encoding="utf-8")}
    items = list(by_id)
    errors, seen = [], {}
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"line {n}: not JSON ({exc})")
            continue
        iid = row.get("item_id")
        if iid not in items:
            errors.append(f"line {n}: unknown item_id {iid!r}")
            continue
        if iid in seen:
            errors.append(f"line {n}: item {iid} already labelled on line {seen[iid]}")
        seen[iid] = n
        if not isinstance(row.get("speaker"), str) or not row["speaker"].strip():
            errors.append(f"line {n}: no speaker")
        labels = row.get("labels")
        want = targets_for(batch, by_id[iid])
        if not isinstance(labels, dict) or set(labels) != set(want):
            errors.append(f"line {n}: labels must have exactly the keys {want}")
            continue
        for t, v in labels.items():
            if not isinstance(v, list) or len(v) not in (2, 3):
                errors.append(f"line {n}: {t}: bad label {v!r}")
            elif (err := stance_error(v[0], v[1])) is not None:
                errors.append(f"line {n}: {t}: {err}")
    missing = [i for i in items if i not in seen]
    if missing:
        errors.append(f"{len(missing)} item(s) not labelled yet, first: {missing[0]}")
    return errors


if __name__ == "__main__":
    errs = check(Path(sys.argv[1]))
    print("\n".join(errs) if errs else "ok")
    sys.exit(1 if errs else 0)
