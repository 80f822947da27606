"""What every embedder shares: prompts before questions and passages, applied apart, and where
a model lives. The hashing embedder implements only `encode`, as a real backend does; it stands
in for the model, which is not what is tested here (the real backends' prompts are tested in
tests/integration/test_embedders.py)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from rag.embedders.base import PACKAGED_PREFIX, model_location, packaged_model_path

from ..fakes import HashingEmbedder

QUESTION = "Vem föreslår sprutbyte?"


def test_prompts_go_before_questions_and_passages_apart() -> None:
    prompted = HashingEmbedder(query_prompt="query: ", passage_prompt="passage: ")
    plain = HashingEmbedder()
    assert np.allclose(prompted.embed_queries([QUESTION]), plain.encode(["query: " + QUESTION]))
    assert np.allclose(prompted.embed_documents([QUESTION]), plain.encode(["passage: " + QUESTION]))
    assert prompted.calls == [["query: " + QUESTION], ["passage: " + QUESTION]]
    assert not np.allclose(prompted.embed_queries([QUESTION]), plain.embed_queries([QUESTION]))
    assert np.allclose(plain.embed_queries([QUESTION]), plain.embed_documents([QUESTION]))


def test_vectors_are_unit_length_and_deterministic() -> None:
    vectors = HashingEmbedder().encode([QUESTION, "", "Hemlösa ska få bostad."])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert np.array_equal(
        vectors, HashingEmbedder().encode([QUESTION, "", "Hemlösa ska få bostad."])
    )


@pytest.fixture
def environ(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A copy of the environment for the test, without HF_HUB_OFFLINE."""
    copy = {k: v for k, v in os.environ.items() if k != "HF_HUB_OFFLINE"}
    monkeypatch.setattr(os, "environ", copy)
    return copy


def test_a_packaged_model_is_a_local_folder_and_the_hub_stays_offline(
    environ: dict[str, str],
) -> None:
    location = model_location(PACKAGED_PREFIX + "all-MiniLM-L6-v2")
    assert Path(location) == packaged_model_path() and Path(location).is_dir()
    assert environ["HF_HUB_OFFLINE"] == "1"


def test_other_models_are_given_as_they_are(environ: dict[str, str]) -> None:
    assert model_location("intfloat/multilingual-e5-small") == "intfloat/multilingual-e5-small"
    assert "HF_HUB_OFFLINE" not in environ  # a hub name may need the hub
