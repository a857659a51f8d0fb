"""Rough edges of the command line (issue 10): every defect is one line and exit 2, or one warning and the
batch goes on without losing a good row. Commands run in-process through ``stancekit.cli.main`` (fast);
the score tests use the VADER backend, so no model is loaded.

Defects whose fix lives inside the stance engine (``StanceModel``) are tested at the API level too:
the engine checks them itself, and the CLI also checks them before any work.
"""
from __future__ import annotations

import json
import sqlite3
import warnings
from pathlib import Path

import pandas as pd
import pytest

import stancekit.extraction as extraction
import stancekit.io as skio
from stancekit import StancekitError
from stancekit.cli import _EXAMPLES, build_parser, main
from stancekit.models import StanceModel

from test_pipeline import ARTICLES, FakeModel, fake_extract

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "seeds" / "global-times-2026-01-30-us-canada-sovereignty.txt"

GOOD = ["Canada criticised the US tariffs.", "The US is a good partner.", "Washington said nothing.",
        "Ottawa praised the deal.", "The talks with the US failed.", "Exports to the US rose.",
        "US officials were pleased.", "Trade with the US is vital.", "The US plan is reckless."]


def lines(texts, **extra) -> bytes:
    return b"".join(json.dumps({"text": t, **extra}).encode() + b"\n" for t in texts)


def run(capsys, *argv) -> tuple[int, list[str], str]:
    """Exit code, non-empty stderr lines and stdout of one in-process CLI call."""
    rc = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return rc, [line for line in err.splitlines() if line.strip()], out


def one_error(err: list[str], *needles: str) -> str:
    errors = [line for line in err if "error:" in line]
    assert len(errors) == 1, err
    assert not any("Traceback" in line for line in err)
    for needle in needles:
        assert needle in errors[0], errors[0]
    return errors[0]


def scored_rows(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("STANCEKIT_CACHE_DIR", str(tmp_path / "cache"))


def score(capsys, path, *more):
    return run(capsys, "score", path, "--target", "the United States", "--alias", "US", "--backend", "vader",
               "-q", *more)


# --- score: decode per line, keep every good line ------------------------------------


def test_one_line_with_byte_e9_is_skipped_and_the_rest_kept(tmp_path, capsys):
    data = lines(GOOD[:4]) + b'{"text": "caf\xe9 in the US"}\n' + lines(GOOD[4:])
    (tmp_path / "in.jsonl").write_bytes(data)
    rc, err, out = score(capsys, tmp_path / "in.jsonl")
    assert rc == 0
    assert len(err) == 1 and "in.jsonl:5: not UTF-8 (byte 0xE9" in err[0] and "line skipped" in err[0]
    assert [r["text"] for r in scored_rows(out)] == GOOD


def test_a_lone_surrogate_loses_only_its_line(tmp_path, capsys):
    data = lines(GOOD[:5]) + b'{"text": "bad \\ud800 text about the US"}\n' + lines(GOOD[5:])
    (tmp_path / "in.jsonl").write_bytes(data)
    rc, err, out = score(capsys, tmp_path / "in.jsonl")
    assert rc == 0
    assert len(err) == 1 and "in.jsonl:6:" in err[0] and "surrogate" in err[0]
    assert len(scored_rows(out)) == 9


def test_utf16_jsonl_is_read_whole(tmp_path, capsys):
    text = "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in GOOD[:3] + ["Montréal et les US"])
    (tmp_path / "in.jsonl").write_bytes(text.encode("utf-16"))
    rc, err, out = score(capsys, tmp_path / "in.jsonl")
    assert rc == 0 and err == []
    assert [r["text"] for r in scored_rows(out)][-1] == "Montréal et les US"


def test_cp1252_jsonl_keeps_its_ascii_lines(tmp_path, capsys):
    text = "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n"
                   for t in ["Le Québec et les US", GOOD[0], "Un café à Washington", GOOD[1]])
    (tmp_path / "in.jsonl").write_bytes(text.encode("cp1252"))
    rc, err, out = score(capsys, tmp_path / "in.jsonl")
    assert rc == 0
    assert [e.split(": warning: ")[1].split(":")[1] for e in err] == ["1", "3"]
    assert [r["text"] for r in scored_rows(out)] == GOOD[:2]


