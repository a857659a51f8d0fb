"""The political stance set: hand labels on PolNeAR attributions, rebuilt into text from the corpus folder.

stancekit ships labels, not text: ``resources/labels/polnear_stance.jsonl``
holds one row per labelled PolNeAR attribution (article id, character
offsets of its Source, Cue and Content, the labeller's reading of who the
Source is) with its stance toward each of :data:`POLITICAL_TARGETS`. The
article text stays in the PolNeAR folder (``../shared/data/polnear`` or
``$STANCEKIT_POLNEAR``; the articles are their publishers' copyright) and
:func:`load_political_labels` rebuilds each statement from it.

Items were drawn by ``tools/labels/sample_items.py`` (one attribution per
article per round, contents of 3-80 words), labelled by careful reading
blind to any model output under the guidelines in
``tests/data/gold/STANCE_GUIDELINES.md``. Items from PolNeAR's train
compartment form the ``train`` split; items from its dev compartment form
the ``test`` split, which is never used for training or model selection.
``polnear_stance_double.jsonl`` holds a second, independent labelling of 40
items for :func:`agreement`.
"""
from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._utils import StancekitError, check_choice

#: The targets every item is labelled toward.
POLITICAL_TARGETS = ("Donald Trump", "Hillary Clinton", "Bernie Sanders", "Barack Obama",
                     "the Republican Party", "the Democratic Party", "Obamacare", "immigration")

#: Round 3 (``polnear_stance_countries.jsonl``): items from PolNeAR train whose content mentions a
#: country, labelled toward these four (guidelines: "Countries as targets" in STANCE_GUIDELINES.md).
COUNTRY_TARGETS = ("the United States", "Russia", "China", "Mexico")

#: The label sets :func:`load_political_labels` reads by name (file stems under resources/labels). "world"
#: (round 4): items from PolNeAR train whose content names one of about 30 countries, each labelled toward
#: the countries it names only (guidelines: "More countries").
LABEL_SETS = {"political": "polnear_stance", "countries": "polnear_stance_countries",
              "world": "polnear_stance_world"}

#: Labeller speaker values that mean "no speaker known".
_NO_SPEAKER = {"unknown", "the author", "author", "n/a", "none", ""}

#: Columns of :func:`load_political_labels`.
LABEL_COLUMNS = ["item_id", "split", "article", "start", "end", "content_spans", "text", "speaker", "source",
                 "cue", "target", "stance", "intensity", "note"]


def _in_val(article: str, share: float) -> bool:
    """Stable article-level split: the same articles are held out on every machine and run."""
    import hashlib

    h = int(hashlib.sha1(article.encode("utf-8")).hexdigest()[:8], 16)
    return (h % 1000) < share * 1000


def _label_file(name: str) -> Path:
    return Path(str(resources.files("stancekit").joinpath(f"resources/labels/{name}")))


def _targets(item: dict) -> list[str]:
    """An item's targets: the political ones first, in their order, then any others in file order."""
    labels = item["labels"]
    return [t for t in POLITICAL_TARGETS if t in labels] + [t for t in labels if t not in POLITICAL_TARGETS]


def _read_jsonl(path: Path) -> list[dict]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise StancekitError(f"{path}:{n}: not JSON ({exc.msg})") from None
    return out


def read_label_items(path: str | os.PathLike | None = None) -> list[dict]:
    """The raw label rows (one per item), from ``path``, a shipped set's name (see :data:`LABEL_SETS`)
    or, by default, the political set."""
    if path is None or (isinstance(path, str) and path in LABEL_SETS):
        p = _label_file(LABEL_SETS[path or "political"] + ".jsonl")
    else:
        p = Path(path)
    if not p.is_file():
        raise StancekitError(f"{p}: no stance label file.")
    return _read_jsonl(p)


def _join(text: str, spans: list) -> str:
    return " ... ".join(text[a:b] for a, b in spans)


