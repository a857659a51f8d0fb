"""Merge the raw label files into the shipped label set (ids, offsets and labels; no article text).

    python tools/labels/merge_labels.py

Writes stancekit/resources/labels/polnear_stance.jsonl (one row per item, with its
(round 3, batches country_*: polnear_stance_countries[_double].jsonl, four country targets;
round 4, batches world_*: polnear_stance_world[_double].jsonl, each item's own country targets)
label toward each target: the first labelling of every labelled item) and
polnear_stance_double.jsonl (the second, independent labelling of the double_01
items). Batches that are not labelled yet are skipped and listed. Rows are sorted
by item; `stancekit.stance.data.load_political_labels` flattens them to one row per
(item, target) and rebuilds the text from ../shared.
"""
from __future__ import annotations

import json
from pathlib import Path

from check_labels import check, targets_for

HERE = Path(__file__).resolve().parent
OUT = HERE.parents[1] / "stancekit" / "resources" / "labels"
TARGETS = ["Donald Trump", "Hillary Clinton", "Bernie Sanders", "Barack Obama",
           "the Republican Party", "the Democratic Party", "Obamacare", "immigration"]


def rows(batch: str) -> list[dict]:
    items = {json.loads(x)["item_id"]: json.loads(x) for x in open(HERE / "items" / f"{batch}.jsonl", encoding="utf-8")}
    out = []
    for line in open(HERE / "raw" / f"{batch}.jsonl", encoding="utf-8"):
        if not line.strip():
            continue
        lab = json.loads(line)
        it = items[lab["item_id"]]
        out.append({
            "item_id": it["item_id"],
            "split": "test" if it["split"] == "dev" else "train",
            "article": it["article"],
            "polnear_split": it["split"],
            "content_spans": it["content_spans"],
            "source_spans": it["source_spans"],
            "cue_spans": it["cue_spans"],
            "speaker": lab["speaker"],
            "labels": {t: [lab["labels"][t][0], int(lab["labels"][t][1])]
                       + ([lab["labels"][t][2]] if len(lab["labels"][t]) > 2 and lab["labels"][t][2] else [])
                       for t in targets_for(batch, it)},
            "batch": batch,
        })
    return out


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    sets = {"polnear_stance.jsonl": [], "polnear_stance_double.jsonl": [],
            "polnear_stance_countries.jsonl": [], "polnear_stance_countries_double.jsonl": [],
            "polnear_stance_world.jsonl": [], "polnear_stance_world_double.jsonl": []}
    missing = []
    for f in sorted((HERE / "items").glob("*.jsonl")):
        batch = f.stem
        raw = HERE / "raw" / f"{batch}.jsonl"
        if not raw.exists() or check(raw):  # absent, or still being labelled
            missing.append(batch)
            continue
        name = "polnear_stance" + ("_countries" if batch.startswith("country") else "") \
            + ("_world" if batch.startswith("world") else "") \
            + ("_double" if "double" in batch else "") + ".jsonl"
        sets[name].extend(rows(batch))
    key = lambda r: r["item_id"]
    for name, data in sets.items():
        data.sort(key=key)
        with open(OUT / name, "w", encoding="utf-8") as fh:
            for r in data:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    for name, data in sets.items():
        print(f"{name}: {len(data)} items ({sum(len(r['labels']) for r in data)} pairs)")
    print(f"not labelled yet: {missing}")


if __name__ == "__main__":
    main()
