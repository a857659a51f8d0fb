"""LLM backend throughput: pairs/s with ``max_concurrency=8`` against ``max_concurrency=1``, in one run.

Starts the test suite's fake OpenAI-compatible server (``tests/llm_server.py``)
in its own process, as a real vLLM/Ollama server would be, with a fixed
``--latency`` per request (default 50 ms), then scores the same ``--pairs``
distinct (statement, target) pairs twice with the ``llm`` backend, cache off:
once one request at a time (the baseline), once with ``--concurrency``
requests in flight. The server answers by a deterministic word rule, so
both runs must give identical frames (``same_output``).

Prints one JSON line. Goal: ``speedup >= 5`` at concurrency 8 (the ideal is 8;
what is lost goes to the client's own per-request CPU time, the openai
client's request building and response parsing, which the two cores share).

Usage::

    python benchmarks/bench_llm.py [--pairs 120] [--latency 0.05] [--concurrency 8]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

#: Words the fake server's rule reads (favor / against / neither), so answers vary across pairs.
_WORDS = ("support", "hate", "discuss", "praise", "oppose", "mention", "welcome", "reject")


def make_pairs(n: int) -> list[str]:
    """``n`` distinct statements (the target is fixed: "the plan")."""
    return [f"Statement {k}: the council members {_WORDS[k % len(_WORDS)]} the plan, said person {k // 8}."
            for k in range(n)]


def start_server(latency: float) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, str(REPO / "tests" / "llm_server.py"), "--latency", str(latency)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    url = proc.stdout.readline().strip()
    if not url.startswith("http"):
        proc.kill()
        raise RuntimeError(f"the fake server did not start (said {url!r})")
    return proc, url


def run(url: str, texts: list[str], concurrency: int):
    from stancekit.models import StanceModel

    sm = StanceModel("bench-model", backend="llm", base_url=url, cache=False, show_progress=False,
                     max_concurrency=concurrency)
    sm.predict(["warm-up: open the connection pool"], targets=["the plan"])
    before = sm.backend_.usage["requests"]
    t0 = time.perf_counter()
    out = sm.predict(texts, targets=["the plan"])
    return time.perf_counter() - t0, out, sm.backend_.usage["requests"] - before


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=120, help="distinct pairs per run (default 120)")
    ap.add_argument("--latency", type=float, default=0.05, help="server latency per request in s (default 0.05)")
    ap.add_argument("--concurrency", type=int, default=8, help="max_concurrency of the timed run (default 8)")
    args = ap.parse_args(argv)
    os.environ.setdefault("OPENAI_API_KEY", "bench-placeholder")  # the fake server takes any key
    texts = make_pairs(args.pairs)
    proc, url = start_server(args.latency)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a failed pair would make the figures meaningless
            t1, out1, _ = run(url, texts, 1)
            tn, outn, requests = run(url, texts, args.concurrency)
    finally:
        proc.stdin.close()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
    c1, cn = args.pairs / t1, args.pairs / tn
    same = bool((out1["stance"] == outn["stance"]).all()
                and (out1[["p_favor", "p_none", "p_against"]] == outn[["p_favor", "p_none", "p_against"]]).all().all())
    print(json.dumps({
        "benchmark": "bench_llm",
        "pairs": args.pairs,
        "latency_s": args.latency,
        "baseline": "max_concurrency=1",
        "concurrency": args.concurrency,
        "c1_pairs_per_s": round(c1, 2),
        f"c{args.concurrency}_pairs_per_s": round(cn, 2),
        "speedup": round(cn / c1, 2),
        "ideal_speedup": args.concurrency,
        "c1_ms_per_pair": round(1000 * t1 / args.pairs, 2),
        "requests": requests,
        "same_output": same,
        "server": "tests/llm_server.py in its own process",
        "cpus": os.cpu_count(),
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
