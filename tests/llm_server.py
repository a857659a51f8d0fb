"""A small OpenAI-compatible chat-completions server on 127.0.0.1, for tests and ``benchmarks/bench_llm.py``.

It answers ``POST /v1/chat/completions`` with deterministic, rule-based
stances, and misbehaves on purpose when the statement carries a marker:

========================  =========================================================================
marker in the statement   answer
========================  =========================================================================
``#429``                  first request: 429 with ``Retry-After`` (:attr:`FakeOpenAI.retry_after`)
``#500``                  first two requests: 500
``#fail``                 always 500
``#slow``                 always waits ``slow_delay`` seconds (longer than the client's timeout)
``#slow-once``            first request waits ``slow_delay``, later ones answer at once
``#badbody``              first request: a truncated JSON body (HTTP 200)
``#malformed``            answer content is broken JSON (a missing comma) with the right fields
``#bare``                 answer content is a bare label ("Favor.")
``#wrapped``              answer content is JSON inside a sentence
``#garbage``              answer content holds no label
``#echo``                 500 whose body repeats the request's Authorization header
``#wait=N``               waits N milliseconds (on top of ``latency``)
========================  =========================================================================

The rule (only the statement counts, not the context or the few-shot turns):
more favor words than against words is "favor", fewer is "against", else
"none"; confidence 0.6 + 0.1 per word of difference (at most 0.95), 0.7 for
"none". With ``logprobs=True`` in the request (and ``logprobs`` on the
server), the token of the stance value gets ``top_logprobs`` for all three
labels: the chosen one ``log(conf)``, the others ``log(0.6 (1 - conf))`` and
``log(0.4 (1 - conf))``, plus a non-label token.

Every request is recorded (:attr:`FakeOpenAI.requests`: time, body, headers,
status) and :attr:`FakeOpenAI.max_in_flight` is the largest number of
requests handled at once.
"""
from __future__ import annotations

import json
import math
import re
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FAVOR_WORDS = frozenset({"support", "supports", "great", "praise", "praised", "excellent", "love", "admire",
                         "good", "strong", "welcome", "best"})
AGAINST_WORDS = frozenset({"hate", "terrible", "disaster", "oppose", "opposes", "bad", "liar", "failing",
                           "reject", "worst", "corrupt", "weak"})
_STATEMENT = re.compile(r'Statement:\s*"""\s*(.*?)\s*"""', re.DOTALL)
_TOKEN = re.compile(r"\s*(?:\w+|[^\w\s])")


def rule_stance(statement: str) -> tuple[str, float]:
    """The server's deterministic answer for a statement: (label, confidence)."""
    words = re.findall(r"[a-z]+", statement.lower())
    f = sum(w in FAVOR_WORDS for w in words)
    a = sum(w in AGAINST_WORDS for w in words)
    if f == a:
        return "none", 0.7
    return ("favor" if f > a else "against"), min(0.6 + 0.1 * abs(f - a), 0.95)


