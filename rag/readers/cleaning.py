"""Clean read text into our light Markdown, and drop what scraping leaves behind.

Light Markdown: `#`/`##`/`###` heading lines, blank-line separated paragraphs, `- ` bullets.
Scraped party pages carry navigation and sign-up debris; it is recognised by general rules —
known interface phrases, menus and breadcrumbs, dates of publication, lines entirely in
capitals (slogans), sign-up requests — and, at the edges of the text only, by runs of short
link-like lines (site menus, addresses). Programme sentences are never matched by these rules.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

# Interface text that never belongs to a programme when it stands alone on a line.
UI_PHRASES = frozenset(
    (
        "se alla|blomma händer|läs mer|läs hela|läs vidare|dela|dela artikeln|dela sidan|"
        "dela på facebook|dela på twitter|dela på linkedin|dela på x|skriv ut|tillbaka|"
        "tillbaka till toppen|till toppen|hoppa till innehåll|hoppa till innehållet|"
        "hoppa till huvudinnehåll|hoppa till huvudinnehållet|till innehållet|till startsidan|"
        "meny|stäng|sök|visa fler|visa mer|visa alla|bli medlem|kontakta oss|kontakt|hem|"
        "startsida|nyheter|vår politik|facebook|twitter|instagram|linkedin|youtube|tiktok|x|"
        "e-post|jag godkänner|godkänn|acceptera|acceptera alla|följ oss|ge en gåva|engagera dig"
    ).split("|")
)
_BULLET = re.compile(r"^\s*(?:[-*•·▪●◦]|\d+[.)])\s+")
_LONE_MARKER = re.compile(r"(?:[-*•·▪●◦]|\d+[.)])")  # a bullet with no text: debris
_BOLD_ONLY = re.compile(r"^(?:-\s+)?\*\*(.+?)\*\*\s*$")
_TERMINAL = ".!?:;,…"
_MENU_SPLIT = re.compile(r"\s{2,}|\s+[·|]\s+")
_CRUMB_SPLIT = re.compile(r"\s+[›»>]\s+")
_DATED = re.compile(r"^(?:senast )?(?:publicerad|publicerat|uppdaterad)\b[^.!?]{0,40}$", re.I)
_SIGN_UP = re.compile(r"e-post|nyhetsbrev|prenumerer", re.I)
_ADDRESSED = re.compile(r"\b(?:din|dig|du|vårt)\b", re.I)
_COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright\b)", re.I)
# A link that leads on: "Läs mer: Så fungerar kundval", "Se alla nyheter".
_LEADS_ON = re.compile(
    r"^(?:läs mer|läs hela|läs vidare|se alla|visa alla|visa fler)\b[^.!?]{0,60}$", re.I
)
# A page marker left by a PDF converted to text: "Sida 2 av 4", "- 3 -", "7".
PAGE_NUMBER = re.compile(
    r"(?:(?:sida|s\.|page)\s*)?[-–—]?\s*\d{1,4}\s*(?:(?:av|/|of)\s*\d{1,4})?\s*[-–—]?", re.I
)
_CONJUNCTIONS = ("och", "eller", "samt", "respektive")
_SHORT = 60  # a link, a menu entry, a name: no longer than this


def normalize(raw: str) -> str:
    """NFC, Unix newlines, no non-breaking spaces, byte-order marks or control characters."""
    text = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\ufeff", "")
    return "\n".join(map(_drop_control, text.replace("\t", " ").split("\n")))


def _drop_control(line: str) -> str:
    """The line without control and format characters (Unicode category C). Most lines have
    none, and `isprintable` (false for every C character) finds those at C speed."""
    if line.isprintable():
        return line
    return "".join(ch for ch in line if unicodedata.category(ch)[0] != "C")


# --- debris rules -----------------------------------------------------------------------------


def _is_phrase(text: str) -> bool:
    return " ".join(text.split()).strip(" ›»→☰|·").lower() in UI_PHRASES


def _is_menu(line: str) -> bool:
    """Menu entries run together on one line: `Hem  Vår politik  Nyheter  Kontakt`."""
    parts = [p for p in _MENU_SPLIT.split(line.strip()) if p]
    if len(parts) < 2:
        return False
    if all(_is_phrase(p) for p in parts):
        return True
    return len(parts) >= 3 and all(len(p) <= 30 and p[-1] not in _TERMINAL for p in parts)


def _is_breadcrumb(line: str) -> bool:
    """`Hem › Politik › Socialpolitik`."""
    parts = _CRUMB_SPLIT.split(line.strip())
    return len(parts) >= 2 and all(0 < len(p) <= _SHORT for p in parts)


def is_shouting(line: str) -> bool:
    """A line of two or more words entirely in capitals: a slogan, not programme text.

    >>> is_shouting("FRAMTIDEN ÄR LIBERAL"), is_shouting("LSS"), is_shouting("EN metod")
    (True, False, False)
    """
    letters = [c for c in line if c.isalpha()]
    return len(line.split()) >= 2 and len(letters) >= 6 and not any(c.islower() for c in letters)


def is_sign_up(line: str) -> bool:
    """A request for the reader's e-mail address or subscription."""
    return len(line) <= 200 and bool(_SIGN_UP.search(line)) and bool(_ADDRESSED.search(line))


