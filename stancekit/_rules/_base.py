"""Shared ground of the extraction rules: helpers on the parse and the base every rule family extends.

A rule family (direct quotes, reported speech, frames, evaluative verbs, headline
forms, continuations) is a subclass of :class:`_Rules`: it reads the sentences of
one :class:`~stancekit._attribution._Article` and adds statements through
:meth:`_Rules.add`. The families share the article (its tokens, quotes, speakers
and the statements found so far), so one family can see what an earlier one found;
:class:`stancekit._rules._Extractor` runs them in order.
"""
from __future__ import annotations

import bisect
import re

from .._attribution import _TRAIL, _Article, _Ref, _Stmt

__all__ = ["_Rules", "_fronted_adjunct", "_key", "_non_committal", "_sent", "_subject", "_trim"]


# --- helpers on the parse -------------------------------------------------------
_SENT_CACHE: dict[int, tuple] = {}


def _sent(tok):
    """The sentence Span of a token. spaCy's ``Token.sent`` walks the whole doc on every call;
    this keeps the sentence starts of the last few docs."""
    doc = tok.doc
    entry = _SENT_CACHE.get(id(doc))
    if entry is None or entry[0] is not doc:
        if len(_SENT_CACHE) > 256:
            _SENT_CACHE.clear()
        spans = list(doc.sents)
        entry = _SENT_CACHE[id(doc)] = (doc, [sp.start for sp in spans], spans)
    return entry[2][bisect.bisect_right(entry[1], tok.i) - 1]


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
    # "Castellanos, whose state's industry relies on ..., warned": the long relative clause
    # is misparsed as an adverbial clause carrying the subject
    for c in tok.lefts:
        if c.dep_ == "advcl" and not any(g.dep_ == "mark" for g in c.children):
            for g in c.lefts:
                if g.dep_ == "nsubj" and g.pos_ == "PROPN" and g.left_edge.i == _sent(tok).start \
                        and any(x.lower_ in ("whose", "who", "which") for x in g.subtree):
                    return g
    if depth < 3 and tok.dep_ in ("advcl", "conj", "xcomp", "pcomp", "acl") and tok.head.i != tok.i:
        if tok.head.pos_ in ("VERB", "AUX"):
            return _subject(tok.head, depth + 1)
    return None


_DECLINE = {"decline", "refuse", "stop", "fail", "avoid", "hesitate", "stopped", "declined", "refused"}


def _non_committal(tok) -> bool:
    """A speech verb that reports NOT saying: "would not say whether", "declined to say",
    "stopped short of saying", "refused to comment on"."""
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    h = tok
    for _ in range(3):
        if h.dep_ not in ("xcomp", "pcomp", "pobj", "prep", "advcl") or h.head.i == h.i:
            break
        h = h.head
        if h.lemma_.lower() in _DECLINE or h.lower_ in _DECLINE or h.lower_ == "short":
            return True
    return False


#: Words that open a fronted adjunct clause rather than reported content ("After the vote, X said ...").
_ADJUNCT_OPENERS = frozenset("""after before when while as since despite although though if because once until
unless whereas with without during following amid upon in at on by""".split())


def _fronted_adjunct(t, first: int) -> bool:
    """Whether the words of ``t``'s sentence before position ``first`` are a verbless adjunct of the
    cue ``t`` ("Tuesday at the state fair, after the vote, X said, ...") rather than
    its content: no finite verb, and they hang off the cue as a prepositional, adverbial or
    noun-phrase adjunct, or open with a subordinating word."""
    sent = _sent(t)
    words = [x for x in t.doc[sent.start:first] if not x.is_punct and not x.is_space]
    if not words:
        return False
    if any(x.tag_ in ("VBD", "VBZ", "VBP", "MD") for x in words):
        return False   # "While confidence is high, he said, ...": a clause of its own may be content
    if words[0].lower_ in _ADJUNCT_OPENERS and words[0].dep_ in ("mark", "prep", "advmod", "npadvmod") \
            and words[0].head.i != words[0].i:
        return True
    # every fronted word belongs to an adjunct child of the cue (or of the cue's clause head)
    heads = {t.i, t.head.i}
    adj = set()
    for h in heads:
        for c in t.doc[h].children:
            if c.dep_ in ("advcl", "prep", "npadvmod", "advmod", "mark", "cc") and c.i < first:
                adj.update(x.i for x in c.subtree)
    return all(x.i in adj for x in words)


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


