"""The discourse model of one article: speakers, mentions and their resolution.

One job: keep what is known while reading an article (tokens and sentences
mapped to original offsets, quotes, persons met so far, learned abbreviations,
pronoun salience) and resolve a subject token to a speaker reference through
names, surnames, titles, gender-aware pronouns, role nouns, group references,
anonymous descriptions and outlets. The rules that find statements live in
``_rules``.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ._lexicon import _Lexicon
from ._quotes import _Quote, quote_marks, scan_quotes

_TRAIL = " \t\r\n,.;:\u00a0"


# --- article model ----------------------------------------------------------
@dataclass
class _Ref:
    speaker: str | None          # None: a speaker the article does not name ("they said")
    mention: str | None
    mstart: int | None
    mend: int | None
    resolution: str
    group: str | None = None
    role: str | None = None
    country: str | None = None
    outlet: bool = False
    members: list = field(default_factory=list)   # list of _Ref for group references


@dataclass
class _Stmt:
    spans: list
    ref: _Ref
    kind: str
    cue: str | None
    via: str | None
    sent: int
    conf: float
    tail: bool = False      # attribution after the content ("..., X said")
    cue_sent: int = -1      # sentence of the cue word


@dataclass
class _Person:
    name: str
    role: str | None = None
    gender: str | None = None
    group: str | None = None
    country: str | None = None
    outlet: bool = False
    descs: list = field(default_factory=list)   # every title/appositive seen


class _Article:
    """Everything known while reading one article."""

    def __init__(self, article: str, text: str, docs: list, registry, lex: _Lexicon, *,
                 quotes: list | None = None):
        self.article = article
        self.text = text
        self.registry = registry
        self.lex = lex
        self.tokens: list = []
        self.tstart: list[int] = []
        self.offset: dict[int, int] = {}
        self.sents: list = []        # (start, end, span, offset, para_id)
        self.sent_starts: list[int] = []
        self.org_ents: list[tuple[int, int, str]] = []   # (start, end, text) of ORG entities
        self._ents: dict[int, tuple] = {}   # id(doc) -> doc.ents (each Doc.ents call walks the whole doc)
        # paragraph of a chunk from its offset: chunks are lines (or parts of long lines), and
        # paragraphs with no possible statement may not have been parsed at all
        newlines = [m.start() for m in re.finditer("\n", text)]
        for off, doc in docs:
            for t in doc:
                self.tokens.append(t)
                self.tstart.append(off + t.idx)
            for s in doc.sents:
                if not s.text.strip():
                    continue
                para_id = bisect.bisect_left(newlines, off + s.start_char)
                self.sents.append((off + s.start_char, off + s.end_char, s, off, para_id))
                self.sent_starts.append(off + s.start_char)
            self.offset[id(doc)] = off
            self._ents[id(doc)] = ents = tuple(doc.ents)
            for e in ents:
                if e.label_ == "ORG":
                    self.org_ents.append((off + e.start_char, off + e.end_char, e.text))
        self.name_words, self.lower_words = self._learn_name_words(docs)
        # "Mr. Trump", "Mrs. Clinton" anywhere in the article tell a surname's gender
        self.surname_gender: dict[str, str] = {}
        for m in re.finditer(r"\b(Mr|Mrs|Ms|Miss)\.?\s+(?:[A-Z]\.\s+)?([A-Z][\w'\u2019-]+)", text):
            self.surname_gender.setdefault(m.group(2).lower(), "male" if m.group(1) == "Mr" else "female")
        self._sent_tokens: dict[int, list] = {}
        self.quotes = scan_quotes(text) if quotes is None else quotes
        self.qstarts = [q.open for q in self.quotes]
        self.marks = quote_marks(text, self.quotes)   # positions of quote-mark characters
        self.persons: dict[str, _Person] = {}
        self.token_index: dict[str, str] = {}   # name word -> canonical person
        self.aliases: dict[str, str] = {}       # learned abbreviations "FT" -> "Financial Times"
        self.salience: list = []                # (pos, canonical)
        self.anon_names: dict[str, str] = {}    # first spelling of each anonymous description
        self.stmts: list[_Stmt] = []
        self.stmt_keys: set = set()
        self.used_cues: set[int] = set()
        self.plain_subjects: set[int] = set()   # positions of subjects of non-speech clauses
        self._learn_abbreviations()

    @staticmethod
    def _learn_name_words(docs) -> tuple[frozenset, frozenset]:
        """Words the article uses as person names, read from the whole article.

        The small parser tags a name that opens a sentence ("Trump said ...") as a common
        noun and often gives a surname the wrong entity type ("Sanders" as ORG); what the
        article does elsewhere settles it: a word inside a PERSON entity, or a word written
        with a capital inside sentences but never in lower case, is a name.
        """
        person: set[str] = set()
        capital: set[str] = set()
        lower: set[str] = set()
        for _, doc in docs:
            for e in doc.ents:
                if e.label_ == "PERSON":
                    person.update(t.lower_ for t in e if t.text[:1].isupper() and t.is_alpha)
            starts = {s.start for s in doc.sents}
            prev_punct = True
            for t in doc:   # one pass, no lookups of neighbours (each makes a Token)
                alpha = t.is_alpha
                if alpha:
                    if t.text[:1].isupper():
                        if not prev_punct and t.i not in starts and t.tag_ in ("NNP", "NNPS"):
                            capital.add(t.lower_)
                    else:
                        lower.add(t.lower_)
                prev_punct = t.is_punct
        return frozenset(person | (capital - lower)), frozenset(lower)

    def is_name_word(self, tok) -> bool:
        """A capitalised token the article uses as a person's name (see ``_learn_name_words``).

        A capitalised singular noun that opens its sentence with no determiner ("Trump
        blamed ...") and that the article never writes in lower case counts as well.
        """
        if not tok.text[:1].isupper() or tok.text.isupper() or not tok.is_alpha:
            return False
        low = tok.lower_
        if low in self.lex.person_nouns or _singular(low) in self.lex.person_nouns or low in self.lex.titles:
            return False
        if low in self.name_words:
            return True
        return tok.tag_ in ("NN", "NNP") and not tok.ent_type_ and low not in self.lower_words \
            and (tok.is_sent_start or tok.i > 0 and tok.doc[tok.i - 1].text in _OPENERS) \
            and not any(c.dep_ in ("det", "poss", "nummod", "amod") for c in tok.children)

    # positions
    def pos(self, tok) -> int:
        return self.offset[id(tok.doc)] + tok.idx

    def end(self, tok) -> int:
        return self.pos(tok) + len(tok.text)

    def sent_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, pos) - 1)

    def quote_at(self, pos: int) -> _Quote | None:
        i = bisect.bisect_right(self.qstarts, pos) - 1
        if i >= 0 and self.quotes[i].open <= pos < self.quotes[i].end:
            return self.quotes[i]
        return None

    def sent_tokens(self, si: int) -> list:
        """The tokens of sentence ``si``, made once (every rule family walks every sentence)."""
        toks = self._sent_tokens.get(si)
        if toks is None:
            toks = self._sent_tokens[si] = list(self.sents[si][2])
        return toks

    def is_mark(self, pos: int) -> bool:
        """Whether the character at ``pos`` is (part of) a quote mark."""
        i = bisect.bisect_left(self.marks, pos)
        return i < len(self.marks) and self.marks[i] == pos

    def has_mark(self, s: int, e: int) -> bool:
        """Whether ``text[s:e]`` holds a quote mark."""
        i = bisect.bisect_left(self.marks, s)
        return i < len(self.marks) and self.marks[i] < e

    def in_quote_content(self, pos: int) -> bool:
        q = self.quote_at(pos)
        return q is not None and q.cs <= pos < q.ce

    def _learn_abbreviations(self) -> None:
        from .registry import normalize_name

        # "Financial Times (FT)", "Immigration, Refugees and Citizenship Canada (IRCC)": capitalised
        # words, possibly joined by commas and lower-case connectors, then the bracketed acronym
        self.abbr_spans: list[tuple[int, int, str]] = []   # (start, end, long form) of definitions
        for m in re.finditer(r"((?:[A-Z][\w&'.-]*(?:,?\s+(?:(?:and|of|for|the|on|de|&)\s+)*)){1,8})"
                             r"\(([A-Z]{2,6})\)", self.text):
            abbr = m.group(2)
            caps = list(re.finditer(r"[A-Z][\w&'.-]*", m.group(1)))
            initials = "".join(c.group(0)[0] for c in caps)
            start = m.start(1)
            if len(caps) > len(abbr) and initials.endswith(abbr):
                start = m.start(1) + caps[-len(abbr)].start()
            long = self.text[start:m.end(1)].strip(_TRAIL)
            self.aliases[normalize_name(abbr)] = long
            if initials.endswith(abbr) and len(abbr) >= 3:
                self.abbr_spans.append((start, start + len(long), long))

    def acronym_org(self, tok) -> _Ref | None:
        """An organisation defined with an acronym: the long form itself or the acronym later."""
        from .registry import normalize_name

        p = self.pos(tok)
        long = next((lf for s, e, lf in self.abbr_spans if s <= p < e), None)
        if long is not None:
            s, e = next((s, e) for s, e, lf in self.abbr_spans if s <= p < e)
            ms, me = s, e
        elif tok.pos_ in ("PROPN", "NOUN", "X") and tok.text.isupper() and normalize_name(tok.text) in self.aliases:
            long = self.aliases[normalize_name(tok.text)]
            if not any(lf == long for _, _, lf in self.abbr_spans):
                return None
            ms, me = p, self.end(tok)
        else:
            return None
        if self.outlet_name(long) is not None:
            return None
        sp = self.registry.lookup(long)
        name = sp.name if sp is not None else long
        return _Ref(name, self.text[ms:me], ms, me, "name",
                    group=(sp.group if sp is not None and sp.group else "unregistered"))

    # --- outlets ----------------------------------------------------------
    def outlet_name(self, phrase: str) -> str | None:
        from .registry import normalize_name

        key = normalize_name(phrase)
        if not key:
            return None
        if key in self.aliases:
            key = normalize_name(self.aliases[key])
        sp = self.registry.lookup(key)
        if sp is not None and sp.is_outlet:
            return sp.name
        return self.lex.outlets.get(key)

    def outlet_ref(self, name: str, mention: str | None, ms: int | None, me: int | None) -> _Ref:
        sp = self.registry.lookup(name)
        return _Ref(name, mention, ms, me, "outlet", group="media",
                    role=sp.role if sp is not None else None,
                    country=sp.country if sp is not None else None, outlet=True)

    # --- persons ----------------------------------------------------------
    def person_ref(self, name: str, mention: str, ms: int, me: int, *, role: str | None,
                   gender: str | None, resolution: str = "name") -> _Ref:
        from .registry import normalize_name

        words = name.split()
        titles = self.lex.titles
        lead = []
        while len(words) > 1 and _is_title_word(words[0], self.lex):
            gender = gender or titles.get(words[0].lower())
            if words[0].lower() not in titles:
                lead.append(words[0])
            words = words[1:]
        if lead and not role:
            # "Spokesperson Tang Wenjie": the capitalised role goes to `role`, not the name
            role = " ".join(_ABBREV_TITLES.get(w.lower(), w) for w in lead)
        name = " ".join(words)
        canonical = None
        sp = self.registry.lookup(name)
        if sp is not None:
            canonical = sp.name
        elif len(words) == 1:
            key = normalize_name(words[0])
            if key in self.token_index:
                canonical = self.token_index[key]
            else:
                cands = self.registry.lookup_token(words[0])
                if len(cands) == 1:
                    sp = cands[0]
                    canonical = sp.name
        else:
            # "Mark Carney" seen earlier as "Carney"? keep the fullest name
            canonical = name
        if canonical is None:
            canonical = name
        if sp is None:
            sp = self.registry.lookup(canonical)
        person = self.persons.get(canonical)
        if person is None:
            person = _Person(canonical)
            if sp is not None:
                person.role, person.group, person.country = sp.role, sp.group, sp.country
                person.gender = _norm_gender(sp.gender)
            if person.gender is None:
                # the article's honorifics first ("Mrs. Clinton"), then a common first name
                parts = canonical.split()
                person.gender = self.surname_gender.get(parts[-1].lower()) or (
                    self.lex.first_names.get(parts[0].lower()) if len(parts) > 1 else None)
            self.persons[canonical] = person
        if role:
            first, _, more = role.partition(" ")
            if first.lower() in _ABBREV_TITLES:
                role = (_ABBREV_TITLES[first.lower()] + " " + more).strip()
        if role and not person.role:
            person.role = role
        if role:
            person.descs.append(role)
        if gender and not person.gender:
            person.gender = gender
        for w in canonical.split():
            if w[:1].isupper() and w.lower() not in titles:
                self.token_index[normalize_name(w)] = canonical
        return _Ref(canonical, mention, ms, me, resolution, group=person.group or "unregistered",
                    role=person.role, country=person.country)

    def ref_for(self, canonical: str, mention, ms, me, resolution) -> _Ref:
        p = self.persons.get(canonical)
        if p is None:
            return _Ref(canonical, mention, ms, me, resolution, group="unregistered")
        if p.outlet:
            return _Ref(canonical, mention, ms, me, resolution, group="media", role=p.role,
                        country=p.country, outlet=True)
        return _Ref(canonical, mention, ms, me, resolution, group=p.group or "unregistered",
                    role=p.role, country=p.country)

    def add_salience(self, pos: int, ref: _Ref) -> None:
        if ref.members or ref.speaker is None:
            return
        self.salience.append((pos, ref.speaker))

    # --- speaker resolution -------------------------------------------------
    def resolve(self, tok) -> _Ref | None:
        """Resolve a subject (or ``according to`` object) token to a speaker.

        Coordinated subjects ("Smith and Eby said") give a group of their conjuncts;
        relative pronouns ("a report, which said") resolve through their head noun; a
        role noun with a named appositive ("Canada's ambassador, Kirsten Hillier,")
        resolves to the name.
        """
        if tok.lower_ in ("which", "who", "that") and tok.head.dep_ == "relcl":
            tok = tok.head.head
        org = self.acronym_org(tok)
        if org is not None:
            return org
        conjs = [c for c in tok.children if c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN")]
        if conjs:
            # "The Globe and Mail", "Procter and Gamble": an "and" inside one entity or one
            # listed outlet name is part of the name, not a coordination of two speakers
            ent = next((e for e in self.ents(tok.doc) if e.start <= tok.i < e.end
                        and e.label_ in ("ORG", "WORK_OF_ART", "FAC", "PRODUCT")), None)
            conjs = [c for c in conjs if not (ent is not None and ent.start <= c.i < ent.end
                                              and c.lower_ not in self.token_index
                                              and tok.lower_ not in self.token_index)
                     and c.lower_ != tok.lower_
                     and self.outlet_name(self.text[self.pos(tok.left_edge):self.end(c)]) is None]
        if conjs:
            refs = [self._resolve_one(x) for x in [tok] + conjs]
            refs = [r for r in refs if r is not None and not r.members]
            if len(refs) > 1:
                ms = min(r.mstart for r in refs if r.mstart is not None)
                me = max(r.mend for r in refs if r.mend is not None)
                ref = _Ref(" and ".join(r.speaker for r in refs), self.text[ms:me], ms, me, "group")
                ref.members = refs
                return ref
        appos = [c for c in tok.rights if c.dep_ == "appos"]
        # "The premier of New Brunswick, Alan MacPhee," parses the name as appositive of the pobj
        for c in tok.rights:
            if c.dep_ == "prep":
                appos += [x for g in c.children if g.dep_ == "pobj" for x in g.rights
                          if x.dep_ == "appos" and x.ent_type_ == "PERSON"]
        for c in appos:
            if tok.pos_ == "NOUN" and (c.ent_type_ == "PERSON" or c.pos_ == "PROPN" and (
                    c.ent_type_ == "ORG" or c.lower_ in self.token_index)):
                ref = self._resolve_one(c)
                if ref is not None:
                    desc = self.text[self.pos(tok.left_edge):self.end(tok)]
                    p = self.persons.get(ref.speaker)
                    if p is not None:
                        p.descs.append(desc)
                        if not p.role:
                            p.role = ref.role = desc
                    return ref
        return self._resolve_one(tok)

    def resolve_span(self, start: int, end: int) -> _Ref | None:
        """Resolve the speaker mentioned at ``text[start:end]`` (a Source span found by any means).

        The span's syntactic head (the token whose head lies outside the span) is resolved
        like the subject of a cue (:meth:`resolve_speaker`): names, pronouns through the
        article's salience before ``start``, role nouns, groups, outlets, campaigns.
        """
        i = bisect.bisect_left(self.tstart, start)
        toks = []
        while i < len(self.tokens) and self.tstart[i] < end:
            tok = self.tokens[i]
            if not tok.is_space and not tok.is_punct:
                toks.append(tok)
            i += 1
        if not toks:
            return None
        inside = {(id(t.doc), t.i) for t in toks}
        heads = [t for t in toks if (id(t.head.doc), t.head.i) not in inside or t.head.i == t.i]
        # a possessive Source ("Trump's") or an appositive one: the first head is the name
        return self.resolve_speaker(heads[0] if heads else toks[-1])

    def resolve_speaker(self, tok) -> _Ref | None:
        """Resolve the subject of a cue; a subject that denotes people but names no one stays a speaker.

        "They said ...", "The candidate said ..." (no candidate met yet), "Many Republicans
        believe ...", "Some said ...": the statement is real even when the article model
        cannot tell who; it gets ``speaker=pd.NA``, the mention as written and
        ``resolution="unresolved"`` (filter on ``speaker.notna()`` to drop them). Anything
        else that does not resolve ("it", "the deal") is no speaker.
        """
        ref = self.resolve(tok)
        if ref is not None:
            return ref
        low = tok.lower_
        if tok.pos_ == "PRON":
            ok = low in ("he", "she", "they")
        elif low in _PEOPLE_QUANTIFIERS:
            ok = True
        else:
            ok = tok.pos_ in ("NOUN", "PROPN") and (_singular(low) in self.lex.person_nouns
                                                    or tok.ent_type_ in ("NORP", "ORG"))
            if not ok and tok.pos_ == "NOUN" and _singular(low).split("-")[-1] in _SHARE_NOUNS:
                # "two-thirds of the voters", "a third of Republicans": a share of people
                # (a percentage is a poll's finding, not anyone's statement)
                ok = any(c.dep_ == "prep" and c.lower_ == "of" and any(
                    g.dep_ == "pobj" and (_singular(g.lower_) in self.lex.person_nouns or g.ent_type_ == "NORP")
                    for g in c.children) for c in tok.children)
            if not ok and tok.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in tok.children):
                # "the agency said", "the campaign said": an organisation the article does not name here
                ok = _singular(low) in _ORG_REF_NOUNS or low in _ORG_HEADS or low in _CAMPAIGN_NOUNS
        if not ok:
            return None
        ms = self.pos(tok.left_edge) if tok.pos_ != "PRON" else self.pos(tok)
        me = self.end(tok)
        return _Ref(None, self.text[ms:me], ms, me, "unresolved", group="unregistered")

    def ents(self, doc) -> tuple:
        """``doc.ents``, computed once per parsed chunk."""
        ents = self._ents.get(id(doc))
        if ents is None:
            ents = self._ents[id(doc)] = tuple(doc.ents)
        return ents

    def _resolve_one(self, tok) -> _Ref | None:
        lex = self.lex
        low = tok.lower_
        if low in lex.pronouns and tok.pos_ == "PRON":
            return self.resolve_pronoun(tok)
        if tok.pos_ == "PRON" or tok.pos_ in ("DET", "NUM", "ADV", "ADJ") and tok.dep_ != "amod":
            return None
        # noun phrase of the mention: left modifiers and the head
        left = [c for c in tok.lefts if c.dep_ in ("compound", "amod", "det", "nmod", "poss", "nummod",
                                                    "quantmod", "predet", "punct", "case")]
        start_tok = min([tok] + [c.left_edge for c in left], key=lambda t: t.i)
        right_flat = [c for c in tok.rights if c.dep_ in ("flat", "compound")]
        end_tok = max([tok] + [c.right_edge for c in right_flat], key=lambda t: t.i)
        span = tok.doc[start_tok.i:end_tok.i + 1]
        # a dateline ("EDMONTON — Saskatchewan Premier ...") is not part of the mention
        dash = [t.i for t in span if t.text in ("\u2014", "\u2013", "--") and t.i < tok.i]
        if dash:
            span = tok.doc[dash[-1] + 1:end_tok.i + 1]
        # an organisation keeps its full entity name ("Canola Council of Canada")
        if tok.ent_type_ in ("ORG", "NORP", "GPE") and tok.pos_ == "PROPN":
            for e in self.ents(tok.doc):
                if e.start <= tok.i < e.end and e.end > span.end:
                    span = tok.doc[span.start:e.end]
                    break
        if tok.pos_ == "PROPN" and tok.lower_ in ("embassy", "consulate", "mission", "delegation", "commission"):
            # "the Chinese Embassy in Washington": the location is part of the organisation's name
            for c in tok.rights:
                if c.dep_ == "prep" and c.lower_ in ("in", "to") and any(
                        g.dep_ == "pobj" and g.ent_type_ == "GPE" for g in c.children):
                    span = tok.doc[span.start:max(span.end, c.right_edge.i + 1)]
                    break
        elif tok.pos_ == "NOUN":
            # "a spokesperson for the Ministry of Commerce": keep the prepositional description
            for c in tok.rights:
                if c.dep_ == "prep" and c.lower_ in ("for", "at", "with", "from", "of") and \
                        _singular(tok.lower_) in self.lex.person_nouns and \
                        any(g.ent_type_ in ("ORG", "GPE", "NORP") or g.pos_ in ("NOUN", "PROPN")
                            for g in c.children):
                    span = tok.doc[span.start:c.right_edge.i + 1]
                    break
        ms, me = self.pos(span[0]), self.pos(span[-1]) + len(span[-1].text)
        mention = self.text[ms:me]
        # outlet: the phrase or a modifier inside it names an outlet ("a Financial Times report")
        out = self.outlet_name(mention)
        person_head = tok.ent_type_ == "PERSON" or self.is_name_word(tok)
        if out is None and not person_head:
            # "a Financial Times report": an outlet in a modifier speaks; "The Tribune
            # columnist Jane Roe" is the columnist
            for ent in (e for e in self.ents(span.doc) if span.start <= e.start and e.end <= span.end):
                if ent.label_ in ("ORG", "PERSON", "GPE", "WORK_OF_ART"):
                    out = self.outlet_name(ent.text)
                    if out:
                        break
            if out is None and tok.lower_ in ("report", "reports", "article", "editorial", "story") :
                for c in tok.children:
                    if c.dep_ == "prep" and c.lower_ in ("by", "from", "in"):
                        for g in c.children:
                            out = out or self.outlet_name(self.text[self.pos(g.left_edge):self.end(g)])
        if out is not None:
            return self.outlet_ref(out, mention, ms, me)
        # a person entity
        ent = None
        for e in self.ents(tok.doc):
            if e.start <= tok.i < e.end and e.label_ == "PERSON":
                ent = e
                break
        known_word = tok.pos_ == "PROPN" and tok.lower_ in self.token_index
        if ent is None and not known_word and tok.pos_ == "PROPN" and not tok.ent_type_ \
                and tok.doc[tok.i - 1].pos_ == "PROPN" and tok.doc[tok.i - 1].dep_ == "compound" \
                and tok.text[:1].isupper() and not tok.text.isupper():
            # "Mayor Ana Ruiz" missed by NER: a multi-word proper name with no entity type
            known_word = unseen_name = True
        else:
            unseen_name = False
        if ent is None and not known_word and tok.pos_ in ("PROPN", "NOUN") and self.is_name_word(tok) \
                and tok.ent_type_ in ("", "ORG") and not any(e.start <= tok.i < e.end and len(e) > 1
                                                              for e in self.ents(tok.doc)) \
                and not any(c.dep_ == "compound" and (c.ent_type_ not in ("", "PERSON") or c.lower_ not in self.name_words)
                            for c in tok.lefts):
            # "Trump said" tagged as a common noun, "Sanders" typed ORG: the article knows it as a name
            known_word = True
        if ent is not None or known_word or (tok.pos_ == "PROPN" and self.registry.lookup(tok.text)):
            if ent is not None:
                es = max(ent.start, span.start)
                name_span = tok.doc[es:max(ent.end, tok.i + 1)]
                while len(name_span) and name_span[0].lower_ in ("the", "a", "an"):
                    name_span = name_span[1:]
                # "Anders Holm" with only "Holm" tagged: take the given name in front as well
                k = name_span.start - 1
                while k >= span.start and tok.doc[k].pos_ == "PROPN" and tok.doc[k].dep_ in ("compound", "flat") \
                        and tok.doc[k].text[:1].isupper() and not tok.doc[k].ent_type_ \
                        and not _is_title_word(tok.doc[k].text, lex):
                    k -= 1
                name_span = tok.doc[k + 1:name_span.end]
            else:
                name_span = tok.doc[tok.i:tok.i + 1]
                k = tok.i - 1
                while k >= span.start and tok.doc[k].pos_ == "PROPN" and tok.doc[k].dep_ in ("compound", "flat") \
                        and (tok.doc[k].lower_ in self.token_index
                             or unseen_name and tok.doc[k].lower_ not in lex.person_nouns
                             and tok.doc[k].lower_ not in lex.titles):
                    k -= 1
                name_span = tok.doc[k + 1:tok.i + 1]
            name = name_span.text.replace("'s", "").strip()
            role = None
            pre = tok.doc[span.start:name_span.start]
            pre_words = [t.text for t in pre if t.dep_ != "det" and t.text not in ("'s",)]
            if pre_words:
                role = self.text[self.pos(pre[0]):self.end(pre[-1])]
                role = re.sub(r"^(?:the|a|an)\s+", "", role, flags=re.I)
            gender = None
            if pre_words and pre_words[0].lower() in self.lex.titles:
                gender = self.lex.titles[pre_words[0].lower()]
                if len(pre_words) == 1:
                    role = None
            for c in tok.rights:
                if c.dep_ == "appos" and c.pos_ in ("NOUN", "PROPN"):
                    role = role or self.text[self.pos(c.left_edge):self.end(c.right_edge)].strip(_TRAIL)
                elif c.dep_ == "relcl" and c.left_edge.lower_ in ("who", "whom"):
                    role = role or self.text[self.pos(c.left_edge):self.end(c.right_edge)].strip(_TRAIL)
            if not name:
                return None
            return self.person_ref(name, mention, ms, me, role=role, gender=gender)
        head = tok.lower_
        sing = _singular(head)
        plural = tok.tag_ in ("NNS", "NNPS") and sing != head
        dets = [c.lower_ for c in tok.lefts if c.dep_ in ("det", "predet", "nummod")]
        bare = re.sub(r"^(?:the|a|an|both|all|two|three|several|some|many|other)\s+", "", mention,
                      flags=re.I).strip()
        bare = re.sub(r"^(?:the|a|an|both|two)\s+", "", bare, flags=re.I)
        # "Quebec's premier" is "the Quebec premier"
        bare = re.sub(r"^([A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*)['\u2019]s?\s+(?=[a-z])", r"\1 ", bare)
        if not bare:
            return None
        sp = self.registry.lookup(bare)
        if sp is not None and not plural:
            return self.person_ref(sp.name, mention, ms, me, role=None, gender=None,
                                   resolution="anonymous" if sp.name.lower() == bare.lower() and
                                   " " in bare and tok.pos_ == "NOUN" else "name")
        is_person_noun = sing in lex.person_nouns or tok.ent_type_ == "NORP"
        if plural and is_person_noun:
            g = self.registry.match_group(mention) or self.registry.match_group(bare)
            members: list[str] = []
            if g is not None:
                members = [n for n, p in self.persons.items() if p.group == g and self._spoke(n)]
            if not members and ("both" in dets or "two" in dets or "the" in dets):
                members = [n for n, p in self.persons.items()
                           if self._spoke(n) and not p.outlet and p.role and sing in p.role.lower()]
                if g is None and not members:
                    members = [n for n, p in self.persons.items()
                               if self._spoke(n) and not p.outlet and p.group and sing in p.group.lower()]
            if not members and ("both" in dets or "two" in dets):
                # "Both scholars": the two most recent person speakers of the article
                recent: list[str] = []
                for st in reversed(self.stmts):
                    for r in (st.ref.members or [st.ref]):
                        p = self.persons.get(r.speaker)
                        if p is not None and not p.outlet and r.speaker not in recent:
                            recent.append(r.speaker)
                if len(recent) >= 2:
                    members = recent[:2]
            if members:
                ref = _Ref(g or bare, mention, ms, me, "group", group=g)
                ref.members = [self.ref_for(n, mention, ms, me, "group") for n in members]
                return ref
            if "the" in dets or "both" in dets:
                return None
            bare = self.anon_names.setdefault(bare.lower(), bare)
            # a lead "Chinese experts said ..." before the experts are named: the group's members
            # who speak later in the article take it over (see _Extractor.resolve_pending_groups)
            return _Ref(bare, mention, ms, me, "anonymous", group=g or "unregistered",
                        role="pending-group" if g is not None else None)
        if sing in _CAMPAIGN_NOUNS and not plural:
            # "the Clinton campaign", "Trump's campaign", "her campaign": an organisation speaking for a person
            ref = self.campaign_ref(tok, sing, mention, ms, me)
            if ref is not None:
                return ref
        if not is_person_noun and tok.pos_ == "NOUN" and sing in _ORG_REF_NOUNS and not plural \
                and any(d in ("the", "this") for d in dets):
            # "The group urged ...": the organisation of that kind mentioned most recently
            ref = self.resolve_org_noun(sing, ms, mention, me)
            if ref is not None:
                return ref
        if not is_person_noun:
            if tok.pos_ == "PROPN" and tok.lower_ in _ORG_HEADS and len(span) >= 2 and all(
                    x.pos_ == "PROPN" or x.dep_ in ("case", "det")
                    or x.dep_ == "amod" and x.text[:1].isupper() for x in span):
                # "the Canadian Vehicle Manufacturers' Association" missed by NER
                name = re.sub(r"^the\s+", "", mention, flags=re.I)
                return _Ref(name, mention, ms, me, "name", group="unregistered")
            if tok.ent_type_ == "ORG" and (tok.pos_ == "PROPN" or tok.text[:1].isupper() and tok.lower_ not in self.lower_words):
                name = re.sub(r"^the\s+", "", mention, flags=re.I)
                return _Ref(name, mention, ms, me, "name", group="unregistered")
            return None
        definite = any(d in ("the", "this", "that") for d in dets) or (not dets and tok.pos_ == "NOUN")
        if definite:
            ref = self.resolve_role(bare, sing, ms, mention, me)
            if ref is not None:
                return ref
            if any(d in ("the", "this", "that") for d in dets):
                return None
        # anonymous described speaker ("a White House official")
        bare = self.anon_names.setdefault(bare.lower(), bare)
        group = "unregistered"
        hits = self.registry.match_role(bare)
        if hits and len({h.group for h in hits}) == 1:
            group = hits[0].group or group
        return _Ref(bare, mention, ms, me, "anonymous", group=group)

    def campaign_ref(self, tok, noun: str, mention, ms, me) -> _Ref | None:
        """The campaign (team, administration, camp) of the person or name that modifies ``tok``."""
        owner = next((c for c in tok.lefts if c.dep_ == "poss"), None)
        if owner is None:
            owner = next((c for c in reversed(list(tok.lefts)) if c.dep_ == "compound"
                          and (c.ent_type_ == "PERSON" or c.pos_ == "PROPN" or self.is_name_word(c))), None)
        if owner is None:
            return None
        if owner.pos_ == "PRON":
            if owner.lower_ not in ("his", "her"):
                return None
            person = self.resolve_pronoun(owner)
        else:
            person = self._resolve_one(owner) if owner.text[:1].isupper() else None
        if person is None or person.members:
            return None
        name = f"{person.speaker} {noun}"
        return _Ref(name, mention, ms, me, "name" if person.resolution == "name" else person.resolution,
                    group=person.group, role=noun, country=person.country, outlet=person.outlet)

    def _spoke(self, name: str) -> bool:
        return any(s.ref.speaker == name or any(m.speaker == name for m in s.ref.members) for s in self.stmts)

    def resolve_role(self, bare: str, sing: str, pos: int, mention, me) -> _Ref | None:
        # the article first: "The senator said" is the senator met most recently in this article
        for _, name in sorted(self.salience, reverse=True):
            p = self.persons.get(name)
            if p is None and re.search(rf"\b{re.escape(sing)}\b", name.lower()):
                # "a spokesperson for the ministry said ... the spokesperson said": the anonymous
                # speaker met most recently in the article, before any registered role holder
                prev = next((s.ref for s in reversed(self.stmts) if s.ref.speaker == name), None)
                if prev is not None and prev.resolution == "anonymous":
                    return _Ref(name, mention, pos, me, "role", group=prev.group, role=prev.role,
                                country=prev.country)
            if p is None or p.outlet or not p.descs:
                continue
            desc = " ".join(p.descs).lower()
            if re.search(rf"\b{re.escape(sing)}\b", desc) or re.search(rf"\b{re.escape(bare.lower())}\b", desc):
                return self.ref_for(name, mention, pos, me, "role")
        hits = self.registry.match_role(bare)
        if hits:
            seen = [h for h in hits if h.name in self.persons]
            pick = seen or hits
            if len(pick) == 1 or seen:
                best = max(pick, key=lambda h: self._last_pos(h.name))
                self.person_ref(best.name, mention, pos, me, role=None, gender=None)
                return self.ref_for(best.name, mention, pos, me, "role")
        # article context: most recent salient person whose role/group fits the noun
        for _, name in sorted(self.salience, reverse=True):
            p = self.persons.get(name)
            if p is None:
                # an anonymous speaker: "a senior official ... The official added"
                if re.search(rf"\b{re.escape(sing)}\b", name.lower()):
                    prev = next((s.ref for s in reversed(self.stmts) if s.ref.speaker == name), None)
                    if prev is not None and prev.resolution == "anonymous":
                        return _Ref(name, mention, pos, me, "role", group=prev.group, role=prev.role,
                                    country=prev.country)
                continue
            if p.outlet:
                continue
            desc = " ".join(x for x in (p.role, p.group, *p.descs) if x).lower()
            if re.search(rf"\b{re.escape(sing)}", desc) or (bare.lower() in desc):
                return self.ref_for(name, mention, pos, me, "role")
        return None

    def resolve_org_noun(self, sing: str, pos: int, mention, me) -> _Ref | None:
        from .registry import normalize_name

        words = _ORG_REF_NOUNS[sing]
        cands: list[tuple[int, str, bool]] = []    # (position, name, is a speaker already)
        for s, _, txt in self.org_ents:
            if s < pos:
                cands.append((s, re.sub(r"^the\s+", "", txt, flags=re.I).strip(_TRAIL), False))
        for s, e, long in self.abbr_spans:
            if s < pos:
                cands.append((s, long, False))
        for p, name in self.salience:
            known_org = any(w in _ORG_HEADS or w in _ORG_REF_NOUNS for w in re.findall(r"[a-z]+", name.lower())) \
                or any(name == re.sub(r"^the\s+", "", txt, flags=re.I) for _, _, txt in self.org_ents)
            if p < pos and (name not in self.persons or known_org and not self.persons[name].gender) and not any(
                    st.ref.speaker == name and st.ref.resolution == "anonymous" for st in self.stmts):
                cands.append((p, name, True))
        for _, name, spoke in sorted(cands, reverse=True):
            key = normalize_name(name)
            if not key or self.outlet_name(name) is not None:
                continue
            if key in self.aliases:
                name = self.aliases[key]
            low = name.lower()
            if words and not any(re.search(rf"\b{w}", low) for w in words):
                continue
            if not spoke and (not name[:1].isupper() or len(name) < 3):
                continue
            sp = self.registry.lookup(name)
            if sp is not None and sp.is_outlet:
                continue
            if sp is not None:
                return self.person_ref(sp.name, mention, pos, me, role=None, gender=None, resolution="role") \
                    if not spoke else self.ref_for(sp.name, mention, pos, me, "role")
            grp = next((st.ref.group for st in reversed(self.stmts) if st.ref.speaker == name), None)
            return _Ref(name, mention, pos, me, "role", group=grp or "unregistered")
        return None

    def _last_pos(self, name: str) -> int:
        return max((p for p, n in self.salience if n == name), default=-1)

    def resolve_pronoun(self, tok) -> _Ref | None:
        pos = self.pos(tok)
        want = self.lex.pronouns.get(tok.lower_)
        if want == "plural":
            for s in reversed(self.stmts):
                if s.ref.members and s.spans[0][0] < pos:
                    ref = _Ref(s.ref.speaker, tok.text, pos, pos + len(tok.text), "pronoun",
                               group=s.ref.group)
                    ref.members = [self.ref_for(m.speaker, tok.text, pos, pos + len(tok.text), "pronoun")
                                   for m in s.ref.members]
                    return ref
            return None
        here = self.sent_of(pos)
        # "Content, he said": a subject inside the content before the cue is not the antecedent
        h = tok.head
        tail_cue = h.dep_ == "parataxis" or any(c.dep_ == "ccomp" and c.i < tok.i for c in h.children)
        fits: list[tuple[int, str]] = []
        for p, name in sorted(self.salience, reverse=True):
            if p >= pos:
                continue
            if tail_cue and p in self.plain_subjects and self.sent_of(p) == here:
                continue
            person = self.persons.get(name)
            if person is None or person.outlet:
                continue
            if person.gender and want and person.gender != want:
                continue
            fits.append((p, name))
            if len(fits) >= 8:
                break
        if not fits:
            return None
        # "Mr. Ames said that Mr. Roe had lost the room. ... he estimated": a person met
        # only inside someone else's reported words is a weaker antecedent than a speaker or a
        # subject of the narration, when one of those is as close (Lappin and Leass's salience)
        pick = fits[0][1]
        if self.sent_of(fits[0][0]) != here and self._embedded(fits[0][0], fits[0][1]):
            for p, name in fits[1:]:
                if here - self.sent_of(p) > 2:
                    break
                if not self._embedded(p, name):
                    pick = name
                    break
        person = self.persons[pick]
        if person.gender is None and want:
            person.gender = want
        return self.ref_for(pick, tok.text, pos, pos + len(tok.text), "pronoun")

    def _embedded(self, p: int, name: str) -> bool:
        """Whether position ``p`` lies inside the content of a person's statement (not ``name``'s own;
        an outlet's report is narration)."""
        return any(st.ref.speaker != name and not st.ref.outlet and any(s <= p < e for s, e in st.spans)
                   for st in self.stmts)


_ORG_HEADS = frozenset("""association council institute federation union chamber ministry department
agency company corporation group bank board commission society foundation centre center university
coalition alliance authority office party committee""".split())

#: Nouns for a share of a group of people ("two-thirds of voters", "a majority of Republicans").
_SHARE_NOUNS = frozenset({"third", "half", "quarter", "fifth", "majority", "minority", "share", "portion",
                          "number", "handful", "dozen", "hundred", "thousand", "million", "bulk", "rest", "plurality"})
#: Quantifiers that stand for people as subjects of speech ("Some said", "Many believe").
_PEOPLE_QUANTIFIERS = frozenset({"some", "many", "others", "most", "several", "few", "both", "all", "those"})
#: Nouns for an organisation that speaks for one person ("the Clinton campaign", "Trump's team").
_CAMPAIGN_NOUNS = frozenset({"campaign", "camp", "team", "administration"})
#: Characters after which a capitalised word opens a sentence-like unit (quote marks, dashes, brackets).
_OPENERS = frozenset({'"', "\u201c", "\u2018", "'", "(", "\u2014", "\u2013", "-", ":"})

# "the group said": organisation nouns and the words a matching name must contain (empty: any)
_ORG_REF_NOUNS = {
    "group": (), "organization": (), "organisation": (), "association": (), "lobby": (), "body": (),
    "council": ("council",), "union": ("union",), "coalition": ("coalition", "alliance"),
    "federation": ("federation",), "alliance": ("alliance", "coalition"),
    "ministry": ("ministry", "department"), "department": ("department", "ministry"),
    "agency": ("agency", "service", "administration"), "company": (), "firm": (), "corporation": (),
    "bank": ("bank",), "regulator": ("commission", "authority", "board", "regulator"),
    "campaign": ("campaign",), "administration": ("administration",),
}

_ABBREV_TITLES = {"sen.": "Senator", "gov.": "Governor", "rep.": "Representative", "gen.": "General",
                  "sec.": "Secretary", "amb.": "Ambassador", "pres.": "President", "lt.": "Lieutenant",
                  "col.": "Colonel", "supt.": "Superintendent", "insp.": "Inspector"}


def _is_title_word(word: str, lex: _Lexicon) -> bool:
    """An honorific ("Ms."), an abbreviated title ("Sen.", "Gov.") or a role noun ("Spokesperson")."""
    low = word.lower()
    if low in lex.titles or _singular(low) in lex.person_nouns:
        return True
    return low.endswith(".") and len(low) <= 5 and low[:1].isalpha() and not low[:-1].isupper() \
        and "." not in low[:-1]


def _norm_gender(g: str | None) -> str | None:
    if not g:
        return None
    g = g.strip().lower()
    return {"m": "male", "f": "female", "man": "male", "woman": "female"}.get(g, g)


def _singular(word: str) -> str:
    w = word.lower()
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("men"):
        return w[:-3] + "man"
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w
