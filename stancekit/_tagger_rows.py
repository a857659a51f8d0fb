"""Statements from the learned tagger, with the rules' speaker resolution; the ``both`` merge.

One job: turn the attributions of :mod:`stancekit._tagger` (Content parts with
their Cue and Source spans) into statements of one article, attributing each to
a speaker through the article's discourse model
(:class:`stancekit._attribution._Article`: names, pronouns, role nouns, group
references, outlets, the registry), and merge them with the rules' statements
for ``extract_statements(..., method="both")``.

Merge point with the rules: the only things used from the rules' side are
``_Article.resolve(token)`` (a subject token to a speaker reference),
``_Article.add_salience``, ``_Article.sent_of`` and the ``_Ref``/``_Stmt``
records. If the rules' discourse model moves, this module is the one place to
update.

Speaker of a tagged attribution:

1. its Source span: the span's head token (the token whose syntactic head
   lies outside the span) is resolved like a rules subject; a pronoun that
   resolves to no one leaves the speaker missing (``pd.NA``); any other
   unresolved Source becomes the speaker as written (without a leading
   "the"), resolution ``"name"`` when it holds a capitalised word past its
   first, else ``"anonymous"``;
2. no Source span: the grammatical subject of the Cue, resolved the same way;
3. no Source and no Cue (or a Cue without a subject): the subject of the verb
   that governs the Content in the parse ("said" in "X said that ...", found
   from the Content's root up to three heads), which then also serves as the cue;
4. none of these: the speaker is missing.

``both``: every rules statement is kept; a tagged Content part is added when
its speaker resolved (:data:`MERGE_NEEDS_SPEAKER`), it overlaps no rules
statement span by half the shorter span or more
(:data:`MERGE_MIN_OVERLAP`, the evaluation's match rule: a part that would
count as the same statement is the rules' one) and, with
:data:`MERGE_STATEMENTS_ONLY`, it is a statement as the rules define one
(:func:`is_statement`): a cue of the project's lexicons or a quotation, a cue
that is neither negated, declined nor passive, one the rules did not already
read, and Content of at least :data:`MERGE_MIN_WORDS` words.
"""
from __future__ import annotations

import bisect
import re

from ._attribution import _TRAIL, _Article, _Ref
from ._quotes import ALL_DQ

#: A tagged Content part is dropped in ``both`` when it overlaps a rules span by this share of the shorter one.
MERGE_MIN_OVERLAP = 0.5
#: ``both`` adds a tagged attribution only when the tagger's confidence (mean probability of its Content
#: labels) reaches this. Chosen on the tagger's held-out train articles (2026-12-02, official PolNeAR scoring,
#: speakerless rows dropped): F1 0.685 at 0 to 0.3, 0.683 at 0.4, 0.678 at 0.5, 0.667 at 0.6, 0.655 at 0.7,
#: 0.639 at 0.8; the tagger's low-confidence parts are right often enough to keep.
MERGE_MIN_CONFIDENCE = 0.0
#: ``both`` adds a tagged attribution only when its speaker resolved (not ``pd.NA``): held-out train F1
#: 0.685 (P 0.697, R 0.673) against 0.668 (P 0.626, R 0.717) keeping them (19 % of the tagger's rows there
#: have no speaker; 45 % of those have no Cue either).
MERGE_NEEDS_SPEAKER = True

#: ``both`` adds a tagged attribution only when it is a statement as the rules define one
#: (:func:`is_statement`). PolNeAR counts more as attribution than the project does ("approved the plan",
#: "declined to comment", "would not say whether ..."); this keeps ``both`` to the project's definition.
#: Chosen on the tagger's held-out train articles (official PolNeAR scoring) and the project's 16 gold
#: articles (2026-12-02; rules alone: 0.617 and 0.974, seed 0.955): held-out F1 0.687 -> 0.661
#: (P 0.699 -> 0.775, R 0.675 -> 0.576), 16 gold articles 0.897 -> 0.963 (P 0.832 -> 0.952), seed
#: 0.866 -> 0.955. The tests added one at a time, held-out / gold: cue lexicon or quote 0.663 / 0.922,
#: not non-committal 0.661 / 0.930, >= 3 words 0.661 / 0.943, no passive cue 0.661 / 0.949, cue not
#: already read by the rules 0.659 / 0.963 (on cached tagger output; wired in, comparing the
#: rules' cue word: 0.661 / 0.963).
MERGE_STATEMENTS_ONLY = True
#: The fewest words (alphabetic tokens) a tagged Content part needs in ``both`` (a lone quote mark,
#: "the", "local time" are tagger fragments, not statements).
MERGE_MIN_WORDS = 3