class _Rules:
    """Base of a rule family: the article, the lexicon and the helpers every family uses."""

    def __init__(self, art: _Article):
        self.a = art
        self.lex = art.lex

    def sentence(self, si: int, sent) -> None:
        """Find this family's statements in sentence ``si`` (called in article order)."""

    def finish(self) -> None:
        """Work that needs the whole article (called once, after every sentence)."""

    def cue_lemma(self, tok) -> tuple[str | None, bool]:
        """(lemma, is_act) of a verb that can attribute: a speech verb ("said"), an act verb whose
        content is its object or complement ("urged", and the evaluative "accused"), or a verb of
        belief or intention ("hoped"); (None, False) for any other token."""
        low = tok.lower_
        lex = self.lex
        if tok.pos_ not in ("VERB",) and not (tok.pos_ == "AUX" and low in ("said",)):
            if not (tok.tag_.startswith("VB") and (low in lex.cue_forms or low in lex.eval_forms)):
                return None, False
        if low in lex.cue_forms:
            return lex.cue_forms[low], low in lex.act_forms or low in lex.eval_forms
        if low in lex.act_forms:
            return lex.act_forms[low], True
        if low in lex.eval_forms:
            return lex.eval_forms[low], True
        if low in lex.belief_forms:
            return lex.belief_forms[low], False
        return None, False

    def kind_of(self, lemma: str, default: str) -> str:
        """The statement kind a cue gives: ``belief`` for verbs of belief and intention."""
        return "belief" if lemma in self.lex.belief_lemmas else default

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
        if t.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children) \
                and t.head.dep_ in ("ccomp", "acl"):
            # "said (in a statement) that A and urged B": the second cue shares the speaker
            h = t.head.head
            for _ in range(3):
                if self.cue_lemma(h)[0] is not None:
                    return _subject(h)
                if h.dep_ not in ("pobj", "prep") or h.head.i == h.i:
                    break
                h = h.head
        return _subject(t)

    def _learn_gender(self, ref: _Ref, content: str) -> None:
        """"X said she would ..." tells X's gender (used later for "he"/"she")."""
        if ref.members or ref.outlet or ref.resolution != "name":
            return
        first = content.split(" ", 1)[0].lower()
        gender = self.lex.pronouns.get(first)
        person = self.a.persons.get(ref.speaker)
        if person is not None and person.gender is None and gender in ("male", "female"):
            person.gender = gender

    def _reported_by_speech(self, t) -> bool:
        """Whether the clause of verb ``t`` is reported by a speech verb of its sentence
        ("he said A wants X", "A wants X, he said")."""
        def speech(tok) -> bool:
            lemma = self.cue_lemma(tok)[0]
            return lemma is not None and lemma not in self.lex.belief_lemmas
        h, steps = t, 0
        while h.dep_ in ("ccomp", "conj", "xcomp", "advcl") and h.head.i != h.i and steps < 4:
            h = h.head
            steps += 1
            if speech(h):
                return True
        return any(c.dep_ in ("parataxis", "ccomp") and speech(c) for c in t.children if c.i > t.i)

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

    def _cut_tail(self, t, s: int, e: int) -> tuple[int, int]:
        """Cut ", according to X", ", per X" and ", saying ..." off a content span."""
        a = self.a
        i = bisect.bisect_left(a.tstart, s)
        while i < len(a.tokens) and a.tstart[i] < e:
            tok = a.tokens[i]
            low = tok.lower_
            prevtok = a.tokens[i - 1] if i > 0 else None
            # (a closing quote mark after the comma: '... to "hold the line," the CP reported')
            if prevtok is not None and a.is_mark(a.tstart[i - 1]) and i > 1 and a.tokens[i - 2].text == "," \
                    and a.quote_at(a.tstart[i - 1]) is not None \
                    and a.quote_at(a.tstart[i - 1]).end == a.tstart[i - 1] + len(prevtok.text):
                prevtok = a.tokens[i - 2]
            if prevtok is not None and prevtok.text in (",", "\u2014") and not a.in_quote_content(a.tstart[i]):
                if low == "according" or (low == "per" and tok.dep_ == "prep"):
                    return s, a.tstart[i - 1]
                lemma, _ = self.cue_lemma(tok)
                if lemma is not None and tok.tag_ == "VBG":
                    return s, a.tstart[i - 1]
                # ", Axios reported." / ", the ministry said." closing the sentence
                # (", The Globe and Mail reported on Monday." : the cue's own modifiers may follow)
                n = tok
                while n.dep_ in ("det", "compound", "amod") and n.head.i > n.i:
                    n = n.head
                h = n.head
                if n.dep_ == "nsubj" and n.left_edge.i == tok.i and h.i != t.i and h.i > n.i and self.cue_lemma(h)[0] is not None \
                        and not any(c.dep_ in ("ccomp", "dobj") and c.i > h.i for c in h.children) \
                        and all(x.is_punct or x.is_space or x.i <= h.right_edge.i
                                for x in h.doc[h.i + 1:_sent(h).end]):
                    return s, a.tstart[i - 1]
            i += 1
        return s, e

    def previous_statement(self, pos: int) -> _Stmt | None:
        a = self.a
        cands = [s for s in a.stmts if s.spans[-1][1] <= pos and not s.ref.members]
        if not cands:
            return None
        s = max(cands, key=lambda s: s.spans[-1][1])
        if a.sent_of(pos) - a.sent_of(s.spans[-1][1]) > 2:
            return None
        return s

    def _registered_person(self, t) -> bool:
        sp = self.a.registry.lookup(t.text)
        return sp is not None and not sp.is_outlet

    @staticmethod
    def _untyped_name(t) -> bool:
        """"Hugo Brandt spoke ..." with no entity from NER: a two-word capitalised name."""
        prev = t.doc[t.i - 1] if t.i > _sent(t).start else None
        return not t.ent_type_ and prev is not None and prev.pos_ == "PROPN" and prev.dep_ == "compound" \
            and not prev.ent_type_ and t.text[:1].isupper() and not t.text.isupper() and prev.text[:1].isupper()

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
