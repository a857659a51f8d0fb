"""Stance from a large language model behind any OpenAI-compatible server (``llm.v1``).

Works with anything that speaks the chat-completions protocol: vLLM
(``vllm serve MODEL``, ``http://127.0.0.1:8000/v1``), Ollama
(``http://127.0.0.1:11434/v1``), llama.cpp's ``llama-server``
(``http://127.0.0.1:8080/v1``) and hosted APIs such as OpenAI's. It needs the
official ``openai`` client, an optional extra: ``pip install "stancekit[llm]"``.

The prompt (:data:`PROMPT_VERSION`, ``resources/prompts/stance_v1.txt``)
carries the stance definition of the project's labelling guidelines
(``tests/data/gold/STANCE_GUIDELINES.md``, the labels and the rules for
political statements); each request adds the target (with its aliases), the
speaker and role when the statements frame has ``speaker``/``role`` columns,
the sentences around the statement when it has a ``context`` column (see
:func:`add_context`), and the statement. Few-shot examples go before it as
user/assistant turns (:data:`FEW_SHOT_VERSION` by default; ``few_shot=[]`` for
none, or your own). The answer is a JSON object ``{"stance": "favor" |
"against" | "none", "confidence": 0..1}``, asked for with the server's
structured output (``response_format`` with :data:`ANSWER_SCHEMA`); a bare
label, JSON wrapped in text or slightly broken JSON is still read.
Temperature 0 and a fixed ``seed``.

Probabilities (column ``prob_source``):

``"logprobs"``
    The server returned token log-probabilities: those of the first token of
    the stance value (the chosen token and its ``top_logprobs`` alternatives)
    are summed per label and normalised over the three labels.
``"confidence"``
    No usable log-probabilities: the stated confidence ``c`` (floored at
    :data:`CONFIDENCE_FLOOR`) goes to the label, ``(1 - c) / 2`` to each other.
``"label-only"``
    A bare label: probability 1 for it.

Stated confidences of language models are poorly calibrated (Xiong et al.,
ICLR 2024, "Can LLMs express their uncertainty?"); token probabilities are
better but not calibrated either. Validate against hand labels
(:func:`stancekit.evaluation.evaluate_stance`) before trusting either.

Throughput and failures: pairs run on ``max_concurrency`` threads (default 8)
with a ``timeout`` per request. 429, 408, 409, 5xx, timeouts, dropped
connections and malformed responses are retried ``max_retries`` times with
exponential backoff and jitter, waiting at least what ``Retry-After`` (or
``retry-after-ms``) asks. A server that refuses ``response_format``,
``logprobs``, ``seed``, ``temperature`` or ``max_tokens`` with HTTP 400 is asked
again without it (logged once). A pair that still fails gets NaN
probabilities and ``stance`` None, is not cached, and the run ends with one
warning line counting them. 401, 403 and 404 (bad key, no access, unknown
model) stop the run with one error, since no pair could succeed; so do
``2 * max_concurrency`` pairs in a row that cannot connect. Finished pairs
are cached as they arrive, so Ctrl-C loses nothing already answered.

The API key is read from ``$OPENAI_API_KEY`` or the variable named by
``api_key_env``; it is sent only in the request header, and kept out of logs,
errors, the cache key and outputs (messages are scrubbed of it).
"""
from __future__ import annotations

import email.utils
import json
import logging
import os
import random
import re
import threading
import time
import warnings
from collections import Counter
from collections.abc import Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from .._utils import StancekitError
from .backend import LABELS, _Backend
from .llm_prompt import (  # noqa: F401  (re-exported: the public names of the llm backend live here too)
    ANSWER_SCHEMA,
    CONFIDENCE_FLOOR,
    CONTEXT_MAX_CHARS,
    FEW_SHOT_VERSION,
    LABEL_WORDS,
    MARK_CLOSE,
    MARK_OPEN,
    PROMPT_VERSION,
    _confidence_probs,
    _few_shot,
    _logprob_probs,
    _prompt_text,
    _sha12,
    _user_message,
    add_context,
    context_around,
    parse_answer,
)

log = logging.getLogger(__name__)

#: Where requests go when ``base_url`` is None and ``$OPENAI_BASE_URL`` is unset (the openai client's default).
DEFAULT_BASE_URL = "https://api.openai.com/v1"

