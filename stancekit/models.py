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
    :mod:`stancekit._tsc`. A statement that does not mention the target is
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
import re
import sqlite3
import time
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._utils import StancekitError, progress
from .schema import SCORE_COLUMNS, STANCE_LABELS

log = logging.getLogger(__name__)

#: Output order of every probability array (same as ``stancekit._tsc.LABELS``).
LABELS: tuple[str, ...] = tuple(STANCE_LABELS)

#: Extra columns next to ``SCORE_COLUMNS``.
EXTRA_COLUMNS = ["truncated", "lang_flag"]

#: Words kept around the mention for VADER; about two news sentences
#: (a Reuters sentence averages ~25 words), VADER being built for short texts.
VADER_WINDOW_WORDS = 50

#: Default NLI hypotheses, after Allaway & McKeown (2020)-style zero-shot stance prompts.
DEFAULT_TEMPLATES: dict[str, str] = {
    "favor": "The author is in favor of {target}.",
    "against": "The author is against {target}.",
    "none": "The author is neutral toward {target}.",
}

#: Built-in aliases added to a :class:`Target` whose name (without a leading
#: "the", case-insensitive) is a key here. Kept short on purpose: news usage
#: for the most common state actors only; pass ``builtin_aliases=False`` to skip.
BUILTIN_ALIASES: dict[str, tuple[str, ...]] = {
    "united states": ("US", "U.S.", "USA", "U.S.A.", "America", "Washington"),
    "united kingdom": ("UK", "U.K.", "Britain", "Great Britain", "London"),
    "european union": ("EU", "E.U.", "Brussels"),
    "china": ("PRC", "Beijing", "People's Republic of China"),
    "russia": ("Russian Federation", "Moscow", "Kremlin"),
    "canada": ("Ottawa",),
}

#: Parameters per SQLite ``IN (...)`` query; SQLite's default limit is 32766.
_SQL_CHUNK = 900

# Common English function words for the cheap language flag (hand-picked:
# the most frequent words of English news text).
_EN_STOPWORDS = frozenset(
    "the a an and or but of to in on at for with from by as is are was were be been being it its "
    "this that these those he she they we you i his her their our your not no have has had will "
    "would can could should said says say who which what there than then also more about after".split()
)
_ASCII_WORD = re.compile(r"[a-z]+")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_ASCII_RUN = re.compile(r"[\x00-\x7f]+")
#: A text is flagged "non-en?" below these shares (English news prose has ~35-45 % stopwords).
_MIN_ASCII_LETTER_SHARE = 0.85
_MIN_STOPWORD_SHARE = 0.08


# --- targets --------------------------------------------------------------------


class Target:
    """A target phrase with optional aliases, and the rule to find it in a text.

    Parameters
    ----------
    name : str
        The target as it is reported (``"the United States"``).
    aliases : iterable of str
        Other ways the text may refer to it (``["US", "America"]``).
    builtin_aliases : bool
        Add :data:`BUILTIN_ALIASES` for a few common state actors.

    Examples
    --------
    >>> t = Target("the United States", aliases=["US"], builtin_aliases=False)
    >>> t.find_mentions("Tariffs by the US. United States officials said")
    [(15, 17), (19, 32)]
    """

    def __init__(self, name: str, aliases: Iterable[str] = (), *, builtin_aliases: bool = True):
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"Invalid value {name!r} for target `name`; give a non-empty string.")
        if isinstance(aliases, str):
            aliases = [aliases]
        self.name = name.strip()
        extra: tuple[str, ...] = ()
        if builtin_aliases:
            extra = BUILTIN_ALIASES.get(_strip_the(self.name).lower(), ())
        seen: dict[str, None] = {}
        for a in [*aliases, *extra]:
            a = str(a).strip()
            if a and a.lower() != self.name.lower():
                seen.setdefault(a, None)
        self.aliases: tuple[str, ...] = tuple(seen)
        self._pattern: re.Pattern | None = None

    def __repr__(self) -> str:
        return f"Target({self.name!r}, aliases={list(self.aliases)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Target) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)

    @property
    def key(self) -> str:
        """Name and sorted aliases: the target's identity in the cache."""
        src = (self.name, self.aliases)
        if getattr(self, "_key_src", None) != src:  # computed once per (name, aliases): hot on cached runs
            self._key = json.dumps([self.name, sorted(self.aliases)], ensure_ascii=False)
            self._key_src = src
        return self._key

    def _phrases(self) -> list[str]:
        phrases = {self.name, _strip_the(self.name), *self.aliases}
        return sorted((p for p in phrases if p), key=lambda p: (-len(p), p))

    def find_mentions(self, text: str) -> list[tuple[int, int]]:
        """Character spans of the target in ``text``, in text order.

        Matching is case-insensitive at word boundaries, longest phrase first
        (so "United States" wins over "States"); the name also matches without
        a leading "the". Short all-caps aliases (acronyms such as "US") match
        case-sensitively, so that "us" the pronoun is not a mention.
        """
        if self._pattern is None:
            parts = []
            for p in self._phrases():
                esc = re.escape(p)
                if len(p) <= 4 and p.isupper():
                    esc = f"(?-i:{esc})"
                parts.append(esc)
            self._pattern = re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)
        return [m.span() for m in self._pattern.finditer(text)]


