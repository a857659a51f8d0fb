"""Tests for stancekit.models: engine, backends, truncation, cache, CLI `score`.

Network-free: every model is a tiny random BERT built in a session fixture
(2 layers, hidden 32, 2 heads, intermediate 64; ~110-entry word + character
vocabulary written to tmp), and the default backend uses
``stancekit._tsc.build_tiny_artifact``.
"""
from __future__ import annotations

import copy
import json
import multiprocessing as mp
import sqlite3
import string

import numpy as np
import pandas as pd
import pytest

from stancekit import StancekitError, cli
from stancekit.models import (
    BACKENDS,
    DEFAULT_TEMPLATES,
    LABELS,
    ScoreCache,
    StanceModel,
    Target,
    lang_flag,
)
from stancekit.schema import SCORE_COLUMNS
from stancekit.stance.text import _window

WORDS = ("the author is in favor of against neutral toward canada united states america us said minister "
         "government trade deal good bad great terrible tariffs we they support oppose").split()

TEXTS = [
    "Canada is a good partner, the minister said.",
    "We oppose the terrible tariffs imposed by the United States on Canada and on many other partners.",
    "Trade.",
    "America said the deal is great.",
]


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    """Never touch the user's cache or the network."""
    monkeypatch.setenv("STANCEKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="session")
def tiny(tmp_path_factory):
    """Tokenizer + tiny random BERT sequence classifiers, in memory and saved as folders."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    root = tmp_path_factory.mktemp("tiny_models")
    chars = list(string.ascii_lowercase + string.digits)
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", ",", "'", "!", "?"]
    vocab += sorted(set(WORDS)) + chars + ["##" + c for c in chars]
    (root / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tok = BertTokenizerFast(vocab=str(root / "vocab.txt"), do_lower_case=True)

    def bert(id2label, seed):
        torch.manual_seed(seed)
        cfg = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                         intermediate_size=64, max_position_embeddings=128, id2label=id2label,
                         label2id={v: k for k, v in id2label.items()})
        return BertForSequenceClassification(cfg).eval()

    nli = bert({0: "entailment", 1: "neutral", 2: "contradiction"}, 1)
    # Same network with the output rows reversed: only config.id2label says where entailment is.
    nli_rev = copy.deepcopy(nli)
    nli_rev.config.id2label = {0: "contradiction", 1: "neutral", 2: "entailment"}
    nli_rev.config.label2id = {v: k for k, v in nli_rev.config.id2label.items()}
    with torch.no_grad():
        nli_rev.classifier.weight.copy_(nli.classifier.weight.flip(0))
        nli_rev.classifier.bias.copy_(nli.classifier.bias.flip(0))
    clf = bert({0: "POSITIVE", 1: "NEGATIVE", 2: "NEUTRAL"}, 2)
    folders = {}
    for name, m in {"nli": nli, "clf": clf}.items():
        folders[name] = root / name
        m.save_pretrained(str(folders[name]))
        tok.save_pretrained(str(folders[name]))
    return {"tok": tok, "nli": nli, "nli_rev": nli_rev, "clf": clf, "folders": folders}


@pytest.fixture(scope="session")
def tiny_artifact(tmp_path_factory):
    from stancekit import _tsc

    return _tsc.build_tiny_artifact(tmp_path_factory.mktemp("tiny_tsc"))


@pytest.fixture(scope="session")
def tiny_tsc(tiny_artifact):
    from stancekit import _tsc

    return _tsc.load_tsc(tiny_artifact)


def count_calls(sm: StanceModel) -> list[int]:
    """Load ``sm`` and count forward calls of its network."""
    sm._load()
    calls = [0]

    def hook(*_):
        calls[0] += 1

    sm.backend_.model.register_forward_hook(hook)
    return calls


def nli_model(tiny, **kw) -> StanceModel:
    kw.setdefault("cache", False)
    if not kw.get("quantize"):
        kw.setdefault("precision", "fp32")  # compared with fp32 references below
    return StanceModel((tiny["nli"], tiny["tok"]), backend="nli", **kw)


# --- targets and heuristics ---------------------------------------------------


def test_target_matching_longest_first_aliases_and_the():
    t = Target("the United States", aliases=["US", "U.S.", "America"], builtin_aliases=False)
    text = "United States and the U.S. differ; America too, but not us or USAID or Americans."
    spans = t.find_mentions(text)
    assert [text[s:e] for s, e in spans] == ["United States", "U.S.", "America"]
    # "the United States" (longest phrase) wins over "United States" when the article is present.
    assert t.find_mentions("In the United States") == [(3, 20)]
    assert Target("Canada").find_mentions("CANADA, canada; Canadas") == [(0, 6), (8, 14)]


def test_target_builtin_aliases_and_key():
    t = Target("the United States")
    assert "US" in t.aliases and "America" in t.aliases
    assert Target("the United States", builtin_aliases=False).aliases == ()
    assert Target("X", aliases=["b", "a"]).key == Target("X", aliases=["a", "b"]).key
    with pytest.raises(ValueError, match="non-empty"):
        Target("  ")


def test_lang_flag():
    assert lang_flag("The minister said that the deal would be good for the country.") == "en"
    assert lang_flag("Der Minister sagte, dass das Abkommen gut für das Land sei.") == "non-en?"
    assert lang_flag("Министр сказал, что сделка хорошая.") == "non-en?"
    assert lang_flag("Trade.") == "en"


def test_window_centres_on_mention_at_word_boundaries(tiny):
    tok = tiny["tok"]
    words = ["deal"] * 3000
    words[2500] = "canada"
    text = " ".join(words)
    span = Target("Canada").find_mentions(text)[0]
    offs = [tuple(o) for o in tok(text, add_special_tokens=False, return_offsets_mapping=True)["offset_mapping"]]
    cs, ce = _window(text, offs, span, 40)
    assert cs <= span[0] < span[1] <= ce
    assert (cs == 0 or text[cs - 1] == " ") and (ce == len(text) or text[ce] == " ")
    assert len(tok(text[cs:ce], add_special_tokens=False)["input_ids"]) <= 40
    mid = (span[0] + span[1]) / 2
    assert abs((mid - cs) - (ce - mid)) < 40  # centred within a few words
    assert _window("short text", [(0, 5), (6, 10)], None, 40) is None


# --- engine ---------------------------------------------------------------------


def test_predict_columns_order_and_probabilities(tiny):
    frame = pd.DataFrame({"text": TEXTS, "speaker": list("abcd")})
    before = frame.copy()
    out = nli_model(tiny).predict(frame, targets=["Canada", "the United States"])
    pd.testing.assert_frame_equal(frame, before)  # input untouched
    assert list(out.columns) == ["text", "speaker", *SCORE_COLUMNS, "truncated", "lang_flag"]
    assert len(out) == 8
    assert out["text"].tolist() == [t for t in TEXTS for _ in range(2)]
    assert out["target"].tolist() == ["Canada", "the United States"] * 4
    p = out[["p_favor", "p_none", "p_against"]].to_numpy()
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-6)
    np.testing.assert_allclose(out["tone"], out["p_favor"] - out["p_against"])
    np.testing.assert_allclose(out["intensity"], 1 - out["p_none"])
    assert set(out["stance"]) <= set(LABELS)
    assert (out["stance"] == np.array(LABELS)[p[:, ::-1].argmax(axis=1)]).all()
    meta = out.attrs["stancekit"]
    assert meta["backend"] == "nli.v1" and meta["fingerprint"].startswith("mem:")


@pytest.mark.parametrize("backend", ["nli", "classifier", "default"])
def test_length_sorting_keeps_input_order(tiny, tiny_tsc, backend):
    model = {"nli": (tiny["nli"], tiny["tok"]), "classifier": (tiny["clf"], tiny["tok"]), "default": tiny_tsc}[backend]
    texts = TEXTS + [t.upper() + " " + t for t in TEXTS] + ["Canada " * 20]
    a = StanceModel(model, backend=backend, batch_size=1, cache=False).predict(texts, targets=["Canada", "trade"])
    b = StanceModel(model, backend=backend, batch_size=32, cache=False).predict(texts, targets=["Canada", "trade"])
    cols = ["p_favor", "p_none", "p_against"]
    np.testing.assert_allclose(a[cols].to_numpy(), b[cols].to_numpy(), atol=1e-4)
    # Each row really is that statement's score: scoring one statement alone agrees.
    single = StanceModel(model, backend=backend, cache=False).predict_proba([texts[5]], "trade")
    np.testing.assert_allclose(single[0], b[["p_against", "p_none", "p_favor"]].to_numpy()[11], atol=1e-4)


def test_nli_softmax_over_entailment_logits(tiny):
    import torch

    tok, model = tiny["tok"], tiny["nli"]
    text = TEXTS[1]
    hyps = [DEFAULT_TEMPLATES[lab].format(target="Canada") for lab in LABELS]
    with torch.no_grad():
        logits = model(**tok([text] * 3, hyps, padding=True, return_tensors="pt")).logits
    expected = torch.softmax(logits[:, 0], dim=0).numpy()
    got = nli_model(tiny).predict_proba([text], "Canada")[0]
    np.testing.assert_allclose(got, expected, atol=1e-5)


def test_nli_entailment_index_read_from_config(tiny):
    a = nli_model(tiny).predict_proba(TEXTS, "Canada")
    b = StanceModel((tiny["nli_rev"], tiny["tok"]), backend="nli", cache=False,
                    precision="fp32").predict_proba(TEXTS, "Canada")
    np.testing.assert_allclose(a, b, atol=1e-5)
    assert StanceModel((tiny["nli_rev"], tiny["tok"]), backend="nli", cache=False)._load().entail == 2


def test_nli_templates_and_non_nli_model_errors(tiny):
    with pytest.raises(ValueError, match="templates"):
        nli_model(tiny, templates={"favor": "{target} yes"}).predict_proba(["x"], "y")
    with pytest.raises(StancekitError, match="entailment"):
        StanceModel((tiny["clf"], tiny["tok"]), backend="nli", cache=False).predict_proba(["x"], "y")
    custom = {"favor": "we support {target}.", "against": "we oppose {target}.", "none": "the {target}."}
    p = nli_model(tiny, templates=custom).predict_proba(TEXTS, "Canada")
    assert not np.allclose(p, nli_model(tiny).predict_proba(TEXTS, "Canada"))


def test_classifier_label_map(tiny):
    import torch

    tok, model = tiny["tok"], tiny["clf"]
    with torch.no_grad():
        raw = torch.softmax(model(**tok(TEXTS, padding=True, return_tensors="pt")).logits, -1).numpy()
    got = StanceModel((model, tok), backend="classifier", cache=False, precision="fp32").predict_proba(TEXTS, "Canada")
    # POSITIVE/NEGATIVE/NEUTRAL -> favor/against/none, text only (a sentiment model is target-blind).
    np.testing.assert_allclose(got, raw[:, [1, 2, 0]], atol=1e-5)
    merged = StanceModel((model, tok), backend="classifier", cache=False, precision="fp32",
                         label_map={"POSITIVE": "favor", "NEGATIVE": "against", "NEUTRAL": "against"})
    np.testing.assert_allclose(merged.predict_proba(TEXTS, "x"), np.c_[raw[:, 1] + raw[:, 2], 0 * raw[:, 0], raw[:, 0]],
                               atol=1e-5)
    # A partial map overrides the defaults label by label.
    partial = StanceModel((model, tok), backend="classifier", cache=False, precision="fp32", label_map={"NEUTRAL": "favor"})
    np.testing.assert_allclose(partial.predict_proba(TEXTS, "x"), np.c_[raw[:, 1], 0 * raw[:, 0], raw[:, 0] + raw[:, 2]],
                               atol=1e-5)
    emotions = copy.deepcopy(model)
    emotions.config.id2label = {0: "joy", 1: "anger", 2: "fear"}
    with pytest.raises(ValueError, match="joy"):
        StanceModel((emotions, tok), backend="classifier", cache=False, precision="fp32",
                    label_map={"anger": "against"}).predict_proba(TEXTS, "x")
    with pytest.raises(ValueError, match="choose one of"):
        StanceModel((model, tok), backend="classifier", cache=False, precision="fp32",
                    label_map={"POSITIVE": "pro"}).predict_proba(TEXTS, "x")


def test_local_folders_load(tiny):
    a = StanceModel(str(tiny["folders"]["nli"]), backend="nli", cache=False,
                    precision="fp32").predict(TEXTS, targets=["Canada"])
    b = nli_model(tiny).predict(TEXTS, targets=["Canada"])
    np.testing.assert_allclose(a["p_favor"], b["p_favor"], atol=1e-5)
    assert a.attrs["stancekit"]["fingerprint"].startswith("dir:")
    c = StanceModel(str(tiny["folders"]["clf"]), backend="classifier", cache=False).predict(TEXTS, targets=["x"])
    assert c["model"].iloc[0] == str(tiny["folders"]["clf"])


def test_target_mentioned_and_aliases(tiny):
    out = nli_model(tiny).predict(TEXTS, targets={"the United States": ["America"], "Canada": []})
    flags = out.pivot(index="text", columns="target", values="target_mentioned").loc[TEXTS]
    assert flags["the United States"].tolist() == [False, True, False, True]
    assert flags["Canada"].tolist() == [True, True, False, False]


def test_target_column_with_offsets(tiny):
    frame = pd.DataFrame({
        "text": ["Canada and Canada.", "Canada and Canada.", "No mention here."],
        "target": ["Canada", "Canada", "Canada"],
        "target_start": [0, 11, pd.NA],
        "target_end": [6, 17, pd.NA],
    })
    out = nli_model(tiny).predict(frame)
    assert list(out.columns[:2]) == ["text", "target"]
    assert out["target_mentioned"].tolist() == [True, True, False]
    # The given offsets come back as the mention, marked "given"; a row without them is looked up.
    assert out["target_start"].tolist()[:2] == [0, 11] and pd.isna(out["target_start"].iloc[2])
    assert out["target_mention"].tolist() == ["given", "given", "none"]
    with pytest.raises(ValueError, match="target"):
        nli_model(tiny).predict(frame.drop(columns="target"))


def test_long_statement_is_truncated_around_mention(tiny, tiny_tsc):
    words = ("the government said the trade deal is good " * 1300).split()
    words[1200] = "Canada"
    text = " ".join(words)
    assert len(text) > 10_000
    for sm in (nli_model(tiny, max_length=64), StanceModel(tiny_tsc, cache=False)):
        out = sm.predict([text, TEXTS[0]], targets=["Canada"])
        assert out["truncated"].tolist() == [True, False]
        assert out["target_mentioned"].tolist() == [True, True]
        np.testing.assert_allclose(out[["p_favor", "p_none", "p_against"]].sum(axis=1), 1, atol=1e-6)


def test_empty_statement_needs_no_model_call(tiny):
    sm = nli_model(tiny)
    calls = count_calls(sm)
    with pytest.warns(UserWarning, match="1 statement"):
        out = sm.predict(["", "   \n", None], targets=["Canada"])
    assert calls[0] == 0
    assert out["stance"].tolist() == ["none"] * 3
    assert out["p_none"].tolist() == [1.0] * 3
    assert out["tone"].tolist() == [0.0] * 3


# --- cache ----------------------------------------------------------------------


def test_cache_hit_skips_model(tiny, tmp_path):
    first = StanceModel((tiny["nli"], tiny["tok"]), backend="nli")
    calls1 = count_calls(first)
    a = first.predict(TEXTS, targets=["Canada", "the United States"])
    assert calls1[0] > 0
    assert (tmp_path / "cache" / "scores.sqlite").is_file()
    second = StanceModel((tiny["nli"], tiny["tok"]), backend="nli")
    calls2 = count_calls(second)
    b = second.predict(TEXTS, targets=["Canada", "the United States"])
    assert calls2[0] == 0
    pd.testing.assert_frame_equal(a, b)
    # Other settings are other keys: new templates miss the cache.
    third = nli_model(tiny, cache=True, templates={"favor": "{target}.", "against": "not {target}.", "none": "x {target}."})
    calls3 = count_calls(third)
    third.predict(TEXTS, targets=["Canada"])
    assert calls3[0] > 0


def test_cache_off_and_cache_dir(tiny, tmp_path):
    sm = nli_model(tiny, cache=False)
    calls = count_calls(sm)
    sm.predict(TEXTS, targets=["Canada"])
    n = calls[0]
    sm.predict(TEXTS, targets=["Canada"])
    assert calls[0] == 2 * n > 0
    assert not (tmp_path / "cache").exists()
    StanceModel(backend="vader", cache_dir=tmp_path / "elsewhere").predict(TEXTS, targets=["Canada"])
    assert (tmp_path / "elsewhere" / "scores.sqlite").is_file()


def test_score_cache_roundtrip_bulk(tmp_path):
    c = ScoreCache(tmp_path / "s.sqlite")
    rows = [(f"k{i}", (0.2, 0.3, 0.5), i % 2 == 0) for i in range(2500)]
    c.put_many(rows)
    got = c.get_many([k for k, _, _ in rows] + ["missing"])
    assert len(got) == 2500 and got["k2"] == (0.2, 0.3, 0.5, True) and got["k3"][3] is False
    mode = sqlite3.connect(tmp_path / "s.sqlite").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def _score_in_child(cache_dir: str, seed: int, queue) -> None:
    try:
        texts = [f"Canada deal number {i} is {'good' if i % 3 else 'bad'}." for i in range(seed, seed + 300)]
        sm = StanceModel(backend="vader", cache_dir=cache_dir, batch_size=7, show_progress=False)
        for _ in range(2):
            sm.predict(texts, targets=["Canada", "trade"])
        queue.put("ok")
    except Exception as exc:  # report any failure to the parent
        queue.put(repr(exc))


def test_two_processes_share_cache(tmp_path):
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_score_in_child, args=(str(tmp_path / "shared"), s, queue)) for s in (0, 150)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    results = [queue.get(timeout=5) for _ in procs]
    assert results == ["ok", "ok"]
    assert all(p.exitcode == 0 for p in procs)
    n = sqlite3.connect(tmp_path / "shared" / "scores.sqlite").execute("SELECT COUNT(*) FROM scores").fetchone()[0]
    assert n == 450 * 2  # 450 distinct texts x 2 targets


# --- backends and errors ----------------------------------------------------------


def test_vader_mapping():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    texts = ["Canada is a wonderful, great friend!", "The terrible, awful tariffs hurt Canada.", "Canada exists."]
    out = StanceModel(backend="vader", cache=False).predict(texts, targets=["Canada"])
    c = np.array([SentimentIntensityAnalyzer().polarity_scores(t)["compound"] for t in texts])
    np.testing.assert_allclose(out["p_favor"], np.maximum(c, 0))
    np.testing.assert_allclose(out["p_against"], np.maximum(-c, 0))
    np.testing.assert_allclose(out["p_none"], 1 - np.abs(c))
    assert out["stance"].tolist() == ["favor", "against", "none"]
    assert out["model"].iloc[0] == "vaderSentiment"


def test_unknown_backend_lists_valid():
    with pytest.raises(ValueError, match="nli") as err:
        StanceModel(backend="bert").predict(["x"], targets=["y"])
    assert "vader" in str(err.value) and "default" in str(err.value)
    assert set(BACKENDS) == {"default.v1", "nli.v1", "classifier.v1", "vader.v1", "llm.v1"}
    assert StanceModel(backend="vader.v1", cache=False)._load().name == "vader.v1"


def test_missing_model_path_errors(tmp_path):
    with pytest.raises(StancekitError, match="check the path"):
        StanceModel(str(tmp_path / "nope"), backend="nli").predict(["x"], targets=["y"])
    with pytest.raises(StancekitError, match="reinstall"):
        StanceModel(str(tmp_path / "nope"), backend="default").predict(["x"], targets=["y"])
    with pytest.raises(StancekitError, match="HF_HUB_OFFLINE"):
        StanceModel("no-such-org/no-such-model-xyz", backend="classifier").predict(["x"], targets=["y"])
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_text("{not json")
    with pytest.raises(StancekitError, match="could not load"):
        StanceModel(str(broken), backend="nli").predict(["x"], targets=["y"])


def test_bad_arguments():
    sm = StanceModel(backend="vader", cache=False)
    with pytest.raises(TypeError):
        sm.predict("a single string", targets=["x"])
    with pytest.raises(ValueError, match="targets"):
        sm.predict_proba(["a", "b", "c"], ["x", "y"])
    with pytest.raises(KeyError, match="body"):
        sm.predict(pd.DataFrame({"text": ["a"]}), targets=["x"], text="body")
    with pytest.raises(ValueError, match="batch_size"):
        StanceModel(backend="vader", batch_size=0).predict(["a"], targets=["x"])
    assert list(sm.classes_) == ["against", "none", "favor"]


def test_quantize_path_runs(tiny, tiny_tsc):
    sm = nli_model(tiny, quantize=True)
    p = sm.predict_proba(TEXTS, "Canada")
    assert p.shape == (4, 3)
    np.testing.assert_allclose(p.sum(axis=1), 1, atol=1e-5)
    assert sm.backend_.settings()["precision"] == "int8"
    assert "DynamicQuantizedLinear" in repr(sm.backend_.model)
    q = StanceModel(tiny_tsc, quantize=True, cache=False).predict_proba(TEXTS, "Canada")
    np.testing.assert_allclose(q.sum(axis=1), 1, atol=1e-5)
    assert tiny_tsc.model.encoder.__class__.__name__ != "DynamicQuantizedLinear"  # original model untouched


def test_default_backend_records_artifact(tiny_artifact):
    out = StanceModel(str(tiny_artifact), cache=False).predict(TEXTS, targets=["Canada"])
    meta = out.attrs["stancekit"]
    assert meta["backend"] == "default.v1" and meta["model"] == "tiny-test-tsc"
    assert out["model_version"].iloc[0] == "0.0-test"


# --- CLI ----------------------------------------------------------------------------


def _write_jsonl(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_cli_score_vader(tmp_path, capsys):
    src = _write_jsonl(tmp_path / "st.jsonl", [
        json.dumps({"text": "Canada is a wonderful friend.", "speaker": "A"}),
        "{broken",
        json.dumps({"text": "The terrible US tariffs hurt.", "speaker": "B"}),
    ])
    out = tmp_path / "scores.jsonl"
    rc = cli.main(["score", str(src), "--target", "Canada", "--target", "the United States", "--alias", "US",
                   "--backend", "vader", "-o", str(out), "-q"])
    assert rc == 0
    assert capsys.readouterr().err.count("warning") == 1
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["speaker"], r["target"]) for r in rows] == [
        ("A", "Canada"), ("A", "the United States"), ("B", "Canada"), ("B", "the United States")]
    assert [r["target_mentioned"] for r in rows] == [True, False, False, True]
    assert rows[0]["stance"] == "favor" and rows[3]["stance"] == "against"
    assert set(SCORE_COLUMNS) <= set(rows[0])


def test_cli_score_default_model_csv_and_errors(tmp_path, tiny_artifact, capsys):
    src = _write_jsonl(tmp_path / "st.jsonl", [
        json.dumps({"text": "Canada is good.", "target": "Canada"}),
        json.dumps({"text": "No target field."}),
        json.dumps({"text": "The US said the deal is good.", "target": "the United States",
                    "target_start": 4, "target_end": 6}),
    ])
    out = tmp_path / "scores.csv"
    rc = cli.main(["score", str(src), "--model", str(tiny_artifact), "--no-cache", "-o", str(out), "-q"])
    assert rc == 0
    frame = pd.read_csv(out)
    assert frame["target"].tolist() == ["Canada", "the United States"]
    assert frame["model"].tolist() == ["tiny-test-tsc"] * 2
    assert frame["target_mentioned"].tolist() == [True, True]
    assert "no `target`" in capsys.readouterr().err
    bad = _write_jsonl(tmp_path / "bad.jsonl", ["nope", "[1, 2]"])
    assert cli.main(["score", str(bad), "--backend", "vader", "--target", "x", "-q"]) == 2
    assert "no readable lines" in capsys.readouterr().err
    assert cli.main(["score", str(src), "--backend", "nope", "--target", "x", "-q"]) == 2
    assert "Unknown backend" in capsys.readouterr().err
    # --precision reaches the model; fp32 and int8 give (nearly) the same probabilities.
    for prec in ("fp32", "int8"):
        rc = cli.main(["score", str(src), "--model", str(tiny_artifact), "--no-cache", "--precision", prec,
                       "-o", str(tmp_path / f"{prec}.csv"), "-q"])
        assert rc == 0
    a, b = pd.read_csv(tmp_path / "fp32.csv"), pd.read_csv(tmp_path / "int8.csv")
    np.testing.assert_allclose(a["p_favor"], b["p_favor"], atol=0.05)
    np.testing.assert_allclose(a["p_favor"], frame["p_favor"], atol=0.05)
    with pytest.raises(SystemExit):
        cli.main(["score", str(src), "--precision", "fp64", "-q"])


@pytest.mark.network
def test_hub_nli_model(monkeypatch):
    """The hub path: a real zero-shot NLI model by id (downloads ~700 MB; run with -m network)."""
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    sm = StanceModel("MoritzLaurer/deberta-v3-base-zeroshot-v2.0", backend="nli", cache=False)
    out = sm.predict(["We strongly support the new trade deal with Canada."], targets=["the trade deal"])
    assert out["stance"].iloc[0] == "favor"
    assert out.attrs["stancekit"]["fingerprint"].startswith("hub:")


def test_repeated_pairs_in_one_call_are_scored_once(tiny_tsc):
    sm = StanceModel(tiny_tsc, cache=False, batch_size=1)  # one forward call per scored pair
    calls = count_calls(sm)
    texts = ["Canada rejected the US tariffs.", "Beijing welcomed the deal with Canada."]
    once = sm.predict(texts, targets=["Canada"])
    n_unique = calls[0]
    twice = sm.predict(texts * 3, targets=["Canada"])
    assert n_unique == 2
    assert calls[0] == 2 * n_unique  # the 4 repeats were copied, not re-scored
    np.testing.assert_allclose(twice[["p_favor", "p_none", "p_against"]].to_numpy(),
                               np.tile(once[["p_favor", "p_none", "p_against"]].to_numpy(), (3, 1)), atol=1e-6)


# --- precision and the fused forward -------------------------------------------------


def test_precision_resolution(monkeypatch):
    from stancekit import _tsc

    assert _tsc.resolve_precision("auto", "cpu") == ("bf16" if _tsc.native_bf16("cpu") else "fp32")
    assert _tsc.resolve_precision("fp32", "cpu") == "fp32"
    assert _tsc.resolve_precision("int8", "cpu") == "int8"
    with pytest.warns(UserWarning, match="only applies on CPU"):
        assert _tsc.resolve_precision("int8", "cuda") == "fp32"
    with pytest.raises(ValueError, match="precision"):
        _tsc.resolve_precision("float64", "cpu")
    # Without bf16 instructions, auto stays fp32 (emulated bf16 is slower than fp32).
    monkeypatch.setattr(_tsc, "_cpu_flags", lambda: {"avx2": True})
    assert not _tsc.native_bf16("cpu") and _tsc.resolve_precision("auto", "cpu") == "fp32"
    monkeypatch.setattr(_tsc, "_cpu_flags", lambda: {"avx2": True, "amx_bf16": True})
    import torch

    assert _tsc.native_bf16("cpu") == bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    with pytest.raises(ValueError, match="conflicts"):
        StanceModel(backend="vader", precision="fp32", quantize=True)._precision()


def test_fused_forward_matches_the_module(tiny_tsc):
    import torch

    from stancekit import _tsc

    assert _tsc.FastTSC.supports(tiny_tsc.model)
    fast = _tsc.FastTSC(tiny_tsc.model)
    texts = TEXTS + ["Canada and the United States said a trade deal is good for america."]
    spans = [None, (55, 68), None, (0, 7), (0, 6)]
    batch = tiny_tsc.encode(texts, ["Canada", "the United States", "trade", "America", "Canada"], spans)
    with torch.inference_mode():
        ref = tiny_tsc.model(**batch)
        np.testing.assert_allclose(fast(**batch).numpy(), ref.numpy(), atol=1e-5)
        low = _tsc.FastTSC(tiny_tsc.model, torch.bfloat16)(**batch)
    assert low.dtype == torch.float32  # pooling and head stay fp32
    np.testing.assert_allclose(low.softmax(-1).numpy(), ref.softmax(-1).numpy(), atol=0.02)
    # Padding never changes a row: alone or in a batch, the same logits.
    with torch.inference_mode():
        one = fast(**tiny_tsc.encode(texts[2:3], ["trade"], [None]))
    np.testing.assert_allclose(one.numpy(), ref[2:3].numpy(), atol=1e-5)
    assert not _tsc.FastTSC.supports(torch.nn.Linear(2, 2))


@pytest.mark.parametrize("precision", ["fp32", "bf16", "int8"])
def test_default_backend_precisions(tiny_tsc, precision):
    ref = StanceModel(tiny_tsc, precision="fp32", cache=False).predict_proba(TEXTS, "Canada")
    sm = StanceModel(tiny_tsc, precision=precision, cache=False)
    p = sm.predict_proba(TEXTS, "Canada")
    assert sm.backend_.settings()["precision"] == precision
    assert sm.backend_.fused == (precision != "int8")
    np.testing.assert_allclose(p.sum(axis=1), 1, atol=1e-5)
    np.testing.assert_allclose(p, ref, atol=0.05)
    # The precision is part of the cache key: scores of two precisions never mix.
    fp32 = StanceModel(tiny_tsc, precision="fp32", cache=False)
    fp32._load()
    assert (sm.settings_key_ == fp32.settings_key_) == (precision == "fp32")
