"""Files staff upload: size and type checked before anything is stored, names made safe."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

from starlette.datastructures import UploadFile

from bot import texts
from bot.errors import InvalidInput

_ZIP, _OLE = (b"PK\x03\x04",), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
TEXT: tuple[bytes, ...] = ()  # plain text: UTF-8 (or GB 18030) without NUL bytes
# Files a reply may carry: documents, spreadsheets, scans and archives, each with its leading bytes.
REPLY_TYPES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",), ".ofd": _ZIP, ".docx": _ZIP, ".xlsx": _ZIP, ".pptx": _ZIP, ".odt": _ZIP, ".ods": _ZIP,
    ".zip": _ZIP, ".doc": _OLE, ".xls": _OLE, ".wps": _OLE, ".et": _OLE, ".rtf": (b"{\\rtf",),
    ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",), ".png": (b"\x89PNG\r\n\x1a\n",),
    ".tif": (b"II*\x00", b"MM\x00*"), ".tiff": (b"II*\x00", b"MM\x00*"), ".txt": TEXT, ".csv": TEXT,
}
REPORT_TYPES: dict[str, tuple[bytes, ...]] = {".txt": TEXT, ".md": TEXT, ".html": TEXT, ".htm": TEXT, ".docx": _ZIP, ".pdf": (b"%PDF-",)}
REGISTER_TYPES: dict[str, tuple[bytes, ...]] = {".csv": TEXT, ".xlsx": _ZIP}
HOLIDAY_TYPES: dict[str, tuple[bytes, ...]] = {".txt": TEXT}


@dataclass(frozen=True)
class Upload:
    name: str  # safe: no folder, no control characters
    content: bytes


def safe_name(raw: str) -> str:
    """The file's own name, without any folder part or characters a file system or a header dislikes."""
    name = PureWindowsPath(raw.replace("/", "\\")).name
    name = re.sub(r'[\x00-\x1f\x7f<>:"|?*\\]', "_", name).strip(" .")
    if len(name) > 120:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 120 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:120]
    return name or "file"


def _is_text(content: bytes) -> bool:
    if b"\x00" in content:
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            content.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


async def read_upload(upload: UploadFile, *, max_bytes: int, types: Mapping[str, tuple[bytes, ...]]) -> Upload:
    """The upload's bytes, or InvalidInput naming the file: too large, of a type not allowed, or not
    what its extension says."""
    name = safe_name(upload.filename or "")
    suffix = Path(name).suffix.lower()
    if suffix not in types:
        raise InvalidInput(texts.WEB_UPLOAD_TYPE.format(name=name, types="、".join(sorted(types))))
    content = await upload.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise InvalidInput(texts.WEB_UPLOAD_TOO_LARGE.format(name=name, mb=max_bytes // (1024 * 1024)))
    if not content:
        raise InvalidInput(texts.WEB_UPLOAD_EMPTY.format(name=name))
    magic = types[suffix]
    if (magic and not content.startswith(magic)) or (not magic and not _is_text(content)):
        raise InvalidInput(texts.WEB_UPLOAD_NOT_WHAT_IT_SAYS.format(name=name))
    return Upload(name, content)


@contextmanager
def as_file(upload: Upload) -> Iterator[Path]:
    """The upload as a file of its own name in a temporary folder (the services read paths)."""
    with tempfile.TemporaryDirectory(prefix="gongkai-upload-") as folder:
        path = Path(folder) / upload.name
        path.write_bytes(upload.content)
        yield path