def _strip_the(name: str) -> str:
    return re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)


def _as_targets(targets: Any) -> list[Target]:
    if isinstance(targets, (str, Target)):
        targets = [targets]
    if isinstance(targets, Mapping):
        out = [t if isinstance(t, Target) else Target(str(t), aliases=a or ()) for t, a in targets.items()]
    else:
        out = []
        for t in targets:
            if isinstance(t, Target):
                out.append(t)
            elif isinstance(t, str):
                out.append(Target(t))
            else:
                raise TypeError(f"`targets` entries must be str or Target, not {type(t).__name__}.")
    if not out:
        raise ValueError("`targets` is empty; give at least one target.")
    return out


# --- cheap text heuristics ------------------------------------------------------


def lang_flag(text: str) -> str:
    """``"en"`` or ``"non-en?"``: a cheap guess from letters and English stopwords.

    A text is flagged when under 85 % of its letters are ASCII, or when it has
    5+ words of which under 8 % are common English function words.

    Examples
    --------
    >>> lang_flag("The minister said that the deal is good."), lang_flag("Der Minister sagte, das sei gut.")
    ('en', 'non-en?')
    """
    # Regex passes instead of a per-character loop: this runs on every statement, cached or not.
    if not text.isascii():
        other = sum(map(str.isalpha, _ASCII_RUN.sub("", text)))  # non-ASCII letters
        if other:
            ascii_letters = len(_ASCII_LETTER.findall(text))
            if ascii_letters / (ascii_letters + other) < _MIN_ASCII_LETTER_SHARE:
                return "non-en?"
    words = _ASCII_WORD.findall(text.lower())
    if len(words) < 5:
        return "en"
    share = sum(map(_EN_STOPWORDS.__contains__, words)) / len(words)
    return "en" if share >= _MIN_STOPWORD_SHARE else "non-en?"


def _window(text: str, offsets: Sequence[tuple[int, int]], span: tuple[int, int] | None,
            budget: int) -> tuple[int, int] | None:
    """Character window of at most ``budget`` tokens centred on ``span``; None if it all fits."""
    n = len(offsets)
    if n <= budget:
        return None
    budget = max(budget, 1)
    first = 0
    if span is not None:
        inside = [i for i, (a, b) in enumerate(offsets) if b > span[0] and a < span[1]]
        if inside:
            mid = (inside[0] + inside[-1]) // 2
            first = mid - budget // 2
    first = max(0, min(first, n - budget))
    cs, ce = offsets[first][0], offsets[first + budget - 1][1]
    lo = span[0] if span is not None and cs <= span[0] else None
    hi = span[1] if span is not None and span[1] <= ce else None
    # Cut at word boundaries: drop a word split by the window edge unless it holds the mention.
    if cs > 0 and not text[cs - 1].isspace():
        nxt = re.search(r"\s", text[cs:ce])
        if nxt is not None and (lo is None or cs + nxt.start() <= lo):
            cs += nxt.start()
    if ce < len(text) and not text[ce].isspace():
        prv = max(text.rfind(" ", cs, ce), text.rfind("\n", cs, ce))
        if prv > cs and (hi is None or prv >= hi):
            ce = prv
    while cs < ce and text[cs].isspace():
        cs += 1
    while ce > cs and text[ce - 1].isspace():
        ce -= 1
    return cs, ce


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# --- cache ----------------------------------------------------------------------


