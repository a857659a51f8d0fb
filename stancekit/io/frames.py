"""Write and read result frames (JSONL, CSV, Parquet), atomically."""
from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from .._utils import StancekitError, atomic_path, atomic_write_text, check_choice, is_missing
from ..schema import check_frame

#: Formats understood by :func:`write_frame` and :func:`read_frame`.
FRAME_FORMATS = ("jsonl", "csv", "parquet")


# --- result frames -----------------------------------------------------------


def _jsonable(value: Any) -> Any:
    """A JSON-ready copy of one cell: NA -> None, numpy scalars -> Python."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (str, bool)):
        return value
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return value.isoformat()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, int):
        return value
    if hasattr(value, "tolist"):
        return _jsonable(value.tolist())  # numpy scalars and arrays
    return None if is_missing(value) else str(value)


def _row_line(row: Mapping) -> str:
    return json.dumps({str(k): _jsonable(v) for k, v in row.items()}, ensure_ascii=False, allow_nan=False)


def _frame_lines(df: pd.DataFrame) -> Iterator[str]:
    columns = [str(c) for c in df.columns]
    for values in df.itertuples(index=False, name=None):
        yield _row_line(dict(zip(columns, values)))


def _resolve_format(path: str | os.PathLike, format: str | None) -> str:
    if format is not None:
        return check_choice("format", format, FRAME_FORMATS)
    if str(path) == "-":
        return "jsonl"
    suffix = Path(path).suffix.lower()
    found = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv",
             ".parquet": "parquet", ".pq": "parquet"}.get(suffix)
    if found is None:
        raise ValueError(
            f"Cannot tell the format of {str(path)!r} from its suffix {suffix!r}; "
            f"pass `format=` as one of {list(FRAME_FORMATS)} or use .jsonl/.csv/.parquet."
        )
    return found


def write_frame(df: pd.DataFrame, path: str | os.PathLike, *, format: str | None = None) -> Path | None:
    """Write a result frame as JSONL, CSV or Parquet, atomically.

    JSONL has one JSON object per row with missing values (``pd.NA``, NaN,
    None) as ``null`` and integers kept as integers. Columns are written as
    given, without the index. The file appears only when complete (temp file
    in the same folder, then rename); ``"-"`` writes JSONL or CSV to stdout.

    Parameters
    ----------
    df : pandas.DataFrame
        The frame to write; it is not changed.
    path : str or path-like
        Output file, or ``"-"`` for stdout.
    format : {"jsonl", "csv", "parquet"}, optional
        Default: from the suffix (``.jsonl``/``.json``, ``.csv``, ``.parquet``);
        ``"-"`` defaults to JSONL.

    Returns
    -------
    pathlib.Path or None
        The path written, or None for stdout.

    Raises
    ------
    ValueError
        If the format is unknown, or Parquet is asked for on stdout.

    Examples
    --------
    >>> import pandas as pd
    >>> write_frame(pd.DataFrame({"a": [1, None]}, dtype="Int64"), "-")
    {"a": 1}
    {"a": null}
    """
    check_frame(df, [], name="df")
    fmt = _resolve_format(path, format)
    to_stdout = str(path) == "-"
    if fmt == "parquet":
        if to_stdout:
            raise ValueError("Cannot write Parquet to stdout; give a file name.")
        try:
            import pyarrow  # noqa: F401
        except ImportError as exc:
            raise ImportError("Writing Parquet needs pyarrow: pip install pyarrow") from exc
        with atomic_path(path) as tmp:
            df.to_parquet(tmp, index=False)
        return Path(path)
    if fmt == "jsonl":
        text = "".join(line + "\n" for line in _frame_lines(df))
    else:
        text = df.to_csv(index=False, lineterminator="\n")
    if to_stdout:
        sys.stdout.write(text)
        sys.stdout.flush()
        return None
    return atomic_write_text(path, text)


def write_jsonl_stream(rows: Iterable[Mapping | pd.DataFrame], path: str | os.PathLike) -> int:
    """Write rows to a JSONL file as they come, and rename it into place at the end.

    Memory stays bounded however many rows there are. If the iterable
    raises, the temporary file is removed and ``path`` is left untouched.

    Parameters
    ----------
    rows : iterable of mappings or DataFrames
        Each mapping is one line; each DataFrame contributes one line per row
        (e.g. one statements frame per article).
    path : str or path-like
        Output file, or ``"-"`` to write (and flush) lines to stdout.

    Returns
    -------
    int
        The number of lines written.

    Examples
    --------
    >>> write_jsonl_stream(({"n": i} for i in range(2)), "-")
    {"n": 0}
    {"n": 1}
    2
    """
    def lines() -> Iterator[str]:
        for item in rows:
            if isinstance(item, pd.DataFrame):
                yield from _frame_lines(item)
            elif isinstance(item, Mapping):
                yield _row_line(item)
            else:
                raise TypeError(f"write_jsonl_stream: rows must be mappings or DataFrames, not {type(item).__name__}")

    count = 0
    if str(path) == "-":
        for line in lines():
            sys.stdout.write(line + "\n")
            sys.stdout.flush()
            count += 1
        return count
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            for line in lines():
                fh.write(line + "\n")
                count += 1
            fh.flush()
            os.fsync(fh.fileno())
    return count


def _infer_column(values: list) -> pd.Series | list:
    """A typed Series for one JSONL column from its Python values."""
    present = [v for v in values if v is not None]
    has_null = len(present) < len(values)
    if not present:
        return pd.Series([pd.NA] * len(values), dtype="object")
    types = {type(v) for v in present}
    if types == {bool}:
        return pd.Series(values, dtype="boolean" if has_null else "bool")
    if types == {int}:
        return pd.Series(values, dtype="Int64" if has_null else "int64")
    if types <= {int, float}:
        return pd.Series([math.nan if v is None else v for v in values], dtype="float64")
    if types == {str}:
        return pd.Series(values, dtype=pd.StringDtype())
    return pd.Series([pd.NA if v is None else v for v in values], dtype="object")


def read_frame(path: str | os.PathLike, *, format: str | None = None) -> pd.DataFrame:
    """Read a frame written by :func:`write_frame` or :func:`write_jsonl_stream`.

    JSONL columns get types from their values: integers stay integers
    (``Int64`` when some are null), floats ``float64``, strings ``string``
    (missing as ``pd.NA``), booleans ``bool``/``boolean``. CSV uses pandas'
    nullable types the same way; an empty CSV cell reads as missing.

    Parameters
    ----------
    path : str or path-like
        The file to read, or ``"-"`` for JSONL/CSV on stdin.
    format : {"jsonl", "csv", "parquet"}, optional
        Default: from the suffix.

    Returns
    -------
    pandas.DataFrame
        Columns in file order (JSONL: order of first appearance).

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    StancekitError
        If a JSONL line is not a JSON object.

    Examples
    --------
    >>> read_frame("statements.jsonl")  # doctest: +SKIP
    """
    fmt = _resolve_format(path, format)
    to_stdin = str(path) == "-"
    if not to_stdin and not Path(path).exists():
        raise FileNotFoundError(f"No such file: {str(path)!r}")
    if fmt == "parquet":
        if to_stdin:
            raise ValueError("Cannot read Parquet from stdin; give a file name.")
        return pd.read_parquet(path)
    if fmt == "csv":
        frame = pd.read_csv(sys.stdin if to_stdin else path, dtype_backend="numpy_nullable")
        floats = {c: "float64" for c, t in frame.dtypes.items() if isinstance(t, pd.Float64Dtype)}
        return frame.astype(floats) if floats else frame
    handle = sys.stdin if to_stdin else open(path, encoding="utf-8-sig")
    records: list[dict] = []
    try:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as exc:
                raise StancekitError(f"{path}:{lineno}: not JSON ({exc})") from exc
            if not isinstance(record, dict):
                raise StancekitError(f"{path}:{lineno}: not a JSON object")
            records.append(record)
    finally:
        if not to_stdin:
            handle.close()
    columns: dict[str, None] = {}
    for record in records:
        columns.update(dict.fromkeys(record))
    data = {col: _infer_column([r.get(col) for r in records]) for col in columns}
    return pd.DataFrame(data, columns=list(columns), index=pd.RangeIndex(len(records)))
