"""The PDF reader's rules on small hand-made PDFs (Chromium's prints are in
tests/integration/test_pdf_chromium.py)."""

from __future__ import annotations

import random
import string

import pytest

from rag import CorpusError
from rag.readers.pdf import read_pdf
from tests.pdf import make_pdf

HEADER = "Liberalerna Testby – Valprogram 2026"
LONG = "Vi vill att kommunen ska ta ett stort ansvar för alla som behöver stöd och hjälp"
OTHER = "Ingen ska behöva sova ute en enda natt i Testby, oavsett årstid eller vem man är"


def test_running_header_and_page_numbers_are_dropped() -> None:
    pages = [
        [HEADER, "Sida 1 av 2", "Program för Testby", LONG, "i vardagen."],
        [HEADER, "Sida 2 av 2", "Hemlöshet", OTHER, "också på vintern."],
    ]
    meta, text = read_pdf(make_pdf(pages))
    assert meta == {}
    assert text == (
        f"# Program för Testby\n\n{LONG} i vardagen.\n\n## Hemlöshet\n\n{OTHER} också på vintern.\n"
    )


def test_a_line_on_one_page_only_is_kept() -> None:
    _, text = read_pdf(make_pdf([[HEADER, "Program", LONG, "slut."], ["Annat", OTHER, "slut."]]))
    assert text.startswith(f"# {HEADER}\n\n")


def test_bullets_printed_as_glyphs_make_one_list() -> None:
    end = "Det är vad vi vill göra i Testby de kommande åren."
    items = ["• fler platser på härbärget", "• fler fältassistenter"]
    lines = ["Program för Testby", f"{LONG}:", *items, end]
    _, text = read_pdf(make_pdf([lines]))
    assert text == (
        f"# Program för Testby\n\n{LONG}:\n\n- fler platser på härbärget\n"
        f"- fler fältassistenter\n\n{end}\n"
    )


def test_a_pdf_without_text_is_refused_clearly() -> None:
    with pytest.raises(CorpusError, match="no extractable text"):
        read_pdf(make_pdf([[]]))


PDF = make_pdf([["Program för Testby", "Vi vill ha sprutbyte."], ["Sida två", "Text."]])


@pytest.mark.parametrize("seed", range(4))
def test_pdf_reader_raises_only_corpus_errors(seed: int) -> None:
    """Randomly damaged PDFs (bytes flipped, cut, inserted): text or a CorpusError."""
    rng = random.Random(seed)
    for _ in range(150):
        data = bytearray(PDF)
        for _ in range(rng.randint(1, 8)):
            pos = rng.randrange(len(data))
            what = rng.random()
            if what < 0.5:
                data[pos] = rng.randrange(256)
            elif what < 0.75:
                del data[pos : pos + rng.randint(1, 40)]
            else:
                data[pos:pos] = rng.choice(string.printable).encode() * rng.randint(1, 20)
        try:
            meta, text = read_pdf(bytes(data))
        except CorpusError:
            continue
        assert isinstance(text, str) and isinstance(meta, dict)