def load_political_labels(split: str | None = None, *, path: str | os.PathLike | None = None,
                          polnear: str | os.PathLike | None = None) -> pd.DataFrame:
    """The political stance set, one row per (item, target), with its text rebuilt from PolNeAR.

    Parameters
    ----------
    split : {"train", "test"} or None
        ``"train"``: items from PolNeAR train; ``"test"``: items from PolNeAR
        dev (the held-out test split); None: both.
    path : path, optional
        A label file in the shipped format (default: the shipped one).
    polnear : path, optional
        The PolNeAR folder (default :func:`stancekit.polnear.default_polnear_dir`).

    Returns
    -------
    pandas.DataFrame
        :data:`LABEL_COLUMNS`: ``text`` is the content (its parts joined by
        " ... " when a quote is split by its cue), ``start``/``end`` the first
        and last content character in the article, ``source``/``cue`` the
        annotated Source and Cue text, ``speaker`` the labeller's reading of who
        the Source is (pd.NA when unknown). Sorted by item and target order.

    Raises
    ------
    StancekitError
        If the PolNeAR folder or an article is missing.

    Examples
    --------
    >>> test = load_political_labels("test")  # doctest: +SKIP
    >>> test.stance.value_counts()  # doctest: +SKIP
    """
    from .. import polnear as pn

    if split is not None:
        check_choice("split", split, ("train", "test"))
    rows = []
    for it in read_label_items(path):
        if split is not None and it["split"] != split:
            continue
        text = pn.article_text(it["article"], split=it["polnear_split"], path=polnear)
        spans = [tuple(s) for s in it["content_spans"]]
        spk = it.get("speaker")
        spk = pd.NA if not isinstance(spk, str) or spk.strip().lower() in _NO_SPEAKER else spk.strip()
        base = {
            "item_id": it["item_id"], "split": it["split"], "article": it["article"],
            "start": spans[0][0], "end": spans[-1][1], "content_spans": spans, "text": _join(text, spans),
            "speaker": spk, "source": _join(text, it["source_spans"]) or pd.NA,
            "cue": _join(text, it["cue_spans"]) or pd.NA,
        }
        for t in _targets(it):
            lab = it["labels"][t]
            rows.append({**base, "target": t, "stance": lab[0], "intensity": int(lab[1]),
                         "note": lab[2] if len(lab) > 2 else ""})
    return pd.DataFrame(rows, columns=LABEL_COLUMNS)


#: The seed article's stance labels are a test set: never read as training or selection data.
SEED_STEM = "global-times-2026-01-30-us-canada-sovereignty"

#: Share of the invented articles (by a hash of their id) that form the dev split of
#: :func:`load_statement_stance`; fixed before they were labelled.
STATEMENT_DEV_SHARE = 0.5


def synthetic_folder() -> Path:
    """The repository's ``data/synthetic``: invented articles on relations between states, their extracted
    statements and stance labels (a train-only set for stage 2 of training)."""
    return Path(__file__).resolve().parents[2] / "data" / "synthetic"


def default_statement_folder() -> Path:
    """The repository's ``tests/data`` (articles + statement and stance gold), for a source checkout."""
    return Path(__file__).resolve().parents[2] / "tests" / "data"


