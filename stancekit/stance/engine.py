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
``llm.v1``
    A large language model behind any OpenAI-compatible server (vLLM,
    Ollama, llama.cpp, OpenAI), see :mod:`stancekit.stance.llm`. Pairs run
    concurrently; a pair that still fails after the retries gets NaN
    probabilities and ``stance`` None, and is not cached.

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

from .._utils import is_missing, progress
from .backend import LABELS, _Backend
from .cache import ScoreCache, default_cache_dir
from .classifier import _ClassifierBackend
from .default import _DefaultBackend
from .llm import _LLMBackend
from .nli import _NLIBackend
from .frame import frame_text, prepare_pair
from .mentions import resolve_mention
from .targets import Target, _as_targets
from .text import _sha, _window, lang_flag
from .vader import _VaderBackend

log = logging.getLogger(__name__)

#: Finished pairs of a streaming backend written to the cache per transaction (also at least once a second).
_STREAM_FLUSH = 32

#: Extra columns next to ``SCORE_COLUMNS``.
EXTRA_COLUMNS = ["truncated", "lang_flag"]

#: Backend registry: versioned name -> class. ``backend="nli"`` picks the latest ``nli.v*``.
BACKENDS: dict[str, type[_Backend]] = {
    "default.v1": _DefaultBackend,
    "nli.v1": _NLIBackend,
    "classifier.v1": _ClassifierBackend,
    "vader.v1": _VaderBackend,
    "llm.v1": _LLMBackend,
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
    **options
        Backend-specific options, refused by the other backends. ``llm``:
        ``base_url``, ``api_key_env``, ``max_concurrency``, ``timeout``,
        ``max_retries``, ``price_per_1k``, ``few_shot``, ... (see
        :data:`stancekit.stance.llm.LLM_OPTIONS`).

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
                 cache_dir: str | os.PathLike | None = None, show_progress: bool | None = None, **options: Any):
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
        self.options = options

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
        unknown = sorted(set(self.options) - set(BACKENDS[name].OPTIONS))
        if unknown:
            raise ValueError(f"Unknown option(s) {unknown} for backend {name!r}; "
                             f"valid: {sorted(BACKENDS[name].OPTIONS) or 'none'}.")
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
            return {} if method.startswith("get") else None
        try:
            return getattr(self.cache_, method)(*args)
        except (sqlite3.Error, OSError) as exc:  # OSError: the cache folder is a file, or not writable
            warnings.warn(f"score cache {self.cache_.path} disabled for this run: {exc}", stacklevel=4)
            self.cache_ = None
            return {} if method.startswith("get") else None

    # -- engine --

    def _score(self, texts: list[str], targets: list[Target], spans: list[tuple[int, int] | None],
               extras: list[dict] | None = None, info_out: list | None = None):
        """Probabilities (n, 3) and truncated flags for aligned pairs.

        ``extras``: per-pair fields the backend reads (``pair_fields``), part of
        the cache key. ``info_out``: a list that receives one info dict (or
        None) per pair, for backends with ``info_columns``. Rows of NaN
        probabilities (pairs a backend failed on) are returned but not cached.
        """
        b = self._load()
        n = len(texts)
        extras = extras if extras is not None else [{}] * n
        info: list[dict | None] = [None] * n
        probs = np.zeros((n, len(LABELS)), dtype=np.float64)
        trunc = np.zeros(n, dtype=bool)
        todo = [i for i in range(n) if texts[i].strip()]
        probs[[i for i in range(n) if not texts[i].strip()], LABELS.index("none")] = 1.0
        shas = {t: _sha(t) for t in {texts[i] for i in todo}}
        keys = {}
        for i in todo:
            sp = "-" if spans[i] is None else f"{spans[i][0]}:{spans[i][1]}"
            raw = f"{self.settings_key_}\x1f{targets[i].key}\x1f{shas[texts[i]]}\x1f{sp}"
            if extras[i]:  # only backends with pair_fields: other keys stay as they were
                raw += "\x1f" + _sha(json.dumps(extras[i], sort_keys=True, default=str))
            keys[i] = hashlib.sha256(raw.encode()).hexdigest()
        hits = self._cache_call("get_many", [keys[i] for i in todo])
        miss = []
        for i in todo:
            h = hits.get(keys[i])
            if h is None:
                miss.append(i)
            else:
                probs[i], trunc[i] = h[:3], h[3]
        if info_out is not None and b.info_columns and len(miss) < len(todo):
            missed = set(miss)
            for i, note in self._hit_info(keys, [i for i in todo if i not in missed]):
                info[i] = note
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
            if b.streams:
                self._score_stream(b, miss, items, targets, extras, keys, probs, trunc, info)
            else:
                # Longest first, like sentence-transformers: padding waste stays low, order is restored below.
                order = sorted(miss, key=lambda i: -items[i][2])
                bs = self.batch_size
                with progress(total=math.ceil(len(order) / bs), desc="stance", unit="batch",
                              show_progress=self.show_progress) as bar:
                    for s in range(0, len(order), bs):
                        idx = order[s:s + bs]
                        p = b.score([items[i][0] for i in idx], [targets[i] for i in idx], [items[i][1] for i in idx])
                        probs[idx] = p
                        self._cache_call("put_many", [(keys[i], probs[i], trunc[i]) for i in idx
                                                      if np.isfinite(probs[i]).all()])
                        bar.update(1)
        for i in dups:
            probs[i], trunc[i], info[i] = probs[first[keys[i]]], trunc[first[keys[i]]], info[first[keys[i]]]
        if info_out is not None:
            info_out[:] = info
        return probs, trunc

    # -- adaptation --

    def fine_tune(self, data: pd.DataFrame, *, out: str | os.PathLike | None = None, text: str = "text",
                  target: str = "target", stance: str = "stance", articles: Any = None, epochs: int | None = None,
                  lr: float | None = None, batch_size: int | None = None, seed: int | None = None) -> StanceModel:
        """Adapt this model to your own labelled statements; returns ``self``, now using the adapted model.

        Only the default backend (or an artifact of it) can be fine-tuned. A few
        hundred labels and a few minutes on a CPU are typical (README, learning
        curve). See :func:`stancekit.stance.train.fine_tune` for the details.

        Parameters
        ----------
        data : pandas.DataFrame
            Labelled pairs: ``text``, ``target``, ``stance`` (favor / none / against),
            optionally ``speaker``, ``cue``, ``article``, ``start``.
        out : path, optional
            Also write the adapted artifact here; ``StanceModel(out)`` loads it later.
        articles : pandas.DataFrame or dict, optional
            Article texts, as for :meth:`predict`.
        epochs, lr, batch_size, seed : optional
            Override the fine-tuning defaults (``FINE_TUNE_DEFAULTS``).

        Examples
        --------
        >>> sm = StanceModel().fine_tune(my_labels, out="my-model/")  # doctest: +SKIP
        >>> StanceModel("my-model/").predict(statements, targets=["Donald Trump"])  # doctest: +SKIP
        """
        from . import tsc as _tsc
        from .train import fine_tune

        if _resolve_backend(self.backend) != "default.v1":
            raise ValueError(f"fine_tune works with the default backend only, not {self.backend!r}.")
        init = self.model
        if init is None and getattr(self, "backend_", None) is not None and isinstance(self.backend_.tsc, _tsc.TSC):
            init = self.backend_.tsc
        tsc = fine_tune(data, init=init, out=out, text=text, target=target, stance=stance, articles=articles,
                        show_progress=self.show_progress, epochs=epochs, lr=lr, batch_size=batch_size, seed=seed)
        self.model = tsc
        self.backend_ = None
        return self

    def _hit_info(self, keys: dict, idx: list[int]):
        found = self._cache_call("get_info", [keys[i] for i in idx])
        for i in idx:
            if keys[i] in found:
                try:
                    yield i, json.loads(found[keys[i]])
                except ValueError:
                    pass

    def _score_stream(self, b, miss, items, targets, extras, keys, probs, trunc, info) -> None:
        """All misses to ``b.score_stream`` at once (its own concurrency applies); cache as pairs finish.

        Finished pairs are written every ``_STREAM_FLUSH`` pairs or second, and
        on the way out (also on Ctrl-C or an error), so an interrupted run
        resumes where it stopped. Failed (NaN) pairs are not cached.
        """
        import time

        pending: list[int] = []
        last = time.monotonic()

        def flush() -> None:
            nonlocal last
            if pending:
                rows = [(keys[i], probs[i], trunc[i]) for i in pending]
                notes = {keys[i]: json.dumps(info[i]) for i in pending if info[i] is not None}
                self._cache_call("put_many", rows, notes)
                pending.clear()
            last = time.monotonic()

        stream = b.score_stream([items[i][0] for i in miss], [targets[i] for i in miss],
                                [items[i][1] for i in miss], [extras[i] for i in miss])
        try:
            with progress(total=len(miss), desc=f"stance ({b.name})", unit="pair",
                          show_progress=self.show_progress) as bar:
                for j, p, note in stream:
                    i = miss[j]
                    probs[i], info[i] = p, note
                    if np.isfinite(probs[i]).all():
                        pending.append(i)
                    if len(pending) >= _STREAM_FLUSH or time.monotonic() - last > 1.0:
                        flush()
                    bar.update(1)
        finally:
            stream.close()
            flush()

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
        spans = [resolve_mention(x, t)[0] for x, t in zip(texts, tl)]
        return self._score(texts, tl, spans)[0]

    def predict(self, statements: pd.DataFrame | Sequence[str], targets: Any = None, *,
                text: str = "text", articles: Any = None) -> pd.DataFrame:
        """Score every (statement, target) pair.

        Parameters
        ----------
        statements : pandas.DataFrame or list of str
            A frame with a ``text`` column (other columns are kept, e.g. speaker
            and group from :func:`stancekit.extraction.extract_statements`), or
            a list of statements. Optional columns used when present:
            ``speaker`` and ``cue`` (the reporting frame: models trained with it
            read "SPEAKER CUE: statement"; a statement whose speaker is the
            target, or its side, is the target's own), and ``article`` +
            ``start`` (where the statement sits in its article, for ``articles=``).
        targets : list of str/Target, dict or None
            Targets to score every statement against; a dict maps a name to its
            aliases. None reads a ``target`` column (and optional
            ``target_start``/``target_end`` mention offsets) from the frame.
        text : str
            The column holding the statement text.
        articles : pandas.DataFrame or dict, optional
            The articles the statements come from (a frame with ``article`` and
            ``text`` columns as from :func:`stancekit.io.read_articles`, or a
            dict of article id -> text). With them, pronouns and role nouns
            that refer to the target through the article count as mentions
            (:mod:`stancekit.stance.mentions`); needs an ``article`` column.

        Returns
        -------
        pandas.DataFrame
            One row per statement and target (statement-major, then target
            order): the input columns plus ``SCORE_COLUMNS``, ``target_mention``
            (name / alias / role / pronoun / speaker / cue / given / none: how
            the target was found, :data:`stancekit.stance.mentions.MENTION_KINDS`), ``target_start``/``target_end`` (the mention in
            ``text``, pd.NA when none), ``truncated`` and ``lang_flag``.
            ``df.attrs["stancekit"]`` records backend, model, fingerprint and version.

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
        elif isinstance(statements, Sequence) and not isinstance(statements, (bytes, bytearray)):
            frame = pd.DataFrame({text: list(statements)})
        else:
            raise TypeError(f"`statements` must be a DataFrame or a list of str, not {type(statements).__name__}.")
        if targets is not None:
            tlist = _as_targets(targets)  # checked before any work
        elif "target" not in frame.columns:
            raise ValueError("Give `targets`, or a `target` column in `statements`.")
        art_texts = _article_texts(articles, frame)
        raw = frame[text].tolist()
        bad = sum(not isinstance(t, str) for t in raw)
        if bad:
            warnings.warn(f"{bad} statement(s) without text scored as empty (stance 'none').", stacklevel=2)
        texts = [_clean_text(t) for t in raw]
        n = len(frame)
        speakers = _column(frame, "speaker", n)
        cues = _column(frame, "cue", n)
        art_ids = _column(frame, "article", n)
        starts = _column(frame, "start", n)
        rows, tl, spans, hows = [], [], [], []

        b = self._load()
        use_frame = bool(getattr(b, "uses_frame", False))
        model_texts: list[str] = []
        model_spans: list[tuple[int, int] | None] = []

        def add(r: int, t: Target, given: tuple[int, int] | None = None) -> None:
            spk, cue = _str_or_none(speakers[r]), _str_or_none(cues[r])
            if given is not None:
                framed, shift, _ = frame_text(texts[r], spk, cue) if use_frame else (texts[r], 0, None)
                model_texts.append(framed)
                model_spans.append((given[0] + shift, given[1] + shift))
                spans.append(given)
                hows.append("given")
                return
            art = art_texts.get(art_ids[r]) if art_texts and isinstance(art_ids[r], str) else None
            mtext, mspan, span, how = prepare_pair(texts[r], t, speaker=spk, cue=cue, article=art,
                                                   start=_int_or_none(starts[r]), frame=use_frame)
            model_texts.append(mtext)
            model_spans.append(mspan)
            spans.append(span)
            hows.append(how)

        if targets is None:
            if "target" not in frame.columns:
                raise ValueError("Give `targets`, or a `target` column in `statements`.")
            tstarts = _column(frame, "target_start", n)
            tends = _column(frame, "target_end", n)
            tcache: dict[str, Target] = {}
            bad_spans = 0
            for r, (name, s, e) in enumerate(zip(frame["target"].tolist(), tstarts, tends)):
                if isinstance(name, Target):
                    t = name
                elif isinstance(name, str) and name.strip():
                    t = tcache.setdefault(name, Target(name))
                else:
                    raise ValueError(f"row {r} of `statements` has no target ({name!r}).")
                rows.append(r)
                tl.append(t)
                span = _given_span(s, e, len(texts[r]))
                if span is None and not (_is_na(s) and _is_na(e)):
                    bad_spans += 1
                add(r, t, span)
            if bad_spans:
                warnings.warn(f"{bad_spans} row(s) with target_start/target_end out of range or reversed; "
                              "their mentions were looked up in the text instead.", stacklevel=2)
        else:
            for r in range(n):
                for t in tlist:
                    rows.append(r)
                    tl.append(t)
                    add(r, t)
        pair_texts = [texts[r] for r in rows]
        extras = _pair_extras(frame, rows, b.pair_fields)
        if art_texts and "context" in b.pair_fields and "context" not in frame.columns:
            extras = _add_article_context(extras, rows, art_ids, starts, texts, art_texts)
        info: list = []
        probs, trunc = self._score(model_texts, tl, model_spans, extras=extras, info_out=info)
        flags = {x: lang_flag(x) for x in set(texts)}
        out = frame.iloc[rows].reset_index(drop=True)
        p_against, p_none, p_favor = probs[:, 0], probs[:, 1], probs[:, 2]
        stance = np.array(LABELS, dtype=object)[probs.argmax(axis=1)]
        stance[np.isnan(probs).any(axis=1)] = None  # a pair the backend failed on
        scores = pd.DataFrame({
            "target": [t.name for t in tl],
            "stance": stance,
            "p_favor": p_favor,
            "p_none": p_none,
            "p_against": p_against,
            "tone": p_favor - p_against,
            "intensity": 1.0 - p_none,
            "target_mentioned": [h != "none" for h in hows],
            "target_mention": hows,
            "target_start": pd.array([sp[0] if sp is not None else pd.NA for sp in spans], dtype="Int64"),
            "target_end": pd.array([sp[1] if sp is not None else pd.NA for sp in spans], dtype="Int64"),
            "model": b.model_id,
            "model_version": b.model_version,
            "truncated": trunc,
            "lang_flag": [flags[x] for x in pair_texts],
        })
        for col in b.info_columns:
            scores[col] = [note.get(col) if note else None for note in info]
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


def _pair_extras(frame: pd.DataFrame, rows: list[int], fields: Sequence[str]) -> list[dict] | None:
    """Per-pair values of the frame columns a backend reads (``pair_fields``), missing ones left out."""
    cols = {f: frame[f].tolist() for f in fields if f in frame.columns}
    if not cols:
        return None
    out = []
    for r in rows:
        d = {}
        for f, vals in cols.items():
            v = vals[r]
            if not is_missing(v) and str(v).strip():
                d[f] = str(v).strip()
        out.append(d)
    return out


def _add_article_context(extras: list[dict] | None, rows: list[int], art_ids: list, starts: list, texts: list[str],
                         art_texts: dict[str, str]) -> list[dict]:
    """Add ``context`` (the sentences around the statement) for backends that read it (llm)."""
    from .llm_prompt import context_around

    extras = extras if extras is not None else [{} for _ in rows]
    for k, r in enumerate(rows):
        art = art_texts.get(art_ids[r]) if isinstance(art_ids[r], str) else None
        st = _int_or_none(starts[r])
        if art and st is not None and texts[r] and 0 <= st < st + len(texts[r]) <= len(art):
            extras[k] = {**extras[k], "context": context_around(art, st, st + len(texts[r]))}
    return extras


def _clean_text(t: Any) -> str:
    return t if isinstance(t, str) else ""


def _is_na(v: Any) -> bool:
    try:
        return v is None or bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _int_or_none(v: Any) -> int | None:
    if _is_na(v):
        return None
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def _str_or_none(v: Any) -> str | None:
    return v if isinstance(v, str) and v.strip() else None


def _column(frame: pd.DataFrame, name: str, n: int) -> list:
    return frame[name].tolist() if name in frame.columns else [None] * n


def _article_texts(articles: Any, frame: pd.DataFrame) -> dict[str, str]:
    """article id -> text from ``articles`` (a frame or a dict); {} when None."""
    if articles is None:
        return {}
    if "article" not in frame.columns:
        raise ValueError("`articles` needs an `article` column in `statements` to find each statement's article.")
    if isinstance(articles, pd.DataFrame):
        missing = [c for c in ("article", "text") if c not in articles.columns]
        if missing:
            raise KeyError(f"`articles` lacks column(s) {missing}; it has {list(articles.columns)}.")
        return {str(a): t for a, t in zip(articles["article"], articles["text"]) if isinstance(t, str)}
    if isinstance(articles, Mapping):
        return {str(a): t for a, t in articles.items() if isinstance(t, str)}
    raise TypeError(f"`articles` must be a DataFrame with article and text columns or a dict of id -> text, "
                    f"not {type(articles).__name__}.")


def _given_span(s: Any, e: Any, n: int) -> tuple[int, int] | None:
    try:
        if s is None or e is None or pd.isna(s) or pd.isna(e):
            return None
        s, e = int(s), int(e)
    except (TypeError, ValueError):
        return None
    return (s, e) if 0 <= s < e <= n else None
