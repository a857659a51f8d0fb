"""Tests for stancekit.display: highlighted statements as HTML."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from stancekit.display import HighlightedText, _rgba, highlight_statements, show_article
from stancekit.plotting import group_palette
from stancekit.schema import STATEMENT_COLUMNS

TEXT = (
    '"I expect the US administration to respect Canadian sovereignty," Carney said.\n'
    'Eby called it <treason> & more: "there\'s an old-fashioned word for that," he said.'
)


def _stmt(text: str, quote: str, speaker, *, mention: str | None = None, group="Canada",
          kind="direct", cue="said", article="a1", occurrence: int = 0) -> dict:
    start = text.index(quote)
    for _ in range(occurrence):
        start = text.index(quote, start + 1)
    end = start + len(quote)
    row = dict.fromkeys(STATEMENT_COLUMNS, pd.NA)
    row.update(article=article, statement_id=f"{article}:{start}-{end}", speaker=speaker, group=group,
               kind=kind, cue=cue, text=quote, start=start, end=end, sentence=0, confidence=0.9,
               method="rules.v1", resolution="name")
    if mention is not None:
        ms = text.index(mention)
        row.update(mention=mention, mention_start=ms, mention_end=ms + len(mention))
    return row


def _frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=STATEMENT_COLUMNS)
    return df.astype({"start": "int64", "end": "int64", "mention_start": "Int64", "mention_end": "Int64"})


@pytest.fixture
def statements() -> pd.DataFrame:
    return _frame([
        _stmt(TEXT, "I expect the US administration to respect Canadian sovereignty,", "Mark Carney",
              mention="Carney"),
        _stmt(TEXT, "there's an old-fashioned word for that,", "David Eby <BC>", mention="Eby", group="B&C",
              cue="he said"),
    ])


def _marks(obj: HighlightedText):
    soup = BeautifulSoup(obj.html, "html.parser")
    return soup, soup.find_all("mark")


def test_returns_displayable_with_html_fragment(statements):
    out = highlight_statements(TEXT, statements)
    assert isinstance(out, HighlightedText)
    assert out._repr_html_() == out.html == str(out)
    assert out.html.startswith("<div") and out.html.endswith("</div>")
    assert "<script" not in out.html


def test_visible_text_is_the_article_exactly(statements):
    soup, _ = _marks(highlight_statements(TEXT, statements))
    assert soup.find(class_="sk-text").get_text() == TEXT


def test_marks_sit_at_the_statement_offsets(statements):
    _, marks = _marks(highlight_statements(TEXT, statements))
    assert len(marks) == 2
    for mark, (_, row) in zip(marks, statements.iterrows()):
        assert mark.get_text() == TEXT[row["start"]:row["end"]] == row["text"]
        assert (int(mark["data-start"]), int(mark["data-end"])) == (row["start"], row["end"])
        assert mark["data-statement"] == row["statement_id"]


def test_everything_is_escaped(statements):
    html = highlight_statements(TEXT, statements).html
    assert "&lt;treason&gt; &amp; more" in html
    assert "<treason>" not in html and "<BC>" not in html
    soup, marks = _marks(highlight_statements(TEXT, statements))
    assert "speaker: David Eby <BC>" in marks[1]["title"]  # parsed back from the escaped attribute
    assert "group: B&C" in marks[1]["title"]
    assert "kind: direct" in marks[1]["title"] and "cue: he said" in marks[1]["title"]
    assert "David Eby <BC> (1)" in soup.find(class_="sk-legend").get_text()


def test_speaker_mentions_are_underlined(statements):
    soup, _ = _marks(highlight_statements(TEXT, statements))
    mentions = soup.find_all("u", class_="sk-mention")
    assert [u.get_text() for u in mentions] == ["Carney", "Eby"]


def test_colours_follow_speaker_then_group(statements):
    _, marks = _marks(highlight_statements(TEXT, statements))
    pal = group_palette(statements["speaker"])  # the charts' palette: one source for every colour
    first, second = statements.sort_values("start")["speaker"].tolist()[:2]
    assert _rgba(pal[first], 0.35) in marks[0]["style"]
    assert _rgba(pal[second], 0.35) in marks[1]["style"]
    assert pal[first] != pal[second]
    same = statements.assign(group="Canada")
    _, marks = _marks(highlight_statements(TEXT, same, hue="group"))
    assert marks[0]["style"] == marks[1]["style"]
    soup, marks = _marks(highlight_statements(TEXT, statements, colors={"David Eby <BC>": "#112233"}))
    assert "rgba(17, 34, 51, 0.35)" in marks[1]["style"]
    assert "#112233" in str(soup.find(class_="sk-legend"))


def test_missing_speaker_is_grey_unknown():
    df = _frame([_stmt(TEXT, "there's an old-fashioned word for that,", pd.NA)])
    soup, marks = _marks(highlight_statements(TEXT, df))
    assert "rgba(153, 153, 153, 0.35)" in marks[0]["style"]
    assert "(unknown) (1)" in soup.find(class_="sk-legend").get_text()
    assert "speaker:" not in marks[0]["title"]


def test_overlapping_statements_are_split_and_outlined():
    text = "She said that the plan, which he called reckless, would fail badly in the end."
    outer = _stmt(text, "the plan, which he called reckless, would fail", "Ann", article="x")
    inner = _stmt(text, "reckless", "Bob", article="x", kind="partial")
    df = _frame([outer, inner])
    soup, marks = _marks(highlight_statements(text, df))
    assert soup.find(class_="sk-text").get_text() == text
    pieces = [(m.get_text(), m["data-statement"]) for m in marks]
    assert pieces == [
        ("the plan, which he called ", outer["statement_id"]),
        ("reckless", f"{outer['statement_id']} {inner['statement_id']}"),
        (", would fail", outer["statement_id"]),
    ]
    for mark in marks:
        assert text[int(mark["data-start"]):int(mark["data-end"])] == mark.get_text()
    assert "outline" in marks[1]["style"] and "outline" not in marks[0]["style"]
    assert _rgba(group_palette(["Ann", "Bob"])["Bob"], 0.35) in marks[1]["style"]  # the inner (Bob) colour wins
    assert "speaker: Ann" in marks[1]["title"] and "speaker: Bob" in marks[1]["title"]


def test_empty_and_invalid_statements():
    assert "no statements" in highlight_statements(TEXT, None).html
    empty = _frame([])
    soup, marks = _marks(highlight_statements(TEXT, empty))
    assert marks == [] and soup.find(class_="sk-text").get_text() == TEXT
    bad = _frame([_stmt(TEXT, "Carney", "Mark Carney")])
    bad = pd.concat([bad, bad.assign(start=5, end=5), bad.assign(start=10, end=10_000)], ignore_index=True)
    _, marks = _marks(highlight_statements(TEXT, bad))
    assert [m.get_text() for m in marks] == ["Carney"]


def test_max_chars_truncates_and_clips(statements):
    soup, marks = _marks(highlight_statements(TEXT, statements, max_chars=20))
    assert soup.find(class_="sk-text").get_text().startswith(TEXT[:20])
    assert [m.get_text() for m in marks] == [TEXT[1:20]]
    assert f"{len(TEXT) - 20} more characters" in soup.get_text()
    with pytest.raises(ValueError, match="max_chars"):
        highlight_statements(TEXT, statements, max_chars=-1)


def test_article_filter_and_bad_arguments(statements):
    other = statements.assign(article="zz")
    _, marks = _marks(highlight_statements(TEXT, pd.concat([statements.iloc[:1], other.iloc[1:]]), article="a1"))
    assert len(marks) == 1
    with pytest.raises(KeyError, match="start"):
        highlight_statements(TEXT, pd.DataFrame({"speaker": ["x"]}))
    with pytest.raises(TypeError, match="text"):
        highlight_statements(None, statements)


def test_input_frame_not_mutated(statements):
    before = statements.copy()
    highlight_statements(TEXT, statements, hue="group")
    pd.testing.assert_frame_equal(statements, before)


def test_show_article_row_with_header_and_filter(statements):
    row = pd.Series({"article": "a1", "text": TEXT, "source": "x.txt", "title": "Sovereignty <row>",
                     "outlet": "Global Times", "date": "2026-01-30"})
    both = pd.concat([statements, statements.assign(article="b2")], ignore_index=True)
    out = show_article(row, both)
    soup = BeautifulSoup(out.html, "html.parser")
    assert soup.find(class_="sk-title").get_text() == "Sovereignty <row>"
    assert "Global Times" in soup.find(class_="sk-meta").get_text()
    assert len(soup.find_all("mark")) == 2  # b2's copies are filtered out
    plain = show_article(TEXT)
    assert BeautifulSoup(plain.html, "html.parser").find(class_="sk-text").get_text() == TEXT
    with pytest.raises(TypeError):
        show_article(42)


def test_seed_article_with_hand_built_statements():
    from stancekit.io import read_articles

    seeds = Path(__file__).resolve().parents[1] / "seeds"
    art = read_articles(seeds).iloc[0]
    text = art["text"]
    quote = "To go to a foreign country and to ask for assistance in breaking up Canada"
    df = _frame([_stmt(text, quote, "David Eby", mention="Eby", article=art["article"])])
    soup, marks = _marks(show_article(art, df))
    assert [m.get_text() for m in marks] == [quote]
    assert soup.find(class_="sk-text").get_text() == text
