"""The extraction rules: find statements in one parsed article and attribute them.

One job: walk the sentences of an :class:`~stancekit._attribution._Article` and
add statements for direct quotes (cue before, after or inside the quote, or the
previous speaker), indirect speech after cue verbs and cue nouns, "according
to X"/"per X" frames and continuation sentences. Speaker resolution is the
article model's business (``_attribution``).
"""
from __future__ import annotations

import bisect
import re

from ._attribution import _TRAIL, _Article, _Ref, _Stmt
from ._quotes import ALL_DQ, _is_word, _Quote

_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|I'll|I\u2019m|me|my|we|we're|we\u2019re|our|us)\b")


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
    # "Castellanos, whose state's industry relies on ..., warned": the long relative clause
    # is misparsed as an adverbial clause carrying the subject
    for c in tok.lefts:
        if c.dep_ == "advcl" and not any(g.dep_ == "mark" for g in c.children):
            for g in c.lefts:
                if g.dep_ == "nsubj" and g.pos_ == "PROPN" and g.left_edge.i == tok.sent.start \
                        and any(x.lower_ in ("whose", "who", "which") for x in g.subtree):
                    return g
    if depth < 3 and tok.dep_ in ("advcl", "conj", "xcomp", "pcomp", "acl") and tok.head.i != tok.i:
        if tok.head.pos_ in ("VERB", "AUX"):
            return _subject(tok.head, depth + 1)
    return None


