"""`Assistant`'s corpus side: adding files and folders to the corpus folder, with their labels,
never overwriting a different file. Nothing here is indexed, so no model is loaded (answering is
tested in tests/integration/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag import Assistant, CorpusError, get_settings
from rag.readers import read_corpus, read_sidecar

BODY = "# Trygghet i Testby\n\nVi vill ha fler fältassistenter i alla kommundelar.\n"
HEADER = "file,party,municipality,title,year\n"


@pytest.fixture
def unindexed(tmp_path: Path) -> Assistant:
    """An assistant over an empty corpus folder, never indexed: adding files to the corpus
    reads them but embeds nothing, so no model is loaded."""
    (tmp_path / "corpus").mkdir()
    return Assistant(get_settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index"))


def test_a_folder_is_added_with_rows_not_sidecars(tmp_path: Path, unindexed: Assistant) -> None:
    source = tmp_path / "nya"
    source.mkdir()
    (source / "malmo-s-trygghet.txt").write_text(BODY.lstrip("# "), encoding="utf-8")
    (source / "lund.md").write_text(BODY, encoding="utf-8")
    (source / "bild.png").write_bytes(b"\x89PNG")  # not a programme: left alone
    (source / "tom.md").write_text("", encoding="utf-8")
    refused = unindexed.add_folder_to_corpus(source, {"party": "S", "municipality": "Skåne"})
    assert [str(p) for p in refused] == ["tom.md: file is empty"]
    corpus = tmp_path / "corpus"
    assert sorted(p.name for p in corpus.iterdir()) == [
        "lund.md",
        "malmo-s-trygghet.txt",
        "metadata.csv",
    ]
    loaded = read_corpus(corpus)
    assert loaded.problems == []
    assert {(d.doc_id, d.party, d.municipality) for d in loaded.documents} == {
        ("lund", "S", "Skåne"),
        ("malmo-s-trygghet", "S", "Skåne"),
    }


def test_a_folder_never_overwrites_a_different_file(tmp_path: Path, unindexed: Assistant) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "lund.md").write_text("---\nparty: L\nmunicipality: Lund\n---\n" + BODY, "utf-8")
    source = tmp_path / "nya"
    source.mkdir()
    (source / "lund.md").write_text(BODY + "\nAnnan text.\n", encoding="utf-8")
    refused = unindexed.add_folder_to_corpus(source, {"party": "S", "municipality": "Lund"})
    assert len(refused) == 1 and "already exists with other content" in str(refused[0])
    assert "Annan text" not in (corpus / "lund.md").read_text(encoding="utf-8")
    assert not (corpus / "metadata.csv").exists()


def test_a_folder_s_own_table_and_sidecars_come_along(tmp_path: Path, unindexed: Assistant) -> None:
    """A folder prepared with its own metadata.csv (and a sidecar) is added as it is; the
    command line's labels override the folder's rows."""
    source = tmp_path / "nya"
    source.mkdir()
    (source / "metadata.csv").write_text(
        HEADER + "a.md,Vänsterpartiet,Kalmar,Rättvis välfärd,2026\nb.md,S,Umeå,,\n", "utf-8"
    )
    (source / "a.md").write_text(BODY, encoding="utf-8")
    (source / "b.md").write_text(BODY, encoding="utf-8")
    (source / "c.md").write_text(BODY, encoding="utf-8")
    (source / "c.md.meta.yaml").write_text("party: C\nmunicipality: Gävle\n", encoding="utf-8")
    assert unindexed.add_folder_to_corpus(source) == []
    docs = {d.doc_id: d for d in read_corpus(tmp_path / "corpus").documents}
    assert (docs["a"].party, docs["a"].municipality, docs["a"].title, docs["a"].year) == (
        "Vänsterpartiet",
        "Kalmar",
        "Rättvis välfärd",
        2026,
    )
    assert (docs["b"].municipality, docs["c"].municipality) == ("Umeå", "Gävle")
    assert (tmp_path / "corpus" / "c.md.meta.yaml").exists()

    (source / "d.md").write_text(BODY, encoding="utf-8")
    refused = unindexed.add_folder_to_corpus(source, {"party": "Moderaterna"})
    assert [str(p) for p in refused] == [
        "d.md: missing metadata: municipality (add them as front matter, in d.md.meta.yaml "
        "or a row of metadata.csv, or run `rag ingest "
        f"{source / 'd.md'} --municipality ...`)"
    ]
    docs = {d.doc_id: d for d in read_corpus(tmp_path / "corpus").documents}
    assert (docs["a"].party, docs["b"].party, docs["a"].municipality) == (
        "Moderaterna",
        "Moderaterna",
        "Kalmar",
    )
    assert docs["c"].party == "C"  # its sidecar outranks a table row


def test_a_file_is_copied_in_with_its_labels_in_a_sidecar(
    tmp_path: Path, unindexed: Assistant
) -> None:
    source = tmp_path / "nya" / "lund.md"
    source.parent.mkdir()
    source.write_text(BODY, encoding="utf-8")
    target = unindexed.add_to_corpus(source, {"party": "S", "municipality": "Lund", "year": None})
    assert target == tmp_path / "corpus" / "lund.md"
    assert target.read_text(encoding="utf-8") == BODY
    assert read_sidecar(target) == {"party": "S", "municipality": "Lund"}
    assert unindexed.add_to_corpus(source, {"party": "S", "municipality": "Lund"}) == target


def test_a_file_is_never_copied_over_a_different_one_or_when_unusable(
    tmp_path: Path, unindexed: Assistant
) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "lund.md").write_text("---\nparty: L\nmunicipality: Lund\n---\n" + BODY, "utf-8")
    other = tmp_path / "lund.md"
    other.write_text(BODY + "\nAnnan text.\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="already exists with other content"):
        unindexed.add_to_corpus(other, {"party": "S", "municipality": "Lund"})
    unlabelled = tmp_path / "umea.md"
    unlabelled.write_text(BODY, encoding="utf-8")
    with pytest.raises(CorpusError, match="missing metadata: party, municipality"):
        unindexed.add_to_corpus(unlabelled)
    with pytest.raises(CorpusError, match="no such file"):
        unindexed.add_to_corpus(tmp_path / "saknas.md", {"party": "S", "municipality": "Umeå"})
    assert sorted(p.name for p in corpus.iterdir()) == ["lund.md"]
