"""Documents from Markdown: the platform's one way to write a DOCX (pandoc from
pypandoc-binary; no LaTeX, no Word). Exports build Markdown with their own pure functions and
hand it here; the conversion runs in a worker thread so a request never blocks the loop."""

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
