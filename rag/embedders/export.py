"""The exporter: a sentence-transformers model, traced once in torch, saved for ONNX Runtime or
OpenVINO, in fp32 or with int8 weights, into a local cache.

Exports live under `$XDG_CACHE_HOME/rag/models` (default ~/.cache) and are made offline from the
local model folder, so only the first use of a model needs torch. (sentence-transformers' own
`backend="onnx"/"openvino"` needs optimum-onnx or optimum-intel, which pin transformers versions
older than ours.) int8 needs no calibration set: ONNX gets per-channel int8 weights on its
MatMuls (ONNX Runtime dynamic quantization), OpenVINO int8 weights (NNCF weight compression).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import warnings
from pathlib import Path
from typing import Any

from rag.embedders.base import PACKAGED_PREFIX, model_location
from rag.errors import EmbeddingError

EXPORT_VERSION = 4  # bump when the export recipe changes, so old exports are not reused
BACKENDS = ("onnx", "openvino")
PRECISIONS = ("fp32", "int8")
META = "export.json"


def export_cache_dir() -> Path:
    """Where exported models are kept: `$XDG_CACHE_HOME/rag/models` (default ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rag" / "models"


def export_folder(model: str, backend: str, precision: str, cache: Path | None = None) -> Path:
    """Where the export of `model` for `backend` at `precision` is (or will be) kept."""
    location = model_location(model)
    where = Path(location).resolve() if Path(location).exists() else location
    key = f"{where}|{backend}|{precision}|{EXPORT_VERSION}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    label = Path(model.removeprefix(PACKAGED_PREFIX)).name
    return (cache or export_cache_dir()) / f"{label}-{backend}-{precision}-{digest}"


def export_model(
    model: str, backend: str, precision: str = "int8", cache: Path | None = None
) -> Path:
    """The folder of `model` exported for `backend` ("onnx" or "openvino") at `precision`
    ("fp32" or "int8"), made on first use; several processes may race to make it."""
    if backend not in BACKENDS or precision not in PRECISIONS:
        raise EmbeddingError(
            f"cannot export for {backend!r} at {precision!r}",
            f"use one of {', '.join(BACKENDS)} at {' or '.join(PRECISIONS)}",
        )
    folder = export_folder(model, backend, precision, cache)
    if (folder / META).exists():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        with warnings.catch_warnings():  # tracing warnings say nothing a user can act on
            warnings.simplefilter("ignore")
            _export(model, backend, precision, staging)
        try:
            os.replace(staging, folder)
        except OSError:  # another process exported it first
            if not (folder / META).exists():
                raise
    except EmbeddingError:
        raise
    except Exception as e:
        raise EmbeddingError(
            f"cannot export {model!r} for {backend}: {str(e).splitlines()[0] if str(e) else e}",
            "pip install 'rag[openvino]' for openvino, or set RAG_EMBEDDING_BACKEND=torch",
        ) from e
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def _export(model: str, backend: str, precision: str, out: Path) -> None:
    from rag.embedders.st_torch import trace_to_onnx

    meta: dict[str, Any] = trace_to_onnx(model, out)
    fp32 = out / "model-fp32.onnx"
    if backend == "onnx":
        meta["optimized_by"] = _onnx(fp32, precision, out / "model.onnx")
    else:
        import openvino as ov

        graph = ov.Core().read_model(str(fp32))
        if precision == "int8":
            import nncf

            nncf.set_log_level(logging.ERROR)
            graph = nncf.compress_weights(graph)
        ov.save_model(graph, str(out / "model.xml"), compress_to_fp16=False)
    fp32.unlink()
    meta.update(model=model, backend=backend, precision=precision, version=EXPORT_VERSION)
    (out / META).write_text(json.dumps(meta, indent=2), encoding="utf-8")


def _onnx(fp32: Path, precision: str, target: Path) -> str:
    """Write the ONNX Runtime model to `target`: int8 weights if asked, then the graph
    optimisations ONNX Runtime would otherwise redo at every start (about a third of a cold
    start's model load). Returns the ONNX Runtime version that optimised it."""
    import onnxruntime as ort

    source = fp32
    if precision == "int8":
        from onnxruntime.quantization import QuantType, quantize_dynamic

        source = fp32.with_name("model-int8.onnx")
        logging.disable(logging.WARNING)  # advice on pre-processing, through the root logger
        try:
            quantize_dynamic(
                fp32,
                source,
                weight_type=QuantType.QInt8,
                per_channel=True,
                op_types_to_quantize=["MatMul"],  # int8 embedding tables cost too much accuracy
            )
        finally:
            logging.disable(logging.NOTSET)
    options = ort.SessionOptions()
    # "Extended", not "all": the saved graph stays free of layouts for one particular CPU.
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    options.optimized_model_filepath = str(target)
    ort.InferenceSession(str(source), options, providers=["CPUExecutionProvider"])
    if source != fp32:
        source.unlink()
    return str(ort.__version__)