def load_statement_stance(split: str | None = None, *, folder: str | os.PathLike | None = None,
                          dev_share: float = STATEMENT_DEV_SHARE, statements: str = "gold",
                          stance: str = "gold") -> pd.DataFrame:
    """Stance labels on whole-article statements (the invented gold articles), one row per (statement, target).

    Reads ``FOLDER/<stance>/<stem>.stance.jsonl`` for every ``FOLDER/articles/<stem>.txt``, joined with the
    statements ``FOLDER/<statements>/<stem>.jsonl`` for offsets and cue. The seed article is never read.

    Parameters
    ----------
    split : {"train", "dev"} or None
        Articles by a hash of their id (``dev_share`` of them are dev); None: both.
    folder : path, optional
        Default :func:`default_statement_folder`.
    dev_share : float
        Share of the articles in the dev split (default :data:`STATEMENT_DEV_SHARE`; 0 for a train-only set).
    statements, stance : str
        Sub-folders holding the statement rows and the stance labels.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`load_political_labels` (``item_id`` is ``statement_id:speaker:start``, ``split``
        train/dev) plus ``article_text``.
    """
    if split is not None:
        check_choice("split", split, ("train", "dev"))
    folder = Path(folder) if folder is not None else default_statement_folder()
    arts = sorted((folder / "articles").glob("*.txt"))
    if not arts:
        raise StancekitError(f"{folder / 'articles'}: no articles (*.txt) for the statement stance labels.")
    rows = []
    for art in arts:
        stem = art.stem
        lab_path = folder / stance / f"{stem}.stance.jsonl"
        if stem == SEED_STEM or not lab_path.is_file():
            continue
        part = "dev" if _in_val(stem, dev_share) else "train"
        if split is not None and part != split:
            continue
        text = art.read_text(encoding="utf-8")
        gold = {}  # a statement split by its cue has one row per part: same id and speaker, own text
        with open(folder / statements / f"{stem}.jsonl", encoding="utf-8") as fh:
            for g in (json.loads(x) for x in fh if x.strip()):
                gold[(g["statement_id"], g["speaker"], g["text"])] = g
        with open(lab_path, encoding="utf-8") as fh:
            labels = [(n, json.loads(x)) for n, x in enumerate(fh, 1) if x.strip()]
        for n, r in labels:
            g = gold.get((r["statement_id"], r["speaker"], r.get("text")))
            if g is None:
                raise StancekitError(f"{lab_path}:{n}: no statement {r['statement_id']} by {r['speaker']} in the gold.")
            rows.append({"item_id": f"{r['statement_id']}:{r['speaker']}:{g['start']}", "split": part, "article": stem,
                         "start": int(g["start"]), "end": int(g["end"]),
                         "content_spans": [(int(g["start"]), int(g["end"]))], "text": text[g["start"]:g["end"]],
                         "speaker": r["speaker"], "source": r["speaker"], "cue": g.get("cue") or pd.NA,
                         "target": r["target"], "stance": r["stance"], "intensity": int(r["intensity"]),
                         "note": r.get("rationale", ""), "article_text": text})
    return pd.DataFrame(rows, columns=LABEL_COLUMNS + ["article_text"])


def generated_folder() -> Path:
    """The repository's ``data/generated``: statement-level items on relations between states, written and
    labelled twice by helpers (a train-only set for stage 2 of training; round 5 of the guidelines)."""
    return Path(__file__).resolve().parents[2] / "data" / "generated"


def generated_pairs(folder: str | os.PathLike | None = None) -> pd.DataFrame:
    """Both labels of every (item, target) pair of the generated set, one row per pair.

    Returns
    -------
    pandas.DataFrame
        ``batch, item_id, speaker, cue, text, target, stance_a, intensity_a, stance_b`` (``stance_b`` is
        None where the batch has no second labelling yet).
    """
    folder = Path(folder) if folder is not None else generated_folder()
    batches = sorted((folder / "items").glob("*.jsonl"))
    if not batches:
        raise StancekitError(f"{folder / 'items'}: no item files (*.jsonl) of the generated set.")
    rows = []
    for path in batches:
        items = _read_jsonl(path)
        a_path, b_path = folder / "labels_a" / path.name, folder / "labels_b" / path.name
        if not a_path.is_file():
            raise StancekitError(f"{a_path}: the writer's labels of {path.name} are missing.")
        a = {r["item_id"]: r for r in _read_jsonl(a_path)}
        b = {r["item_id"]: r for r in _read_jsonl(b_path)} if b_path.is_file() else {}
        for it in items:
            iid = it["item_id"]
            if iid not in a:
                raise StancekitError(f"{a_path}: item {iid} has no label.")
            for t in it["targets"]:
                la = a[iid]["labels"].get(t)
                if la is None:
                    raise StancekitError(f"{a_path}: item {iid} has no label toward {t!r}.")
                lb = b.get(iid, {}).get("labels", {}).get(t)
                rows.append({"batch": path.stem, "item_id": iid, "speaker": it["speaker"], "cue": it.get("cue"),
                             "text": it["text"], "target": t, "stance_a": la[0], "intensity_a": int(la[1]),
                             "stance_b": lb[0] if lb else None})
    return pd.DataFrame(rows)


