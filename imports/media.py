"""Files for an import come only from the uploads folder or zip the instructor gives:
the importer never fetches anything over the network. Files are found by the path after
``/wp-content/uploads/`` (``2017/03/photo.jpg``); a resized copy WordPress made
(``photo-300x200.jpg``) falls back to its original."""

import io
import os
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from accounts.images import MAX_UPLOAD_BYTES

UPLOADS = "wp-content/uploads/"
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
        """A file object for the upload, or None when it isn't there (or is too big)."""
        path = self.resolve(url_or_path)
        entry = self._files[path] if path else None
        if entry is None:
            return None
        if isinstance(entry, zipfile.ZipInfo):
            if entry.file_size > MAX_UPLOAD_BYTES:
                return None
            data = self._zip.read(entry)
        else:
            if entry.stat().st_size > MAX_UPLOAD_BYTES:
                return None
            data = entry.read_bytes()
        upload = io.BytesIO(data)
        upload.size = len(data)
        upload.name = path.rsplit("/", 1)[-1]
        return upload

    def close(self):
        if self._zip is not None:
            self._zip.close()
