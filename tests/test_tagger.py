"""Tests for the learned attribution tagger: windows, labels, decoding, pairing, a trained round trip on a
tiny local model, ``extract_statements(method=...)`` and the ``both`` merge, and the shipped artifact."""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

torch = pytest.importorskip("torch")

from stancekit import _tagger, _tagger_rows, train_attribution  # noqa: E402
from stancekit._tagger import Attribution, TaggedSpan  # noqa: E402
from stancekit._utils import StancekitError  # noqa: E402
from stancekit.extraction import METHOD as RULES_METHOD  # noqa: E402
from stancekit.extraction import extract_statements, iter_statements, load_nlp  # noqa: E402
from stancekit.schema import STATEMENT_COLUMNS  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
POLNEAR = Path(os.environ.get("STANCEKIT_POLNEAR", REPO.parent / "shared" / "data" / "polnear"))


# --- windows, labels, decoding -----------------------------------------------------


@pytest.mark.parametrize("n,size,stride", [(0, 8, 6), (5, 8, 6), (8, 8, 6), (9, 8, 6), (40, 8, 6), (41, 10, 10)])
def test_windows_cover_every_token_and_owner_is_deepest(n, size, stride):
    wins = _tagger.windows(n, size, stride)
    assert all(0 <= s < e <= max(n, 1) and e - s <= size for s, e in wins) or n == 0
    covered = set()
    for s, e in wins:
        covered |= set(range(s, e))
    assert covered == set(range(n))
    if n:
        owner, pos = _tagger.window_owner(n, wins)
        for i in range(n):
            s, e = wins[owner[i]]
            assert s + pos[i] == i
            depth = min(i - s, e - 1 - i)
            assert all(depth >= min(i - s2, e2 - 1 - i) for s2, e2 in wins if s2 <= i < e2)


def _spans_text(text, spans):
    return [(sp.role, text[sp.start:sp.end]) for sp in spans]


@pytest.fixture(scope="module")
def tiny_base(tmp_path_factory):
    return _tagger.build_tiny_base(tmp_path_factory.mktemp("tiny") / "base")


@pytest.fixture(scope="module")
def tiny_tokenizer(tiny_base):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(tiny_base))


def test_labels_decode_round_trip(tiny_tokenizer):
    text = '"We will win," Jane Doe said. Smith accused the minister of a bad deal.'
    gold = [("Content", 0, 14), ("Source", 15, 23), ("Cue", 24, 28),
            ("Source", 30, 35), ("Cue", 36, 43), ("Content", 44, 71)]
    ids, offsets = _tagger.tokenize(tiny_tokenizer, text)
    assert len(ids) == len(offsets) > 10
    labels = _tagger.token_labels(offsets, gold)
    assert _tagger.LABELS[labels[0]] == "B-Content"
    spans = _tagger.decode(labels, np.ones(len(labels)), offsets, text)
    assert [(sp.role, sp.start, sp.end) for sp in spans] == sorted(gold, key=lambda g: g[1])
    assert _spans_text(text, spans)[1] == ("Source", "Jane Doe")


def _labels(*names):
    return np.array([_tagger.LABELS.index(x) for x in names])


def test_decode_widens_to_whole_words():
    text = "Obama accused Trump"
    offsets = np.array([[0, 2], [2, 5], [6, 13], [14, 19]])
    spans = _tagger.decode(_labels("I-Source", "O", "B-Cue", "B-Content"), np.full(4, 0.9), offsets, text)
    assert _spans_text(text, spans) == [("Source", "Obama"), ("Cue", "accused"), ("Content", "Trump")]


def test_decode_joins_a_span_split_by_punctuation_only():
    text = "We will win, and we stay"
    offsets = np.array([[0, 2], [3, 7], [8, 11], [11, 12], [13, 16], [17, 19], [20, 24]])
    labs = _labels("B-Content", "I-Content", "I-Content", "O", "B-Content", "I-Content", "I-Content")
    assert _spans_text(text, _tagger.decode(labs, np.full(7, 0.9), offsets, text)) == [("Content", text)]
    text = "Trump lied, he said, and lost"
    offsets = np.array([[0, 5], [6, 10], [10, 11], [12, 14], [15, 19], [19, 20], [21, 24], [25, 29]])
    labs = _labels("B-Content", "I-Content", "O", "B-Source", "B-Cue", "O", "B-Content", "I-Content")
    assert _spans_text(text, _tagger.decode(labs, np.full(8, 0.9), offsets, text)) == [
        ("Content", "Trump lied"), ("Source", "he"), ("Cue", "said"), ("Content", "and lost")]


