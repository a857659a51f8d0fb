"""The llm backend's prompt and answers: the versioned prompt, few-shot turns, reading replies, article context.

See :mod:`stancekit.stance.llm` for the backend. Nothing here talks to a
server: these are pure functions over strings, tested without one.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .backend import LABELS

#: Version of the prompt text (``resources/prompts/<version>.txt``); with the text's hash, part of the cache key.
PROMPT_VERSION = "stance_v1"

#: The shipped few-shot examples (``resources/prompts/<version>.jsonl``), invented for the purpose.
FEW_SHOT_VERSION = "few_shot_v1"

#: JSON schema of the answer. "stance" comes first, so its value is among the first tokens (logprobs).
ANSWER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "stance": {"type": "string", "enum": ["favor", "against", "none"]},
        "confidence": {"type": "number"},
    },
    "required": ["stance", "confidence"],
    "additionalProperties": False,
}

#: Words a model may answer with, and the label each means.
LABEL_WORDS: dict[str, str] = {"favor": "favor", "favour": "favor", "against": "against",
                               "none": "none", "neutral": "none"}

#: Lowest stated confidence used: just above uniform (1/3), so that the stated label stays the most probable.
CONFIDENCE_FLOOR = 0.34

#: Longest context sent, in characters (about six news sentences); longer ones are cut around the statement.
CONTEXT_MAX_CHARS = 1500

#: Marks around the statement inside its context.
MARK_OPEN, MARK_CLOSE = "\u27e6", "\u27e7"


# --- reading answers -----------------------------------------------------------------

_FENCE = re.compile(r"^\s*```[a-zA-Z]*\s*|\s*```\s*$")
_STANCE_FIELD = re.compile(r'"?stance"?\s*:\s*"?\s*([A-Za-z]+)', re.IGNORECASE)
_CONF_FIELD = re.compile(r'"?confidence"?\s*:\s*"?\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)(?![0-9.])', re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z]+")


def parse_answer(content: str | None) -> tuple[str, float | None, int | None] | None:
    """Read a model's answer: ``(label, confidence or None, where the label starts in content)``.

    Accepts the JSON object asked for, JSON inside text or a code fence,
    JSON with a syntax error (the ``stance`` and ``confidence`` fields are
    read where they stand), and a bare label ("favor", "Against.",
    "neutral"). None when no single label can be read.

    Examples
    --------
    >>> parse_answer('{"stance": "against", "confidence": 0.8}')
    ('against', 0.8, 12)
    >>> parse_answer("Favor.")
    ('favor', None, 0)
    >>> parse_answer("I cannot tell.") is None
    True
    """
    if not isinstance(content, str) or not content.strip():
        return None
    obj = _json_object(content)
    if obj is not None and isinstance(obj.get("stance"), str):
        label = LABEL_WORDS.get(obj["stance"].strip().lower())
        if label is not None:
            m = _STANCE_FIELD.search(content)
            return label, _confidence(obj.get("confidence")), m.start(1) if m else None
    m = _STANCE_FIELD.search(content)
    if m and m.group(1).lower() in LABEL_WORDS:
        c = _CONF_FIELD.search(content)
        return LABEL_WORDS[m.group(1).lower()], _confidence(c.group(1) if c else None), m.start(1)
    words = [(w.group(0).lower(), w.start()) for w in _WORD.finditer(content)]
    found = [(LABEL_WORDS[w], s) for w, s in words if w in LABEL_WORDS]
    if len({lab for lab, _ in found}) == 1 and (len(words) <= 3 or len(found) == len(words)):
        return found[0][0], None, found[0][1]  # a bare label, perhaps "Stance: favor"
    return None


def _json_object(content: str) -> dict | None:
    text = _FENCE.sub("", content.strip())
    try:
        obj = json.loads(text)
        return obj if isinstance(obj, dict) else None
    except ValueError:
        pass
    start = text.find("{")
    while start != -1:  # JSON wrapped in text: the first balanced-looking object that parses
        end = text.find("}", start)
        while end != -1:
            try:
                obj = json.loads(text[start:end + 1])
                if isinstance(obj, dict):
                    return obj
            except ValueError:
                pass
            end = text.find("}", end + 1)
        start = text.find("{", start + 1)
    return None


def _confidence(v: Any) -> float | None:
    try:
        c = float(v)
    except (TypeError, ValueError):
        return None
    if not np.isfinite(c):
        return None
    if 1.0 < c <= 100.0:  # a percentage
        c /= 100.0
    return min(max(c, 0.0), 1.0)


def _confidence_probs(label: str, conf: float) -> np.ndarray:
    c = min(max(float(conf), CONFIDENCE_FLOOR), 1.0)
    p = np.full(len(LABELS), (1.0 - c) / 2)
    p[LABELS.index(label)] = c
    return p


def _logprob_probs(content: str, tokens: Sequence[Any], pos: int) -> np.ndarray | None:
    """Label probabilities from the log-probabilities of the token where the stance value starts.

    The chosen token and its ``top_logprobs`` alternatives that continue the
    same prefix are read as label prefixes ("fav", " against", "n"), their
    probabilities summed per label and normalised over the three labels.
    None when the tokens do not spell the content or no alternative is a label.
    """
    at = 0
    for tok in tokens:
        s = getattr(tok, "token", None)
        if not isinstance(s, str):
            return None
        if at <= pos < at + len(s):
            pre = content[at:pos]
            cands: dict[str, float] = {s: float(getattr(tok, "logprob", -np.inf))}
            for alt in getattr(tok, "top_logprobs", None) or []:
                a = getattr(alt, "token", None)
                if isinstance(a, str) and a not in cands:
                    cands[a] = float(getattr(alt, "logprob", -np.inf))
            mass = np.zeros(len(LABELS))
            for a, lp in cands.items():
                if not a.startswith(pre) or not np.isfinite(lp):
                    continue
                rest = a[len(pre):].strip().strip("\"'").lower()
                if not rest:
                    continue
                for word, label in LABEL_WORDS.items():
                    if word.startswith(rest) or rest.startswith(word):
                        mass[LABELS.index(label)] += np.exp(lp)
                        break
            total = mass.sum()
            return mass / total if total > 0 else None
        at += len(s)
    return None


# --- prompt pieces ----------------------------------------------------------------


def _user_message(text: str, target: str, aliases: Sequence[str], extra: Mapping[str, Any]) -> str:
    lines = [f"Target: {target}" + (f" (also called: {', '.join(aliases)})" if aliases else "")]
    speaker, role = extra.get("speaker"), extra.get("role")
    if speaker:
        lines.append(f"Speaker: {speaker}" + (f" ({role})" if role else ""))
    elif role:
        lines.append(f"Speaker's role: {role}")
    ctx = extra.get("context")
    if ctx:
        lines += [f"Context (the sentences around the statement, which is marked {MARK_OPEN} {MARK_CLOSE}):",
                  '"""', _clip_context(str(ctx)), '"""']
    lines += ["Statement:", '"""', text, '"""']
    return "\n".join(lines)


def _clip_context(ctx: str, limit: int = CONTEXT_MAX_CHARS) -> str:
    """``ctx`` cut to ``limit`` characters at word boundaries, keeping the marked statement in view."""
    if len(ctx) <= limit:
        return ctx
    mid = max(ctx.find(MARK_OPEN), 0)
    s = max(0, min(mid - limit // 3, len(ctx) - limit))
    e = min(len(ctx), s + limit)
    if s > 0:
        sp = ctx.find(" ", s)
        s = sp + 1 if 0 <= sp < e else s
    if e < len(ctx):
        sp = ctx.rfind(" ", s, e)
        e = sp if sp > s else e
    return ("..." if s > 0 else "") + ctx[s:e] + ("..." if e < len(ctx) else "")


def _prompt_text(version: str) -> str:
    return resources.files("stancekit").joinpath("resources", "prompts", f"{version}.txt").read_text("utf-8").strip()


def _sha12(s: str) -> str:
    return hashlib.sha256(s.encode()).hexdigest()[:12]


_EXAMPLE_KEYS = ("text", "target", "stance", "confidence", "speaker", "role", "context", "aliases")


def _few_shot(spec: Any) -> tuple[list[dict], str]:
    """Examples and their id (name and content hash: part of the cache key)."""
    if spec is None:
        raw = resources.files("stancekit").joinpath("resources", "prompts", f"{FEW_SHOT_VERSION}.jsonl")
        name, lines = FEW_SHOT_VERSION, raw.read_text("utf-8").splitlines()
        rows = [json.loads(x) for x in lines if x.strip()]
    elif isinstance(spec, (str, os.PathLike)):
        path = Path(spec).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"No such few-shot file: {os.fspath(spec)!r} (`few_shot`)")
        name, rows = path.name, []
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except ValueError as exc:
                    raise ValueError(f"{path}:{n}: not JSON ({exc}); each few-shot line is an object with "
                                     "text, target and stance.") from None
    elif isinstance(spec, Sequence):
        name, rows = "custom", list(spec)
    else:
        raise TypeError(f"`few_shot` must be None, a list of dicts or a JSONL path; got {type(spec).__name__}.")
    out = []
    for k, ex in enumerate(rows):
        if not isinstance(ex, Mapping):
            raise TypeError(f"few-shot example {k} is a {type(ex).__name__}; give a dict with text, target, stance.")
        missing = [f for f in ("text", "target", "stance") if not isinstance(ex.get(f), str) or not ex[f].strip()]
        if missing:
            raise ValueError(f"few-shot example {k} lacks {missing}; each needs text, target and stance.")
        label = LABEL_WORDS.get(ex["stance"].strip().lower())
        if label is None:
            raise ValueError(f"few-shot example {k} has stance {ex['stance']!r}; choose one of {sorted(LABELS)}.")
        unknown = sorted(set(ex) - set(_EXAMPLE_KEYS))
        if unknown:
            raise ValueError(f"few-shot example {k} has unknown field(s) {unknown}; valid: {list(_EXAMPLE_KEYS)}.")
        # 0.9 when not given: it shows the answer's form, it is not a calibration target.
        conf = _confidence(ex.get("confidence", 0.9))
        item = {"text": ex["text"], "target": ex["target"], "stance": label,
                "confidence": 0.9 if conf is None else conf}
        for f in ("speaker", "role", "context"):
            if isinstance(ex.get(f), str) and ex[f].strip():
                item[f] = ex[f].strip()
        if ex.get("aliases"):
            item["aliases"] = [str(a) for a in ex["aliases"]]
        out.append(item)
    return out, f"{name}:{_sha12(json.dumps(out, sort_keys=True, ensure_ascii=False))}"


# --- context from the article --------------------------------------------------------

#: Abbreviations after which a full stop does not end a sentence (news usage; a short list on purpose).
_ABBREV = frozenset({"mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "st", "jr", "sr", "lt", "col", "sgt",
                     "prof", "rev", "no", "vs", "u.s", "u.k", "inc", "corp", "co", "jan", "feb", "aug", "sept",
                     "oct", "nov", "dec"})
_SENT_BREAK = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*\s+|\n\s*")


def _sentence_starts(text: str) -> list[int]:
    starts = [0]
    for m in _SENT_BREAK.finditer(text):
        e = m.end()
        if e >= len(text):
            break
        if not m.group(0).startswith("\n"):
            word = re.search(r"([A-Za-z.]+)[.!?]+\S*\s+$", text[max(0, m.start() - 12):e])
            if word and word.group(1).lower().rstrip(".") in _ABBREV:
                continue
            if not (text[e].isupper() or text[e].isdigit() or text[e] in "\"'\u201c\u2018(["):
                continue
        if e > starts[-1]:
            starts.append(e)
    return starts


def context_around(article_text: str, start: int, end: int, *, sentences: int = 1) -> str:
    """The sentences around ``article_text[start:end]``, with the statement marked ⟦ ⟧.

    ``sentences`` sentences before and after the ones the statement touches
    (a regex splitter, no spaCy); cut to :data:`CONTEXT_MAX_CHARS` around the
    statement when longer.

    Examples
    --------
    >>> art = "The talks ended. He said the deal is dead. Markets fell. Nothing else."
    >>> context_around(art, 20, 42)
    'The talks ended. He ⟦said the deal is dead.⟧ Markets fell.'
    """
    if not (0 <= start < end <= len(article_text)):
        raise ValueError(f"Invalid span ({start}, {end}) for an article of {len(article_text)} characters.")
    if not isinstance(sentences, int) or sentences < 0:
        raise ValueError(f"Invalid value {sentences!r} for `sentences`; give an int >= 0.")
    starts = _sentence_starts(article_text)
    si = max(k for k, s in enumerate(starts) if s <= start)
    ei = max(k for k, s in enumerate(starts) if s < end)
    cs = starts[max(si - sentences, 0)]
    ce = starts[ei + sentences + 1] if ei + sentences + 1 < len(starts) else len(article_text)
    ctx = (article_text[cs:start] + MARK_OPEN + article_text[start:end] + MARK_CLOSE + article_text[end:ce])
    return _clip_context(" ".join(ctx.split()))


def add_context(statements: pd.DataFrame, articles: pd.DataFrame, *, sentences: int = 1,
                column: str = "context") -> pd.DataFrame:
    """Add the sentences around each statement as a column, for the ``llm`` backend's prompt.

    Parameters
    ----------
    statements : pandas.DataFrame
        Statements with ``article``, ``start`` and ``end`` (character offsets
        into the article), as from :func:`stancekit.extraction.extract_statements`.
    articles : pandas.DataFrame
        Articles with ``article`` (id) and ``text``, as from
        :func:`stancekit.io.read_articles`.
    sentences : int, default 1
        Sentences of context before and after the statement's own.
    column : str, default "context"
        The new column (the ``llm`` backend reads ``context``).

    Returns
    -------
    pandas.DataFrame
        ``statements`` plus the column; NA where the article or the offsets
        are missing.

    Examples
    --------
    >>> import pandas as pd
    >>> arts = pd.DataFrame({"article": ["a"], "text": ["It rained. She said no. Then it stopped."]})
    >>> st = pd.DataFrame({"article": ["a"], "start": [15], "end": [22], "text": ["said no"]})
    >>> add_context(st, arts)["context"].tolist()
    ['It rained. She ⟦said no⟧. Then it stopped.']
    """
    for frame, cols, nm in ((statements, ("article", "start", "end"), "statements"),
                            (articles, ("article", "text"), "articles")):
        lacking = [c for c in cols if c not in frame.columns]
        if lacking:
            raise KeyError(f"`{nm}` lacks the column(s) {lacking}; it has {list(frame.columns)}.")
    texts = dict(zip(articles["article"], articles["text"]))
    out = []
    for a, s, e in zip(statements["article"], statements["start"], statements["end"]):
        t = texts.get(a)
        try:
            out.append(context_around(t, int(s), int(e), sentences=sentences) if isinstance(t, str) else pd.NA)
        except (TypeError, ValueError):
            out.append(pd.NA)
    return statements.assign(**{column: out})
