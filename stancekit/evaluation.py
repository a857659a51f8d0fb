"""Score extracted statements against hand-annotated gold spans.

A predicted statement row counts as correct (a true positive) when it matches a
gold row of the same article: the two character spans overlap by at least
``min_overlap`` of the *shorter* span, and the speakers agree after
normalisation (case, whitespace, a leading "the"/"a"/"an"; with a registry,
aliases map to the canonical name). Matching is one-to-one and greedy, largest
overlap first, so a prediction can only be credited once. The same matching
without the speaker condition gives span-only ("detection") scores, so that
attribution errors can be told apart from detection errors.

The scheme follows the span-overlap evaluation used for quote attribution in
Pareti (2016), "PARC 3.0: A Corpus of Attribution Relations" (LREC), and
Newell, Margolin & Ruths (2018), "An Attribution Relations Corpus for Political
News" (LREC): partial span credit, speaker match required for attribution.

This module uses pandas/numpy only and imports nothing else from stancekit
besides ``schema`` and ``_utils``.
"""
from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._utils import StancekitError, check_choice
from .schema import STATEMENT_JSONL_REQUIRED, check_frame

log = logging.getLogger(__name__)

__all__ = ["read_gold", "evaluate_statements", "statement_errors", "normalize_speaker", "same_name",
           "match_stance", "evaluate_stance", "KIND_FAMILY", "SPEAKER_MATCHES"]

#: Columns of the frame returned by :func:`evaluate_statements` (after the key column).
SCORE_TABLE_COLUMNS = [
    "n_gold", "n_pred", "tp", "precision", "recall", "f1",
    "span_tp", "span_precision", "span_recall", "span_f1",
]

#: Columns of the frame returned by :func:`statement_errors`.
ERROR_COLUMNS = [
    "article", "error", "gold_speaker", "pred_speaker", "gold_kind",
    "gold_start", "gold_end", "pred_start", "pred_end", "overlap", "gold_text", "pred_text",
]

#: Columns every gold line carries after :func:`read_gold` (missing optional ones are NA).
GOLD_COLUMNS = ["article", "statement_id", "speaker", "group", "kind", "cue", "via", "text", "start", "end"]

_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+")
_SPACE = re.compile(r"\s+")

#: Speaker comparisons: ``"exact"`` compares normalised names (stancekit's own gold);
#: ``"name"`` compares a gold mention as written ("Mr. Trump", "Sen. Bernie Sanders (I-Vt.)")
#: with a resolved name (see :func:`same_name`), as PolNeAR's Sources need.
SPEAKER_MATCHES = ("exact", "name")

#: Statement kinds grouped into the families the PolNeAR tables report
#: (partial quotes, continuations and reported acts are indirect speech).
KIND_FAMILY = {"direct": "direct", "indirect": "indirect", "mixed": "indirect", "continuation": "indirect",
               "reported": "indirect", "evaluative": "evaluative", "belief": "belief"}

# Last words of an organisation speaking for a person ("Clinton campaign" is not "Clinton").
_ORG_WORDS = frozenset("""campaign camp team administration office staff aides allies foundation family
supporters spokesman spokeswoman spokesperson""".split())

# Titles and honorifics that do not belong to a name when names are compared.
_NAME_TITLES = frozenset("""mr mrs ms miss dr sen senator rep representative gov governor president pres
vice secretary sec gen general lt col adm judge justice rev reverend speaker chairman chairwoman mayor
former candidate nominee presidential prof sir dame lord lady atty attorney the a an""".split())

# --------------------------------------------------------------------------
# Gold files
# --------------------------------------------------------------------------


