"""What the exported backends share: the model's own fast tokenizer (the `tokenizers` library,
no transformers) feeding a compiled graph that returns unit vectors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from rag.embedders.base import PromptedEmbedder
from rag.embedders.export import META, export_model
from rag.errors import EmbeddingError

if TYPE_CHECKING:
    from rag.config import Settings

FEATURES = {"input_ids": "ids", "token_type_ids": "type_ids", "attention_mask": "attention_mask"}
"""Graph input name → attribute of a `tokenizers.Encoding`."""


class ExportedEmbedder(PromptedEmbedder):
    """A model exported by `export_model`; subclasses open the graph (`open_graph`) and run
    one batch of token ids (`run`)."""

    backend = ""
    extra = ""  # the pip extra that installs the runtime, if it is optional

    def __init__(
        self,
        model: str,
        precision: str = "int8",
        batch_size: int = 64,
        query_prompt: str = "",
        passage_prompt: str = "",
        cache: Path | None = None,
    ) -> None:
        super().__init__(query_prompt, passage_prompt)
        self.name = model
        self.precision = precision
        self.batch_size = batch_size
        folder = export_model(model, self.backend, precision, cache)
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
        self.inputs: list[str] = list(meta["inputs"])
        self.dimension = int(meta["dimension"])
        unknown = set(self.inputs) - set(FEATURES)
        if unknown:
            raise EmbeddingError(f"the exported model wants unknown inputs {sorted(unknown)}")
        try:
            from tokenizers import Tokenizer

            self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
            self._tokenizer.enable_truncation(max_length=int(meta["max_tokens"]))
            self._tokenizer.enable_padding(pad_id=meta["pad_id"], pad_token=meta["pad_token"])
            self.open_graph(folder, meta)
        except ImportError as e:
            hint = f"pip install 'rag[{self.extra}]'" if self.extra else "reinstall rag"
            raise EmbeddingError(
                f"the {self.backend} backend is not installed ({e.name})",
                f"{hint}, or set RAG_EMBEDDING_BACKEND=torch",
            ) from e

    @classmethod
    def from_settings(cls, settings: Settings) -> ExportedEmbedder:
        return cls(
            settings.embedding_model,
            settings.embedding_precision,
            settings.embedding_batch_size,
            settings.query_prompt,
            settings.passage_prompt,
        )

    def open_graph(self, folder: Path, meta: dict[str, Any]) -> None:
        raise NotImplementedError

    def run(self, feed: dict[str, np.ndarray]) -> np.ndarray:
        raise NotImplementedError

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        # Longest first, like sentence-transformers: batches of similar length pad little.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        for i in range(0, len(order), self.batch_size):
            rows = order[i : i + self.batch_size]
            encodings = self._tokenizer.encode_batch([texts[r] for r in rows])
            feed = {
                name: np.array([getattr(e, FEATURES[name]) for e in encodings], np.int64)
                for name in self.inputs
            }
            out[rows] = self.run(feed)
        return out
