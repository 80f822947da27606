"""Hybrid retrieval over the real index: compounds, English questions, filters, diversity; the
LangChain retriever. (The lexical index alone is in tests/unit/test_lexical.py.)"""

from __future__ import annotations

import pytest
from langchain_core.retrievers import BaseRetriever

from rag import Assistant, QuestionError

MODES = ["hybrid", "dense", "lexical"]


@pytest.mark.parametrize(
    "question", ["Vem föreslår sprutbyte?", "Who proposes needle exchange (sprutbyte)?"]
)
def test_acceptance_sprutbyte_top5(assistant: Assistant, question: str) -> None:
    got = {p.municipality for p in assistant.retrieve(question, k=5)}
    assert {"Örebro", "Eskilstuna"} <= got


def test_english_without_the_swedish_word(assistant: Assistant) -> None:
    got = [p.municipality for p in assistant.retrieve("Who proposes needle exchange?", k=5)]
    assert {"Örebro", "Eskilstuna"} <= set(got)


@pytest.mark.parametrize("mode", MODES)
def test_every_mode_respects_filters(assistant: Assistant, mode: str) -> None:
    passages = assistant.retrieve(
        "hemlösa", k=5, filters={"municipality": ["stockholm"]}, mode=mode
    )
    assert passages and {p.municipality for p in passages} == {"Stockholm"}
    for p in passages:
        doc = assistant.document(p.chunk.doc_id)
        assert doc.text[p.chunk.start : p.chunk.end] == p.chunk.text


def test_party_filter(assistant: Assistant) -> None:
    assert assistant.retrieve("hemlösa", filters={"party": "Liberalerna"})


def test_per_document_returns_every_programme(assistant: Assistant) -> None:
    passages = assistant.retrieve("socialtjänsten", k=5, per_document=1)
    assert len({p.chunk.doc_id for p in passages}) == 5


def test_langchain_retriever(assistant: Assistant) -> None:
    retriever = assistant.as_retriever(k=3, filters={"municipality": "Eskilstuna"})
    assert isinstance(retriever, BaseRetriever)
    docs = retriever.invoke("sprutbytesprogram")
    assert len(docs) == 3 and {d.metadata["municipality"] for d in docs} == {"Eskilstuna"}
    assert "sprutbytesprogram" in docs[0].page_content
    passage = docs[0].metadata["passage"]
    doc = assistant.document(docs[0].metadata["doc_id"])
    assert doc.text[passage.chunk.start : passage.chunk.end] == docs[0].page_content


def test_langchain_retriever_takes_k_and_filters_per_call(assistant: Assistant) -> None:
    retriever = assistant.as_retriever()
    assert retriever.k == assistant.settings.top_k
    assert len(retriever.invoke("hemlöshet")) == assistant.settings.top_k
    assert len(retriever.invoke("hemlöshet", k=1)) == 1
    assert len(retriever.invoke("hemlöshet", k=7)) == 7
    only = retriever.invoke("hemlöshet", k=6, filters={"municipality": ["Örebro", "Stockholm"]})
    assert len(only) == 6
    assert {d.metadata["municipality"] for d in only} <= {"Örebro", "Stockholm"}
    spread = retriever.invoke("socialtjänsten", k=5, per_document=1)
    assert len({d.metadata["doc_id"] for d in spread}) == 5
    narrowed = assistant.as_retriever(filters={"municipality": "Botkyrka"})
    assert {d.metadata["municipality"] for d in narrowed.invoke("hemlöshet")} == {"Botkyrka"}
    widened = narrowed.invoke("hemlöshet", filters={"municipality": "Örebro"})
    assert {d.metadata["municipality"] for d in widened} == {"Örebro"}


def test_langchain_retriever_async_gives_the_same_documents(assistant: Assistant) -> None:
    import asyncio

    retriever = assistant.as_retriever(filters={"party": "Liberalerna"})
    sync = retriever.invoke("hedersförtryck", k=4)
    docs = asyncio.run(retriever.ainvoke("hedersförtryck", k=4))
    assert [d.metadata["chunk_id"] for d in docs] == [d.metadata["chunk_id"] for d in sync]
    assert len(docs) == 4


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"k": 0}, "k must be a whole number of at least 1"),
        ({"k": "3"}, "k must be a whole number"),
    ],
)
def test_langchain_retriever_rejects_bad_arguments_clearly(
    assistant: Assistant, kwargs: dict, message: str
) -> None:
    with pytest.raises(QuestionError, match=message):
        assistant.as_retriever().invoke("hemlöshet", **kwargs)
    with pytest.raises(QuestionError, match="the query is empty"):
        assistant.as_retriever().invoke("  ")
