"""Tests for stancekit.io: reading articles in every format and encoding, bad input, frames."""
from __future__ import annotations

import json
import logging
import pathlib
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stancekit import StancekitError
from stancekit import io as sio
from stancekit.schema import ARTICLE_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_ID = "global-times-2026-01-30-us-canada-sovereignty"

PROSE = (
    "Canadian Prime Minister Mark Carney said on Thursday he expects the US to "
    "\u201crespect Canadian sovereignty\u201d after reports of meetings.\n"
)
GLUED = "Deepening riftsThe US-Canadian relationship has soured,\u00a0officials said.\n"


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def _read_quiet(source, **kwargs) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return sio.read_articles(source, **kwargs)


# --- the seed -----------------------------------------------------------------


def test_seed_directory_gives_exactly_the_seed_article():
    arts = _read_quiet(str(SEEDS) + "/")
    assert list(arts.columns) == ARTICLE_COLUMNS
    assert len(arts) == 1
    row = arts.iloc[0]
    assert row["article"] == SEED_ID
    assert row["outlet"] == "Global Times"
    assert row["date"] == "2026-01-30"
    assert row["title"].startswith("Carney expects US to respect Canadian sovereignty")
    raw = (SEEDS / f"{SEED_ID}.txt").read_text(encoding="utf-8")
    assert row["text"] == raw  # byte-exact: no normalisation beyond line endings (none in the seed)
    assert row["source"].endswith(f"{SEED_ID}.txt")


def test_seed_file_named_directly_uses_its_sidecar():
    arts = _read_quiet(SEEDS / f"{SEED_ID}.txt")
    assert arts["article"].tolist() == [SEED_ID]
    assert arts["outlet"].tolist() == ["Global Times"]


# --- formats --------------------------------------------------------------------


def test_txt_keeps_text_exactly_but_normalises_line_endings(tmp_path):
    text = "Line one with \u201ccurly\u201d quotes and\u00a0a non-breaking space.\r\n" + GLUED + "last\rline\n"
    _write(tmp_path / "story.txt", text)
    arts = _read_quiet(tmp_path)
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    assert arts.loc[0, "text"] == expected
    assert "\u00a0" in arts.loc[0, "text"] and "Deepening riftsThe" in arts.loc[0, "text"]
    assert arts.loc[0, "article"] == "story"
    assert pd.isna(arts.loc[0, "title"]) and pd.isna(arts.loc[0, "outlet"])
    assert arts.loc[0, "title"] is pd.NA


def test_markdown_title_from_first_heading_and_text_as_is(tmp_path):
    text = "Intro line that is not a heading.\n\n```\n# not a title\n```\n# Real *title*\n\n" + PROSE
    _write(tmp_path / "note.md", text)
    arts = _read_quiet(tmp_path / "note.md")
    assert arts.loc[0, "title"] == "Real *title*"
    assert arts.loc[0, "text"] == text


HTML = """<!DOCTYPE html>
<html><head>
<title>Carney rebukes US &amp; separatists</title>
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2026-01-30T08:00:00Z">
<script>var x = "do not keep";</script><style>p {color: red}</style>
</head><body>
<header><p>Site header menu text that is long enough to matter here</p></header>
<nav><p>Home | World | Business | Navigation links should go away</p></nav>
<article>
  <h1>Carney rebukes</h1>
  <p>Canadian Prime Minister Mark Carney said he expects the US to
     &ldquo;respect Canadian sovereignty&rdquo;.</p>
  <figure><img src="x.jpg"><figcaption>Mark Carney in Ottawa. Photo: VCG</figcaption></figure>
  <p>Premier&nbsp;David Eby called it <b>treason</b> &lt;strongly&gt;.</p>
  <aside><p>Related: other stories you might enjoy reading today</p></aside>
</article>
<footer><p>Copyright footer text that should not appear anywhere</p></footer>
</body></html>
"""


