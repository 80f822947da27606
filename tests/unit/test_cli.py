"""The `rag` command's parsing and its exit codes, run in this process: usage errors exit 2,
other known errors 1, each as one line and never a traceback. (The command in a process of its
own, over a real index, is tested in tests/integration/test_cli.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from rag import Assistant
from rag.cli import main

COMMANDS = ["ingest", "ask", "documents", "chat", "eval"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_help_for_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    top = capsys.readouterr().out
    assert done.value.code == 0
    for command in COMMANDS:
        assert command in top
        with pytest.raises(SystemExit) as done:
            main([command, "--help"])
        assert done.value.code == 0 and "usage: rag " + command in capsys.readouterr().out


def test_a_missing_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([])
    assert done.value.code == 2 and "COMMAND" in capsys.readouterr().err


@pytest.mark.parametrize("question", ["", "   \n\t "])
def test_an_empty_question_exits_2(capsys: pytest.CaptureFixture[str], question: str) -> None:
    code, _, err = run(capsys, "ask", question)
    assert code == 2 and err.startswith("error: the question is empty")


def test_an_unknown_setting_exits_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAG_NO_SUCH", "1")
    code, _, err = run(capsys, "documents")
    assert code == 2 and "error: unknown setting RAG_NO_SUCH" in err


def test_a_missing_corpus_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RAG_CORPUS_DIR", str(tmp_path / "missing"))
    code, _, err = run(capsys, "ingest")
    assert code == 1 and "corpus folder not found" in err


def test_a_damaged_pdf_is_one_clear_line_and_not_copied(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    monkeypatch.setenv("RAG_CORPUS_DIR", str(corpus))
    pdf = tmp_path / "program.pdf"
    pdf.write_bytes(b"%PDF-1.4 truncated")
    code, _, err = run(capsys, "ingest", str(pdf), "--party", "M", "--municipality", "Malmö")
    assert code == 1
    assert err.strip().splitlines() == [
        "error: cannot read PDF: No /Root object! - Is this really a PDF? "
        "(check the file opens in a PDF viewer)"
    ]
    assert list(corpus.iterdir()) == []


def test_an_unexpected_error_is_one_line_unless_debugging(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: Assistant) -> list[object]:
        raise RuntimeError("boom")

    monkeypatch.setattr(Assistant, "documents", broken)
    code, _, err = run(capsys, "documents")
    assert code == 1
    assert err == "unexpected error: RuntimeError: boom (run with --debug for details)\n"
    with pytest.raises(RuntimeError, match="boom"):
        main(["--debug", "documents"])


def test_an_interrupt_exits_130(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(self: Assistant) -> list[object]:
        raise KeyboardInterrupt

    monkeypatch.setattr(Assistant, "documents", interrupted)
    assert run(capsys, "documents")[0] == 130
