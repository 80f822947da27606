"""`rag bench`: how the assistant scales, at the seed corpus and at synthetic corpora of ~10k and
~100k chunks (evals/synth.py), or any other size (`--sizes seed,2.5k`).

For each size, in a fresh process of its own (so peak memory is that size's): ingest time next
to the bare embedding time of the same model on the same chunk texts; warm latency of
`Assistant.retrieve` and `Assistant.ask` over the golden questions (who- and what-questions
apart), next to the bare time of embedding a question; cold start (a `rag ask` subprocess to its
answer, against `import chromadb`) and its peak memory; index updates (the unchanged corpus, one
programme changed against its own embedding time, one deleted), at the largest size also on a
corpus 4× smaller, alternating, for their growth; the bench process's peak memory; index size
on disk. A second table checks the targets the open issues set, and shows each miss.

Above `--memo-above` chunks the model is too slow to embed everything on a small machine, so a
memo embedder stands in: synthetic chunks repeat seed paragraphs under other municipality
names, and each distinct chunk body (the text after its municipality) is embedded once by the
real model and looked up after. Ingest is then reported as its measured non-embedding time plus
the bare embedding time extrapolated from a sample of the real chunk texts.

`rag bench --backends` compares embedding backends on the seed corpus instead: speed, and
retrieval recall@5 by programme on the answerable golden questions, dense-only and hybrid.

The modules, in the order a run uses them:

- `cli`: the command, and the worker that measures one size in its own process.
- `harness`: the corpus of a size, and an assistant whose embedder is timed (and memoised).
- `measure`: one size's measurements, put together by `run_size`.
- `updates`: index updates, and their growth between two corpus sizes.
- `coldstart`: cold `rag ask` subprocesses against `import chromadb`, and their peak memory.
- `backends`: `--backends`.
- `targets`: what the open issues ask of these numbers, checked.
- `report`: the Markdown tables and the files written; `plot`: the growth plot.
"""

from evals.bench.cli import register

__all__ = ["register"]
