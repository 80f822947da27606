"""Chroma: the only module that imports chromadb. Vectors only; chunk text lives in snapshots.

Embedded mode keeps one PersistentClient per folder per process (a second one can hang);
server mode talks to `chroma run` through HttpClient.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

import numpy as np

from rag.errors import IndexError_

T = TypeVar("T")
_CLIENTS: dict[str, Any] = {}
_LOCK = threading.Lock()


def _chroma_settings() -> Any:
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def _client(path: Path | None, url: str | None) -> Any:
    import chromadb

    key = url or str(Path(path or ".").resolve())
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
                    _CLIENTS[key] = chromadb.PersistentClient(
                        path=str(path), settings=_chroma_settings()
                    )
            except Exception as e:
                where = url or path
                raise IndexError_(
                    f"cannot open the Chroma store at {where}: {str(e).splitlines()[0]}",
                    "is the Chroma server running?" if url else "run `rag ingest --rebuild`",
                ) from e
        return _CLIENTS[key]


class VectorStore:
    """Named collections of unit vectors with `doc_id`/`municipality`/`party` metadata."""

    def __init__(self, path: Path | None = None, url: str | None = None, retries: int = 3) -> None:
        self.path, self.url, self.retries = path, url, retries
        self._client = _client(path, url)

    def _call(self, what: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a store call; a server that is briefly down gets a bounded retry."""
        last: Exception | None = None
        for attempt in range(self.retries if self.url else 1):
            try:
                return fn(*args, **kwargs)
            except Exception as e:
                last = e
                if self.url and attempt + 1 < self.retries:
                    time.sleep(0.5 * 2**attempt)
        raise IndexError_(
            f"Chroma failed to {what}: {str(last).splitlines()[0] if str(last) else type(last)}",
            f"check the Chroma server at {self.url}" if self.url else "run `rag ingest --rebuild`",
        ) from last

    def collections(self) -> list[str]:
        return self._call(
            "list collections", lambda: [c.name for c in self._client.list_collections()]
        )

    def delete(self, name: str) -> None:
        if name in self.collections():
            self._call("delete a collection", lambda: self._client.delete_collection(name))

    def write(
        self,
        name: str,
        ids: Sequence[str],
        vectors: np.ndarray,
        metadatas: Sequence[dict[str, str]],
    ) -> None:
        """Create collection `name` holding these vectors, in as few batches as Chroma allows."""
        col = self._call(
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
                col.upsert,
                ids=list(ids[i:j]),
                embeddings=vectors[i:j],
                metadatas=list(metadatas[i:j]),
            )

    def vectors(self, name: str, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors by id (missing ids are left out)."""
        if not ids:
            return {}
        col = self._call("open a collection", lambda: self._client.get_collection(name))
        out: dict[str, np.ndarray] = {}
        step = max(1, int(self._client.get_max_batch_size()))
        for i in range(0, len(ids), step):
            batch = list(ids[i : i + step])
            got = self._call("read vectors", lambda b=batch: col.get(ids=b, include=["embeddings"]))
            for cid, vec in zip(got["ids"], got["embeddings"], strict=True):
                out[cid] = np.asarray(vec, dtype=np.float32)
        return out

    def count(self, name: str) -> int:
        return int(self._call("count", lambda: self._client.get_collection(name).count()))

    def query(
        self, name: str, vector: np.ndarray, k: int, where: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """Nearest ids with cosine similarity, best first."""
        col = self._call("open a collection", lambda: self._client.get_collection(name))
        res = self._call(
            "query",
            lambda: col.query(
                query_embeddings=[vector], n_results=k, where=where or None, include=["distances"]
            ),
        )
        return [
            (cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0], strict=True)
        ]