_LEAD = re.compile(r"^(?:that|whether)\s+", flags=re.I)
_TRAIL_PUNCT = _TRAIL + "\u2014\u2013"


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Trim spaces, leading punctuation, a leading "that"/"whether" and trailing punctuation
    (closing quote marks stay), as the rules do for their spans."""
    while s < e and text[s] in " \t\r\n\u00a0,:;\u2014\u2013-":
        s += 1
    m = _LEAD.match(text[s:e])
    if m and m.end() < e - s:
        s += m.end()
    while e > s and text[e - 1] in _TRAIL_PUNCT:
        e -= 1
    return s, e


def _unquote(text: str, s: int, e: int) -> tuple[int, int]:
    """A span enclosed in quote marks without them (the rules' direct quotes are the words inside)."""
    if e - s > 2 and text[s] in ALL_DQ and text[e - 1] in ALL_DQ \
            and not any(c in ALL_DQ for c in text[s + 1:e - 1]):
        s, e = s + 1, e - 1
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
    return s, e


def kind_of(text: str) -> str:
    """``direct`` for a span inside quote marks, ``mixed`` for one holding a quote, else ``indirect``."""
    t = text.strip()
    if len(t) > 2 and t[0] in ALL_DQ and (t[-1] in ALL_DQ or t.rstrip(".,;:!?")[-1:] in ALL_DQ):
        inner = t[1:-1]
        if not any(c in ALL_DQ for c in inner.rstrip(".,;:!?")[:-1]):
            return "direct"
    return "mixed" if any(c in ALL_DQ for c in t) else "indirect"


def _tokens_in(art: _Article, s: int, e: int) -> list:
    i = bisect.bisect_left(art.tstart, s)
    out = []
    while i < len(art.tokens) and art.tstart[i] < e:
        out.append(art.tokens[i])
        i += 1
    return [t for t in out if not t.is_space]


def _head(tokens: list):
    """The token of a span whose syntactic head lies outside it (the last such one)."""
    ids = {(id(t.doc), t.i) for t in tokens}
    heads = [t for t in tokens if t.head.i == t.i or (id(t.head.doc), t.head.i) not in ids]
    nominal = [t for t in heads if t.pos_ in ("PROPN", "NOUN", "PRON", "NUM", "X")]
    pick = nominal or heads or tokens
    if not pick:
        return None
    head = pick[-1]
    if not nominal and head.pos_ in ("VERB", "AUX"):
        # a Source span that swallowed its verb ("Jane Doe said"): the verb's subject inside the span
        subj = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass") and (id(c.doc), c.i) in ids]
        if subj:
            return subj[0]
    return head


def _fallback(art: _Article, s: int, e: int) -> _Ref | None:
    s, e = _trim(art.text, s, e)
    mention = art.text[s:e]
    name = re.sub(r"^(?:the|a|an)\s+", "", mention, flags=re.I)
    name = re.sub(r"['\u2019]s?$", "", name).strip(_TRAIL_PUNCT)
    if not name:
        return None
    words = name.split()
    named = any(w[:1].isupper() for w in words[1:]) or (len(words) == 1 and words[0][:1].isupper())
    return _Ref(name, mention, s, e, "name" if named else "anonymous", group="unregistered")


def _governing_verb(art: _Article, content: list[tuple[int, int]]):
    """The verb outside the Content that governs it ("said" in "X said that ..."), or None.

    From the Content's root (its first token whose head lies outside it), up at
    most three heads, skipping tokens inside the Content.
    """
    toks = _tokens_in(art, content[0][0], content[-1][1])
    if not toks:
        return None
    inside = {(id(t.doc), t.i) for t in toks}
    roots = [t for t in toks if t.head.i != t.i and (id(t.head.doc), t.head.i) not in inside]
    if not roots:
        return None
    h = roots[0].head
    for _ in range(3):
        if h.pos_ in ("VERB", "AUX") and any(c.dep_ == "nsubj" for c in h.children):
            return h
        if h.head.i == h.i:
            return None
        h = h.head
    return None


def resolve_source(art: _Article, source: tuple[int, int] | None, cue: tuple[int, int] | None,
                   content: list[tuple[int, int]] | None = None):
    """The speaker reference of one tagged attribution and the cue it came with (see the module docstring).

    Returns
    -------
    tuple
        ``(ref, cue_span)``: ``ref`` is None when no speaker was found;
        ``cue_span`` is the tagged Cue, or the governing verb found instead.
    """
    if source is not None:
        toks = _tokens_in(art, *source)
        head = _head(toks)
        if head is None:
            return None, cue
        ref = art.resolve(head)
        if ref is not None:
            if ref.mstart is None or not (source[0] <= ref.mstart < source[1]):
                ref.mention, ref.mstart, ref.mend = art.text[source[0]:source[1]], source[0], source[1]
            return ref, cue
        if head.pos_ == "PRON":
            return None, cue
        return _fallback(art, *source), cue
    if cue is not None:
        for t in _tokens_in(art, *cue):
            subj = [c for c in t.children if c.dep_ == "nsubj"]
            if subj:
                return art.resolve(subj[0]), cue
    if content:
        verb = _governing_verb(art, content)
        if verb is not None and (cue is None or not (cue[0] <= art.pos(verb) < cue[1])):
            subj = next(c for c in verb.children if c.dep_ == "nsubj")
            ref = art.resolve(subj)
            if ref is not None:
                return ref, (cue if cue is not None else (art.pos(verb), art.end(verb)))
    return None, cue


def tagger_statements(art: _Article, attributions: list) -> list[dict]:
    """Statements of one article from tagged attributions, in text order.

    Each is a dict ``spans, ref, kind, cue, score``; ``ref`` is None when the
    speaker could not be resolved (the row's speaker is then ``pd.NA``).
    Resolved speakers join the article's salience list, so a later pronoun can
    refer to them.
    """
    text = art.text
    out = []
    for a in sorted(attributions, key=lambda x: x.content[0]):
        spans = []
        for s, e in a.content:
            s, e = _trim(text, s, e)
            if e > s:
                spans.append((s, e))
        if not spans:
            continue
        kinds = {kind_of(text[s:e]) for s, e in spans}
        # an attribution quoted part by part ('"A," she said. "B."') is direct, as in PolNeAR's gold
        kind = "direct" if kinds == {"direct"} else ("mixed" if kinds & {"direct", "mixed"} else "indirect")
        spans = [_unquote(text, s, e) for s, e in spans]
        ref, cue = resolve_source(art, a.source, a.cue, a.content)
        if ref is not None:
            art.add_salience(a.source[0] if a.source is not None else spans[0][0], ref)
        out.append({"spans": spans, "ref": ref, "kind": kind, "cue_span": cue,
                    "cue": None if cue is None else text[cue[0]:cue[1]], "score": float(a.score)})
    return out


def _cue_word(art: _Article, cue: tuple[int, int] | None):
    """The word of a Cue span found in the project's cue lexicons (speech, act, evaluative and belief
    verbs in any inflection, the cue nouns, "according"), or None."""
    if cue is None:
        return None
    lex = art.lex
    for t in _tokens_in(art, *cue):
        low = t.lower_
        if (low in lex.cue_forms or low in lex.act_forms or low in lex.eval_forms or low in lex.belief_forms
                or low in lex.cue_nouns or t.lemma_.lower() in lex.cue_nouns or low == "according"):
            return t
    return None


def is_statement(art: _Article, st: dict) -> bool:
    """Whether a tagged attribution (one of :func:`tagger_statements`) is a statement as the rules
    define one, for ``both``.

    - its Cue (or the verb governing its Content) is a word of the project's cue lexicons,
      or its Content is quoted;
    - no verb of the Cue is negated or declined ("would not say whether", "declined to say":
      the rules' own test, :func:`stancekit._rules._base._non_committal`);
    - the cue is not passive ("is expected to", "is reported"): no one in the sentence
      holds the view, and the rules take no speaker there either;
    - the rules made no statement from the same cue word in its sentence (the tagged part is then
      a fragment of the attribution the rules already read).

    The Content's length is checked per part (:data:`MERGE_MIN_WORDS`).
    """
    from ._rules._base import _non_committal

    cue = st.get("cue_span")
    word = _cue_word(art, cue)
    if word is None and st["kind"] not in ("direct", "mixed"):
        return False
    if cue is not None and any(t.pos_ in ("VERB", "AUX") and _non_committal(t) for t in _tokens_in(art, *cue)):
        return False
    if word is not None:
        if any(c.dep_ in ("auxpass", "nsubjpass") for c in word.children):
            return False
        si = art.sent_of(art.pos(word))
        if any(r.cue_sent == si and r.cue is not None and r.cue.lower() == word.lower_ for r in art.stmts):
            return False
    return True


def _words(art: _Article, s: int, e: int) -> int:
    return sum(1 for t in _tokens_in(art, s, e) if t.is_alpha)


def _overlap_ok(a: tuple[int, int], b: tuple[int, int], min_overlap: float) -> bool:
    ov = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return ov > 0 and shorter > 0 and ov / shorter >= min_overlap


def rows(art: _Article, attributions: list, method_name: str, *, exclude: list[tuple[int, int]] = (),
         min_overlap: float = MERGE_MIN_OVERLAP, min_confidence: float = 0.0,
         needs_speaker: bool = False, statements_only: bool = False) -> list[dict]:
    """Statement rows (``STATEMENT_COLUMNS``) for tagged attributions.

    Parts overlapping a span in ``exclude`` by ``min_overlap`` of the shorter
    span are left out (the ``both`` merge), and so are attributions whose
    confidence is below ``min_confidence`` or, with ``needs_speaker``, whose
    speaker did not resolve; with ``statements_only``, attributions that are
    no statement as the rules define one (:func:`is_statement`) and parts of
    fewer than :data:`MERGE_MIN_WORDS` words. One row per remaining part and
    speaker, parts of one attribution sharing a ``statement_id``.
    """
    ex = sorted(exclude)
    out = []
    for st in tagger_statements(art, attributions):
        spans, ref, kind, cue, score = st["spans"], st["ref"], st["kind"], st["cue"], st["score"]
        if score < min_confidence or (needs_speaker and (ref is None or ref.speaker is None)):
            continue
        if statements_only and not is_statement(art, st):
            continue
        keep = [sp for sp in spans if not any(_overlap_ok(sp, x, min_overlap) for x in ex)]
        if statements_only:
            keep = [sp for sp in keep if _words(art, *sp) >= MERGE_MIN_WORDS]
        if not keep:
            continue
        sid = f"{art.article}:{keep[0][0]}-{keep[0][1]}"
        refs = [None] if ref is None else (ref.members or [ref])
        for r in refs:
            for s, e in keep:
                out.append({
                    "article": art.article,
                    "statement_id": sid + (f"@{r.speaker}" if ref is not None and ref.members else ""),
                    "speaker": r.speaker if r is not None else None,
                    "mention": r.mention if r is not None else None,
                    "mention_start": r.mstart if r is not None else None,
                    "mention_end": r.mend if r is not None else None,
                    "resolution": r.resolution if r is not None else "unresolved",
                    "group": (r.group if r.group else ("media" if r.outlet else "unregistered"))
                    if r is not None else None,
                    "role": r.role if r is not None else None,
                    "country": r.country if r is not None else None,
                    "kind": kind,
                    "cue": cue,
                    "via": None,
                    "text": art.text[s:e],
                    "start": s,
                    "end": e,
                    "sentence": art.sent_of(s),
                    "confidence": score,
                    "method": method_name,
                })
    return out