def is_debris(line: str) -> bool:
    """A line that scraping left behind, wherever it stands. Headings are never debris."""
    text = line.strip()
    if not text or text.startswith("#"):
        return False
    return (
        _is_phrase(text)
        or bool(_LONE_MARKER.fullmatch(text))
        or _is_menu(text)
        or _is_breadcrumb(text)
        or bool(_DATED.match(text))
        or bool(_LEADS_ON.match(text))
        or bool(PAGE_NUMBER.fullmatch(text))
        or bool(_COPYRIGHT.match(text))
        or is_sign_up(text)
        or (not _BULLET.match(text) and is_shouting(text))
    )


def _is_link_like(line: str) -> bool:
    text = line.strip()
    return (
        0 < len(text) <= 80
        and text[-1] not in _TERMINAL.replace(":", "")
        and not text.startswith("#")
        and not _BULLET.match(text)
    )


def _is_navigation(lines: list[str]) -> bool:
    """A block of two or more short, unpunctuated lines (a dated line aside): a site menu,
    a share bar or an address, when it stands before or after the programme."""
    lines = [x for x in lines if x.strip() and not _DATED.match(x.strip())]
    return len(lines) >= 2 and all(map(_is_link_like, lines))


def _is_prose(line: str) -> bool:
    text = line.strip()
    return len(text) > 80 or (len(text.split()) >= 6 and text[-1] in ".!?…")


def _running_lines(blocks: list[list[str]]) -> set[str]:
    """Lines that stand alone three times or more in a text with page markers: the running
    header of a PDF converted to text."""
    alone = [b[0].strip() for b in blocks if len(b) == 1]
    if not any(PAGE_NUMBER.fullmatch(x) for x in alone):
        return set()
    counts: dict[str, int] = {}
    for x in alone:
        counts[x] = counts.get(x, 0) + 1
    return {x for x, n in counts.items() if n >= 3 and len(x) <= 100 and not x.startswith("#")}


def drop_debris(blocks: list[list[str]]) -> list[list[str]]:
    """Blocks (lists of lines) without debris lines, running headers, the short lines beside
    a sign-up request, and without navigation blocks before the first or after the last
    prose."""
    running = _running_lines(blocks)
    kept: list[list[str]] = []
    for lines in blocks:
        if any(is_sign_up(x) for x in lines):
            lines = [x for x in lines if len(x.strip()) > _SHORT and not is_sign_up(x)]
        kept.append([x for x in lines if not is_debris(x) and x.strip() not in running])
    prose = [i for i, lines in enumerate(kept) if any(map(_is_prose, lines))]
    first, last = (prose[0], prose[-1]) if prose else (len(kept), -1)
    return [
        lines
        for i, (raw, lines) in enumerate(zip(blocks, kept, strict=True))
        if first <= i <= last or not _is_navigation(raw)
    ]


# --- structure --------------------------------------------------------------------------------


def _is_heading_candidate(block: str) -> bool:
    return (
        "\n" not in block
        and len(block) <= 90
        and block[-1] not in _TERMINAL
        and not _BULLET.match(block)
        and block[0].isupper()
    )


def _tidy(line: str) -> str:
    """One line with single spaces, `- ` bullets and a bold-only line as a heading."""
    line = re.sub(r" {2,}", " ", line).strip()
    if m := _BULLET.match(line):
        line = "- " + line[m.end() :].strip()
    if (m := _BOLD_ONLY.match(line)) and m.group(1).strip():
        line = "## " + m.group(1).strip()
    return line


def keeps_hyphen(head: str, tail: str, words: Collection[str] = ()) -> bool:
    """Whether `head` (ending in `-`) and `tail`, split at a line end, are a hyphenated word
    rather than one word hyphenated there: the text uses the hyphenated form and not the
    joined one, the word has another hyphen (`tak-över-`, `tak-` + `över-huvudet`), or the
    hyphen follows a capital or digit (`LSS-`, `1177-`). Otherwise it was the line end's."""
    joined = (head[:-1] + tail).strip(".,;:!?").lower()
    hyphenated = (head + tail).strip(".,;:!?").lower()
    if joined in words:
        return False
    return (
        hyphenated in words
        or "-" in head[:-1] + tail
        or head[-2:-1].isupper()
        or head[-2:-1].isdigit()
    )


