"""The static archive as a WACZ web archive (issue 32, item 4): what a library keeps and
replays with standard tools (ReplayWeb.page, pywb).

Every file of the static archive (terms/archive.py) becomes a WARC response record at
the address it would have on the course site's host (``https://<host>/c/<slug>/index.html``),
so the archive's relative links resolve in replay as they do on a disk. Written with
warcio, packaged as WACZ 1.1.1 by hand (archive/data.warc.gz, indexes/index.cdx,
pages/pages.jsonl, datapackage.json and its digest), so it is byte-identical on a
rebuild like the zip: record ids derived from the URLs, every date the course's last
change, entries sorted.
"""

import hashlib
import io
import json
import mimetypes
import re
import uuid
import zipfile
from datetime import UTC

from terms.archive import Build

WACZ_VERSION = "1.1.1"
TITLE = re.compile(rb"<title>(.*?)</title>", re.S)
RECORD_IDS = uuid.UUID("6f1b0c1e-8a34-4e0b-9a57-3c1f3f8e2b10")  # the namespace of uuid5 ids


def surt(url):
    """The sort-friendly form of a URL a CDXJ index is keyed by (com,example)/path)."""
    scheme, _, rest = url.partition("://")
    host, _, path = rest.partition("/")
    return ",".join(reversed(host.lower().split("."))) + ")/" + path.lower()


def build_wacz(course, *, members=False):
    """The course's archive as a WACZ, as bytes."""
    build = Build(course, members=members)
    wacz = io.BytesIO()
    write_wacz(build, build.build(), wacz)
    return wacz.getvalue()


def write_wacz(build, files, fileobj):
    """Write the files of a build (``Build.build()``) to ``fileobj`` as a WACZ; returns
    the number of records."""
    from warcio.statusandheaders import StatusAndHeaders  # loaded with the first WACZ
    from warcio.warcwriter import WARCWriter

    course = build.course
    when = build.now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    stamp = re.sub(r"\D", "", when)
    base = f"https://{build.host}/"
    warc = io.BytesIO()
    writer = WARCWriter(warc, gzip=True)
    index, pages = [], []
    for name in sorted(files):
        url = base + name
        body = files[name]
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if mime == "text/html":
            mime = "text/html; charset=utf-8"
        http = StatusAndHeaders(
            "200 OK", [("Content-Type", mime), ("Content-Length", str(len(body)))],
            protocol="HTTP/1.1",
        )  # fmt: skip
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=http,
            warc_headers_dict={
                "WARC-Date": when,
                "WARC-Record-ID": f"<urn:uuid:{uuid.uuid5(RECORD_IDS, url)}>",
            },
        )  # fmt: skip
        offset = warc.tell()
        writer.write_record(record)
        digest = hashlib.sha256(body).hexdigest()
        index.append(
            f"{surt(url)} {stamp} "
            + json.dumps(
                {
                    "url": url,
                    "mime": mime.split(";")[0],
                    "status": "200",
                    "digest": f"sha256:{digest}",
                    "length": warc.tell() - offset,
                    "offset": offset,
                    "filename": "data.warc.gz",
                },
                sort_keys=True,
            )  # fmt: skip
        )
        if name.endswith(".html"):
            title = TITLE.search(body)
            text = title.group(1).decode("utf-8", "replace").strip() if title else name
            pages.append({"id": uuid.uuid5(RECORD_IDS, "page:" + url).hex, "url": url,
                          "ts": when, "title": text})  # fmt: skip
    parts = {
        "archive/data.warc.gz": warc.getvalue(),
        "indexes/index.cdx": ("\n".join(sorted(index)) + "\n").encode(),
        "pages/pages.jsonl": "\n".join(
            json.dumps(line, sort_keys=True)
            for line in [
                {"format": "json-pages-1.0", "id": "pages", "title": "All Pages"},
                *pages,
            ]  # fmt: skip
        ).encode()
        + b"\n",
    }
    package = {
        "profile": "data-package",
        "wacz_version": WACZ_VERSION,
        "title": course.title,
        "created": when,
        "modified": when,
        "software": "Commonplace (terms.wacz)",
        "mainPageUrl": base + "index.html",
        "mainPageDate": when,
        "resources": [
            {
                "name": path.rsplit("/", 1)[1],
                "path": path,
                "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
                "bytes": len(data),
            }
            for path, data in sorted(parts.items())
        ],  # fmt: skip
    }
    parts["datapackage.json"] = json.dumps(package, indent=2, sort_keys=True).encode()
    parts["datapackage-digest.json"] = json.dumps(
        {"path": "datapackage.json",
         "hash": "sha256:" + hashlib.sha256(parts["datapackage.json"]).hexdigest()},
        indent=2, sort_keys=True,
    ).encode()  # fmt: skip
    date_time = tuple(int(part) for part in re.findall(r"\d+", when)[:6])
    with zipfile.ZipFile(fileobj, "w", zipfile.ZIP_STORED) as wacz:
        for path in sorted(parts):
            info = zipfile.ZipInfo(path, date_time=max(date_time, (1980, 1, 1, 0, 0, 0)))
            info.create_system = 3
            info.external_attr = 0o644 << 16
            wacz.writestr(info, parts[path])
    return len(files)
