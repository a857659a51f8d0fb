"""Continuation sentences: an unattributed opinion sentence carrying on the previous speaker's argument."""
from __future__ import annotations

from .._attribution import _Ref, _Stmt
from ._base import _Rules, _trim


class Continuations(_Rules):
    """After the last sentence: sentences that continue a statement in the same paragraph."""

    def finish(self) -> None:
        self.continuations()

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
                prev_ref = None if last.ref.members or last.ref.speaker is None else last.ref
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
        if ref is None:
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
