"""The `rag` command as a user runs it: real processes, real index. (Parsing and exit codes are
tested in this process, in tests/unit/test_cli.py.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from rag import Assistant
from rag.readers import load_corpus

from ..helpers import CORPUS, env_for, rag


def test_a_closed_output_pipe_ends_quietly(assistant: Assistant) -> None:
    """`rag documents | head -1` style: the reader is gone before the output is written."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "rag.cli", "documents", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env_for(CORPUS, assistant.index.root)},
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    stderr = proc.stderr.read()
    assert proc.wait(timeout=600) == 141
    assert "error" not in stderr.lower() and "Traceback" not in stderr


def test_ingest_ask_documents(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f in CORPUS.glob("*.md"):
        (corpus / f.name).write_bytes(f.read_bytes())
    (corpus / "binary.md").write_bytes(b"\x00\x01")
    env = {"RAG_CORPUS_DIR": str(corpus)}

    ingest = rag("ingest", env=env)
    assert ingest.returncode == 0, ingest.stderr
    assert "5 added" in ingest.stdout
    assert "skipped binary.md: file looks binary" in ingest.stderr

    docs = rag("documents", "--json", env=env)
    assert {d["municipality"] for d in json.loads(docs.stdout)} == {
        "Örebro",
        "Botkyrka",
        "Upplands Väsby",
        "Eskilstuna",
        "Stockholm",
    }

    ask = rag("ask", "Vem föreslår sprutbyte?", "--json", env=env)
    answer = json.loads(ask.stdout)
    assert sorted(answer["municipalities"]) == ["Eskilstuna", "Örebro"]
    texts = {d.doc_id: d.text for d in load_corpus(corpus)[0]}
    for c in answer["citations"]:
        assert texts[c["doc_id"]][c["start"] : c["end"]] == c["quote"]

    filtered = rag("ask", "Vad vill man göra för hemlösa?", "--municipality", "Stockholm", env=env)
    assert filtered.returncode == 0 and "Stockholm" in filtered.stdout
    assert "Upplands Väsby" not in filtered.stdout

    bad = rag("ask", "hemlösa", "--municipality", "Atlantis", env=env)
    assert bad.returncode == 2 and "unknown municipality 'Atlantis'" in bad.stderr


def test_ingest_a_folder_with_metadata_for_all_of_it(tmp_path: Path) -> None:
    """`rag ingest DIR --party … --municipality …`: every programme in it is added, labelled
    by rows of the corpus folder's metadata.csv; a file without a heading is titled after its
    name, with a warning."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    source = tmp_path / "nya"
    source.mkdir()
    (source / "malmo-s-trygghet.txt").write_text(
        "Vi vill bygga ut sprutbytet med längre öppettider och en mobil enhet.\n", "utf-8"
    )
    (source / "lund.md").write_text("# Sociala frågor\n\nVi vill införa Bostad först.\n", "utf-8")
    result = rag(
        "ingest", str(source), "--party", "Socialdemokraterna", "--municipality", "Skåne",
        env={"RAG_CORPUS_DIR": str(corpus)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "2 added" in result.stdout
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: malmo-s-trygghet.txt: no heading and no title given; titled "
        "'Malmo s trygghet' after the file name (give a title in metadata.csv, a sidecar "
        "or with --title)"
    ]
    assert "skipped" not in result.stderr and "Traceback" not in result.stderr
    assert not list(corpus.glob("*.meta.yaml"))
    assert (corpus / "metadata.csv").read_text(encoding="utf-8").splitlines() == [
        "file,party,municipality,title,year",
        "lund.md,Socialdemokraterna,Skåne,,",
        "malmo-s-trygghet.txt,Socialdemokraterna,Skåne,,",
    ]
