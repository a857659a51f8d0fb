"""Targets: what a stance is toward, and where a text names it.

A :class:`Target` is a name plus aliases. It finds its own mentions in a
statement (:meth:`Target.find_mentions`): the name, the aliases, and for a
person the forms news text uses by itself ("Trump", "Mr. Trump", "Hillary"
for Hillary Clinton) but not another person of the same family name ("Bill
Clinton", "Ivanka Trump", "Donald Trump Jr."). What the article around a
statement adds (pronouns and role nouns that refer to the target) is in
:mod:`stancekit.stance.mentions`.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from .._utils import check_choice

#: Built-in aliases added to a :class:`Target` whose name (without a leading
#: "the", case-insensitive) is a key here. Kept short on purpose: common news
#: usage for the most common state actors, and for the parties and policies of
#: US politics that stancekit's political stance set covers (PolNeAR, 2016);
#: pass ``builtin_aliases=False`` to skip.
BUILTIN_ALIASES: dict[str, tuple[str, ...]] = {
    "united states": ("US", "U.S.", "USA", "U.S.A.", "America", "Washington"),
    "united kingdom": ("UK", "U.K.", "Britain", "Great Britain", "London"),
    "european union": ("EU", "E.U.", "Brussels"),
    "china": ("PRC", "Beijing", "People's Republic of China"),
    "russia": ("Russian Federation", "Moscow", "Kremlin"),
    "canada": ("Ottawa",),
    "republican party": ("GOP", "Republicans", "RNC", "Republican National Committee"),
    "democratic party": ("Democrats", "DNC", "Democratic National Committee"),
    "obamacare": ("Affordable Care Act", "ACA", "Obama care"),
    "immigration": ("immigrants", "immigrant"),
}

#: Kinds of the names in :data:`BUILTIN_ALIASES` that the name alone does not tell.
BUILTIN_KINDS: dict[str, str] = {"obamacare": "policy", "immigration": "policy"}

#: Kinds of target; ``None`` infers one from the name (:func:`infer_kind`).
KINDS = ("person", "organization", "country", "party", "policy", "other")

#: Country names and their demonyms ("American officials" names US members).
#: Only for the state actors of :data:`BUILTIN_ALIASES`, plus the most common others.
DEMONYMS: dict[str, tuple[str, ...]] = {
    "united states": ("American",),
    "united kingdom": ("British",),
    "european union": ("European",),
    "china": ("Chinese",),
    "russia": ("Russian",),
    "canada": ("Canadian",),
    "mexico": ("Mexican",),
    "japan": ("Japanese",),
    "india": ("Indian",),
    "germany": ("German",),
    "france": ("French",),
    "israel": ("Israeli",),
    "iran": ("Iranian",),
    "ukraine": ("Ukrainian",),
}

#: Titles written before a surname ("Mr. Trump", "Sen. Sanders"); case-sensitive.
PERSON_TITLES = ("Mr.", "Mrs.", "Ms.", "Mr", "Mrs", "Ms", "Dr.", "Sen.", "Senator", "Rep.", "Gov.", "Governor",
                 "President", "Secretary", "Prime Minister", "Premier", "Judge", "Justice", "Gen.", "General")

# Words that make a capitalised multi-word name an organisation, not a person.
_ORG_WORDS = frozenset(
    "party committee department ministry union states kingdom republic council court congress senate house "
    "administration government campaign foundation corporation company inc agency bureau office association "
    "university school bank fund group network news times post organization organisation federation act "
    "care nations league".split()
)
_PARTY_WORDS = frozenset("party gop democrats republicans".split())
_LOWER_PARTICLES = frozenset("de da del della di du van von der den la le bin al".split())
_CAP = re.compile(r"^[A-Z][\w'’.-]*$")
# Capitalised words before a surname that are not a first name ("The Trump campaign", "Tuesday Trump said").
_NOT_FIRST_NAMES = frozenset(
    "the a an and but or nor so yet then when while if as at in on of for with by to from that this these those "
    "why how what who where which said says after before since until because though although once also even "
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august "
    "september october november december republican republicans democrat democrats democratic gop candidate "
    "nominee rival opponent former presumptive billionaire businessman mogul american americans".split()
)


def infer_kind(name: str) -> str:
    """Guess the kind of a target from its name.

    ``"person"`` for 2-4 capitalised words with no organisation word ("Donald
    Trump", "Hillary Rodham Clinton"); ``"party"`` for names with "Party";
    ``"country"`` for the state actors stancekit knows; ``"policy"`` for a
    lower-case name ("immigration", "free trade"); else ``"organization"``
    for other capitalised names and ``"other"``.

    Examples
    --------
    >>> infer_kind("Donald Trump"), infer_kind("the Republican Party"), infer_kind("immigration")
    ('person', 'party', 'policy')
    """
    bare = _strip_the(name).strip()
    low = bare.lower()
    if low in DEMONYMS or low in {"united states", "united kingdom", "european union"}:
        return "country"
    words = bare.split()
    lw = {w.lower().strip(".,") for w in words}
    if lw & _PARTY_WORDS:
        return "party"
    if low in BUILTIN_KINDS:
        return BUILTIN_KINDS[low]
    caps = [w for w in words if w.lower() not in _LOWER_PARTICLES]
    if (2 <= len(words) <= 4 and not name.lower().startswith("the ") and all(_CAP.match(w) for w in caps)
            and not lw & _ORG_WORDS and not any(w.isupper() and len(w) > 1 for w in words)):
        return "person"
    if bare and bare[0].islower():
        return "policy"
    if any(_CAP.match(w) for w in words):
        return "organization"
    return "other"


class Target:
    """A target phrase with optional aliases, and the rule to find it in a text.

    Parameters
    ----------
    name : str
        The target as it is reported (``"the United States"``, ``"Donald Trump"``).
    aliases : iterable of str
        Other ways the text may refer to it (``["US", "America"]``).
    kind : str, optional
        One of :data:`KINDS`; None infers it from the name (:func:`infer_kind`).
        A person also matches by surname, title + surname, and first name alone.
    builtin_aliases : bool
        Add :data:`BUILTIN_ALIASES` for a few common state actors, parties and policies.

    Examples
    --------
    >>> t = Target("the United States", aliases=["US"], builtin_aliases=False)
    >>> t.find_mentions("Tariffs by the US. United States officials said")
    [(15, 17), (19, 32)]
    >>> Target("Hillary Clinton").find_mentions("Mrs. Clinton and Bill Clinton; Hillary won")
    [(0, 12), (31, 38)]
    """

    def __init__(self, name: str, aliases: Iterable[str] = (), *, kind: str | None = None,
                 builtin_aliases: bool = True):
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"Invalid value {name!r} for target `name`; give a non-empty string.")
        if isinstance(aliases, str):
            aliases = [aliases]
        if aliases is None:
            aliases = ()
        if not isinstance(aliases, Iterable):
            raise TypeError(f"`aliases` of target {name!r} must be a list of str, not {type(aliases).__name__}.")
        self.name = name.strip()
        self.kind = check_choice("kind", kind, KINDS) if kind is not None else infer_kind(self.name)
        extra: tuple[str, ...] = ()
        if builtin_aliases:
            extra = BUILTIN_ALIASES.get(_strip_the(self.name).lower(), ())
        seen: dict[str, None] = {}
        for a in [*aliases, *extra]:
            if not isinstance(a, str):
                raise TypeError(f"aliases of target {name!r} must be str, not {type(a).__name__} ({a!r}).")
            a = a.strip()
            if a and a.lower() != self.name.lower():
                seen.setdefault(a, None)
        self.aliases: tuple[str, ...] = tuple(seen)
        self._pattern: re.Pattern | None = None

    def __repr__(self) -> str:
        return f"Target({self.name!r}, aliases={list(self.aliases)!r}, kind={self.kind!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Target) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)

    @property
    def key(self) -> str:
        """Name and sorted aliases: the target's identity in the cache."""
        src = (self.name, self.aliases)
        if getattr(self, "_key_src", None) != src:  # computed once per (name, aliases): hot on cached runs
            self._key = json.dumps([self.name, sorted(self.aliases)], ensure_ascii=False)
            self._key_src = src
        return self._key

    # -- person names --

    @property
    def surname(self) -> str | None:
        """The family name of a person target (last word, "Jr." and the like skipped); else None."""
        if self.kind != "person":
            return None
        words = [w for w in self.name.split() if w.rstrip(".,").lower() not in {"jr", "sr", "ii", "iii"}]
        return words[-1] if len(words) >= 2 else None

    @property
    def given_name(self) -> str | None:
        """The first name of a person target; else None."""
        if self.kind != "person":
            return None
        words = self.name.split()
        return words[0] if len(words) >= 2 and len(words[0].rstrip(".")) > 1 else None

    def _phrases(self) -> list[tuple[str, str]]:
        out = {(self.name, "name"), (_strip_the(self.name), "name")}
        out |= {(a, "alias") for a in self.aliases}
        sur, given = self.surname, self.given_name
        if sur:
            out.add((sur, "name"))
            out |= {(f"{t} {sur}", "name") for t in PERSON_TITLES}
        if given:
            out.add((given, "name"))
        for d in DEMONYMS.get(_strip_the(self.name).lower(), ()) if self.kind == "country" else ():
            out.add((d, "alias"))
        uniq: dict[str, str] = {}
        for p, how in out:
            if p and (p not in uniq or how == "name"):
                uniq[p] = how
        return sorted(uniq.items(), key=lambda ph: (-len(ph[0]), ph[0]))

    def _compiled(self) -> re.Pattern:
        if self._pattern is None:
            parts = []
            self._how: dict[str, str] = {}
            for k, (p, how) in enumerate(self._phrases()):
                esc = re.escape(p)
                # Acronyms and person-name parts match case-sensitively: "us" is a
                # pronoun, "trump" a verb; a title must also keep its case.
                if (len(p) <= 4 and p.isupper()) or (self.kind == "person" and how == "name" and p != self.name):
                    esc = f"(?-i:{esc})"
                parts.append(f"(?P<g{k}>{esc})")
                self._how[f"g{k}"] = how
            self._pattern = re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)
        return self._pattern

    def _other_person(self, text: str, s: int, e: int) -> bool:
        """True when the match at [s, e) is part of another person's name."""
        sur, given = self.surname, self.given_name
        matched = text[s:e]
        if re.match(r"\s*,?\s*(Jr|Sr|II|III)\b", text[e:e + 6]):  # "Donald Trump Jr."
            return True
        if sur and matched == sur:
            # "Bill Clinton", "Ivanka Trump": a different capitalised first name just before.
            m = re.search(r"([A-Z][\w'’-]*)\.?\s+$", text[max(0, s - 40):s])
            if (m and m.group(1) not in (given, *[t.rstrip(".") for t in PERSON_TITLES])
                    and m.group(1).lower() not in _NOT_FIRST_NAMES):
                prev = m.group(1)
                if not (prev.isupper() and len(prev) <= 4):  # "GOP Trump", "U.S. Trump": not a first name
                    return True
        if given and matched == given:
            # "Hillary Swank": a first name followed by another family name.
            m = re.match(r"\s+([A-Z][\w'’-]+)", text[e:e + 40])
            if m and m.group(1) != sur:
                return True
        return False

    def find_mention_spans(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, how)`` of the target in ``text``, in text order; ``how`` is "name" or "alias".

        Matching is case-insensitive at word boundaries, longest phrase first
        (so "United States" wins over "States"); the name also matches without
        a leading "the". Short all-caps aliases (acronyms such as "US") match
        case-sensitively, so that "us" the pronoun is not a mention, and so do
        a person's surname, title + surname and first name ("Trump", not the
        verb "trump"). A surname preceded by another first name ("Bill
        Clinton") or followed by "Jr." is another person.
        """
        pat = self._compiled()
        out = []
        for m in pat.finditer(text):
            s, e = m.span()
            if self.kind == "person" and self._other_person(text, s, e):
                continue
            out.append((s, e, self._how[m.lastgroup]))
        return out

    def find_mentions(self, text: str) -> list[tuple[int, int]]:
        """Character spans of the target in ``text``, in text order (see :meth:`find_mention_spans`)."""
        return [(s, e) for s, e, _ in self.find_mention_spans(text)]

    def matches_speaker(self, speaker: Any) -> bool:
        """True when a speaker name denotes this target or its own side ("Clinton campaign" for Hillary Clinton).

        Examples
        --------
        >>> t = Target("Hillary Clinton")
        >>> t.matches_speaker("Clinton campaign"), t.matches_speaker("Bill Clinton"), t.matches_speaker(None)
        (True, False, False)
        """
        if not isinstance(speaker, str) or not speaker.strip():
            return False
        return bool(self.find_mention_spans(speaker))


def _strip_the(name: str) -> str:
    return re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)


def _as_targets(targets: Any) -> list[Target]:
    if isinstance(targets, (str, Target)):
        targets = [targets]
    if isinstance(targets, Mapping):
        out = []
        for t, a in targets.items():
            if isinstance(t, Target):
                out.append(t)
            elif isinstance(t, str):
                out.append(Target(t, aliases=a or ()))
            else:
                raise TypeError(f"`targets` keys must be str or Target, not {type(t).__name__} ({t!r}).")
    elif isinstance(targets, Iterable):
        out = []
        for t in targets:
            if isinstance(t, Target):
                out.append(t)
            elif isinstance(t, str):
                out.append(Target(t))
            else:
                raise TypeError(f"`targets` entries must be str or Target, not {type(t).__name__} ({t!r}).")
    else:
        raise TypeError(f"`targets` must be a str, a Target, a list of them or a dict of name -> aliases, "
                        f"not {type(targets).__name__} ({targets!r}).")
    if not out:
        raise ValueError("`targets` is empty; give at least one target.")
    return out
