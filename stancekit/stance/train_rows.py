"""Training rows for the stance model: NewsMTSC records, label rows, relevance pairs, length buckets, label tables.

Split out of :mod:`stancekit.stance.train` (which re-exports every name here): each function turns one kind of
labelled data into the model's rows, ``{"text", "target", "span", "label"[, "how", "item_id"]}``, where ``text``
is what the model reads (with the reporting frame when asked) and ``span`` the target's mention in it; and
``_read_labels`` reads a user's label table (CSV / JSONL / Parquet) for ``stancekit train --init``.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np

from .._utils import StancekitError


def read_newsmtsc(path: str | Path) -> list[dict]:
    """Read one NewsMTSC jsonl file into dicts with sentence, mention span and label index."""
    path = Path(path)
    if not path.is_file():
        raise StancekitError(f"{path}: NewsMTSC file not found (expected train.jsonl, dev_rw.jsonl, dev_mt.jsonl)")
    rows = []
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
                rows.append({"text": r["sentence"], "target": r["mention"], "span": (int(r["from"]), int(r["to"])),
                             "label": int(r["polarity"]) + 1})
            except (ValueError, KeyError) as exc:
                raise StancekitError(f"{path}:{i}: not a NewsMTSC record ({exc})") from exc
    return rows


def macro_f1(y_true, y_pred, n_classes: int = 3) -> float:
    """Macro-averaged F1 over ``n_classes`` (a class absent from both counts as F1 0)."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    f1s = []
    for c in range(n_classes):
        tp = np.sum((y_true == c) & (y_pred == c))
        fp = np.sum((y_true != c) & (y_pred == c))
        fn = np.sum((y_true == c) & (y_pred != c))
        f1s.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return float(np.mean(f1s))


def _frame_row(text: str, target, speaker, cue, *, frame: bool, article: str | None = None,
               start: int | None = None) -> tuple[str, tuple[int, int] | None, str]:
    """(model text, target span in it, how) for one statement and target, as the engine builds them."""
    from .frame import prepare_pair

    mtext, mspan, _, how = prepare_pair(text, target, speaker=speaker, cue=cue, article=article, start=start,
                                        frame=frame)
    return mtext, mspan, how


def political_rows(labels, *, frame: bool, rng: random.Random | None = None, absent_keep: float = 1.0,
                   unframed_copy: float = 0.0, polnear=None) -> list[dict]:
    """Model rows from political label rows (:func:`stancekit.stance.data.load_political_labels`).

    With ``rng``, pairs whose statement does not refer to the target are kept
    with probability ``absent_keep``, and a pair gets an extra copy without
    the frame with probability ``unframed_copy`` (not when the speaker is the
    target: without the frame such a label could not be read from the text).
    """
    from .. import polnear as pn
    from .targets import Target

    idx = {"against": 0, "none": 1, "favor": 2}
    targets: dict[str, Target] = {}
    out = []
    own_text = "article_text" in labels.columns
    for r in labels.itertuples(index=False):
        t = targets.setdefault(r.target, Target(r.target))
        art = r.article_text if own_text and isinstance(r.article_text, str) else \
            pn.article_text(r.article, path=polnear)
        spk = r.speaker if isinstance(r.speaker, str) else None
        cue = r.cue if isinstance(r.cue, str) else None
        text, span, how = _frame_row(r.text, t, spk, cue, frame=frame, article=art, start=int(r.start))
        if rng is not None and how == "none" and rng.random() >= absent_keep:
            continue
        row = {"text": text, "target": r.target, "span": span, "label": idx[r.stance], "how": how,
               "item_id": r.item_id}
        out.append(row)
        if rng is not None and frame and unframed_copy and how != "speaker" and rng.random() < unframed_copy:
            t2, s2, h2 = _frame_row(r.text, t, None, None, frame=False, article=art, start=int(r.start))
            if not (h2 == "none" and r.stance != "none"):  # unreadable without the frame: skip
                out.append({**row, "text": t2, "span": s2, "how": h2})
    return out


def relevance_negatives(rows: list[dict], ratio: float, rng: random.Random) -> list[dict]:
    """NewsMTSC sentences paired with another sentence's target that they do not mention: ``none``.

    Targets are the capitalised NewsMTSC mentions (names of people,
    organisations, places); a pair is kept only when no word of the target
    (3+ letters) occurs in the sentence.
    """
    import re

    pool = sorted({r["target"] for r in rows if r["target"][:1].isupper() and len(r["target"]) > 2})
    out = []
    order = list(range(len(rows)))
    rng.shuffle(order)
    for i in order[: int(len(rows) * ratio)]:
        sent = rows[i]["text"].lower()
        for _ in range(10):
            cand = pool[rng.randrange(len(pool))]
            words = [w for w in re.findall(r"[a-z]{3,}", cand.lower())]
            if words and not any(re.search(rf"\b{re.escape(w)}\b", sent) for w in words):
                out.append({"text": rows[i]["text"], "target": cand, "span": None, "label": 1, "how": "none"})
                break
    return out


def _batches_by_length(lengths: list[int], batch_size: int, rng: random.Random, shuffle: bool) -> list[list[int]]:
    """Bucket indices by token length (less padding on CPU), then shuffle the batches."""
    idx = list(range(len(lengths)))
    if shuffle:
        rng.shuffle(idx)
        chunk = batch_size * 50
        out = []
        for c in range(0, len(idx), chunk):
            part = sorted(idx[c:c + chunk], key=lambda i: lengths[i])
            out += [part[i:i + batch_size] for i in range(0, len(part), batch_size)]
        rng.shuffle(out)
        return out
    idx.sort(key=lambda i: lengths[i])
    return [idx[i:i + batch_size] for i in range(0, len(idx), batch_size)]


def _read_labels(path: str):
    """A labels table from CSV / JSONL / Parquet, with one clear error per problem."""
    import pandas as pd

    p = Path(path)
    if not p.is_file():
        raise StancekitError(f"{p}: no such labels file (with --init, --data is your labels: CSV, JSONL or Parquet).")
    try:
        if p.suffix.lower() in (".jsonl", ".ndjson"):
            df = pd.read_json(p, lines=True)
        elif p.suffix.lower() == ".parquet":
            df = pd.read_parquet(p)
        else:
            df = pd.read_csv(p)
    except Exception as exc:  # parse errors of three libraries: one line naming the file
        raise StancekitError(f"{p}: could not read labels ({type(exc).__name__}: {str(exc).splitlines()[0]})") from exc
    missing = [c for c in ("text", "target", "stance") if c not in df.columns]
    if missing:
        raise StancekitError(f"{p}: lacks column(s) {missing}; labels need text, target and stance "
                             f"(favor / none / against); it has {list(df.columns)}.")
    return df


__all__ = ["macro_f1", "political_rows", "read_newsmtsc", "relevance_negatives"]
