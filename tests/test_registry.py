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
    out = suggest_registry(st, registry=registry, include_registered=True)
    assert out["speaker"].tolist() == ["Jane Roe", "Mark Carney"]
    assert suggest_registry(st, registry=registry)["speaker"].tolist() == ["Jane Roe"]  # registered: no suggestion
    jane = out.iloc[0]
    assert (jane["n_statements"], jane["n_articles"], jane["registered"]) == (3, 2, False)
    entry = yaml.safe_load(jane["yaml"])[0]
    assert entry == {"name": "Jane Roe", "aliases": ["Roe"], "role": "an analyst at Desjardins",
                     "group": "unregistered"}
    assert bool(out.iloc[1]["registered"]) is True and out.iloc[1]["yaml"] == ""


def test_suggest_registry_empty():
    assert suggest_registry(pd.DataFrame(columns=["speaker"])).empty


def test_records_with_pandas_na_fields_are_treated_as_empty():
    import pandas as pd

    from stancekit.registry import SpeakerRegistry

    reg = SpeakerRegistry.from_records([{"name": "Ana Ruiz", "aliases": pd.NA, "role": pd.NA, "group": "g"}])
    rec = reg.to_records()[0]
    assert rec["name"] == "Ana Ruiz" and "<NA>" not in str(rec)


# --- rough edges: names, duplicates, malformed files (issue 10) ---------------------


def test_names_are_cleaned_of_invisible_characters_and_nfc():
    from stancekit.registry import SpeakerRegistry, clean_name

    assert clean_name("Mark\u200b Carney") == "Mark Carney"
    assert clean_name("\u202aLi\u202c Haidong\ufeff") == "Li Haidong"
    assert clean_name("Qu\u0065\u0301bec") == "Qu\u00e9bec"  # NFD -> NFC
    reg = SpeakerRegistry.from_records([{"name": "Mark\u200b Carney", "aliases": ["Carney\u200f"],
                                         "group": "g"}])
    assert reg.speakers[0].name == "Mark Carney"
    assert reg.lookup("Mark\u200b Carney").name == "Mark Carney"
    assert reg.lookup("Mark\u2060Carney") is None or reg.lookup("Mark\u2060Carney").name == "Mark Carney"
    assert reg.lookup("Carney").name == "Mark Carney"


def test_zero_width_space_in_article_still_finds_the_registered_speaker():
    from stancekit.extraction import extract_statements
    from stancekit.registry import SpeakerRegistry

    reg = SpeakerRegistry.from_records([{"name": "Mark Carney", "aliases": ["Carney"], "group": "Canadian PM"}])
    text = ('"We will defend our sovereignty," Prime Minister Mark\u200b Carney said on Tuesday. '
            "He added that talks would continue.")
    st = extract_statements(pd.DataFrame({"article": ["a"], "text": [text]}), registry=reg)
    assert len(st) and set(st["group"]) == {"Canadian PM"}
    assert all(text[s:e] == t for s, e, t in zip(st["start"], st["end"], st["text"]))


def test_a_name_listed_twice_warns_naming_both_entries(tmp_path):
    from stancekit.registry import SpeakerRegistry

    path = tmp_path / "reg.yaml"
    path.write_text("speakers:\n  - name: Mark Carney\n    group: a\n  - name: Jane Roe\n    group: b\n"
                    "  - name: Mark Carney\n    group: c\n", encoding="utf-8")
    with pytest.warns(UserWarning) as caught:
        reg = SpeakerRegistry.from_file(path)
    messages = [str(w.message) for w in caught]
    assert len(messages) == 1
    assert "Mark Carney" in messages[0] and "line 2" in messages[0] and "line 6" in messages[0]
    assert reg.lookup("Mark Carney").group == "a"


@pytest.mark.parametrize(
    "content, expected",
    [
        ("speakers:\n  - name: A\n    aliases: [B\n  - name: C\n", r"reg\.yaml:\d+: cannot parse YAML"),
        ("speakers:\n  - name: Mark Carney\n    aliases: 123\n", r"reg\.yaml: `aliases` of 'Mark Carney' \(line 2\)"),
        ("speakers:\n  Mark Carney:\n    group: x\n", r"`speakers:` must be a list of entries"),
        ("speakers:\n  - just a name\n", r"line 2\) must be a mapping"),
        ("speakers:\n  - name: A\n    group: [x, y]\n", r"`group` of 'A' \(line 2\) must be one value"),
    ],
)
def test_malformed_registry_is_one_error_naming_the_file(tmp_path, content, expected):
    from stancekit import StancekitError
    from stancekit.registry import SpeakerRegistry

    path = tmp_path / "reg.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(StancekitError, match=expected) as info:
        SpeakerRegistry.from_file(path)
    assert "\n" not in str(info.value)