def default_cache_dir() -> Path:
    """``$STANCEKIT_CACHE_DIR`` if set, else ``platformdirs.user_cache_dir("stancekit")``."""
    env = os.environ.get("STANCEKIT_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("stancekit"))


class ScoreCache:
    """Probabilities per (model, backend settings, target, text, span) in SQLite.

    Safe for several processes: WAL journal, 30 s busy timeout, short
    ``INSERT OR REPLACE`` transactions. Reads fetch a chunk of keys with one
    ``SELECT ... IN (...)``. The connection is reopened after a fork.

    Parameters
    ----------
    path : str or path-like
        The SQLite file; its folder is created.

    Examples
    --------
    >>> import tempfile, os
    >>> c = ScoreCache(os.path.join(tempfile.mkdtemp(), "scores.sqlite"))
    >>> c.put_many([("k", (0.1, 0.2, 0.7), False)]); c.get_many(["k"])["k"]
    (0.1, 0.2, 0.7, False)
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None
        self._pid: int | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        self.path.parent.mkdir(parents=True, exist_ok=True)
        last: Exception | None = None
        for attempt in range(10):
            try:
                conn = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS scores (key TEXT PRIMARY KEY, p_against REAL NOT NULL, "
                    "p_none REAL NOT NULL, p_favor REAL NOT NULL, truncated INTEGER NOT NULL) WITHOUT ROWID"
                )
                break
            except sqlite3.OperationalError as exc:  # "database is locked" while another process sets WAL
                last = exc
                time.sleep(0.05 * (attempt + 1))
        else:
            raise last  # type: ignore[misc]
        self._conn, self._pid = conn, os.getpid()
        return conn

    def get_many(self, keys: Sequence[str]) -> dict[str, tuple[float, float, float, bool]]:
        """Cached ``(p_against, p_none, p_favor, truncated)`` for the keys found."""
        conn = self._connect()
        found: dict[str, tuple[float, float, float, bool]] = {}
        keys = list(dict.fromkeys(keys))
        for i in range(0, len(keys), _SQL_CHUNK):
            chunk = keys[i:i + _SQL_CHUNK]
            q = f"SELECT key, p_against, p_none, p_favor, truncated FROM scores WHERE key IN ({','.join('?' * len(chunk))})"
            for k, a, n, f, t in conn.execute(q, chunk):
                found[k] = (a, n, f, bool(t))
        return found

    def put_many(self, rows: Iterable[tuple[str, Sequence[float], bool]]) -> None:
        """Store ``(key, (p_against, p_none, p_favor), truncated)`` rows in one short transaction."""
        data = [(k, float(p[0]), float(p[1]), float(p[2]), int(bool(t))) for k, p, t in rows]
        if not data:
            return
        conn = self._connect()
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany("INSERT OR REPLACE INTO scores VALUES (?, ?, ?, ?, ?)", data)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        self._conn = None


# --- backends -------------------------------------------------------------------


class _Backend:
    """What the engine needs from a backend (set by ``load``)."""

    name = ""
    model_id = ""
    model_version = ""
    fingerprint = ""
    max_length = 0

    def __init__(self, owner: StanceModel):
        self.owner = owner

    def settings(self) -> dict:
        return {"backend": self.name, "max_length": self.max_length}

    def offsets(self, texts: list[str]) -> list[list[tuple[int, int]]]:
        raise NotImplementedError

    def overhead(self, target: Target, has_span: bool) -> int:
        return 0

    def score(self, texts: list[str], targets: list[Target], spans: list[tuple[int, int] | None]) -> np.ndarray:
        raise NotImplementedError


def _pick_device(device: str | None) -> str:
    import torch

    if device:
        return str(device)
    if torch.cuda.is_available():
        return "cuda"
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return "mps"
    return "cpu"


def _offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}


def _tensor_fingerprint(model) -> str:
    h = hashlib.sha256()
    for k, v in sorted(model.state_dict().items()):
        h.update(k.encode())
        h.update(v.detach().float().cpu().contiguous().numpy().tobytes())
    return "mem:" + h.hexdigest()[:16]


def _folder_fingerprint(path: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(path.iterdir()):
        if f.is_file():
            st = f.stat()
            h.update(f"{f.name}:{st.st_size}:{st.st_mtime_ns}".encode())
            if f.suffix == ".json":
                h.update(f.read_bytes())
    return "dir:" + h.hexdigest()[:16]


class _TorchBackend(_Backend):
    tokenizer: Any = None
    model: Any = None
    device = "cpu"

    def _prepare(self, model) -> Any:
        """Threads, device and precision for ``model``; returns the module to call."""
        import torch

        from . import _tsc

        o = self.owner
        if o.num_threads is not None:
            torch.set_num_threads(int(o.num_threads))
        self.device = _pick_device(o.device)
        self.precision = _tsc.resolve_precision(o._precision(), self.device)
        model.eval()
        if self.precision == "int8":
            model = _tsc.quantize_int8(model)
        return model.to(self.device)

    def _autocast(self):
        """Autocast for bf16/fp16 on plain transformers modules (a no-op context in fp32/int8)."""
        import contextlib

        import torch

        from . import _tsc

        if self.precision in ("bf16", "fp16"):
            return torch.autocast(device_type=self.device.split(":")[0], dtype=_tsc._DTYPES[self.precision])
        return contextlib.nullcontext()

    def settings(self) -> dict:
        return {**super().settings(), "precision": self.precision}

    def offsets(self, texts: list[str]) -> list[list[tuple[int, int]]]:
        enc = self.tokenizer(texts, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
        return [[tuple(o) for o in offs] for offs in enc["offset_mapping"]]

    def _n_tokens(self, *args: str) -> int:
        return len(self.tokenizer(*args, add_special_tokens=True, verbose=False)["input_ids"])

    def _load_hf(self, what: str):
        """(model, tokenizer) from ``owner.model``: a loaded pair, a local folder or a hub id."""
        o = self.owner
        if isinstance(o.model, (tuple, list)) and len(o.model) == 2:
            model, tok = o.model
            self.model_id = getattr(model.config, "name_or_path", "") or type(model).__name__
            self.fingerprint = _tensor_fingerprint(model)
            self.model_version = o.revision or self.fingerprint
            return model, tok
        if not isinstance(o.model, (str, os.PathLike)):
            raise ValueError(
                f"backend {self.name!r} needs `model`: a Hugging Face hub id, a local folder, "
                f"or a (model, tokenizer) pair; got {o.model!r}."
            )
        name = os.fspath(o.model)
        path = Path(name).expanduser()
        local = path.is_dir()
        if not local and (path.is_absolute() or name.startswith((".", "~")) or path.exists()):
            raise StancekitError(f"no {what} model folder at {name}: check the path, or pass a Hugging Face "
                                 "hub id (needs network access or a filled hub cache).")
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        src = str(path) if local else name
        # Read HF_HUB_OFFLINE now: huggingface_hub reads it only once, at import.
        kw = {"revision": o.revision, "local_files_only": _offline()}
        try:
            tok = AutoTokenizer.from_pretrained(src, **kw)
            model = AutoModelForSequenceClassification.from_pretrained(src, **kw)
        except (OSError, ValueError, KeyError, RuntimeError) as exc:
            hint = (" HF_HUB_OFFLINE is set, so only models already in the hub cache load."
                    if _offline() and not local else "")
            first = str(exc).strip().splitlines()[0].rstrip(".") if str(exc).strip() else type(exc).__name__
            raise StancekitError(f"could not load {what} model {name!r}: {first}. Check the path, or pass a "
                                 f"hub id with network access.{hint}") from exc
        self.model_id = name
        if local:
            self.fingerprint = _folder_fingerprint(path)
            self.model_version = o.revision or self.fingerprint
        else:
            commit = getattr(model.config, "_commit_hash", None) or o.revision or "unpinned"
            self.fingerprint = f"hub:{name}@{commit}"
            self.model_version = commit
        return model, tok

    def _max_length(self, tok) -> int:
        if self.owner.max_length:
            return int(self.owner.max_length)
        mml = getattr(tok, "model_max_length", None) or 512
        return int(min(mml, 512))


class _DefaultBackend(_TorchBackend):
    name = "default.v1"

    def load(self) -> None:
        from . import _tsc

        o = self.owner
        if isinstance(o.model, _tsc.TSC):
            tsc = o.model
        else:
            tsc = _tsc.load_tsc(o.model, device="cpu")
        self.tsc = tsc
        self.tokenizer = tsc.tokenizer
        self.model = self._prepare(tsc.model)
        if self.precision != "int8":
            # The fused forward (bf16 weights converted once) when the encoder is a plain BERT.
            self.model = _tsc.inference_model(self.model, self.precision)
        self.fused = isinstance(self.model, _tsc.FastTSC)
        self.model_id = tsc.name
        self.model_version = str(tsc.version)
        self.fingerprint = tsc.fingerprint
        self.max_length = int(o.max_length or tsc.max_length)
        self._overheads: dict[tuple[str, bool], int] = {}

    def overhead(self, target: Target, has_span: bool) -> int:
        key = (target.name, has_span)
        if key not in self._overheads:
            from . import _tsc

            plain = len(self.tokenizer("x", add_special_tokens=False)["input_ids"])
            enc = _tsc.encode(self.tokenizer, ["x"], [target.name], [(0, 1) if has_span else None], 10_000)
            self._overheads[key] = int(enc["input_ids"].shape[1]) - plain
        return self._overheads[key]

    def score(self, texts, targets, spans):
        import contextlib

        import torch

        from . import _tsc

        batch = _tsc.encode(self.tokenizer, texts, [t.name for t in targets], spans, self.max_length)
        batch = {k: v.to(self.device) for k, v in batch.items()}
        with torch.inference_mode(), (contextlib.nullcontext() if self.fused else self._autocast()):
            logits = self.model(**batch)
        return torch.softmax(logits.float(), dim=-1).cpu().numpy()


class _NLIBackend(_TorchBackend):
    name = "nli.v1"

    def load(self) -> None:
        o = self.owner
        templates = dict(DEFAULT_TEMPLATES if o.templates is None else o.templates)
        if set(templates) != set(LABELS):
            raise ValueError(f"`templates` must have exactly the keys {sorted(LABELS)}; got {sorted(templates)}.")
        for k, v in templates.items():
            if "{target}" not in v:
                raise ValueError(f"`templates[{k!r}]` = {v!r} lacks the placeholder '{{target}}'.")
        self.templates = templates
        model, tok = self._load_hf("NLI")
        id2label = {int(i): str(l) for i, l in model.config.id2label.items()}
        ent = [i for i, l in id2label.items() if "entail" in l.lower() and "not" not in l.lower()]
        if not ent:
            raise StancekitError(f"model {self.model_id!r} has no entailment label in config.id2label "
                                 f"{id2label}; the nli backend needs an NLI model.")
        self.entail = ent[0]
        self.tokenizer = tok
        self.model = self._prepare(model)
        self.max_length = self._max_length(tok)
        self._overheads: dict[str, int] = {}

    def settings(self) -> dict:
        return {**super().settings(), "templates": self.templates}

    def overhead(self, target: Target, has_span: bool) -> int:
        if target.name not in self._overheads:
            self._overheads[target.name] = max(
                self._n_tokens("x", h.format(target=target.name)) for h in self.templates.values()
            ) - 1
        return self._overheads[target.name]

    def score(self, texts, targets, spans):
        import torch

        prem, hyp = [], []
        for text, t in zip(texts, targets):
            for lab in LABELS:
                prem.append(text)
                hyp.append(self.templates[lab].format(target=t.name))
        enc = self.tokenizer(prem, hyp, truncation="only_first", max_length=self.max_length,
                             padding=True, return_tensors="pt")
        enc = {k: v.to(self.device) for k, v in enc.items()}
        with torch.inference_mode(), self._autocast():
            logits = self.model(**enc).logits.float()
        ent = logits[:, self.entail].reshape(len(texts), len(LABELS))
        return torch.softmax(ent, dim=-1).cpu().numpy()


#: Default label -> stance map for the classifier backend (keys lower-case).
CLASSIFIER_LABEL_MAP: dict[str, str] = {
    "positive": "favor", "pos": "favor", "favor": "favor", "favour": "favor", "support": "favor",
    "negative": "against", "neg": "against", "against": "against", "oppose": "against",
    "neutral": "none", "neu": "none", "none": "none", "neither": "none",
}


class _ClassifierBackend(_TorchBackend):
    name = "classifier.v1"

    def load(self) -> None:
        o = self.owner
        model, tok = self._load_hf("text-classification")
        id2label = {int(i): str(l) for i, l in model.config.id2label.items()}
        n = len(id2label)
        user = {str(k).lower(): v for k, v in (o.label_map or {}).items()}
        for k, v in user.items():
            if v not in LABELS:
                raise ValueError(f"Invalid value {v!r} in `label_map[{k!r}]`; choose one of {list(LABELS)}.")
        generic = {0: "against", 1: "favor"} if n == 2 else {0: "against", 1: "none", 2: "favor"}
        cols, unknown = [], []
        for i in range(n):
            lab = id2label[i].lower()
            m = re.fullmatch(r"label_(\d+)", lab)
            stance = user.get(lab) or CLASSIFIER_LABEL_MAP.get(lab)
            if stance is None and m and n in (2, 3) and not user:
                stance = generic[int(m.group(1))]
            if stance is None:
                unknown.append(id2label[i])
            cols.append(stance)
        if unknown:
            raise ValueError(f"`label_map` has no stance for model label(s) {unknown}; model labels are "
                             f"{list(id2label.values())}; map each to one of {list(LABELS)}.")
        self.label_map = {id2label[i]: cols[i] for i in range(n)}
        # (n_model_labels, 3) 0/1 matrix that sums class probabilities per stance.
        self.proj = np.zeros((n, len(LABELS)), dtype=np.float32)
        for i, s in enumerate(cols):
            self.proj[i, LABELS.index(s)] = 1.0
        self.pair = {"favor", "against"} <= {l.lower() for l in id2label.values()}
        self.tokenizer = tok
        self.model = self._prepare(model)
        self.max_length = self._max_length(tok)

    def settings(self) -> dict:
        return {**super().settings(), "label_map": self.label_map, "pair": self.pair}

    def overhead(self, target: Target, has_span: bool) -> int:
        return (self._n_tokens("x", target.name) if self.pair else self._n_tokens("x")) - 1

    def score(self, texts, targets, spans):
        import torch

        args = (texts, [t.name for t in targets]) if self.pair else (texts,)
        enc = self.tokenizer(*args, truncation="only_first" if self.pair else True, max_length=self.max_length,
                             padding=True, return_tensors="pt")
        enc = {k: v.to(self.device) for k, v in enc.items()}
        with torch.inference_mode(), self._autocast():
            probs = torch.softmax(self.model(**enc).logits.float(), dim=-1).cpu().numpy()
        return probs @ self.proj


class _VaderBackend(_Backend):
    name = "vader.v1"

    def load(self) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
        except ImportError as exc:
            raise StancekitError("the vader backend needs vaderSentiment: pip install vaderSentiment") from exc
        self.analyzer = SentimentIntensityAnalyzer()
        try:
            v = version("vaderSentiment")
        except PackageNotFoundError:  # pragma: no cover
            v = "unknown"
        self.model_id, self.model_version = "vaderSentiment", v
        self.fingerprint = f"vader:{v}"
        self.max_length = int(self.owner.max_length or VADER_WINDOW_WORDS)

    def offsets(self, texts):
        return [[m.span() for m in re.finditer(r"\S+", t)] for t in texts]

    def score(self, texts, targets, spans):
        c = np.array([self.analyzer.polarity_scores(t)["compound"] for t in texts], dtype=np.float64)
        return np.stack([np.maximum(-c, 0), 1 - np.abs(c), np.maximum(c, 0)], axis=1)


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
        loaded ``stancekit._tsc.TSC``). ``nli``/``classifier``: a Hugging Face
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
    from . import __version__

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


__all__ = [
    "BACKENDS",
    "BUILTIN_ALIASES",
    "CLASSIFIER_LABEL_MAP",
    "DEFAULT_TEMPLATES",
    "LABELS",
    "ScoreCache",
    "StanceModel",
    "Target",
    "default_cache_dir",
    "lang_flag",
]
