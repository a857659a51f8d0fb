"""The extraction rules: find statements in one parsed article and attribute them.

The rules come in families, one module each, each a small unit that can be read
and run alone (see :func:`run_rules`):

* ``quotes`` -- direct quotes in quote marks;
* ``reported`` -- reported speech around a cue verb (beliefs and intentions get kind ``belief``);
* ``evaluative`` -- evaluative verbs with an object ("accused X of Y", "called X Y");
* ``beliefs`` -- intentions and views without a clause ("plans to X", "saw X as Y");
* ``headline`` -- headline and lead forms ("X: ...", "X on Y: '...'", "X says Y");
* ``frames`` -- cue nouns, "according to X" / "per X", "in her view";
* ``continuation`` -- unattributed sentences carrying on a speaker's argument.

:class:`_Extractor` is the one place that orders and merges them: for each
sentence it first notes the sentence's named subjects (pronoun antecedents), then
runs the families in :data:`FAMILIES` order; a family sees the statements the
earlier ones found (a cue used by a quote is not reused, a sentence already holding
a statement gets no frame statement). Speaker resolution is the article model's
business (``_attribution``).
"""
from __future__ import annotations

import re

from .._attribution import _Article, _is_title_word, _Ref, _Stmt
from ._base import _Rules
from .beliefs import BeliefsAndIntentions
from .continuation import Continuations
from .evaluative import EvaluativeVerbs
from .frames import AccordingTo, CueNouns, ViewFrame
from .headline import HeadlineForms
from .quotes import DirectQuotes
from .reported import ReportedSpeech

__all__ = ["_Extractor", "FAMILIES", "run_rules"]

#: The rule families, in the order they run on each sentence (then ``finish`` in the same order).
FAMILIES: tuple[type[_Rules], ...] = (DirectQuotes, EvaluativeVerbs, ReportedSpeech, BeliefsAndIntentions, CueNouns,
                                      AccordingTo, ViewFrame, HeadlineForms, Continuations)


class _Extractor(_Rules):
    """Run the rule families over one article, in order, and settle group references at the end."""

    def __init__(self, art: _Article, families: tuple[type[_Rules], ...] = FAMILIES):
        super().__init__(art)
        self.families = [f(art) for f in families]

    def run(self) -> list[_Stmt]:
        a = self.a
        for si, (ss, se, sent, off, para) in enumerate(a.sents):
            self.note_subjects(si, sent)
            for fam in self.families:
                fam.sentence(si, sent)
        for fam in self.families:
            fam.finish()
        self.resolve_pending_groups()
        self.complete_surnames()
        return a.stmts

    def complete_surnames(self) -> None:
        """A surname met before the full name ("Ortiz Says ..." in a headline, "Mayor Lena Ortiz
        said" below) is the one person of the article whose name ends with it."""
        a = self.a
        full: dict[str, list[str]] = {}
        for name, p in a.persons.items():
            if " " in name and not p.outlet:
                full.setdefault(name.split()[-1].lower(), []).append(name)
        for st in a.stmts:
            ref = st.ref
            if ref.speaker is None or " " in ref.speaker or ref.resolution != "name" or ref.members:
                continue
            names = full.get(ref.speaker.lower(), [])
            if not names:
                names = self._full_names_in_text(ref.speaker)
            if len(names) == 1 and names[0] != ref.speaker:
                if names[0] not in a.persons:
                    a.person_ref(names[0], ref.mention, ref.mstart, ref.mend, role=None, gender=None)
                st.ref = a.ref_for(names[0], ref.mention, ref.mstart, ref.mend, ref.resolution)

    def _full_names_in_text(self, surname: str) -> list[str]:
        """Full names ending in ``surname`` anywhere in the text, paragraphs not parsed included
        ("Mayor Lena Ortiz spoke ..." holds no statement, so it is not parsed)."""
        a = self.a
        found = set()
        for m in re.finditer(rf"\b((?:(?:[A-Z][a-z]+|[A-Z]\.)[ \t]+){{1,3}}){re.escape(surname)}\b", a.text):
            words = m.group(1).split()
            while words and (words[0].lower() in self.lex.titles or words[0].lower() in self.lex.person_nouns
                             or _is_title_word(words[0], self.lex)):
                words = words[1:]   # "Mayor Lena Ortiz": the title is not the name
            if words:
                found.add(" ".join(words + [surname]))
        return sorted(found)

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

    def note_subjects(self, si: int, sent) -> None:
        a = self.a
        for t in a.sent_tokens(si):
            if t.dep_ in ("nsubj", "nsubjpass") and (t.ent_type_ == "PERSON" or a.is_name_word(t) or t.pos_ == "PROPN"
                                                      and (t.lower_ in a.token_index or self._registered_person(t)
                                                           or self._untyped_name(t))) \
                    and not a.in_quote_content(a.pos(t)):
                ref = a.resolve(t)
                if ref is not None and not ref.outlet and not ref.members and ref.speaker in a.persons:
                    a.add_salience(a.pos(t), ref)
                    head_lemma = self.cue_lemma(t.head)[0]
                    if head_lemma is None or head_lemma in self.lex.belief_lemmas:
                        # the subject of a plain clause: inside its own sentence it may be
                        # reported content ("Ridley wants X, he said"), not the speaker
                        a.plain_subjects.add(a.pos(t))


def run_rules(art: _Article, families: tuple[type[_Rules], ...] = FAMILIES) -> list[_Stmt]:
    """Run some rule families (default: all) over one article; returns its statements.

    Used by tests to exercise one family alone.
    """
    return _Extractor(art, families).run()