_AS_ONLY = frozenset({"defend", "portray", "characterize", "characterise", "hail"})

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
            self.view_frame(si, sent)
        self.continuations()
        self.resolve_pending_groups()
        return a.stmts

    def resolve_pending_groups(self) -> None:
        """A plural description matching a registry group ("Chinese experts said ...") before
        any member is named goes to the members of that group who speak later in the article."""
        a = self.a
        done: dict[int, _Ref | None] = {}
        for st in a.stmts:
            ref = st.ref
            if id(ref) in done:
                st.ref = done[id(ref)] or ref
                continue
            if ref.resolution != "anonymous" or ref.role != "pending-group" or ref.members:
                continue
            done[id(ref)] = None
            members = []
            for other in a.stmts:
                for r in (other.ref.members or [other.ref]):
                    p = a.persons.get(r.speaker)
                    if p is not None and p.group == ref.group and not p.outlet and r.speaker not in members \
                            and other.spans[0][0] > st.spans[0][0]:
                        members.append(r.speaker)
            ref.role = None
            if len(members) >= 2:
                grp = _Ref(ref.group, ref.mention, ref.mstart, ref.mend, "group", group=ref.group)
                grp.members = [a.ref_for(n, ref.mention, ref.mstart, ref.mend, "group") for n in members]
                st.ref = done[id(ref)] = grp

    def note_subjects(self, sent) -> None:
        a = self.a
        for t in sent:
            if t.dep_ in ("nsubj", "nsubjpass") and (t.ent_type_ == "PERSON" or t.pos_ == "PROPN"
                                                      and (t.lower_ in a.token_index or self._registered_person(t)
                                                           or self._untyped_name(t))) \
                    and not a.in_quote_content(a.pos(t)):
                ref = a.resolve(t)
                if ref is not None and not ref.outlet and not ref.members and ref.speaker in a.persons:
                    a.add_salience(a.pos(t), ref)
                    if self.cue_lemma(t.head)[0] is None:
                        # the subject of a plain clause: inside its own sentence it may be
                        # reported content ("Ridley wants X, he said"), not the speaker
                        a.plain_subjects.add(a.pos(t))

    @staticmethod
    def _untyped_name(t) -> bool:
        """"Hugo Brandt spoke ..." with no entity from NER: a two-word capitalised name."""
        prev = t.doc[t.i - 1] if t.i > t.sent.start else None
        return not t.ent_type_ and prev is not None and prev.pos_ == "PROPN" and prev.dep_ == "compound" \
            and not prev.ent_type_ and t.text[:1].isupper() and not t.text.isupper() and prev.text[:1].isupper()

    def _registered_person(self, t) -> bool:
        sp = self.a.registry.lookup(t.text)
        return sp is not None and not sp.is_outlet

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
            attribution = self.after_attribution(q)
            lead = None
            if attribution is None:
                attribution = self.before_attribution(q)
                if attribution is not None:
                    lead = self._lead_before_cue(attribution[4], q)
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
            if lead is not None:
                # 'A, she added, "B."': the unquoted part before the cue is part of the statement
                spans.insert(0, lead)
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

    def _lead_before_cue(self, t, q: _Quote) -> tuple[int, int] | None:
        """'A, she added, "B."': the span of A (the cue is a parenthetical inside the sentence)."""
        a = self.a
        subj = _subject(t)
        if subj is None or subj.i > t.i or t.dep_ not in ("parataxis", "ROOT"):
            return None
        first = min(subj.left_edge.i, t.i)
        sent = t.sent
        if first - 1 <= sent.start or t.doc[first - 1].text != ",":
            return None
        s, e = a.pos(sent[0]), a.pos(t.doc[first - 1])
        if e > q.open or any(ch in a.text[s:e] for ch in ALL_DQ):
            return None
        s, e = _trim(a.text, s, e)
        return (s, e) if len(a.text[s:e].split()) >= 1 and e - s >= 3 else None

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
            if _non_committal(t) or any(c.lower_ in ("what", "whatever") and c.i < t.i for c in t.children):
                # "opposed what he called X": a description inside someone's statement
                a.used_cues.add(_key(t))
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
                # "defended X as Y" / "portrayed X as Y": only the "as" frame reports an assertion
                if lemma in _AS_ONLY and not any(c.dep_ == "prep" and c.lower_ == "as" for c in heads):
                    heads = []
                if lemma not in ("deny", "describe", "call", "warn"):
                    kind_hint = "reported"
            spans: list[tuple[int, int]] = []
            tail = False
            rest = None
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
                # "said A but argued B": a second speech verb coordinated with the reported
                # clause, with no subject of its own, is the speaker's next cue, not content
                for h in heads:
                    for c in h.children:
                        if c.dep_ == "conj" and c.i > h.i and self.cue_lemma(c)[0] is not None \
                                and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children) \
                                and not a.in_quote_content(a.pos(c)):
                            k = c.i - 1
                            while k > h.i and (c.doc[k].dep_ == "cc" or c.doc[k].is_punct and c.doc[k].text not in ALL_DQ
                                               or c.doc[k].is_space):
                                k -= 1
                            if s < a.end(c.doc[k]) < e:
                                e = a.end(c.doc[k])
                spans = [(s, e)]
            else:
                left = [h for h in heads if a.pos(h) < tp]
                attr_start = min(a.pos(subj.left_edge), tp)
                rest = self._parenthetical_rest(t, subj, sent)
                if left or rest is not None or self._inverted_tail(t, subj, sent):
                    s = a.pos(sent[0])
                    e = attr_start
                    spans = [(s, e)]
                    tail = True
                    if rest is not None:
                        # "A, he said, B." / "A, he said, while B.": the content is on both sides
                        spans.append(rest)
                        rest = True
                    # "A, Gill said, and B." -> B is a second statement of the same speaker
                    after = list(t.rights)
                    if t.dep_ == "parataxis":   # "A, Gill said, and B" parsed as A <- said, A -> B
                        after += [c for c in t.head.rights if c.i > t.i]
                    for c in after if rest is None else []:
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
            if any(st.cue_sent == si and st.ref.speaker == ref.speaker and st.kind != "direct"
                   and any(sp[0] <= tp < sp[1] for sp in st.spans) for st in a.stmts):
                # "she said her office ... and that she had urged X to ...": a speech verb inside the
                # speaker's own reported clause is part of that statement, not a second one
                continue
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
            if rest is True and len(parts) == 2:
                # both sides of a parenthetical cue are one statement
                kind = "mixed" if any(ch in text[parts[0][0]:parts[1][1]] for ch in ALL_DQ) else kind_hint
                self.add(_Stmt(parts, ref, kind, t.text, via, a.sent_of(s), conf, tail=tail, cue_sent=si))
                continue
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

    def _parenthetical_rest(self, t, subj, sent) -> tuple[int, int] | None:
        """"A, he said, B.": a cue between commas inside the sentence -> the span of B.

        The cue must be a parenthetical (parataxis) with its subject just before it, content
        on its left and a comma after the attribution; a leading "and"/"but"/"while" of B is
        dropped.
        """
        a = self.a
        if subj.i > t.i:
            return None
        if t.dep_ != "parataxis":
            # "A, he said, while B." parsed with A as the cue's ccomp and B as its clause
            if t.dep_ != "ROOT" or not any(c.dep_ == "ccomp" and c.i < t.i for c in t.children):
                return None
            contrast = ("while", "whereas", "although", "though", "but", "and")
            if not any(c.dep_ in ("advcl", "conj") and c.i > t.i and c.pos_ in ("VERB", "AUX")
                       and c.tag_ != "VBG" and any(g.dep_ in ("nsubj", "nsubjpass", "expl") for g in c.children)
                       and any(g.dep_ in ("mark", "cc") and g.lower_ in contrast for g in c.children)
                       for c in t.children) and not any(c.dep_ == "cc" and c.i > t.i and c.lower_ in contrast
                                                        for c in t.children):
                return None
        first = min(subj.left_edge.i, t.i)
        prev = t.doc[first - 1] if first - 1 >= sent.start else None
        if prev is None or prev.text not in (",", "\u2014") or first - 1 - sent.start < 1:
            return None
        if a.quote_at(a.pos(prev)) is not None:
            return None
        end_i = t.i
        for c in t.rights:
            if c.dep_ in ("conj", "advcl", "ccomp", "cc", "punct", "mark") or c.pos_ in ("VERB", "AUX"):
                continue
            end_i = max(end_i, c.right_edge.i)
        k = end_i + 1
        if k >= sent.end or t.doc[k].text not in (",", "\u2014"):
            return None
        k += 1
        while k < sent.end and (t.doc[k].lower_ in ("and", "but", "while", "whereas", "although", "though")
                                or t.doc[k].is_space):
            k += 1
        if k >= sent.end or sum(1 for x in t.doc[k:sent.end] if not x.is_punct) < 2:
            return None
        if a.quote_at(a.pos(t.doc[k])) is not None and a.quote_at(a.pos(t.doc[k])).open == a.pos(t.doc[k]) \
                and a.quote_at(a.pos(t.doc[k])).end >= a.end(t.doc[sent.end - 1]) - 1:
            return None   # '"A," he said, "B."' belongs to the direct-quote rule
        return _trim(a.text, a.pos(t.doc[k]), a.end(t.doc[sent.end - 1]))

    def _inverted_tail(self, t, subj, sent) -> bool:
        """"Content, X said." / "Content, said X, a ..." : the attribution ends the sentence."""
        a = self.a
        first = min(subj.left_edge.i, t.i)
        prev = t.doc[first - 1] if first - 1 >= sent.start else None
        if prev is None or prev.text not in (",", "\u2014", ":"):
            return False
        if first - 1 - sent.start < 3:
            return False
        # "Hours later in Ottawa, X dismissed ...": a fronted time/place phrase has no verb of its own
        if not any(x.pos_ in ("VERB", "AUX") for x in t.doc[sent.start:first - 1]
                   if not a.in_quote_content(a.pos(x))) and not any(
                x.text in ALL_DQ for x in t.doc[sent.start:first - 1]):
            return False
        # "..., X dismissed the complaint": an object after the cue is what was acted on, not content
        if self.cue_lemma(t)[1] and any(c.dep_ == "dobj" for c in t.rights):
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
            # (a closing quote mark after the comma: '... to "hold the line," the CP reported')
            if prevtok is not None and prevtok.text in ALL_DQ and i > 1 and a.tokens[i - 2].text == "," \
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
                                for x in h.doc[h.i + 1:h.sent.end]):
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
            extra_span = None
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
                # "A, according to X, B.": the content is on both sides of the frame
                k = phrase_e
                while k < se and text[k] in " \t":
                    k += 1
                if k < se and text[k] == "," and text[ss:phrase_s].rstrip().endswith(","):
                    rs, re_ = self._close_quote(*_trim(text, k + 1, se))
                    if len(text[rs:re_].split()) >= 2:
                        extra_span = (rs, re_)
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
            spans = [(s, e)] + ([extra_span] if extra_span is not None and kind != "direct" else [])
            self.add(_Stmt(spans, ref, kind, cue, None, a.sent_of(s), conf, tail=phrase_s - ss >= 3))

    def view_frame(self, si: int, sent) -> None:
        """"In her view, content." / "In Smith's opinion, content." -> the owner's statement."""
        a = self.a
        toks = [t for t in sent if not t.is_space]
        if len(toks) < 6 or toks[0].lower_ != "in":
            return
        k = 1
        owner = None
        while k < min(len(toks), 6) and toks[k].text != ",":
            if toks[k].dep_ == "poss" and owner is None:
                owner = toks[k]
            k += 1
        if owner is None or k >= len(toks) - 2 or toks[k - 1].lower_ not in (
                "view", "opinion", "assessment", "words", "estimation", "judgment", "judgement"):
            return
        ss, se = a.pos(sent[0]), a.end(sent[-1])
        if any(sp[0] < se and sp[1] > ss for st in a.stmts for sp in st.spans):
            return
        ref = a.resolve(owner)
        if ref is None:
            return
        s, e = self._close_quote(*_trim(a.text, a.end(toks[k]), se))
        if e - s < 3:
            return
        kind = "mixed" if any(ch in a.text[s:e] for ch in ALL_DQ) else "indirect"
        self.add(_Stmt([(s, e)], ref, kind, None, None, a.sent_of(s), 0.7, cue_sent=si))

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
