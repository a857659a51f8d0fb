"""The llm backend against a real HTTP server on 127.0.0.1 (tests/llm_server.py) speaking chat completions.

Short timeouts and retry waits keep the module at a few seconds; the only
deliberate wait is one Retry-After of 1 s.
"""
from __future__ import annotations

import json
import os
import signal
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("openai")

from llm_server import FakeOpenAI, rule_stance  # noqa: E402  (tests/ is on sys.path under pytest)

from stancekit import cli  # noqa: E402
from stancekit._utils import StancekitError  # noqa: E402
from stancekit.models import StanceModel  # noqa: E402
from stancekit.stance import llm  # noqa: E402

SECRET = "sk-test-SECRET-4f9d1c2b7a"
REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "data" / "gold" / "global-times-2026-01-30-us-canada-sovereignty.stance.jsonl"

#: Fast settings for tests: timeouts and backoff in tens of milliseconds.
FAST = {"timeout": 0.5, "retry_wait": 0.01, "max_retries": 2}


@pytest.fixture(autouse=True)
def api_key(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)


@pytest.fixture
def server():
    with FakeOpenAI(slow_delay=1.5) as srv:
        yield srv


def model(srv: FakeOpenAI, tmp_path: Path, **kw) -> StanceModel:
    opts = {**FAST, **kw}
    return StanceModel("rule-model", backend="llm", base_url=srv.base_url, cache_dir=tmp_path / "cache",
                       show_progress=False, **opts)


# --- the answers ---------------------------------------------------------------------


def test_rows_come_back_in_input_order(server, tmp_path):
    # Later statements answer sooner, so the completion order is the reverse of the input order.
    texts = [f"Statement {k}: {w} the plan #wait={10 * (12 - k)}"
             for k, w in enumerate(["support", "hate", "note", "love", "oppose", "see"] * 2)]
    out = model(server, tmp_path, max_concurrency=6).predict(texts, targets=["the plan"])
    assert out["text"].tolist() == texts
    assert out["stance"].tolist() == [rule_stance(t)[0] for t in texts]
    assert set(out["prob_source"]) == {"logprobs"}
    conf = [rule_stance(t)[1] for t in texts]
    assert out[["p_favor", "p_none", "p_against"]].max(axis=1).tolist() == pytest.approx(conf)
    assert out.attrs["stancekit"]["backend"] == "llm.v1"


def test_request_carries_prompt_parts_and_settings(server, tmp_path):
    frame = pd.DataFrame({"text": ["We support the plan."], "speaker": ["Ann Lee"], "role": ["finance minister"],
                          "context": ["Talks ended. ⟦We support the plan.⟧ She left."]})
    model(server, tmp_path).predict(frame, targets={"the plan": ["the deal"]})
    body = server.requests[0]["body"]
    msgs = body["messages"]
    assert msgs[0]["role"] == "system" and "favor: the statement expresses a positive" in msgs[0]["content"]
    n_shots = len(llm._few_shot(None)[0])
    assert n_shots >= 3 and [m["role"] for m in msgs[1:-1]] == ["user", "assistant"] * n_shots
    assert json.loads(msgs[2]["content"])["stance"] in {"favor", "against", "none"}
    last = msgs[-1]["content"]
    for part in ("Target: the plan (also called: the deal)", "Speaker: Ann Lee (finance minister)",
                 "Talks ended. ⟦We support the plan.⟧ She left.", 'Statement:\n"""\nWe support the plan.\n"""'):
        assert part in last
    assert body["temperature"] == 0 and body["seed"] == 0 and body["logprobs"] is True
    schema = body["response_format"]["json_schema"]["schema"]
    assert body["response_format"]["type"] == "json_schema"
    assert schema["properties"]["stance"]["enum"] == ["favor", "against", "none"]
    assert server.requests[0]["headers"]["authorization"] == f"Bearer {SECRET}"  # the key is used, in the header


