"""Reading and labelling programmes of every format; bad files are named, skipped, never fatal.
(Cleaning, front matter and each format's rules have files of their own.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from rag import CorpusError, MetadataError
from rag.readers import (
    clean_text,
    corpus_files,
    load_corpus,
    read_document,
)
from rag.readers.documents import programme_names
from tests.pdf import make_pdf

from ..helpers import CORPUS

SEED_MUNICIPALITIES = {"Örebro", "Botkyrka", "Upplands Väsby", "Eskilstuna", "Stockholm"}
FRONT = "---\nparty: Liberalerna\nmunicipality: Testby\n---\n"


def test_seed_corpus_is_clean_and_labelled() -> None:
    docs, problems = load_corpus(CORPUS)
    assert problems == []
    assert {d.municipality for d in docs} == SEED_MUNICIPALITIES
    assert {d.party for d in docs} == {"Liberalerna"}
    for d in docs:
        assert "Se alla" not in d.text and "Blomma händer" not in d.text
        assert d.text.startswith("# " + d.title)
        assert clean_text(d.text) == d.text  # the committed copy is already clean
        assert d.source.endswith(".txt")
    years = {d.municipality: d.year for d in docs}
    assert years == {m: (2022 if m == "Stockholm" else None) for m in SEED_MUNICIPALITIES}


def test_broken_paragraphs_are_joined() -> None:
    text = next(d.text for d in load_corpus(CORPUS)[0] if d.municipality == "Upplands Väsby")
    assert "visar att familjehemsplacerade barn" in text
    assert "bearbeta andra problem" in text


def test_markdown_text_html_and_pdf_are_read(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(FRONT + "# Titel\n\nSprutbyte behövs.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(FRONT + "Rubrik\n\nText om hemlöshet.\n", encoding="utf-8")
    para = "Vi vill att Testby inför Bostad först &amp; mer, så att ingen behöver sova ute. " * 3
    (tmp_path / "c.html").write_text(  # long enough for the main-content extractor to judge
        "<html><head><script>alert(1)</script></head><body><nav>Meny</nav><article>"
        f"<h1>Program</h1><h2>Hemlöshet</h2><p>{para}</p><ul><li>Fler lägenheter åt "
        "socialtjänsten varje år.</li><li>Uppsökande arbete nattetid.</li></ul></article>"
        "</body></html>",
        encoding="utf-8",
    )
    (tmp_path / "c.html.meta.yaml").write_text(
        "party: Liberalerna\nmunicipality: Testby\n", encoding="utf-8"
    )
    lines = "Vi vill att kommunen ska ta ett stort ansvar för alla som behöver stöd och hjälp"
    (tmp_path / "d.pdf").write_bytes(
        make_pdf([["Program för Testby", lines, "i vardagen.", "Hemlöshet", lines, "igen."]])
    )
    docs = {
        p.suffix: read_document(p, {"party": "L", "municipality": "Testby"})
        for p in corpus_files(tmp_path)
    }
    assert docs[".md"].title == "Titel"
    assert docs[".txt"].text == "# Rubrik\n\nText om hemlöshet.\n"
    html = docs[".html"].text
    assert html == (
        "# Program\n\n## Hemlöshet\n\n" + para.replace("&amp;", "&").strip() + "\n\n"
        "- Fler lägenheter åt socialtjänsten varje år.\n- Uppsökande arbete nattetid.\n"
    )
    pdf = docs[".pdf"]
    assert pdf.title == "Program för Testby"
    assert "## Hemlöshet" in pdf.text and f"{lines} i vardagen." in pdf.text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("binary.md", b"\x00\x01\x02binary", "binary"),
        ("latin1.md", FRONT.encode() + "Åtgärder för äldre".encode("latin-1"), "not UTF-8"),
        ("empty.md", b"   \n", "empty"),
        ("broken.md", b"---\nparty: [Liberalerna\n---\nText.", "not valid YAML"),
        ("unclosed.md", b"---\nparty: L\nText utan slut.", "no closing"),
        ("nometa.md", b"# Titel\n\nText.\n", "missing metadata: party, municipality"),
        ("typo.md", b"---\nparty: L\nmunicipalty: X\n---\n# T\n\nText.", "unknown metadata"),
        ("year.md", (FRONT[:-4] + "year: tjugo\n---\n# T\n\nText.").encode(), "year"),
        ("scan.pdf", make_pdf([[]]), "no extractable text"),
        ("bad.pdf", b"%PDF-1.4 not really", "cannot read PDF"),
        ("sheet.xlsx", b"PK\x03\x04", "unsupported file type"),
    ],
)
def test_bad_files_are_named_and_skipped(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    (tmp_path / "good.md").write_text(FRONT + "# Bra\n\nText.\n", encoding="utf-8")
    (tmp_path / name).write_bytes(content)
    docs, problems = load_corpus(tmp_path)
    assert [d.doc_id for d in docs] == ["good"]
    assert len(problems) == 1 and problems[0].path.name == name
    assert reason in problems[0].reason
    assert name in str(problems[0])


def test_unreadable_file_is_named_and_skipped(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text(FRONT + "# Bra\n\nText.\n", encoding="utf-8")
    (tmp_path / "gone.md").symlink_to(tmp_path / "missing-target.md")
    docs, problems = load_corpus(tmp_path)
    assert [d.doc_id for d in docs] == ["good"]
    assert [p.path.name for p in problems] == ["gone.md"]
    assert "cannot read file" in problems[0].reason


@pytest.mark.parametrize(
    ("name", "programme"),
    [
        ("README", False),
        ("readme.md", False),
        ("ReadMe.TXT", False),
        ("readme.", False),
        ("readme.v2.md", True),
        ("readmes.md", True),
        ("_utkast.md", False),
        ("a.md.meta.yaml", False),
        ("metadata.csv", False),
        ("metadata.csv.md", True),
        ("plan.md", True),
    ],
)
def test_which_names_may_be_programmes(name: str, programme: bool) -> None:
    assert programme_names([name]) == ([name] if programme else [])


def test_a_folder_in_the_corpus_is_neither_a_programme_nor_a_problem(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text(FRONT + "# Bra\n\nText.\n", encoding="utf-8")
    (tmp_path / "arkiv.md").mkdir()
    (tmp_path / "länk.md").symlink_to(tmp_path / "arkiv.md")
    docs, problems = load_corpus(tmp_path)
    assert [d.doc_id for d in docs] == ["good"] and problems == []
    assert [p.name for p in corpus_files(tmp_path)] == ["good.md"]


def test_two_files_claiming_one_id_keep_the_first(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\nid: same\n" + FRONT[4:] + "# A\n\nA.\n", "utf-8")
    (tmp_path / "b.md").write_text("---\nid: same\n" + FRONT[4:] + "# B\n\nB.\n", "utf-8")
    docs, problems = load_corpus(tmp_path)
    assert [d.title for d in docs] == ["A"]
    assert "already used by a.md" in problems[0].reason


def test_missing_corpus_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="corpus folder not found"):
        load_corpus(tmp_path / "nope")


def test_missing_metadata_tells_how_to_give_it(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("Rubrik\n\nText.\n", encoding="utf-8")
    with pytest.raises(MetadataError) as err:
        read_document(path)
    assert "--party" in str(err.value) and "--municipality" in str(err.value)
