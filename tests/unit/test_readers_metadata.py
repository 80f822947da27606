"""Labels for many programmes: the metadata table, its precedence among the other sources,
clear errors by line, titles from file names (adding a folder with its table is in
test_assistant.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rag import MetadataError
from rag.readers import (
    read_corpus,
    read_document,
    read_table,
    split_front_matter,
    title_from_filename,
    write_rows,
)

BODY = "# Trygghet i Testby\n\nVi vill ha fler fältassistenter i alla kommundelar.\n"
HEADER = "file,party,municipality,title,year\n"


def folder_with(tmp_path: Path, table: str, files: dict[str, str]) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "metadata.csv").write_text(table, encoding="utf-8")
    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")
    return corpus


def test_a_table_labels_many_files(tmp_path: Path) -> None:
    table = HEADER + "".join(
        f'{m.lower()}.md,Socialdemokraterna,"{m}",,2026\n' for m in ("Malmö", "Lund", "Umeå")
    )
    corpus = folder_with(tmp_path, table, {f"{m}.md": BODY for m in ("malmö", "lund", "umeå")})
    loaded = read_corpus(corpus)
    assert loaded.problems == [] and loaded.warnings == []
    assert sorted((d.municipality, d.party, d.year) for d in loaded.documents) == [
        ("Lund", "Socialdemokraterna", 2026),
        ("Malmö", "Socialdemokraterna", 2026),
        ("Umeå", "Socialdemokraterna", 2026),
    ]
    assert {d.title for d in loaded.documents} == {"Trygghet i Testby"}


def test_quoted_fields_and_any_column_order(tmp_path: Path) -> None:
    table = 'municipality,file,title,party\n"Upplands Väsby","a.md","Social, trygg",L\n'
    corpus = folder_with(tmp_path, table, {"a.md": BODY})
    (doc,) = read_corpus(corpus).documents
    assert (doc.municipality, doc.title, doc.party) == ("Upplands Väsby", "Social, trygg", "L")


def test_precedence_file_then_table_then_sidecar_then_caller(tmp_path: Path) -> None:
    front = "---\nparty: Filens\nmunicipality: Filens\ntitle: Filens\nyear: 2020\n---\n"
    corpus = folder_with(tmp_path, HEADER + "a.md,Tabellens,Tabellens,Tabellens,\n", {})
    (corpus / "a.md").write_text(front + BODY, encoding="utf-8")
    row = read_table(corpus / "metadata.csv").row("a.md")
    (corpus / "a.md.meta.yaml").write_text("municipality: Sidofilens\n", encoding="utf-8")
    doc = read_document(corpus / "a.md", {"title": "Anroparens"}, row=row)
    assert (doc.party, doc.municipality, doc.title, doc.year) == (
        "Tabellens",
        "Sidofilens",
        "Anroparens",
        2020,
    )


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("a.md,L,Testby,T,tjugo\n", "line 2: year must be a whole number, got 'tjugo'"),
        ("a.md,L,Testby\n", "line 2: 3 fields, the header has 5"),
        (",L,Testby,T,\n", "line 2: the file column is empty"),
        ("../a.md,L,Testby,T,\n", "line 2: file '../a.md' must be a plain name"),
    ],
)
def test_a_bad_row_is_named_by_line_and_its_file_skipped(
    tmp_path: Path, row: str, reason: str
) -> None:
    corpus = folder_with(tmp_path, HEADER + row + "b.md,L,Testby,,\n", {"a.md": BODY, "b.md": BODY})
    loaded = read_corpus(corpus)
    assert [d.doc_id for d in loaded.documents] == ["b"]
    problems = [str(p) for p in loaded.problems]
    assert problems[0].startswith(f"metadata.csv: {reason}")
    assert all("Traceback" not in p for p in problems)


def test_a_bad_row_s_file_is_not_read_with_half_its_labels(tmp_path: Path) -> None:
    front = "---\nparty: L\nmunicipality: Testby\n---\n"
    corpus = folder_with(tmp_path, HEADER + "a.md,L,Testby,T,tjugo\n", {"a.md": front + BODY})
    loaded = read_corpus(corpus)
    assert loaded.documents == []
    assert [str(p) for p in loaded.problems] == [
        "metadata.csv: line 2: year must be a whole number, got 'tjugo'",
        "a.md: its row in metadata.csv (line 2) is invalid (correct that row of metadata.csv)",
    ]


@pytest.mark.parametrize(
    ("table", "reason"),
    [
        ("fil,party,municipality\n", "metadata.csv line 1: unknown column 'fil'"),
        ("party,municipality\n", "metadata.csv line 1: no 'file' column"),
        ("", "metadata.csv is empty"),
        ('file,party\n"a.md,L\n', "metadata.csv is not valid CSV"),
    ],
)
def test_an_unusable_table_is_one_problem_and_files_still_load(
    tmp_path: Path, table: str, reason: str
) -> None:
    front = "---\nparty: L\nmunicipality: Testby\n---\n"
    corpus = folder_with(tmp_path, table, {"a.md": front + BODY})
    loaded = read_corpus(corpus)
    assert [d.doc_id for d in loaded.documents] == ["a"]
    assert len(loaded.problems) == 1 and str(loaded.problems[0]).startswith(
        f"metadata.csv: {reason}"
    )


def test_duplicate_rows_and_rows_without_a_file_are_reported(tmp_path: Path) -> None:
    table = HEADER + "a.md,L,Testby,,\na.md,M,Testby,,\nbortglomd.md,L,Testby,,\n"
    corpus = folder_with(tmp_path, table, {"a.md": BODY})
    loaded = read_corpus(corpus)
    assert [d.party for d in loaded.documents] == ["L"]
    assert [str(p) for p in loaded.problems] == [
        "metadata.csv: line 3: a.md is already labelled on line 2",
        "metadata.csv: line 4: no file 'bortglomd.md' in the folder",
    ]


def test_a_file_without_heading_is_titled_after_its_name_with_a_warning(tmp_path: Path) -> None:
    text = "Vi vill ha fler fältassistenter i alla kommundelar, varje kväll året runt.\n"
    corpus = folder_with(tmp_path, HEADER + "malmo-s-trygghet.txt,S,Malmö,,\n", {})
    (corpus / "malmo-s-trygghet.txt").write_text(text, encoding="utf-8")
    loaded = read_corpus(corpus)
    assert [d.title for d in loaded.documents] == ["Malmo s trygghet"]
    (warning,) = loaded.warnings
    assert str(warning).startswith("malmo-s-trygghet.txt: no heading and no title given")
    # A title in the table is used instead, without a warning.
    (corpus / "metadata.csv").write_text(
        HEADER + "malmo-s-trygghet.txt,S,Malmö,Trygghet i Malmö,\n", encoding="utf-8"
    )
    loaded = read_corpus(corpus)
    assert [d.title for d in loaded.documents] == ["Trygghet i Malmö"] and not loaded.warnings


def test_title_from_filename() -> None:
    assert title_from_filename("malmo-s-trygghet") == "Malmo s trygghet"
    assert title_from_filename("Valprogram_2026") == "Valprogram 2026"


def test_rows_are_written_atomically_and_merged(tmp_path: Path) -> None:
    path = tmp_path / "metadata.csv"
    path.write_text(HEADER + 'b.md,"Parti, med komma",Lund,,\n', encoding="utf-8")
    write_rows(path, {"a.md": {"party": "S", "municipality": "Malmö", "year": 2026}})
    write_rows(path, {"a.md": {"party": "V", "municipality": "Malmö"}})
    table = read_table(path)
    assert table.rows == {
        "a.md": {"party": "V", "municipality": "Malmö"},
        "b.md": {"party": "Parti, med komma", "municipality": "Lund"},
    }
    assert [p.name for p in tmp_path.iterdir()] == ["metadata.csv"]  # no temporary left


def test_rows_are_not_added_to_a_table_with_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "metadata.csv"
    path.write_text(HEADER + "a.md,L,Testby,T,tjugo\n", encoding="utf-8")
    with pytest.raises(MetadataError, match="line 2: year must be a whole number"):
        write_rows(path, {"b.md": {"party": "S", "municipality": "Lund"}})


# --- front matter ---------------------------------------------------------------------------


@given(
    st.dictionaries(
        st.sampled_from(["party", "municipality", "title", "year", "id"]),
        st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20),
        max_size=5,
    ),
    st.text(max_size=100),
)
def test_front_matter_parser_round_trips_or_raises(meta: dict[str, str], body: str) -> None:
    import yaml

    raw = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body
    parsed, rest = split_front_matter(raw)
    assert parsed == (meta or {})
    assert rest == body


yaml_tokens = st.sampled_from(
    [*"ab :-[]{}!&*?|>'\"#\n0123456789.,%@`\\\t", "!!binary ", "!!int ", "!!float ",
     "!!timestamp ", "!!set ", "2001-13-45", "&a ", "*a", "<<: ", "!!python/name:os.system",
     "\n- ", "---", "...", "%YAML 1.1\n", "\x00", "party: ", "year: "]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(yaml_tokens, max_size=40).map("".join))
def test_front_matter_parser_raises_only_metadata_errors(body: str) -> None:
    try:
        meta, rest = split_front_matter("---\n" + body + "\n---\nText")
    except MetadataError:
        return
    assert isinstance(meta, dict)