def test_viterbi_obeys_bio():
    rng = np.random.default_rng(0)
    probs = rng.dirichlet(np.ones(len(_tagger.LABELS)), size=200)
    path = [_tagger.LABELS[i] for i in _tagger.viterbi(probs)]
    assert not path[0].startswith("I-")
    for prev, cur in zip(path, path[1:]):
        assert not cur.startswith("I-") or prev[2:] == cur[2:]
    # where argmax already obeys BIO, it is the answer
    probs = np.full((3, len(_tagger.LABELS)), 0.01)
    for t, lab in enumerate(("B-Source", "I-Source", "O")):
        probs[t, _tagger.LABELS.index(lab)] = 0.9
    assert [_tagger.LABELS[i] for i in _tagger.viterbi(probs)] == ["B-Source", "I-Source", "O"]
    assert len(_tagger.viterbi(np.zeros((0, len(_tagger.LABELS))))) == 0


# --- pairing ----------------------------------------------------------------------


def _tag(text, *parts):
    """TaggedSpans from (role, substring) pairs, found left to right."""
    out, pos = [], 0
    for role, sub in parts:
        i = text.index(sub, pos)
        out.append(TaggedSpan(role, i, i + len(sub), 0.9))
        pos = i + len(sub)
    return out


def test_pair_split_quote_and_two_sentences():
    text = ('"The first part," Hans Becker said, "and the second part." '
            'Obama accused Trump of praising Putin.')
    spans = _tag(text, ("Content", '"The first part,"'), ("Source", "Hans Becker"), ("Cue", "said"),
                 ("Content", '"and the second part."'), ("Source", "Obama"), ("Cue", "accused"),
                 ("Content", "Trump of praising Putin"))
    attrs = _tagger.pair(text, spans)
    assert len(attrs) == 2
    a, b = attrs
    assert [text[s:e] for s, e in a.content] == ['"The first part,"', '"and the second part."']
    assert text[a.source[0]:a.source[1]] == "Hans Becker" and text[a.cue[0]:a.cue[1]] == "said"
    assert text[b.source[0]:b.source[1]] == "Obama"
    assert text[b.content[0][0]:b.content[0][1]] == "Trump of praising Putin"


def test_pair_source_after_cue_and_orphan_content():
    text = "The deal is dead, according to the minister.\n\nA lone paragraph that nobody claims."
    spans = _tag(text, ("Content", "The deal is dead"), ("Cue", "according to"), ("Source", "the minister"),
                 ("Content", "A lone paragraph that nobody claims"))
    a, orphan = _tagger.pair(text, spans)
    assert text[a.source[0]:a.source[1]] == "the minister"
    assert orphan.cue is None and orphan.source is None


def test_pair_quote_paragraph_after_colon_cue():
    text = 'He added:\n"We are not done yet."'
    spans = _tag(text, ("Source", "He"), ("Cue", "added"), ("Content", '"We are not done yet."'))
    (a,) = _tagger.pair(text, spans)
    assert a.cue is not None and text[a.source[0]:a.source[1]] == "He"


# --- a trained round trip on a tiny local model -----------------------------------

_ARTICLES = [
    [('"We will win the trade deal," ', None), ("Jane Doe", "Source"), (" ", None), ("said", "Cue"), (". ", None),
     ("Smith", "Source"), (" ", None), ("accused", "Cue"), (" ", None), ("the minister of a bad deal", "Content"),
     (".", None)],
    [("The president", "Source"), (" ", None), ("said", "Cue"), (" ", None), ("that the deal is good", "Content"),
     (". ", None), ("Smith", "Source"), (" ", None), ("praised", "Cue"), (" ", None), ("the minister", "Content"),
     (".", None)],
]


