"""Speaker registry: canonical speakers, their aliases, roles, countries and groups.

A registry maps the many ways an article names a speaker ("Carney", "Prime
Minister Carney", "the prime minister") to one canonical entry with a group
("Canadian premiers", "Chinese experts", "media"...). Extraction uses it to
resolve names, surnames, role nouns and group references; analysis groups
statements by its ``group`` column.

File format (YAML, or CSV with the same keys and ``;``-separated lists)::

    speakers:
      - name: Mark Carney
        aliases: [Carney, Prime Minister Carney]
        role: Prime Minister of Canada
        role_nouns: [prime minister, Canadian prime minister]
        country: Canada
        gender: male            # optional: male | female
        group: Canadian prime minister
    groups:
      - name: Chinese experts
        aliases: [both Chinese experts, the two experts]

Outlets are speakers whose group is ``"media"``.
"""
from __future__ import annotations

import csv
import functools
import os
import re
import unicodedata
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ._utils import StancekitError, is_missing

__all__ = [
    "Speaker",
    "SpeakerRegistry",
    "InferredGroup",
    "infer_group",
    "suggest_registry",
    "normalize_name",
    "clean_name",
]

MEDIA_GROUP = "media"
UNREGISTERED_GROUP = "unregistered"

_DET_RE = re.compile(r"^(?:the|a|an|both|all|two|three|several|some)\s+", re.I)
_WS_RE = re.compile(r"\s+")
# Invisible characters that editors and web pages leave inside names: zero-width
# space/joiners, word joiner, soft hyphen, byte-order mark and the bidi controls
# (Unicode TR9: LRM, RLM, ALM, embeddings, overrides and isolates).
_INVISIBLE_RE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def clean_name(text: str) -> str:
    """NFC-normalise ``text``, drop invisible format characters and collapse white space.

    Zero-width spaces and joiners, soft hyphens, byte-order marks and bidi
    controls are removed, so "Mark\u200b Carney" is "Mark Carney".

    Examples
    --------
    >>> clean_name("Mark\u200b  Carney\u200f")
    'Mark Carney'
    """
    text = unicodedata.normalize("NFC", str(text))
    return _WS_RE.sub(" ", _INVISIBLE_RE.sub("", text)).strip()


def normalize_name(text: str) -> str:
    """Clean (:func:`clean_name`), lower-case, drop leading determiners and possessive 's.

    Examples
    --------
    >>> normalize_name("the  Financial Times")
    'financial times'
    >>> normalize_name("Mark\u200b Carney") == normalize_name("Mark Carney")
    True
    """
    text = clean_name(str(text).replace("\u2019", "'")).lower()
    while True:
        new = _DET_RE.sub("", text)
        if new == text:
            break
        text = new
    if text.endswith("'s"):
        text = text[:-2]
    return text.strip(" ,.")


@dataclass(frozen=True)
class Speaker:
    """One registry entry (a person, an anonymous described speaker or an outlet)."""

    name: str
    aliases: tuple[str, ...] = ()
    role: str | None = None
    role_nouns: tuple[str, ...] = ()
    country: str | None = None
    group: str | None = None
    gender: str | None = None

    @property
    def is_outlet(self) -> bool:
        return (self.group or "").lower() == MEDIA_GROUP


def _as_list(value: Any, *, field: str = "aliases", who: str = "") -> tuple[str, ...]:
    if is_missing(value):
        return ()
    if isinstance(value, str):
        return tuple(clean_name(v) for v in value.split(";") if clean_name(v))
    if isinstance(value, (list, tuple)):
        out = []
        for v in value:
            if isinstance(v, (Mapping, list, tuple)) or is_missing(v):
                raise TypeError(f"`{field}`{who} must be a list of names, but holds {v!r}.")
            if clean_name(v):
                out.append(clean_name(v))
        return tuple(out)
    raise TypeError(
        f"`{field}`{who} must be a list of names (or one name), not {type(value).__name__} {value!r}; "
        f"write e.g. {field}: [First Alias, Second Alias]."
    )


