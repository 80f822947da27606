"""Chroma: the only module that imports chromadb. Vectors only; chunk text lives in packs.

A `VectorStore` takes a Chroma client the caller built (embedded, HTTP or in-memory), or opens
one itself from a folder or a server address.

Embedded mode keeps one PersistentClient per folder per process (a second one can hang). When
the folder is replaced under a running process (deleted, then rebuilt by `rag ingest --rebuild`
elsewhere), the next failing call closes that client and opens the new files. Server mode talks
to `chroma run` through HttpClient.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

import numpy as np

from rag.errors import IndexUnavailable

T = TypeVar("T")
_CLIENTS: dict[str, Any] = {}
_OPENED: dict[str, tuple[int, int] | None] = {}  # identity of each local client's database file
_LOCK = threading.Lock()
DATABASE_FILE = "chroma.sqlite3"


def _chroma_settings() -> Any:
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def _identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of a local store's database file; None when it is missing."""
    try:
        st = (path / DATABASE_FILE).stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _key(path: Path | None, url: str | None) -> str:
    return url or str(Path(path or ".").resolve())


def _client(path: Path | None, url: str | None, key: str | None = None) -> Any:
    """The client of a folder or server (`key`: its `_key`, if the caller has it already)."""
    import chromadb

    key = key or _key(path, url)
    with _LOCK:
        if key not in _CLIENTS:
            try:
                if url:
                    parsed = urlparse(url)
                    _CLIENTS[key] = chromadb.HttpClient(
                        host=parsed.hostname or "127.0.0.1",
                        port=parsed.port or 8000,
                        ssl=parsed.scheme == "https",
                        settings=_chroma_settings(),
                    )
                else:
                    assert path is not None
                    path.mkdir(parents=True, exist_ok=True)
                    problem = _unreadable(path)
                    if problem:
                        raise RuntimeError(problem)
                    _CLIENTS[key] = chromadb.PersistentClient(
                        path=str(path), settings=_chroma_settings()
                    )
                    _OPENED[key] = _identity(path)
            except Exception as e:
                where = url or path
                raise IndexUnavailable(
                    f"cannot open the Chroma store at {where}: {str(e).splitlines()[0]}",
                    "is the Chroma server running?" if url else "run `rag ingest --rebuild`",
                ) from e
        return _CLIENTS[key]


def _unreadable(path: Path) -> str | None:
    """Why a local store's database cannot be read (None when it can, or does not exist yet).
    Checked before chromadb opens the folder: chromadb caches a System per folder before
    starting it, and one that failed to start would make every later open in this process fail,
    even after the folder is rebuilt."""
    database = path / DATABASE_FILE
    if not database.exists():
        return None
    try:
        uri = f"{database.resolve().as_uri()}?mode=ro"  # read-only: never creates or changes it
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as e:
        return str(e)
    return None


def reopen_if_replaced(path: Path, failed: Any) -> bool:
    """After `failed` (a local client) raised: True when a retry may succeed, because the
    folder's database was replaced since the client opened it (the client is then closed and
    the next call opens the new files) or another thread already did that."""
    key = _key(path, None)
    with _LOCK:
        current = _CLIENTS.get(key)
        if current is not failed:
            return current is not None
        now = _identity(path)
        if now is None or now == _OPENED.get(key):
            return False
        del _CLIENTS[key]
        _OPENED.pop(key, None)
    _close(failed)
    return True


def forget_local_store(path: Path) -> None:
    """Close this process's client of a local store (before its folder is removed)."""
    key = _key(path, None)
    with _LOCK:
        client = _CLIENTS.pop(key, None)
        _OPENED.pop(key, None)
    if client is not None:
        _close(client)


def _close(client: Any) -> None:
    """Release a local client; its files may be gone already, so closing may fail harmlessly."""
    with contextlib.suppress(Exception):
        client.close()


