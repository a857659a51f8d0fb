"""Tests for stancekit.polnear on a tiny invented corpus in brat format (no PolNeAR text here)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from stancekit import polnear as pn
from stancekit._utils import StancekitError

# One invented article, written for this test. Offsets are found, not typed, so the fixture stays right.
TEXT = (
    "Mr. Lorne Vasko said on Monday that the plan would fail and that voters knew it.\n\n"
    "He added that he would run again.\n\n"
    "\u201cWe will win,\u201d said the Vasko campaign.\n\n"
    "Critics accused Vasko of ignoring the numbers.\n\n"
    "A poll showed that 40 percent backed him.\n\n"
    "Vasko is expected to win.\n\n"
    "I think he is right.\n"
)


def _span(sub: str, nth: int = 0) -> tuple[int, int]:
    pos = -1
    for _ in range(nth + 1):
        pos = TEXT.index(sub, pos + 1)
    return pos, pos + len(sub)


def _ann() -> str:
    parts = [
        # (source, cue, content)
        ("Mr. Lorne Vasko", "said", "that the plan would fail and that voters knew it"),
        ("He", "added", "that he would run again"),
        ("the Vasko campaign", "said", "\u201cWe will win,\u201d"),
        ("Critics", "accused", "Vasko of ignoring the numbers"),
        ("A poll", "showed", "that 40 percent backed him"),
        (None, "is expected", "Vasko ... to win"),
        ("I", "think", "he is right"),
    ]
    lines, t, e = [], 0, 0
    for src, cue, content in parts:
        roles = []
        if src is not None:
            t += 1
            s, x = _span(src)
            lines.append(f"T{t}\tSource {s} {x}\t{src}")
            roles.append(f"Source:T{t}")
        t += 1
        s, x = _span(cue, 1 if cue == "said" and src == "the Vasko campaign" else 0)
        lines.append(f"T{t}\tCue {s} {x}\t{cue}")
        roles.append(f"Cue:T{t}")
        cue_t = t
        t += 1
        if " ... " in content:
            a, b = content.split(" ... ")
            (s1, x1), (s2, x2) = _span(a, 1), _span(b, 0)
            x2 = TEXT.index(b, s1) + len(b)
            s2 = x2 - len(b)
            lines.append(f"T{t}\tContent {s1} {x1};{s2} {x2}\t{a} {b}")
        else:
            s, x = _span(content)
            lines.append(f"T{t}\tContent {s} {x}\t{content}")
        roles.append(f"Content:T{t}")
        e += 1
        rel = "Attribution" if src is not None else "Attribution-no-source"
        lines.append(f"E{e}\t{rel}:T{cue_t} " + " ".join(roles))
    return "\n".join(lines) + "\n"


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "polnear"
    for split in ("train",):
        (root / split / "text").mkdir(parents=True)
        (root / split / "attributions").mkdir(parents=True)
    (root / "train" / "text" / "paper_2016-01-01_vasko.txt").write_text(TEXT, encoding="utf-8", newline="")
    (root / "train" / "attributions" / "paper_2016-01-01_vasko_ab12.ann").write_text(_ann(), encoding="utf-8")
    (root / "metadata.tsv").write_text("compartment\tfilename\tpublisher\tpublication_date\ttitle\n"
                                       "train\tpaper_2016-01-01_vasko\tpaper\t2016-01-01\tVasko\n", encoding="utf-8")
    return root


def test_read_attributions_offsets(corpus):
    attr = pn.read_attributions("train", path=corpus)
    assert len(attr) == 7
    for r in attr.itertuples():
        for a, b in r.content_spans:
            assert TEXT[a:b] in r.content
    assert attr["relation"].tolist().count("Attribution-no-source") == 1


def test_gold_statements_types_and_offsets(corpus):
    gold = pn.gold_statements("train", path=corpus)
    assert list(gold.columns) == pn.GOLD_STATEMENT_COLUMNS
    assert all(TEXT[r.start:r.end] == r.text for r in gold.itertuples())
    by_src = {r.source if isinstance(r.source, str) else None: r for r in gold.itertuples()}
    assert by_src["Mr. Lorne Vasko"].source_type == "name" and by_src["Mr. Lorne Vasko"].speaker_check
    # "that A and that B" is one content span
    assert by_src["Mr. Lorne Vasko"].text == "that the plan would fail and that voters knew it"
    # "He" resolves to the nearest earlier named Source
    assert by_src["He"].source_type == "pronoun" and by_src["He"].speaker == "Mr. Lorne Vasko"
    assert by_src["the Vasko campaign"].speaker == "Vasko campaign" and by_src["the Vasko campaign"].kind == "direct"
    assert by_src["Critics"].source_type == "description" and not by_src["Critics"].speaker_check
    assert by_src["Critics"].kind == "evaluative"
    assert by_src["A poll"].source_type == "document" and not by_src["A poll"].counted
    assert by_src["I"].source_type == "author" and not by_src["I"].counted
    assert by_src["I"].kind == "belief"
    none = gold[gold["source_type"] == "none"]
    assert len(none) == 2 and none["statement_id"].nunique() == 1   # two content parts, one attribution
    assert not none["counted"].any()


def test_name_part():
    assert pn.name_part("the mayor's chief rival, Councillor Amy Shah,") == "Councillor Amy Shah"
    assert pn.name_part("the Clinton campaign") == "Clinton campaign"
    assert pn.name_part("Republican presidential candidate") is None
    assert pn.name_part("Officials") is None
    assert pn.name_part("Tom Becker, a plumber who met Mr. Ames,") == "Tom Becker"


def test_kind_families():
    fam = pn.kind_families()
    assert fam["accused"] == "evaluative" and fam["praising"] == "evaluative"
    assert fam["hopes"] == "belief" and fam["thought"] == "belief" and fam["saw"] == "belief"
    assert "said" not in fam


def test_not_a_polnear_folder(tmp_path):
    with pytest.raises(StancekitError, match="not a PolNeAR folder"):
        pn.read_attributions("train", path=tmp_path)


def test_cli_polnear_on_tiny_corpus(corpus, monkeypatch, capsys):
    from stancekit import cli, extraction

    def fake_extract(articles, *, registry=None, **kwargs):
        g = pn.gold_statements("train", path=corpus)
        g = g[g["counted"]]
        # a perfect prediction, with resolved names where the gold has them
        return g.assign(speaker=g["speaker"].fillna("someone"))[["article", "speaker", "kind", "text", "start", "end"]]

    monkeypatch.setattr(extraction, "extract_statements", fake_extract)
    rc = cli.main(["evaluate-statements", "-q", "--gold-format", "polnear", "--gold", str(corpus / "train")])
    out = capsys.readouterr().out
    assert rc == 0
    assert "4 of 7 attributions counted" in out
    assert "overall F1 1.000" in out
    assert {"direct", "indirect", "evaluative"} <= set(line.split()[0] for line in out.splitlines() if line.strip())


def test_cli_jsonl_needs_paths(capsys):
    from stancekit import cli

    assert cli.main(["evaluate-statements", "-q", "--gold", "tests/data/gold"]) == 2
    assert "give at least one article PATH" in capsys.readouterr().err


SHARED = pn.default_polnear_dir()


@pytest.mark.skipif(not (SHARED / "dev").is_dir(), reason="PolNeAR not in ../shared/data/polnear")
def test_gold_statements_on_the_real_dev_split_keep_offsets():
    gold = pn.gold_statements("dev")
    texts = {}
    for r in gold.sample(300, random_state=0).itertuples():
        t = texts.setdefault(r.article, pn.article_text(r.article, split="dev"))
        assert t[r.start:r.end] == r.text
    assert set(gold["source_type"]) <= {"name", "pronoun", "description", "none", "document", "author"}
    assert gold["counted"].mean() > 0.8