def test_html_main_text_title_outlet_date(tmp_path):
    _write(tmp_path / "page.html", HTML)
    arts = _read_quiet(tmp_path)
    row = arts.iloc[0]
    assert row["text"] == (
        "Canadian Prime Minister Mark Carney said he expects the US to "
        "\u201crespect Canadian sovereignty\u201d.\n"
        "Premier\u00a0David Eby called it treason <strongly>."
    )
    assert row["title"] == "Carney rebukes US & separatists"
    assert row["outlet"] == "Example News"
    assert row["date"] == "2026-01-30T08:00:00Z"
    for junk in ("do not keep", "Navigation", "footer", "Photo: VCG", "Related", "header menu"):
        assert junk not in row["text"]


def test_html_without_article_prefers_element_with_most_paragraph_text(tmp_path):
    html = (
        "<html><body><div id='side'><p>Short sidebar blurb with a few words.</p></div>"
        "<div id='main'><p>" + PROSE.strip() + "</p><p>Second paragraph of the main story, "
        "which is considerably longer than the sidebar.</p></div></body></html>"
    )
    _write(tmp_path / "a.htm", html)
    arts = _read_quiet(tmp_path)
    assert arts.loc[0, "text"].split("\n") == [
        PROSE.strip(), "Second paragraph of the main story, which is considerably longer than the sidebar."
    ]
    assert pd.isna(arts.loc[0, "title"])


def test_html_title_falls_back_to_h1(tmp_path):
    _write(tmp_path / "b.html", f"<html><body><h1>Heading  only</h1><p>{PROSE}</p></body></html>")
    assert _read_quiet(tmp_path).loc[0, "title"] == "Heading only"


def test_jsonl_fields_ids_and_line_numbers(tmp_path):
    lines = [
        json.dumps({"text": PROSE, "title": "T1", "outlet": "O", "date": "2026-01-01"}),
        "",
        json.dumps({"body": PROSE + " body", "id": 17}),
        json.dumps({"content": PROSE + " content", "doc_id": "d-3"}),
        json.dumps({"text": PROSE + " four"}),
    ]
    _write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    arts = _read_quiet(tmp_path)
    assert arts["article"].tolist() == ["feed:1", "17", "d-3", "feed:5"]
    assert arts["text"].tolist()[1] == PROSE + " body"
    assert arts.loc[0, "title"] == "T1" and arts.loc[0, "date"] == "2026-01-01"
    assert set(arts["source"]) == {str(tmp_path / "feed.jsonl")}


def test_jsonl_custom_field_names(tmp_path):
    _write(tmp_path / "x.jsonl", json.dumps({"story": PROSE, "key": "k1", "text": "short"}) + "\n")
    arts = _read_quiet(tmp_path, text="story", article="key")
    assert arts["article"].tolist() == ["k1"]
    assert arts["text"].tolist() == [PROSE]


def test_jsonl_bad_lines_are_skipped_with_one_summary_warning(tmp_path, caplog):
    lines = [json.dumps({"text": PROSE}), "{not json", json.dumps({"title": "no text"}), json.dumps([1, 2])]
    _write(tmp_path / "feed.jsonl", "\n".join(lines))
    with caplog.at_level(logging.DEBUG, logger="stancekit.io"):
        with pytest.warns(UserWarning) as record:
            arts = sio.read_articles(tmp_path)
    assert len(record) == 1
    msg = str(record[0].message)
    assert msg.startswith("skipped 3 of 4 inputs:")
    assert "feed.jsonl:2 (not JSON)" in msg
    assert "feed.jsonl:3 (no text field" in msg
    assert "feed.jsonl:4 (not a JSON object)" in msg
    assert arts["article"].tolist() == ["feed:1"]
    assert sum("skipped" in r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG) == 3