class VectorStore:
    """Named collections of unit vectors with `doc_id`/`municipality`/`party` metadata."""

    def __init__(
        self,
        client: Any | None = None,
        *,
        path: Path | None = None,
        url: str | None = None,
        retries: int = 3,
    ) -> None:
        """With `client`, use it as it is; else open the local folder `path` or the server at
        `url` (one client per folder per process, reopened when the folder is replaced)."""
        if client is None and path is None and url is None:
            raise ValueError("give a Chroma client, a folder or a server address")
        self.given, self.path, self.url, self.retries = client, path, url, retries
        self._handles: dict[str, tuple[Any, Any]] = {}  # name -> (client, its collection)
        self._key = _key(path, url)  # resolved once: resolving a folder costs system calls
        if client is None:
            _client(path, url, self._key)  # fail early, with a clear error, if it cannot open

    @property
    def _client(self) -> Any:
        return self.given if self.given is not None else _client(self.path, self.url, self._key)

    def _on(self, name: str, method: str, **kwargs: Any) -> Any:
        """Call `method` of collection `name` from the current client. Its handle is kept (opening
        one costs as much as a small query); a kept handle that fails, as when the collection
        was deleted and made again, is opened anew once."""
        client = self._client
        kept = self._handles.get(name)
        if kept is not None and kept[0] is client:
            with contextlib.suppress(Exception):
                return getattr(kept[1], method)(**kwargs)
        collection = client.get_collection(name)
        self._handles[name] = (client, collection)
        return getattr(collection, method)(**kwargs)

    def _call(self, what: str, fn: Callable[[], T]) -> T:
        """Run a store call; a server that is briefly down gets a bounded retry, and a local
        folder replaced under this process gets one retry on the new files (so `fn` opens
        what it uses itself, from the current client)."""
        last: Exception | None = None
        for attempt in range(self.retries if self.url else 2):
            client = self._client
            try:
                return fn()
            except Exception as e:
                last = e
                if self.url:
                    if attempt + 1 < self.retries:
                        time.sleep(0.5 * 2**attempt)
                elif self.path is None or not reopen_if_replaced(self.path, client):
                    break
        raise IndexUnavailable(
            f"Chroma failed to {what}: {str(last).splitlines()[0] if str(last) else type(last)}",
            f"check the Chroma server at {self.url}" if self.url else "run `rag ingest --rebuild`",
        ) from last

    def collections(self) -> list[str]:
        return self._call(
            "list collections", lambda: [c.name for c in self._client.list_collections()]
        )

    def delete(self, name: str) -> None:
        self._handles.pop(name, None)
        if name in self.collections():
            self._call("delete a collection", lambda: self._client.delete_collection(name))

    def write(
        self,
        name: str,
        ids: Sequence[str],
        vectors: np.ndarray,
        metadatas: Sequence[dict[str, str]],
        on_batch: Callable[[int], None] | None = None,
    ) -> None:
        """Create collection `name` holding these vectors, in as few batches as Chroma allows;
        `on_batch(n)` is told after each batch of `n` vectors is written."""
        self._call(
            "create a collection",
            lambda: self._client.get_or_create_collection(
                name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
            ),
        )
        step = max(1, int(self._client.get_max_batch_size()))
        for i in range(0, len(ids), step):
            j = i + step
            self._call(
                "add vectors",
                partial(
                    self._on,
                    name,
                    "upsert",
                    ids=list(ids[i:j]),
                    embeddings=vectors[i:j],
                    metadatas=list(metadatas[i:j]),
                ),
            )
            if on_batch is not None:
                on_batch(len(ids[i:j]))

    def vectors(self, name: str, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors by id (missing ids are left out)."""
        if not ids:
            return {}
        out: dict[str, np.ndarray] = {}
        step = max(1, int(self._client.get_max_batch_size()))
        for i in range(0, len(ids), step):
            batch = list(ids[i : i + step])
            got = self._call(
                "read vectors",
                partial(self._on, name, "get", ids=batch, include=["embeddings"]),
            )
            for cid, vec in zip(got["ids"], got["embeddings"], strict=True):
                out[cid] = np.asarray(vec, dtype=np.float32)
        return out

    def count(self, name: str) -> int:
        return int(self._call("count", partial(self._on, name, "count")))

    def query(
        self,
        name: str,
        vector: np.ndarray | Sequence[float],
        k: int,
        where: dict[str, Any] | None = None,
    ) -> list[tuple[str, float]]:
        """Nearest ids with cosine similarity, best first."""
        res = self._call(
            "query",
            partial(
                self._on,
                name,
                "query",
                query_embeddings=[vector],
                n_results=k,
                where=where or None,
                include=["distances"],
            ),
        )
        return [
            (cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0], strict=True)
        ]
