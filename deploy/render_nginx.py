"""Writes the nginx configuration for Commonplace from deploy/nginx/ and the settings.

    python deploy/render_nginx.py OUT_DIR --listen 0.0.0.0:80 --host blog.example.edu \
        --upstream 10.0.0.5:8001 --upstream 10.0.0.6:8001 \
        --static-root /srv/commonplace/static --media-root /srv/commonplace/media

Run it with the app's environment (/etc/commonplace/env; deploy/cluster.sh does this for
the local cluster): the upload limits come from the settings, so nginx lets through
exactly what the forms accept (IMPORT_EXPORT_MAX_MB, IMPORT_MEDIA_MAX_MB, REQUEST_MAX_MB)
and its 413 page names the same numbers. OUT_DIR gets commonplace.conf (include it in
nginx's http block after request-id.conf), commonplace-proxy.conf, request-id.conf,
commonplace-upstream.conf (one `server` line per app server; deploy/cluster.sh rewrites
it to drain one) and 413.html. --host is a name the site answers to, as clients send it
(with the port unless it is 80 or 443); nginx closes the connection on any other.
"""

import argparse
import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def megabytes(mb):
    return f"{mb // 1024} GB" if mb >= 1024 and mb % 1024 == 0 else f"{mb} MB"


def upstream_lines(servers, down=()):
    return "".join(
        f"server {server} max_fails=1 fail_timeout=5s{' down' if server in down else ''};\n"
        for server in servers
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--listen", required=True)
    parser.add_argument("--host", action="append", required=True)
    parser.add_argument("--upstream", action="append", required=True)
    parser.add_argument("--static-root", required=True)
    parser.add_argument("--media-root", required=True)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.conf import settings

    django.setup()
    from accounts.images import MAX_UPLOAD_BYTES

    out = args.out_dir.resolve()
    out.mkdir(parents=True, exist_ok=True)
    names = sorted({host.rsplit(":", 1)[0] if host.count(":") == 1 else host for host in args.host})
    values = {
        "LISTEN": args.listen,
        "SERVER_NAME": " ".join(names),
        "KNOWN_HOSTS": "\n".join(f'    "{host}" 1;' for host in args.host),
        "UPSTREAM_SERVERS": f"    include {out}/commonplace-upstream.conf;",
        "STATIC_ROOT": args.static_root.rstrip("/"),
        "MEDIA_ROOT": args.media_root.rstrip("/"),
        "CONF_DIR": str(out),
        "BODY_MAX": f"{settings.REQUEST_MAX_MB}m",
        "IMPORT_BODY_MAX": f"{settings.IMPORT_REQUEST_MAX_MB}m",
    }
    text = (HERE / "nginx" / "commonplace.conf").read_text()
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    (out / "commonplace.conf").write_text(text)
    (out / "commonplace-upstream.conf").write_text(upstream_lines(args.upstream))
    for name in ("commonplace-proxy.conf", "request-id.conf"):
        shutil.copyfile(HERE / "nginx" / name, out / name)
    page = (HERE / "nginx" / "413.html").read_text()
    limits = {
        "IMAGE_MAX": megabytes(MAX_UPLOAD_BYTES // (1024 * 1024)),
        "EXPORT_MAX": megabytes(settings.IMPORT_EXPORT_MAX_MB),
        "MEDIA_MAX": megabytes(settings.IMPORT_MEDIA_MAX_MB),
    }
    for key, value in limits.items():
        page = page.replace(f"@{key}@", value)
    (out / "413.html").write_text(page)


if __name__ == "__main__":
    main()