class FakeOpenAI:
    """Start with ``with FakeOpenAI(...) as srv:``; ``srv.base_url`` ends in ``/v1``.

    Parameters
    ----------
    latency : float
        Seconds every request waits before answering (the benchmark uses 0.05).
    slow_delay : float
        Seconds a ``#slow`` request waits.
    logprobs : bool
        Return token log-probabilities when a request asks for them.
    refuse : iterable of str
        Request fields answered with HTTP 400 naming the field ("response_format", "logprobs", "seed").
    retry_after : str
        The ``Retry-After`` value sent with a 429.
    api_key : str, optional
        When given, requests without ``Authorization: Bearer <api_key>`` get 401.
    models : iterable of str, optional
        When given, other model names get 404.
    on_request : callable, optional
        Called with the number of requests received so far, after each one is recorded.
    """

    def __init__(self, *, latency: float = 0.0, slow_delay: float = 2.0, logprobs: bool = True,
                 refuse=(), retry_after: str = "1", api_key: str | None = None, models=None, on_request=None):
        self.latency = latency
        self.slow_delay = slow_delay
        self.logprobs = logprobs
        self.refuse = set(refuse)
        self.retry_after = retry_after
        self.api_key = api_key
        self.models = set(models) if models is not None else None
        self.on_request = on_request
        self.requests: list[dict] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._seen: Counter = Counter()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # -- life cycle --

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> FakeOpenAI:
        owner = self

        class Handler(_Handler):
            server_owner = owner

        self._server = _Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def statements(self) -> list[str]:
        """The statement of every request received, in arrival order."""
        return [r["statement"] for r in self.requests]

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self._seen.clear()
            self.max_in_flight = 0

    # -- answers --

    def respond(self, body: dict, headers: dict) -> tuple[int, dict, bytes, float]:
        """(status, headers, body bytes, delay) for one request."""
        msgs = body.get("messages") or [{}]
        last = str(msgs[-1].get("content", ""))
        m = _STATEMENT.search(last)
        statement = m.group(1) if m else last
        with self._lock:
            self._seen[statement] += 1
            nth = self._seen[statement]
            self.requests.append({"time": time.monotonic(), "body": body, "headers": headers,
                                  "statement": statement, "nth": nth})
            count = len(self.requests)
        if self.on_request is not None:
            self.on_request(count)
        delay = self.latency
        w = re.search(r"#wait=(\d+)", statement)
        if w:
            delay += int(w.group(1)) / 1000
        if "#slow-once" in statement:
            delay = self.slow_delay if nth == 1 else delay
        elif "#slow" in statement:
            delay = self.slow_delay
        if self.api_key is not None and headers.get("authorization") != f"Bearer {self.api_key}":
            return 401, {}, _error("Incorrect API key provided.", "invalid_api_key"), delay
        if self.models is not None and body.get("model") not in self.models:
            return 404, {}, _error(f"The model `{body.get('model')}` does not exist.", "model_not_found"), delay
        for f in sorted(self.refuse):
            if f in body:
                return 400, {}, _error(f"Unsupported parameter: '{f}' is not supported with this model.",
                                       "unsupported_parameter"), delay
        if "#429" in statement and nth == 1:
            return 429, {"Retry-After": self.retry_after}, _error("Rate limit reached.", "rate_limit"), delay
        if ("#500" in statement and nth <= 2) or "#fail" in statement:
            return 500, {}, _error("The server had an error.", "server_error"), delay
        if "#echo" in statement:
            return 500, {}, _error(f"bad request from {headers.get('authorization')}", "server_error"), delay
        if "#badbody" in statement and nth == 1:
            return 200, {}, b'{"id": "chatcmpl-x", "object": "chat.completion", "choices": [{"ind', delay
        label, conf = rule_stance(statement)
        if "#bare" in statement:
            content = label.capitalize() + "."
        elif "#malformed" in statement:
            content = '{"stance": "%s" "confidence": %s}' % (label, conf)
        elif "#wrapped" in statement:
            content = 'Here is my answer: {"stance": "%s", "confidence": %s} I hope this helps.' % (label, conf)
        elif "#garbage" in statement:
            content = "I would rather not say."
        else:
            content = json.dumps({"stance": label, "confidence": conf})
        choice = {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop",
                  "logprobs": None}
        if body.get("logprobs") and self.logprobs:
            choice["logprobs"] = {"content": _logprobs(content, label, conf, int(body.get("top_logprobs") or 0))}
        prompt_tokens = sum(len(str(x.get("content", "")).split()) for x in msgs)
        out = {"id": f"chatcmpl-{len(self.requests)}", "object": "chat.completion", "created": 0,
               "model": body.get("model", ""), "choices": [choice],
               "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": len(_TOKEN.findall(content)),
                         "total_tokens": prompt_tokens + len(_TOKEN.findall(content))}}
        return 200, {}, json.dumps(out).encode(), delay


def _error(message: str, code: str) -> bytes:
    return json.dumps({"error": {"message": message, "type": "invalid_request_error", "code": code}}).encode()


def _logprobs(content: str, label: str, conf: float, top: int) -> list[dict]:
    """Tokens of ``content`` with log-probabilities; the stance value's token lists all three labels."""
    others = [x for x in ("favor", "against", "none") if x != label]
    out = []
    for tok in _TOKEN.findall(content):
        alts = [{"token": tok, "logprob": 0.0}]
        if tok.strip().strip('"').lower() == label:
            lead = tok[: len(tok) - len(tok.lstrip())]
            cap = tok.lstrip()[0].isupper()
            alts = [{"token": lead + (w.capitalize() if cap else w), "logprob": math.log(p)}
                    for w, p in ((label, conf), (others[0], 0.6 * (1 - conf)), (others[1], 0.4 * (1 - conf)))]
            alts.append({"token": lead + "maybe", "logprob": math.log(1e-4)})
        out.append({"token": tok, "logprob": alts[0]["logprob"], "top_logprobs": alts[:max(top, 1)]})
    return out


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):  # a client that hung up is normal
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: with Nagle on, the body waits ~40 ms for the client's delayed ACK.
    disable_nagle_algorithm = True
    server_owner: FakeOpenAI

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        owner = self.server_owner
        with owner._lock:
            owner.in_flight += 1
            owner.max_in_flight = max(owner.max_in_flight, owner.in_flight)
        try:
            n = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(n)
            if not self.path.rstrip("/").endswith("/chat/completions"):
                status, extra, data, delay = 404, {}, _error(f"no route {self.path}", "not_found"), 0.0
            else:
                try:
                    body = json.loads(raw)
                except ValueError:
                    status, extra, data, delay = 400, {}, _error("body is not JSON", "bad_json"), 0.0
                else:
                    headers = {k.lower(): v for k, v in self.headers.items()}
                    status, extra, data, delay = owner.respond(body, headers)
            if delay:
                time.sleep(delay)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in extra.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout): nothing to answer
            pass
        finally:
            with owner._lock:
                owner.in_flight -= 1


def main(argv: list[str] | None = None) -> int:
    """Serve until stdin closes or the process is ended: ``python tests/llm_server.py --latency 0.05``.

    Prints the base URL on the first line of stdout (``benchmarks/bench_llm.py`` reads it).
    """
    import argparse
    import sys

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--latency", type=float, default=0.0, help="seconds every request waits (default 0)")
    ap.add_argument("--no-logprobs", action="store_true", help="never return token log-probabilities")
    args = ap.parse_args(argv)
    with FakeOpenAI(latency=args.latency, logprobs=not args.no_logprobs) as srv:
        print(srv.base_url, flush=True)
        sys.stdin.read()  # returns when the parent closes our stdin (or dies)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