def test_binary_jsonl_is_one_error(tmp_path, capsys):
    (tmp_path / "in.jsonl").write_bytes(bytes(range(256)) * 40)
    rc, err, out = score(capsys, tmp_path / "in.jsonl")
    assert rc == 2 and out == ""
    one_error(err, "no readable lines in", "in.jsonl")
    assert len(err) <= 22  # at most 20 line warnings, a count, and the error


def test_score_on_a_folder_says_so(tmp_path, capsys):
    rc, err, _ = score(capsys, tmp_path)
    assert rc == 2
    one_error(err, "is a folder")


def test_target_offsets_out_of_range_or_reversed_warn_and_the_row_is_kept(tmp_path, capsys):
    rows = [{"text": "Canada criticised the US.", "target": "US", "target_start": 22, "target_end": 24},
            {"text": "The US is a good partner.", "target": "US", "target_start": 40, "target_end": 42},
            {"text": "Washington said nothing.", "target": "Washington", "target_start": 10, "target_end": 0}]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    rc, err, out = run(capsys, "score", tmp_path / "in.jsonl", "--backend", "vader", "-q")
    assert rc == 0 and len(scored_rows(out)) == 3
    assert len(err) == 2
    assert "in.jsonl:2:" in err[0] and "out of range" in err[0]
    assert "in.jsonl:3:" in err[1] and "reversed" in err[1]
    assert all(r["target_mentioned"] for r in scored_rows(out))  # looked up by name instead


# --- outputs: no tracebacks for files where folders are (and the reverse) ----------------


def test_analyze_output_that_is_a_file_fails_before_any_work(tmp_path, capsys, monkeypatch):
    existing = tmp_path / "out.txt"
    existing.write_text("keep me", encoding="utf-8")

    def no_reading(*a, **k):
        raise AssertionError("articles were read before -o was checked")

    monkeypatch.setattr(skio, "read_articles", no_reading)
    rc, err, _ = run(capsys, "analyze", SEED, "--target", "Canada", "-o", existing, "-q")
    assert rc == 2
    one_error(err, "out.txt is a file")
    assert existing.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize("bad, needle", [("--n-boot 0", "--n-boot 0"), ("--registry nope.yaml", "nope.yaml")])
def test_analyze_checks_options_before_reading(tmp_path, capsys, monkeypatch, bad, needle):
    def no_reading(*a, **k):
        raise AssertionError("articles were read before the options were checked")

    monkeypatch.setattr(skio, "read_articles", no_reading)
    rc, err, _ = run(capsys, "analyze", SEED, "--target", "Canada", *bad.split(), "-o", tmp_path / "out", "-q")
    assert rc == 2
    one_error(err, needle)


def test_statements_and_score_to_a_folder(tmp_path, capsys):
    rc, err, _ = run(capsys, "statements", SEED, "-o", tmp_path, "--format", "csv", "-q")
    assert rc == 2
    one_error(err, "is a folder", "statements.csv")
    (tmp_path / "in.jsonl").write_bytes(lines(GOOD[:2]))
    rc, err, _ = score(capsys, tmp_path / "in.jsonl", "-o", tmp_path)
    assert rc == 2
    one_error(err, "is a folder")


def test_output_below_a_file(tmp_path, capsys):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    rc, err, _ = run(capsys, "statements", SEED, "-o", tmp_path / "file" / "x.jsonl", "-q")
    assert rc == 2
    one_error(err, "file is a file, not a folder")


def test_errors_speak_cli_not_python(tmp_path, capsys):
    rc, err, _ = run(capsys, "statements", SEED, "-o", tmp_path / "out.txt", "-q")
    assert rc == 2
    line = one_error(err, "--format")
    assert "format=" not in line


# --- devices, lengths, targets, cache --------------------------------------------------


