"""Stance model 2.0 pieces: target mentions through the article, the political label set, fine-tuning.

Everything here runs without ../shared: a hand-written article, a fake
PolNeAR folder written into tmp_path, and the tiny random model of
``stancekit._tsc.build_tiny_artifact``. The checks of the shipped model on
real data are in ``tests/test_stance_quality.py``.
"""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from stancekit import _tsc, cli
from stancekit.models import StanceModel, Target
from stancekit.stance import train
from stancekit._utils import StancekitError
from stancekit.stance.data import (POLITICAL_TARGETS, agreement, cohen_kappa, generated_pairs, load_generated_stance,
                                    load_political_labels)
from stancekit.stance.frame import frame_text, prepare_pair
from stancekit.stance.mentions import article_index, resolve_mention
from stancekit.stance.metrics import expected_calibration_error, stance_metrics
from stancekit.stance.targets import infer_kind

ARTICLE = (
    "Democratic nominee Hillary Clinton attacked Republican nominee Donald Trump on Monday. "
    "Trump, a real estate mogul, said he would win in November.\n\n"
    "Clinton said the Republican nominee was unfit to lead. \"He has no plan,\" she said. "
    "Paul Ryan said he would back the nominee of his party. "
    "President Barack Obama said the president would campaign for her.\n\n"
    "The US administration said the trade talks would go on. Chinese officials declined to comment."
)


def at(sub: str, nth: int = 0) -> int:
    pos = -1
    for _ in range(nth + 1):
        pos = ARTICLE.index(sub, pos + 1)
    return pos


# --- targets and mentions --------------------------------------------------------


@pytest.mark.parametrize("name, kind", [("Donald Trump", "person"), ("Hillary Rodham Clinton", "person"),
                                        ("the Republican Party", "party"), ("immigration", "policy"),
                                        ("the United States", "country"), ("the White House", "organization"),
                                        ("Obamacare", "policy")])
def test_target_kind_is_inferred(name, kind):
    assert infer_kind(name) == kind
    assert Target(name).kind == kind


@pytest.mark.parametrize("text, found", [
    ("Mr. Trump spoke.", ["Mr. Trump"]),
    ("Trump's plan and Donald Trump's tweets", ["Trump", "Donald Trump"]),
    ("Ivanka Trump and Donald Trump Jr. spoke", []),
    ("The Trump campaign said", ["Trump"]),
    ("a trump card", []),
    ("Donald spoke", ["Donald"]),
])
def test_person_target_matches_its_forms_only(text, found):
    t = Target("Donald Trump")
    assert [text[s:e] for s, e in t.find_mentions(text)] == found


def test_other_family_member_is_not_the_target():
    t = Target("Hillary Clinton")
    text = "Bill Clinton praised Hillary; Mrs. Clinton thanked Chelsea Clinton."
    assert [text[s:e] for s, e in t.find_mentions(text)] == ["Hillary", "Mrs. Clinton"]
    assert t.matches_speaker("Clinton campaign") and not t.matches_speaker("Bill Clinton")


def test_bad_aliases_are_type_errors():
    with pytest.raises(TypeError, match="aliases"):
        Target("X", aliases=123)
    with pytest.raises(TypeError, match="aliases"):
        Target("X", aliases=["ok", 5])


def test_role_mention_resolved_through_the_article():
    st = "the Republican nominee was unfit to lead"
    span, how = resolve_mention(st, Target("Donald Trump"), article=ARTICLE, start=at(st))
    assert how == "role" and st[span[0]:span[1]] == "the Republican nominee"
    # The same phrase is not a mention of someone else.
    assert resolve_mention(st, Target("Hillary Clinton"), article=ARTICLE, start=at(st)) == (None, "none")
    # "President Barack Obama" makes "the president" a mention of Obama.
    st2 = "the president would campaign for her"
    span, how = resolve_mention(st2, Target("Barack Obama"), article=ARTICLE, start=at(st2))
    assert (how, st2[span[0]:span[1]]) == ("role", "the president")


