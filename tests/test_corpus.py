"""Tests for corpus runs: partition planning, resumable analyze_corpus, SIGKILL recovery, Dask."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pandas as pd
import pytest

from stancekit import StancekitError
from stancekit import io as sio
from stancekit.io import corpus as sc
from stancekit.pipeline import analyze, analyze_corpus

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "global-times-2026-01-30-us-canada-sovereignty.txt"
REGISTRY = ROOT / "seeds" / "registry.yaml"
TARGETS = {"the United States": ["US", "Washington"], "Canada-China cooperation": ["Canada-China"]}
PROBS = ["p_favor", "p_none", "p_against", "tone", "intensity"]


def _paragraphs() -> list[str]:
    return [p for p in SEED.read_text(encoding="utf-8").split("\n") if p.strip()]


def _make_corpus(folder: Path, n: int) -> Path:
    """``n`` short news articles, each a different window of the seed's paragraphs (1-2k characters)."""
    paras = _paragraphs()
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        k = (3 * i) % len(paras)
        body = "\n".join([paras[0], *paras[k:k + 3]]) + "\n"
        (folder / f"story-{i:03d}.txt").write_text(body, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def corpus12(tmp_path_factory) -> Path:
    return _make_corpus(tmp_path_factory.mktemp("c12") / "news", 12)


def _run(src, out, **kw):
    kw = {"targets": TARGETS, "registry": REGISTRY, "precision": "fp32", "partition_size": 4,
          "show_progress": False, "report": False, **kw}
    return analyze_corpus(src, out, **kw)


def _frames(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    return sc.read_parts(out / "statements"), sc.read_parts(out / "scores")


def _assert_same_outputs(a: Path, b: Path) -> None:
    sa, ca = _frames(a)
    sb, cb = _frames(b)
    pd.testing.assert_frame_equal(sa, sb)
    pd.testing.assert_frame_equal(ca.drop(columns=PROBS), cb.drop(columns=PROBS))
    pd.testing.assert_frame_equal(ca[PROBS], cb[PROBS], check_exact=False, atol=1e-6, rtol=0)


# --- planning and files -----------------------------------------------------------


def test_plan_groups_single_files_and_keeps_each_shard_whole(tmp_path):
    src = _make_corpus(tmp_path / "in", 5)
    shard = src / "more.jsonl"  # sorts before the story-* files
    shard.write_text("".join(json.dumps({"id": f"j{i}", "text": _paragraphs()[i]}) + "\n" for i in range(1, 4)))
    plans = list(sc.plan_partitions(src, partition_size=2))
    kinds = [[f[2] for f in p.files] for p in plans]
    assert kinds == [["jsonl"], ["txt", "txt"], ["txt", "txt"], ["txt"]]
    assert [p.index for p in plans] == [0, 1, 2, 3]
    # ids are those of read_articles over the whole folder
    ids = [a for p in plans for a in sc.read_part(p)[0]["article"]]
    assert ids == list(sio.read_articles(src)["article"])


def test_plan_frame_slices_and_globs(tmp_path):
    frame = pd.DataFrame({"article": list("abcde"), "text": [_paragraphs()[1]] * 5})
    plans = list(sc.plan_partitions(frame, partition_size=2))
    assert [len(p.frame) for p in plans] == [2, 2, 1]
    src = _make_corpus(tmp_path / "in", 3)
    assert [Path(f[0]).name for p in sc.plan_partitions(str(src / "story-00[02].txt")) for f in p.files] == [
        "story-000.txt", "story-002.txt"]
    with pytest.raises(FileNotFoundError, match="matches"):
        list(sc.plan_partitions(str(tmp_path / "nothing-*.txt")))
    with pytest.raises(ValueError, match="partition_size"):
        sc.plan_partitions(src, partition_size=0)


def test_parquet_article_shard_is_read_row_by_row(tmp_path):
    pytest.importorskip("pyarrow")
    texts = _paragraphs()[1:4]
    pd.DataFrame({"id": ["x", None, "z"], "body": texts, "outlet": ["GT", None, "GT"]}).to_parquet(
        tmp_path / "shard.parquet")
    arts = sio.read_articles(tmp_path)
    assert list(arts["article"]) == ["x", "shard:2", "z"]
    assert list(arts["text"]) == texts
    assert arts["outlet"].isna().tolist() == [False, True, False]


def test_write_part_is_atomic_and_parts_read_back_as_one_dataset(tmp_path):
    a = pd.DataFrame({"x": ["s", None], "n": [1, 2]})
    b = pd.DataFrame({"x": [None, None], "n": [3, 4]}, dtype=object).astype({"n": "int64"})  # all-missing strings
    sc.write_part(tmp_path, sc.part_name(1), b)
    sc.write_part(tmp_path, sc.part_name(0), a)
    (tmp_path / ".part-000002-0000.parquet.123.tmp").write_bytes(b"half")  # a killed writer's leftover
    assert [p.name for p in sc.list_parts(tmp_path)] == ["part-000000-0000.parquet", "part-000001-0000.parquet"]
    back = sc.read_parts(tmp_path)
    assert back["n"].tolist() == [1, 2, 3, 4]
    assert len(pd.read_parquet(tmp_path)) == 4  # one schema across files; temp files ignored
    assert sc.remove_temp_files(tmp_path) == 1


def test_articles_key_depends_on_text_ids_and_salt():
    base = pd.DataFrame({"article": ["a", "b"], "text": ["one text", "two text"], "source": [None, None],
                         "title": [None, None], "outlet": [None, None], "date": [None, None]})
    key = sc.articles_key(base, "s")
    assert key == sc.articles_key(base.copy(), "s")
    assert key != sc.articles_key(base, "t")
    assert key != sc.articles_key(base.assign(text=["one text", "two text!"]), "s")
    assert key != sc.articles_key(base.assign(article=["a", "c"]), "s")


# --- analyze_corpus in-process ----------------------------------------------------


def test_corpus_run_equals_in_memory_analyze(corpus12, tmp_path):
    from stancekit.models import StanceModel

    res = _run(corpus12, tmp_path / "out")
    assert (res.n_articles, res.n_partitions, res.n_processed) == (12, 3, 3)
    mem = analyze(corpus12, targets=TARGETS, registry=REGISTRY,
                  model=StanceModel(precision="fp32", cache=False), show_progress=False)
    key = ["article", "start", "speaker", "target"]
    got = res.scores().sort_values(key, kind="stable").reset_index(drop=True)
    want = mem.scores.sort_values(key, kind="stable").reset_index(drop=True)
    assert len(got) == len(want) == res.n_scores > 0
    assert got["statement_id"].tolist() == want["statement_id"].tolist()
    assert got["speaker"].astype(object).where(got["speaker"].notna(), None).tolist() == \
        want["speaker"].astype(object).where(want["speaker"].notna(), None).tolist()
    pd.testing.assert_frame_equal(got[PROBS], want[PROBS], check_exact=False, atol=1e-6, rtol=0)
    pd.testing.assert_frame_equal(res.summary.reset_index(drop=True), mem.summary.reset_index(drop=True),
                                  check_exact=False, atol=1e-9)
    summary_csv = pd.read_csv(tmp_path / "out" / "summary.csv")
    assert len(summary_csv) == len(res.summary)
    # every statement span still indexes its article
    texts = {p.stem: p.read_text(encoding="utf-8") for p in corpus12.glob("*.txt")}
    st = res.statements()
    assert all(texts[a][s:e] == t for a, s, e, t in zip(st["article"], st["start"], st["end"], st["text"]))


def test_second_run_does_no_model_work(corpus12, tmp_path, monkeypatch):
    import stancekit.extraction as extraction
    from stancekit.models import StanceModel

    out = tmp_path / "out"
    first = _run(corpus12, out, report=True)
    files = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and p.name != "run.json"}

    def no_extraction(*args, **kwargs):
        raise AssertionError("extraction ran on a finished output")

    real_predict = StanceModel.predict

    def only_the_probe(self, statements, *args, **kwargs):
        texts = statements if isinstance(statements, list) else statements["text"].tolist()
        if any(t.strip() for t in texts):
            raise AssertionError("the stance model scored statements on a finished output")
        return real_predict(self, statements, *args, **kwargs)

    monkeypatch.setattr(extraction, "extract_statements", no_extraction)
    monkeypatch.setattr(extraction, "iter_statements", no_extraction)
    monkeypatch.setattr(StanceModel, "predict", only_the_probe)
    second = _run(corpus12, out, report=True)
    assert second.n_processed == 0 and second.n_partitions == first.n_partitions
    pd.testing.assert_frame_equal(second.summary, first.summary)
    assert {p: p.stat().st_mtime_ns for p in files} == files  # nothing rewritten, report and charts included


def test_other_settings_are_refused_unless_overwrite(corpus12, tmp_path):
    out = tmp_path / "out"
    _run(corpus12, out)
    with pytest.raises(StancekitError, match=r"different run \(differs in: targets\).*overwrite") as err:
        _run(corpus12, out, targets=["Canada"])
    assert "\n" not in str(err.value)
    res = _run(corpus12, out, targets=["Canada"], overwrite=True)
    assert res.n_processed == res.n_partitions
    assert set(res.scores()["target"]) == {"Canada"}


def test_changed_corpus_redoes_only_changed_partitions_and_drops_stale_files(tmp_path):
    src = _make_corpus(tmp_path / "in", 6)
    out = tmp_path / "out"
    _run(src, out, partition_size=2)
    (src / "story-003.txt").write_text(_paragraphs()[5] + "\n" + _paragraphs()[6] + "\n", encoding="utf-8")
    (src / "story-005.txt").unlink()
    res = _run(src, out, partition_size=2)
    assert (res.n_partitions, res.n_processed) == (3, 2)  # [0,1] kept; [2,3] changed; [4] instead of [4,5]
    ids = res.statements()["article"].unique().tolist()
    assert "story-005" not in ids
    assert len(list((out / "_partitions").glob("*.json"))) == 3


def test_unreadable_inputs_are_skipped_with_one_warning(tmp_path):
    src = _make_corpus(tmp_path / "in", 3)
    (src / "empty.txt").write_text("")
    with pytest.warns(UserWarning, match=r"skipped 1 unreadable input\(s\): .*empty.txt \(empty\)"):
        res = _run(src, tmp_path / "out")
    assert res.n_articles == 3
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "x.txt").write_text("")
    with pytest.raises(StancekitError, match="no readable articles"):
        _run(bad, tmp_path / "out2")