def _write_polnear(folder: Path, n_copies: int = 6) -> dict:
    """A PolNeAR-style folder (train/text, train/attributions) of invented sentences; returns the gold spans."""
    (folder / "train" / "text").mkdir(parents=True)
    (folder / "train" / "attributions").mkdir(parents=True)
    gold = {}
    for k in range(n_copies):
        for j, parts in enumerate(_ARTICLES):
            # the quote of the first article is its own Content, with its marks
            text, spans, pos = "", [], 0
            for piece, role in parts:
                if role:
                    spans.append((role, pos, pos + len(piece)))
                text += piece
                pos += len(piece)
            if j == 0:
                spans.insert(0, ("Content", 0, len('"We will win the trade deal,"')))
            name = f"wire_2016-01-0{j + 1}_copy{k}"
            (folder / "train" / "text" / f"{name}.txt").write_text(text, encoding="utf-8")
            lines, events, t = [], [], 0
            # group: Content, Source, Cue per attribution, in the order they were listed
            groups = [spans[i:i + 3] for i in range(0, len(spans), 3)]
            for g in groups:
                ids = {}
                for role, s, e in g:
                    t += 1
                    lines.append(f"T{t}\t{role} {s} {e}\t{text[s:e]}")
                    ids[role] = f"T{t}"
                t += 1
                s0 = min(s for _, s, _ in g)
                e0 = max(e for _, _, e in g)
                lines.append(f"T{t}\tAttribution {s0} {e0}\t{text[s0:e0]}")
                events.append(f"E{len(events) + 1}\tAttribution:T{t} Content:{ids['Content']} Cue:{ids['Cue']} "
                              f"Source:{ids['Source']}")
            (folder / "train" / "attributions" / f"{name}_a1.ann").write_text("\n".join(lines + events) + "\n",
                                                                              encoding="utf-8")
            gold[name] = (text, groups)
    return gold


@pytest.fixture(scope="module")
def tiny_trained(tiny_base, tmp_path_factory):
    root = tmp_path_factory.mktemp("polnear")
    gold = _write_polnear(root / "polnear")
    out = root / "tagger"
    # 12 invented articles, windows of 30 word pieces: ~3 steps an epoch on a 2-layer, 32-wide model
    card = train_attribution.train(root / "polnear", out, base_path=str(tiny_base), epochs=15, batch_size=4,
                                   lora_r=4, lora_alpha=8, frozen_layers=1, window=32, train_stride=30,
                                   infer_stride=20, lr=1e-2, head_lr=3e-2, holdout=0.2, patience=15,
                                   show_progress=False)
    return root, gold, out, card


def test_reader_and_split(tiny_trained):
    root, gold, _, _ = tiny_trained
    texts, attrs = train_attribution.read_polnear_train(root / "polnear")
    assert sorted(texts) == sorted(gold)
    name = sorted(gold)[0]
    text, groups = gold[name]
    assert texts[name] == text
    got = sorted((role, s, e) for a in attrs[name] for role, s, e in train_attribution.char_spans([a]))
    assert got == sorted(x for g in groups for x in g)
    train_ids, held = train_attribution.split_articles(list(texts), 0.2, seed=0)
    assert sorted(train_ids + held) == sorted(texts) and len(held) == 2
    assert train_attribution.split_articles(list(reversed(list(texts))), 0.2, seed=0)[1] == held


def test_tiny_round_trip_artifact_card_and_offsets(tiny_trained, tiny_base):
    root, gold, out, card = tiny_trained
    assert {p.name for p in out.iterdir()} == {"adapter.safetensors", "config.json", "model_card.json"}
    assert json.loads((out / "model_card.json").read_text())["training_data"]["dev"] == "not used"
    assert card["training_data"]["train_articles"] == 10 and card["training_data"]["heldout_articles"] == 2
    assert 1 <= card["best_epoch"] <= 15 and len(card["history"]) >= 1
    tagger = _tagger.AttributionTagger(out, precision="fp32")
    texts = [gold[n][0] for n in sorted(gold)[:2]] + ["", "No attribution here at all."]
    spans = tagger.tag(texts)
    assert len(spans) == 4 and spans[2] == []
    for text, found in zip(texts, spans):
        for sp in found:
            assert sp.role in _tagger.ROLES and 0 <= sp.start < sp.end <= len(text)
            assert text[sp.start:sp.end].strip() == text[sp.start:sp.end]
    assert tagger.tag(texts) == spans                                    # deterministic
    assert _tagger.AttributionTagger(out, batch_size=1, precision="fp32").tag(texts) == spans  # batch-independent
    with pytest.raises(TypeError):
        tagger.tag("a str, not a list")
    with pytest.raises(ValueError, match="precision"):
        _tagger.AttributionTagger(out, precision="int4").tag(texts)
    # bf16 (emulated where the CPU lacks it) rounds differently, but the fitted spans survive
    key = [{(x.role, x.start, x.end) for x in a} for a in spans]
    bf16 = [{(x.role, x.start, x.end) for x in a} for a in _tagger.AttributionTagger(out, precision="bf16").tag(texts)]
    assert sum(len(a & b) for a, b in zip(key, bf16)) >= sum(len(a) for a in key) // 2