def test_pronoun_mentions_resolved_through_the_article():
    st = "he would win in November"
    assert resolve_mention(st, Target("Donald Trump"), article=ARTICLE, start=at(st)) == ((0, 2), "pronoun")
    st = "He has no plan,"
    span, how = resolve_mention(st, Target("Donald Trump"), article=ARTICLE, start=at(st))
    assert how == "pronoun"
    # "she said" follows the quote: "He" is not Clinton (wrong gender, and not the nearest person).
    assert resolve_mention(st, Target("Hillary Clinton"), article=ARTICLE, start=at(st))[1] == "none"
    # "her" after Obama's statement: Clinton is the nearest compatible person? Obama is nearer, and male.
    st = "the president would campaign for her"
    assert resolve_mention(st, Target("Hillary Clinton"), article=ARTICLE, start=at(st))[1] == "pronoun"


def test_pronoun_without_article_is_not_a_mention():
    assert resolve_mention("he would win", Target("Donald Trump")) == (None, "none")


def test_speaker_is_the_target():
    assert resolve_mention("I will win big", Target("Donald Trump"), speaker="Donald Trump")[1] == "pronoun"
    assert resolve_mention("the economy is rigged", Target("Donald Trump"), speaker="Trump campaign")[1] == "speaker"
    assert resolve_mention("the economy is rigged", Target("Donald Trump"), speaker="Paul Ryan")[1] == "none"


def test_country_administration_is_a_role_mention():
    st = "the administration said the trade talks would go on"
    text = ARTICLE.replace("The US administration said", "The administration said")
    art = text + " US administration officials agreed."
    span, how = resolve_mention(st, Target("the United States"), article=art, start=art.index(st.capitalize()[4:]))
    assert how == "role"
    assert resolve_mention("American officials said so", Target("the United States"))[1] == "alias"


def test_article_index_is_cached_and_genders_people():
    idx = article_index(ARTICLE)
    assert article_index(ARTICLE) is idx
    assert idx.gender.get("Trump") == "m" and idx.gender.get("Ryan") == "m"
    assert idx.roles["republican nominee"] == {"Trump"}


def test_frame_and_cue_mentions():
    assert frame_text("he is unfit", "Hillary Clinton", "said")[:2] == ("Hillary Clinton said: he is unfit", 22)
    assert frame_text("x", None, None) == ("x", 0, None)
    text, span, own, how = prepare_pair("of using divisive rhetoric", Target("Donald Trump"),
                                        speaker="Hillary Clinton", cue="accused Trump", frame=True)
    assert how == "cue" and text[span[0]:span[1]] == "Trump" and own is None
    text, span, own, how = prepare_pair("the economy is strong", Target("Barack Obama"),
                                        speaker="Barack Obama", cue="said", frame=True)
    assert how == "speaker" and text[span[0]:span[1]] == "Barack Obama"


# --- the engine with articles ------------------------------------------------------


def test_predict_resolves_mentions_with_articles(tiny_tsc):
    st = "the Republican nominee was unfit to lead"
    frame = pd.DataFrame({"article": ["a1", "a1"], "text": [st, "Chinese officials declined to comment."],
                          "start": [at(st), at("Chinese officials")], "speaker": ["Hillary Clinton", pd.NA]})
    sm = StanceModel(tiny_tsc, cache=False)
    out = sm.predict(frame, targets=["Donald Trump"], articles={"a1": ARTICLE})
    assert out["target_mention"].tolist() == ["role", "none"]
    assert out["target_mentioned"].tolist() == [True, False]
    assert (out.loc[0, "target_start"], out.loc[0, "target_end"]) == (0, 22)
    plain = sm.predict(frame, targets=["Donald Trump"])
    assert plain["target_mention"].tolist() == ["none", "none"]
    with pytest.raises(ValueError, match="article"):
        sm.predict(frame.drop(columns="article"), targets=["Donald Trump"], articles={"a1": ARTICLE})
    with pytest.raises(TypeError, match="targets"):
        sm.predict(frame, targets=123)


def test_predict_warns_on_bad_given_offsets(tiny_tsc):
    frame = pd.DataFrame({"text": ["Canada and Canada."], "target": ["Canada"], "target_start": [12],
                          "target_end": [3]})
    with pytest.warns(UserWarning, match="out of range or reversed"):
        out = StanceModel(tiny_tsc, cache=False).predict(frame)
    assert out["target_mention"].tolist() == ["name"]


# --- metrics ------------------------------------------------------------------------