def load_generated_stance(folder: str | os.PathLike | None = None, *, agreed: bool = True) -> pd.DataFrame:
    """The generated set as training rows: the columns of :func:`load_political_labels` plus ``article_text``.

    Each item is its own "article" (its text; offsets start at 0), so splits by article hash split by item.
    With ``agreed`` (the default) only pairs whose two labellers chose the same stance are kept, with the
    writer's intensity; batches without a second labelling then contribute nothing.
    """
    pairs = generated_pairs(folder)
    if agreed:
        pairs = pairs[pairs["stance_a"] == pairs["stance_b"]]
    rows = [{"item_id": r.item_id, "split": "train", "article": r.item_id, "start": 0, "end": len(r.text),
             "content_spans": [(0, len(r.text))], "text": r.text, "speaker": r.speaker, "source": r.speaker,
             "cue": r.cue if isinstance(r.cue, str) and r.cue.strip() else pd.NA, "target": r.target,
             "stance": r.stance_a, "intensity": r.intensity_a, "note": "", "article_text": r.text}
            for r in pairs.itertuples(index=False)]
    return pd.DataFrame(rows, columns=LABEL_COLUMNS + ["article_text"])


def cohen_kappa(a: Any, b: Any) -> float:
    """Cohen's kappa of two aligned label sequences (NaN when chance agreement is 1).

    Examples
    --------
    >>> round(cohen_kappa(["x", "y", "y", "x"], ["x", "y", "x", "x"]), 3)
    0.5
    """
    a, b = list(a), list(b)
    if len(a) != len(b) or not a:
        raise ValueError(f"cohen_kappa needs two non-empty sequences of equal length; got {len(a)} and {len(b)}.")
    cats = sorted(set(a) | set(b))
    n = len(a)
    po = sum(x == y for x, y in zip(a, b)) / n
    pe = sum((a.count(c) / n) * (b.count(c) / n) for c in cats)
    return float("nan") if pe == 1 else (po - pe) / (1 - pe)


def agreement(path: str | os.PathLike | None = None, double: str | os.PathLike | None = None) -> pd.DataFrame:
    """Agreement between the first and the second labelling of the doubly labelled items.

    Returns
    -------
    pandas.DataFrame
        One row for all pairs, one for Trump and Clinton together, one per
        target: ``n`` pairs, ``agreement`` (share identical), ``kappa``
        (Cohen's), ``n_stance_first``/``n_stance_second`` (pairs either
        labeller calls favor or against).
    """
    if double is None:
        stem = next((v for k, v in LABEL_SETS.items() if path == k), "polnear_stance")
        double = _label_file(stem + "_double.jsonl")
    first = {it["item_id"]: it for it in read_label_items(path)}
    second = read_label_items(double)
    pairs = []
    for it in second:
        one = first.get(it["item_id"])
        if one is None:
            continue
        for t in _targets(it):
            pairs.append((t, one["labels"][t][0], it["labels"][t][0]))
    df = pd.DataFrame(pairs, columns=["target", "first", "second"])
    targets = list(dict.fromkeys(df["target"]))
    groups = [("all", df)]
    if set(POLITICAL_TARGETS[:2]) <= set(targets):
        groups.append(("Trump + Clinton", df[df.target.isin(POLITICAL_TARGETS[:2])]))
    groups += [(t, df[df.target == t]) for t in targets]
    out = []
    for name, g in groups:
        if g.empty:
            continue
        out.append({"targets": name, "n": len(g), "agreement": float(np.mean(g["first"] == g["second"])),
                    "kappa": cohen_kappa(g["first"], g["second"]),
                    "n_stance_first": int((g["first"] != "none").sum()),
                    "n_stance_second": int((g["second"] != "none").sum())})
    return pd.DataFrame(out)


__all__ = ["COUNTRY_TARGETS", "LABEL_COLUMNS", "LABEL_SETS", "POLITICAL_TARGETS", "agreement", "cohen_kappa",
           "generated_folder", "generated_pairs", "load_generated_stance", "load_political_labels",
           "load_statement_stance", "read_label_items"]
