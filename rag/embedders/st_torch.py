"""sentence-transformers in torch: the only module that imports sentence_transformers or torch.

It runs any sentence-transformers model by hub name or local path, and traces one to ONNX for
the exporter (`rag.embedders.export`), which is how the torch-free backends get their model.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from rag.embedders.base import PromptedEmbedder, model_location
from rag.errors import EmbeddingError

if TYPE_CHECKING:
    from rag.config import Settings


def load_sentence_transformer(model: str, device: str = "cpu") -> Any:
    """The sentence-transformers model `model` (a `packaged:` name, hub name or path)."""
    location = model_location(model)
    try:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        return SentenceTransformer(location, device=device)
    except Exception as e:  # the library raises many kinds (OSError, HTTP, ValueError)
        raise EmbeddingError(
            f"cannot load embedding model {model!r}: {str(e).splitlines()[0]}",
            "give a local model folder, or a hub name when the hub is reachable",
        ) from e


class SentenceTransformerEmbedder(PromptedEmbedder):
    """Any sentence-transformers model, run in torch."""

    def __init__(
        self,
        model: str,
        device: str = "cpu",
        batch_size: int = 64,
        query_prompt: str = "",
        passage_prompt: str = "",
    ) -> None:
        super().__init__(query_prompt, passage_prompt)
        self.name = model
        self.batch_size = batch_size
        self._model = load_sentence_transformer(model, device)
        self.dimension = int(self._model.get_embedding_dimension() or 0)

    @classmethod
    def from_settings(cls, settings: Settings) -> SentenceTransformerEmbedder:
        return cls(
            settings.embedding_model,
            settings.embedding_device,
            settings.embedding_batch_size,
            settings.query_prompt,
            settings.passage_prompt,
        )

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with _one_thread_if(len(texts) == 1):
            vectors = self._model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)


@contextmanager
def _one_thread_if(single: bool) -> Iterator[None]:
    """Run torch on one thread for a single text (a question). A few dozen tokens gain nothing
    from a second thread, and on a busy machine its spin-waits made queries up to 10× slower."""
    if not single:
        yield
        return
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def trace_to_onnx(model: str, out: Path) -> dict[str, Any]:
    """Write `model` as an fp32 ONNX graph to `out`/model-fp32.onnx and its fast tokenizer to
    `out`/tokenizer.json; return what a runtime needs to feed it. The graph takes the
    tokenizer's outputs and returns unit sentence vectors (pooling and normalisation inside)."""
    import torch

    st = load_sentence_transformer(model, "cpu")
    tokenizer = st.tokenizer
    sample = tokenizer(["Vem föreslår sprutbyte?", "en mening"], padding=True, return_tensors="pt")
    names = list(sample.keys())

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.st = st

        def forward(self, *inputs: Any) -> Any:
            vectors = self.st(dict(zip(names, inputs, strict=True)))["sentence_embedding"]
            return torch.nn.functional.normalize(vectors, dim=-1)

    axes = {n: {0: "batch", 1: "tokens"} for n in names}
    with torch.no_grad():
        torch.onnx.export(
            Encoder().eval(),
            tuple(sample[n] for n in names),
            str(out / "model-fp32.onnx"),
            input_names=names,
            output_names=["sentence_embedding"],
            dynamic_axes={**axes, "sentence_embedding": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )
    # The fast tokenizer's own file: answering then needs neither transformers nor torch.
    tokenizer.backend_tokenizer.save(str(out / "tokenizer.json"))
    return {
        "inputs": names,
        "pad_token": tokenizer.pad_token,
        "pad_id": int(tokenizer.pad_token_id or 0),
        "max_tokens": int(st.max_seq_length or 512),
        "dimension": int(st.get_embedding_dimension() or 0),
    }
