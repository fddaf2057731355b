"""Documents from Markdown: the platform's one way to write a DOCX or a PDF (pandoc from
pypandoc-binary; no LaTeX, no Word). A PDF is pandoc's Typst output compiled by the `typst`
wheel (fonts bundled). Exports build Markdown with their own pure functions and hand it here;
the conversion runs in a worker thread so a request never blocks the loop."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

# Written standards and the language pandoc records in the document.
PANDOC_LANG = {"nb": "nb-NO", "nn": "nn-NO", "en": "en-GB"}


def _docx(markdown: str, lang: str) -> bytes:
    import pypandoc  # imported lazily: only the exports need pandoc

    with tempfile.TemporaryDirectory(prefix="klynge-docx-") as tmp:
        target = Path(tmp) / "document.docx"
        pypandoc.convert_text(
            markdown,
            "docx",
            format="markdown",
            outputfile=str(target),
            extra_args=["--quiet", "-M", f"lang={lang}"],
            sandbox=False,
        )
        return target.read_bytes()


async def markdown_to_docx(markdown: str, language: str) -> bytes:
    """A DOCX of `markdown`, its language `language` (nb, nn or en)."""
    return await asyncio.to_thread(_docx, markdown, PANDOC_LANG.get(language, "nb-NO"))


def _pdf(markdown: str, lang: str) -> bytes:
    import pypandoc
    import typst

    source = pypandoc.convert_text(
        markdown,
        "typst",
        format="markdown",
        extra_args=["--quiet", "--standalone", "-M", f"lang={lang}"],
        sandbox=False,
    )
    pdf = typst.compile(source.encode("utf-8"))
    if not isinstance(pdf, bytes):  # one page per image only for png/svg output
        raise TypeError("typst returned no PDF")
    return pdf


async def markdown_to_pdf(markdown: str, language: str) -> bytes:
    """A PDF of `markdown` (pandoc → Typst → PDF), its language `language` (nb, nn or en)."""
    lang = PANDOC_LANG.get(language, "nb-NO").split("-")[0]
    return await asyncio.to_thread(_pdf, markdown, lang)
