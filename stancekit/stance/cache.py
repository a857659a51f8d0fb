"""The on-disk score cache: probabilities per (model, settings, target, text, span) in SQLite."""
from __future__ import annotations

import os
import sqlite3
import time
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path

#: Parameters per SQLite ``IN (...)`` query; SQLite's default limit is 32766.
_SQL_CHUNK = 900

# --- cache ----------------------------------------------------------------------


def default_cache_dir() -> Path:
    """``$STANCEKIT_CACHE_DIR`` if set, else ``platformdirs.user_cache_dir("stancekit")``."""
    env = os.environ.get("STANCEKIT_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("stancekit"))


class ScoreCache:
    """Probabilities per (model, backend settings, target, text, span) in SQLite.

    Safe for several processes: WAL journal, 30 s busy timeout, short
    ``INSERT OR REPLACE`` transactions. Reads fetch a chunk of keys with one
    ``SELECT ... IN (...)``. The connection is reopened after a fork.

    Parameters
    ----------
    path : str or path-like
        The SQLite file; its folder is created.

    Examples
    --------
    >>> import tempfile, os
    >>> c = ScoreCache(os.path.join(tempfile.mkdtemp(), "scores.sqlite"))
    >>> c.put_many([("k", (0.1, 0.2, 0.7), False)]); c.get_many(["k"])["k"]
    (0.1, 0.2, 0.7, False)
    """

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._conn: sqlite3.Connection | None = None
        self._pid: int | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        self.path.parent.mkdir(parents=True, exist_ok=True)
        last: Exception | None = None
        for attempt in range(10):
            try:
                conn = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS scores (key TEXT PRIMARY KEY, p_against REAL NOT NULL, "
                    "p_none REAL NOT NULL, p_favor REAL NOT NULL, truncated INTEGER NOT NULL) WITHOUT ROWID"
                )
                # Per-pair notes of backends that have them (the llm backend's `prob_source`), as JSON text.
                conn.execute("CREATE TABLE IF NOT EXISTS info (key TEXT PRIMARY KEY, info TEXT NOT NULL) WITHOUT ROWID")
                break
            except sqlite3.DatabaseError as exc:
                if "not a database" in str(exc) or "malformed" in str(exc):
                    # A corrupt file (a crash of another program, a truncated copy): move it aside once,
                    # with its WAL/SHM, and start a new cache; the warning names where it went.
                    aside = self._move_aside()
                    warnings.warn(f"score cache {self.path} was corrupt ({exc}); moved to {aside.name} and "
                                  "rebuilt", stacklevel=5)
                    last = exc
                    continue
                if not isinstance(exc, sqlite3.OperationalError):
                    raise
                last = exc  # "database is locked" while another process sets WAL
                time.sleep(0.05 * (attempt + 1))
        else:
            raise last  # type: ignore[misc]
        self._conn, self._pid = conn, os.getpid()
        return conn

    def _move_aside(self) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{os.getpid()}")
        os.replace(self.path, aside)
        for ext in ("-wal", "-shm"):
            side = self.path.with_name(self.path.name + ext)
            if side.exists():
                os.replace(side, aside.with_name(aside.name + ext))
        return aside

    def get_many(self, keys: Sequence[str]) -> dict[str, tuple[float, float, float, bool]]:
        """Cached ``(p_against, p_none, p_favor, truncated)`` for the keys found."""
        conn = self._connect()
        found: dict[str, tuple[float, float, float, bool]] = {}
        keys = list(dict.fromkeys(keys))
        for i in range(0, len(keys), _SQL_CHUNK):
            chunk = keys[i:i + _SQL_CHUNK]
            q = f"SELECT key, p_against, p_none, p_favor, truncated FROM scores WHERE key IN ({','.join('?' * len(chunk))})"
            for k, a, n, f, t in conn.execute(q, chunk):
                found[k] = (a, n, f, bool(t))
        return found

    def get_info(self, keys: Sequence[str]) -> dict[str, str]:
        """Stored per-pair notes (JSON text) for the keys that have them."""
        conn = self._connect()
        found: dict[str, str] = {}
        keys = list(dict.fromkeys(keys))
        for i in range(0, len(keys), _SQL_CHUNK):
            chunk = keys[i:i + _SQL_CHUNK]
            q = f"SELECT key, info FROM info WHERE key IN ({','.join('?' * len(chunk))})"
            found.update(conn.execute(q, chunk))
        return found

    def put_many(self, rows: Iterable[tuple[str, Sequence[float], bool]], info: dict[str, str] | None = None) -> None:
        """Store ``(key, (p_against, p_none, p_favor), truncated)`` rows in one short transaction.

        ``info`` optionally maps some of the keys to a note (JSON text) stored with them.
        """
        data = [(k, float(p[0]), float(p[1]), float(p[2]), int(bool(t))) for k, p, t in rows]
        if not data:
            return
        conn = self._connect()
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany("INSERT OR REPLACE INTO scores VALUES (?, ?, ?, ?, ?)", data)
            if info:
                conn.executemany("INSERT OR REPLACE INTO info VALUES (?, ?)", list(info.items()))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        self._conn = None