def test_unknown_device(tmp_path, capsys):
    (tmp_path / "in.jsonl").write_bytes(lines(GOOD[:2]))
    rc, err, _ = score(capsys, tmp_path / "in.jsonl", "--device", "bogus")
    assert rc == 2
    one_error(err, "--device bogus", "cpu")


def test_cuda_without_cuda(tmp_path, capsys):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    (tmp_path / "in.jsonl").write_bytes(lines(GOOD[:2]))
    rc, err, _ = score(capsys, tmp_path / "in.jsonl", "--device", "cuda")
    assert rc == 2
    one_error(err, "--device cuda", "--device cpu")


def test_max_length_beyond_the_model(tmp_path, capsys):
    (tmp_path / "in.jsonl").write_bytes(lines([" ".join(["The US tariffs hurt."] * 300)]))
    rc, err, _ = run(capsys, "score", tmp_path / "in.jsonl", "--target", "US", "--max-length", "1000", "-q")
    assert rc == 2
    one_error(err, "--max-length 1000", "512")


def test_cache_dir_that_is_a_file(tmp_path, capsys, monkeypatch):
    blocker = tmp_path / "cachefile"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("STANCEKIT_CACHE_DIR", str(blocker))
    (tmp_path / "in.jsonl").write_bytes(lines(GOOD[:2]))
    rc, err, _ = score(capsys, tmp_path / "in.jsonl")
    assert rc == 2
    one_error(err, "STANCEKIT_CACHE_DIR", "is a file")


def test_corrupt_cache_is_moved_aside_once(tmp_path, capsys, monkeypatch):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "scores.sqlite").write_bytes(b"this is not a database" * 100)
    (tmp_path / "in.jsonl").write_bytes(lines(GOOD))
    rc, err, out = score(capsys, tmp_path / "in.jsonl")
    assert rc == 0 and len(scored_rows(out)) == 9
    assert len(err) == 1 and "moved aside" in err[0] and "scores.sqlite.corrupt" in err[0]
    assert (cache / "scores.sqlite.corrupt").exists()
    rc, err, out = score(capsys, tmp_path / "in.jsonl")
    assert rc == 0 and err == [] and len(scored_rows(out)) == 9  # no warning on later runs
    with sqlite3.connect(cache / "scores.sqlite") as conn:
        assert conn.execute("SELECT COUNT(*) FROM scores").fetchone()[0] >= 9  # rebuilt


def test_analyze_targets_none_is_a_clear_type_error():
    from stancekit.pipeline import analyze

    with pytest.raises(TypeError, match="`targets`"):
        analyze(ARTICLES, targets=None)
    with pytest.raises(TypeError, match="`targets`"):
        analyze(ARTICLES, targets=123)


# --- registry ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, needles",
    [
        ("speakers:\n  - name: Mark Carney\n    aliases: 123\n", ["reg.yaml", "line 2", "aliases"]),
        ("speakers:\n  Mark Carney:\n    group: x\n", ["reg.yaml", "must be a list"]),
        ("speakers:\n  - name: A\n   group: [x\n", ["reg.yaml:", "cannot parse YAML"]),
    ],
)
def test_malformed_registry_is_one_line_before_reading(tmp_path, capsys, monkeypatch, content, needles):
    (tmp_path / "reg.yaml").write_text(content, encoding="utf-8")

    def no_reading(*a, **k):
        raise AssertionError("articles were read before the registry was checked")

    monkeypatch.setattr(skio, "read_articles", no_reading)
    rc, err, _ = run(capsys, "analyze", SEED, "--target", "Canada", "--registry", tmp_path / "reg.yaml",
                     "-o", tmp_path / "out", "-q")
    assert rc == 2
    one_error(err, *needles)
    rc, err, _ = run(capsys, "statements", SEED, "--registry", tmp_path / "reg.yaml", "-q")
    assert rc == 2
    one_error(err, *needles)


def test_registry_in_cp1252_is_named(tmp_path, capsys):
    (tmp_path / "reg.yaml").write_bytes("speakers:\n  - name: François Legault\n".encode("cp1252"))
    rc, err, _ = run(capsys, "speakers", SEED, "--registry", tmp_path / "reg.yaml", "-q")
    assert rc == 2
    one_error(err, "reg.yaml:2", "not UTF-8")


