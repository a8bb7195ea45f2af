"""The nginx configuration (deploy/render_nginx.py over deploy/nginx/): upload limits
written from the same settings the forms check, a page for 413, unknown hosts closed."""

import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from imports.forms import ImportForm

RENDER = ["--listen", "127.0.0.1:8271", "--host", "blog.example.edu", "--host", "127.0.0.1:8271"]


def render(tmp_path, *upstreams):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "deploy" / "render_nginx.py"
    spec = importlib.util.spec_from_file_location("render_nginx", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path / "nginx"
    args = [str(out), *RENDER, "--static-root", "/srv/static", "--media-root", "/srv/media"]
    for upstream in upstreams or ("127.0.0.1:8272",):
        args += ["--upstream", upstream]
    module.main(args)
    return out


def test_nginx_takes_what_the_forms_take_from_the_same_settings(tmp_path, settings):
    settings.IMPORT_EXPORT_MAX_MB = 50
    settings.IMPORT_MEDIA_MAX_MB = 2048
    settings.IMPORT_REQUEST_MAX_MB = 50 + 2048 + 1
    conf = (render(tmp_path) / "commonplace.conf").read_text()
    assert re.findall(r"client_max_body_size (\S+);", conf) == ["12m", "2099m"]
    assert "location ~ ^/c/[-a-zA-Z0-9_]+/manage/import/$" in conf
    page = (tmp_path / "nginx" / "413.html").read_text()
    assert "up to 10 MB" in page and "up to 50 MB" in page and "up to 2 GB" in page
    assert "@" not in re.sub(r"<!--.*?-->", "", page, flags=re.S).replace("@media", "")

    form = ImportForm()
    assert "Up to 50 MB." in form.fields["export"].help_text
    assert "up to 2 GB" in form.fields["media"].help_text


def test_the_import_form_refuses_what_is_over_the_setting(settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.IMPORT_EXPORT_MAX_MB = 1
    export = SimpleUploadedFile("blog.xml", b"x" * (1024 * 1024 + 1), "text/xml")
    form = ImportForm(data={}, files={"export": export})
    assert not form.is_valid()
    assert form.errors.as_data()["export"][0].code == "too_large"
    assert "larger than 1 MB" in form.errors["export"][0]


def test_only_the_configured_hosts_reach_the_app(tmp_path):
    conf = (render(tmp_path) / "commonplace.conf").read_text()
    assert '"blog.example.edu" 1;' in conf and '"127.0.0.1:8271" 1;' in conf
    assert "listen 127.0.0.1:8271 default_server;" in conf
    assert re.search(r"server_name _;\s+access_log off;\s+return 444;", conf)
    assert "server_name 127.0.0.1 blog.example.edu;" in conf
    assert "if ($commonplace_known_host = 0)" in conf
    assert "error_page 413 /errors/413.html;" in conf
    assert not re.findall(r"@[A-Z_]+@", conf.replace("The @NAME@ placeholders", ""))


def test_the_upstream_servers_are_a_file_of_their_own_to_drain_one(tmp_path):
    out = render(tmp_path, "127.0.0.1:8272", "127.0.0.1:8273")
    assert (out / "commonplace-upstream.conf").read_text() == (
        "server 127.0.0.1:8272 max_fails=1 fail_timeout=5s;\n"
        "server 127.0.0.1:8273 max_fails=1 fail_timeout=5s;\n"
    )
    assert f"include {out}/commonplace-upstream.conf;" in (out / "commonplace.conf").read_text()


@pytest.mark.skipif(shutil.which("nginx") is None, reason="needs nginx")
def test_nginx_accepts_the_rendered_configuration(tmp_path):
    out = render(tmp_path)
    work = out / "work"
    work.mkdir()
    temp_paths = " ".join(
        f"{kind}_temp_path {work};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main = out / "nginx.conf"
    main.write_text(
        f"pid {out}/nginx.pid; error_log {out}/error.log; events {{}}\n"
        f"http {{ {temp_paths} access_log off;"
        f" include {out}/request-id.conf; include {out}/commonplace.conf; }}\n"
    )
    result = subprocess.run(
        ["nginx", "-t", "-q", "-c", str(main), "-p", str(out)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_the_import_form_page_names_the_limits(client, instructor, course):
    client.force_login(instructor)
    html = client.get(reverse("imports:import_start", args=[course.slug])).content.decode()
    assert "Up to 100 MB." in html and "up to 1 GB" in html
