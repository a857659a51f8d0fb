"""Headline and lead forms: attribution by a colon or a bare present-tense verb, without a parse to lean on.

* "Name: content" opening a paragraph -- a headline ("Dana Whitfield: The Budget Is
  'Dead on Arrival'"), a tweet or a transcript line -- and
  "Name on Topic: 'quote'" ("CNN's Jake Tapper on Donna Brazile leak: 'Unethical'");
* "Name Says/Warns/Slams ... content" in the article's first, headline-like line
  ("Whitfield says budget deal is dead", "Governor Calls On Board To Resign").

Headlines are title-cased, so the tagger often misreads them; the forms are found by
pattern on the text and only the speaker is taken from the parse (it must resolve to a
person, organisation or outlet). A line already holding a statement is left alone.
"""
from __future__ import annotations

import bisect
import re

from .._attribution import _Stmt
from ._base import _Rules, _trim

#: Words before a colon that label a line rather than name a speaker ("Exclusive:", "The Latest:").
_LABELS = frozenset("""exclusive breaking update updated watch video videos photos photo poll polls analysis
opinion editorial live report reports fact check correction abstract note editor's editors latest related
read more source sources transcript text excerpt excerpts timeline explainer first q a question answer
quote quotes quiz chart map graphic listen podcast audio interview review preview recap column commentary
perspective viewpoint essay letter letters""".split())
#: Longest headline-like first line (words).
_HEADLINE_WORDS = 25
_QUOTE_OPEN = "\"'\u201c\u2018"
_QUOTE_CLOSE = "\"'\u201d\u2019"


class HeadlineForms(_Rules):
    """"X: content", "X on Y: 'quote'" at a paragraph start; "X says Y" in the headline line."""

    def sentence(self, si: int, sent) -> None:
        a = self.a
        ss, se, _, off, para = a.sents[si]
        if si > 0 and a.sents[si - 1][4] == para:
            return   # only a paragraph's first sentence opens a headline or a colon line
        line_end = a.text.find("\n", ss)
        line_end = len(a.text) if line_end < 0 else line_end
        line = a.text[ss:line_end]
        if not line.strip() or self._covered(ss, line_end):
            return
        if self._colon_form(si, ss, line):
            return
        if para == 0 and len(line.split()) <= _HEADLINE_WORDS:
            self._verb_form(si, ss, line)

    # --- "Name: content" -----------------------------------------------------------
    def _colon_form(self, si: int, ss: int, line: str) -> bool:
        m = re.match(r"\s*(?P<lead>[^:\n]{2,80}?)\s*:\s+(?P<rest>\S.*)$", line)
        if m is None:
            return False
        lead = m.group("lead")
        speaker_part = re.split(r"\s+on\s+", lead, maxsplit=1)[0]
        words = speaker_part.split()
        if not words or len(words) > 7 or speaker_part.lower().strip(" '\u2019s") in _LABELS \
                or words[0].lower() in _LABELS or not all(w[:1].isupper() or w.lower() in ("of", "the", "and", "de")
                                                          or w.endswith(("'s", "\u2019s")) for w in words):
            return False
        tok = self._token_ending(ss + m.start("lead") + len(speaker_part))
        if tok is None or any(x.pos_ in ("VERB", "AUX") and x.i > tok.i - len(words) and x.i <= tok.i
                              and self.cue_lemma(x)[0] is not None for x in tok.doc[max(0, tok.i - len(words)):tok.i + 1]):
            return False
        ref = self.a.resolve(tok)
        if ref is None or ref.resolution not in ("name", "outlet"):
            return False
        cs = ss + m.start("rest")
        ce = ss + len(line.rstrip())
        return self._emit(si, ref, cs, ce, ":", "indirect")

    # --- "Name says content" ------------------------------------------------------------
    def _verb_form(self, si: int, ss: int, line: str) -> bool:
        lex = self.lex
        for m in re.finditer(r"\S+", line):
            if m.start() == 0:
                continue
            low = m.group(0).lower().strip(",")
            lemma = lex.cue_forms.get(low) or lex.eval_forms.get(low) or lex.belief_forms.get(low)
            if lemma is None or not low.endswith("s") or low.endswith("ss"):
                continue   # headlines report in the present tense: "says", "slams", "wants"
            speaker_part = line[:m.start()].rstrip()
            words = speaker_part.split()
            if not words or len(words) > 6 or not words[0][:1].isupper():
                return False
            tok = self._token_ending(ss + len(speaker_part))
            if tok is None:
                return False
            ref = self.a.resolve(tok)
            if ref is None or ref.resolution not in ("name", "outlet", "anonymous"):
                return False
            cs = ss + m.end()
            if lemma in lex.eval_forms.values() and low in lex.eval_forms:
                cs = ss + m.start()   # the judging verb belongs to the statement
                kind = "evaluative"
            else:
                kind = "belief" if lemma in lex.belief_lemmas else "indirect"
                rest = re.match(r"\s*(?:that|,)?\s*", line[m.end():])
                cs += rest.end() if rest else 0
            return self._emit(si, ref, cs, ss + len(line.rstrip()), m.group(0), kind)
        return False

    # --- helpers -----------------------------------------------------------------------
    def _emit(self, si: int, ref, cs: int, ce: int, cue: str, kind: str) -> bool:
        a = self.a
        text = a.text
        cs, ce = _trim(text, cs, ce)
        while ce > cs and text[ce - 1] in ".!?":
            ce -= 1
        # a quoted headline ("'Unethical'"): the quote marks are not the statement
        if ce - cs >= 3 and text[cs] in _QUOTE_OPEN and text[ce - 1] in _QUOTE_CLOSE \
                and not any(text[k] in _QUOTE_CLOSE for k in range(cs + 1, ce - 2) if text[k] not in "'\u2019"
                            or not text[k - 1].isalpha()):
            cs, ce, kind = cs + 1, ce - 1, "direct"
        if ce - cs < 3 or not re.search(r"\w", text[cs:ce]):
            return False
        conf = 0.7 if ref.resolution in ("name", "outlet") else 0.6
        self.add(_Stmt([(cs, ce)], ref, kind, cue, None, a.sent_of(cs), conf, cue_sent=si))
        return True

    def _token_ending(self, pos: int):
        """The last token that ends at or before ``pos`` (skipping a possessive's "'s")."""
        a = self.a
        i = bisect.bisect_right(a.tstart, pos - 1) - 1
        while i >= 0 and (a.tokens[i].is_punct or a.tokens[i].lower_ in ("'s", "\u2019s", "'", "\u2019")):
            i -= 1
        return a.tokens[i] if i >= 0 else None

    def _covered(self, s: int, e: int) -> bool:
        return any(sp[0] < e and sp[1] > s for st in self.a.stmts for sp in st.spans)
