"""Beliefs and intentions whose content is not a clause: "plans to X", "hopes to X", "saw X as Y".

Verbs of belief with a clause ("believes that X", "fears Trump could win") are reported
speech (``reported``) with kind ``belief``; this family adds the two other shapes:

* an infinitive: "Trump plans to build a wall", "Clinton hopes to win Ohio", "who wants
  to unseat Rep. X";
* an object with "as" (or a second object): "Republicans saw the controversy as an issue
  that could help Trump", "considers the deal a mistake".

Both get kind ``belief``: attributed by the writer, not necessarily said. The verbs are
listed in ``resources/en/belief_verbs.txt``; a negated or declined verb is skipped.
"""
from __future__ import annotations

from .._attribution import _Stmt
from ._base import _key, _non_committal, _Rules, _trim

#: Belief verbs whose infinitive complement states an intention or wish ("plans to", "hopes to").
_INFINITIVE = frozenset({"want", "plan", "hope", "intend", "seek", "expect", "wish", "prefer", "fear", "dream",
                         "aim", "desire"})
#: Belief verbs that take "X as Y" (or "X Y") to say how someone sees something.
_AS_FRAME = frozenset({"see", "view", "regard", "consider", "think"})


class BeliefsAndIntentions(_Rules):
    """"X plans/wants/hopes to Y", "X saw/views/regards Y as Z" -> X's belief."""

    def sentence(self, si: int, sent) -> None:
        a = self.a
        for t in a.sent_tokens(si):
            lemma = self.lex.belief_forms.get(t.lower_)
            if lemma is None or not t.tag_.startswith("VB") or _key(t) in a.used_cues:
                continue
            if a.in_quote_content(a.pos(t)) or _non_committal(t) or self._reported_by_speech(t):
                continue
            if any(c.dep_ in ("nsubjpass", "auxpass") for c in t.children):
                continue   # "is expected to win": no one holds the belief in the sentence
            span = self._content(t, lemma)
            if span is None:
                continue
            subj = self._cue_subject(t)
            if subj is None or a.in_quote_content(a.pos(subj)):
                continue
            ref = a.resolve_speaker(subj)
            if ref is None:
                continue
            a.used_cues.add(_key(t))
            conf = {"name": 0.75, "outlet": 0.7, "anonymous": 0.7, "pronoun": 0.65}.get(ref.resolution, 0.6)
            self.add(_Stmt([span], ref, "belief", t.text, None, a.sent_of(span[0]), conf, cue_sent=si))

    def _content(self, t, lemma: str) -> tuple[int, int] | None:
        a = self.a
        deps = []
        if lemma in _INFINITIVE:
            deps = [c for c in t.rights if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")
                    and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)]
        if not deps and lemma in _AS_FRAME:
            obj = next((c for c in t.rights if c.dep_ == "dobj"), None)
            frame = next((c for c in t.rights if c.dep_ == "prep" and c.lower_ == "as"
                          or c.dep_ in ("oprd", "xcomp") and c.pos_ in ("NOUN", "ADJ", "PROPN")), None)
            if obj is not None and frame is not None and frame.i > obj.i:
                deps = [obj, frame]
        if not deps:
            return None
        s = min(a.pos(c.left_edge) for c in deps)
        e = max(a.end(c.right_edge) for c in deps)
        s, e = self._cut_tail(t, s, e)
        s, e = self._close_quote(*_trim(a.text, s, e))
        return (s, e) if e - s >= 3 else None