def test_stance_metrics_and_ece():
    proba = np.array([[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8], [0.6, 0.3, 0.1]])
    m = stance_metrics(["against", "none", "favor", "none"], proba)
    assert m["accuracy"] == 0.75 and m["f1_favor"] == 1.0
    assert m["f_avg"] == pytest.approx((1.0 + 2 / 3) / 2, abs=1e-4)
    # Perfectly calibrated confidences give ECE 0; overconfident wrong ones do not.
    assert expected_calibration_error([0, 0], np.array([[1.0, 0, 0], [1.0, 0, 0]])) == 0
    assert expected_calibration_error([1, 1], np.array([[0.9, 0.1, 0], [0.9, 0.1, 0]])) == pytest.approx(0.9)
    with pytest.raises(ValueError, match="unknown stance"):
        stance_metrics(["pro"], proba[:1])


def test_cohen_kappa_known_values():
    assert cohen_kappa("aabb", "aabb") == 1.0
    assert cohen_kappa(["x", "y", "y", "x"], ["x", "y", "x", "x"]) == pytest.approx(0.5)


# --- the label set ------------------------------------------------------------------


def _fake_polnear(tmp_path):
    root = tmp_path / "polnear"
    for split, art, text in (("train", "pub_2016-01-01_a", "Trump said he will win. Clinton is a liar, Trump said."),
                             ("dev", "pub_2016-09-01_b", "Obama praised Clinton. \"She is ready,\" he said.")):
        (root / split / "text").mkdir(parents=True)
        (root / split / "text" / f"{art}.txt").write_text(text, encoding="utf-8")
    (root / "metadata.tsv").write_text("compartment\tfilename\n", encoding="utf-8")
    none = {t: ["none", 0] for t in POLITICAL_TARGETS}
    items = [
        {"item_id": "train:pub_2016-01-01_a:E1", "split": "train", "article": "pub_2016-01-01_a",
         "polnear_split": "train", "content_spans": [[24, 41]], "source_spans": [[43, 48]], "cue_spans": [[49, 53]],
         "speaker": "Donald Trump", "labels": {**none, "Hillary Clinton": ["against", 2, "liar"]}, "batch": "t"},
        {"item_id": "test:pub_2016-09-01_b:E1", "split": "test", "article": "pub_2016-09-01_b",
         "polnear_split": "dev", "content_spans": [[23, 38]], "source_spans": [[39, 41]], "cue_spans": [[42, 46]],
         "speaker": "Barack Obama", "labels": {**none, "Hillary Clinton": ["favor", 1, "ready"]}, "batch": "d"},
    ]
    labels = tmp_path / "labels.jsonl"
    labels.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    return root, labels


def test_label_loader_rebuilds_text_from_offsets(tmp_path):
    root, labels = _fake_polnear(tmp_path)
    df = load_political_labels(path=labels, polnear=root)
    assert len(df) == 16 and set(df["split"]) == {"train", "test"}
    tr = df[(df.split == "train") & (df.target == "Hillary Clinton")].iloc[0]
    assert tr.text == "Clinton is a liar" and tr.stance == "against" and tr.cue == "said"
    assert tr.source == "Trump" and tr.speaker == "Donald Trump"
    te = load_political_labels("test", path=labels, polnear=root)
    assert te["text"].iloc[0] == "\"She is ready,\"" and len(te) == 8
    # No article text is stored in the label file itself.
    assert "liar" not in labels.read_text(encoding="utf-8").replace('"liar"]', "")


def test_shipped_label_set_has_both_splits_and_agreement():
    from stancekit.stance.data import read_label_items

    items = read_label_items()
    splits = {i["split"] for i in items}
    assert splits == {"train", "test"}
    assert sum(i["split"] == "test" for i in items) * 8 >= 500
    assert sum(i["split"] == "train" for i in items) * 8 >= 3000
    assert all(i["split"] == ("test" if i["polnear_split"] == "dev" else "train") for i in items)
    ag = agreement().set_index("targets")
    assert ag.loc["all", "n"] >= 300
    assert ag.loc["all", "kappa"] > 0.6


def test_shipped_country_labels_are_train_only_and_apart_from_the_political_set():
    from stancekit.stance.data import COUNTRY_TARGETS, read_label_items

    items = read_label_items("countries")
    assert len(items) == 400 and {i["split"] for i in items} == {"train"}
    assert all(set(i["labels"]) == set(COUNTRY_TARGETS) for i in items)
    assert not {i["item_id"] for i in items} & {i["item_id"] for i in read_label_items()}
    ag = agreement("countries").set_index("targets")
    assert ag.loc["all", "n"] == 160 and "Trump + Clinton" not in ag.index
    assert ag.loc["all", "kappa"] > 0.6