def test_probabilities_from_logprobs_confidence_or_label(tmp_path):
    texts = ["We support the great plan.", "A terrible plan.", "The plan exists. #bare", "Bad, bad plan #malformed",
             "Good plan #wrapped"]
    with FakeOpenAI() as srv:
        lp = model(srv, tmp_path / "a").predict(texts, targets=["the plan"])
    with FakeOpenAI(logprobs=False) as srv:
        cf = model(srv, tmp_path / "b").predict(texts, targets=["the plan"])
    expect = [rule_stance(t) for t in texts]
    assert lp["stance"].tolist() == cf["stance"].tolist() == [lab for lab, _ in expect]
    assert lp["prob_source"].tolist() == ["logprobs"] * 5
    assert cf["prob_source"].tolist() == ["confidence", "confidence", "label-only", "confidence", "confidence"]
    cols = {"favor": "p_favor", "none": "p_none", "against": "p_against"}
    for k, (lab, conf) in enumerate(expect):
        others = [c for lab2, c in cols.items() if lab2 != lab]
        # logprobs: the chosen label log(conf), the others 0.6 and 0.4 of the rest (server's rule)
        assert lp.loc[k, cols[lab]] == pytest.approx(conf)
        assert sorted(lp.loc[k, others]) == pytest.approx(sorted([0.6 * (1 - conf), 0.4 * (1 - conf)]))
        if cf.loc[k, "prob_source"] == "confidence":
            assert cf.loc[k, cols[lab]] == pytest.approx(conf)
            assert list(cf.loc[k, others]) == pytest.approx([(1 - conf) / 2] * 2)
        else:
            assert cf.loc[k, cols[lab]] == 1.0 and list(cf.loc[k, others]) == [0.0, 0.0]
    np.testing.assert_allclose(lp[["p_favor", "p_none", "p_against"]].sum(axis=1), 1.0)


# --- throughput and failures ----------------------------------------------------------------


def test_retries_honour_retry_after_and_recover(server, tmp_path):
    texts = ["Great plan #429", "Bad plan #500", "Good plan #badbody", "Plan #slow-once"]
    out = model(server, tmp_path, max_retries=3).predict(texts, targets=["the plan"])
    assert out["stance"].tolist() == [rule_stance(t)[0] for t in texts]  # all recovered
    seen = {t: [r for r in server.requests if r["statement"] == t] for t in texts}
    assert [len(seen[t]) for t in texts] == [2, 3, 2, 2]
    gap = seen["Great plan #429"][1]["time"] - seen["Great plan #429"][0]["time"]
    assert gap >= 0.95  # Retry-After: 1, while our own backoff would have waited ~0.01 s
    gaps = [b["time"] - a["time"] for a, b in zip(seen["Bad plan #500"], seen["Bad plan #500"][1:])]
    assert max(gaps) < 0.9  # plain 5xx: exponential backoff from retry_wait, no Retry-After


def test_concurrency_stays_within_its_bound(tmp_path):
    texts = [f"plan number {k}" for k in range(24)]
    with FakeOpenAI(latency=0.05) as srv:
        model(srv, tmp_path / "a", max_concurrency=3).predict(texts, targets=["the plan"])
        assert 2 <= srv.max_in_flight <= 3
        srv.reset()
        model(srv, tmp_path / "b", max_concurrency=1).predict(texts, targets=["the plan"])
        assert srv.max_in_flight == 1


def test_cache_prevents_a_second_request(server, tmp_path):
    frame = pd.DataFrame({"text": ["We support it.", "Terrible idea.", "It exists.", "We support it."],
                          "speaker": ["A", "B", "C", "D"]})
    first = model(server, tmp_path).predict(frame, targets=["it"])
    assert len(server.requests) == 4  # the repeated text has another speaker, so another prompt
    server.reset()
    again = model(server, tmp_path).predict(frame, targets=["it"])
    assert server.requests == []
    pd.testing.assert_frame_equal(first, again)
    # Same text and speaker twice in one call: one request.
    model(server, tmp_path).predict(pd.DataFrame({"text": ["New one."] * 2, "speaker": ["E"] * 2}), targets=["it"])
    assert len(server.requests) == 1
    # The few-shot set is part of the key.
    server.reset()
    model(server, tmp_path, few_shot=[]).predict(frame, targets=["it"])
    assert len(server.requests) == 4 and len(server.requests[0]["body"]["messages"]) == 2