# --- crash safety ---------------------------------------------------------------


def test_sigkill_midway_then_rerun_equals_an_uninterrupted_run(tmp_path):
    src = _make_corpus(tmp_path / "in", 10)
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "stancekit.cli", "analyze", str(src), "--registry", str(REGISTRY),
           "--target", "the United States", "--alias", "US", "--alias", "Washington",
           "--target", "Canada-China cooperation", "--alias", "Canada-China",
           "--precision", "fp32", "--partition-size", "1", "-q", "-o", str(out)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    manifests = out / "_partitions"
    deadline = time.monotonic() + 300
    while not (manifests.is_dir() and any(manifests.glob("part-*.json"))):
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "no partition finished in 300 s"
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = len(list(manifests.glob("part-*.json")))
    assert 1 <= done < 10, f"the run was not killed midway ({done} of 10 partitions done)"

    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    whole = tmp_path / "whole"
    ref = _run(src, whole, targets=TARGETS, partition_size=1)
    _assert_same_outputs(out, whole)
    scores = sc.read_parts(out / "scores")
    assert len(scores) == ref.n_scores
    assert not scores.duplicated(["statement_id", "speaker", "start", "target"]).any()
    assert not list(out.rglob(".*.tmp"))
    pd.testing.assert_frame_equal(pd.read_csv(out / "summary.csv"), pd.read_csv(whole / "summary.csv"))


