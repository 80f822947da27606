"""PDFs printed by a real browser: headless Chromium prints a two-column programme with a
running header and page numbers, and the reader gives back exactly what was printed,
section by section."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from rag.readers import read_document

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    # In CI `make browser` installs chromium, so there a missing browser fails the test.
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not os.environ.get("CI"),
        reason="needs Debian's chromium (make browser)",
    ),
]

TITLE = "Liberalerna Testby – Valprogram 2026"
SHY = "\u00ad"  # a soft hyphen: where the browser may break a long word, printing a hyphen
# (heading, [paragraph or list of bullets, ...]); "|" marks a soft hyphen in the printed page.
SECTIONS: list[tuple[str, list[str | list[str]]]] = [
    (
        "Inledning",
        [
            "Testby ska vara en kommun där varje människa får forma sitt eget liv. Vi liberaler "
            "vill att social|tjänsten finns nära dem som behöver den, och att stödet ges tidigt, "
            "innan problemen har vuxit sig stora. Det kräver en välfungerande social|förvaltning "
            "med kompetent personal, tydliga mål och uppföljning av resultaten.",
            "Under den kommande mandatperioden prioriterar vi barn och unga, personer i "
            "hemlöshet och den som lever med missbruk eller beroende. Här beskriver vi hur.",
        ],
    ),
    (
        "Hemlöshet",
        [
            "Vi vill att Testby inför Bostad först som grundmodell för personer i långvarig "
            "hemlöshet. Erfarenheterna från andra kommuner visar att en egen lägenhet med stöd "
            "ger bättre resultat än trappstegs|modeller, där den enskilde måste förtjäna sin "
            "bostad genom att först bli drogfri.",
            "Kommunens bostadsbolag ska varje år ställa minst tjugo lägenheter till social"
            "|tjänstens förfogande. Den tak-över-huvudet-garanti som finns i dag ska gälla "
            "alla som vistas i kommunen, även under sommarmånaderna.",
            [
                "Bostad först som grundmodell i hela kommunen.",
                "Tjugo lägenheter om året från det kommunala bostadsbolaget.",
                "Uppsökande arbete på kvällar och nätter, året runt.",
            ],
        ],
    ),
    (
        "Barn och unga",
        [
            "Skolan är den viktigaste skydds|faktorn för ett barn som far illa. Därför ska "
            "socialtjänsten och skolan samverka kring varje placerat barn, med en gemensam plan "
            "för skolgången som följs upp varje termin.",
            "Köerna till barn- och ungdomspsykiatrin måste kortas. Vi vill att kommunen och "
            "regionen tillsammans inrättar en mottagning för unga med lättare psykisk ohälsa, "
            "där ingen ska behöva vänta mer än två veckor på ett första samtal.",
            "Fältassistenterna ska finnas ute varje kväll i alla kommundelar, också under "
            "sommarlovet, när behovet av vuxna i ungas vardag är som störst.",
        ],
    ),
    (
        "Missbruk och beroende",
        [
            "Beroende är en sjukdom och ska mötas med vård, inte med moralism. Vi vill att "
            "Testby tillsammans med regionen öppnar en sprutbytes|mottagning, och att personal "
            "på kommunens boenden har naloxon med sig och är utbildad i att använda det.",
            "Den som söker hjälp för sitt missbruk ska få ett första samtal inom en vecka och en "
            "behandlings|plats inom fyra veckor. Väntan kostar liv.",
        ],
    ),
    (
        "Våld i nära relationer",
        [
            "Ingen ska behöva leva med våld. Stödet till kvinnojouren ska ges genom fleråriga "
            "avtal, så att verksamheten kan planera långsiktigt, och kommunen ska erbjuda "
            "skyddat boende där barn kan följa med sin förälder.",
            "All personal i skola och socialtjänst ska utbildas i att upptäcka hedersrelaterat "
            "våld och förtryck. Utbildningen ska vara obligatorisk för nyanställda och upprepas "
            "vart tredje år.",
        ],
    ),
    (
        "Äldre",
        [
            "Den som har hemtjänst ska möta samma personal från vecka till vecka. Vi vill att "
            "varje äldre får en fast omsorgs|kontakt, och att antalet personer som besöker en "
            "brukare under en månad halveras.",
            "Ofrivillig ensamhet är ett folkhälsoproblem. Kommunen ska erbjuda uppsökande "
            "hembesök till alla som fyller åttio år, och fler träffpunkter ska öppna i "
            "kommundelarna tillsammans med föreningar och trossamfund.",
        ],
    ),
    (
        "Funktionsnedsättning",
        [
            "Personer med funktionsnedsättning ska kunna leva som andra. Antalet bostäder med "
            "särskild service enligt LSS ska öka, och de som bor i LSS-boenden ska få hjälp att "
            "använda digitala tjänster och tekniska hjälpmedel i vardagen.",
            "Daglig verksamhet ska utgå från den enskildes intressen. Vi vill att fler får pröva "
            "på arbete hos privata och ideella arbetsgivare, med stöd av en handledare från "
            "kommunen, och att ersättningen i daglig verksamhet höjs.",
            "Ledsagning och avlösning ska kunna beviljas utan långa utredningar, så att familjer "
            "med barn med funktionsnedsättning orkar i vardagen och syskonen också får plats.",
        ],
    ),
    (
        "Civilsamhället",
        [
            "Föreningar, trossamfund och idéburna organisationer gör ett arbete som kommunen "
            "aldrig kan ersätta. Vi vill teckna fler idéburna offentliga partnerskap, med avtal "
            "som löper över flera år, och förenkla ansökan om föreningsbidrag.",
            "Kommunen ska ha en kontaktperson för civilsamhällets organisationer, som samordnar "
            "stödet mellan förvaltningarna och ser till att ingen förening behöver lämna samma "
            "uppgifter flera gånger.",
        ],
    ),
    (
        "Psykisk hälsa",
        [
            "Var femte vuxen i Testby lider av psykisk ohälsa under ett år. Den som mår dåligt "
            "ska kunna få hjälp snabbt, utan att först bollas mellan kommun och region. Vi vill "
            "att kommunens socialpsykiatri och regionens vårdcentraler har en gemensam "
            "mottagning för personer med både psykisk ohälsa och missbruk, så kallad "
            "samsjuklighet.",
            "Boendestödet ska utgå från den enskildes behov och kunna ges även på kvällar och "
            "helger. Personliga ombud ska finnas för alla som behöver hjälp att hitta rätt i "
            "vården, socialtjänsten och Försäkringskassan, och väntetiden till ett ombud ska "
            "vara högst en månad.",
            "Suicidpreventionen ska stärkas. All personal som möter människor i kris ska ha "
            "utbildning i att ställa frågan om självmordstankar, och kommunen ska ta fram en "
            "handlingsplan tillsammans med regionen, polisen och civilsamhället.",
        ],
    ),
    (
        "Arbete och försörjning",
        [
            "Den som kan arbeta ska få hjälp att komma i arbete från första dagen. Varje hushåll "
            "med försörjningsstöd ska ha en plan för vägen till egen försörjning, med praktik, "
            "studier i svenska eller en introduktionsanställning.",
            "Vi säger nej till tiggeriförbud. Fattigdom försvinner inte för att den blir mindre "
            "synlig; i stället ska kommunen samarbeta med civilsamhället om uppsökande arbete.",
        ],
    ),
]

CSS = """
@page { size: A4; margin: 24mm 18mm 22mm 18mm;
  @top-left { content: "%(title)s"; font: 8.5pt 'DejaVu Sans'; color: #444; }
  @top-right { content: counter(page); font: 8.5pt 'DejaVu Sans'; }
  @bottom-center { content: "Sida " counter(page) " av " counter(pages);
                   font: 8.5pt 'DejaVu Sans'; } }
body { font: %(size)s/1.45 'DejaVu Serif'; margin: 0; }
main { columns: %(columns)d; column-gap: 9mm; }
h1 { font: bold 21pt/1.2 'DejaVu Sans'; column-span: all; margin: 0 0 6mm; }
h2 { font: bold 13.5pt/1.25 'DejaVu Sans'; break-after: avoid; margin: 5mm 0 2mm; }
p { margin: 0 0 2.6mm; }
ul { margin: 0 0 2.6mm; padding-left: 6mm; }
"""


def printed_html(columns: int, size: str) -> str:
    """The programme as a web page ready for print, in `columns` columns of `size` type."""
    parts = [f"<h1>{html.escape(TITLE)}</h1>"]
    for heading, blocks in SECTIONS:
        parts.append(f"<h2>{html.escape(heading)}</h2>")
        for block in blocks:
            if isinstance(block, list):
                items = "".join(f"<li>{html.escape(i)}</li>" for i in block)
                parts.append(f"<ul>{items}</ul>")
            else:
                parts.append(f"<p>{html.escape(block).replace('|', '&shy;')}</p>")
    body = "\n".join(parts)
    return (
        f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>{TITLE}</title>'
        f"<style>{CSS % {'title': TITLE, 'columns': columns, 'size': size}}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )


def expected_sections() -> list[tuple[str, list[str]]]:
    """What was printed, as the reader's light Markdown: heading → its blocks."""
    out = []
    for heading, blocks in SECTIONS:
        texts = [
            "\n".join(f"- {i}" for i in b) if isinstance(b, list) else b.replace("|", "")
            for b in blocks
        ]
        out.append((heading, texts))
    return out


def sections(text: str) -> list[tuple[str, list[str]]]:
    """`## heading` → the blocks under it, from the reader's text."""
    out: list[tuple[str, list[str]]] = []
    for block in text.strip().split("\n\n"):
        if block.startswith("## "):
            out.append((block[3:], []))
        elif out:
            out[-1][1].append(block)
    return out


@pytest.fixture(scope="module", params=[(2, "12pt"), (2, "10pt"), (1, "11pt")], ids=str)
def printed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, int]:
    """The programme printed by Chromium: two columns in two type sizes (so lines, columns
    and pages break in other places), and one column."""
    folder = tmp_path_factory.mktemp("print")
    page, pdf = folder / "valprogram.html", folder / "valprogram.pdf"
    page.write_text(printed_html(*request.param), encoding="utf-8")
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    (folder / "valprogram.pdf.meta.yaml").write_text(
        "party: Liberalerna\nmunicipality: Testby\n", encoding="utf-8"
    )
    return pdf, request.param[0]