def test_tiny_tagger_learns_the_training_pattern(tiny_trained):
    """Fifteen epochs at a high learning rate fit the repeated invented sentences."""
    _, gold, out, card = tiny_trained
    tagger = _tagger.AttributionTagger(out, precision="fp32")
    name = sorted(gold)[0]
    text, groups = gold[name]
    found = {(sp.role, sp.start, sp.end) for sp in tagger.tag([text])[0]}
    want = {x for g in groups for x in g}
    assert len(found & want) >= len(want) - 1, (found, want)
    assert card["history"][-1]["train_loss"] < card["history"][0]["train_loss"]


def test_loaded_artifact_matches_the_trained_network(tiny_base, tmp_path):
    """Saving (fp16), loading and merging LoRA gives the network's own predictions."""
    tok, net = _tagger.build_net(str(tiny_base), r=4, alpha=8, from_layer=1)
    with torch.no_grad():
        for name, p in net.named_parameters():
            if "lora_B" in name or name.startswith("head."):
                p.normal_(0, 0.5)
    state = {k: v.half().float() for k, v in _tagger.trainable_state(net).items()}
    net.load_state_dict(state, strict=False)
    config = {"lora_r": 4, "lora_alpha": 8, "lora_from_layer": 1, "window": 16, "infer_stride": 10,
              "base_path": str(tiny_base)}
    _tagger.save_artifact(tmp_path / "art", state, config, {"note": "test"})
    text = "Jane Doe said the trade deal is good, and Smith accused the minister."
    ids = torch.tensor([[tok.cls_token_id, *_tagger.tokenize(tok, text)[0][:14].tolist(), tok.sep_token_id]])
    net.eval()
    with torch.no_grad():
        want = net(ids, torch.ones_like(ids))
    loaded = _tagger.AttributionTagger(tmp_path / "art", precision="fp32")._load()
    with torch.no_grad():
        got = loaded.net_(ids, torch.ones_like(ids))
    np.testing.assert_allclose(got.numpy(), want.numpy(), atol=1e-4)
    mine, theirs = _tagger.AttributionTagger.from_parts(tok, net, config).tag([text])[0], loaded.tag([text])[0]
    assert [(x.role, x.start, x.end) for x in mine] == [(x.role, x.start, x.end) for x in theirs]
    np.testing.assert_allclose([x.score for x in mine], [x.score for x in theirs], atol=1e-4)


def test_own_block_forward_matches_transformers(tiny_base):
    tok, net = _tagger.build_net(str(tiny_base), r=2, alpha=4)
    net.eval()
    enc = tok(["jane doe said it", "no"], padding=True, return_tensors="pt")
    with torch.no_grad():
        ours = net.bottom(enc["input_ids"], enc["attention_mask"], net.n_layers)
        theirs = net.encoder(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"]).last_hidden_state
    m = enc["attention_mask"].bool()
    np.testing.assert_allclose(ours[m].numpy(), theirs[m].numpy(), atol=1e-5)


def test_missing_or_broken_artifact_is_one_clear_error(tmp_path):
    with pytest.raises(StancekitError, match="no attribution tagger"):
        _tagger.AttributionTagger(tmp_path / "nothing")._load()
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "config.json").write_text("{not json")
    (tmp_path / "bad" / "adapter.safetensors").write_bytes(b"junk")
    with pytest.raises(StancekitError, match="broken attribution tagger"):
        _tagger.AttributionTagger(tmp_path / "bad")._load()


