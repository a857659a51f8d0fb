"""Check the generated set (data/generated) and report the two labellers' agreement.

    python tools/labels/generated_agreement.py            # all batches with both labellings
    python tools/labels/generated_agreement.py --check-only

Every item file `items/gen_XX.jsonl` needs one writer label per item and target in `labels_a/` and, once
labelled again, one in `labels_b/` (round-4 raw format). Prints one JSON line per batch and one for all:
pairs, agreement, Cohen's kappa, and the label counts of each labeller. It never looks at a model.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from check_labels import stance_error  # noqa: E402

from stancekit.stance.data import _read_jsonl, cohen_kappa, generated_folder  # noqa: E402


def check(folder: Path) -> list[str]:
    errors = []
    for path in sorted((folder / "items").glob("*.jsonl")):
        items = _read_jsonl(path)
        ids = [it["item_id"] for it in items]
        if len(set(ids)) != len(ids):
            errors.append(f"{path}: repeated item_id")
        for it in items:
            if not (isinstance(it.get("text"), str) and it["text"].strip() and len(it.get("targets", [])) == 2):
                errors.append(f"{path}: {it.get('item_id')}: needs text and exactly two targets")
        for who in ("labels_a", "labels_b"):
            lp = folder / who / path.name
            if not lp.is_file():
                continue
            labs = {r["item_id"]: r for r in _read_jsonl(lp)}
            for it in items:
                lab = labs.get(it["item_id"])
                if lab is None or set(lab.get("labels", {})) != set(it["targets"]):
                    errors.append(f"{lp}: {it['item_id']}: needs exactly the labels {it['targets']}")
                    continue
                for t, v in lab["labels"].items():
                    err = stance_error(v[0], v[1]) if isinstance(v, list) and len(v) in (2, 3) else f"bad label {v!r}"
                    if err:
                        errors.append(f"{lp}: {it['item_id']}: {t}: {err}")
    return errors


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folder", default=None)
    ap.add_argument("--check-only", action="store_true")
    args = ap.parse_args()
    folder = Path(args.folder) if args.folder else generated_folder()
    errors = check(folder)
    for e in errors:
        print(e, file=sys.stderr)
    if errors or args.check_only:
        return 1 if errors else 0
    from stancekit.stance.data import generated_pairs

    df = generated_pairs(folder)
    df = df[df["stance_b"].notna()]
    for name, g in [*df.groupby("batch"), ("all", df)]:
        print(json.dumps({"batch": name, "pairs": len(g), "agreement": round(float((g.stance_a == g.stance_b).mean()), 4),
                          "kappa": round(cohen_kappa(g.stance_a, g.stance_b), 4),
                          "writer": g.stance_a.value_counts().to_dict(), "second": g.stance_b.value_counts().to_dict()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
