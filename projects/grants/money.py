"""Money as integer øre: parsing what people type (or a spreadsheet holds) and showing NOK the
Norwegian way ("1 234 567 kr", "1 234,50 kr"). Pure; no floats anywhere."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

NBSP = "\u00a0"
_STRIP = re.compile(r"(?i)\s|\u00a0|\u202f|kr\.?|nok|,-$")
# The largest sum we accept: a trillion kroner (fits BigInt by far, catches typos).
MAX_ORE = 10**14


def parse_nok(text: str | int | float | Decimal) -> int:
    """Øre from "1 234 567", "1 234,50", "1234.5", "kr 12 000,-", 1234.5 (a spreadsheet's number).
    Raises ValueError for anything else, negative amounts or more than two decimals."""
    if isinstance(text, bool):
        raise ValueError("not an amount")
    if isinstance(text, int | Decimal):
        value = Decimal(text)
    elif isinstance(text, float):
        value = Decimal(repr(text))
    else:
        cleaned = _STRIP.sub("", text.strip())
        if cleaned.count(",") == 1 and "." not in cleaned:
            cleaned = cleaned.replace(",", ".")
        if not re.fullmatch(r"\d+(\.\d{1,2})?", cleaned):
            raise ValueError("not an amount")
        try:
            value = Decimal(cleaned)
        except InvalidOperation as exc:  # pragma: no cover - the regex admits only numbers
            raise ValueError("not an amount") from exc
    if value < 0 or value != value.quantize(Decimal("0.01")):
        raise ValueError("not an amount")
    ore = int((value * 100).to_integral_value(rounding=ROUND_HALF_UP))
    if ore > MAX_ORE:
        raise ValueError("too large")
    return ore


def format_nok(ore: int, *, unit: bool = True) -> str:
    """ "1 234 567 kr" (øre shown only when there are any: "1 234,50 kr")."""
    sign = "-" if ore < 0 else ""
    kroner, rest = divmod(abs(ore), 100)
    grouped = f"{kroner:,}".replace(",", NBSP)
    text = f"{sign}{grouped}" + (f",{rest:02d}" if rest else "")
    return f"{text}{NBSP}kr" if unit else text


def percent(part: int, whole: int) -> Decimal:
    """`part` of `whole` in percent, exactly, rounded to one decimal (0 when whole is 0)."""
    if whole <= 0:
        return Decimal(0)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def format_percent(value: Decimal) -> str:
    """ "14", "14,5" (Norwegian decimal comma; no trailing ",0")."""
    text = f"{value.normalize():f}" if value != value.to_integral() else str(int(value))
    return text.replace(".", ",")