def test_failed_pairs_are_nan_with_one_warning_and_not_cached(server, tmp_path):
    texts = ["Great plan.", "Plan #fail", "Plan #slow", "Plan #garbage", "Bad plan."]
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        out = model(server, tmp_path, max_retries=1).predict(texts, targets=["the plan"])
    msgs = [str(x.message) for x in w if "failed" in str(x.message)]
    assert len(msgs) == 1 and msgs[0].startswith("3 of 5 pair(s) failed")
    assert "1 HTTP 500" in msgs[0] and "1 timeout" in msgs[0] and "1 unparseable answer" in msgs[0]
    bad = out["text"].str.contains("#")
    assert out.loc[bad, ["p_favor", "p_none", "p_against", "tone", "intensity"]].isna().all().all()
    assert out.loc[bad, "stance"].isna().all() and out.loc[bad, "prob_source"].isna().all()
    assert out.loc[~bad, "stance"].tolist() == ["favor", "against"]
    # Retried: the 500 and the timeout twice each (max_retries=1); the garbage answer once (temperature 0).
    counts = pd.Series(server.statements()).value_counts()
    assert counts["Plan #fail"] == 2 and counts["Plan #slow"] == 2 and counts["Plan #garbage"] == 1
    server.reset()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model(server, tmp_path, max_retries=0).predict(texts, targets=["the plan"])
    assert sorted(server.statements()) == ["Plan #fail", "Plan #garbage", "Plan #slow"]  # failures are not cached


def test_ctrl_c_keeps_finished_pairs_in_the_cache(tmp_path):
    texts = [f"Plan {k} is good" for k in range(20)]

    def interrupt(n):  # Ctrl-C once the sixth request has arrived
        if n == 6:
            os.kill(os.getpid(), signal.SIGINT)

    with FakeOpenAI(latency=0.05, on_request=interrupt) as srv:
        with pytest.raises(KeyboardInterrupt):
            model(srv, tmp_path, max_concurrency=2).predict(texts, targets=["the plan"])
        sent = len(srv.requests)
        srv.on_request = None
        srv.reset()
        out = model(srv, tmp_path, max_concurrency=2).predict(texts, targets=["the plan"])
    assert sent < 20
    assert 0 < len(srv.requests) < 20  # the pairs finished before Ctrl-C came from the cache
    assert out["stance"].tolist() == ["favor"] * 20


def test_refused_features_are_dropped_once(tmp_path, caplog):
    with FakeOpenAI(refuse={"response_format", "logprobs"}) as srv:
        with caplog.at_level("WARNING", logger="stancekit"):
            out = model(srv, tmp_path, max_concurrency=1).predict(["Great plan.", "Bad plan."], targets=["plan"])
        bodies = [r["body"] for r in srv.requests]
    assert out["stance"].tolist() == ["favor", "against"]
    assert out["prob_source"].tolist() == ["confidence", "confidence"]
    assert "response_format" not in bodies[-1] and "logprobs" not in bodies[-1]
    assert len([r for r in caplog.records if "refused" in r.getMessage()]) == 3  # schema, json_object, logprobs


def test_fatal_answers_stop_the_run_with_one_error(tmp_path):
    with FakeOpenAI(models={"served-model"}) as srv:
        with pytest.raises(StancekitError, match="HTTP 404 for model 'rule-model'"):
            model(srv, tmp_path).predict([f"t{k}" for k in range(40)], targets=["x"])
        assert len(srv.requests) <= 16  # stopped early, not 40 x retries
    with FakeOpenAI(api_key="another-key") as srv:
        with pytest.raises(StancekitError, match="HTTP 401") as exc:
            model(srv, tmp_path).predict(["t"], targets=["x"])
        assert SECRET not in str(exc.value) and "OPENAI_API_KEY" in str(exc.value)


