"""Personal data the guard warns about (never refuses): Norwegian phone numbers, e-mail
addresses, birth dates and street addresses. Each finder reads normalised text."""

from __future__ import annotations

import re
from datetime import date

from klynge.privacy.national_id import ascii_digits

_SEP = "[ .-]"  # after normalisation every space is " " and every dash "-"
_PHONE_LAYOUT = (
    rf"\d{{7}}|\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{3}}|\d{_SEP}\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{2}}"
)
# Consume the first character, then look behind it: the engine can skip non-candidates fast.
_PHONE_RE = re.compile(
    rf"[+\d](?<![\d+][+\d])"
    rf"(?:(?<=\+)47{_SEP}?\d(?:{_PHONE_LAYOUT})"  # +47 912 34 567
    rf"|(?<=0)047{_SEP}?\d(?:{_PHONE_LAYOUT})"  # 0047 912 34 567
    rf"|(?<=\d)(?:{_PHONE_LAYOUT}))"  # 912 34 567
    r"(?![\d.,]?\d)"
)

_LOCAL_CHAR = r"[\w.!#$%&'*+/=?^`{|}~-]"
# The local part starts where a run of local-part characters starts, and its quantifier is
# possessive: a long run without "@" fails once instead of once per position (linear scan).
_EMAIL_RE = re.compile(
    rf"{_LOCAL_CHAR}(?<!{_LOCAL_CHAR}{_LOCAL_CHAR}){_LOCAL_CHAR}*+@ ?"
    r"(?P<domain>[\w-]++(?:\.[\w-]++)++)"
)

_MONTHS = (
    ("januar", "jan"),
    ("februar", "feb"),
    ("mars", "mar"),
    ("april", "apr"),
    ("mai",),
    ("juni", "jun"),
    ("juli", "jul"),
    ("august", "aug"),
    ("september", "sep", "sept"),
    ("oktober", "okt"),
    ("november", "nov"),
    ("desember", "des"),
)
_MONTH_NUMBERS = {name: n for n, names in enumerate(_MONTHS, start=1) for name in names}
_MONTH_NAMES = "|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True))
# født, fødd, fødselsdato, f.dato, fdato, f., born, date of birth, dob.
_BIRTH_RE = re.compile(
    r"[fbd](?<!\w[fbd])(?:ødt|ødd|ødselsdato|\.\s?dato|dato|\.|orn|ate\s+of\s+birth|ob)"
    r"[\s:]*+(?:den\s++)?"
    r"(?:"
    r"(?P<d1>\d{1,2})[./-](?P<m1>\d{1,2})[./-](?P<y1>\d{4}|\d{2})"
    rf"|(?P<d2>\d{{1,2}})\.?\s++(?P<m2>{_MONTH_NAMES})\.?\s++(?P<y2>\d{{4}})"
    r"|(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2})"
    r")(?!\d)",
    re.IGNORECASE,
)

# Street names end in one of these (Storgata, Kongsveien, Nygårdsgaten) or are a name followed
# by one of the separate words (Ole Bulls plass, Kong Oscars gate); then a house number. The
# regex finds "word number" (possessive, so linear); the suffix is checked in Python.
_COMPOUND = (
    "gata",
    "gaten",
    "gate",
    "veien",
    "vegen",
    "vei",
    "veg",
    "allé",
    "alleen",
    "plassen",
    "stien",
    "stredet",
    "smauet",
    "bakken",
    "torget",
    "bryggen",
    "brygga",
    "kaien",
    "tunet",
    "ringen",
    "svingen",
    "lia",
    "vollen",
    "haugen",
    "åsen",
    "kroken",
    "løkka",
)
_SEPARATE = frozenset({"gate", "gata", "vei", "veg", "plass", "allé", "alle", "torg", "brygge"})
# A house number: found first (digits are rare, so the scan is quick), then the word before it.
# A house letter is attached (12b) or a capital after a space (12 B): "12 i fjor" is no letter.
_NUMBER = re.compile(r"(?<= )(?<!\d )\d{1,4}+(?:[A-Za-z]| [A-Z])?(?!\w)(?![.,]\d| ?%)")
_PREVIOUS_WORD = re.compile(r"(?<!\w)(?P<word>[^\W\d_]++) $")
_POSTBOX = re.compile(r"(?<!\w)postboks \d{1,5}+(?!\d)", re.IGNORECASE)


def _street_start(text: str, number: re.Match[str]) -> int | None:
    """Where the street name before a house number starts, or None if it is no street."""
    found = _PREVIOUS_WORD.search(text, max(0, number.start() - 40), number.start())
    if found is None:
        return None
    word = found.group("word").casefold()
    if len(word) > 3 and word.endswith(_COMPOUND) and word not in _COMPOUND:
        return found.start()
    if word in _SEPARATE:
        name = _PREVIOUS_WORD.search(text, max(0, found.start() - 40), found.start())
        if name is not None and name.group("word")[0].isupper():
            return name.start()
    return None


def phone_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _PHONE_RE.finditer(text):
        # Norwegian subscriber numbers never start with 0 or 1; the last 8 digits are the number.
        if ascii_digits(match.group())[-8] not in "01":
            spans.append(match.span())
    return spans


def email_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _EMAIL_RE.finditer(text):
        tld = match.group("domain").rsplit(".", 1)[-1]
        if len(tld) >= 2 and tld.isalpha():
            spans.append(match.span())
    return spans


def birth_date_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _BIRTH_RE.finditer(text):
        if match.group("d1"):
            day, month, year = match.group("d1", "m1", "y1")
        elif match.group("d2"):
            day, month, year = match.group("d2", "m2", "y2")
        else:
            day, month, year = match.group("d3", "m3", "y3")
        month_number = _MONTH_NUMBERS.get(month.casefold()) or int(ascii_digits(month))
        year_number = int(ascii_digits(year))
        if year_number < 100:
            year_number += 2000
        try:
            date(year_number, month_number, int(ascii_digits(day)))
        except ValueError:
            continue
        spans.append(match.span())
    return spans


def address_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for number in _NUMBER.finditer(text):
        start = _street_start(text, number)
        if start is not None and int(ascii_digits(number.group()[:4]) or 0) > 0:
            spans.append((start, number.end()))
    spans += [m.span() for m in _POSTBOX.finditer(text)]
    return sorted(spans)