def join_wrapped(a: str, b: str, words: Collection[str] = ()) -> str:
    """Two pieces of one paragraph broken at a line end, a hyphenated word joined again:
    `join_wrapped("social-", "tjänsten") == "socialtjänsten"`, `join_wrapped("barn-", "och
    unga") == "barn- och unga"`, `join_wrapped("LSS-", "boende") == "LSS-boende"`."""
    head = a.rsplit(" ", 1)[-1]
    tail = b.split(" ", 1)[0]
    if a.endswith(("\u2010", "\u00ad")):  # a typesetter's hyphen
        return a[:-1] + b
    if not a.endswith("-") or not tail[:1].isalpha() or tail in _CONJUNCTIONS:
        return f"{a} {b}"
    return a + b if keeps_hyphen(head, tail, words) else a[:-1] + b


def vocabulary(text: str) -> set[str]:
    """The lowercased words of a text, to tell its hyphenated words from hyphenated lines."""
    return {w.strip(".,;:!?()”\"'").lower() for w in text.split()}


def _unwrap(lines: list[str], detect_headings: bool, words: set[str]) -> list[str]:
    """Paragraph lines of one block joined (soft line breaks); bullets and headings stay
    lines of their own, as does a short first line before a capital when headings are
    detected (a heading directly above its text)."""
    out: list[str] = []
    for i, line in enumerate(lines):
        starts_item = line.startswith(("- ", "#"))
        heading_above = (
            detect_headings
            and i == 1
            and len(lines[0]) <= _SHORT
            and _is_heading_candidate(lines[0])
            and line[:1].isupper()
        )
        if out and not starts_item and not out[-1].startswith("#") and not heading_above:
            out[-1] = join_wrapped(out[-1], line, words)
        elif heading_above:
            out.extend(["", line])
        else:
            out.append(line)
    return out


def _blocks(text: str, detect_headings: bool, words: set[str]) -> list[str]:
    """Cleaned blocks: a heading stands alone; paragraphs and runs of bullets."""
    raw_blocks = [b.split("\n") for b in re.split(r"\n\s*\n", text)]
    blocks: list[str] = []
    for lines in drop_debris(raw_blocks):
        tidy = [t for t in map(_tidy, lines) if t]
        current: list[str] = []
        for line in [*_unwrap(tidy, detect_headings, words), ""]:
            if line.startswith("#") or not line:
                blocks.extend(["\n".join(current), line])
                current = []
            else:
                current.append(line)
    return [b for b in blocks if b]


def _join_broken(blocks: list[str], words: set[str]) -> list[str]:
    """Paragraphs broken mid-sentence by a blank line, joined again."""
    joined: list[str] = []
    for block in blocks:
        prev = joined[-1] if joined else ""
        if (
            prev
            and not prev.startswith("#")
            and prev[-1] not in _TERMINAL
            and (block[0].islower() or prev[-1] == "-" and block[0].isalpha())
            and not block.startswith("- ")
        ):
            joined[-1] = join_wrapped(prev, block, words)
        else:
            joined.append(block)
    return joined


def _mark_headings(blocks: list[str]) -> list[str]:
    """Short unpunctuated single lines become headings: the first `#`, later ones `##`."""
    seen_title = any(b.startswith("# ") for b in blocks)
    out = list(blocks)
    for i, block in enumerate(out):
        if block.startswith("#") or i == len(out) - 1:
            continue
        if _is_heading_candidate(block):
            out[i] = ("## " if seen_title else "# ") + block
            seen_title = True
    return out


def _clean_once(text: str, detect_headings: bool) -> str:
    words = vocabulary(text)
    blocks = _join_broken(_blocks(text, detect_headings, words), words)
    if detect_headings:
        blocks = _mark_headings(blocks)
    return "\n\n".join(blocks) + "\n" if blocks else ""


def clean_text(raw: str, detect_headings: bool = False) -> str:
    """Clean read text into light Markdown (idempotent).

    Drops scraping debris, collapses spaces, turns bullets into `- `, makes a bold-only line a
    heading, joins lines of one paragraph and paragraphs broken mid-sentence.
    `detect_headings` marks short unpunctuated lines as headings (plain text).
    """
    text = normalize(raw)
    # Each pass only removes or joins, so this ends; a second pass catches what the first
    # made visible (a slogan whose words were on two lines).
    for _ in range(4):
        cleaned = _clean_once(text, detect_headings)
        if cleaned == text:
            break
        text = cleaned
    return text
