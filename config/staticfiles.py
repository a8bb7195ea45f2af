"""Static files storage for production: our own style sheets minified, then hashed
(names that change with the content, served as immutable) and compressed (gzip and
Brotli) by whitenoise.

static/css/main.css is edited by hand and stays readable in the repository; this
storage minifies the copy that collectstatic writes, before it is hashed, so what
browsers download is small. static/css/base.css is already minified by `make css`.
"""

import re

import rcssmin
from django.core.files.base import ContentFile
from whitenoise.storage import CompressedManifestStaticFilesStorage

MINIFY = ("css/main.css",)
# "0.5rem" -> ".5rem": a zero before a decimal point, not inside a name, hex colour or
# longer number (rcssmin keeps it). main.css has no quoted string with such a number.
LEADING_ZERO = re.compile(r"(?<![\w.#-])0\.(?=\d)")


def minify(text):
    return LEADING_ZERO.sub(".", rcssmin.cssmin(text))


class StaticStorage(CompressedManifestStaticFilesStorage):
    def post_process(self, paths, dry_run=False, **options):
        if not dry_run:
            paths = dict(paths)
            for name in MINIFY:
                if name not in paths:
                    continue
                source_storage, source_path = paths[name]
                with source_storage.open(source_path) as source:
                    text = source.read().decode("utf-8")
                self.delete(name)
                self._save(name, ContentFile(minify(text).encode("utf-8")))
                paths[name] = (self, name)  # hash and compress the minified copy
        yield from super().post_process(paths, dry_run=dry_run, **options)