def test_shipped_world_labels_are_train_only_apart_and_toward_named_countries():
    from stancekit.stance.data import read_label_items

    items = read_label_items("world")
    assert len(items) == 686 and {i["split"] for i in items} == {"train"}
    earlier = {i["item_id"] for i in read_label_items()} | {i["item_id"] for i in read_label_items("countries")}
    assert not {i["item_id"] for i in items} & earlier
    # Each item is labelled toward the countries its content names (one to three), never the political targets.
    assert all(1 <= len(i["labels"]) <= 3 and not set(i["labels"]) & set(POLITICAL_TARGETS) for i in items)
    stances = [v[0] for i in items for v in i["labels"].values()]
    assert stances.count("against") > 100 and stances.count("favor") > 40
    ag = agreement("world").set_index("targets")
    assert ag.loc["all", "n"] == 66 and ag.loc["all", "kappa"] > 0.6


def test_loader_reads_each_items_own_targets(tmp_path):
    root, labels = _fake_polnear(tmp_path)
    rows = [json.loads(x) for x in labels.read_text(encoding="utf-8").splitlines() if x.strip()]
    rows[0]["labels"] = {"the United States": ["against", 1], "China": ["none", 0]}
    other = tmp_path / "other.jsonl"
    other.write_text("\n".join(json.dumps(r) for r in rows[:1]) + "\n", encoding="utf-8")
    df = load_political_labels(path=other, polnear=root)
    assert df["target"].tolist() == ["the United States", "China"]
    assert df["stance"].tolist() == ["against", "none"]


