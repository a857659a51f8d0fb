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
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ._utils import StancekitError, is_missing

__all__ = ["Speaker", "SpeakerRegistry", "suggest_registry", "normalize_name"]

MEDIA_GROUP = "media"
UNREGISTERED_GROUP = "unregistered"

_DET_RE = re.compile(r"^(?:the|a|an|both|all|two|three|several|some)\s+", re.I)
_WS_RE = re.compile(r"\s+")


def normalize_name(text: str) -> str:
    """Lower-case, collapse spaces, drop leading determiners and possessive 's.

    Examples
    --------
    >>> normalize_name("the  Financial Times")
    'financial times'
    """
    text = _WS_RE.sub(" ", str(text).replace("\u2019", "'")).strip().lower()
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


def _as_list(value: Any) -> tuple[str, ...]:
    if is_missing(value):
        return ()
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(";") if v.strip())
    return tuple(str(v).strip() for v in value if str(v).strip())


def _opt(value: Any) -> str | None:
    if is_missing(value):
        return None
    value = str(value).strip()
    return value or None


class SpeakerRegistry:
    """Canonical speakers with name, alias, role-noun and group look-ups.

    Parameters
    ----------
    speakers : iterable of Speaker
        The entries.
    groups : mapping of str to list of str, optional
        Group name -> aliases used in articles to refer to the whole group
        ("both Chinese experts").

    Examples
    --------
    >>> reg = SpeakerRegistry.from_records([{"name": "Mark Carney", "aliases": ["Carney"],
    ...                                      "group": "Canadian prime minister"}])
    >>> reg.lookup("Carney").name
    'Mark Carney'
    """

    def __init__(self, speakers: Iterable[Speaker] = (), *, groups: Mapping[str, Iterable[str]] | None = None):
        self.speakers: list[Speaker] = list(speakers)
        self.groups: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in (groups or {}).items()}
        for sp in self.speakers:
            if sp.group and sp.group not in self.groups:
                self.groups[sp.group] = ()
        self._by_key: dict[str, Speaker] = {}
        self._by_token: dict[str, list[Speaker]] = {}
        self._by_role: dict[str, list[Speaker]] = {}
        for sp in self.speakers:
            for key in (sp.name, *sp.aliases):
                k = normalize_name(key)
                if k:
                    self._by_key.setdefault(k, sp)
            toks = normalize_name(sp.name).split()
            if len(toks) > 1 and not sp.is_outlet:
                for tok in toks:
                    self._by_token.setdefault(tok, []).append(sp)
            for rn in sp.role_nouns:
                k = normalize_name(rn)
                if k and sp not in self._by_role.get(k, ()):
                    self._by_role.setdefault(k, []).append(sp)
        self._group_keys: dict[str, str] = {}
        for g, aliases in self.groups.items():
            for key in (g, *aliases):
                k = normalize_name(key)
                if k:
                    self._group_keys.setdefault(k, g)

    def __len__(self) -> int:
        return len(self.speakers)

    def __repr__(self) -> str:
        return f"SpeakerRegistry({len(self.speakers)} speakers, {len(self.groups)} groups)"

    # --- constructors -----------------------------------------------------
    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]], *, groups: Any = None) -> SpeakerRegistry:
        """Build a registry from dicts with keys name, aliases, role, role_nouns, country, group, gender."""
        speakers = []
        for i, rec in enumerate(records):
            if not isinstance(rec, Mapping):
                raise TypeError(f"registry record {i} must be a mapping, not {type(rec).__name__}.")
            name = _opt(rec.get("name"))
            if not name:
                raise ValueError(f"registry record {i} lacks a `name`: {dict(rec)!r}.")
            speakers.append(
                Speaker(
                    name=name,
                    aliases=_as_list(rec.get("aliases")),
                    role=_opt(rec.get("role")),
                    role_nouns=_as_list(rec.get("role_nouns")),
                    country=_opt(rec.get("country")),
                    group=_opt(rec.get("group")),
                    gender=_opt(rec.get("gender")),
                )
            )
        gmap: dict[str, tuple[str, ...]] = {}
        if isinstance(groups, Mapping):
            gmap = {str(k): _as_list(v) for k, v in groups.items()}
        elif groups:
            for g in groups:
                if isinstance(g, Mapping) and _opt(g.get("name")):
                    gmap[str(g["name"])] = _as_list(g.get("aliases"))
                elif isinstance(g, str):
                    gmap[g] = ()
        return cls(speakers, groups=gmap)

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> SpeakerRegistry:
        """Load a registry from YAML (``speakers:``/``groups:``) or CSV (one speaker per row).

        Raises
        ------
        FileNotFoundError
            If ``path`` does not exist.
        StancekitError
            If the file cannot be parsed.
        """
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"registry file not found: {path}")
        if path.suffix.lower() == ".csv":
            with open(path, newline="", encoding="utf-8") as fh:
                return cls.from_records(list(csv.DictReader(fh)))
        import yaml

        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise StancekitError(f"cannot parse registry {path}: {exc}") from exc
        if data is None:
            return cls()
        if isinstance(data, list):
            return cls.from_records(data)
        if not isinstance(data, Mapping):
            raise StancekitError(f"registry {path} must hold a mapping with `speakers:` or a list.")
        return cls.from_records(data.get("speakers") or [], groups=data.get("groups"))

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


def suggest_registry(statements: pd.DataFrame, *, registry: SpeakerRegistry | None = None) -> pd.DataFrame:
    """Count statements per speaker and suggest registry entries for unregistered ones.

    Parameters
    ----------
    statements : pandas.DataFrame
        A statements frame from :func:`stancekit.extraction.extract_statements`.
    registry : SpeakerRegistry, optional
        Speakers already registered are marked ``registered=True``.

    Returns
    -------
    pandas.DataFrame
        One row per speaker: ``speaker, n_statements, n_articles, resolution, group,
        role, country, mentions, registered, yaml`` (``yaml`` is a suggested entry),
        sorted by ``n_statements`` descending.

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

    cols = ["speaker", "n_statements", "n_articles", "resolution", "group", "role", "country",
            "mentions", "registered", "yaml"]
    if statements is None or len(statements) == 0 or "speaker" not in statements:
        return pd.DataFrame(columns=cols)
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
            "role": role,
            "country": country,
            "mentions": "; ".join(mentions),
            "registered": registered,
            "yaml": yaml.safe_dump([entry], sort_keys=False, allow_unicode=True).strip(),
        })
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["n_statements", "speaker"], ascending=[False, True], kind="stable").reset_index(drop=True)