def test_duplicate_registry_name_is_one_warning_and_the_run_goes_on(tmp_path, capsys):
    (tmp_path / "reg.yaml").write_text(
        "speakers:\n  - name: Mark Carney\n    group: a\n  - name: Mark Carney\n    group: b\n", encoding="utf-8")
    rc, err, out = run(capsys, "statements", SEED, "--registry", tmp_path / "reg.yaml", "-q")
    assert rc == 0 and scored_rows(out)
    warned = [line for line in err if "warning" in line]
    assert len(warned) == 1 and "Mark Carney" in warned[0] and "line 2" in warned[0] and "line 4" in warned[0]


def test_evaluate_statements_names_the_undecodable_gold_file(tmp_path, capsys):
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "a.jsonl").write_text('{"article": "a"}\n', encoding="utf-8")
    (gold / "b.jsonl").write_bytes(b'{"article": "b"}\n{"text": "caf\xe9"}\n')
    rc, err, _ = run(capsys, "evaluate-statements", "--gold", gold, SEED, "-q")
    assert rc == 2
    one_error(err, "b.jsonl:2", "not UTF-8")


# --- output folders: no temporary files, no stale charts -----------------------------------


@pytest.fixture
def fakes(monkeypatch):
    monkeypatch.setattr(extraction, "extract_statements", fake_extract)
    monkeypatch.setattr("stancekit.models.StanceModel.predict", FakeModel.predict)


def _analyze(capsys, tmp_path, out, *more):
    src = tmp_path / "in.csv"
    if not src.exists():
        ARTICLES.to_csv(src, index=False)
    return run(capsys, "analyze", src, "--target", "Canada", "--n-boot", "50", "-o", out, "-q", *more)


def test_a_second_run_removes_only_the_stale_outputs_it_wrote(tmp_path, capsys, fakes):
    out = tmp_path / "out"
    rc, _, _ = _analyze(capsys, tmp_path, out, "--svg")
    assert rc == 0
    first = {p.name for p in out.iterdir()}
    assert {"tone_by_group.svg", "stancekit-manifest.json"} <= first
    (out / "my_notes.txt").write_text("mine", encoding="utf-8")
    rc, _, _ = _analyze(capsys, tmp_path, out)
    assert rc == 0
    second = {p.name for p in out.iterdir()}
    assert not any(n.endswith(".svg") for n in second)  # last run's SVGs are gone
    assert "my_notes.txt" in second  # never touch files stancekit did not write
    manifest = json.loads((out / "stancekit-manifest.json").read_text(encoding="utf-8"))
    corpus_run = {"statements", "scores", "_partitions", "run.json"}  # the partitions' own, kept across runs
    assert sorted(manifest["files"]) == sorted(second - {"my_notes.txt", "stancekit-manifest.json"} - corpus_run)


def test_interrupted_analyze_leaves_no_temporary_files(tmp_path, capsys, fakes, monkeypatch):
    out = tmp_path / "out"
    rc, _, _ = _analyze(capsys, tmp_path, out)
    assert rc == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    # a killed earlier run left a staging folder and a temporary file
    (out / ".stancekit-run-deadbeef").mkdir()
    (out / ".stancekit-run-deadbeef" / "scores.csv").write_text("partial", encoding="utf-8")
    (out / ".summary.csv.abcd1234.tmp").write_text("partial", encoding="utf-8")

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr("stancekit.report.write_report", interrupted)
    # the same targets (other targets in the same folder are refused), new chart formats: the report is redrawn
    rc = main(["analyze", str(tmp_path / "in.csv"), "--target", "Canada", "--n-boot", "50", "-o", str(out), "-q",
               "--svg"])
    assert rc == 130
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before  # leftovers cleaned at start, staging removed at exit, last outputs intact


