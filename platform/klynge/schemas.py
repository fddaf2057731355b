"""Declared text types for request schemas: free text carries the privacy guard by construction.

Every `str` field of a request Struct is one of two kinds, declared in its type:
- free text (names, titles, descriptions, reasons, notes, abstracts, queries ...): a type whose
  `msgspec.Meta` has `extra_json_schema={"x-free-text": True}` (`FREE`), e.g. `FreeText`;
- not free text (identifiers, codes, e-mail, urls, DOIs, languages): `extra_json_schema=
  {"x-free-text": False}` (`NOT_FREE`), e.g. `Identifier`, `Code`.

A Struct that derives from `GuardedStruct` runs the national-ID guard on each of its free-text
fields whenever it is built — decoded from JSON, converted from a form, or constructed in code —
and raises the same 422 `Invalid` as `privacy.guard_text`, naming the field, never the number.
`tests/test_free_text.py` walks the route table and the schema modules and fails on any `str`
field that is neither.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Final, Literal

import msgspec
import msgspec.inspect as mi

from klynge import privacy
from klynge.i18n import N_

__all__ = [
    "FREE",
    "NOT_FREE",
    "Code",
    "FreeText",
    "GuardedPart",
    "GuardedStruct",
    "Identifier",
    "LongText",
    "Name",
    "Note",
    "ShortText",
    "TextKind",
    "ensure_publishable",
    "free_text_fields",
    "text_fields",
]

FREE_TEXT_KEY: Final = "x-free-text"
FREE: Final[dict[str, Any]] = {FREE_TEXT_KEY: True}
NOT_FREE: Final[dict[str, Any]] = {FREE_TEXT_KEY: False}

# Free text, by length. Apps may declare their own lengths with `extra_json_schema=FREE`.
FreeText = Annotated[str, msgspec.Meta(max_length=10_000, extra_json_schema=FREE)]
LongText = FreeText
ShortText = Annotated[str, msgspec.Meta(max_length=200, extra_json_schema=FREE)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200, extra_json_schema=FREE)]
Note = Annotated[str, msgspec.Meta(max_length=2_000, extra_json_schema=FREE)]

# Not free text: machine values with a shape of their own.
Identifier = Annotated[str, msgspec.Meta(max_length=200, extra_json_schema=NOT_FREE)]
Code = Annotated[str, msgspec.Meta(max_length=50, extra_json_schema=NOT_FREE)]

TextKind = Literal["free", "not_free", "undeclared"]


def _kind(info: mi.Type) -> TextKind | None:
    """The text kind of one (possibly optional or list) type; None when it holds no str."""
    if isinstance(info, mi.UnionType):
        kinds = [k for k in (_kind(t) for t in info.types) if k is not None]
        return kinds[0] if kinds else None
    if isinstance(info, mi.ListType | mi.SetType | mi.FrozenSetType | mi.VarTupleType):
        return _kind(info.item_type)
    if isinstance(info, mi.Metadata):
        if not isinstance(info.type, mi.StrType):
            return _kind(info.type)
        flag = (info.extra_json_schema or {}).get(FREE_TEXT_KEY)
        if flag is True:
            return "free"
        return "not_free" if flag is False else "undeclared"
    if isinstance(info, mi.StrType):
        return "undeclared"
    return None


def text_fields(cls: type[msgspec.Struct]) -> dict[str, TextKind]:
    """Each str (or list of str) field of a Struct and its declared kind."""
    info = mi.type_info(cls)
    assert isinstance(info, mi.StructType)
    kinds = {field.name: _kind(field.type) for field in info.fields}
    return {name: kind for name, kind in kinds.items() if kind is not None}


_FREE_FIELDS: dict[type, tuple[str, ...]] = {}


def free_text_fields(cls: type[msgspec.Struct]) -> tuple[str, ...]:
    """The names of the free-text fields of a Struct (cached per class)."""
    found = _FREE_FIELDS.get(cls)
    if found is None:
        found = tuple(name for name, kind in text_fields(cls).items() if kind == "free")
        _FREE_FIELDS[cls] = found
    return found


class GuardedPart(msgspec.Struct):
    """A Struct only ever nested in a GuardedStruct (a list item, a sub-form): its free text is
    guarded by the Struct that holds it, so a refusal names the whole path ("codesign.how",
    "reviews.0.reliability")."""


def _collect(obj: msgspec.Struct, prefix: str, texts: dict[str, str]) -> None:
    for name in free_text_fields(type(obj)):
        value = getattr(obj, name)
        if isinstance(value, str):
            texts[prefix + name] = value
        elif isinstance(value, list | tuple | set | frozenset):
            for i, item in enumerate(value):  # one by one: items joined could make a number
                if isinstance(item, str):
                    texts[f"{prefix}{name}.{i}"] = item
    for name in obj.__struct_fields__:
        value = getattr(obj, name)
        if isinstance(value, GuardedPart):
            _collect(value, f"{prefix}{name}.", texts)
        elif isinstance(value, list | tuple):
            for i, item in enumerate(value):
                if isinstance(item, GuardedPart):
                    _collect(item, f"{prefix}{name}.{i}.", texts)


class GuardedStruct(msgspec.Struct):
    """A request Struct whose free-text fields (and those of its GuardedParts) are guarded when
    it is built: a national ID number is refused with a 422 naming the field (never the number)."""

    def __post_init__(self) -> None:
        texts = self.free_texts()
        if texts:
            privacy.guard_text(texts)

    def free_texts(self) -> dict[str, str]:
        """Every free-text value by its field path."""
        texts: dict[str, str] = {}
        _collect(self, "", texts)
        return texts

    def text_warnings(self) -> list[privacy.FieldProblem]:
        """The non-blocking findings (phone, e-mail, birth date, address) in the free text."""
        return privacy.check_fields(self.free_texts())


UNRESOLVED = N_(
    "Text to be published seems to contain personal data. Edit the fields, or confirm that "
    "they may be published."
)


def ensure_publishable(fields: Mapping[str, str | None], *, confirmed: bool) -> list[str]:
    """Before text goes to a public page or export: a field the guard warns about (phone,
    e-mail, birth date, address) refuses publishing with a 409 naming the fields, unless the
    adviser confirmed. Returns the confirmed fields, for the audit record."""
    from klynge.errors import Conflict, FieldError

    warned = [p for p in privacy.check_fields(fields) if not p.blocking]
    if warned and not confirmed:
        raise Conflict(UNRESOLVED, [FieldError(p.field, privacy.MESSAGES[p.kind]) for p in warned])
    return sorted({p.field for p in warned})