def test_train_rejects_unknown_hyperparameter(tmp_path):
    with pytest.raises(ValueError, match="Unknown hyper-parameter"):
        train_attribution.train(tmp_path, tmp_path / "out", bogus=1)


def test_match_counts_needs_source_where_gold_has_one():
    gold = [{"source": [(0, 5)], "cue": [(6, 10)], "content": [(11, 30)]},
            {"source": [], "cue": [(40, 45)], "content": [(46, 60)]}]
    right = [Attribution([(11, 29)], (6, 10), (0, 5)), Attribution([(46, 59)], (40, 45), None)]
    wrong = [Attribution([(11, 29)], (6, 10), (31, 35)), Attribution([(46, 59)], (40, 45), (31, 35))]
    assert train_attribution.match_counts(right, gold) == {"n_pred": 2, "n_gold": 2, "span_tp": 2, "tp": 2}
    assert train_attribution.match_counts(wrong, gold) == {"n_pred": 2, "n_gold": 2, "span_tp": 2, "tp": 1}


# --- extract_statements(method=...) -----------------------------------------------


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def test_method_is_validated_before_work(nlp):
    with pytest.raises(ValueError, match="method"):
        extract_statements(["Jane Doe said it works."], nlp=nlp, method="tagger")
    with pytest.raises(ValueError, match="model"):
        list(iter_statements(["Jane Doe said it works."], nlp=nlp, method="neural"))
    with pytest.raises(ValueError, match="tagger_precision"):
        extract_statements(["Jane Doe said it works."], nlp=nlp, method="both", tagger_precision="int8")


class _FakeTagger:
    """Stands in for the loaded tagger: returns hand-made attributions found by substring."""

    def __init__(self, parts):
        self.parts = parts

    def attributions(self, texts):
        out = []
        for text in texts:
            attrs = []
            for content, cue, source in self.parts:
                c = text.index(content)
                q = text.index(cue, max(0, c - 20)) if cue else None     # the cue and source near the content
                s = text.index(source, max(0, c - 20)) if source else None
                attrs.append(Attribution([(c, c + len(content))], None if q is None else (q, q + len(cue)),
                                         None if s is None else (s, s + len(source)), 0.8))
            out.append(attrs)
        return out


TEXT = ('Jane Doe arrived in Ottawa on Monday. "We will win the trade deal," Jane Doe said. '
        'She hoped the tariffs would end soon. Smith accused the minister of misleading farmers. '
        'Paul Martin, a farmer, insisted that the farmers were misled.')


@pytest.fixture
def fake_tagger(monkeypatch):
    fake = _FakeTagger([
        ('"We will win the trade deal,"', "said", "Jane Doe"),               # also found by the rules
        ("the tariffs would end soon", "hoped", "She"),                       # pronoun source
        ("the minister of misleading farmers", "accused", "Smith"),           # evaluative verb with object
        ("in Ottawa on Monday", "arrived", "Jane Doe"),                       # no rule will ever take this
        ("the farmers were misled", None, None),                              # neither Source nor Cue tagged
    ])
    monkeypatch.setattr(_tagger, "load_tagger", lambda artifact=None, precision="auto": fake)
    return fake


def _check(df, text):
    assert list(df.columns) == STATEMENT_COLUMNS
    for r in df.itertuples():
        assert text[r.start:r.end] == r.text


def test_model_rows_resolve_speakers_with_the_rules_discourse_model(nlp, fake_tagger):
    df = extract_statements([TEXT], nlp=nlp, method="model", errors="raise")
    _check(df, TEXT)
    assert set(df["method"]) == {"tagger.v1"} and df.attrs["stancekit"]["method"] == "tagger.v1"
    got = dict(zip(df["text"], df["speaker"]))
    assert got["We will win the trade deal,"] == "Jane Doe"          # trimmed like the rules' spans
    assert got["the tariffs would end soon"] == "Jane Doe"           # "She" through the article's speakers
    assert got["the minister of misleading farmers"] == "Smith"
    # no Source or Cue tagged: the subject of the verb governing the Content, which becomes the cue
    row = df[df["text"] == "the farmers were misled"].iloc[0]
    assert row["speaker"] == "Paul Martin" and row["cue"] == "insisted"
    assert dict(zip(df["text"], df["kind"]))["We will win the trade deal,"] in ("direct", "mixed")