#: Options of ``StanceModel(..., backend="llm", **options)`` and their defaults.
LLM_OPTIONS: dict[str, Any] = {
    "base_url": None,         # server URL, e.g. "http://127.0.0.1:8000/v1"; None: $OPENAI_BASE_URL or OpenAI
    "api_key_env": None,      # name of the variable holding the key; None: OPENAI_API_KEY
    "max_concurrency": 8,     # requests in flight at once
    "timeout": 60.0,          # seconds per request
    "max_retries": 4,         # retries per pair after the first request
    "retry_wait": 0.5,        # first backoff in seconds, doubled per retry, with jitter
    "max_wait": 60.0,         # longest single wait in seconds (Retry-After included)
    "price_per_1k": None,     # price per 1k tokens: one number, or (prompt, completion)
    "few_shot": None,         # None: the shipped examples; []: none; a list of dicts or a JSONL path
    "seed": 0,
    "logprobs": True,         # ask for token log-probabilities
    "top_logprobs": 5,
    "structured": True,       # ask for JSON-schema structured output
    "max_tokens": 256,        # answer budget; raise it for reasoning models
    "extra_body": None,       # extra request fields for one server (e.g. Ollama's {"options": {...}})
    "client": None,           # an openai.OpenAI client to use as it is (its own key, URL, timeout)
}

#: Default ``max_length`` (words of a statement sent): bounds the cost of a runaway statement, far below
#: any model's window (a news paragraph is ~60 words).
LLM_MAX_WORDS = 2000

#: Retried statuses besides 5xx: request timeout, conflict, rate limit.
RETRY_STATUS = frozenset({408, 409, 429})

#: Statuses no pair can get past: the run stops with one error.
FATAL_STATUS = {401: "the server refused the API key", 403: "the API key has no access to this model",
                404: "the server does not know this model (or the URL is not an OpenAI-compatible /v1)"}

#: Request features a server may refuse with HTTP 400, and the words of its message that name each.
_FEATURE_WORDS = (
    ("response_format", ("response_format", "json_schema", "json_object", "structured output")),
    ("logprobs", ("logprobs",)),
    ("seed", ("seed",)),
    ("max_tokens", ("max_tokens", "max_completion_tokens")),
    ("temperature", ("temperature",)),
)


# --- the backend -------------------------------------------------------------------


