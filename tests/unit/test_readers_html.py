"""Web pages by their main content: what a party's page wraps around its programme never
becomes programme text; headings and bullets stay."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag import CorpusError
from rag.readers import read_document
from rag.readers.html import read_html

ARTICLE = """
<article class="politik">
  <h1>Socialpolitik för Testby</h1>
  <p class="ingress">Liberalerna vill att varje människa i Testby ska få forma sitt eget liv.
  Socialtjänsten ska finnas nära dem som behöver den och ge stöd tidigt, innan problemen har
  vuxit sig stora.</p>
  <h2>Hemlöshet</h2>
  <p>Vi vill att Testby inför Bostad först som grundmodell för personer i långvarig
  hemlöshet. En egen lägenhet med stöd ger bättre resultat än trappstegsmodeller, där den
  enskilde måste förtjäna sin bostad.</p>
  <h3>Det här vill vi göra</h3>
  <ul>
    <li>Införa Bostad först i hela kommunen.</li>
    <li>Ställa tjugo lägenheter om året till socialtjänstens förfogande.</li>
  </ul>
  <h2>Barn och unga</h2>
  <p>Fältassistenterna ska finnas ute varje kväll i alla kommundelar, också under
  sommarlovet, när behovet av vuxna i ungas vardag är som störst.</p>
  <div class="share"><span>Dela</span> <a href="#">Facebook</a> <a href="#">X</a></div>
</article>
"""

PAGE = f"""<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8">
<title>Socialpolitik för Testby – Liberalerna Testby</title>
<script>window.dataLayer = [];</script><style>body {{ font-family: sans-serif; }}</style>
</head><body>
<div class="cookie-banner" role="dialog"><p>Vi använder kakor för att ge dig en bättre
upplevelse av webbplatsen. Genom att fortsätta godkänner du vår användning av kakor.</p>
<button>Jag godkänner</button></div>
<header><a href="/">Liberalerna Testby</a>
<nav><ul><li><a href="/">Hem</a></li><li><a href="/politik">Vår politik</a></li>
<li><a href="/nyheter">Nyheter</a></li><li><a href="/medlem">Bli medlem</a></li></ul></nav>
</header>
<nav class="breadcrumbs"><a href="/">Hem</a> › <a href="/politik">Vår politik</a> ›
Socialpolitik</nav>
<main>{ARTICLE}
<aside class="sidebar"><h3>Senaste nytt</h3><ul>
<li><a href="/n/1">Liberalerna kräver kärnkraft i Testby</a></li>
<li><a href="/n/2">Vår kandidatlista till kommunfullmäktige är klar</a></li>
<li><a href="/n/3">Så röstar du i valet 2026</a></li></ul>
<a href="/nyheter">Se alla</a></aside>
</main>
<section class="signup"><h2>Vill du engagera dig?</h2>
<p>Lämna din e-postadress här, så berättar vi mer om hur du kan göra skillnad.</p>
<form><input type="email" placeholder="E-post"><button>Skicka</button></form></section>
<footer><p>Vår politik · ALLT BÖRJAR MED EN BRA SKOLA · FRAMTIDEN ÄR LIBERAL</p>
<p>Liberalerna Testby, Storgatan 1, 123 45 Testby</p><p>© 2026 Liberalerna</p></footer>
</body></html>
"""

EXPECTED = (
    "# Socialpolitik för Testby\n\n"
    "Liberalerna vill att varje människa i Testby ska få forma sitt eget liv. Socialtjänsten "
    "ska finnas nära dem som behöver den och ge stöd tidigt, innan problemen har vuxit sig "
    "stora.\n\n"
    "## Hemlöshet\n\n"
    "Vi vill att Testby inför Bostad först som grundmodell för personer i långvarig "
    "hemlöshet. En egen lägenhet med stöd ger bättre resultat än trappstegsmodeller, där den "
    "enskilde måste förtjäna sin bostad.\n\n"
    "### Det här vill vi göra\n\n"
    "- Införa Bostad först i hela kommunen.\n"
    "- Ställa tjugo lägenheter om året till socialtjänstens förfogande.\n\n"
    "## Barn och unga\n\n"
    "Fältassistenterna ska finnas ute varje kväll i alla kommundelar, också under "
    "sommarlovet, när behovet av vuxna i ungas vardag är som störst.\n"
)


def test_a_party_page_gives_its_programme_only() -> None:
    meta, text = read_html(PAGE.encode())
    assert meta == {} and text == EXPECTED


@pytest.mark.parametrize(
    "debris",
    [
        "kärnkraft",  # a news headline in the aside
        "Senaste nytt",
        "kakor",  # the cookie banner
        "e-postadress",  # the sign-up block
        "engagera",
        "Facebook",  # share buttons
        "Dela",
        "FRAMTIDEN",  # the footer's slogans
        "Storgatan",
        "Hem ›",
        "Bli medlem",
        "Se alla",
        "dataLayer",
    ],
)
def test_nothing_around_the_article_is_kept(debris: str) -> None:
    assert debris not in read_html(PAGE.encode())[1]


def test_a_page_whose_title_sits_outside_the_article_keeps_it(tmp_path: Path) -> None:
    """Where the extractor takes the `h1` for the page title, it is put back as `#`."""
    page = PAGE.replace("<h1>Socialpolitik för Testby</h1>", "").replace(
        "<main>", "<main><h1>Socialpolitik för Testby</h1>"
    )
    path = tmp_path / "testby.html"
    path.write_text(page, encoding="utf-8")
    doc = read_document(path, {"party": "Liberalerna", "municipality": "Testby"})
    assert doc.title == "Socialpolitik för Testby"
    assert doc.text.startswith("# Socialpolitik för Testby\n\nLiberalerna vill")


def test_a_page_without_content_is_refused_clearly() -> None:
    with pytest.raises(CorpusError, match="no main content found"):
        read_html(b"<html><body><nav><a href='/'>Hem</a></nav></body></html>")