def test_both_keeps_rules_rows_and_adds_what_they_missed(nlp, fake_tagger):
    rules = extract_statements([TEXT], nlp=nlp, errors="raise")
    both = extract_statements([TEXT], nlp=nlp, method="both", errors="raise")
    _check(both, TEXT)
    assert both.attrs["stancekit"]["method"] == f"{RULES_METHOD}+tagger.v1"
    from_rules = both[both["method"] == RULES_METHOD].reset_index(drop=True)
    pd.testing.assert_frame_equal(from_rules, rules.reset_index(drop=True), check_like=False)
    added = both[both["method"] == "tagger.v1"]
    # the quote overlaps a rules statement: the rules' row wins; the tagger adds exactly what the rules lack
    assert "We will win the trade deal," not in set(added["text"])
    rules_spans = list(zip(rules["start"], rules["end"]))
    model = extract_statements([TEXT], nlp=nlp, method="model", errors="raise")
    lacking = {r.text for r in model.itertuples()
               if not any(_tagger_rows._overlap_ok((r.start, r.end), sp, 0.5) for sp in rules_spans)}
    assert "in Ottawa on Monday" in lacking
    # what the rules lack here is no statement ("arrived" is no cue): both adds nothing
    assert set(added["text"]) == set()
    # without the statement test the merge adds it, with the speaker the rules resolve
    from stancekit import extraction
    monkey = pytest.MonkeyPatch()
    monkey.setattr(_tagger_rows, "MERGE_STATEMENTS_ONLY", False)
    try:
        loose = extract_statements([TEXT], nlp=nlp, method="both", errors="raise")
    finally:
        monkey.undo()
    added = loose[loose["method"] == "tagger.v1"]
    assert set(added["text"]) == lacking
    assert dict(zip(added["text"], added["speaker"]))["in Ottawa on Monday"] == "Jane Doe"
    assert extraction.DEFAULT_METHOD in extraction.METHODS


def test_both_adds_only_statements_as_the_rules_define_them(nlp):
    from stancekit._attribution import _Article
    from stancekit._lexicon import _lexicon
    from stancekit.registry import SpeakerRegistry

    text = ("Smith said the plan works well for everyone. Jones would not say whether the plan works. "
            "Lee approved the plan for the whole region. Brown said yes. \"We will win it all,\" Brown beamed.")

    def attr(content, cue, source):
        c = text.index(content)
        q, s = text.index(cue, max(0, c - 25)), text.index(source, max(0, c - 25))
        return Attribution([(c, c + len(content))], (q, q + len(cue)), (s, s + len(source)), 0.9)

    attrs = [attr("the plan works well for everyone", "said", "Smith"),       # a statement
             attr("whether the plan works", "would not say", "Jones"),         # negated: the rules skip it too
             attr("the plan for the whole region", "approved", "Lee"),         # "approved" is no cue
             attr("yes", "said", "Brown"),                                     # under MERGE_MIN_WORDS words
             attr('"We will win it all,"', "beamed", "Brown")]                 # no cue word, but quoted
    art = _Article("a", text, [(0, nlp(text))], SpeakerRegistry.coerce(None), _lexicon())
    loose = _tagger_rows.rows(art, attrs, "tagger.v1", needs_speaker=True)
    assert len(loose) == 5
    art = _Article("a", text, [(0, nlp(text))], SpeakerRegistry.coerce(None), _lexicon())
    rows = _tagger_rows.rows(art, attrs, "tagger.v1", needs_speaker=True, statements_only=True)
    assert [(r["speaker"], r["text"]) for r in rows] == [("Smith", "the plan works well for everyone"),
                                                        ("Brown", "We will win it all,")]
    assert _tagger_rows.MERGE_STATEMENTS_ONLY is True and _tagger_rows.MERGE_MIN_WORDS == 3


