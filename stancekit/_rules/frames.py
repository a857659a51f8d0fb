"""Frames that attribute without a speech verb of their own.

"X's claim that A" / "the warning by X that A" (cue nouns), "according to X, A" /
"A, per X", "In her view, A".
"""
from __future__ import annotations

from .._attribution import _Stmt
from ._base import _Rules, _trim


class CueNouns(_Rules):
    """"X's claim that ...", "the warning by X that ..." -> X's statement."""

    def sentence(self, si: int, sent) -> None:
        self.noun_cues(si, sent)

    def noun_cues(self, si: int, sent) -> None:
        """"X's claim that ...", "the warning by X that ..." -> X's statement."""
        a = self.a
        for t in a.sent_tokens(si):
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
            kind = "mixed" if a.has_mark(s, e) else "indirect"
            self.add(_Stmt([(s, e)], ref, kind, t.text, None, a.sent_of(s), 0.7, cue_sent=si))


class AccordingTo(_Rules):
    """"according to X" and "per X", before, after or inside the content."""

    def sentence(self, si: int, sent) -> None:
        self.according_to(si, sent)

    def according_to(self, si: int, sent) -> None:
        a = self.a
        text = a.text
        for t in a.sent_tokens(si):
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
                ref = a.resolve_speaker(obj)
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
            kind = "mixed" if a.has_mark(s, e) else "indirect"
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


class ViewFrame(_Rules):
    """"In her view, A." / "In Smith's opinion, A."."""

    def sentence(self, si: int, sent) -> None:
        self.view_frame(si, sent)

    def view_frame(self, si: int, sent) -> None:
        """"In her view, content." / "In Smith's opinion, content." -> the owner's statement."""
        a = self.a
        toks = [t for t in a.sent_tokens(si) if not t.is_space]
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
        kind = "mixed" if a.has_mark(s, e) else "indirect"
        self.add(_Stmt([(s, e)], ref, kind, None, None, a.sent_of(s), 0.7, cue_sent=si))
