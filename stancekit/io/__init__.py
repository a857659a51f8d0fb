"""Read news articles from files or frames, and write/read result frames.

No NLP happens here: this package turns files (``.txt``, ``.md``, ``.html``,
``.jsonl``, ``.csv``, ``.json``, ``.parquet``) or a DataFrame into an articles frame with
the columns :data:`stancekit.schema.ARTICLE_COLUMNS`, and writes result
frames as JSONL, CSV or Parquet, atomically.

Text is kept exactly as decoded -- curly quotes, non-breaking spaces and
headings glued to the next sentence stay as they are, because extraction
offsets index this text. The one normalisation is line endings: ``\\r\\n``
and lone ``\\r`` become ``\\n``. HTML is the exception by nature: its main
text is extracted (paragraphs joined by ``\\n``, runs of HTML whitespace
collapsed to one space, as a browser shows them), and offsets index the
extracted text.
"""
from __future__ import annotations

from .articles import iter_articles, read_articles
from .decode import MAX_CONTROL_SHARE, MIN_LETTER_SHARE, MIN_LETTERS, PROSE_SAMPLE, decode_bytes
from .formats import ARTICLE_SUFFIXES, ID_FIELDS, META_FIELDS, TEXT_FIELDS
from .frames import FRAME_FORMATS, read_frame, write_frame, write_jsonl_stream

__all__ = [
    "read_articles",
    "iter_articles",
    "write_frame",
    "read_frame",
    "write_jsonl_stream",
    "decode_bytes",
    "ARTICLE_SUFFIXES",
    "FRAME_FORMATS",
]