class _LLMBackend(_Backend):
    name = "llm.v1"
    OPTIONS = LLM_OPTIONS
    pair_fields = ("speaker", "role", "context")
    info_columns = ("prob_source",)
    streams = True

    def load(self) -> None:
        o = self.owner
        opts = _check_options({**LLM_OPTIONS, **o.options})
        if not isinstance(o.model, str) or not o.model.strip():
            raise ValueError("backend 'llm' needs `model`: the model name the server serves "
                             f"(e.g. 'Qwen/Qwen2.5-7B-Instruct' on vLLM, 'llama3.1' on Ollama); got {o.model!r}.")
        try:
            import openai  # noqa: F401
        except ImportError:
            raise StancekitError('the llm backend needs the openai package: pip install "stancekit[llm]" '
                                 "(or pip install openai)") from None
        self.opts = opts
        client = opts["client"]
        if client is not None:
            base = str(getattr(client, "base_url", "") or DEFAULT_BASE_URL)
        else:
            base = opts["base_url"] or os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL
        self.base_url, self.host = _check_url(base)
        env = opts["api_key_env"] or "OPENAI_API_KEY"
        secret = os.environ.get(env)
        if client is None and not secret:
            if opts["api_key_env"]:
                raise StancekitError(f"the environment variable {env} (api_key_env) is not set or empty; "
                                     "it should hold the API key.")
            log.debug("OPENAI_API_KEY is not set: sending a placeholder key (fine for local vLLM/Ollama/llama.cpp)")
        # The key to scrub from messages: a given client's own, else the environment's.
        self._secret = (getattr(client, "api_key", None) if client is not None else None) or secret or None
        self._env = env
        self.prompt = _prompt_text(PROMPT_VERSION)
        self.examples, self.few_shot_id = _few_shot(opts["few_shot"])
        self.model_id = o.model.strip()
        self.model_version = PROMPT_VERSION
        self.fingerprint = f"llm:{self.host}/{self.model_id}"
        self.max_length = int(o.max_length or LLM_MAX_WORDS)
        self._client = client
        self._own_client = client is None
        self._lock = threading.Lock()
        self._format_level = 0 if opts["structured"] else 2  # 0 json_schema, 1 json_object, 2 none
        self._dropped: set[str] = set() if opts["logprobs"] else {"logprobs"}
        self._token_param = "max_tokens"
        self._rng = random.Random()  # jitter only: it never touches an output
        self.usage = {"pairs": 0, "requests": 0, "retries": 0, "failed": 0,
                      "prompt_tokens": 0, "completion_tokens": 0, "cost": 0.0 if opts["price_per_1k"] else None}

    def settings(self) -> dict:
        o = self.opts
        return {
            **super().settings(),
            "host": self.host,
            "model": self.model_id,
            "prompt": f"{PROMPT_VERSION}:{_sha12(self.prompt)}",
            "few_shot": self.few_shot_id,
            "temperature": 0,
            "seed": o["seed"],
            "logprobs": bool(o["logprobs"]),
            "structured": bool(o["structured"]),
            "max_tokens": o["max_tokens"],
            "extra_body": o["extra_body"],
        }

    def offsets(self, texts):
        return [[m.span() for m in re.finditer(r"\S+", t)] for t in texts]

    def score(self, texts, targets, spans):
        out = np.full((len(texts), len(LABELS)), np.nan)
        for j, p, _ in self.score_stream(texts, targets, spans, [{}] * len(texts)):
            out[j] = p
        return out

    # -- the prompt --

    def messages(self, text: str, target, extra: Mapping[str, str] | None = None) -> list[dict]:
        """The chat messages for one pair: instructions, few-shot turns, the pair."""
        msgs = [{"role": "system", "content": self.prompt}]
        for ex in self.examples:
            msgs.append({"role": "user", "content": _user_message(ex["text"], ex["target"], ex.get("aliases", ()), ex)})
            msgs.append({"role": "assistant",
                         "content": json.dumps({"stance": ex["stance"], "confidence": ex["confidence"]})})
        msgs.append({"role": "user", "content": _user_message(text, target.name, target.aliases, extra or {})})
        return msgs

    def _request(self) -> dict:
        """Keyword arguments of one request, less what the server has refused so far."""
        o = self.opts
        kw: dict[str, Any] = {"temperature": 0, "seed": o["seed"], self._token_param: o["max_tokens"]}
        if self._format_level == 0:
            kw["response_format"] = {"type": "json_schema",
                                     "json_schema": {"name": "stance", "strict": True, "schema": ANSWER_SCHEMA}}
        elif self._format_level == 1:
            kw["response_format"] = {"type": "json_object"}
        if "logprobs" not in self._dropped:
            kw["logprobs"] = True
            kw["top_logprobs"] = o["top_logprobs"]
        for k in ("seed", "temperature"):
            if k in self._dropped:
                kw.pop(k, None)
        if self._token_param in self._dropped or o["max_tokens"] is None:
            kw.pop(self._token_param, None)
        if o["extra_body"]:
            kw["extra_body"] = dict(o["extra_body"])
        return kw

    def _downgrade(self, message: str, sent: dict) -> bool:
        """After HTTP 400: step down the first refused feature that ``sent`` had; False when none is named.

        Compared with what the failing request carried, so that two threads
        refused at once step down once, not twice.
        """
        low = message.lower()
        with self._lock:
            for feat, words in _FEATURE_WORDS:
                if not any(w in low for w in words):
                    continue
                if feat == "response_format":
                    if "response_format" not in sent:
                        continue
                    level = 0 if sent["response_format"]["type"] == "json_schema" else 1
                    if self._format_level == level:
                        self._format_level = level + 1
                        self._said("JSON-schema structured output; asking for a JSON object instead" if level == 0
                                   else "`response_format`; asking in the prompt only", message)
                    return True
                if feat == "max_tokens":
                    param = "max_tokens" if "max_tokens" in sent else "max_completion_tokens"
                    if param not in sent:
                        continue
                    if param == self._token_param == "max_tokens" and "max_completion_tokens" in low:
                        self._token_param = "max_completion_tokens"
                        self._said("`max_tokens`; sending `max_completion_tokens`", message)
                    elif param == self._token_param and param not in self._dropped:
                        self._dropped.add(param)
                        self._said(f"`{param}`; sending no token limit", message)
                    return True
                if feat not in sent:
                    continue
                if feat not in self._dropped:
                    self._dropped.add(feat)
                    self._said({"logprobs": "`logprobs`; probabilities come from the stated confidence",
                                "seed": "`seed`; continuing without it",
                                "temperature": "`temperature`; answers may differ between runs"}[feat], message)
                return True
        return False

    def _said(self, what: str, message: str) -> None:
        log.warning("llm server %s refused %s (HTTP 400: %s)", self.host, what, self._redact(message)[:200])

    # -- requests --

    def _get_client(self):
        if self._client is None:
            from openai import OpenAI

            # Retries are ours (backoff, jitter, Retry-After, per-pair failure), so the client's are off.
            self._client = OpenAI(base_url=self.base_url, api_key=self._secret or "EMPTY",
                                  timeout=float(self.opts["timeout"]), max_retries=0)
            self._own_client = True
        return self._client

    def _redact(self, text: Any) -> str:
        s = str(text)
        if self._secret:
            s = s.replace(self._secret, "***")
        return re.sub(r"(?i)(bearer\s+)\S+", r"\1***", s)

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        cap = float(self.opts["max_wait"])
        if retry_after is not None:  # the server's wait, plus up to 10 % so that waiting clients spread out
            return min(retry_after * (1 + 0.1 * self._rng.random()), cap)
        d = min(float(self.opts["retry_wait"]) * 2 ** attempt, cap)
        return d * (0.5 + 0.5 * self._rng.random())  # "equal jitter": at least half the backoff

    def _pair(self, text: str, target, extra: Mapping[str, str], stop: threading.Event) -> _Result:
        try:
            return self._ask(text, target, extra, stop)
        except Exception as exc:  # a batch never dies on one pair
            log.debug("llm pair failed: %s", self._redact(f"{type(exc).__name__}: {exc}"))
            return _Result(reason=f"error ({type(exc).__name__})")

    def _ask(self, text: str, target, extra: Mapping[str, str], stop: threading.Event) -> _Result:
        import openai

        client = self._get_client()
        messages = self.messages(text, target, extra)
        res = _Result()
        attempt = 0
        while True:
            if stop.is_set():
                res.reason = "stopped"
                return res
            kw = self._request()
            retry_after = None
            res.requests += 1
            try:
                resp = client.chat.completions.create(model=self.model_id, messages=messages, **kw)
                read = _read_response(resp)
            except openai.APIStatusError as exc:
                status = int(exc.status_code)
                msg = self._redact(_one_line(getattr(exc, "message", "") or str(exc)))
                if status in (400, 422) and self._downgrade(msg, kw):
                    res.requests -= 1  # a changed request, not a retry of this one
                    res.refused += 1
                    if res.refused > 2 * len(_FEATURE_WORDS):
                        res.reason = f"HTTP {status}"
                        return res
                    continue
                if status in FATAL_STATUS:
                    hint = f" (key from ${self._env})" if status in (401, 403) else ""
                    res.fatal = (f"llm server {self.host} answered HTTP {status} for model {self.model_id!r}: "
                                 f"{FATAL_STATUS[status]}{hint}. Server said: {msg[:200]}")
                    return res
                if status not in RETRY_STATUS and status < 500:
                    res.reason, res.detail = f"HTTP {status}", msg
                    return res
                res.reason, res.detail = f"HTTP {status}", msg
                retry_after = _retry_after(getattr(exc.response, "headers", None))
            except openai.APITimeoutError:
                res.reason = "timeout"
            except openai.APIConnectionError as exc:
                res.reason, res.detail = "connection", self._redact(_one_line(str(exc)))
            except (ValueError, _Malformed) as exc:  # broken JSON body, an envelope without choices
                res.reason, res.detail = "malformed response", self._redact(_one_line(str(exc)))[:200]
            else:
                res.prompt_tokens += read.prompt_tokens
                res.completion_tokens += read.completion_tokens
                parsed = parse_answer(read.content)
                if parsed is None:  # temperature 0: asking again gives the same answer
                    res.reason, res.detail = "unparseable answer", self._redact(repr(read.content))[:200]
                    return res
                label, conf, pos = parsed
                probs = _logprob_probs(read.content, read.logprobs, pos) if read.logprobs and pos is not None else None
                source = "logprobs"
                if probs is None and conf is not None:
                    probs, source = _confidence_probs(label, conf), "confidence"
                if probs is None:
                    probs, source = _confidence_probs(label, 1.0), "label-only"
                res.probs, res.source, res.reason = probs, source, None
                return res
            if attempt >= int(self.opts["max_retries"]):
                return res
            delay = self._backoff(attempt, retry_after)
            log.debug("llm retry %d in %.2fs after %s", attempt + 1, delay, res.reason)
            attempt += 1
            res.retries += 1
            if stop.wait(delay):
                res.reason = "stopped"
                return res

    def score_stream(self, texts, targets, spans, extras) -> Iterator[tuple[int, np.ndarray, dict | None]]:
        """Ask for every pair, ``max_concurrency`` at a time; yield ``(position, probs, info)`` as they finish."""
        n = len(texts)
        mc = int(self.opts["max_concurrency"])
        self._get_client()
        stop = threading.Event()
        run = _Run()
        pool = ThreadPoolExecutor(max_workers=mc, thread_name_prefix="stancekit-llm")
        futures: dict = {}
        nxt = 0
        t0 = time.perf_counter()
        try:
            while nxt < n or futures:
                # At most 2 x max_concurrency submitted: Ctrl-C has little to cancel, memory stays flat.
                while nxt < n and len(futures) < 2 * mc:
                    futures[pool.submit(self._pair, texts[nxt], targets[nxt], extras[nxt], stop)] = nxt
                    nxt += 1
                done, _ = wait(list(futures), return_when=FIRST_COMPLETED)
                for f in done:
                    j = futures.pop(f)
                    res = f.result()
                    run.add(res)
                    if res.fatal:
                        raise StancekitError(res.fatal + " Finished pairs are in the cache.")
                    if run.connection_streak >= max(4, 2 * mc):
                        raise StancekitError(
                            f"could not connect to the llm server at {self.host} ({run.connection_streak} pairs "
                            f"in a row, {self.opts['max_retries']} retries each): is it running? "
                            "Finished pairs are in the cache.")
                    if res.probs is None:
                        log.debug("llm pair %d failed: %s %s", j, res.reason, res.detail or "")
                        yield j, np.full(len(LABELS), np.nan), None
                    else:
                        yield j, res.probs, {"prob_source": res.source}
        except BaseException:  # Ctrl-C, a fatal answer, or the consumer closing early: stop what is in flight
            stop.set()
            run.aborted = True
            if futures and self._own_client and self._client is not None:
                self._client.close()  # aborts requests in flight; a new client is made on next use
                self._client = None
            raise
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
            self._finish(run, time.perf_counter() - t0)

    def _finish(self, run: _Run, seconds: float) -> None:
        """Add this run to ``usage``, log the token report and warn once about failed pairs."""
        u = self.usage
        for k in ("pairs", "requests", "retries", "failed", "prompt_tokens", "completion_tokens"):
            u[k] += getattr(run, k)
        price = _prices(self.opts["price_per_1k"])
        cost = None
        if price is not None:
            cost = run.prompt_tokens / 1000 * price[0] + run.completion_tokens / 1000 * price[1]
            u["cost"] = (u["cost"] or 0.0) + cost
        msg = (f"llm {self.model_id} at {self.host}: {run.pairs} pairs in {seconds:.1f}s, {run.requests} requests "
               f"({run.retries} retries), {run.prompt_tokens:,} prompt + {run.completion_tokens:,} completion tokens")
        if cost is not None:
            msg += f"; estimated cost {cost:.4f} at {price[0]:g}/{price[1]:g} per 1k tokens"
        log.info(msg)
        failed = {k: v for k, v in run.reasons.items() if k != "stopped"}
        if failed and not run.aborted:  # an aborted run ends with its own error
            what = ", ".join(f"{v} {k}" for k, v in sorted(failed.items(), key=lambda kv: (-kv[1], kv[0])))
            warnings.warn(
                f"{sum(failed.values())} of {run.pairs} pair(s) failed after up to {self.opts['max_retries']} "
                f"retries ({what}); their probabilities are NaN and stance is None. They are not cached: "
                "run again to retry them.", stacklevel=3)