def test_the_print_has_what_the_test_is_about(printed: tuple[Path, int]) -> None:
    """Several pages, the header and page numbers on every page, and a gutter down the middle
    of the first page exactly when printed in two columns."""
    import pdfplumber

    pdf_path, columns = printed
    with pdfplumber.open(pdf_path) as pdf:
        texts = [page.extract_text() for page in pdf.pages]
        first = pdf.pages[0]
        mid, height = float(first.width) / 2, float(first.height)
        body = [w for w in first.extract_words() if 0.15 * height < w["top"] < 0.85 * height]
    assert len(texts) >= 2
    assert all(TITLE in t and f"Sida {n} av {len(texts)}" in t for n, t in enumerate(texts, 1))
    across_middle = [w for w in body if w["x0"] < mid < w["x1"]]
    assert any(w["x0"] > mid for w in body)
    assert (not across_middle) == (columns == 2)


def test_a_printed_programme_reads_back_section_by_section(printed: tuple[Path, int]) -> None:
    doc = read_document(printed[0])
    assert doc.title == TITLE
    assert doc.text.startswith(f"# {TITLE}\n\n## Inledning\n\n")
    assert sections(doc.text) == expected_sections()


def test_no_running_header_or_page_number_is_left(printed: tuple[Path, int]) -> None:
    text = read_document(printed[0]).text
    assert text.count(TITLE) == 1  # the title, once
    assert not re.search(r"Sida \d+ av \d+", text)
    assert not re.search(r"(?m)^\d+$", text)
    assert SHY not in text and "\u2010" not in text
