"""The exported model in ONNX Runtime: the default backend, with no torch at question time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from rag.embedders.tokenized import ExportedEmbedder


class OnnxEmbedder(ExportedEmbedder):
    """A sentence-transformers model exported to ONNX, run by ONNX Runtime on the CPU."""

    backend = "onnx"

    def open_graph(self, folder: Path, meta: dict[str, Any]) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.log_severity_level = 3  # warnings about unused initialisers say nothing useful
        if meta.get("optimized_by") == ort.__version__:  # optimised once, at export
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        self._session = ort.InferenceSession(
            str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
        )

    def run(self, feed: dict[str, np.ndarray]) -> np.ndarray:
        return np.asarray(self._session.run(None, feed)[0], dtype=np.float32)
