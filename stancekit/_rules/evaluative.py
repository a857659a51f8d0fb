"""Evaluative verbs with an object: the speaker judges someone or something.

"Obama accused Trump of showering praise on Putin", "Trump praised Putin as a strong
leader", "Trump blamed Obama and Clinton for ...", "Cruz slammed Trump (for ...)",
"called Clinton a liar", "thanked his supporters for ...", and the passive "Trump was
criticized by Cruz for ...". The content is the object with its complement (what the
judgement says), kind ``evaluative``. "called for X" / "called on X to Y" are demands:
the same construction, kind ``indirect``. The verbs are listed in
``resources/en/evaluative_verbs.txt``.
"""
from __future__ import annotations

from .._attribution import _Stmt
from ._base import _key, _non_committal, _Rules, _sent, _trim

#: Right-hand dependents that carry the judgement: the object and its complement.
_OBJECT_DEPS = frozenset({"dobj", "dative", "oprd", "xcomp", "ccomp", "attr", "acomp"})
#: Prepositions that introduce the complement of an evaluative verb ("of lying", "for X", "as Y").
_COMPLEMENT_PREPS = frozenset({"of", "for", "as", "over", "about", "on", "upon", "with"})
#: Entity types of a prepositional object that is a time or place, not part of the judgement.
_CIRCUMSTANCE = frozenset({"DATE", "TIME", "GPE", "LOC", "FAC", "EVENT"})


class EvaluativeVerbs(_Rules):
    """"X accused/blamed/praised/criticized/thanked/slammed Y (of/for/as Z)", "X called Y Z"."""

    def sentence(self, si: int, sent) -> None:
        a = self.a
        for t in a.sent_tokens(si):
            if t.lower_ not in self.lex.eval_forms or not t.tag_.startswith("VB") or _key(t) in a.used_cues:
                continue
            if a.in_quote_content(a.pos(t)):
                continue
            if _non_committal(t) or any(c.lower_ in ("what", "whatever") and c.i < t.i for c in t.children):
                # "opposed what he called X": a label inside someone else's sentence, not a statement
                a.used_cues.add(_key(t))
                continue
            lemma = self.lex.eval_forms[t.lower_]
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in t.children)
            subj, patient = self._speaker_and_patient(t, passive)
            if subj is None or a.in_quote_content(a.pos(subj)):
                continue
            parts = self._content(t, lemma, patient)
            if not parts:
                continue
            ref = a.resolve_speaker(subj)
            if ref is None:
                continue
            a.used_cues.add(_key(t))
            kind = "indirect" if lemma == "call" and self._demand(t) else "evaluative"
            conf = {"name": 0.8, "outlet": 0.8, "anonymous": 0.75, "pronoun": 0.7}.get(ref.resolution, 0.65)
            self.add(_Stmt(parts, ref, kind, t.text, self.via_of(t), a.sent_of(parts[0][0]), conf, cue_sent=si))

    def _speaker_and_patient(self, t, passive: bool):
        """(speaker token, patient token or None): the subject, or the agent of a passive."""
        if passive:
            agent = next((c for c in t.children if c.dep_ == "agent"), None)
            if agent is None:
                return None, None
            by = next((g for g in agent.children if g.dep_ == "pobj"), None)
            patient = next((c for c in t.children if c.dep_ == "nsubjpass"), None)
            return by, patient
        # "the mayor's calling the plan a fraud": a gerund's possessor is its speaker
        poss = next((c for c in t.lefts if c.dep_ == "poss"), None) if t.tag_ == "VBG" else None
        if poss is not None:
            return poss, None
        # "She said A and accused B of C": the coordinated act shares the speaker of the cue
        subj = self._cue_subject(t)
        if subj is None and t.dep_ == "acl" and t.head.i == t.i - 1 and t.head.pos_ in ("PROPN", "NOUN") \
                and (t.head.pos_ == "PROPN" or t.head.ent_type_ == "PERSON" or self.a.is_name_word(t.head)):
            # "Trump called Clinton a liar" parsed with the name as the root and the verb as its clause
            subj = t.head
        return subj, None

    def _demand(self, t) -> bool:
        """"called for X" / "called on X to Y": a demand, not a judgement."""
        return any(c.dep_ == "prep" and c.lower_ in ("for", "on", "upon") and c.i == t.i + 1 for c in t.rights) \
            or any(c.dep_ == "prt" and c.lower_ in ("for", "on") for c in t.children)

    def _content(self, t, lemma: str, patient) -> list[tuple[int, int]]:
        a = self.a
        deps = []
        for c in t.rights:
            if c.dep_ in _OBJECT_DEPS:
                deps.append(c)
            elif c.dep_ in ("prep", "prt") and c.lower_ in _COMPLEMENT_PREPS:
                objs = [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
                if objs and all(g.ent_type_ in _CIRCUMSTANCE for g in objs) and c.lower_ in ("on", "over", "with"):
                    continue   # "praised him on Monday", "... in Iowa": when and where, not what
                deps.append(c)
        if lemma == "call" and not self._demand(t) and not any(c.dep_ in ("oprd", "ccomp", "attr") for c in deps) \
                and sum(1 for c in deps if c.dep_ == "dobj") < 2:
            return []   # "called the police", "called him": no judgement without "X Y"
        if not deps:
            return []
        parts = []
        if patient is not None:
            s, e = _trim(a.text, a.pos(patient.left_edge), a.end(patient.right_edge))
            if e - s >= 2:
                parts.append((s, e))
        if deps:
            # the verb is part of the statement: it carries the judgement ("accused X of Y")
            s = a.pos(t)
            e = max(a.end(c.right_edge) for c in deps)
            e = self._cut_clause(t, s, e)
            s, e = self._cut_tail(t, s, e)
            s, e = self._close_quote(*_trim(a.text, s, e))
            if e - s >= 2:
                parts.append((s, e))
        return parts

    def _cut_clause(self, t, s: int, e: int) -> int:
        """End the content before a coordinated clause with its own subject ("..., and X called for Y")."""
        a = self.a
        for tok in t.doc[t.i + 1:_sent(t).end]:
            if a.pos(tok) >= e:
                break
            if tok.dep_ == "conj" and tok.pos_ in ("VERB", "AUX") and tok.i > t.i \
                    and any(g.dep_ in ("nsubj", "nsubjpass", "expl") for g in tok.children):
                k = tok.left_edge.i - 1
                while k > t.i and (t.doc[k].is_punct or t.doc[k].dep_ == "cc" or t.doc[k].is_space):
                    k -= 1
                return min(e, a.end(t.doc[k]))
        return e