def read_gold(path: str | os.PathLike) -> pd.DataFrame:
    """Read gold statements from one JSONL file or a folder of ``*.jsonl`` files.

    Each line is one statement span with at least the fields
    ``article, speaker, group, kind, cue, text, start, end``
    (``stancekit.schema.STATEMENT_JSONL_REQUIRED``); ``statement_id`` and ``via``
    are optional.

    Parameters
    ----------
    path : str or path-like
        A ``.jsonl`` file, or a folder whose ``*.jsonl`` files are read in name order.

    Returns
    -------
    pandas.DataFrame
        One row per line, columns ``article, statement_id, speaker, group, kind,
        cue, via, text, start, end`` (plus any extra fields), ``start``/``end`` as
        int64. Missing values are ``pd.NA``.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist, or a folder holds no ``.jsonl`` file.
    StancekitError
        If a line is not a JSON object, lacks a required field, or has bad offsets;
        the message names the file and line.

    Examples
    --------
    >>> gold = read_gold("tests/data/gold")                   # doctest: +SKIP
    >>> gold.groupby("article").size().head(2)                 # doctest: +SKIP
    """
    path = Path(path)
    if path.is_dir():
        # Stance labels (`*.stance.jsonl`) sit beside the statement gold; they are not statements.
        files = sorted(p for p in path.glob("*.jsonl") if not p.name.endswith(".stance.jsonl"))
        if not files:
            raise FileNotFoundError(f"No .jsonl gold files in folder {str(path)!r}.")
    elif path.is_file():
        files = [path]
    else:
        raise FileNotFoundError(f"Gold path {str(path)!r} does not exist.")
    records: list[dict[str, Any]] = []
    for file in files:
        with open(file, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                where = f"{file}:{lineno}"
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise StancekitError(f"{where}: not valid JSON ({exc.msg}).") from exc
                if not isinstance(rec, dict):
                    raise StancekitError(f"{where}: expected a JSON object, got {type(rec).__name__}.")
                missing = [k for k in STATEMENT_JSONL_REQUIRED if k not in rec]
                if missing:
                    raise StancekitError(f"{where}: missing field(s) {missing}.")
                start, end = rec["start"], rec["end"]
                if not (isinstance(start, int) and isinstance(end, int)) or not 0 <= start <= end:
                    raise StancekitError(f"{where}: bad offsets start={start!r}, end={end!r}.")
                if isinstance(rec["text"], str) and len(rec["text"]) != end - start:
                    raise StancekitError(
                        f"{where}: text has {len(rec['text'])} characters but end - start = {end - start}."
                    )
                records.append(rec)
    columns = list(GOLD_COLUMNS) + sorted({k for r in records for k in r} - set(GOLD_COLUMNS))
    frame = pd.DataFrame.from_records(records, columns=columns)
    for col in columns:
        if col in ("start", "end"):
            frame[col] = frame[col].astype("int64")
        else:
            frame[col] = frame[col].astype("object").where(frame[col].notna(), pd.NA)
    return frame


# --------------------------------------------------------------------------
# Speaker normalisation
# --------------------------------------------------------------------------


def _norm_text(name: Any) -> str | None:
    if name is None or name is pd.NA or (isinstance(name, float) and np.isnan(name)):
        return None
    s = _SPACE.sub(" ", str(name).replace("\u00a0", " ")).strip().casefold()
    s = _LEADING_ARTICLE.sub("", s)
    return s or None


def _entries(obj: Any) -> Iterable[Any]:
    if isinstance(obj, Mapping):
        return obj.get("speakers") or []
    return getattr(obj, "speakers", None) or []


def _field(entry: Any, key: str) -> Any:
    if isinstance(entry, Mapping):
        return entry.get(key)
    return getattr(entry, key, None)


def _alias_map(registry: Any) -> dict[str, str]:
    """Normalised alias/name -> normalised canonical name."""
    if registry is None:
        return {}
    if isinstance(registry, (str, os.PathLike)):
        import yaml

        path = Path(registry)
        if not path.is_file():
            raise FileNotFoundError(f"Registry file {str(path)!r} does not exist.")
        registry = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if isinstance(registry, Mapping) and "speakers" not in registry:
        # A plain {alias: canonical} mapping.
        pairs = [(a, c) for a, c in registry.items()]
        pairs += [(c, c) for c in registry.values()]
    elif isinstance(registry, Mapping) or hasattr(registry, "speakers"):
        pairs = []
        for entry in _entries(registry):
            name = _field(entry, "name")
            if name is None:
                continue
            pairs.append((name, name))
            for alias in _field(entry, "aliases") or []:
                pairs.append((alias, name))
    else:
        raise TypeError(
            "`registry` must be None, a YAML path, a parsed registry mapping with a "
            f"'speakers' list, an {{alias: name}} mapping, or an object with `.speakers`; "
            f"got {type(registry).__name__}."
        )
    out: dict[str, str] = {}
    for alias, name in pairs:
        a, n = _norm_text(alias), _norm_text(name)
        if a and n:
            # First registration wins, so a canonical name always maps to itself.
            out.setdefault(a, n)
    return out


def normalize_speaker(name: Any, *, registry: Any = None) -> str | None:
    """Normalise a speaker name for comparison.

    Case-folds, collapses whitespace (non-breaking spaces included), drops a
    leading "the"/"a"/"an" and, with a registry, maps aliases to the canonical
    name (also normalised). Missing names give None.

    Parameters
    ----------
    name : str or None
        The speaker as written in a statements frame.
    registry : path, mapping or object, optional
        A registry YAML path, a parsed registry (``{"speakers": [{"name", "aliases"}]}``),
        an ``{alias: canonical}`` mapping, or an object with a ``speakers`` attribute.

    Returns
    -------
    str or None

    Examples
    --------
    >>> normalize_speaker("The  Financial Times")
    'financial times'
    >>> normalize_speaker("FT", registry={"FT": "Financial Times"})
    'financial times'
    """
    mapping = _alias_map(registry)
    s = _norm_text(name)
    if s is None:
        return None
    return mapping.get(s, s)


#: Words before "of" that make "X of Y" one name ("Bank of America", "Secretary of State ...").
_OF_NAMES = frozenset("""bank university department secretary state house office minister ministry board
council institute college school association bureau chamber church court federation league museum
party people republic union committee commission center centre foundation director chairman chief
president governor mayor attorney""".split())


def _name_words(name: Any) -> tuple[str, ...]:
    if name is None or name is pd.NA or (isinstance(name, float) and np.isnan(name)):
        return ()
    # "Sen. Dana Whitfield of Iowa", "Ana Brook of Leeds": the place is not part of the name
    m = re.match(r"^(.*?\b([A-Z][\w'\u2019.-]*))\s+of\s+[A-Z]", str(name))
    if m and m.group(2).lower().strip(".") not in _OF_NAMES:
        name = m.group(1)
    s = _norm_text(name)
    if s is None:
        return ()
    s = re.sub(r"\([^)]*\)", " ", s)
    s = re.sub(r"['\u2019]s\b|['\u2019](?=\s|$)", "", s)
    words = [w.strip(".-") for w in re.findall(r"[\w.&-]+", s)]
    words = [w for w in words if w and w not in _NAME_TITLES]
    while words and words[-1] in ("jr", "sr", "ii", "iii"):
        words.pop()
    return tuple(words)


def same_name(a: Any, b: Any) -> bool:
    """Whether two speaker names (or a name and a mention as written) name the same speaker.

    Titles and honorifics ("Mr.", "Sen.", "President"), possessives and bracketed
    parts and a trailing "of <Place>" are dropped; then the words of one name must all
    occur in the other, and the last words must agree (or the shorter name is one word
    that opens the longer: a family name written first, "Park" for "Park Ji-woo"):
    "Trump", "Mr. Trump" and "Donald J. Trump" are the same; "Bill Clinton" and
    "Hillary Clinton" are not; "Clinton campaign" is not "Clinton".

    Examples
    --------
    >>> same_name("Sen. Bernie Sanders (I-Vt.)", "Bernie Sanders"), same_name("Trump's", "Donald Trump")
    (True, True)
    >>> same_name("Bill Clinton", "Hillary Clinton"), same_name("the Clinton campaign", "Hillary Clinton")
    (False, False)
    >>> same_name("Park", "Park Ji-woo"), same_name("Sen. Dana Whitfield of Iowa", "Dana Whitfield")
    (True, True)
    """
    x, y = _name_words(a), _name_words(b)
    if not x or not y:
        return False
    short, long_ = (x, y) if len(x) <= len(y) else (y, x)
    if not set(short) <= set(long_):
        return False
    if x[-1] == y[-1]:
        return True
    # a family name written first ("Park" for "Park Ji-woo")
    return len(short) == 1 and short[0] == long_[0] and len(long_) <= 3 and long_[-1] not in _ORG_WORDS


# --------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------


def _prepare(data: pd.DataFrame, name: str, aliases: dict[str, str], keys: list[str]) -> pd.DataFrame:
    check_frame(data, ["article", "speaker", "start", "end", *[k for k in keys if k != "article"]], name=name)
    for col in ("start", "end"):
        if data[col].isna().any():
            raise ValueError(f"`{name}` has missing values in column {col!r}; every row needs character offsets.")
    frame = pd.DataFrame({
        "article": data["article"].astype("object").to_numpy(),
        "start": pd.to_numeric(data["start"]).to_numpy(dtype="int64"),
        "end": pd.to_numeric(data["end"]).to_numpy(dtype="int64"),
        "speaker": data["speaker"].astype("object").to_numpy(),
        "text": (data["text"].astype("object").to_numpy() if "text" in data.columns else pd.NA),
        "kind": (data["kind"].astype("object").to_numpy() if "kind" in data.columns else pd.NA),
        # gold rows may waive the speaker condition (a Source that only describes its speaker)
        "_check": (data["speaker_check"].fillna(True).astype(bool).to_numpy()
                   if "speaker_check" in data.columns else True),
    })
    frame["_spk"] = [(aliases.get(s, s) if s is not None else None) for s in map(_norm_text, frame["speaker"])]
    for k in keys:
        # Speakers are compared normalised, so break down by the normalised name too.
        frame[f"_key_{k}"] = frame["_spk"].to_numpy() if k == "speaker" else data[k].astype("object").to_numpy()
    # Duplicate rows (same article, span and speaker) are counted once.
    dup = frame.assign(_s=frame["_spk"].fillna("\x00")).duplicated(["article", "start", "end", "_s"])
    if dup.any():
        log.debug("%s: dropping %d duplicate row(s)", name, int(dup.sum()))
    return frame.loc[~dup].reset_index(drop=True)


def _same_speakers(psp: np.ndarray, gsp: np.ndarray, gcheck: np.ndarray, mode: str) -> np.ndarray:
    if mode == "exact":
        same = (psp[:, None] == gsp[None, :]) & (psp[:, None] != None)  # noqa: E711 - elementwise
    else:
        same = np.array([[p is not None and g is not None and same_name(p, g) for g in gsp] for p in psp],
                        dtype=bool).reshape(len(psp), len(gsp))
    return same | ~gcheck[None, :]


def _greedy(pred: pd.DataFrame, gold: pd.DataFrame, min_overlap: float, *, speakers: bool,
            mode: str = "exact") -> list[tuple[int, int, int]]:
    """One-to-one greedy matching within each article; returns (pred_idx, gold_idx, overlap)."""
    matches: list[tuple[int, int, int]] = []
    gold_by_article = {a: g for a, g in gold.groupby("article", sort=False)}
    for article, p in pred.groupby("article", sort=False):
        g = gold_by_article.get(article)
        if g is None or g.empty:
            continue
        ps, pe = p["start"].to_numpy()[:, None], p["end"].to_numpy()[:, None]
        gs, ge = g["start"].to_numpy()[None, :], g["end"].to_numpy()[None, :]
        overlap = np.minimum(pe, ge) - np.maximum(ps, gs)
        shorter = np.minimum(pe - ps, ge - gs)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(shorter > 0, overlap / np.where(shorter > 0, shorter, 1), 0.0)
        ok = (overlap > 0) & (ratio >= min_overlap - 1e-12)
        if speakers:
            col = "_spk" if mode == "exact" else "speaker"
            psp = np.array([None if pd.isna(v) else v for v in p[col]], dtype=object)
            gsp = np.array([None if pd.isna(v) else v for v in g[col]], dtype=object)
            ok &= _same_speakers(psp, gsp, g["_check"].to_numpy(dtype=bool), mode)
        ii, jj = np.nonzero(ok)
        if ii.size == 0:
            continue
        # Largest overlap first; ties by ratio, then by position, for determinism.
        order = sorted(
            range(ii.size),
            key=lambda k: (-overlap[ii[k], jj[k]], -ratio[ii[k], jj[k]], ii[k], jj[k]),
        )
        used_p: set[int] = set()
        used_g: set[int] = set()
        pidx, gidx = p.index.to_numpy(), g.index.to_numpy()
        for k in order:
            i, j = ii[k], jj[k]
            if i in used_p or j in used_g:
                continue
            used_p.add(i)
            used_g.add(j)
            matches.append((int(pidx[i]), int(gidx[j]), int(overlap[i, j])))
    return matches


def _check_min_overlap(min_overlap: Any) -> float:
    if isinstance(min_overlap, bool) or not isinstance(min_overlap, (int, float)) or not 0 < min_overlap <= 1:
        raise ValueError(f"Invalid value {min_overlap!r} for `min_overlap`; use a number in (0, 1].")
    return float(min_overlap)


def _ratio(num: float, den: float) -> float:
    return float(num) / float(den) if den else float("nan")


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def evaluate_statements(
    predicted: pd.DataFrame,
    gold: pd.DataFrame,
    *,
    registry: Any = None,
    min_overlap: float = 0.5,
    by: str | None = None,
    speaker_match: str = "exact",
) -> pd.DataFrame:
    """Precision, recall and F1 of speaker-correct statement spans, per article and overall.

    A predicted row matches a gold row of the same article when their character
    spans overlap by at least ``min_overlap`` of the shorter span and their
    speakers agree after normalisation (see :func:`normalize_speaker`).
    Matching is one-to-one, greedy by largest overlap. Rows that repeat the
    same article, span and speaker are counted once. The ``span_*`` columns
    repeat the matching without the speaker condition (detection only).

    Parameters
    ----------
    predicted : pandas.DataFrame
        Extracted statements with at least ``article, speaker, start, end``
        (as from :func:`stancekit.extraction.extract_statements`). Not modified.
    gold : pandas.DataFrame
        Gold statements with the same columns (as from :func:`read_gold`). Not modified.
    registry : path, mapping or object, optional
        Maps speaker aliases to canonical names before comparison: a registry
        YAML path, a parsed registry (``{"speakers": [{"name", "aliases"}]}``),
        an ``{alias: canonical}`` mapping, or an object with a ``speakers`` attribute.
    min_overlap : float, default 0.5
        Minimum overlap, as a fraction of the shorter span, in (0, 1].
    by : str, optional
        Column to break the scores down by; default ``"article"``. With another
        column (e.g. ``"kind"`` or ``"speaker"``; speakers are grouped by their
        normalised name), matching still happens within articles; a row for value *v* counts gold rows and recall hits whose gold
        value is *v* (``n_gold``, ``tp``) and predicted rows and precision hits
        whose predicted value is *v* (``n_pred``). ``tp`` is the gold-side count.
    speaker_match : {"exact", "name"}
        ``"exact"`` (default) compares normalised names; ``"name"`` compares a gold
        mention as written with the predicted name through :func:`same_name` (for
        PolNeAR, whose Sources are mentions such as "Mr. Trump"). In both modes a
        gold row whose ``speaker_check`` column is False accepts any speaker.

    Returns
    -------
    pandas.DataFrame
        One row per value of ``by`` (sorted), then a row ``"all"`` with
        micro-averaged scores. Columns: ``<by>, n_gold, n_pred, tp, precision,
        recall, f1, span_tp, span_precision, span_recall, span_f1``. Precision
        is NaN without predictions, recall NaN without gold rows;
        ``f1 = 2 tp / (n_gold + n_pred)`` (NaN when both are zero).

    Raises
    ------
    TypeError, KeyError
        If an input is not a DataFrame or lacks a needed column.
    ValueError
        If ``min_overlap`` is outside (0, 1].

    Examples
    --------
    >>> import pandas as pd
    >>> gold = pd.DataFrame({"article": ["a"], "speaker": ["Mark Carney"], "start": [10], "end": [40]})
    >>> pred = pd.DataFrame({"article": ["a"], "speaker": ["carney"], "start": [12], "end": [40]})
    >>> evaluate_statements(pred, gold, registry={"Carney": "Mark Carney"})[["article", "tp", "f1"]]
      article  tp   f1
    0       a   1  1.0
    1     all   1  1.0
    """
    min_overlap = _check_min_overlap(min_overlap)
    check_choice("speaker_match", speaker_match, SPEAKER_MATCHES)
    key = "article" if by is None else by
    if not isinstance(key, str):
        raise TypeError(f"`by` must be a column name (str) or None, not {type(by).__name__}.")
    aliases = _alias_map(registry)
    keys = ["article"] if key == "article" else ["article", key]
    p = _prepare(predicted, "predicted", aliases, keys)
    g = _prepare(gold, "gold", aliases, keys)
    kcol = f"_key_{key}"

    full = _greedy(p, g, min_overlap, speakers=True, mode=speaker_match)
    span = _greedy(p, g, min_overlap, speakers=False)

    def counts(matches: list[tuple[int, int, int]]) -> tuple[pd.Series, pd.Series]:
        pi = [m[0] for m in matches]
        gi = [m[1] for m in matches]
        return (p.loc[pi, kcol].value_counts(dropna=False), g.loc[gi, kcol].value_counts(dropna=False))

    tp_p, tp_g = counts(full)
    sp_p, sp_g = counts(span)
    n_gold = g[kcol].value_counts(dropna=False)
    n_pred = p[kcol].value_counts(dropna=False)
    values = sorted(set(n_gold.index) | set(n_pred.index), key=lambda v: (pd.isna(v), str(v)))
    labels: dict[Any, Any] = {}
    if key == "speaker":
        # Label each normalised speaker as spelled in the gold (else in the predictions).
        for frame_ in (p, g):
            labels.update(zip(frame_[kcol], frame_["speaker"]))

    def row(label: Any, ng: int, npred: int, tpg: int, tpp: int, sg: int, spp: int) -> dict[str, Any]:
        return {
            key: label,
            "n_gold": int(ng), "n_pred": int(npred), "tp": int(tpg),
            "precision": _ratio(tpp, npred), "recall": _ratio(tpg, ng), "f1": _ratio(tpg + tpp, ng + npred),
            "span_tp": int(sg),
            "span_precision": _ratio(spp, npred), "span_recall": _ratio(sg, ng), "span_f1": _ratio(sg + spp, ng + npred),
        }

    rows = [
        row(labels.get(v, v), n_gold.get(v, 0), n_pred.get(v, 0), tp_g.get(v, 0), tp_p.get(v, 0), sp_g.get(v, 0), sp_p.get(v, 0))
        for v in values
    ]
    rows.append(row("all", len(g), len(p), len(full), len(full), len(span), len(span)))
    out = pd.DataFrame(rows, columns=[key, *SCORE_TABLE_COLUMNS])
    out.attrs["stancekit"] = {"evaluation": {"min_overlap": min_overlap, "by": key, "speaker_match": speaker_match}}
    return out


def statement_errors(
    predicted: pd.DataFrame,
    gold: pd.DataFrame,
    *,
    registry: Any = None,
    min_overlap: float = 0.5,
    speaker_match: str = "exact",
) -> pd.DataFrame:
    """List the errors behind :func:`evaluate_statements`: misses, false positives, wrong speakers.

    Speaker-correct matches are made first (as in :func:`evaluate_statements`);
    the remaining rows are then matched on spans alone. A span match with a
    different speaker is a ``wrong_speaker`` error; a gold row left over is
    ``missed``; a predicted row left over is ``false_positive``.

    Parameters
    ----------
    predicted, gold : pandas.DataFrame
        As for :func:`evaluate_statements`. Not modified.
    registry : path, mapping or object, optional
        As for :func:`evaluate_statements`.
    min_overlap : float, default 0.5
        As for :func:`evaluate_statements`.
    speaker_match : {"exact", "name"}
        As for :func:`evaluate_statements`.

    Returns
    -------
    pandas.DataFrame
        One row per error, columns ``article, error, gold_speaker, pred_speaker,
        gold_kind, gold_start, gold_end, pred_start, pred_end, overlap, gold_text,
        pred_text`` (NA where a side is absent), sorted by article and position.

    Examples
    --------
    >>> import pandas as pd
    >>> gold = pd.DataFrame({"article": ["a"], "speaker": ["Li Haidong"], "start": [0], "end": [20]})
    >>> pred = pd.DataFrame({"article": ["a"], "speaker": ["Gao Lingyun"], "start": [0], "end": [20]})
    >>> statement_errors(pred, gold)["error"].tolist()
    ['wrong_speaker']
    """
    min_overlap = _check_min_overlap(min_overlap)
    check_choice("speaker_match", speaker_match, SPEAKER_MATCHES)
    aliases = _alias_map(registry)
    p = _prepare(predicted, "predicted", aliases, ["article"])
    g = _prepare(gold, "gold", aliases, ["article"])
    full = _greedy(p, g, min_overlap, speakers=True, mode=speaker_match)
    p_left = p.drop(index=[m[0] for m in full])
    g_left = g.drop(index=[m[1] for m in full])
    wrong = _greedy(p_left, g_left, min_overlap, speakers=False)
    p_left = p_left.drop(index=[m[0] for m in wrong])
    g_left = g_left.drop(index=[m[1] for m in wrong])

    def rec(error: str, gi: int | None, pi: int | None, overlap: Any = pd.NA) -> dict[str, Any]:
        gr = g.loc[gi] if gi is not None else None
        pr = p.loc[pi] if pi is not None else None
        return {
            "article": (gr if gr is not None else pr)["article"],
            "error": error,
            "gold_speaker": gr["speaker"] if gr is not None else pd.NA,
            "pred_speaker": pr["speaker"] if pr is not None else pd.NA,
            "gold_kind": gr["kind"] if gr is not None else pd.NA,
            "gold_start": int(gr["start"]) if gr is not None else pd.NA,
            "gold_end": int(gr["end"]) if gr is not None else pd.NA,
            "pred_start": int(pr["start"]) if pr is not None else pd.NA,
            "pred_end": int(pr["end"]) if pr is not None else pd.NA,
            "overlap": overlap,
            "gold_text": gr["text"] if gr is not None else pd.NA,
            "pred_text": pr["text"] if pr is not None else pd.NA,
        }

    records = [rec("wrong_speaker", gi, pi, ov) for pi, gi, ov in wrong]
    records += [rec("missed", gi, None) for gi in g_left.index]
    records += [rec("false_positive", None, pi) for pi in p_left.index]
    out = pd.DataFrame.from_records(records, columns=ERROR_COLUMNS)
    if out.empty:
        return out
    pos = out["gold_start"].where(out["gold_start"].notna(), out["pred_start"]).astype("int64")
    out = (
        out.assign(_pos=pos)
        .sort_values(["article", "_pos", "error"], kind="stable")
        .drop(columns="_pos")
        .reset_index(drop=True)
    )
    for col in ("gold_start", "gold_end", "pred_start", "pred_end", "overlap"):
        out[col] = out[col].astype("Int64")
    return out


# --------------------------------------------------------------------------
# Stance against hand labels
# --------------------------------------------------------------------------

_SID = re.compile(r"^(?P<article>.+?):(?P<start>\d+)-(?P<end>\d+)(?:[@:].*)?$")

#: Columns of the frame returned by :func:`match_stance`.
STANCE_MATCH_COLUMNS = ["article", "target", "start", "end", "gold_stance", "pred_stance", "speaker", "text",
                        "tone", "intensity"]


def _stance_gold_spans(gold: pd.DataFrame) -> pd.DataFrame:
    """Gold stance rows with article/start/end (parsed from ``statement_id`` when absent), one per span+target."""
    check_frame(gold, ["target", "stance"], name="gold")
    g = gold.copy()
    if not {"article", "start", "end"} <= set(g.columns):
        check_frame(g, ["statement_id"], name="gold")
        parsed = g["statement_id"].astype(str).str.extract(_SID)
        if parsed["start"].isna().any():
            bad = g.loc[parsed["start"].isna(), "statement_id"].iloc[0]
            raise ValueError(f"gold statement_id {bad!r} is not of the form 'article:start-end'.")
        g["article"], g["start"], g["end"] = parsed["article"], parsed["start"].astype(int), parsed["end"].astype(int)
    # Group-reference rows repeat one span for each member: the stance is the span's.
    return g.drop_duplicates(["article", "start", "end", "target"]).reset_index(drop=True)


def match_stance(scores: pd.DataFrame, gold: pd.DataFrame, *, min_overlap: float = 0.5) -> pd.DataFrame:
    """Pair hand stance labels with the model's stance for the same statement and target.

    Parameters
    ----------
    scores : pandas.DataFrame
        Scored statements (``article, start, end, target, stance``), as from
        :meth:`stancekit.models.StanceModel.predict` on extracted statements.
    gold : pandas.DataFrame
        Hand labels with ``target`` and ``stance`` and either ``article, start,
        end`` or a ``statement_id`` of the form ``article:start-end``.
    min_overlap : float, default 0.5
        Spans match when they overlap by at least this share of the shorter one
        (one-to-one, largest overlap first, within article and target).

    Returns
    -------
    pandas.DataFrame
        One row per gold (span, target), with the matched ``pred_stance`` (NA
        when the statement was not extracted), columns ``STANCE_MATCH_COLUMNS``.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"article": ["a"], "start": [0], "end": [10], "target": ["US"], "stance": ["against"]})
    >>> g = pd.DataFrame({"statement_id": ["a:0-9"], "target": ["US"], "stance": ["against"]})
    >>> match_stance(s, g)[["gold_stance", "pred_stance"]].values.tolist()
    [['against', 'against']]
    """
    min_overlap = _check_min_overlap(min_overlap)
    check_frame(scores, ["article", "start", "end", "target", "stance"], name="scores")
    g = _stance_gold_spans(gold)
    p = scores.reset_index(drop=True)
    rows = []
    for target, gt in g.groupby("target", sort=True):
        pt = p[p["target"] == target]
        hit = {gi: pi for pi, gi, _ in _greedy(pt, gt, min_overlap, speakers=False)}
        for gi, gr in gt.iterrows():
            pr = p.loc[hit[gi]] if gi in hit else None
            rows.append({
                "article": gr["article"], "target": target, "start": int(gr["start"]), "end": int(gr["end"]),
                "gold_stance": gr["stance"],
                "pred_stance": pr["stance"] if pr is not None else pd.NA,
                "speaker": pr["speaker"] if pr is not None and "speaker" in p.columns else gr.get("speaker", pd.NA),
                "text": (gr["text"] if "text" in g.columns
                         else pr["text"] if pr is not None and "text" in p.columns else pd.NA),
                "tone": float(pr["tone"]) if pr is not None and "tone" in p.columns else float("nan"),
                "intensity": float(pr["intensity"]) if pr is not None and "intensity" in p.columns else float("nan"),
            })
    out = pd.DataFrame(rows, columns=STANCE_MATCH_COLUMNS)
    return out.sort_values(["target", "article", "start", "end"], kind="stable").reset_index(drop=True)


def evaluate_stance(scores: pd.DataFrame, gold: pd.DataFrame, *, min_overlap: float = 0.5) -> pd.DataFrame:
    """Agreement of the model's stance with hand labels, per target and overall.

    Only gold statements that were extracted (matched by span) are compared;
    ``coverage`` says what share that is. Macro-F1 averages over the labels
    present in the gold or the predictions of that row.

    Parameters
    ----------
    scores, gold, min_overlap
        As for :func:`match_stance`.

    Returns
    -------
    pandas.DataFrame
        Columns ``target, n_gold, n_matched, coverage, accuracy, macro_f1``
        and one ``n_<label>_gold`` / ``n_<label>_pred`` pair per label; a last
        row ``target="all"``.
    """
    m = match_stance(scores, gold, min_overlap=min_overlap)
    labels = ["against", "none", "favor"]
    out = []
    for target, d in [*m.groupby("target", sort=True), ("all", m)]:
        md = d[d["pred_stance"].notna()]
        y, yhat = md["gold_stance"].astype(str).to_numpy(), md["pred_stance"].astype(str).to_numpy()
        present = sorted(set(y) | set(yhat))
        f1s = []
        for lab in present:
            tp = np.sum((y == lab) & (yhat == lab))
            denom = np.sum(y == lab) + np.sum(yhat == lab)
            f1s.append(2 * tp / denom if denom else 0.0)
        row = {"target": target, "n_gold": len(d), "n_matched": len(md), "coverage": _ratio(len(md), len(d)),
               "accuracy": float(np.mean(y == yhat)) if len(md) else float("nan"),
               "macro_f1": float(np.mean(f1s)) if f1s else float("nan")}
        for lab in labels:
            row[f"n_{lab}_gold"] = int(np.sum(y == lab))
            row[f"n_{lab}_pred"] = int(np.sum(yhat == lab))
        out.append(row)
    return pd.DataFrame(out)
