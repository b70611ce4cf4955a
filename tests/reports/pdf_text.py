"""Reading rendered PDFs back: the text of each page, and where on the page a string sits."""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader


@dataclass
class Page:
    number: int
    text: str
    top: list[str]  # text drawn in the top margin (above the body)
    bottom: list[str]  # text drawn in the bottom margin


def read_pages(pdf: bytes) -> list[Page]:
    reader = PdfReader(io.BytesIO(pdf))
    pages = []
    for index, page in enumerate(reader.pages, start=1):
        top_edge, bottom_edge = float(page.mediabox.height) * 0.93, float(page.mediabox.height) * 0.07
        top: list[str] = []
        bottom: list[str] = []

        def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]  # the text matrix in page space
            if not text.strip():
                return
            if y > top_edge:  # noqa: B023
                top.append(text.strip())  # noqa: B023
            elif y < bottom_edge:  # noqa: B023
                bottom.append(text.strip())  # noqa: B023

        text = page.extract_text(visitor_text=visit)
        pages.append(Page(number=index, text=text, top=top, bottom=bottom))
    return pages
