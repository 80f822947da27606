"""The exported model in OpenVINO (the optional `openvino` extra)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from rag.embedders.tokenized import ExportedEmbedder


class OpenVinoEmbedder(ExportedEmbedder):
    """A sentence-transformers model exported to OpenVINO IR, compiled for the CPU."""

    backend = "openvino"
    extra = "openvino"

    def open_graph(self, folder: Path, meta: dict[str, Any]) -> None:
        import openvino as ov

        self._compiled = ov.Core().compile_model(str(folder / "model.xml"), "CPU")

    def run(self, feed: dict[str, np.ndarray]) -> np.ndarray:
        return np.asarray(self._compiled(feed)[0], dtype=np.float32)