@dataclass
class _Result:
    probs: np.ndarray | None = None
    source: str | None = None
    reason: str | None = None
    detail: str | None = None
    fatal: str | None = None
    requests: int = 0
    retries: int = 0
    refused: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0


@dataclass
class _Run:
    pairs: int = 0
    requests: int = 0
    retries: int = 0
    failed: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    connection_streak: int = 0
    aborted: bool = False
    reasons: Counter = field(default_factory=Counter)

    def add(self, r: _Result) -> None:
        self.pairs += 1
        self.requests += r.requests
        self.retries += r.retries
        self.prompt_tokens += r.prompt_tokens
        self.completion_tokens += r.completion_tokens
        if r.probs is None and not r.fatal:
            self.reasons[r.reason or "error"] += 1
            if r.reason != "stopped":
                self.failed += 1
        self.connection_streak = self.connection_streak + 1 if r.reason == "connection" else 0


class _Malformed(Exception):
    pass


@dataclass
class _Read:
    content: str | None
    logprobs: list | None
    prompt_tokens: int
    completion_tokens: int


def _read_response(resp: Any) -> _Read:
    """Content, token log-probabilities and usage of a chat completion; _Malformed if it is not one."""
    choices = getattr(resp, "choices", None)
    if not choices:
        raise _Malformed(f"no choices in the response ({type(resp).__name__})")
    choice = choices[0]
    message = getattr(choice, "message", None)
    content = getattr(message, "content", None)
    lp = getattr(getattr(choice, "logprobs", None), "content", None)
    usage = getattr(resp, "usage", None)
    return _Read(content if isinstance(content, str) else None, list(lp) if lp else None,
                 int(getattr(usage, "prompt_tokens", 0) or 0), int(getattr(usage, "completion_tokens", 0) or 0))


