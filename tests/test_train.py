"""Training smoke test on a tiny local base model, and checks of the shipped artifact."""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from stancekit import _tsc, train  # noqa: E402
from stancekit._utils import StancekitError  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
NEWSMTSC = Path(os.environ.get("STANCEKIT_NEWSMTSC", REPO.parent / "shared" / "data" / "newsmtsc"))

# 24 hand-written NewsMTSC-style rows: 8 per polarity, mention offsets computed below.
_ROWS = [
    ("The minister praised the United States for its support.", "the United States", 1),
    ("Critics said Canada betrayed its allies.", "Canada", -1),
    ("China announced the meeting on Tuesday.", "China", 0),
] * 8


def _write_newsmtsc(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    recs = []
    for s, m, p in _ROWS:
        i = s.index(m)
        recs.append({"sentence": s, "mention": m, "from": i, "to": i + len(m), "polarity": p})
    for name in ("train.jsonl", "dev_rw.jsonl", "dev_mt.jsonl"):
        (folder / name).write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny")
    art = _tsc.build_tiny_artifact(root)
    return root, art


def test_macro_f1_known_values():
    assert train.macro_f1([0, 1, 2], [0, 1, 2]) == 1.0
    assert train.macro_f1([0, 0, 1, 1], [0, 1, 1, 1]) == pytest.approx(np.mean([2 / 3, 0.8, 0.0]))


def test_train_smoke_writes_loadable_artifact(tiny, tmp_path):
    root, _ = tiny
    data = _write_newsmtsc(tmp_path / "data")
    out = tmp_path / "model"
    # political=0: the NewsMTSC-only path (the political set is covered in test_stance_political.py).
    card = train.train(data, out, base_path=str(root / "tiny-base"), epochs=2, batch_size=8, political=0,
                       lora_r=2, lora_alpha=4, head_size=8, max_length=32, show_progress=False)
    assert {"dev_rw_macro_f1", "dev_mt_macro_f1", "history", "training_data", "base_model"} <= set(card)
    assert card["training_data"]["newsmtsc"]["licence"] == "MIT"
    assert "political" not in card["training_data"]
    assert card["base_model"]["licence"] == "Apache-2.0"
    assert len(card["history"]) >= 1
    assert (out / "adapter.safetensors").is_file() and (out / "config.json").is_file()
    tsc = _tsc.load_tsc(out)
    enc = tsc.encode(["Critics said Canada betrayed its allies."], ["Canada"], [(13, 19)])
    with torch.inference_mode():
        logits = tsc.model(**enc)
    assert logits.shape == (1, 3)
    # The card's per-precision F1 is measured on the weights as saved (fp16 storage).
    rows = train.read_newsmtsc(data / "dev_rw.jsonl")
    again = train.evaluate(_tsc.inference_model(tsc.model, "fp32"), tsc.tokenizer, rows, max_length=32)
    assert card["precision_macro_f1"]["fp32"]["dev_rw_macro_f1"] == round(again, 4)
    assert "dev_rw_macro_f1" in card["precision_macro_f1"]["int8"]


def test_train_is_deterministic(tiny, tmp_path):
    root, _ = tiny
    data = _write_newsmtsc(tmp_path / "data")
    cards = [train.train(data, tmp_path / f"m{i}", base_path=str(root / "tiny-base"), epochs=1, batch_size=8,
                         political=0, lora_r=2, lora_alpha=4, head_size=8, max_length=32, show_progress=False)
             for i in range(2)]
    assert cards[0]["history"][0]["train_loss"] == cards[1]["history"][0]["train_loss"]
    a = (tmp_path / "m0" / "adapter.safetensors").read_bytes()
    b = (tmp_path / "m1" / "adapter.safetensors").read_bytes()
    assert a == b


def test_unknown_hyperparameter_is_rejected(tmp_path):
    with pytest.raises(ValueError, match="Unknown hyper-parameter"):
        train.train(tmp_path, tmp_path / "m", bogus=1)


def test_missing_data_names_the_file(tmp_path):
    with pytest.raises(StancekitError, match="train.jsonl"):
        train.train(tmp_path, tmp_path / "m", show_progress=False)


def test_missing_artifact_says_how_to_get_it(tmp_path):
    with pytest.raises(StancekitError, match="pip install"):
        _tsc.load_tsc(tmp_path / "nowhere")


def test_broken_artifact_is_one_clear_error(tiny, tmp_path):
    _, art = tiny
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_text((art / "config.json").read_text())
    (broken / "adapter.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(StancekitError, match="broken stance model"):
        _tsc.load_tsc(broken)


def test_marking_keeps_mention_inside_markers():
    text = "Officials in Washington disagreed."
    marked, span = _tsc.mark_text(text, (13, 23))
    assert marked[span[0]:span[1]] == _tsc.MARK_OPEN + "Washington" + _tsc.MARK_CLOSE
    assert _tsc.mark_text(text, (30, 10)) == (text, None)


def test_merged_lora_equals_unmerged(tiny):
    lin = torch.nn.Linear(8, 4)
    lora = _tsc.LoRALinear(lin, r=2, alpha=4)
    torch.nn.init.normal_(lora.lora_B)
    x = torch.randn(3, 8)
    np.testing.assert_allclose(lora(x).detach().numpy(), lora.merged()(x).detach().numpy(), atol=1e-5)


# --- the shipped artifact -------------------------------------------------------


def test_shipped_artifact_is_small_and_documented():
    art = _tsc.DEFAULT_ARTIFACT
    size = sum(f.stat().st_size for f in art.iterdir())
    assert size < 5 * 1024 * 1024, f"shipped model is {size} bytes"
    card = json.loads((art / "model_card.json").read_text())
    assert card["training_data"]["newsmtsc"]["name"].startswith("NewsMTSC")
    assert card["training_data"]["political"]["political_train_items"] > 1000
    assert 0 < card["dev_rw_macro_f1"] <= 1


@pytest.mark.skipif(not (NEWSMTSC / "dev_rw.jsonl").is_file(), reason="NewsMTSC dev data not beside the repo")
def test_shipped_model_reproduces_its_card_f1():
    """Re-measure dev_rw macro-F1 of the shipped weights in the precision this machine's
    ``precision="auto"`` picks (bf16 with native bf16, else fp32), against the card."""
    tsc = _tsc.load_tsc()
    rows = train.read_newsmtsc(NEWSMTSC / "dev_rw.jsonl")
    prec = _tsc.resolve_precision("auto", "cpu")
    runner = _tsc.inference_model(tsc.model, prec)
    f1 = train.evaluate(runner, tsc.tokenizer, rows, max_length=tsc.max_length)
    # A card trained on a CPU without native bf16 has no bf16 figure: compare with fp32's then.
    entry = tsc.card["precision_macro_f1"].get(prec, {})
    card = entry.get("dev_rw_macro_f1", tsc.card["precision_macro_f1"]["fp32"]["dev_rw_macro_f1"])
    # Other CPUs round differently: a borderline prediction or two may move.
    assert f1 == pytest.approx(card, abs=0.006)
    assert f1 >= 0.80, f"shipped model's dev_rw macro-F1 in {prec} is {f1:.4f}"
    if prec != "fp32":
        fp32 = train.evaluate(_tsc.inference_model(tsc.model, "fp32"), tsc.tokenizer, rows, max_length=tsc.max_length)
        assert fp32 == pytest.approx(tsc.card["dev_rw_macro_f1"], abs=0.006)


def test_precision_f1_reports_every_precision(tiny):
    _, art = tiny
    t = _tsc.load_tsc(art)
    rows = [{"text": s, "target": m, "span": (s.index(m), s.index(m) + len(m)), "label": p + 1} for s, m, p in _ROWS]
    out = train.precision_f1(t.model, t.tokenizer, {"rw": rows, "mt": rows[:6]}, max_length=64)
    assert set(out) == {"fp32", "bf16", "int8"}
    assert 0 <= out["fp32"]["dev_rw_macro_f1"] <= 1 and 0 <= out["int8"]["dev_mt_macro_f1"] <= 1
    assert ("dev_rw_macro_f1" in out["bf16"]) == _tsc.native_bf16("cpu")
