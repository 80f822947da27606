"""`Embeddings`: an embedder as LangChain's `Embeddings`, the same vectors as arrays for our own
index, counting the passages it embeds. The hashing embedder stands in for the model, which is
not what is tested here."""

from __future__ import annotations

import asyncio

import numpy as np
from langchain_core.embeddings import Embeddings as LangChainEmbeddings

from rag.embedders import Embeddings

from ..fakes import HashingEmbedder

QUESTION = "Vem föreslår sprutbyte?"
TEXTS = ["Vi vill ha sprutbyte.", "Hemlösa ska få bostad.", "Fler fältassistenter."]


def test_it_is_langchains_interface_and_counts_passages_only() -> None:
    e = Embeddings(HashingEmbedder(dimension=16))
    assert isinstance(e, LangChainEmbeddings)
    assert (e.name, e.dimension) == ("hashing", 16)
    query = e.embed_query(QUESTION)
    documents = e.embed_documents(TEXTS[:2])
    assert isinstance(query, list) and len(query) == 16 and isinstance(query[0], float)
    assert len(documents) == 2 and all(len(d) == 16 for d in documents)
    assert np.allclose(asyncio.run(e.aembed_query(QUESTION)), query, atol=1e-6)
    assert len(asyncio.run(e.aembed_documents(TEXTS[:1]))) == 1
    assert e.passages_embedded == 3  # 2 + 1 passages; questions are not counted


def test_arrays_for_the_index_are_the_embedder_s_vectors() -> None:
    embedder = HashingEmbedder(dimension=16, query_prompt="query: ", passage_prompt="passage: ")
    e = Embeddings(embedder)
    passages = e.embed_passages(TEXTS)
    assert passages.dtype == np.float32 and passages.shape == (3, 16)
    assert np.allclose(passages, embedder.embed_documents(TEXTS))
    assert np.allclose(e.embed_question(QUESTION), embedder.embed_queries([QUESTION])[0])
    assert np.allclose(e.embed_query(QUESTION), e.embed_question(QUESTION))


def test_no_passages_embed_nothing() -> None:
    embedder = HashingEmbedder(dimension=8)
    e = Embeddings(embedder)
    assert e.embed_passages([]).shape == (0, 8) and e.embed_documents([]) == []
    assert embedder.calls == [] and e.passages_embedded == 0