def test_unreachable_server_stops_with_one_error(tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    sm = StanceModel("m", backend="llm", base_url=f"http://127.0.0.1:{port}/v1", cache=False, show_progress=False,
                     max_concurrency=2, timeout=0.5, retry_wait=0.001, max_retries=1)
    with pytest.raises(StancekitError, match="could not connect"):
        sm.predict([f"t{k}" for k in range(50)], targets=["x"])


# --- secrets --------------------------------------------------------------------------


def test_api_key_never_appears_in_logs_errors_cache_or_outputs(server, tmp_path, caplog, capsys):
    texts = ["Great plan.", "Plan #echo", "Plan #fail", "Bad plan #429"]
    with caplog.at_level("DEBUG"), warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        sm = model(server, tmp_path)
        out = sm.predict(texts, targets=["the plan"])
    assert any(SECRET in r["headers"].get("authorization", "") for r in server.requests)  # it was sent,
    assert "Plan #echo" in server.statements()  # and a 500 body that repeats it came back:
    status, _, body, _ = server.respond({"messages": [{"content": '"""\nPlan #echo\n"""'}]},
                                        {"authorization": f"Bearer {SECRET}"})
    assert status == 500 and SECRET in body.decode()
    texts_seen = [caplog.text, *(str(x.message) for x in w), out.to_csv(), out.to_json(), repr(out.attrs),
                  repr(sm), repr(sm.backend_.settings()), repr(vars(sm))]
    assert caplog.records and all(SECRET not in t for t in texts_seen)
    for f in (tmp_path / "cache").iterdir():
        assert SECRET.encode() not in f.read_bytes(), f
    # The CLI: output file, stderr, and the error of a refused key.
    src = tmp_path / "st.jsonl"
    src.write_text("\n".join(json.dumps({"text": t, "speaker": "S"}) for t in texts) + "\n")
    outfile = tmp_path / "scores.jsonl"
    caplog.clear()
    rc = cli.main(["score", str(src), "--target", "the plan", "--backend", "llm", "--model", "rule-model",
                   "--base-url", server.base_url, "--timeout", "0.5", "--max-retries", "1", "-vv", "-o", str(outfile)])
    err = capsys.readouterr().err
    assert rc == 0 and "failed" in err and SECRET not in err + caplog.text
    assert SECRET.encode() not in outfile.read_bytes()
    with FakeOpenAI(api_key="another-key") as other:
        rc = cli.main(["score", str(src), "--target", "the plan", "--backend", "llm", "--model", "m",
                       "--base-url", other.base_url, "-q", "--no-cache"])
    err = capsys.readouterr().err
    assert rc == 2 and "HTTP 401" in err
    assert SECRET not in err
    assert "Traceback" not in err


# --- configuration -----------------------------------------------------------------------


def test_options_are_checked_before_any_request(server, tmp_path, monkeypatch):
    def err(exc, **kw):
        with pytest.raises(exc) as e:
            StanceModel(kw.pop("model", "m"), backend=kw.pop("backend", "llm"), cache=False, **kw).predict(
                ["t"], targets=["x"])
        return str(e.value)

    assert "valid:" in err(ValueError, base_url=server.base_url, max_concurency=2)
    assert "Unknown option(s) ['base_url']" in err(ValueError, backend="vader", base_url=server.base_url)
    assert "max_concurrency" in err(ValueError, base_url=server.base_url, max_concurrency=0)
    assert "`base_url`" in err(ValueError, base_url="127.0.0.1:8000")
    assert "needs `model`" in err(ValueError, model=None, base_url=server.base_url)
    assert "MY_LLM_KEY" in err(StancekitError, base_url=server.base_url, api_key_env="MY_LLM_KEY")
    msg = err(ValueError, base_url=server.base_url, api_key_env="sk-pasted-key-by-mistake")
    assert "sk-pasted" not in msg  # a key pasted where a name goes is not echoed
    msg = err(ValueError, base_url="http://user:pw-secret@127.0.0.1:8000 x/v1")
    assert "pw-secret" not in msg
    assert "stance" in err(ValueError, base_url=server.base_url, few_shot=[{"text": "a", "target": "b", "stance": "x"}])
    assert server.requests == []
    monkeypatch.setenv("MY_LLM_KEY", "k2")
    StanceModel("m", backend="llm", base_url=server.base_url, cache=False, api_key_env="MY_LLM_KEY",
                show_progress=False).predict(["t"], targets=["x"])
    assert server.requests[-1]["headers"]["authorization"] == "Bearer k2"


def test_missing_openai_package_is_one_clear_error(monkeypatch, server):
    monkeypatch.setitem(sys.modules, "openai", None)
    with pytest.raises(StancekitError, match=r'pip install "stancekit\[llm\]"'):
        StanceModel("m", backend="llm", base_url=server.base_url, cache=False).predict(["t"], targets=["x"])


def test_few_shot_from_a_file_and_base_url_host_in_key(server, tmp_path):
    shots = tmp_path / "shots.jsonl"
    shots.write_text(json.dumps({"text": "We love it.", "target": "it", "stance": "favor"}) + "\n")
    sm = model(server, tmp_path, few_shot=str(shots))
    sm.predict(["Fine."], targets=["x"])
    msgs = server.requests[0]["body"]["messages"]
    assert len(msgs) == 4 and json.loads(msgs[2]["content"]) == {"stance": "favor", "confidence": 0.9}
    st = sm.backend_.settings()
    assert st["host"] == server.base_url.split("/")[2] and st["few_shot"].startswith("shots.jsonl:")
    assert st["prompt"].startswith(llm.PROMPT_VERSION + ":")
    assert "api_key" not in json.dumps(st) and "/v1" not in json.dumps(st)


# --- parsing and context --------------------------------------------------------------------


@pytest.mark.parametrize("content, expected", [
    ('{"stance": "favor", "confidence": 0.9}', ("favor", 0.9)),
    ('```json\n{"stance": "against", "confidence": 0.7}\n```', ("against", 0.7)),
    ('Sure. {"stance": "none", "confidence": 0.55} Done.', ("none", 0.55)),
    ('{"stance": "against" "confidence": 0.8}', ("against", 0.8)),           # missing comma
    ('{"stance": "favour", "confidence": "85"}', ("favor", 0.85)),           # spelling, a percentage
    ('{"stance": "neutral"}', ("none", None)),
    ("Against.", ("against", None)),
    ("Stance: favor", ("favor", None)),
    ("none", ("none", None)),
    ("I am not for or against this, none of it matters", None),               # two labels in prose
    ("I cannot answer that.", None),
    ("", None),
    (None, None),
])
def test_parse_answer(content, expected):
    got = llm.parse_answer(content)
    assert (got[:2] if got else None) == expected
    if got and got[2] is not None:
        assert llm.LABEL_WORDS[content[got[2]:].split('"')[0].split()[0].strip(".,").lower()] == got[0]


def test_logprobs_read_from_split_tokens():
    class T:
        def __init__(self, token, logprob, top=()):
            self.token, self.logprob, self.top_logprobs = token, logprob, [T(a, b) for a, b in top]

    content = '{"stance": "favor", "confidence": 0.8}'
    toks = [T('{"', 0), T("stance", 0), T('":', 0),
            T(' "f', np.log(0.5), [(' "f', np.log(0.5)), (' "ag', np.log(0.3)), (' "n', np.log(0.1)), (" {", -1)]),
            T("avor", 0), T('",', 0), T(' "confidence": 0.8}', 0)]
    pos = llm.parse_answer(content)[2]
    p = llm._logprob_probs(content, toks, pos)
    np.testing.assert_allclose(p, np.array([0.3, 0.1, 0.5]) / 0.9)  # against, none, favor
    assert llm._logprob_probs(content, toks[:3], pos) is None  # tokens that do not reach the value


def test_context_around_and_add_context():
    art = ("Mr. Smith spoke first. He said the deal is dead. Markets fell on Monday. Officials declined to comment. "
           "Another paragraph starts here.")
    s = art.index("the deal")
    e = art.index(" Markets") - 1
    ctx = llm.context_around(art, s, e)
    assert ctx == "Mr. Smith spoke first. He said ⟦the deal is dead⟧. Markets fell on Monday."  # "Mr." is no break
    assert llm.context_around(art, s, e, sentences=0) == "He said ⟦the deal is dead⟧."
    st = pd.DataFrame({"article": ["a", "a", "b"], "start": [s, 0, 0], "end": [e, 9, 3], "text": ["x", "y", "z"]})
    out = llm.add_context(st, pd.DataFrame({"article": ["a"], "text": [art]}))
    assert out["context"].iloc[0] == ctx and out["context"].iloc[1].startswith("⟦Mr. Smith⟧ spoke first.")
    assert pd.isna(out["context"].iloc[2]) and "context" not in st.columns
    long = "word " * 2000
    clipped = llm.context_around(long + "X said it. " + long, 10000, 10010)
    assert len(clipped) <= llm.CONTEXT_MAX_CHARS + 6 and "⟦X said it.⟧" in clipped


# --- the CLI and the validation recipe ----------------------------------------------------------


def test_cli_score_and_analyze_with_llm(server, tmp_path, capsys, caplog, monkeypatch):
    monkeypatch.setenv("STANCEKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("MY_KEY", SECRET)
    src = tmp_path / "st.jsonl"
    src.write_text("\n".join(json.dumps({"text": t, "speaker": "S", "role": "mayor"})
                             for t in ["We support the plan.", "A terrible plan."]) + "\n")
    out = tmp_path / "scores.jsonl"
    rc = cli.main(["score", str(src), "--target", "the plan", "--backend", "llm", "--model", "rule-model",
                   "--base-url", server.base_url, "--api-key-env", "MY_KEY", "--max-concurrency", "2",
                   "--timeout", "2", "--price-per-1k", "0.5", "1.5", "-o", str(out)])
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert rc == 0 and [r["stance"] for r in rows] == ["favor", "against"]
    assert {r["prob_source"] for r in rows} == {"logprobs"}
    # The end-of-run report (the CLI logs at INFO; under pytest the records land in caplog).
    assert "2 requests" in caplog.text and "estimated cost" in caplog.text and "HTTP Request" not in caplog.text
    assert "Speaker: S (mayor)" in server.requests[0]["body"]["messages"][-1]["content"]
    rc = cli.main(["score", str(src), "--target", "x", "--backend", "vader", "--base-url", server.base_url, "-q"])
    assert rc == 2 and "Unknown option(s) ['base_url']" in capsys.readouterr().err
    seed = REPO / "seeds" / "global-times-2026-01-30-us-canada-sovereignty.txt"
    rc = cli.main(["analyze", str(seed), "--target", "the United States", "--backend", "llm", "--model", "rule-model",
                   "--base-url", server.base_url, "--n-boot", "50", "-q", "-o", str(tmp_path / "an")])
    assert rc == 0
    scores = pd.read_parquet(tmp_path / "an" / "scores")  # analyze writes partitioned Parquet
    assert len(scores) > 10 and set(scores["prob_source"]) == {"logprobs"}
    assert (scores["model"] == "rule-model").all()


def test_validation_recipe_with_evaluate_stance(server, tmp_path):
    """The README's recipe: score hand-labelled statements, then report agreement (a number, not a promise)."""
    from stancekit.evaluation import evaluate_stance

    gold = pd.read_json(GOLD, lines=True)
    ids = gold["statement_id"].str.extract(r"^(?P<article>.+):(?P<start>\d+)-(?P<end>\d+)")
    statements = gold[["text", "speaker", "target"]].assign(article=ids["article"], start=ids["start"].astype(int),
                                                             end=ids["end"].astype(int))
    scores = model(server, tmp_path).predict(statements)  # targets from the `target` column
    report = evaluate_stance(scores, gold)
    overall = report.set_index("target").loc["all"]
    # Group-reference rows repeat one span for several speakers: evaluate_stance counts the span once.
    g = statements.assign(stance=gold["stance"]).drop_duplicates(["article", "start", "end", "target"])
    assert overall["n_gold"] == len(g) and overall["coverage"] == 1.0
    # Agreement is whatever the model earns: here the fake server's word rule, recomputed by hand.
    by_hand = np.mean([rule_stance(t)[0] == y for t, y in zip(g["text"], g["stance"])])
    assert overall["accuracy"] == pytest.approx(by_hand)


def test_bench_llm_prints_its_figures(capsys):
    """benchmarks/bench_llm.py runs end to end (tiny and fast here; no timing asserts)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_llm", REPO / "benchmarks" / "bench_llm.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--pairs", "12", "--latency", "0.01", "--concurrency", "4"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["pairs"] == 12 and out["requests"] == 12 and out["same_output"] is True
    for key in ("c1_pairs_per_s", "c4_pairs_per_s", "speedup"):
        assert isinstance(out[key], float) and out[key] > 0, key


def test_a_given_client_is_used_as_it_is(server, tmp_path):
    import openai

    client = openai.OpenAI(base_url=server.base_url, api_key="sk-own-client-key", max_retries=0, timeout=2)
    sm = StanceModel("rule-model", backend="llm", client=client, cache_dir=tmp_path, show_progress=False)
    assert sm.predict(["Great plan."], targets=["plan"])["stance"].tolist() == ["favor"]
    assert server.requests[0]["headers"]["authorization"] == "Bearer sk-own-client-key"
    assert sm.backend_.settings()["host"] == server.base_url.split("/")[2]
    assert sm.backend_._redact("key sk-own-client-key here") == "key *** here"
