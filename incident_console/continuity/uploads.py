"""Checking a photo or scan of a paper form before it is stored.

Only JPEG, PNG and PDF are accepted, and the content must be what the name says: images are
opened and verified with Pillow, PDFs must start with ``%PDF-`` and open with pypdf. The type
stored (and sent back on download) comes from the content, never from the browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from incident_console.lib.errors import ValidationError

# Name ending -> (format the content must have, content type to serve it with)
ACCEPTED = {
    ".jpg": ("JPEG", "image/jpeg"),
    ".jpeg": ("JPEG", "image/jpeg"),
    ".png": ("PNG", "image/png"),
    ".pdf": ("PDF", "application/pdf"),
}


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int


def _refuse(message: str) -> ValidationError:
    return ValidationError({"attachment": message})


def _image_format(stream: IO[bytes]) -> str | None:
    from PIL import Image

    try:
        with Image.open(stream) as image:
            detected = image.format
            image.verify()
    except Exception:  # Pillow raises many kinds of error for a broken or disguised file
        return None
    return detected


def _is_pdf(stream: IO[bytes]) -> bool:
    from pypdf import PdfReader

    if stream.read(5) != b"%PDF-":
        return False
    stream.seek(0)
    try:
        reader = PdfReader(stream)
        return len(reader.pages) > 0
    except Exception:  # pypdf raises many kinds of error for a broken file
        return False


def check_attachment(upload: IO[bytes], *, name: str, size: int) -> CheckedFile:
    """The file as it will be stored, or a ValidationError on ``attachment`` naming the problem."""
    limit = settings.MANUAL_RECORD_MAX_UPLOAD_BYTES
    original = PurePath(name or "").name.strip()[:255]
    suffix = PurePath(original).suffix.lower()
    if suffix not in ACCEPTED:
        raise _refuse(
            _("The file must be a JPEG or PNG photo, or a PDF scan. %(name)s is not one of those.")
            % {"name": original or _("The file")}
        )
    if size > limit:
        raise _refuse(
            _("The file must be smaller than %(limit)s. %(name)s is %(size)s.")
            % {"limit": filesizeformat(limit), "name": original, "size": filesizeformat(size)}
        )
    if size == 0:
        raise _refuse(_("%(name)s is empty. Choose the photo or scan again.") % {"name": original})
    expected, content_type = ACCEPTED[suffix]
    upload.seek(0)
    if expected == "PDF":
        ok = _is_pdf(upload)
        problem = _("%(name)s is not a readable PDF. Scan the form again or take a photo of it.")
    else:
        ok = _image_format(upload) == expected
        problem = _(
            "%(name)s is not a readable %(kind)s image: its content does not match its name. "
            "Save the photo again as JPEG or PNG."
        )
    upload.seek(0)
    if not ok:
        raise _refuse(problem % {"name": original, "kind": expected})
    return CheckedFile(name=original, content_type=content_type, size=size)