def _retry_after(headers: Any) -> float | None:
    """Seconds to wait from ``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP date); None if absent."""
    if headers is None:
        return None
    ms = headers.get("retry-after-ms")
    if ms is not None:
        try:
            return max(float(ms) / 1000.0, 0.0)
        except ValueError:
            pass
    ra = headers.get("retry-after")
    if ra is None:
        return None
    try:
        return max(float(ra), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(ra)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


def _one_line(s: str) -> str:
    return " ".join(str(s).split())


def _prices(spec: Any) -> tuple[float, float] | None:
    if spec is None:
        return None
    if isinstance(spec, (int, float)):
        return float(spec), float(spec)
    p, c = spec
    return float(p), float(c)


def _check_url(url: Any) -> tuple[str, str]:
    """(URL without credentials, host:port) of ``base_url``; a ValueError that never echoes credentials."""
    if not isinstance(url, str) or not url.strip():
        raise ValueError(f"Invalid value {url!r} for `base_url`; give the server's URL, e.g. http://127.0.0.1:8000/v1.")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        shown = f"{parts.scheme}://{parts.hostname}{parts.path}" if parts.hostname else "(unreadable)"
        raise ValueError(f"Invalid value {shown!r} for `base_url`; give an http(s) URL such as "
                         "http://127.0.0.1:8000/v1.")
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"Invalid port in `base_url` for host {parts.hostname!r}.") from None
    host = parts.hostname + (f":{port}" if port else "")
    netloc = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    clean = f"{parts.scheme}://{netloc}{f':{port}' if port else ''}{parts.path.rstrip('/')}"
    return clean, host