def _opt(value: Any, *, field: str = "", who: str = "") -> str | None:
    if is_missing(value):
        return None
    if isinstance(value, (Mapping, list, tuple, set)):
        raise TypeError(f"`{field}`{who} must be one value, not {type(value).__name__} {value!r}.")
    value = clean_name(value)
    return value or None


# --- inferring a group from a speaker's description ---------------------------------------


@dataclass(frozen=True)
class InferredGroup:
    """A group inferred from how an article describes an unregistered speaker.

    ``group`` is "<country adjective> <role class>" ("Canadian premiers"),
    the role class alone ("experts") when no country is named, or "other
    <adjective> speakers" when only a country is.
    """

    group: str
    country: str | None = None
    role_class: str | None = None


def _resource_rows(name: str) -> list[list[str]]:
    from importlib import resources

    text = resources.files("stancekit").joinpath("resources", "en", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _word_pattern(words: list[str], *, plurals: bool) -> re.Pattern | None:
    """One regex of whole-word alternatives, longest first (leftmost-longest matching)."""
    alts = []
    for w in sorted(set(words), key=len, reverse=True):
        body = re.escape(w).replace("\\ ", "\\s+")
        if plurals and w[-1:].isalpha():  # "official(s)", "secretar(y|ies)"
            body = f"(?:{body}|{re.escape(w[:-1])}ies)" if w.endswith("y") else f"{body}(?:s|es)?"
        alts.append(body)
    if not alts:
        return None
    return re.compile(r"(?<![\w.])(?:" + "|".join(alts) + r")(?![\w])")


class _Matcher:
    """Whole-word look-up of resource words: capitalised words case-sensitively, the rest in any case."""

    def __init__(self, entries: dict[str, str], *, plurals: bool):
        self.value = {}
        exact, folded = [], []
        for word, value in entries.items():
            if any(c.isupper() for c in word):
                exact.append(word)
                self.value[word] = value
            else:
                folded.append(word.lower())
                self.value[word.lower()] = value
        self.exact = _word_pattern(exact, plurals=False)
        self.folded = _word_pattern(folded, plurals=plurals)
        self._plurals = plurals

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, value)`` of each match, in text order, overlaps resolved leftmost-longest."""
        hits = []
        if self.exact is not None:
            hits += [(m.start(), m.end(), self.value[m.group(0)]) for m in self.exact.finditer(text)]
        if self.folded is not None:
            hits += [(m.start(), m.end(), self._value_of(m.group(0))) for m in self.folded.finditer(text.lower())]
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        out, end = [], -1
        for h in hits:
            if h[0] >= end and h[2] is not None:
                out.append(h)
                end = h[1]
        return out

    def _value_of(self, found: str) -> str | None:
        key = _WS_RE.sub(" ", found)
        if key in self.value:
            return self.value[key]
        for cut, add in (("ies", "y"), ("es", ""), ("s", "")):
            if key.endswith(cut) and key[: -len(cut)] + add in self.value:
                return self.value[key[: -len(cut)] + add]
        return None


@functools.lru_cache(maxsize=1)
def _inference_tables() -> tuple[_Matcher, dict, _Matcher, frozenset]:
    places: dict[str, str] = {}
    adjective: dict[str, str] = {}
    for row in _resource_rows("places.txt"):
        country, adj, words = row[0].strip(), row[1].strip(), row[2]
        adjective[country] = adj
        for w in words.split("|"):
            if w.strip():
                places.setdefault(w.strip(), country)
    roles: dict[str, str] = {}
    titles = set()
    for row in _resource_rows("role_classes.txt"):
        cls, words = row[0].strip(), row[1]
        for w in words.split("|"):
            w = w.strip()
            if w.endswith("*"):
                w = w[:-1].strip()
                titles.add(w.lower())
            if w:
                roles.setdefault(w, cls)
    return _Matcher(places, plurals=False), adjective, _Matcher(roles, plurals=True), frozenset(titles)


# Words that end the head of a description ("a professor at ...", "Ambassador to China").
_HEAD_END_RE = re.compile(r",|\s(?:at|of|for|with|in|to|from|who|on|and)\s|^(?:who|which)\s", re.I)


def _head_end(text: str, covered: list[tuple[int, int, str]]) -> int:
    for m in _HEAD_END_RE.finditer(text):
        if not any(a <= m.start() < b for a, b, _ in covered):
            return m.start()
    return len(text)


def _role_class(text: str) -> str | None:
    _, _, roles, titles = _inference_tables()
    hits = roles.find(text)
    if not hits:
        return None
    head = [h for h in hits if h[1] <= _head_end(text, hits)]
    if not head:
        return hits[0][2]
    last = head[-1]
    word = _WS_RE.sub(" ", text[last[0]:last[1]].lower())
    if (word in titles or word.rstrip("s") in titles) and len(head) > 1:
        return head[-2][2]  # "union president": the organisation's class
    return last[2]


def _country(text: str) -> str | None:
    places, _, roles, _ = _inference_tables()
    hits = places.find(text)
    if not hits:
        return None
    end = _head_end(text, roles.find(text) + hits)
    head = [h for h in hits if h[1] <= end]
    return (head or hits)[0][2]


def infer_group(speaker: Any, role: Any = None, mention: Any = None) -> InferredGroup | None:
    """Infer a group from how an article describes a speaker: country plus role class.

    The description is the speaker's ``role`` (the title or apposition the
    article gives: "Alberta Premier", "a professor at China Foreign Affairs
    University"), else the ``mention`` without the speaker's name, else the
    ``speaker`` itself when it is a description ("a White House official",
    "Chinese experts"). The country comes from the first place, nationality
    or seat of government it names (``resources/en/places.txt``: "Alberta"
    -> Canada, "White House" -> United States), preferring the head of the
    phrase ("Canadian Ambassador to China" -> Canada); the role class from
    the head noun (``resources/en/role_classes.txt``: premier -> premiers,
    official/spokesperson/minister -> officials, professor/analyst ->
    experts...). A person's name is never read as a place ("Jack
    Washington").

    Parameters
    ----------
    speaker : str
        The canonical speaker (a name or a description).
    role : str, optional
        The description the article gives.
    mention : str, optional
        The mention that resolved the speaker ("Alberta Premier Danielle Smith").

    Returns
    -------
    InferredGroup or None
        None when the description names neither a country nor a role class.

    Examples
    --------
    >>> infer_group("Danielle Smith", role="Alberta Premier").group
    'Canadian premiers'
    >>> infer_group("White House official").group
    'US officials'
    >>> infer_group("Chinese experts").group
    'Chinese experts'
    >>> infer_group("Jack Washington") is None
    True
    """
    places, adjective, roles, _ = _inference_tables()
    name = "" if is_missing(speaker) else clean_name(speaker)
    texts = []
    if not is_missing(role) and clean_name(role):
        texts.append(clean_name(role))
    if not is_missing(mention) and clean_name(mention):
        rest = clean_name(mention)
        if name and name in rest:
            rest = rest.replace(name, " ")
        elif name:  # "Premier Smith": drop the words of the name
            rest = " ".join(w for w in rest.split() if w not in set(name.split()))
        if rest.strip(" ,.'s"):
            texts.append(rest.strip())
    if name and roles.find(name):
        texts.append(name)  # an anonymous or described speaker: the name is the description
    role_class = next((c for c in (_role_class(t) for t in texts) if c), None)
    country = next((c for c in (_country(t) for t in texts) if c), None)
    if role_class is None and country is None:
        return None
    adj = adjective.get(country) if country else None
    if role_class and adj:
        group = f"{adj} {role_class}"
    elif role_class:
        group = role_class
    else:
        group = f"other {adj} speakers"
    return InferredGroup(group=group, country=country, role_class=role_class)


class SpeakerRegistry:
    """Canonical speakers with name, alias, role-noun and group look-ups.

    Names and aliases are cleaned (:func:`clean_name`: NFC, no zero-width or
    bidi control characters). A name or alias listed by two entries is a
    warning naming both; the first entry keeps it.

    Speakers that are not registered get a group inferred from how the
    article describes them (:meth:`infer_group`), unless ``infer_groups`` is
    False; a registry group whose name or alias equals the inferred one
    takes its place, so a registry can rename or merge inferred groups.

    Parameters
    ----------
    speakers : iterable of Speaker
        The entries.
    groups : mapping of str to list of str, optional
        Group name -> aliases used in articles to refer to the whole group
        ("both Chinese experts").
    infer_groups : bool, default True
        Infer a group for unregistered speakers.
    source : str, optional
        Where the entries came from (a file name), for messages.

    Examples
    --------
    >>> reg = SpeakerRegistry.from_records([{"name": "Mark Carney", "aliases": ["Carney"],
    ...                                      "group": "Canadian prime minister"}])
    >>> reg.lookup("Carney").name
    'Mark Carney'
    """

    def __init__(self, speakers: Iterable[Speaker] = (), *, groups: Mapping[str, Iterable[str]] | None = None,
                 infer_groups: bool = True, source: str | None = None, _lines: Mapping[int, int] | None = None):
        self.speakers: list[Speaker] = list(speakers)
        self.groups: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in (groups or {}).items()}
        self.infer_groups = bool(infer_groups)
        self.source = source
        for sp in self.speakers:
            if sp.group and sp.group not in self.groups:
                self.groups[sp.group] = ()
        self._by_key: dict[str, Speaker] = {}
        self._by_token: dict[str, list[Speaker]] = {}
        self._by_role: dict[str, list[Speaker]] = {}
        owner: dict[str, int] = {}
        clashes: dict[tuple[int, int], list[str]] = {}
        for i, sp in enumerate(self.speakers):
            for key in (sp.name, *sp.aliases):
                k = normalize_name(key)
                if not k:
                    continue
                if k in self._by_key and self._by_key[k] is not sp:
                    clashes.setdefault((owner[k], i), []).append(key)
                    continue
                self._by_key[k] = sp
                owner[k] = i
            toks = normalize_name(sp.name).split()
            if len(toks) > 1 and not sp.is_outlet:
                for tok in toks:
                    self._by_token.setdefault(tok, []).append(sp)
            for rn in sp.role_nouns:
                k = normalize_name(rn)
                if k and sp not in self._by_role.get(k, ()):
                    self._by_role.setdefault(k, []).append(sp)
        where = (lambda i: f"line {_lines[i]}") if _lines and all(i in _lines for i in range(len(self.speakers))) \
            else (lambda i: f"entry {i + 1}")
        for (j, i), keys in clashes.items():
            first, later = self.speakers[j], self.speakers[i]
            if normalize_name(first.name) == normalize_name(later.name):
                what = f"{later.name!r} is listed twice ({where(j)} and {where(i)})"
            else:
                what = (f"{later.name!r} ({where(i)}) shares {', '.join(map(repr, keys))} with {first.name!r} "
                        f"({where(j)})")
            warnings.warn(f"registry{' ' + source if source else ''}: {what}; the first entry keeps "
                          f"{'them' if len(keys) > 1 else 'it'}", stacklevel=3)
        self._group_keys: dict[str, str] = {}
        for g, aliases in self.groups.items():
            for key in (g, *aliases):
                k = normalize_name(key)
                if k:
                    self._group_keys.setdefault(k, g)
        self._inferred: dict = {}

    def __len__(self) -> int:
        return len(self.speakers)

    def __repr__(self) -> str:
        return f"SpeakerRegistry({len(self.speakers)} speakers, {len(self.groups)} groups)"

    # --- constructors -----------------------------------------------------
    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]], *, groups: Any = None, infer_groups: bool = True,
                     source: str | None = None, _lines: Mapping[int, int] | None = None) -> SpeakerRegistry:
        """Build a registry from dicts with keys name, aliases, role, role_nouns, country, group, gender.

        Raises
        ------
        TypeError
            If a record is not a mapping, or a field has the wrong type
            (``aliases: 123``); the message names the record.
        ValueError
            If a record lacks a name.
        """
        if isinstance(records, Mapping):
            raise TypeError(
                "`speakers` must be a list of entries (each `- name: ...`), not a mapping; "
                f"found keys {list(records)[:3]!r}."
            )
        speakers = []
        for i, rec in enumerate(records):
            at = f" (line {_lines[i]})" if _lines and i in _lines else f" (record {i})"
            if not isinstance(rec, Mapping):
                raise TypeError(f"registry record{at} must be a mapping with a `name`, not {type(rec).__name__} "
                                f"{rec!r}.")
            name = _opt(rec.get("name"), field="name", who=at)
            if not name:
                raise ValueError(f"registry record{at} lacks a `name`: {dict(rec)!r}.")
            who = f" of {name!r}{at}"
            speakers.append(
                Speaker(
                    name=name,
                    aliases=_as_list(rec.get("aliases"), field="aliases", who=who),
                    role=_opt(rec.get("role"), field="role", who=who),
                    role_nouns=_as_list(rec.get("role_nouns"), field="role_nouns", who=who),
                    country=_opt(rec.get("country"), field="country", who=who),
                    group=_opt(rec.get("group"), field="group", who=who),
                    gender=_opt(rec.get("gender"), field="gender", who=who),
                )
            )
        gmap: dict[str, tuple[str, ...]] = {}
        if isinstance(groups, Mapping):
            gmap = {clean_name(k): _as_list(v, field="aliases", who=f" of group {k!r}") for k, v in groups.items()}
        elif isinstance(groups, (list, tuple)):
            for g in groups:
                if isinstance(g, Mapping) and _opt(g.get("name")):
                    gname = _opt(g.get("name"))
                    gmap[gname] = _as_list(g.get("aliases"), field="aliases", who=f" of group {gname!r}")
                elif isinstance(g, str):
                    gmap[clean_name(g)] = ()
                else:
                    raise TypeError(f"`groups` entries must be names or mappings with a `name`, not {g!r}.")
        elif groups is not None and not is_missing(groups):
            raise TypeError(f"`groups` must be a list of groups, not {type(groups).__name__} {groups!r}.")
        return cls(speakers, groups=gmap, infer_groups=infer_groups, source=source, _lines=_lines)

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> SpeakerRegistry:
        """Load a registry from YAML (``speakers:``/``groups:``) or CSV (one speaker per row).

        Every problem with the file raises one :class:`StancekitError` whose
        message starts with the file name (and line, where known).

        Raises
        ------
        FileNotFoundError
            If ``path`` does not exist.
        StancekitError
            If the file is not UTF-8 text, cannot be parsed, or holds entries
            of the wrong shape.
        """
        path = Path(path)
        if path.is_dir():
            raise StancekitError(f"registry {path} is a folder; give a .yaml, .yml or .csv file")
        if not path.is_file():
            raise FileNotFoundError(f"registry file not found: {path}")
        text = _read_text(path)
        try:
            if path.suffix.lower() == ".csv":
                rows = list(csv.DictReader(text.splitlines()))
                return cls.from_records(rows, source=str(path), _lines={i: i + 2 for i in range(len(rows))})
            return cls._from_yaml(text, path)
        except (TypeError, ValueError) as exc:
            raise StancekitError(f"registry {path}: {exc}") from exc

    @classmethod
    def _from_yaml(cls, text: str, path: Path) -> SpeakerRegistry:
        import yaml

        try:
            data = yaml.safe_load(text)
            node = yaml.compose(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise StancekitError(f"registry {where}: cannot parse YAML ({problem}); "
                                 "see stancekit.registry for the format") from exc
        if data is None:
            return cls(source=str(path))
        if isinstance(data, list):
            return cls.from_records(data, source=str(path), _lines=_item_lines(node))
        if not isinstance(data, Mapping):
            raise StancekitError(f"registry {path} must hold a mapping with `speakers:` (a list of entries), "
                                 f"not {type(data).__name__}.")
        unknown = sorted(set(map(str, data)) - {"speakers", "groups", "infer_groups"})
        if unknown:
            warnings.warn(f"registry {path}: unknown top-level key(s) {unknown} ignored "
                          "(expected speakers, groups, infer_groups)", stacklevel=4)
        speakers = data.get("speakers") or []
        if isinstance(speakers, Mapping):
            raise StancekitError(
                f"registry {path}: `speakers:` must be a list of entries, each starting with `- name:`, "
                f"not a mapping (found {list(speakers)[:2]!r} ...)"
            )
        infer = data.get("infer_groups", True)
        if not isinstance(infer, bool):
            raise StancekitError(f"registry {path}: `infer_groups` must be true or false, not {infer!r}")
        lines = _item_lines(_child(node, "speakers"))
        return cls.from_records(speakers, groups=data.get("groups"), infer_groups=infer, source=str(path),
                                _lines=lines)

    @classmethod
    def coerce(cls, registry: SpeakerRegistry | str | os.PathLike | None) -> SpeakerRegistry:
        """Accept a registry, a path or None (empty registry)."""
        if registry is None:
            return cls()
        if isinstance(registry, SpeakerRegistry):
            return registry
        if isinstance(registry, (str, os.PathLike)):
            return cls.from_file(registry)
        raise TypeError(
            f"`registry` must be a SpeakerRegistry, a path or None, not {type(registry).__name__}."
        )

    # --- look-ups -----------------------------------------------------------
    def lookup(self, mention: str) -> Speaker | None:
        """Entry whose name or alias equals ``mention`` (case-insensitive, determiners ignored)."""
        return self._by_key.get(normalize_name(mention))

    def lookup_token(self, token: str) -> list[Speaker]:
        """Entries with a multi-word name containing the single word ``token`` (surnames)."""
        return list(self._by_token.get(normalize_name(token), ()))

    def match_role(self, noun_phrase: str) -> list[Speaker]:
        """Entries whose role nouns match ``noun_phrase`` ("the US president")."""
        key = normalize_name(noun_phrase)
        hits = list(self._by_role.get(key, ()))
        if not hits and " " in key:
            # "the Canadian premier" -> "premier" only when the full phrase is unknown
            hits = list(self._by_role.get(key.split()[-1], ()))
        return hits

    def match_group(self, noun_phrase: str) -> str | None:
        """Group name referred to by ``noun_phrase`` ("both Chinese experts"), or None."""
        key = normalize_name(noun_phrase)
        if key in self._group_keys:
            return self._group_keys[key]
        return None

    def infer_group(self, speaker: Any, role: Any = None, mention: Any = None) -> InferredGroup | None:
        """The group of an unregistered speaker, inferred from the article's description of them.

        See :func:`infer_group`. Returns None when inference is off
        (``infer_groups=False``) or the description names neither a country
        nor a role class. An inferred group that is the name or an alias of
        a registry group becomes that registry group.

        Examples
        --------
        >>> reg = SpeakerRegistry(groups={"Premiers of Canada": ["Canadian premiers"]})
        >>> reg.infer_group("Danielle Smith", role="Alberta Premier").group
        'Premiers of Canada'
        """
        if not self.infer_groups:
            return None
        key = (speaker, role, mention)
        if key not in self._inferred:
            found = infer_group(speaker, role, mention)
            if found is not None:
                registered = self.match_group(found.group)
                if registered is not None:
                    found = InferredGroup(registered, found.country, found.role_class)
            self._inferred[key] = found
        return self._inferred[key]

    def members(self, group: str) -> list[Speaker]:
        """Entries of ``group``."""
        return [sp for sp in self.speakers if sp.group == group]

    def outlets(self) -> list[Speaker]:
        return [sp for sp in self.speakers if sp.is_outlet]

    def to_records(self) -> list[dict[str, Any]]:
        out = []
        for sp in self.speakers:
            rec: dict[str, Any] = {"name": sp.name}
            for key in ("aliases", "role", "role_nouns", "country", "gender", "group"):
                val = getattr(sp, key)
                if val:
                    rec[key] = list(val) if isinstance(val, tuple) else val
            out.append(rec)
        return out


def _read_text(path: Path) -> str:
    """The registry file as text: UTF-8 (with or without BOM) or UTF-16 with a BOM; else one clear error."""
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise StancekitError(f"registry {path}: broken UTF-16 text ({exc.reason}); save it as UTF-8") from exc
    if b"\x00" in data[:4096]:
        raise StancekitError(f"registry {path}: binary file, not a YAML or CSV registry")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start]
        raise StancekitError(
            f"registry {path}:{line}: not UTF-8 text (byte 0x{byte:02X}; probably Windows-1252 or Latin-1); "
            "save the file as UTF-8"
        ) from exc


def _child(node: Any, key: str) -> Any:
    """The YAML node under ``key`` of a mapping node, or None."""
    if node is None or not hasattr(node, "value") or not isinstance(node.value, list):
        return None
    for item in node.value:
        if isinstance(item, tuple) and getattr(item[0], "value", None) == key:
            return item[1]
    return None


def _item_lines(node: Any) -> dict[int, int]:
    """1-based line of each item of a YAML sequence node."""
    if node is None or getattr(node, "id", None) != "sequence":
        return {}
    return {i: item.start_mark.line + 1 for i, item in enumerate(node.value)}


def suggest_registry(statements: pd.DataFrame, *, registry: SpeakerRegistry | None = None,
                     include_registered: bool = False) -> pd.DataFrame:
    """Count statements per speaker and suggest registry entries for the unregistered ones.

    Parameters
    ----------
    statements : pandas.DataFrame
        A statements frame from :func:`stancekit.extraction.extract_statements`.
    registry : SpeakerRegistry, str or path, optional
        Speakers it already holds (by name or alias) get no suggestion.
    include_registered : bool, default False
        Also list registered speakers (``registered=True``, empty ``yaml``),
        e.g. for a table of every speaker.

    Returns
    -------
    pandas.DataFrame
        One row per speaker: ``speaker, n_statements, n_articles, resolution, group,
        group_inferred, role, country, mentions, registered, yaml`` (``yaml`` is a
        suggested entry, with the group inferred from the article's description
        when there is one), sorted by ``n_statements`` descending.

    Examples
    --------
    >>> import pandas as pd
    >>> st = pd.DataFrame({"article": ["a"], "speaker": ["Li Haidong"], "mention": ["Li"],
    ...                    "resolution": ["name"], "group": ["unregistered"],
    ...                    "role": ["a professor"], "country": [pd.NA]})
    >>> suggest_registry(st)["speaker"].tolist()
    ['Li Haidong']
    """
    import yaml

    cols = ["speaker", "n_statements", "n_articles", "resolution", "group", "group_inferred", "role", "country",
            "mentions", "registered", "yaml"]
    if statements is None or len(statements) == 0 or "speaker" not in statements:
        return pd.DataFrame(columns=cols)
    if registry is not None and not isinstance(registry, SpeakerRegistry):
        registry = SpeakerRegistry.coerce(registry)
    data = statements[statements["speaker"].notna()]
    rows = []
    for speaker, sub in data.groupby("speaker", sort=True):
        def first(col: str):
            if col not in sub:
                return pd.NA
            vals = sub[col].dropna()
            return vals.mode().iloc[0] if len(vals) else pd.NA

        mentions = sorted({str(m) for m in sub.get("mention", pd.Series(dtype=object)).dropna()})
        group = first("group")
        registered = bool(registry is not None and registry.lookup(str(speaker)) is not None)
        if registered and not include_registered:
            continue
        inferred = bool(sub["group_inferred"].fillna(False).astype(bool).any()) if "group_inferred" in sub else False
        entry: dict[str, Any] = {"name": str(speaker)}
        aliases = [m for m in mentions if m != speaker and m.lower() not in {"he", "she", "they"}]
        if aliases:
            entry["aliases"] = aliases
        role = first("role")
        if not pd.isna(role):
            entry["role"] = str(role)
        country = first("country")
        if not pd.isna(country):
            entry["country"] = str(country)
        entry["group"] = str(group) if not pd.isna(group) else UNREGISTERED_GROUP
        rows.append({
            "speaker": speaker,
            "n_statements": len(sub),
            "n_articles": sub["article"].nunique() if "article" in sub else 1,
            "resolution": first("resolution"),
            "group": group,
            "group_inferred": inferred,
            "role": role,
            "country": country,
            "mentions": "; ".join(mentions),
            "registered": registered,
            "yaml": "" if registered else yaml.safe_dump([entry], sort_keys=False, allow_unicode=True).strip(),
        })
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["n_statements", "speaker"], ascending=[False, True], kind="stable").reset_index(drop=True)