def test_merge_threshold_half_the_shorter_span(nlp):
    from stancekit._attribution import _Article
    from stancekit._lexicon import _lexicon
    from stancekit.registry import SpeakerRegistry

    text = "Smith said the plan works well for everyone here."
    art = _Article("a", text, [(0, nlp(text))], SpeakerRegistry.coerce(None), _lexicon())
    s = text.index("the plan")
    a = Attribution([(s, len(text) - 1)], (6, 10), (0, 5), 0.9)
    kept = _tagger_rows.rows(art, [a], "tagger.v1", exclude=[(s, s + 10)])        # covers all of the shorter
    assert kept == []
    kept = _tagger_rows.rows(art, [a], "tagger.v1", exclude=[(s - 30, s + 3)])    # 3 of 33 characters
    assert [r["speaker"] for r in kept] == ["Smith"]


def test_merge_needs_a_speaker_and_the_confidence_floor(nlp):
    from stancekit._attribution import _Article
    from stancekit._lexicon import _lexicon
    from stancekit.registry import SpeakerRegistry

    text = "Smith said the plan works. The tariffs would end soon."
    art = _Article("a", text, [(0, nlp(text))], SpeakerRegistry.coerce(None), _lexicon())
    said = Attribution([(11, 25)], (6, 10), (0, 5), 0.9)
    bare = Attribution([(27, len(text) - 1)], None, None, 0.9)        # no Source, no Cue, no speech verb
    rows = _tagger_rows.rows(art, [said, bare], "tagger.v1")
    assert [r["speaker"] for r in rows] == ["Smith", None] and rows[1]["resolution"] == "unresolved"
    art = _Article("a", text, [(0, nlp(text))], SpeakerRegistry.coerce(None), _lexicon())
    rows = _tagger_rows.rows(art, [said, bare], "tagger.v1", needs_speaker=True)
    assert [r["speaker"] for r in rows] == ["Smith"]
    art = _Article("a", text, [(0, nlp(text))], SpeakerRegistry.coerce(None), _lexicon())
    assert _tagger_rows.rows(art, [said], "tagger.v1", min_confidence=0.95) == []
    assert _tagger_rows.MERGE_NEEDS_SPEAKER is True       # the policy chosen on the held-out train articles


def test_attribution_quoted_part_by_part_is_direct(nlp):
    from stancekit._attribution import _Article
    from stancekit._lexicon import _lexicon
    from stancekit.registry import SpeakerRegistry

    text = '"We will win," Smith said. "The plan works."'
    art = _Article("a", text, [(0, nlp(text))], SpeakerRegistry.coerce(None), _lexicon())
    a = Attribution([(0, 14), (27, len(text))], (21, 25), (15, 20), 0.9)
    rows = _tagger_rows.rows(art, [a], "tagger.v1")
    assert [r["kind"] for r in rows] == ["direct", "direct"] and {r["speaker"] for r in rows} == {"Smith"}


@pytest.mark.parametrize("text,kind", [('"We will win."', "direct"), ("\u201cWe will win,\u201d", "direct"),
                                       ('the plan is "a disaster" for us', "mixed"), ("the plan works", "indirect")])
def test_kind_of(text, kind):
    assert _tagger_rows.kind_of(text) == kind


# --- the shipped tagger -----------------------------------------------------------


def test_shipped_tagger_finds_a_plain_attribution():
    if not (_tagger.DEFAULT_ARTIFACT / "adapter.safetensors").is_file():
        pytest.fail("the tagger artifact is missing from stancekit/resources/tagger")
    text = 'The senator arrived late. "We will not back down," Maria Lopez told reporters on Tuesday.'
    (attrs,) = _tagger.load_tagger().attributions([text])
    assert attrs, "no attribution found"
    a = attrs[0]
    assert "We will not back down" in text[a.content[0][0]:a.content[-1][1]]
    assert a.source is not None and "Lopez" in text[a.source[0]:a.source[1]]
    card = json.loads((_tagger.DEFAULT_ARTIFACT / "model_card.json").read_text())
    assert card["training_data"]["dev"] == "not used" and card["heldout"]["f1"] > 0.5


def test_cli_train_attribution_bad_folder_is_one_line_exit_2(tmp_path, capsys):
    from stancekit.cli import main

    assert main(["train-attribution", "--data", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not a PolNeAR folder" in err[0]
    assert not (tmp_path / "o").exists()