def _check_options(o: dict) -> dict:
    def positive(name, kind=float, allow_zero=False):
        v = o[name]
        ok = isinstance(v, (int, float)) and not isinstance(v, bool) and (v >= 0 if allow_zero else v > 0)
        if not ok or (kind is int and int(v) != v):
            what = "a non-negative" if allow_zero else "a positive"
            raise ValueError(f"Invalid value {v!r} for `{name}`; give {what} {'int' if kind is int else 'number'}.")

    positive("max_concurrency", int)
    positive("timeout")
    positive("max_retries", int, allow_zero=True)
    positive("retry_wait", allow_zero=True)
    positive("max_wait", allow_zero=True)
    positive("top_logprobs", int)
    if o["max_tokens"] is not None:
        positive("max_tokens", int)
    if not isinstance(o["seed"], int) or isinstance(o["seed"], bool):
        raise ValueError(f"Invalid value {o['seed']!r} for `seed`; give an int.")
    p = o["price_per_1k"]
    if p is not None:
        vals = [p] if isinstance(p, (int, float)) else list(p) if isinstance(p, (tuple, list)) else None
        if (not vals or len(vals) > 2 or any(isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0
                                            for v in vals)):
            raise ValueError(f"Invalid value {p!r} for `price_per_1k`; give one price per 1k tokens, "
                             "or (prompt, completion).")
        o["price_per_1k"] = vals[0] if len(vals) == 1 else tuple(vals)
    if o["api_key_env"] is not None and (not isinstance(o["api_key_env"], str)
                                         or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", o["api_key_env"])):
        # Never echo the value: a key pasted here by mistake must not reach a log.
        raise ValueError("Invalid `api_key_env`: give the NAME of an environment variable (e.g. 'OPENAI_API_KEY'), "
                         "not the key itself.")
    if o["extra_body"] is not None and not isinstance(o["extra_body"], Mapping):
        raise ValueError(f"`extra_body` must be a dict; got {type(o['extra_body']).__name__}.")
    return o