def test_by_speaker_names_charts_for_speakers(tmp_path, capsys, fakes):
    out = tmp_path / "out"
    rc, _, _ = _analyze(capsys, tmp_path, out, "--by", "speaker")
    assert rc == 0
    names = {p.name for p in out.iterdir()}
    assert {"tone_by_speaker.png", "stance_composition_by_speaker.png", "statement_strip_by_speaker.png"} <= names
    assert not any("group" in n for n in names)
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "tone_by_speaker" in page and "tone_by_group" not in page


def test_no_matplotlib_warnings_reach_the_user(tmp_path, capsys, fakes):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rc, err, _ = _analyze(capsys, tmp_path, tmp_path / "out")
    assert rc == 0
    assert not [w for w in caught if "matplotlib" in (w.filename or "") or "layout" in str(w.message)]
    assert not any("warning" in line for line in err)


# --- help -----------------------------------------------------------------------------------


def test_every_help_text_ends_with_examples():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, p in sub.choices.items():
        if name not in _EXAMPLES:
            continue
        text = p.format_help().rstrip()
        tail = text.split("examples:")[-1]
        assert "examples:" in text and f"stancekit {name}" in tail, name
    assert {"analyze", "score", "statements", "speakers", "evaluate-statements"} <= set(_EXAMPLES)


# --- inside the stance engine -------------------------------------------------------------------


def test_engine_predict_with_targets_123_names_the_argument():
    with pytest.raises(TypeError, match="`targets`"):
        StanceModel(backend="vader", cache=False).predict(pd.DataFrame({"text": ["x"]}), targets=123)


def test_engine_max_length_beyond_position_embeddings():
    long = " ".join(["The US tariffs hurt Canadian exporters."] * 200)
    sm = StanceModel(max_length=1000, cache=False, precision="fp32")
    with pytest.raises((ValueError, StancekitError), match="max_length"):
        sm.predict([long], targets=["the United States"])


def test_engine_unknown_device():
    with pytest.raises(ValueError, match="device"):
        StanceModel(device="bogus", cache=False).predict(["The US is fine."], targets=["US"])


def test_engine_cache_dir_that_is_a_file(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("STANCEKIT_CACHE_DIR", str(blocker))
    with pytest.warns(UserWarning, match="cache"):
        out = StanceModel(backend="vader").predict(["The US is fine."], targets=["US"])
    assert len(out) == 1


def test_engine_corrupt_cache_moved_aside_once(tmp_path):
    (tmp_path / "scores.sqlite").write_bytes(b"garbage" * 100)
    for _ in range(2):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            StanceModel(backend="vader", cache_dir=tmp_path).predict(["The US is fine."], targets=["US"])
        if _ == 1:
            assert not [w for w in caught if "cache" in str(w.message)]
    assert list(tmp_path.glob("scores.sqlite.corrupt*"))


def test_engine_warns_on_bad_target_offsets():
    frame = pd.DataFrame({"text": ["Canada criticised the US."], "target": ["US"], "target_start": [40],
                          "target_end": [42]})
    with pytest.warns(UserWarning, match="target_start"):
        StanceModel(backend="vader", cache=False).predict(frame)


# --- inputs: a registry given as an article, the CSV text column --------------------------


def test_yaml_passed_as_an_article_is_not_read_and_suggests_registry(tmp_path, capsys):
    art = tmp_path / "a.txt"
    art.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    rc, err, out = run(capsys, "statements", art, REPO / "seeds" / "registry.yaml", "-q")
    assert rc == 0
    assert len(err) == 1 and "registry.yaml" in err[0] and "--registry" in err[0]
    rows = scored_rows(out)
    assert rows and {r["article"] for r in rows} == {"a"}  # the YAML did not become an article


def test_csv_text_column_other_than_text_is_named(tmp_path, caplog):
    import logging

    path = tmp_path / "arts.csv"
    pd.DataFrame({"id": ["a1"], "body": ["Prime Minister Mark Carney said on Tuesday that Canada would "
                                         "not accept the tariffs."]}).to_csv(path, index=False)
    with caplog.at_level(logging.INFO, logger="stancekit.io"):
        arts = skio.read_articles(path)
    assert len(arts) == 1
    assert any("'body' is used as the article text" in r.getMessage() for r in caplog.records)