def _generated(tmp_path, second=True):
    folder = tmp_path / "generated"
    for sub in ("items", "labels_a", "labels_b"):
        (folder / sub).mkdir(parents=True)
    items = [{"item_id": "gen_99_0001", "speaker": "A spokesperson", "cue": "said",
              "text": "Washington should stop coercing its partners.", "targets": ["the United States", "Japan"]},
             {"item_id": "gen_99_0002", "speaker": "An analyst", "cue": "",
              "text": "Talks with Tokyo resume next week.", "targets": ["Japan", "the WTO"]}]
    a = [{"item_id": "gen_99_0001", "speaker": "A spokesperson",
          "labels": {"the United States": ["against", 1, "demand"], "Japan": ["none", 0]}},
         {"item_id": "gen_99_0002", "speaker": "An analyst", "labels": {"Japan": ["favor", 1], "the WTO": ["none", 0]}}]
    b = [{"item_id": "gen_99_0001", "speaker": "A spokesperson",
          "labels": {"the United States": ["against", 2], "Japan": ["none", 0]}},
         {"item_id": "gen_99_0002", "speaker": "An analyst", "labels": {"Japan": ["none", 0], "the WTO": ["none", 0]}}]
    files = [("items", items), ("labels_a", a)] + ([("labels_b", b)] if second else [])
    for sub, rows in files:
        (folder / sub / "gen_99.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return folder


def test_generated_set_trains_on_the_pairs_both_labellers_agree_on(tmp_path):
    folder = _generated(tmp_path)
    pairs = generated_pairs(folder)
    assert len(pairs) == 4 and pairs["stance_b"].notna().all()
    df = load_generated_stance(folder)
    # Japan in item 2 (favor vs none) is dropped; the writer's intensity is kept where the stances agree.
    assert sorted(zip(df["item_id"], df["target"], df["stance"], df["intensity"])) == [
        ("gen_99_0001", "Japan", "none", 0), ("gen_99_0001", "the United States", "against", 1),
        ("gen_99_0002", "the WTO", "none", 0)]
    row = df[df["target"] == "the United States"].iloc[0]
    assert row["article_text"][row["start"]:row["end"]] == row["text"] and row["cue"] == "said"
    assert df.loc[df["item_id"] == "gen_99_0002", "cue"].isna().all()  # an empty cue is no cue
    assert len(load_generated_stance(folder, agreed=False)) == 4


def test_generated_set_without_second_labels_gives_no_training_pairs(tmp_path):
    folder = _generated(tmp_path, second=False)
    assert generated_pairs(folder)["stance_b"].isna().all()
    assert load_generated_stance(folder).empty


def test_generated_set_errors_name_the_file(tmp_path):
    folder = _generated(tmp_path)
    (folder / "labels_a" / "gen_99.jsonl").write_text("{not json\n", encoding="utf-8")
    with pytest.raises(StancekitError, match=r"labels_a/gen_99.jsonl:1: not JSON"):
        generated_pairs(folder)


# --- training and fine-tuning on the tiny model ----------------------------------------


def _newsmtsc(folder):
    rows = [("The minister praised the United States for its support.", "the United States", 1),
            ("Critics said Canada betrayed its allies.", "Canada", -1),
            ("China announced the meeting on Tuesday.", "China", 0)] * 8
    folder.mkdir(parents=True, exist_ok=True)
    recs = [{"sentence": s, "mention": m, "from": s.index(m), "to": s.index(m) + len(m), "polarity": p}
            for s, m, p in rows]
    for name in ("train.jsonl", "dev_rw.jsonl", "dev_mt.jsonl"):
        (folder / name).write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    return folder


def test_train_with_the_political_set_writes_frame_and_calibration(tiny_artifact, tmp_path):
    root, labels = _fake_polnear(tmp_path)
    data = _newsmtsc(tmp_path / "newsmtsc")
    card = train.train(data, tmp_path / "m", polnear=root, labels=labels, base_path=str(tiny_artifact.parent / "tiny-base"),
                       epochs=1, batch_size=8, lora_r=2, lora_alpha=4, head_size=8, max_length=48, val_share=1.0,
                       show_progress=False)
    cfg = json.loads((tmp_path / "m" / "config.json").read_text())
    assert cfg["frame"] is True and set(cfg["calibration"]) == {"temperature", "bias"}
    assert card["training_data"]["political"]["political_train_items"] + \
        card["training_data"]["political"]["political_val_items"] == 1
    assert card["training_data"]["relevance_pairs"] > 0


def _fake_world_labels(tmp_path):
    """A round-4 style label file on the fake PolNeAR's train article: one item, its own target."""
    item = {"item_id": "train:pub_2016-01-01_a:E2", "split": "train", "article": "pub_2016-01-01_a",
            "polnear_split": "train", "content_spans": [[0, 22]], "source_spans": [[0, 5]], "cue_spans": [[6, 10]],
            "speaker": "Donald Trump", "labels": {"Canada": ["against", 1, "made up"]}, "batch": "w"}
    path = tmp_path / "world.jsonl"
    path.write_text(json.dumps(item) + "\n", encoding="utf-8")
    return path


def test_stage2_continues_from_an_artifact_and_is_kept_only_when_it_ranks_higher(tiny_artifact, tmp_path):
    root, labels = _fake_polnear(tmp_path)
    data = _newsmtsc(tmp_path / "newsmtsc")
    small = dict(batch_size=8, lora_r=2, lora_alpha=4, head_size=8, max_length=48, val_share=1.0, show_progress=False)
    base = str(tiny_artifact.parent / "tiny-base")
    card1 = train.train(data, tmp_path / "s1", polnear=root, labels=labels, base_path=base, epochs=1, **small)
    assert card1["stage"] == 1 and "stage2_sets" not in card1["training_data"]["political"]
    world = _fake_world_labels(tmp_path)
    card2 = train.train(data, tmp_path / "s2", polnear=root, labels=labels, base_path=base, start=tmp_path / "s1",
                        stage2_labels=(str(world),), stage2_epochs=1, stage2_news_copies=2, **small)
    hist = card2["history"]
    # Epoch 0 of stage 2 is the starting point, scored on the same dev sets as the stage-2 epoch.
    assert [(h["stage"], h["epoch"]) for h in hist] == [(2, 0), (2, 1)]
    assert card2["training_data"]["political"]["stage2_val_items"] == 1  # val_share 1.0: the item is validation
    assert card2["training_data"]["political"]["stage2_news_rows"] == 2 * 24  # NewsMTSC rows seen twice
    chosen = max(hist, key=lambda h: train._rank(h, train.DEFAULTS))
    assert card2["best_epoch"] == chosen["epoch"] and card2["started_from"] == str(tmp_path / "s1")
    assert card2["stage1_card"]["history"] == card1["history"] and "_start_card" not in card2["hyperparameters"]
    same = (tmp_path / "s2" / "adapter.safetensors").read_bytes() == (tmp_path / "s1" / "adapter.safetensors").read_bytes()
    assert same == (chosen["epoch"] == 0)
    with pytest.raises(ValueError, match="other settings"):
        train.train(data, tmp_path / "s3", polnear=root, labels=labels, base_path=base, start=tmp_path / "s1",
                    stage2_labels=(str(world),), **{**small, "lora_r": 4})


def test_relevance_negatives_never_mention_their_target():
    import random

    data = [{"text": "Trump met Merkel in Berlin.", "target": "Trump", "span": (0, 5), "label": 2},
            {"text": "Obama spoke in Chicago.", "target": "Obama", "span": (0, 5), "label": 1},
            {"text": "Putin warned Kiev.", "target": "Putin", "span": (0, 5), "label": 0}] * 5
    neg = train.relevance_negatives(data, 1.0, random.Random(0))
    assert neg and all(n["label"] == 1 and n["span"] is None for n in neg)
    assert all(n["target"].lower() not in n["text"].lower() for n in neg)


def _labels_df():
    good = ["canada is a good partner", "the minister said canada is good", "support canada trade deal",
            "canada good deal", "we support canada"]
    bad = ["canada is bad", "oppose canada", "the bad canada deal", "canada against trade", "they oppose canada"]
    rows = [(t, "favor") for t in good] * 5 + [(t, "against") for t in bad] * 5
    return pd.DataFrame(rows, columns=["text", "stance"]).assign(target="canada")


def _tone_gap(model, texts, stances):
    """Mean tone of the favor-labelled texts minus that of the against-labelled ones."""
    tone = model.predict(list(texts), targets=["canada"])["tone"].to_numpy()
    st = np.asarray(stances)
    return float(tone[st == "favor"].mean() - tone[st == "against"].mean())


def test_fine_tune_on_50_labels_moves_predictions_the_right_way(tiny_artifact, tmp_path):
    df = _labels_df()
    assert len(df) == 50
    # Probes not among the 50 labels (the tiny model knows only a ~100-word vocabulary).
    probes = (["the minister said canada is a good partner", "they support the canada trade deal",
               "oppose the bad canada deal", "canada is bad for trade"], ["favor", "favor", "against", "against"])
    sm = StanceModel(tiny_artifact, cache=False, precision="fp32")
    before = _tone_gap(sm, df["text"], df["stance"]), _tone_gap(sm, *probes)
    tsc = train.fine_tune(df, init=tiny_artifact, out=tmp_path / "ft", epochs=12, lr=1e-2, head_lr=1e-2,
                          show_progress=False)
    after_model = StanceModel(tmp_path / "ft", cache=False, precision="fp32")
    after = _tone_gap(after_model, df["text"], df["stance"]), _tone_gap(after_model, *probes)
    # The random model does not separate them (|gap| ~0.005); the adapted one does, on its labels
    # (measured 0.32) and on unseen probes (0.15).
    assert after[0] > before[0] + 0.15, (before, after)
    assert after[1] > before[1] + 0.05, (before, after)
    assert "+ft." in tsc.version and "calibration" not in tsc.config
    # The method does the same and keeps working in memory.
    sm.fine_tune(df, epochs=12, lr=1e-2, seed=0)
    assert sm.predict(probes[0][:1], targets=["canada"])["model_version"].iloc[0] == tsc.version
    with pytest.raises(ValueError, match="favor, none or against"):
        train.fine_tune(df.assign(stance="pro"), init=tiny_artifact)
    with pytest.raises(KeyError, match="target"):
        train.fine_tune(df.drop(columns="target"), init=tiny_artifact)
    with pytest.raises(ValueError, match="default backend"):
        StanceModel(backend="vader").fine_tune(df)


def test_cli_train_init_writes_an_adapted_model(tiny_artifact, tmp_path, capsys):
    labels = tmp_path / "labels.csv"
    _labels_df().to_csv(labels, index=False)
    rc = cli.main(["train", "--data", str(labels), "--init", str(tiny_artifact), "--out", str(tmp_path / "ft"),
                   "--epochs", "1"])
    assert rc == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["pairs"] == 50
    assert (tmp_path / "ft" / "adapter.safetensors").is_file()
    bad = tmp_path / "bad.csv"
    bad.write_text("text,stance\nx,favor\n", encoding="utf-8")
    assert cli.main(["train", "--data", str(bad), "--init", "default", "--out", str(tmp_path / "x")]) == 2
    assert "lacks column(s) ['target']" in capsys.readouterr().err
    assert cli.main(["train", "--data", str(labels), "--init", "default"]) == 2
    assert "--out" in capsys.readouterr().err


@pytest.fixture(scope="module")
def tiny_artifact(tmp_path_factory):
    return _tsc.build_tiny_artifact(tmp_path_factory.mktemp("tiny_political"))


@pytest.fixture(scope="module")
def tiny_tsc(tiny_artifact):
    return _tsc.load_tsc(tiny_artifact)


def test_python_m_stancekit_train_still_runs():
    out = subprocess.run([sys.executable, "-m", "stancekit.train", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "--init" in out.stdout


def test_cli_score_with_articles_resolves_mentions(tmp_path, capsys):
    art = tmp_path / "arts" / "a1.txt"
    art.parent.mkdir()
    art.write_text(ARTICLE, encoding="utf-8")
    st = "the Republican nominee was unfit to lead"
    lines = tmp_path / "st.jsonl"
    lines.write_text(json.dumps({"article": "a1", "start": at(st), "text": st, "speaker": "Hillary Clinton"}) + "\n",
                     encoding="utf-8")
    out = tmp_path / "scores.jsonl"
    rc = cli.main(["score", str(lines), "--backend", "vader", "--target", "Donald Trump", "--articles",
                   str(art.parent), "-o", str(out), "--no-cache"])
    assert rc == 0
    row = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert row["target_mention"] == "role" and row["target_start"] == 0
    rc = cli.main(["score", str(lines), "--backend", "vader", "--target", "Donald Trump", "-o", str(out), "--no-cache"])
    assert json.loads(out.read_text(encoding="utf-8").splitlines()[0])["target_mention"] == "none"
    nolines = tmp_path / "plain.jsonl"
    nolines.write_text(json.dumps({"text": st}) + "\n", encoding="utf-8")
    assert cli.main(["score", str(nolines), "--backend", "vader", "--target", "X", "--articles", str(art.parent),
                     "-o", str(out)]) == 2
    assert "--articles needs an `article` field" in capsys.readouterr().err


def test_selection_prefers_epochs_meeting_the_dev_rw_floor():
    hp = {**train.DEFAULTS, "select_min_rw": 0.80}
    history = [{"epoch": 1, "dev_rw_macro_f1": 0.78, "selection_score": 0.70},
               {"epoch": 2, "dev_rw_macro_f1": 0.805, "selection_score": 0.66},
               {"epoch": 3, "dev_rw_macro_f1": 0.801, "selection_score": 0.65}]
    assert max(history, key=lambda h: train._rank(h, hp))["epoch"] == 2
    # No epoch reaches the floor: the best score wins.
    low = [{**h, "dev_rw_macro_f1": 0.7} for h in history]
    assert max(low, key=lambda h: train._rank(h, hp))["epoch"] == 1


# --- stance labels on whole-article statements (the invented articles) ------------------------------


def test_statement_stance_labels_rebuild_text_and_keep_the_split_and_the_seed_apart():
    from stancekit.stance.data import SEED_STEM, load_statement_stance

    dev, tr = load_statement_stance("dev"), load_statement_stance("train")
    assert not set(dev["article"]) & set(tr["article"])
    assert SEED_STEM not in set(dev["article"]) | set(tr["article"])
    assert set(dev["target"]) == {"the United States", "Canada–China cooperation"}
    for df in (dev, tr):
        assert len(df) and not df.duplicated(["item_id", "target"]).any()  # one row per (statement, target)
        # The text is the article's characters at the statement's offsets.
        assert all(r.article_text[r.start:r.end] == r.text for r in df.itertuples())


def test_synthetic_set_is_train_only_and_labels_every_statement_toward_its_two_states():
    import json as _json

    from stancekit.stance.data import load_statement_stance, synthetic_folder

    folder = synthetic_folder()
    df = load_statement_stance(folder=folder, dev_share=0.0, statements="statements", stance="stance")
    assert set(df["split"]) == {"train"}
    targets = _json.loads((folder / "targets.json").read_text(encoding="utf-8"))
    assert {a: sorted(set(d["target"])) for a, d in df.groupby("article")} == \
        {a: sorted(t) for a, t in targets.items()}
    n_rows = sum(1 for f in (folder / "statements").glob("*.jsonl") for line in f.open(encoding="utf-8") if line.strip())
    assert len(df) == 2 * n_rows
    assert all(r.article_text[r.start:r.end] == r.text for r in df.itertuples())
