"""Cleaning scraped text: debris of party pages goes, programme text stays, every sentence of
the seed programmes survives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rag.readers import clean_text, load_corpus
from rag.readers.cleaning import is_debris, is_shouting, is_sign_up, join_wrapped

from ..helpers import CORPUS

SEEDS = Path("/work/shared/seeds")

SCRAPED_PAGE = """Hoppa till huvudinnehåll
Liberalerna Testby
Hem  Vår politik  Nyheter  Bli medlem  Kontakt
Hem › Vår politik › Socialpolitik
ALLT BÖRJAR MED EN BRA SKOLA

Socialpolitik för Testby
Publicerad 12 mars

Dela   Skriv ut

Vi vill att socialtjänsten ska finnas nära dem som behöver den, och att stödet ges tidigt
innan problemen har vuxit sig stora.

Hemlöshet

Vi vill införa Bostad först i hela kommunen.

Läs mer

Liberalerna vill:
• införa Bostad först
• anställa fler fältassistenter

Dela på Facebook
Tillbaka till toppen

Vill du engagera dig?
Lämna din e-postadress här, så berättar vi mer om hur du kan göra skillnad.
Bli medlem

Vår politik
ALLT BÖRJAR MED EN BRA SKOLA
TRYGGHET I HELA TESTBY
FRAMTIDEN ÄR LIBERAL
Se alla

