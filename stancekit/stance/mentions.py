"""Where a statement refers to a target, read through its article.

Statements in the news often refer to a target without naming it: "he",
"her campaign", "the Republican nominee", "the former secretary of state",
"the administration". :func:`resolve_mention` finds the first reference to a
target in a statement and says how it was found:

``name``
    The target's name or a form of it (:meth:`Target.find_mention_spans`).
``alias``
    One of the target's aliases ("US", "GOP"), or a country's demonym.
``role``
    A role noun phrase that the article attaches to the target and to no one
    else: "Republican nominee Donald Trump" or "Donald Trump, the Republican
    nominee," makes "the Republican nominee" (and "the nominee", when no one
    else is a nominee in the article) a mention; "President Obama" makes "the
    president" one. For a country, "the administration" / "the government"
    when the article speaks of the country's administration or government and
    of no other country's.
``pronoun``
    A third-person pronoun whose nearest preceding person in the article, of
    compatible gender, is the target; or a first-person pronoun in a
    statement whose speaker is the target (or its side: "Clinton campaign").
``speaker``
    The speaker is the target (or its side) and the statement does not refer
    to it otherwise: the statement is the target's own words.
``cue``
    The statement does not refer to the target but its reporting cue does
    ("accused Trump": :func:`stancekit.stance.frame.prepare_pair`).
``given``
    The caller gave the mention's offsets (``target_start``/``target_end``).
``none``
    No reference found.

Everything here is regular expressions over the article text (no parser),
computed once per article and cached, so resolution costs little next to the
model. Person names are found as runs of two to four capitalised words,
titles ("Mr.", "Sen.") plus a capitalised word, and later bare surnames of
persons already named; a person's gender comes from honorifics and from the
pronouns that follow its mentions. These are heuristics: they are measured
with the stance model on hand-labelled political statements (README, model
card), not assumed.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from .targets import _NOT_FIRST_NAMES, _ORG_WORDS, DEMONYMS, PERSON_TITLES, Target, _strip_the

#: How a mention was found, in order of preference.
MENTION_KINDS = ("name", "alias", "role", "pronoun", "speaker", "cue", "given", "none")

#: Characters looked back from a pronoun for its antecedent (about a paragraph).
ANTECEDENT_WINDOW = 700

#: Heads of role noun phrases ("the Republican nominee", "the former secretary of state").
ROLE_HEADS = frozenset(
    "nominee candidate president secretary senator governor rival opponent challenger mogul billionaire "
    "businessman businesswoman frontrunner front-runner leader chairman chairwoman chair speaker spokesman "
    "spokeswoman spokesperson adviser advisor aide director minister premier chancellor ambassador mayor "
    "congressman congresswoman lawmaker representative judge justice general commander ceo founder chief "
    "host star developer tycoon incumbent challenger veteran prosecutor attorney".split()
)
#: Multi-word heads that end with "of <Capitalised>" ("secretary of state").
_OF_HEADS = ("secretary of state", "secretary of defense", "attorney general", "chief of staff")
#: Words that end a role phrase to the left (they cannot be part of "the X Y nominee").
_ROLE_STOP = frozenset(
    "the a an and or but said says say told tells that this these those his her their its our my your "
    "with by to from in on at for of as is was are were be been has have had will would who which when "
    "while after before about against over under between said, than".split()
)
_SENT_END = re.compile(r"[.!?]\s|\n")
_WORD = re.compile(r"[A-Za-z][\w'’.-]*")
_PERSON_RUN = re.compile(
    r"(?<![\w.])((?:[A-Z][a-z][\w'’-]*|[A-Z]\.)(?:\s+(?:[A-Z][a-z][\w'’-]*|[A-Z]\.|de|van|von|del|da)){1,3})(?![\w])"
)
_TITLE_RUN = re.compile(
    r"(?<![\w])(" + "|".join(re.escape(t) for t in sorted(PERSON_TITLES, key=len, reverse=True))
    + r")\s+([A-Z][a-z][\w'’-]*)"
)
_PRONOUN = re.compile(r"(?<![\w])(he|him|his|himself|she|her|hers|herself)(?![\w])", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"(?<![\w])(I|me|my|mine|myself|we|us|our|ours|ourselves|We|Us|Our|My|Me)(?![\w])")
_MALE = {"he", "him", "his", "himself"}
# Pronouns that tell a person's gender when they follow its mention ("Obama said he"); object
# "him"/"her" are left out: they often refer to someone else in the same sentence.
_GENDER_EVIDENCE = re.compile(r"(?<![\w])(he|his|himself|she|herself)(?![\w])", re.IGNORECASE)
# Words that can open a capitalised run without being a first name ("Former Secretary of State ...").
_LEADING_NOT_NAME = frozenset(_NOT_FIRST_NAMES | ROLE_HEADS | {"state", "vice", "first", "lady", "sen", "rep",
                                                               "gov", "mr", "mrs", "ms", "dr", "gen"})
_HONORIFIC_GENDER = {"Mr.": "m", "Mr": "m", "Mrs.": "f", "Mrs": "f", "Ms.": "f", "Ms": "f"}


@dataclass
class _Person:
    key: str            # surname
    start: int
    end: int
    full: str


@dataclass
class ArticleIndex:
    """Person mentions, their genders and role phrases of one article (built once, cached)."""

    text: str
    persons: list[_Person] = field(default_factory=list)
    gender: dict[str, str] = field(default_factory=dict)      # key -> "m" | "f"
    roles: dict[str, set[str]] = field(default_factory=dict)  # role phrase (lower) -> person keys


def _is_person_run(words: list[str]) -> bool:
    if len(words) < 2 or words[0].lower() in _NOT_FIRST_NAMES:
        return False
    if any(w.lower().strip(".,") in _ORG_WORDS for w in words):
        return False
    return not any(w.isupper() and len(w) > 2 for w in words)


def _role_variants(words: list[str]) -> list[str]:
    """"Democratic presidential nominee" -> the phrase and its suffixes that keep the head."""
    words = [w.lower().strip(",.") for w in words]
    return [" ".join(words[i:]) for i in range(len(words))]


def _sentence_left(text: str, start: int, width: int) -> str:
    """Up to ``width`` characters before ``start``, cut at the last sentence end."""
    left = text[max(0, start - width):start]
    ends = list(_SENT_END.finditer(left))
    return left[ends[-1].end():] if ends else left


def _role_before(text: str, start: int) -> list[str]:
    """Role words just before a name: "former Secretary of State [Hillary Clinton]"."""
    left = _sentence_left(text, start, 80)
    left_low = left.lower().rstrip()
    for head in _OF_HEADS:
        if left_low.endswith(head):
            pre = left[: len(left.rstrip()) - len(head)]
            mods = _modifiers(pre)
            return mods + head.split()
    words = _WORD.findall(left)
    if not words or words[-1].lower().strip(".") not in ROLE_HEADS:
        return []
    if not left.rstrip().endswith(words[-1]):  # punctuation between the head and the name
        return []
    return _modifiers(left[: left.rstrip().rfind(words[-1])]) + [words[-1]]


def _modifiers(left: str) -> list[str]:
    words = _WORD.findall(left)
    mods: list[str] = []
    for w in reversed(words[-4:]):
        if w.lower() in _ROLE_STOP or w.endswith(","):
            break
        mods.insert(0, w)
    tail = left.rstrip()
    if mods and not tail.endswith(mods[-1]):
        return []
    return mods


def _role_after(text: str, end: int) -> list[str]:
    """Role of an appositive: "Hillary Clinton, the Democratic nominee, ..."."""
    m = re.match(r",\s+(?:the|a|an)\s+([^,;:.()\"“”]{3,60}?)\s*[,;.)]", text[end:end + 90])
    if not m:
        return []
    words = m.group(1).split()
    low = m.group(1).lower()
    for head in _OF_HEADS:
        if low.endswith(head):
            return words
    if words and words[-1].lower().strip(".") in ROLE_HEADS and len(words) <= 5:
        return words
    return []


@lru_cache(maxsize=1)
def _first_names() -> dict[str, str]:
    from importlib import resources

    out = {}
    for line in resources.files("stancekit").joinpath("resources/en/first_names.txt").read_text("utf-8").splitlines():
        parts = line.split()
        if len(parts) == 2 and not line.startswith("#"):
            out[parts[0]] = parts[1]
    return out


@lru_cache(maxsize=256)
def article_index(text: str) -> ArticleIndex:
    """Build (or fetch from the cache) the :class:`ArticleIndex` of one article text."""
    idx = ArticleIndex(text)
    found: list[_Person] = []
    for m in _PERSON_RUN.finditer(text):
        toks = [(w.start(), w.group()) for w in re.finditer(r"\S+", m.group(1))]
        # A run at a sentence start may begin with a function word ("The", "But"): drop it.
        while toks and (toks[0][1].lower().rstrip(".") in _LEADING_NOT_NAME or toks[0][1] in PERSON_TITLES):
            toks = toks[1:]
        words = [w for _, w in toks]
        if not _is_person_run(words):
            continue
        s = m.start(1) + toks[0][0]
        found.append(_Person(words[-1], s, m.end(1), text[s:m.end(1)]))
    spans = {(p.start, p.end) for p in found}
    for m in _TITLE_RUN.finditer(text):
        g = _HONORIFIC_GENDER.get(m.group(1))
        if g:
            idx.gender.setdefault(m.group(2), g)
        if not any(a <= m.start(2) < b for a, b in spans):
            found.append(_Person(m.group(2), m.start(2), m.end(2), m.group(2)))
    surnames = {p.key for p in found}
    if surnames:
        bare = re.compile(r"(?<![\w])(" + "|".join(re.escape(s) for s in sorted(surnames, key=len, reverse=True))
                          + r")(?![\w])")
        taken = [(p.start, p.end) for p in found]
        for m in bare.finditer(text):
            if not any(a <= m.start() < b for a, b in taken):
                found.append(_Person(m.group(1), m.start(), m.end(), m.group(1)))
    found.sort(key=lambda p: (p.start, -p.end))
    idx.persons = found
    # Gender: the first third-person pronoun after a mention, in the same sentence, before any other person.
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    starts = [p.start for p in found]
    for k, p in enumerate(found):
        nxt = starts[k + 1] if k + 1 < len(found) else len(text)
        seg = text[p.end:min(nxt, p.end + 200)]
        cut = _SENT_END.search(seg)
        seg = seg[: cut.start()] if cut else seg
        pm = _GENDER_EVIDENCE.search(seg)
        if pm:
            tally[p.key][0 if pm.group(1).lower() in _MALE else 1] += 1
    for key, (m_, f_) in tally.items():
        if key not in idx.gender and m_ != f_:
            idx.gender[key] = "m" if m_ > f_ else "f"
    names = _first_names()
    for p in found:  # no evidence in the article: a conventional first name decides
        if p.key not in idx.gender and " " in p.full:
            g = names.get(p.full.split()[0].lower())
            if g:
                idx.gender[p.key] = g
    # Roles.
    roles: dict[str, set[str]] = defaultdict(set)
    for p in found:
        for words in (_role_before(text, p.start), _role_after(text, p.end)):
            if words:
                for v in _role_variants(words):
                    if v.split()[-1] in ROLE_HEADS or any(v.endswith(h) for h in _OF_HEADS):
                        roles[v].add(p.key)
    idx.roles = dict(roles)
    return idx


def _target_keys(target: Target, idx: ArticleIndex) -> set[str]:
    if target.kind != "person":
        return set()
    keys = {target.surname} if target.surname else set()
    return {k for k in keys if k}


def _is_target_person(p: _Person, target: Target, keys: set[str]) -> bool:
    if p.key not in keys:
        return False
    return bool(target.find_mention_spans(p.full)) or p.full == p.key


def _pronoun_mention(text: str, target: Target, idx: ArticleIndex, offset: int) -> tuple[int, int] | None:
    keys = _target_keys(target, idx)
    if not keys:
        return None
    tgender = next((idx.gender[k] for k in keys if k in idx.gender), None)
    if tgender is None and target.given_name:
        tgender = _first_names().get(target.given_name.lower())
    for pm in _PRONOUN.finditer(text):
        g = "m" if pm.group(1).lower() in _MALE else "f"
        if tgender is not None and tgender != g:
            continue
        pos = offset + pm.start()
        for p in reversed(idx.persons):
            if p.end > pos:
                continue
            if pos - p.end > ANTECEDENT_WINDOW:
                break
            pg = idx.gender.get(p.key)
            if pg is not None and pg != g:
                continue
            if _is_target_person(p, target, keys):
                return pm.span()
            break
    return None


def _role_mention(text: str, target: Target, idx: ArticleIndex) -> tuple[int, int] | None:
    if target.kind == "country":
        return _country_role(text, target, idx)
    keys = _target_keys(target, idx)
    if not keys:
        return None
    mine = [r for r, ks in idx.roles.items() if ks == keys]
    if not mine:
        return None
    pat = re.compile(r"(?<![\w])(?:the|this|that)\s+(" + "|".join(re.escape(r) for r in sorted(mine, key=len, reverse=True))
                     + r")(?![\w])", re.IGNORECASE)
    m = pat.search(text)
    return m.span() if m else None


_GOV_NOUNS = ("administration", "government")


def _country_role(text: str, target: Target, idx: ArticleIndex) -> tuple[int, int] | None:
    low_art = idx.text
    names = [target.name, _strip_the(target.name), *target.aliases,
             *DEMONYMS.get(_strip_the(target.name).lower(), ())]
    own = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(n) for n in names if n) + r")\s+(" + "|".join(_GOV_NOUNS)
                     + r")(?![\w])")
    found = {m.group(1) for m in own.finditer(low_art)}
    if not found:
        return None
    others = [d for c, ds in DEMONYMS.items() if c != _strip_the(target.name).lower() for d in ds]
    rival = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(d) for d in others) + r")\s+(" + "|".join(_GOV_NOUNS)
                       + r")(?![\w])")
    ambiguous = {m.group(1) for m in rival.finditer(low_art)}
    ok = found - ambiguous
    if not ok:
        return None
    m = re.search(r"(?<![\w])the\s+(" + "|".join(sorted(ok)) + r")(?![\w])", text, re.IGNORECASE)
    return m.span() if m else None


def resolve_mention(text: str, target: Target, *, article: str | None = None, start: int | None = None,
                    speaker: str | None = None) -> tuple[tuple[int, int] | None, str]:
    """The first reference to ``target`` in ``text`` and how it was found.

    Parameters
    ----------
    text : str
        The statement.
    target : Target
        The target.
    article : str, optional
        The full article text the statement comes from; without it only
        names, aliases and the speaker are used.
    start : int, optional
        Offset of ``text`` in ``article`` (``article[start:start+len(text)] == text``
        for a statement of one span; the first span's start for a statement
        joined from several). Without it, the statement is looked up in the
        article by its text.
    speaker : str, optional
        The statement's speaker (canonical name or description).

    Returns
    -------
    tuple
        ``(span, how)``: ``span`` is ``(start, end)`` in ``text`` or None;
        ``how`` one of :data:`MENTION_KINDS`.

    Examples
    --------
    >>> art = "Republican nominee Donald Trump spoke. Clinton said the Republican nominee is unfit."
    >>> resolve_mention("the Republican nominee is unfit", Target("Donald Trump"), article=art, start=52)
    ((0, 22), 'role')
    >>> resolve_mention("I will win", Target("Donald Trump"), speaker="Donald Trump")
    ((0, 1), 'pronoun')
    """
    spans = target.find_mention_spans(text)
    if spans:
        s, e, how = spans[0]
        return (s, e), how
    own = target.matches_speaker(speaker)
    if own:
        fp = _FIRST_PERSON.search(text)
        if fp:
            return fp.span(), "pronoun"
    if article:
        if start is None or not 0 <= start <= len(article):
            pos = article.find(text) if text else -1
            start = pos if pos >= 0 else None
        if start is not None:
            idx = article_index(article)
            span = _role_mention(text, target, idx)
            if span is not None:
                return span, "role"
            if not own:
                span = _pronoun_mention(text, target, idx, start)
                if span is not None:
                    return span, "pronoun"
    if own:
        return None, "speaker"
    return None, "none"


__all__ = ["ANTECEDENT_WINDOW", "MENTION_KINDS", "ROLE_HEADS", "ArticleIndex", "article_index", "resolve_mention"]
