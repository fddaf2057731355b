"""Size limits and the .xlsx zip-bomb check, run before openpyxl inflates anything."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from klynge.excel.errors import FileFormatError
from klynge.i18n import N_

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one import accepts. `max_file_bytes` None: the upload limit alone applies."""

    max_file_bytes: int | None = 20 * MB
    max_uncompressed_bytes: int = 50 * MB
    max_compression_ratio: int = 100
    # Tiny members (styles, empty sheets) compress extremely well without being dangerous.
    ratio_check_from_bytes: int = MB
    max_zip_members: int = 1000
    max_columns: int = 50
    max_rows: int = 10_000
    max_cell_chars: int | None = None  # CSV only: openpyxl bounds .xlsx cells itself


def check_size(data: bytes, limits: Limits) -> None:
    """Refuse an empty file, or one over the import's size limit."""
    if not data:
        raise FileFormatError(N_("The file is empty."))
    if limits.max_file_bytes is not None and len(data) > limits.max_file_bytes:
        raise FileFormatError(
            N_("The file is too large. The largest size allowed is %(mb)s MB."),
            {"mb": limits.max_file_bytes // MB},
        )


def check_zip(data: bytes, limits: Limits) -> None:
    """Refuse zip bombs, encrypted and malformed archives before openpyxl inflates anything.

    zipfile stops reading a member at its declared size (and fails the CRC if the data is
    longer), so checking the declared sizes bounds what openpyxl can be made to inflate.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise FileFormatError(
            N_(
                "The file is not a valid Excel file (.xlsx). It may be damaged or only partly "
                "uploaded. Save it again as an Excel workbook and try again."
            )
        ) from None
    if len(members) > limits.max_zip_members:
        raise FileFormatError(N_("The Excel file has an unusual structure and cannot be read."))
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise FileFormatError(
                N_("The Excel file is password protected. Remove the password and try again.")
            )
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > limits.ratio_check_from_bytes and ratio > (
            limits.max_compression_ratio
        ):
            raise FileFormatError(
                N_("The Excel file unpacks to far too much data and is not read.")
            )
    if total > limits.max_uncompressed_bytes:
        raise FileFormatError(
            N_("The Excel file is too large when unpacked. Split it into several files.")
        )