def test_csv_rows_and_id_column(tmp_path):
    df = pd.DataFrame({"id": ["a", "b"], "body": [PROSE, "Multi\nline, \"quoted\" " + PROSE], "outlet": ["X", ""]})
    df.to_csv(tmp_path / "t.csv", index=False)
    arts = _read_quiet(tmp_path / "t.csv")
    assert arts["article"].tolist() == ["a", "b"]
    assert arts["text"].tolist() == df["body"].tolist()
    assert arts["outlet"].tolist()[0] == "X" and pd.isna(arts["outlet"].iloc[1])


def test_csv_without_id_uses_record_number(tmp_path):
    pd.DataFrame({"text": [PROSE, PROSE + "2"]}).to_csv(tmp_path / "t.csv", index=False)
    assert _read_quiet(tmp_path)["article"].tolist() == ["t:1", "t:2"]


def test_csv_without_text_column_is_bad_input(tmp_path):
    pd.DataFrame({"headline": [PROSE]}).to_csv(tmp_path / "t.csv", index=False)
    _write(tmp_path / "ok.txt", PROSE)
    with pytest.warns(UserWarning, match=r"t\.csv \(no text column 'text'"):
        arts = sio.read_articles(tmp_path)
    assert arts["article"].tolist() == ["ok"]
    with pytest.raises(StancekitError, match=r"t\.csv: no text column"):
        sio.read_articles(tmp_path, errors="raise")


def test_json_list(tmp_path):
    _write(tmp_path / "l.json", json.dumps([{"text": PROSE, "article": "x"}, {"content": PROSE + "!"}]))
    assert _read_quiet(tmp_path)["article"].tolist() == ["x", "l:2"]


def test_sidecar_gives_metadata_and_id(tmp_path):
    _write(tmp_path / "s.txt", PROSE)
    _write(tmp_path / "s.meta.json", json.dumps({"doc_id": "story-1", "outlet": "CBC", "date": "2026-02-01",
                                                 "title": "T"}))
    _write(tmp_path / "plain.md", "# MD title\n" + PROSE)
    _write(tmp_path / "plain.meta.json", json.dumps({"outlet": "CNN"}))
    arts = _read_quiet(tmp_path)
    assert arts["article"].tolist() == ["plain", "story-1"]
    assert arts["outlet"].tolist() == ["CNN", "CBC"]
    assert arts["title"].tolist() == ["MD title", "T"]  # sidecar wins only where it has a value


# --- encodings ------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le-bom", "utf-16-be-bom", "utf-32"])
def test_unicode_with_bom(tmp_path, encoding):
    text = PROSE + GLUED
    if encoding == "utf-16-le-bom":
        data = b"\xff\xfe" + text.encode("utf-16-le")
    elif encoding == "utf-16-be-bom":
        data = b"\xfe\xff" + text.encode("utf-16-be")
    else:
        data = text.encode(encoding)
    (tmp_path / "a.txt").write_bytes(data)
    arts = _read_quiet(tmp_path)
    assert arts.loc[0, "text"] == text  # BOM stripped, nothing else changed


def test_cp1252_is_detected_and_logged(tmp_path, caplog):
    text = ("The minister said the \u201cplan\u201d was na\u00efve \u2013 a caf\u00e9 compromise, "
            "according to officials in Montr\u00e9al.\n") * 3
    (tmp_path / "w.txt").write_bytes(text.encode("cp1252"))
    with caplog.at_level(logging.INFO, logger="stancekit.io"):
        arts = _read_quiet(tmp_path)
    assert arts.loc[0, "text"] == text
    assert any("decoded as" in r.getMessage() and "w.txt" in r.getMessage() for r in caplog.records)


def test_forced_encoding(tmp_path):
    text = "Le ministre a d\u00e9clar\u00e9 que la r\u00e9forme \u00e9tait n\u00e9cessaire.\n"
    (tmp_path / "l.txt").write_bytes(text.encode("latin-1"))
    assert _read_quiet(tmp_path, encoding="latin-1").loc[0, "text"] == text


