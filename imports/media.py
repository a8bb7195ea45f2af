"""Files for an import come only from the uploads folder or zip the instructor gives:
the importer never fetches anything over the network. Files are found by the path after
``/wp-content/uploads/`` (``2017/03/photo.jpg``); a resized copy WordPress made
(``photo-300x200.jpg``) falls back to its original."""

import io
import os
import re
import zipfile
import zlib
from pathlib import Path
from urllib.parse import unquote, urlsplit

from accounts.images import MAX_UPLOAD_BYTES

UPLOADS = "wp-content/uploads/"
CHUNK = 64 * 1024
TOO_LARGE = "larger than 10 MB"
DAMAGED = "damaged: it can't be read, or its size or checksum in the zip is wrong"


class MediaRefused(Exception):
    """A file of the upload that is not imported: the message says why."""


SIZED = re.compile(r"-\d+x\d+(\.\w+)$")


def uploads_path(url):
    """'2017/03/photo.jpg' for any URL or path under wp-content/uploads, else ''."""
    path = unquote(urlsplit(url or "").path)
    if UPLOADS in path:
        return path.split(UPLOADS, 1)[1].lstrip("/")
    return ""


def _key(name):
    name = name.replace("\\", "/").lstrip("/")
    return name.split("uploads/", 1)[1] if "uploads/" in name else name


class MediaSource:
    """The files of a folder or a zip, found by their path under uploads/."""

    def __init__(self, location=None):
        self._zip = None
        self._files = {}
        if location is None:
            return
        location = Path(location)
        if location.is_dir():
            root = location.resolve()
            for dirpath, _dirs, names in os.walk(root):
                for name in names:
                    full = Path(dirpath, name)
                    if full.is_symlink() or not full.resolve().is_relative_to(root):
                        continue
                    self._files[_key(str(full.relative_to(root)))] = full
        elif zipfile.is_zipfile(location):
            self._zip = zipfile.ZipFile(location)
            for info in self._zip.infolist():
                if not info.is_dir():
                    self._files[_key(info.filename)] = info
        else:
            raise ValueError(f"{location} is neither a folder nor a zip file.")

    def __bool__(self):
        return bool(self._files)

    def resolve(self, url_or_path):
        """The key of the file an URL or path names here (resized copies name their
        original), or None."""
        path = uploads_path(url_or_path) or (url_or_path or "").lstrip("/")
        if path in self._files:
            return path
        original = SIZED.sub(r"\1", path)
        return original if original in self._files else None

    def open(self, url_or_path):
        """A file object for the upload, or None when it isn't there. Raises
        MediaRefused for a file over the size limit or one that can't be read."""
        path = self.resolve(url_or_path)
        entry = self._files[path] if path else None
        if entry is None:
            return None
        data = self._read(entry)
        upload = io.BytesIO(data)
        upload.size = len(data)
        upload.name = path.rsplit("/", 1)[-1]
        return upload

    def _read(self, entry):
        """The file's bytes, read in chunks and counted: a zip entry's size header may
        lie (a 1 MB zip claiming a small file that inflates to gigabytes), so the real
        size is checked against the limit while reading, never trusted."""
        claimed = entry.file_size if isinstance(entry, zipfile.ZipInfo) else entry.stat().st_size
        if claimed > MAX_UPLOAD_BYTES:
            raise MediaRefused(TOO_LARGE)
        chunks, size = [], 0
        try:
            opened = self._zip.open(entry) if isinstance(entry, zipfile.ZipInfo) else None
            with opened or entry.open("rb") as stream:
                while chunk := stream.read(CHUNK):
                    size += len(chunk)
                    if size > MAX_UPLOAD_BYTES:
                        raise MediaRefused(TOO_LARGE)
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError,
                RuntimeError) as error:  # fmt: skip
            raise MediaRefused(DAMAGED) from error
        return b"".join(chunks)

    def close(self):
        if self._zip is not None:
            self._zip.close()
