"""Reported speech: a speech or cue verb with its reported clause.

"X said (that) A", "A, X said", "A, said X, a ...", "A, he said, B", "X told Y that A",
"said in a statement that A"; act verbs with their complement ("urged X to A",
"denied A", "described X as A").
"""
from __future__ import annotations

import re

from .._attribution import _Stmt
from ._base import _fronted_adjunct, _key, _non_committal, _Rules, _trim

_AS_ONLY = frozenset({"defend", "portray", "characterize", "characterise", "hail"})



#: Cue verbs whose object is the person addressed, not the content ("told reporters", "assured voters").
_RECIPIENT_VERBS = frozenset({"tell", "ask", "inform", "assure", "remind", "advise", "warn", "urge", "caution",
                              "notify", "brief", "reassure", "write"})


class ReportedSpeech(_Rules):
    """Indirect and inverted speech around a cue verb."""

    def sentence(self, si: int, sent) -> None:
        self.cue_statements(si, sent)

    def cue_statements(self, si: int, sent) -> None:
        a = self.a
        text = a.text
        for t in a.sent_tokens(si):
            if _key(t) in a.used_cues:
                continue
            lemma, is_act = self.cue_lemma(t)
            if lemma is None or t.lower_ in self.lex.eval_forms:
                continue   # evaluative verbs are the business of the evaluative family
            tp = a.pos(t)
            if a.in_quote_content(tp):
                continue
            if lemma in self.lex.belief_lemmas and self._reported_by_speech(t):
                continue   # "A wants X, he said": the belief is the content of the speech verb
            if _non_committal(t) or any(c.lower_ in ("what", "whatever") and c.i < t.i for c in t.children):
                # "opposed what he called X": a description inside someone's statement
                a.used_cues.add(_key(t))
                continue
            subj = self._cue_subject(t)
            if subj is None or a.in_quote_content(a.pos(subj)):
                continue
            heads = [c for c in t.children if c.dep_ == "ccomp"]
            if lemma == "find" and not any(any(g.dep_ in ("nsubj", "nsubjpass", "mark") for g in c.children)
                                           for c in heads):
                continue   # "found ways to ...", "found himself embroiled": not a finding reported
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
            kind_hint = self.kind_of(lemma, "indirect")
            if not heads and (is_act or lemma in ("deny", "describe", "warn", "urge")):
                heads = [c for c in t.rights if c.dep_ in ("dobj", "xcomp", "oprd", "ccomp")
                         or (c.dep_ == "prep" and c.lower_ in ("as", "of", "for", "with", "against", "in", "to", "on"))]
                # a bare object ("condemned coercion") is narration, not reported content
                if lemma not in ("deny", "describe", "urge") and not any(c.dep_ in ("xcomp", "oprd", "ccomp", "prep") for c in heads):
                    heads = []
                # "defended X as Y" / "portrayed X as Y": only the "as" frame reports an assertion
                if lemma in _AS_ONLY and not any(c.dep_ == "prep" and c.lower_ == "as" for c in heads):
                    heads = []
                if lemma not in ("deny", "describe", "warn"):
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
                runs_on = (not is_act or lemma in ("describe", "deny", "urge")
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
                            while k > h.i and (c.doc[k].dep_ == "cc" or c.doc[k].is_punct and not a.is_mark(a.pos(c.doc[k]))
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
            ref = a.resolve_speaker(subj)
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
            # "said that A and that B" stays one statement: one cue, one act of saying
            parts = [(s, e)] + [sp for sp in extra if sp[1] - sp[0] >= 3]
            if rest is True and len(parts) == 2:
                # both sides of a parenthetical cue are one statement
                kind = "mixed" if kind_hint != "belief" and a.has_mark(parts[0][0], parts[1][1]) else kind_hint
                self.add(_Stmt(parts, ref, kind, t.text, via, a.sent_of(s), conf, tail=tail, cue_sent=si))
                continue
            for ps, pe in parts:
                kind = "mixed" if kind_hint != "belief" and a.has_mark(ps, pe) else kind_hint
                self.add(_Stmt([(ps, pe)], ref, kind, t.text, via, a.sent_of(ps), conf, tail=tail, cue_sent=si))

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
                a.is_mark(a.pos(x)) for x in t.doc[sent.start:first - 1]):
            return False
        # "..., X dismissed the complaint", "..., the chair announced four votes": an object after
        # the cue is what was said or acted on, so the words before are not content (a recipient,
        # "..., he told reporters", is no such object)
        lemma, is_act = self.cue_lemma(t)
        if any(c.dep_ == "dobj" for c in t.rights) and (is_act or lemma not in _RECIPIENT_VERBS):
            return False
        # "Hours after the polls closed, X announced ...": an adjunct of the cue, not its content
        if _fronted_adjunct(t, first - 1):
            return False
        # "..., the publisher agreed to reprint it", "X continues to struggle": a cue with an
        # infinitive or clause of its own says something else
        if any(c.dep_ in ("xcomp", "ccomp") for c in t.rights):
            return False
        for tok in t.doc[t.i + 1:sent.end]:
            if tok.pos_ == "VERB" and tok.dep_ in ("ccomp", "conj") and tok.head.i == t.i:
                return False
        return True
