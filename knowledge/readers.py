"""Read a file into plain text lines: .txt, .md, .docx, .html, .pdf (text layer)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from knowledge.errors import ParseError

SUPPORTED = (".txt", ".md", ".docx", ".html", ".htm", ".pdf")
MAX_BYTES = 50 * 1024 * 1024
MAX_PDF_PAGES = 1000  # pages: an annual report has tens
MAX_TEXT_CHARS = 5_000_000  # characters of text taken from one PDF
# A .docx is a zip: its parts are checked before any is decompressed (a 300 KB zip bomb once took
# 415 s and 1.9 GB). A report's parts come to a few MB; text compresses about 10:1, images not at all.
DOCX_MAX_UNCOMPRESSED = 200 * 1024 * 1024
DOCX_MAX_RATIO = 100  # for any part larger than DOCX_RATIO_FROM
DOCX_RATIO_FROM = 1024 * 1024
DOCX_MAX_PARTS = 2000
DOCX_MAX_XML = 30 * 1024 * 1024  # one XML part (document.xml of a long report: a few MB)


def read_text_file(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise ParseError("这不是文本文件（含有二进制内容），无法读取")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ParseError("文件编码无法识别（请使用 UTF-8 或 GB18030 编码的文本）")


def _cells_to_row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "/").replace("\n", "").strip() for c in cells) + " |"


def check_docx_sizes(path: Path) -> None:
    """Refuse a .docx whose parts would decompress to too much (a zip bomb), before parsing it.

    The sizes are those the zip declares; Python's zipfile never inflates a part past its declared
    size, so checking them bounds what python-docx can be made to decompress."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ParseError("这不是有效的 .docx 文件（文件已损坏或格式不符）") from exc
    if len(parts) > DOCX_MAX_PARTS:
        raise ParseError(f"这个 .docx 文件包含的部件过多（超过 {DOCX_MAX_PARTS} 个），不像是年度报告，未读取")
    total = sum(p.file_size for p in parts)
    bomb = any(p.file_size > DOCX_RATIO_FROM and p.file_size > DOCX_MAX_RATIO * max(p.compress_size, 1)
               or p.filename.endswith((".xml", ".rels")) and p.file_size > DOCX_MAX_XML for p in parts)
    if total > DOCX_MAX_UNCOMPRESSED or bomb:
        raise ParseError("这个 .docx 文件解压后过大（压缩比异常，可能是“压缩炸弹”），未读取")


def read_docx(path: Path) -> str:
    import docx
    from docx.document import Document as DocxDocument
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from lxml import etree

    check_docx_sizes(path)
    try:
        document: DocxDocument = docx.Document(str(path))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                lines.append(block.text)
            elif isinstance(block, Table):
                lines.extend(_table_rows([[cell.text for cell in row.cells] for row in block.rows]))
    except etree.LxmlError as exc:  # malformed XML inside the zip
        raise ParseError("这个 .docx 文件的内容已损坏（其中的 XML 格式不对），无法读取") from exc
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError) as exc:
        raise ParseError("这不是有效的 .docx 文件（文件已损坏或格式不符）") from exc
    return "\n".join(lines)


def _table_rows(rows: list[list[str]]) -> list[str]:
    if not rows:
        return []
    width = max(len(r) for r in rows)
    out = [_cells_to_row(rows[0] + [""] * (width - len(rows[0])))]
    out.append("| " + " | ".join(["---"] * width) + " |")
    out.extend(_cells_to_row(r + [""] * (width - len(r))) for r in rows[1:])
    return ["", *out, ""]


def read_html(data: bytes) -> str:
    from bs4 import BeautifulSoup

    text = read_text_file(data)
    soup = BeautifulSoup(text, "lxml")
    for tag in soup(["script", "style", "noscript", "nav", "header", "footer", "iframe", "form"]):
        tag.decompose()
    for table in soup.find_all("table"):
        rows = [[c.get_text(" ", strip=True) for c in tr.find_all(["td", "th"])] for tr in table.find_all("tr")]
        table.replace_with("\n" + "\n".join(_table_rows([r for r in rows if r])) + "\n")
    for br in soup.find_all("br"):
        br.replace_with("\n")
    blocks = soup.find_all(["p", "div", "h1", "h2", "h3", "h4", "li", "tr"])
    for block in blocks:
        block.insert_after("\n")
    body = soup.body or soup
    return re.sub(r"\n\s*\n+", "\n", body.get_text())


def read_pdf(path: Path) -> str:
    """The text layer of a PDF. Bounded: pypdf refuses a stream that inflates past its limit (a "PDF bomb"),
    and a file with more pages, or more text, than any annual report is refused before it is all read."""
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PyPdfError

    try:
        reader = PdfReader(str(path))
        if len(reader.pages) > MAX_PDF_PAGES:
            raise ParseError(f"PDF 页数过多（超过 {MAX_PDF_PAGES} 页），不像是一份年度报告")
        pages, size = [], 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            size += len(pages[-1])
            if size > MAX_TEXT_CHARS:
                raise ParseError("PDF 文字过多（解出的文字超过 500 万字），不像是一份年度报告")
    except LimitReachedError as exc:
        raise ParseError("PDF 中有解压后异常巨大的内容（可能是恶意构造的文件），未读取") from exc
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise ParseError("PDF 文件无法读取（文件已损坏或已加密）") from exc
    text = "\n".join(pages)
    if len(re.sub(r"\s", "", text)) < 20:
        raise ParseError("PDF 没有文字层（可能是扫描件），请提供可复制文字的版本")
    return text


def read_file(path: Path) -> str:
    """The text of a document file; raises ParseError with a plain-Chinese reason."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise ParseError(f"不支持的文件类型“{suffix or '无扩展名'}”（支持 .txt .md .docx .html .pdf）")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ParseError("文件过大（超过 50 MB）")
        if suffix == ".docx":
            return read_docx(path)
        if suffix == ".pdf":
            return read_pdf(path)
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ParseError("文件不存在") from exc
    except IsADirectoryError as exc:
        raise ParseError("这是一个文件夹，不是文件") from exc
    except PermissionError as exc:
        raise ParseError("没有读取该文件的权限") from exc
    if suffix in (".html", ".htm"):
        return read_html(data)
    return read_text_file(data)
