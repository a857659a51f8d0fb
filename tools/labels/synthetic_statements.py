"""Find the statements of the synthetic articles with stancekit's own extractor, for stance labelling.

    python tools/labels/synthetic_statements.py

Reads data/synthetic/articles/*.txt (invented articles on relations between states, written for the
stage-2 training set) and writes data/synthetic/statements/<stem>.jsonl, one row per extracted statement
(statement_id, speaker, group, kind, cue, via, text, start, end: offsets into the article), and
data/synthetic/targets.json (each article's two countries, merged from the writers' targets_w*.json).
The statements are the extractor's output, not hand-checked; the stance labels are made on them by reading.
Statements without a speaker are left out (no speaker, no stance to label).
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from stancekit.extraction import extract_statements
from stancekit.io import read_articles

ROOT = Path(__file__).resolve().parents[2] / "data" / "synthetic"


def main() -> None:
    targets = {}
    for f in sorted(ROOT.glob("targets_w*.json")):
        targets.update(json.loads(f.read_text(encoding="utf-8")))
    arts = read_articles(ROOT / "articles")
    missing = sorted(set(arts["article"]) - set(targets))
    if missing:
        raise SystemExit(f"no targets for {missing}")
    (ROOT / "targets.json").write_text(json.dumps(dict(sorted(targets.items())), indent=1, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    st = extract_statements(arts)
    st = st[st["speaker"].notna()]
    out = ROOT / "statements"
    out.mkdir(exist_ok=True)
    cols = ["statement_id", "speaker", "group", "kind", "cue", "via", "text", "start", "end"]
    for art, d in st.groupby("article", sort=True):
        d = d.sort_values(["start", "end", "speaker"])
        with open(out / f"{art}.jsonl", "w", encoding="utf-8") as fh:
            for r in d[cols].itertuples(index=False):
                row = {c: (None if v is None or v is pd.NA or (isinstance(v, float) and v != v) else v)
                       for c, v in zip(cols, r)}
                row["start"], row["end"] = int(row["start"]), int(row["end"])
                fh.write(json.dumps({"article": art, **row}, ensure_ascii=False) + "\n")
    print(json.dumps({"articles": int(arts.shape[0]), "statements": int(len(st))}))


if __name__ == "__main__":
    main()