def test_decode_bytes_undecodable_and_binary():
    with pytest.raises(StancekitError, match="binary"):
        sio.decode_bytes(b"abc\x00def" * 10, name="x.bin")
    with pytest.raises(StancekitError, match="cannot decode as ascii"):
        sio.decode_bytes("caf\u00e9".encode("utf-8"), encoding="ascii", name="x")
    with pytest.raises(StancekitError, match="binary|undecodable"):
        sio.decode_bytes(bytes(range(1, 32)) * 20, name="ctrl.txt")


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn")), min_size=1))
def test_decode_bytes_keeps_utf8_text_exactly(text):
    body = "Some words here. " + text
    decoded, used = sio.decode_bytes(body.encode("utf-8"))
    assert decoded == body.lstrip("\ufeff") if body.startswith("\ufeff") else decoded == body
    assert used == "utf-8"


# --- bad input ------------------------------------------------------------------


def _bad_corpus(root: Path) -> None:
    _write(root / "a_good.txt", PROSE)
    (root / "b_empty.txt").write_bytes(b"")
    _write(root / "c_space.txt", "  \n\t\n")
    (root / "d_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    _write(root / "e_short.txt", "Too short.")
    table = "year,population,growth_rate,unemployment\n" + "\n".join(f"{1900 + i},{i * 2},{i * 3.5},4" for i in range(200))
    _write(root / "f_numbers.txt", table)
    _write(root / "g_good.md", PROSE)


def test_bad_inputs_warn_once_with_summary(tmp_path, caplog):
    _bad_corpus(tmp_path)
    with caplog.at_level(logging.DEBUG, logger="stancekit.io"):
        with pytest.warns(UserWarning) as record:
            arts = sio.read_articles(tmp_path)
    assert arts["article"].tolist() == ["a_good", "g_good"]
    assert len(record) == 1
    msg = str(record[0].message)
    assert msg.startswith("skipped 5 of 7 inputs: ")
    for part in ("b_empty.txt (empty)", "c_space.txt (whitespace only)", "d_binary.txt (binary",
                 "e_short.txt (too short", "f_numbers.txt (not prose"):
        assert part in msg
    debug = [r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG and "skipped" in r.getMessage()]
    assert len(debug) == 5


def test_bad_inputs_skip_is_silent(tmp_path):
    _bad_corpus(tmp_path)
    arts = _read_quiet(tmp_path, errors="skip")
    assert len(arts) == 2


def test_bad_inputs_raise_names_file_and_problem(tmp_path):
    _bad_corpus(tmp_path)
    with pytest.raises(StancekitError, match=r"b_empty\.txt: empty"):
        sio.read_articles(tmp_path, errors="raise")


def test_on_skip_callback_gets_each_skipped_file(tmp_path):
    _bad_corpus(tmp_path)
    seen = []
    arts = list(sio.iter_articles(tmp_path, errors="skip", on_skip=lambda name, why: seen.append((name, why))))
    assert len(arts) == 2
    assert [Path(n).name for n, _ in seen] == ["b_empty.txt", "c_space.txt", "d_binary.txt", "e_short.txt",
                                              "f_numbers.txt"]
    assert seen[2][1].startswith("binary")


def test_invalid_errors_value():
    with pytest.raises(ValueError, match="errors"):
        sio.read_articles(SEEDS, errors="ignore")


def test_missing_path_raises_file_not_found(tmp_path):
    missing = tmp_path / "nope.txt"
    with pytest.raises(FileNotFoundError, match="nope.txt"):
        sio.iter_articles([SEEDS, missing])  # raised at call time, not on first next()


def test_nothing_readable_raises(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    _write(tmp_path / "notes.xyz", PROSE)
    with pytest.raises(StancekitError, match=r"no readable articles in .*empty\.txt \(empty\)"):
        sio.read_articles(tmp_path, errors="skip")
    (tmp_path / "empty.txt").unlink()
    with pytest.raises(StancekitError, match="no readable articles.*no article files found"):
        sio.read_articles(tmp_path)


def test_unknown_suffix_skipped_in_directory_but_sniffed_when_named(tmp_path):
    _write(tmp_path / "a.txt", PROSE)
    _write(tmp_path / "b.log", PROSE + "log")
    _write(tmp_path / "c.page", HTML)
    (tmp_path / "d.bin").write_bytes(bytes(range(256)) * 4)
    assert _read_quiet(tmp_path)["article"].tolist() == ["a"]
    arts = _read_quiet([tmp_path / "b.log", tmp_path / "c.page"])
    assert arts["text"].tolist()[0] == PROSE + "log"
    assert arts["text"].tolist()[1].startswith("Canadian Prime Minister")  # sniffed as HTML
    with pytest.raises(StancekitError, match=r"d\.bin: binary"):
        sio.read_articles(tmp_path / "d.bin", errors="raise")


def test_directory_skips_sidecars_registry_readme_and_hidden(tmp_path):
    _write(tmp_path / "a.txt", PROSE)
    _write(tmp_path / "a.meta.json", json.dumps({"outlet": "X"}))
    _write(tmp_path / "registry.yaml", "speakers: []\n")
    _write(tmp_path / "README.md", "# Readme\n" + PROSE)
    _write(tmp_path / ".hidden.txt", PROSE)
    _write(tmp_path / "registry.json", json.dumps([{"text": PROSE}]))
    arts = _read_quiet(tmp_path)
    assert arts["article"].tolist() == ["a"]


# --- walking and streaming ------------------------------------------------------


def test_directory_walk_is_sorted_recursive_with_relative_ids(tmp_path):
    for rel in ["b.txt", "a/z.txt", "a/b/c.md", "c.txt", "A.txt", "a10.txt", "a2.txt"]:
        _write(tmp_path / rel, PROSE + rel)
    arts = _read_quiet(tmp_path)
    assert arts["article"].tolist() == ["A", "a/b/c", "a/z", "a10", "a2", "b", "c"]
    assert arts["text"].tolist()[1] == PROSE + "a/b/c.md"
    again = _read_quiet(tmp_path)
    pd.testing.assert_frame_equal(arts, again)


def test_several_sources_keep_given_order(tmp_path):
    _write(tmp_path / "one" / "x.txt", PROSE + "1")
    _write(tmp_path / "two" / "a.txt", PROSE + "2")
    arts = _read_quiet([tmp_path / "two", tmp_path / "one" / "x.txt"])
    assert arts["article"].tolist() == ["a", "x"]


def test_duplicate_ids_are_made_unique(tmp_path):
    _write(tmp_path / "s.txt", PROSE + "txt")
    _write(tmp_path / "s.md", PROSE + "md")
    _write(tmp_path / "f.jsonl", "\n".join(json.dumps({"id": "k", "text": PROSE + str(i)}) for i in range(3)))
    arts = _read_quiet(tmp_path)
    assert arts["article"].tolist() == ["k", "k#2", "k#3", "s", "s.txt"]
    assert arts["article"].is_unique


def test_iter_articles_is_lazy(tmp_path, monkeypatch):
    for i in range(5):
        _write(tmp_path / f"{i}.txt", PROSE + str(i))
    opened = []
    real = pathlib.Path.read_bytes

    def spy(self):
        opened.append(self.name)
        return real(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", spy)
    it = sio.iter_articles(tmp_path)
    assert opened == []  # nothing read before the first next()
    first = next(it)
    assert first["article"] == "0"
    assert opened == ["0.txt"]
    second = next(it)
    assert second["article"] == "1" and opened == ["0.txt", "1.txt"]
    assert [a["article"] for a in it] == ["2", "3", "4"]


def test_iter_articles_yields_dicts_with_article_keys():
    art = next(sio.iter_articles(SEEDS))
    assert list(art) == ARTICLE_COLUMNS


# --- DataFrame source -----------------------------------------------------------


def test_dataframe_source_with_id_column_and_metadata():
    df = pd.DataFrame({"doc": ["x", "y"], "body": [PROSE, PROSE + "\r\nmore"], "outlet": ["O", None]})
    before = df.copy()
    arts = _read_quiet(df, text="body", article="doc")
    pd.testing.assert_frame_equal(df, before)
    assert arts["article"].tolist() == ["x", "y"]
    assert arts["text"].tolist()[1] == PROSE + "\nmore"
    assert arts["outlet"].tolist()[0] == "O" and pd.isna(arts["outlet"].iloc[1])
    assert arts["source"].isna().all()


def test_dataframe_source_ids_from_index_and_bad_rows():
    df = pd.DataFrame({"text": [PROSE, "", None, "12 34"]}, index=[10, 11, 12, 13])
    with pytest.warns(UserWarning, match=r"skipped 3 of 4 inputs: row 11 \(empty\), row 12 \(empty\), row 13"):
        arts = sio.read_articles(df)
    assert arts["article"].tolist() == ["10"]


def test_dataframe_source_missing_text_column():
    with pytest.raises(KeyError, match="body"):
        sio.read_articles(pd.DataFrame({"text": [PROSE]}), text="body")


# --- result frames --------------------------------------------------------------


def _result_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "article": pd.array(["a", "a", "b"], dtype="string"),
        "speaker": pd.array(["Mark Carney", pd.NA, "Eby \u201cquoted\u201d"], dtype="string"),
        "start": pd.array([0, 5, 7], dtype="int64"),
        "mention_start": pd.array([3, pd.NA, 9], dtype="Int64"),
        "confidence": [0.9, float("nan"), 1.0],
        "direct": [True, False, True],
    })


def test_jsonl_round_trip_and_null_encoding(tmp_path):
    df = _result_frame()
    path = sio.write_frame(df, tmp_path / "out" / "s.jsonl")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    second = json.loads(lines[1])
    assert second == {"article": "a", "speaker": None, "start": 5, "mention_start": None,
                      "confidence": None, "direct": False}
    assert '"start": 5,' in lines[1]  # ints stay ints
    assert "\u201cquoted\u201d" in lines[2]  # not \u-escaped
    back = sio.read_frame(path)
    pd.testing.assert_frame_equal(back, df)


def test_csv_round_trip(tmp_path):
    df = _result_frame()
    path = sio.write_frame(df, tmp_path / "s.csv")
    back = sio.read_frame(path)
    assert list(back.columns) == list(df.columns)
    assert back["start"].tolist() == [0, 5, 7]
    assert back["mention_start"].dtype == "Int64" and back["mention_start"].isna().tolist() == [False, True, False]
    assert back["speaker"].iloc[2] == "Eby \u201cquoted\u201d" and back["speaker"].iloc[1] is pd.NA
    assert back["confidence"].tolist()[0] == 0.9
    assert back["direct"].tolist() == [True, False, True]


def test_parquet_round_trip(tmp_path):
    pytest.importorskip("pyarrow")
    df = _result_frame()
    back = sio.read_frame(sio.write_frame(df, tmp_path / "s.parquet"))
    pd.testing.assert_frame_equal(back, df)


def test_format_argument_overrides_suffix(tmp_path):
    df = _result_frame()
    sio.write_frame(df, tmp_path / "s.data", format="csv")
    assert (tmp_path / "s.data").read_text().startswith("article,speaker,start")
    with pytest.raises(ValueError, match="format"):
        sio.write_frame(df, tmp_path / "s.data")
    with pytest.raises(ValueError, match="format"):
        sio.write_frame(df, tmp_path / "s.jsonl", format="xml")


def test_write_frame_to_stdout(capsys):
    sio.write_frame(pd.DataFrame({"a": pd.array([1, pd.NA], dtype="Int64")}), "-")
    assert capsys.readouterr().out == '{"a": 1}\n{"a": null}\n'
    sio.write_frame(pd.DataFrame({"a": [1]}), "-", format="csv")
    assert capsys.readouterr().out == "a\n1\n"
    with pytest.raises(ValueError, match="stdout"):
        sio.write_frame(pd.DataFrame({"a": [1]}), "-", format="parquet")


def test_write_frame_failure_leaves_no_partial_file(tmp_path):
    pytest.importorskip("pyarrow")
    target = tmp_path / "s.parquet"
    target.write_bytes(b"old")
    bad = pd.DataFrame({"x": [object(), 1]})  # pyarrow cannot convert an object()
    with pytest.raises(Exception):
        sio.write_frame(bad, target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["s.parquet"]


def test_write_jsonl_stream_writes_incrementally_and_atomically(tmp_path):
    target = tmp_path / "stream.jsonl"
    seen_tmp = []

    def rows():
        for i in range(3):
            yield {"i": i, "x": pd.NA}
            seen_tmp.append(sorted(p.name for p in tmp_path.iterdir()))
        yield pd.DataFrame({"i": [3, 4], "x": ["a", None]})

    n = sio.write_jsonl_stream(rows(), target)
    assert n == 5
    # while streaming only the temp file existed, and it grew
    assert all(len(names) == 1 and names[0].startswith(".stream.jsonl.") for names in seen_tmp)
    back = sio.read_frame(target)
    assert back["i"].tolist() == [0, 1, 2, 3, 4]
    assert back["x"].isna().tolist() == [True, True, True, False, True]


def test_write_jsonl_stream_failure_keeps_old_file(tmp_path):
    target = tmp_path / "stream.jsonl"
    target.write_text("old\n")

    def rows():
        yield {"i": 1}
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        sio.write_jsonl_stream(rows(), target)
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["stream.jsonl"]


def test_write_jsonl_stream_stdout(capsys):
    assert sio.write_jsonl_stream([{"a": 1}, {"a": None}], "-") == 2
    assert capsys.readouterr().out == '{"a": 1}\n{"a": null}\n'


def test_read_frame_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.jsonl"):
        sio.read_frame(tmp_path / "missing.jsonl")
    (tmp_path / "bad.jsonl").write_text('{"a": 1}\nnot json\n')
    with pytest.raises(StancekitError, match=r"bad\.jsonl:2"):
        sio.read_frame(tmp_path / "bad.jsonl")


def test_articles_frame_round_trips_through_jsonl(tmp_path):
    arts = _read_quiet(SEEDS)
    back = sio.read_frame(sio.write_frame(arts, tmp_path / "arts.jsonl"))
    pd.testing.assert_frame_equal(back, arts)



def test_symlink_loop_is_not_followed_forever(tmp_path):
    _write(tmp_path / "d" / "a.txt", PROSE)
    try:
        (tmp_path / "d" / "loop").symlink_to(tmp_path / "d", target_is_directory=True)
    except OSError:
        pytest.skip("symlinks not supported here")
    assert _read_quiet(tmp_path)["article"].tolist() == ["d/a"]


def test_undecodable_with_forced_encoding_is_bad_input(tmp_path):
    _write(tmp_path / "u.txt", "Caf\u00e9 politics: the minister resigned on Monday evening.\n")
    _write(tmp_path / "v.txt", PROSE.replace("\u201c", '"').replace("\u201d", '"'))
    with pytest.warns(UserWarning, match=r"skipped 1 of 2 inputs: .*u\.txt \(cannot decode as ascii"):
        arts = sio.read_articles(tmp_path, encoding="ascii")
    assert arts["article"].tolist() == ["v"]


def test_html_with_several_articles_takes_the_longest(tmp_path):
    html = ("<html><body><article><p>Teaser about sports results today.</p></article>"
            f"<article><p>{PROSE.strip()}</p><p>More of the main story follows here.</p></article>"
            "<article><p>Another teaser on the weather.</p></article></body></html>")
    _write(tmp_path / "i.html", html)
    assert _read_quiet(tmp_path).loc[0, "text"] == PROSE.strip() + "\nMore of the main story follows here."
