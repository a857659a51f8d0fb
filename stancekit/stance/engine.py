"""Stance and tone scoring: one engine, four backends, an on-disk score cache.

:class:`StanceModel` scores every (statement, target) pair and returns the
input frame plus :data:`stancekit.schema.SCORE_COLUMNS` (``stance``,
``p_favor``, ``p_none``, ``p_against``, ``tone = p_favor - p_against``,
``intensity = 1 - p_none``, ...), ``truncated`` and ``lang_flag``.

Backends (registry :data:`BACKENDS`, versioned names; the bare name picks the
latest version):

``default.v1``
    The shipped offline model: all-MiniLM-L6-v2 with a LoRA adapter and a
    target-aware head trained on NewsMTSC (Hamborg & Donnay, EACL 2021),
    input = (statement with the target mention marked, target), see
    :mod:`stancekit.stance.tsc`. A statement that does not mention the target is
    still scored, with ``target_mentioned=False``.
``nli.v1``
    Zero-shot stance with any NLI model (Yin et al. 2019, "Benchmarking
    zero-shot text classification"): the statement is the premise, and one
    hypothesis per stance is built from ``templates``. The three entailment
    logits (entailment index read from ``config.id2label``) go through a
    softmax across the hypotheses, which gives ``p_favor, p_none, p_against``.
``classifier.v1``
    Any text-classification model; ``label_map`` maps model labels to
    favor/none/against (defaults cover POSITIVE/NEGATIVE/NEUTRAL,
    positive/negative/neutral, FAVOR/AGAINST/NONE and LABEL_0..). Class
    probabilities mapped to the same stance are summed. Models whose labels
    are stance labels (favor/against) get (text, target) as a sentence pair;
    sentiment models get the text alone, so they are target-blind.
``vader.v1``
    VADER (Hutto & Gilbert, ICWSM 2014) compound score of a window of
    :data:`VADER_WINDOW_WORDS` words around the first mention, target-blind.
    Mapping: ``p_favor = max(c, 0)``, ``p_against = max(-c, 0)``,
    ``p_none = 1 - |c|``; the stance is the argmax, so ``|c| > 0.5`` is
    needed for favor/against.

Truncation policy: an empty or whitespace-only statement gets ``p_none = 1``
and stance "none" without a model call. A statement longer than the model
window (``max_length`` tokens including the target and special tokens) is
cut to a character window centred on the first target mention (at the start
when the target is not mentioned), cut at word boundaries, and flagged
``truncated=True``; 10,000-character statements are fine.

Cache: probabilities are stored in SQLite (``scores.sqlite`` under
``platformdirs.user_cache_dir("stancekit")``, or ``$STANCEKIT_CACHE_DIR``, or
``cache_dir=``), keyed by the model fingerprint, backend settings, target and
aliases, the SHA-256 of the statement and the mention span. WAL mode and
short ``INSERT OR REPLACE`` transactions let several processes share it.

torch and transformers are imported inside the methods that need them.
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import sqlite3
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._utils import progress
from .backend import LABELS, _Backend
from .cache import ScoreCache, default_cache_dir
from .classifier import _ClassifierBackend
from .default import _DefaultBackend
from .nli import _NLIBackend
from .targets import Target, _as_targets
from .text import _sha, _window, lang_flag
from .vader import _VaderBackend

log = logging.getLogger(__name__)

#: Extra columns next to ``SCORE_COLUMNS``.
EXTRA_COLUMNS = ["truncated", "lang_flag"]

#: Backend registry: versioned name -> class. ``backend="nli"`` picks the latest ``nli.v*``.
BACKENDS: dict[str, type[_Backend]] = {
    "default.v1": _DefaultBackend,
    "nli.v1": _NLIBackend,
    "classifier.v1": _ClassifierBackend,
    "vader.v1": _VaderBackend,
}


def _resolve_backend(name: str) -> str:
    if name in BACKENDS:
        return name
    versions = sorted((k for k in BACKENDS if k.split(".")[0] == name), key=lambda k: int(k.rsplit("v", 1)[1]))
    if not versions:
        valid = sorted({k.split(".")[0] for k in BACKENDS}) + sorted(BACKENDS)
        raise ValueError(f"Unknown backend {name!r} for `backend`; choose one of {valid}.")
    return versions[-1]


# --- the model ------------------------------------------------------------------


class StanceModel:
    """Score the stance and tone of statements toward targets.

    scikit-learn style: ``__init__`` only stores the arguments; the model
    loads on first use, and loaded state ends in ``_`` (``backend_``,
    ``cache_``).

    Parameters
    ----------
    model : str, path, tuple or None
        ``default``: None for the shipped model, or an artifact folder (or a
        loaded ``stancekit.stance.tsc.TSC``). ``nli``/``classifier``: a Hugging Face
        hub id or a local folder, or an already loaded ``(model, tokenizer)``
        pair. ``vader``: ignored.
    backend : str
        ``"default"``, ``"nli"``, ``"classifier"`` or ``"vader"``, or a
        versioned name from :data:`BACKENDS` (``"nli.v1"``).
    revision : str, optional
        Hub revision (commit hash) to pin.
    templates : dict, optional
        ``nli`` hypotheses per stance with a ``{target}`` placeholder;
        default :data:`DEFAULT_TEMPLATES`.
    label_map : dict, optional
        ``classifier`` map from model label to favor/none/against; default
        :data:`CLASSIFIER_LABEL_MAP` (plus LABEL_0.. read as
        against/none/favor, or against/favor for two labels).
    batch_size : int
        Pairs per model call.
    device : str, optional
        "cpu", "cuda", "mps"...; None picks cuda, then mps, then cpu.
    num_threads : int, optional
        Passed to ``torch.set_num_threads`` (process-wide) when given.
    precision : str
        Compute precision of the torch backends: ``"auto"`` (default) is bf16
        where the hardware multiplies bf16 natively (CPUs with AMX or
        AVX512-BF16, CUDA with compute capability 8+), fp16 on other CUDA
        devices and fp32 elsewhere; or ``"fp32"``, ``"bf16"``, ``"fp16"``,
        ``"int8"`` (dynamic per-channel quantization of the Linear layers, CPU
        only). The model card gives the default model's dev macro-F1 in each;
        the precision is part of the cache key.
    quantize : bool
        Shorthand for ``precision="int8"``.
    max_length : int, optional
        Model window in tokens (words for vader), target and special tokens
        included; default from the model (capped at 512).
    cache : bool
        Read and write the SQLite score cache.
    cache_dir : str or path, optional
        Folder of ``scores.sqlite``; default :func:`default_cache_dir`.
    show_progress : bool or None
        Show a progress bar; None means on if the stancekit logger is at INFO or lower.

    Examples
    --------
    >>> sm = StanceModel(backend="vader", cache=False)
    >>> sm.predict(["Canada is a great friend."], targets=["Canada"])[["target", "stance"]]
       target stance
    0  Canada  favor
    """

    classes_ = np.array(LABELS)

    def __init__(self, model: Any = None, *, backend: str = "default", revision: str | None = None,
                 templates: Mapping[str, str] | None = None, label_map: Mapping[str, str] | None = None,
                 batch_size: int = 32, device: str | None = None, num_threads: int | None = None,
                 precision: str = "auto", quantize: bool = False, max_length: int | None = None, cache: bool = True,
                 cache_dir: str | os.PathLike | None = None, show_progress: bool | None = None):
        self.model = model
        self.backend = backend
        self.revision = revision
        self.templates = templates
        self.label_map = label_map
        self.batch_size = batch_size
        self.device = device
        self.num_threads = num_threads
        self.precision = precision
        self.quantize = quantize
        self.max_length = max_length
        self.cache = cache
        self.cache_dir = cache_dir
        self.show_progress = show_progress

    def __repr__(self) -> str:
        return f"StanceModel({self.model!r}, backend={self.backend!r})"

    # -- loading --

    def _precision(self) -> str:
        if self.quantize and self.precision not in ("auto", "int8"):
            raise ValueError(f"`quantize=True` means precision='int8'; it conflicts with precision={self.precision!r}.")
        return "int8" if self.quantize else self.precision

    def _load(self) -> _Backend:
        if getattr(self, "backend_", None) is not None:
            return self.backend_
        name = _resolve_backend(self.backend)
        if not isinstance(self.batch_size, int) or self.batch_size < 1:
            raise ValueError(f"Invalid value {self.batch_size!r} for `batch_size`; give a positive int.")
        b = BACKENDS[name](self)
        b.load()
        self.backend_ = b
        key = json.dumps(b.settings(), sort_keys=True, default=str)
        self.settings_key_ = hashlib.sha256(f"{b.fingerprint}\x1f{key}".encode()).hexdigest()
        self.cache_ = None
        if self.cache:
            path = Path(self.cache_dir).expanduser() if self.cache_dir else default_cache_dir()
            self.cache_ = ScoreCache(path / "scores.sqlite")
        log.debug("loaded backend %s model %s (%s)", name, b.model_id, b.fingerprint)
        return b

    def _cache_call(self, method: str, *args):
        if self.cache_ is None:
            return {} if method == "get_many" else None
        try:
            return getattr(self.cache_, method)(*args)
        except sqlite3.Error as exc:
            warnings.warn(f"score cache {self.cache_.path} disabled: {exc}", stacklevel=4)
            self.cache_ = None
            return {} if method == "get_many" else None

    # -- engine --

    def _score(self, texts: list[str], targets: list[Target], spans: list[tuple[int, int] | None]):
        """Probabilities (n, 3) and truncated flags for aligned pairs."""
        b = self._load()
        n = len(texts)
        probs = np.zeros((n, len(LABELS)), dtype=np.float64)
        trunc = np.zeros(n, dtype=bool)
        todo = [i for i in range(n) if texts[i].strip()]
        probs[[i for i in range(n) if not texts[i].strip()], LABELS.index("none")] = 1.0
        shas = {t: _sha(t) for t in {texts[i] for i in todo}}
        keys = {}
        for i in todo:
            sp = "-" if spans[i] is None else f"{spans[i][0]}:{spans[i][1]}"
            raw = f"{self.settings_key_}\x1f{targets[i].key}\x1f{shas[texts[i]]}\x1f{sp}"
            keys[i] = hashlib.sha256(raw.encode()).hexdigest()
        hits = self._cache_call("get_many", [keys[i] for i in todo])
        miss = []
        for i in todo:
            h = hits.get(keys[i])
            if h is None:
                miss.append(i)
            else:
                probs[i], trunc[i] = h[:3], h[3]
        # The same (text, target, span) twice in one call (group-reference rows,
        # syndicated copy) is scored once and copied.
        first: dict[str, int] = {}
        dups = []
        for i in miss:
            if keys[i] in first:
                dups.append(i)
            else:
                first[keys[i]] = i
        miss = [i for i in miss if first[keys[i]] == i]
        if miss:
            uniq = list(dict.fromkeys(texts[i] for i in miss))
            offs = dict(zip(uniq, b.offsets(uniq)))
            items = {}
            for i in miss:
                text, span = texts[i], spans[i]
                budget = b.max_length - b.overhead(targets[i], span is not None)
                win = _window(text, offs[text], span, max(budget, 8))
                ntok = len(offs[text])
                if win is not None:
                    cs, ce = win
                    text = text[cs:ce]
                    if span is not None:
                        span = (span[0] - cs, span[1] - cs) if cs <= span[0] and span[1] <= ce else None
                    trunc[i] = True
                    ntok = max(budget, 8)
                items[i] = (text, span, ntok)
            # Longest first, like sentence-transformers: padding waste stays low, order is restored below.
            order = sorted(miss, key=lambda i: -items[i][2])
            bs = self.batch_size
            with progress(total=math.ceil(len(order) / bs), desc="stance", unit="batch",
                          show_progress=self.show_progress) as bar:
                for s in range(0, len(order), bs):
                    idx = order[s:s + bs]
                    p = b.score([items[i][0] for i in idx], [targets[i] for i in idx], [items[i][1] for i in idx])
                    probs[idx] = p
                    self._cache_call("put_many", [(keys[i], probs[i], trunc[i]) for i in idx])
                    bar.update(1)
        for i in dups:
            probs[i], trunc[i] = probs[first[keys[i]]], trunc[first[keys[i]]]
        return probs, trunc

    # -- public --

    def predict_proba(self, texts: Sequence[str], targets: str | Target | Sequence[str | Target]) -> np.ndarray:
        """Stance probabilities for aligned (text, target) pairs.

        Parameters
        ----------
        texts : list of str
            Statements.
        targets : str, Target or list of them
            One target for all texts, or one per text.

        Returns
        -------
        numpy.ndarray
            Shape (n, 3), columns in :attr:`classes_` order (against, none, favor).

        Examples
        --------
        >>> StanceModel(backend="vader", cache=False).predict_proba(["Great deal."], "deal").shape
        (1, 3)
        """
        if isinstance(texts, str):
            raise TypeError("`texts` must be a list of str, not a single str.")
        texts = [_clean_text(t) for t in texts]
        tl = _as_targets(targets)
        if len(tl) == 1:
            tl = tl * len(texts)
        if len(tl) != len(texts):
            raise ValueError(f"`targets` has {len(tl)} entries for {len(texts)} texts; give one or one per text.")
        spans = [_first(t.find_mentions(x)) for x, t in zip(texts, tl)]
        return self._score(texts, tl, spans)[0]

    def predict(self, statements: pd.DataFrame | Sequence[str], targets: Any = None, *,
                text: str = "text") -> pd.DataFrame:
        """Score every (statement, target) pair.

        Parameters
        ----------
        statements : pandas.DataFrame or list of str
            A frame with a ``text`` column (other columns are kept, e.g. speaker
            and group from :func:`stancekit.extraction.extract_statements`), or
            a list of statements.
        targets : list of str/Target, dict or None
            Targets to score every statement against; a dict maps a name to its
            aliases. None reads a ``target`` column (and optional
            ``target_start``/``target_end`` mention offsets) from the frame.
        text : str
            The column holding the statement text.

        Returns
        -------
        pandas.DataFrame
            One row per statement and target (statement-major, then target
            order): the input columns plus ``SCORE_COLUMNS``, ``truncated`` and
            ``lang_flag``. ``df.attrs["stancekit"]`` records backend, model,
            fingerprint and version.

        Examples
        --------
        >>> sm = StanceModel(backend="vader", cache=False)
        >>> sm.predict(["We hate the terrible US tariffs."], targets={"the United States": ["US"]}).stance.tolist()
        ['against']
        """
        if isinstance(statements, str):
            raise TypeError("`statements` must be a DataFrame or a list of str, not a single str.")
        if isinstance(statements, pd.DataFrame):
            frame = statements
            if text not in frame.columns:
                raise KeyError(f"`statements` lacks the text column {text!r}; it has {list(frame.columns)}.")
        else:
            frame = pd.DataFrame({text: list(statements)})
        raw = frame[text].tolist()
        bad = sum(not isinstance(t, str) for t in raw)
        if bad:
            warnings.warn(f"{bad} statement(s) without text scored as empty (stance 'none').", stacklevel=2)
        texts = [_clean_text(t) for t in raw]
        rows, tl, spans = [], [], []
        if targets is None:
            if "target" not in frame.columns:
                raise ValueError("Give `targets`, or a `target` column in `statements`.")
            starts = frame["target_start"].tolist() if "target_start" in frame.columns else [None] * len(frame)
            ends = frame["target_end"].tolist() if "target_end" in frame.columns else [None] * len(frame)
            tcache: dict[str, Target] = {}
            for r, (name, s, e) in enumerate(zip(frame["target"].tolist(), starts, ends)):
                if isinstance(name, Target):
                    t = name
                elif isinstance(name, str) and name.strip():
                    t = tcache.setdefault(name, Target(name))
                else:
                    raise ValueError(f"row {r} of `statements` has no target ({name!r}).")
                rows.append(r)
                tl.append(t)
                span = _given_span(s, e, len(texts[r]))
                spans.append(span if span is not None else _first(t.find_mentions(texts[r])))
        else:
            tlist = _as_targets(targets)
            for r, x in enumerate(texts):
                for t in tlist:
                    rows.append(r)
                    tl.append(t)
                    spans.append(_first(t.find_mentions(x)))
        b = self._load()
        pair_texts = [texts[r] for r in rows]
        probs, trunc = self._score(pair_texts, tl, spans)
        flags = {x: lang_flag(x) for x in set(texts)}
        out = frame.iloc[rows].reset_index(drop=True)
        p_against, p_none, p_favor = probs[:, 0], probs[:, 1], probs[:, 2]
        scores = pd.DataFrame({
            "target": [t.name for t in tl],
            "stance": np.array(LABELS, dtype=object)[probs.argmax(axis=1)],
            "p_favor": p_favor,
            "p_none": p_none,
            "p_against": p_against,
            "tone": p_favor - p_against,
            "intensity": 1.0 - p_none,
            "target_mentioned": [s is not None for s in spans],
            "model": b.model_id,
            "model_version": b.model_version,
            "truncated": trunc,
            "lang_flag": [flags[x] for x in pair_texts],
        })
        keep = [c for c in out.columns if c not in scores.columns]
        result = pd.concat([out[keep], scores], axis=1)
        result.attrs = dict(frame.attrs)
        result.attrs["stancekit"] = {
            **dict(frame.attrs.get("stancekit", {})),
            "backend": b.name,
            "model": b.model_id,
            "model_version": b.model_version,
            "revision": self.revision,
            "fingerprint": b.fingerprint,
            "settings": b.settings(),
            "stancekit_version": _version(),
        }
        return result


def _version() -> str:
    from .. import __version__

    return __version__


def _clean_text(t: Any) -> str:
    return t if isinstance(t, str) else ""


def _first(spans: list[tuple[int, int]]) -> tuple[int, int] | None:
    return spans[0] if spans else None


def _given_span(s: Any, e: Any, n: int) -> tuple[int, int] | None:
    try:
        if s is None or e is None or pd.isna(s) or pd.isna(e):
            return None
        s, e = int(s), int(e)
    except (TypeError, ValueError):
        return None
    return (s, e) if 0 <= s < e <= n else None