Kontakta oss
Liberalerna Testby
Storgatan 1, 123 45 Testby
© Liberalerna Testby
"""


def test_a_scraped_party_page_keeps_only_its_programme() -> None:
    assert clean_text(SCRAPED_PAGE, detect_headings=True) == (
        "# Socialpolitik för Testby\n\n"
        "Vi vill att socialtjänsten ska finnas nära dem som behöver den, och att stödet ges "
        "tidigt innan problemen har vuxit sig stora.\n\n"
        "## Hemlöshet\n\n"
        "Vi vill införa Bostad först i hela kommunen.\n\n"
        "Liberalerna vill:\n- införa Bostad först\n- anställa fler fältassistenter\n"
    )


@pytest.mark.parametrize(
    "line",
    [
        "Se alla",
        "Dela på Facebook",
        "Hoppa till huvudinnehållet",
        "Hem › Politik › Bidrag och integration",
        "Hem  Vår politik  Nyheter  Bli medlem  Kontakt",
        "Dela   Skriv ut",
        "Publicerad 12 mars",
        "Publicerad 22 april · Dela",
        "FRAMTIDEN ÄR LIBERAL",
        "VÅR ESKILSTUNA – TRYGGT OCH SVENSKT",
        "Lämna din e-postadress här, så berättar vi mer om hur du kan göra skillnad.",
        "Prenumerera på vårt nyhetsbrev",
        "© Liberalerna Karlstad",
        "•",
    ],
)
def test_debris_lines(line: str) -> None:
    assert is_debris(line)


@pytest.mark.parametrize(
    "line",
    [
        "## Se alla",  # a heading is never debris
        "LSS",
        "EN metod som visat sig vara mycket effektiv är sprututbyte.",
        "Alla ska kunna nå socialtjänsten via e-post och telefon.",
        "Vi vill att kommunen publicerar sina resultat varje år.",
        "Hemlöshet",
        "- FLER POLISER",  # a bullet in capitals is still a bullet
        "Ur Liberalernas valprogram 2022",
    ],
)
def test_programme_lines_are_not_debris(line: str) -> None:
    assert not is_debris(line)


def test_rules_are_general_not_fitted() -> None:
    assert is_shouting("TRYGGHET FÖR ALLA BORÅSARE") and not is_shouting("Trygghet för alla")
    assert is_sign_up("Anmäl din e-postadress för nyheter") and not is_sign_up("Skicka e-post.")


def test_navigation_runs_go_only_at_the_edges() -> None:
    """A run of short lines before or after the programme is a menu or an address; in the
    middle it is kept (it may be a list without bullets)."""
    middle = (
        "Vi vill så här, och det är viktigt för oss.\n\nTrygghet\nSkola\n\n"
        "Därför vill vi göra mer av det här i kommunen."
    )
    assert "Trygghet Skola" in clean_text(middle)
    edge = "Meny ett\nMeny två\n\nVi vill så här, och det är viktigt för oss alla här."
    assert clean_text(edge) == "Vi vill så här, och det är viktigt för oss alla här.\n"


@pytest.mark.parametrize(
    ("a", "b", "joined"),
    [
        ("Stöd till social-", "tjänsten", "Stöd till socialtjänsten"),
        ("barn-", "och ungdomar", "barn- och ungdomar"),
        ("LSS-", "boenden", "LSS-boenden"),
        ("1177-", "liknande", "1177-liknande"),
        ("tak-över-", "huvudet", "tak-över-huvudet"),
        ("tak-", "över-huvudet-garanti", "tak-över-huvudet-garanti"),
        ("social\u2010", "tjänst", "socialtjänst"),  # a typesetter's hyphen
        ("Vi vill", "mer.", "Vi vill mer."),
    ],
)
def test_hyphenated_line_ends(a: str, b: str, joined: str) -> None:
    assert join_wrapped(a, b) == joined


def test_the_text_decides_an_ambiguous_hyphen() -> None:
    assert join_wrapped("e-", "post", {"e-post"}) == "e-post"
    assert join_wrapped("social-", "tjänsten", {"socialtjänsten"}) == "socialtjänsten"


def test_a_pdf_converted_to_text_loses_its_page_furniture() -> None:
    header = "Liberalerna Testby – Valprogram 2026"
    text = "\n\n".join(
        f"{header}\n\nRubrik {n}\n\nVi vill att social-\ntjänsten finns nära i del {n}.\n\n"
        f"Sida {n} av 3"
        for n in (1, 2, 3)
    )
    cleaned = clean_text(text, detect_headings=True)
    assert header not in cleaned and "Sida" not in cleaned
    assert cleaned.startswith("# Rubrik 1\n\nVi vill att socialtjänsten finns nära i del 1.")


def test_wrapped_lines_are_joined() -> None:
    text = "Vi vill ha en stad där alla har samma\nchanser i livet.\n\n- en punkt\nsom fortsätter\n"
    assert clean_text(text) == (
        "Vi vill ha en stad där alla har samma chanser i livet.\n\n- en punkt som fortsätter\n"
    )


def _sentences(text: str) -> set[str]:
    body = re.sub(r"(?m)^(#+ |- )", "", text)
    return {s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", body) if len(s.strip()) > 3}


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed files are not on this machine")
def test_seed_files_lose_no_sentence_of_the_committed_corpus(tmp_path: Path) -> None:
    """Each seed, cleaned as `.txt`, keeps every sentence its committed copy has."""
    committed = {d.source: d.text for d in load_corpus(CORPUS)[0]}
    assert len(committed) == 5
    for name, text in committed.items():
        cleaned = clean_text((SEEDS / name).read_text(encoding="utf-8"), detect_headings=True)
        missing = _sentences(text) - _sentences(cleaned)
        assert not missing, f"{name} lost: {sorted(missing)[:3]}"


def test_cleaning_of_scraped_text() -> None:
    raw = (
        "Se alla\nBlomma händer\n\n\nSocialpolitik\n\nInledning  med  mellanslag.\n\n"
        "- **Sprutbyte**\n\nVi vill ha sprutbyte i\n\nhela kommunen.\n\n  • punkt ett\n"
    )
    assert clean_text(raw, detect_headings=True) == (
        "# Socialpolitik\n\nInledning med mellanslag.\n\n## Sprutbyte\n\n"
        "Vi vill ha sprutbyte i hela kommunen.\n\n- punkt ett\n"
    )


SCRAPED = st.lists(
    st.sampled_from(
        ["a", "B", "Ö", "é", ".", "!", ":", "\n", "\n\n", " ", "\t", "-", "#", "## ", "*", "**",
         "•", "1", ")", "Se alla", "Läs mer", "\r\n", "\u00a0", "\ufeff", "\u200b", "x" * 90]
    ),
    max_size=80,
).map("".join)  # fmt: skip
ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=400)
FEW_LETTERS = st.text(alphabet=st.sampled_from(list("ab AÖ.\n-#*•!")), max_size=200)


@settings(max_examples=300, deadline=None)
@given(SCRAPED | ANY_TEXT | FEW_LETTERS, st.booleans())
@example("*\n\na", False)  # a lone bullet joined to the next paragraph became a bullet later
@example("** **", False)  # an empty bold line became an empty heading
def test_cleaning_is_idempotent_on_scraped_debris(raw: str, headings: bool) -> None:
    once = clean_text(raw, detect_headings=headings)
    assert clean_text(once) == once
