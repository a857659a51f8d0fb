"""Direct quotes: quote marks found in the text, attributed by a cue after, before or inside them.

"X," she said. / She said: "X." / "X," she said, "Y." (one statement, two spans) /
A, she added, "B." / a quote opening a sentence after the speaker's previous statement.
"""
from __future__ import annotations

import bisect
import re

from .._attribution import _Stmt
from .._quotes import _is_word, _Quote
from ._base import _fronted_adjunct, _key, _Rules, _sent, _subject, _trim

_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|I'll|I\u2019m|me|my|we|we're|we\u2019re|our|us)\b")



class DirectQuotes(_Rules):
    """Quotes in quote marks, with the speaker from a cue next to them or the previous statement."""

    def sentence(self, si: int, sent) -> None:
        ss, se = self.a.sents[si][0], self.a.sents[si][1]
        self.direct_quotes(si, ss, se)

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
                if q.closed and not content.rstrip()[-1:] in ".,!?;:\u2014-" \
                        and re.match(r" +[a-z]", text[q.end:q.end + 3]):
                    continue   # '"Night Shift" star Ana Brook ...': a title or a term, not a statement
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
        sent = _sent(t)
        if first - 1 <= sent.start or t.doc[first - 1].text != ",":
            return None
        if _fronted_adjunct(t, first - 1):
            return None   # 'Tuesday at the university, X said, "..."': when and where, not what
        s, e = a.pos(sent[0]), a.pos(t.doc[first - 1])
        if e > q.open or a.has_mark(s, e):
            return None
        s, e = _trim(a.text, s, e)
        return (s, e) if len(a.text[s:e].split()) >= 1 and e - s >= 3 else None

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
        ref = a.resolve_speaker(subj)
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
            if a.is_mark(p) and p != q.ce or t.text in (".", "!", "?", "\n") or "\n" in t.text:
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