def test_registry_in_another_encoding(tmp_path):
    from stancekit import StancekitError
    from stancekit.registry import SpeakerRegistry

    cp1252 = tmp_path / "cp.yaml"
    cp1252.write_bytes("speakers:\n  - name: Fran\u00e7ois Legault\n    group: g\n".encode("cp1252"))
    with pytest.raises(StancekitError, match=r"cp\.yaml:2: not UTF-8 text \(byte 0xE7"):
        SpeakerRegistry.from_file(cp1252)
    utf16 = tmp_path / "u16.yaml"
    utf16.write_bytes("speakers:\n  - name: Fran\u00e7ois Legault\n    group: g\n".encode("utf-16"))
    assert SpeakerRegistry.from_file(utf16).speakers[0].name == "Fran\u00e7ois Legault"  # a BOM says which
    folder = tmp_path / "dir.yaml"
    folder.mkdir()
    with pytest.raises(StancekitError, match="is a folder"):
        SpeakerRegistry.from_file(folder)


# --- groups inferred from the article's description -------------------------------------


@pytest.mark.parametrize(
    "speaker, role, mention, group",
    [
        ("Danielle Smith", "Alberta Premier", "Alberta Premier Danielle Smith", "Canadian premiers"),
        ("White House official", None, "a White House official", "US officials"),
        ("Chinese experts", None, "Chinese experts", "Chinese experts"),
        ("Wu Lei", "a professor at Tsinghua University in Beijing", "Wu Lei", "Chinese experts"),
        ("Ana Pereira", "Brazil's foreign minister", None, "Brazilian officials"),
        ("Tom Harris", "a senior fellow at a Washington think tank", None, "US experts"),
        ("Ravi Shah", "Union president", "Union president Ravi Shah", "organisations"),
        ("Greta Lund", "Swedish Defence Ministry spokeswoman", None, "Swedish officials"),
        ("Lee Min-ho", "South Korea's ambassador to Japan", None, "South Korean officials"),
        ("Jo Bloggs", "Senator", "Sen. Jo Bloggs", "legislators"),
        ("Jack Washington", None, "Jack Washington", None),  # a name is not a place
        ("us", None, None, None),  # the pronoun is not the United States
    ],
)
def test_infer_group_from_description(speaker, role, mention, group):
    from stancekit.registry import infer_group

    found = infer_group(speaker, role=role, mention=mention)
    assert (found.group if found else None) == group


def test_extraction_without_registry_infers_groups_and_a_registry_overrides():
    from stancekit.extraction import extract_statements
    from stancekit.registry import SpeakerRegistry

    text = ('"The province will not back down," Alberta Premier Danielle Smith said on Monday. '
            '"We are watching closely," a White House official said.')
    arts = pd.DataFrame({"article": ["a"], "text": [text]})
    st = extract_statements(arts)
    groups = dict(zip(st["speaker"], zip(st["group"], st["group_inferred"])))
    assert groups["Danielle Smith"] == ("Canadian premiers", True)
    assert groups["White House official"] == ("US officials", True)
    # a registered speaker keeps the registry's group; a registry group alias renames an inferred group
    reg = SpeakerRegistry.from_records([{"name": "Danielle Smith", "group": "Prairie premiers"}],
                                       groups=[{"name": "Washington", "aliases": ["US officials"]}])
    st = extract_statements(arts, registry=reg)
    groups = dict(zip(st["speaker"], zip(st["group"], st["group_inferred"])))
    assert groups["Danielle Smith"] == ("Prairie premiers", False)
    assert groups["White House official"] == ("Washington", True)
    off = SpeakerRegistry(infer_groups=False)
    assert set(extract_statements(arts, registry=off)["group"]) == {"unregistered"}


def test_infer_groups_false_in_yaml(tmp_path):
    from stancekit.registry import SpeakerRegistry

    path = tmp_path / "r.yaml"
    path.write_text("infer_groups: false\nspeakers: []\n", encoding="utf-8")
    assert SpeakerRegistry.from_file(path).infer_group("a White House official") is None
