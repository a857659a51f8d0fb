"""Tests for stancekit.registry (no spaCy needed)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from stancekit import StancekitError
from stancekit.registry import SpeakerRegistry, normalize_name, suggest_registry

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def registry():
    return SpeakerRegistry.from_records(
        [
            {"name": "Mark Carney", "aliases": ["Carney", "Prime Minister Carney"],
             "role_nouns": ["prime minister", "Canadian prime minister"], "country": "Canada",
             "group": "Canadian prime minister", "gender": "male"},
            {"name": "Li Haidong", "aliases": "Li", "group": "Chinese experts"},
            {"name": "Gao Lingyun", "group": "Chinese experts"},
            {"name": "Financial Times", "aliases": ["FT"], "group": "media"},
        ],
        groups=[{"name": "Chinese experts", "aliases": ["both Chinese experts", "the two experts"]}],
    )


def test_lookup_by_name_alias_and_case(registry):
    assert registry.lookup("Mark Carney").name == "Mark Carney"
    assert registry.lookup("carney").name == "Mark Carney"
    assert registry.lookup("the FT").name == "Financial Times"
    assert registry.lookup("Li").name == "Li Haidong"   # a string alias is split on ';'
    assert registry.lookup("Nobody") is None


def test_surname_tokens_and_role_nouns(registry):
    assert [s.name for s in registry.lookup_token("Lingyun")] == ["Gao Lingyun"]
    assert [s.name for s in registry.match_role("the prime minister")] == ["Mark Carney"]
    assert [s.name for s in registry.match_role("the Canadian prime minister")] == ["Mark Carney"]
    assert registry.match_role("the premier") == []


def test_groups_and_members(registry):
    assert registry.match_group("Both Chinese experts") == "Chinese experts"
    assert registry.match_group("the two experts") == "Chinese experts"
    assert registry.match_group("the premiers") is None
    assert [s.name for s in registry.members("Chinese experts")] == ["Li Haidong", "Gao Lingyun"]
    assert [s.name for s in registry.outlets()] == ["Financial Times"]
    assert registry.lookup("FT").is_outlet


def test_from_file_yaml_and_csv(tmp_path):
    reg = SpeakerRegistry.from_file(REPO / "seeds" / "registry.yaml")
    assert {"Canadian premiers", "Canadian prime minister", "US officials", "Chinese experts"} <= set(reg.groups)
    assert reg.lookup("Alberta Premier Danielle Smith").name == "Danielle Smith"
    csv_path = tmp_path / "reg.csv"
    csv_path.write_text("name,aliases,group,role_nouns\nJane Roe,Roe;Ms. Roe,Canadian experts,analyst\n",
                        encoding="utf-8")
    reg = SpeakerRegistry.from_file(csv_path)
    assert reg.lookup("Ms. Roe").name == "Jane Roe"
    assert reg.lookup("Roe").group == "Canadian experts"


def test_from_file_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        SpeakerRegistry.from_file(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("speakers: [unclosed", encoding="utf-8")
    with pytest.raises(StancekitError, match="cannot parse"):
        SpeakerRegistry.from_file(bad)
    with pytest.raises(ValueError, match="name"):
        SpeakerRegistry.from_records([{"aliases": ["x"]}])
    with pytest.raises(TypeError, match="registry"):
        SpeakerRegistry.coerce(3.5)


def test_roundtrip_records(registry):
    again = SpeakerRegistry.from_records(registry.to_records())
    assert [s.name for s in again.speakers] == [s.name for s in registry.speakers]
    assert again.lookup("Prime Minister Carney").name == "Mark Carney"


def test_normalize_name():
    assert normalize_name("  The   Financial\u00a0Times ") == "financial times"
    assert normalize_name("Carney\u2019s") == "carney"


def test_suggest_registry_counts_and_yaml(registry):
    st = pd.DataFrame({
        "article": ["a", "a", "b", "a"],
        "speaker": ["Jane Roe", "Jane Roe", "Jane Roe", "Mark Carney"],
        "mention": ["Jane Roe", "Roe", "she", "Carney"],
        "resolution": ["name", "name", "pronoun", "name"],
        "group": ["unregistered"] * 3 + ["Canadian prime minister"],
        "role": ["an analyst at Desjardins", pd.NA, pd.NA, "Prime Minister of Canada"],
        "country": [pd.NA] * 4,
    })
    out = suggest_registry(st, registry=registry)
    assert out["speaker"].tolist() == ["Jane Roe", "Mark Carney"]
    jane = out.iloc[0]
    assert (jane["n_statements"], jane["n_articles"], jane["registered"]) == (3, 2, False)
    entry = yaml.safe_load(jane["yaml"])[0]
    assert entry == {"name": "Jane Roe", "aliases": ["Roe"], "role": "an analyst at Desjardins",
                     "group": "unregistered"}
    assert bool(out.iloc[1]["registered"]) is True


def test_suggest_registry_empty():
    assert suggest_registry(pd.DataFrame(columns=["speaker"])).empty


def test_records_with_pandas_na_fields_are_treated_as_empty():
    import pandas as pd

    from stancekit.registry import SpeakerRegistry

    reg = SpeakerRegistry.from_records([{"name": "Ana Ruiz", "aliases": pd.NA, "role": pd.NA, "group": "g"}])
    rec = reg.to_records()[0]
    assert rec["name"] == "Ana Ruiz" and "<NA>" not in str(rec)
