"""Score extract_statements(method=rules|model|both) on PolNeAR, per method and per gold kind.

A development script of the attribution tagger (not the project's official
PolNeAR evaluation, which is ``stancekit evaluate-statements --gold-format
polnear``): it carries the minimal gold reader and matcher it needs.

Gold: one row per Content part of every PolNeAR attribution (first annotator).
Its kind comes from the quote marks and the cue: ``direct`` (the part is a
quotation), ``evaluative`` (accuse / blame / praise / criticize / call ...),
``belief`` (believe / think / hope / plan / fear / see ...), else ``indirect``.

Matching: the rule of ``stancekit.evaluation``: one-to-one, greedy by largest
overlap, spans overlapping by at least half the shorter one; where the gold
Source is a name, the predicted speaker must share a capitalised name word
with it ("Trump" matches "Donald Trump"). A gold part whose Source is a
pronoun, a description ("officials") or missing needs the span only.

Usage::

    python tools/eval_tagger_polnear.py --split heldout            # the tagger's held-out train articles
    python tools/eval_tagger_polnear.py --split dev --methods rules model both

``--split dev`` appends one line to ``tools/polnear_dev_looks.log`` (dev is looked at rarely and counted).
Prints one line per method and one JSON line.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import re
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from stancekit import polnear  # noqa: E402
from stancekit._lexicon import _forms  # noqa: E402
from stancekit.extraction import extract_statements  # noqa: E402
from stancekit.train_attribution import DEFAULTS, split_articles  # noqa: E402

DEV_LOG = REPO / "tools" / "polnear_dev_looks.log"

_EVALUATIVE = """accuse blame praise criticize criticise thank slam call attack condemn credit fault commend laud
applaud hail denounce chide rebuke scold lambaste blast knock mock ridicule compliment label brand dub
congratulate endorse support defend""".split()
_BELIEF = """believe think hope plan fear expect want intend feel worry doubt suspect assume wish consider view
see know understand seem appear aim hesitate prefer convince""".split()
_EVAL_FORMS = {f for lemma in _EVALUATIVE for f in _forms(lemma)} | {"thanked", "labelled", "labeled"}
_BELIEF_FORMS = {f for lemma in _BELIEF for f in _forms(lemma)} | {"saw", "seen", "knew", "known", "felt",
                                                                  "thought", "convinced", "sought"}
_QUOTES = "\"\u201c\u201d\u201e\u201f\u00ab\u00bb"
_STOP = set("""the a an he she they it we i you his her their its our my your this that these those who which
some many most several other others both all one two three mr mr. mrs. ms. dr. sen. gov. rep. president
senator governor said says according to of for and in on at by with from""".split())


def gold_kind(content: str, cue: str | None) -> str:
    t = content.strip()
    if len(t) > 2 and t[0] in _QUOTES and t.rstrip(".,;:!? ")[-1:] in _QUOTES:
        return "direct"
    words = re.findall(r"[a-z]+", (cue or "").lower())
    if any(w in _EVAL_FORMS for w in words):
        return "evaluative"
    if any(w in _BELIEF_FORMS for w in words):
        return "belief"
    return "indirect"


def name_words(name) -> set[str]:
    if name is None or (not isinstance(name, str) and pd.isna(name)):
        return set()
    out = set()
    for w in re.findall(r"[A-Z][\w.\-']*", name):
        w = re.sub(r"['\u2019]s$", "", w).lower().strip(".")
        if w and w not in _STOP:
            out.add(w)
    return out


def read_gold(split: str, data: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    if split == "heldout":
        arts = polnear.read_articles("train", path=data)
        _, held = split_articles(list(arts["article"]), DEFAULTS["holdout"], DEFAULTS["seed"])
        arts = arts[arts["article"].isin(held)]
        attr = polnear.read_attributions("train", path=data)
    else:
        arts = polnear.read_articles(split, path=data)
        attr = polnear.read_attributions(split, path=data)
    attr = attr[attr["article"].isin(set(arts["article"]))]
    texts = dict(zip(arts["article"], arts["text"]))
    rows = []
    for r in attr.itertuples(index=False):
        src = r.source if isinstance(r.source, str) else None
        names = name_words(src)
        for s, e in r.content_spans:
            rows.append({"article": r.article, "start": s, "end": e, "text": texts[r.article][s:e],
                         "source": src, "named": bool(names),
                         "kind": gold_kind(texts[r.article][s:e], r.cue if isinstance(r.cue, str) else None)})
    return arts.reset_index(drop=True), pd.DataFrame(rows)


def match(pred: pd.DataFrame, gold: pd.DataFrame, *, speakers: bool) -> list[tuple[int, int]]:
    """One-to-one greedy matches (pred index, gold index) within articles."""
    out = []
    gold_by = {a: g for a, g in gold.groupby("article", sort=False)}
    for a, p in pred.groupby("article", sort=False):
        g = gold_by.get(a)
        if g is None:
            continue
        ps, pe = p["start"].to_numpy(dtype=np.int64)[:, None], p["end"].to_numpy(dtype=np.int64)[:, None]
        gs, ge = g["start"].to_numpy()[None, :], g["end"].to_numpy()[None, :]
        ov = np.minimum(pe, ge) - np.maximum(ps, gs)
        shorter = np.minimum(pe - ps, ge - gs)
        ok = (ov > 0) & (ov >= 0.5 * shorter - 1e-9)
        if speakers:
            pw = [name_words(s) for s in p["speaker"]]
            gw = [name_words(s) if n else None for s, n in zip(g["source"], g["named"])]
            same = np.array([[gw_j is None or bool(pw_i & gw_j) for gw_j in gw] for pw_i in pw], dtype=bool)
            ok &= same
        ii, jj = np.nonzero(ok)
        order = sorted(range(len(ii)), key=lambda k: (-ov[ii[k], jj[k]], ii[k], jj[k]))
        up, ug = set(), set()
        for k in order:
            i, j = ii[k], jj[k]
            if i in up or j in ug:
                continue
            up.add(i)
            ug.add(j)
            out.append((int(p.index[i]), int(g.index[j])))
    return out


def scores(pred: pd.DataFrame, gold: pd.DataFrame) -> dict:
    pred = pred.drop_duplicates(["article", "start", "end", "speaker"]).reset_index(drop=True)
    full = match(pred, gold, speakers=True)
    span = match(pred, gold, speakers=False)
    npred, ngold = len(pred), len(gold)

    def prf(tp):
        p = tp / npred if npred else float("nan")
        r = tp / ngold if ngold else float("nan")
        return p, r, (2 * tp / (npred + ngold) if npred + ngold else float("nan"))

    p, r, f = prf(len(full))
    sp, sr, sf = prf(len(span))
    hit = {j for _, j in full}
    by_kind = {}
    for kind, g in gold.groupby("kind"):
        by_kind[kind] = {"n_gold": len(g), "recall": round(sum(j in hit for j in g.index) / len(g), 4)}
    pred_kinds = pred["kind"].value_counts().to_dict()
    tp_pred = pred.loc[[i for i, _ in full], "kind"].value_counts().to_dict()
    by_pred_kind = {k: {"n_pred": int(n), "precision": round(tp_pred.get(k, 0) / n, 4)} for k, n in pred_kinds.items()}
    return {"n_gold": ngold, "n_pred": npred, "tp": len(full), "precision": round(p, 4), "recall": round(r, 4),
            "f1": round(f, 4), "span_precision": round(sp, 4), "span_recall": round(sr, 4), "span_f1": round(sf, 4),
            "recall_by_gold_kind": by_kind, "precision_by_pred_kind": by_pred_kind}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(REPO.parent / "shared" / "data" / "polnear"))
    ap.add_argument("--split", choices=["heldout", "dev"], default="heldout")
    ap.add_argument("--methods", nargs="+", default=["rules", "model", "both"], choices=["rules", "model", "both"])
    ap.add_argument("--limit", type=int, default=None, help="first N articles only")
    ap.add_argument("--save", default=None, help="write predictions of each method as <save>.<method>.csv")
    args = ap.parse_args(argv)
    arts, gold = read_gold(args.split, Path(args.data))
    if args.limit:
        arts = arts.iloc[: args.limit]
        gold = gold[gold["article"].isin(set(arts["article"]))].reset_index(drop=True)
    if args.split == "dev":
        with open(DEV_LOG, "a", encoding="utf-8") as fh:
            fh.write(f"{_dt.datetime.now().isoformat(timespec='seconds')}\t{' '.join(args.methods)}\t"
                     f"{len(arts)} articles\n")
    extract_statements(arts.iloc[:1], show_progress=False)      # load spaCy before timing
    result = {"split": args.split, "articles": len(arts), "chars": int(arts["text"].str.len().sum())}
    for m in args.methods:
        if m != "rules":
            extract_statements(arts.iloc[:1], method=m, show_progress=False)   # load the tagger before timing
        t = time.perf_counter()
        pred = extract_statements(arts, method=m, show_progress=False)
        dt = time.perf_counter() - t
        if args.save:
            pred.to_csv(f"{args.save}.{m}.csv", index=False)
        s = scores(pred, gold)
        s["seconds"] = round(dt, 2)
        s["articles_per_s"] = round(len(arts) / dt, 2)
        result[m] = s
        print(f"{args.split:8s} {m:6s} P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f} | span F1 "
              f"{s['span_f1']:.3f} | n_pred {s['n_pred']} n_gold {s['n_gold']} | {s['articles_per_s']} art/s | "
              + " ".join(f"{k} R={v['recall']:.2f}" for k, v in s["recall_by_gold_kind"].items()), flush=True)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
