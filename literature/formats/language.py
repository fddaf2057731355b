"""Language of a record as an ISO 639-1 code ("en", "nb", "sv" ...) from whatever an export
writes: ISO 639-1/-2 codes ("eng", "nor"), locale tags ("en-US", "nb_NO"), or language names in
English or a Nordic language ("English", "Engelsk", "norsk", "Svenska"). Unknown values are
kept as written, so nothing is lost."""

from __future__ import annotations

import functools
import re

from babel import Locale, UnknownLocaleError

# ISO 639-2 (bibliographic and terminology) codes of the languages research arrives in.
_ISO639_2 = {
    "eng": "en", "nor": "no", "nob": "nb", "nno": "nn", "swe": "sv", "dan": "da", "fin": "fi",
    "isl": "is", "ice": "is", "ger": "de", "deu": "de", "fre": "fr", "fra": "fr", "spa": "es",
    "por": "pt", "ita": "it", "dut": "nl", "nld": "nl", "pol": "pl", "rus": "ru", "chi": "zh",
    "zho": "zh", "jpn": "ja", "kor": "ko", "ara": "ar", "tur": "tr", "per": "fa", "fas": "fa",
    "heb": "he", "gre": "el", "ell": "el", "cze": "cs", "ces": "cs", "hun": "hu", "est": "et",
    "lit": "lt", "lav": "lv", "sme": "se", "smi": "se", "ukr": "uk", "som": "so", "urd": "ur",
    "hin": "hi", "vie": "vi", "tha": "th", "ind": "id", "ron": "ro", "rum": "ro", "srp": "sr",
    "hrv": "hr", "slv": "sl", "slk": "sk", "slo": "sk", "bul": "bg", "cat": "ca", "eus": "eu",
}  # fmt: skip
# Names babel does not give in these forms.
_EXTRA_NAMES = {"norsk": "no", "norwegian": "no", "bokmal": "nb", "nynorsk": "nn", "samisk": "se"}
_NAME_LOCALES = ("en", "nb", "nn", "sv", "da", "de", "fr", "es")
_TAG = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]{2,8})*$")


def _key(text: str) -> str:
    return text.casefold().replace("å", "a").strip()


@functools.cache
def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    for locale in _NAME_LOCALES:
        for code, name in Locale.parse(locale).languages.items():
            if len(code) == 2:
                names.setdefault(_key(name), code)
    for locale in ("en",):
        for code in Locale.parse(locale).languages:
            if len(code) == 2:
                try:  # the language's own name: "中文", "Deutsch", "suomi"
                    autonym = Locale.parse(code).language_name
                except (ValueError, LookupError, UnknownLocaleError):
                    continue
                if autonym:
                    names.setdefault(_key(autonym), code)
    names.update(_EXTRA_NAMES)
    return names


def normalise_language(value: str) -> str:
    text = " ".join(value.split())
    if not text:
        return ""
    key = _key(text)
    match = _TAG.match(key)
    if match:
        code = match.group(1)
        if len(code) == 2 and code in Locale.parse("en").languages:
            return code
        if code in _ISO639_2:
            return _ISO639_2[code]
    return _names().get(key, text)
