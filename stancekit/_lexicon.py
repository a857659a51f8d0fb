"""Word lists for extraction: load the English resources into one cached lexicon.

One job: read ``stancekit/resources/en/*.txt`` (speech, act, evaluative and belief
verbs with their inflected forms, pronouns, titles, person nouns, cue nouns, outlets) into a
frozen :class:`_Lexicon`, built once per process by :func:`_lexicon`.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

from ._utils import verb_forms


# --- lexicons ---------------------------------------------------------------
def _read_lines(name: str) -> list[list[str]]:
    text = resources.files("stancekit").joinpath("resources").joinpath("en").joinpath(name).read_text(
        encoding="utf-8")
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            rows.append(line)
    return rows


@dataclass(frozen=True)
class _Lexicon:
    cue_forms: dict
    act_forms: dict
    person_nouns: frozenset
    pronouns: dict
    titles: dict
    outlets: dict  # normalized alias -> canonical
    cue_nouns: frozenset = frozenset()
    eval_forms: dict = None      # evaluative verb form -> lemma ("accused" -> "accuse")
    belief_forms: dict = None    # belief/intention verb form -> lemma ("hoped" -> "hope")
    belief_lemmas: frozenset = frozenset()
    first_names: dict = None     # first name -> "male" / "female" (a hint for pronouns)


@functools.lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    from .registry import normalize_name

    cue, act = {}, {}
    for lemma in _read_lines("cue_verbs.txt"):
        for f in verb_forms(lemma):
            cue[f] = lemma
    for lemma in _read_lines("act_verbs.txt"):
        for f in verb_forms(lemma):
            act[f] = lemma
    pron = {}
    for row in _read_lines("pronouns.txt"):
        parts = row.split()
        pron[parts[0]] = parts[1] if len(parts) > 1 else None
    titles = {}
    for row in _read_lines("titles.txt"):
        parts = row.split()
        titles[parts[0]] = parts[1] if len(parts) > 1 else None
    outlets = {}
    for row in _read_lines("outlets.txt"):
        names = [n.strip() for n in row.split("|") if n.strip()]
        for n in names:
            outlets.setdefault(normalize_name(n), names[0])
    first_names = {}
    for row in _read_lines("first_names.txt"):   # "name m" / "name f" (shared with stance.mentions)
        parts = row.split()
        if len(parts) == 2 and parts[1] in ("m", "f"):
            first_names[parts[0].lower()] = "male" if parts[1] == "m" else "female"
    evaluative = {f: lemma for lemma in _read_lines("evaluative_verbs.txt") for f in verb_forms(lemma)}
    belief = {f: lemma for lemma in _read_lines("belief_verbs.txt") for f in verb_forms(lemma)}
    return _Lexicon(cue, act, frozenset(_read_lines("person_nouns.txt")), pron, titles, outlets,
                    frozenset(_read_lines("cue_nouns.txt")), evaluative, belief, frozenset(belief.values()),
                    first_names)
