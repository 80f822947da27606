"""The default embedder is the packaged model exported to ONNX: it agrees with
sentence-transformers on every corpus passage, the golden metrics do not drop, and answering a
question in a fresh process never imports torch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from evals import evaluate, load_splits
from evals.metrics import ANSWER_METRICS
from rag import Assistant, get_settings
from rag.chunking import indexed_text
from rag.embedders.onnx_runtime import OnnxEmbedder

from ..helpers import REPO, SPRUTBYTE

TORCH_MODULES = ("torch", "transformers", "sentence_transformers", "sklearn")


def test_the_default_embedder_is_the_exported_onnx_model(embeddings) -> None:  # type: ignore[no-untyped-def]
    settings = get_settings()
    assert (settings.embedding_backend, settings.embedding_model) == (
        "onnx",
        "packaged:all-MiniLM-L6-v2",
    )
    assert isinstance(embeddings.embedder, OnnxEmbedder)


def test_default_matches_sentence_transformers_on_every_corpus_passage(  # type: ignore[no-untyped-def]
    assistant: Assistant, embeddings, torch_embeddings
) -> None:
    snapshot = assistant.snapshot()
    texts = [
        indexed_text(snapshot.documents[c.doc_id].municipality, c.heading, c.text)
        for c in snapshot.chunks
    ]
    got = embeddings.embedder.embed_documents(texts)
    want = torch_embeddings.embedder.embed_documents(texts)
    cosine = (got * want).sum(axis=1)
    worst = int(np.argmin(cosine))
    assert len(texts) == len(snapshot.chunks) > 50
    assert cosine[worst] >= 0.99, (float(cosine[worst]), snapshot.chunks[worst].chunk_id)


def test_golden_metrics_do_not_drop_against_torch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The dev questions over the seed programmes: the embedder is what differs, not the corpus.
    questions = [q for q in load_splits(["dev"]) if q.corpus == "seeds"]
    default = evaluate(["hybrid"], questions, tmp_path / "default").overall("hybrid", "dev")
    monkeypatch.setenv("RAG_EMBEDDING_BACKEND", "torch")
    torch = evaluate(["hybrid"], questions, tmp_path / "torch").overall("hybrid", "dev")
    with capsys.disabled():
        print({m: (default[m], torch[m]) for m in ANSWER_METRICS})
    dropped = {
        m: (default[m], torch[m])
        for m in ANSWER_METRICS
        if default[m] is not None and torch[m] is not None and default[m] < torch[m] - 1e-9
    }
    assert not dropped, f"lower than torch (default, torch): {dropped}"


def test_answering_in_a_fresh_process_imports_no_torch(assistant: Assistant) -> None:
    """With the index built, `Assistant().ask` in a new interpreter loads neither torch nor
    the libraries around it (nor the readers, plots and sparse matrices the answer path does
    not need)."""
    # (chromadb loads yaml)
    deferred = ("langchain_text_splitters", "trafilatura", "pdfplumber", "matplotlib", "scipy")
    deferred += ("langchain_core.retrievers", "langsmith")  # the runnable and retriever: on use
    script = (
        "import json, sys\n"
        "from rag import Assistant\n"
        f"answer = Assistant().ask({SPRUTBYTE!r})\n"
        f"loaded = [m for m in {TORCH_MODULES + deferred!r} if m in sys.modules]\n"
        "print(json.dumps({'municipalities': answer.municipalities, 'loaded': loaded}))\n"
    )
    settings = assistant.settings
    env = {"RAG_INDEX_DIR": str(settings.index_dir), "RAG_CORPUS_DIR": str(settings.corpus_dir)}
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**_clean_env(), **env},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["municipalities"] == ["Eskilstuna", "Örebro"]
    assert result["loaded"] == []


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