# --- Dask -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                           dashboard_address=":0")
        client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_dask_two_workers_equal_the_single_process_run(tmp_path_factory, dask_client):
    src = _make_corpus(tmp_path_factory.mktemp("c40") / "news", 40)
    tmp = tmp_path_factory.mktemp("out40")
    single = _run(src, tmp / "single", partition_size=10)
    spread = _run(src, tmp / "dask", partition_size=10, client=dask_client)
    assert (spread.n_articles, spread.n_partitions, spread.n_processed) == (40, 4, 4)
    _assert_same_outputs(tmp / "single", tmp / "dask")
    pd.testing.assert_frame_equal(single.summary, spread.summary)
    # a worker builds the stance model once, however many partitions it runs (4 partitions, 2 workers)
    loads = dask_client.run(lambda: __import__("stancekit._corpus", fromlist=["_"]).MODEL_LOADS)
    assert max(loads.values()) == 1 and set(loads.values()) <= {0, 1}

    # a dask DataFrame of articles goes through the same per-partition function on the workers
    dd = pytest.importorskip("dask.dataframe")
    articles = sio.read_articles(src)
    ddf = dd.from_pandas(articles, npartitions=4)
    frame_run = _run(ddf, tmp / "ddf", partition_size=10, client=dask_client)
    assert frame_run.n_articles == 40
    _assert_same_outputs(tmp / "single", tmp / "ddf")


def test_cli_rejects_workers_with_scheduler_and_bad_counts(capsys):
    from stancekit.cli import main

    base = ["analyze", str(SEED), "--target", "Canada", "-o", "unused"]
    assert main(base + ["--workers", "2", "--scheduler", "tcp://localhost:8786"]) == 2
    assert "either --workers" in capsys.readouterr().err
    assert main(base + ["--workers", "0"]) == 2
    assert "--workers must be at least 1" in capsys.readouterr().err
    assert main(base + ["--partition-size", "0"]) == 2
    assert "--partition-size" in capsys.readouterr().err


def test_a_worker_with_other_models_refuses_to_write():
    from stancekit import _corpus
    from stancekit.models import StanceModel

    spec = _corpus.RunSpec(targets=(), registry=None,
                           model_params=_corpus.model_params(StanceModel(backend="vader", cache=False)))
    mine = _corpus.probe_identity(spec)
    assert mine["stance_model"]["backend"].startswith("vader")
    _corpus.check_identity(_corpus.with_key(spec, "k", mine))  # the same models: no error
    other = {**mine, "stance_model": {**mine["stance_model"], "fingerprint": "0123"}}
    with pytest.raises(StancekitError, match=r"differ from the run's \(stance_model\.fingerprint"):
        _corpus.check_identity(_corpus.with_key(spec, "k", other))


def test_arguments_are_checked_before_any_work(tmp_path):
    src = _make_corpus(tmp_path / "in", 1)
    with pytest.raises(KeyError, match="`nope` for `by`"):
        _run(src, tmp_path / "out", by="nope")
    with pytest.raises(ValueError, match="partition_size"):
        _run(src, tmp_path / "out", partition_size=0)
    with pytest.raises(ValueError, match="targets"):
        _run(src, tmp_path / "out", targets=[])
    assert not (tmp_path / "out").exists()
