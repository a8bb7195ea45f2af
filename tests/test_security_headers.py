"""Content-Security-Policy, Permissions-Policy and the CSP report endpoint."""

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.template import engines
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]


def directives(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split("; ") if part.strip()}


@pytest.mark.django_db
def test_every_page_has_a_strict_content_security_policy(client):
    response = client.get(reverse("home"))
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert "'self'" in policy["script-src"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert policy["style-src"][0] == "'self'"
    assert policy["img-src"][0] == "'self'"
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["report-uri"] == [reverse("csp_report")]


@pytest.mark.django_db
def test_an_inline_script_needs_the_nonce_of_its_response(rf):
    """A template that needs an inline script writes nonce="{{ CSP_NONCE }}"; the header
    then carries the same nonce, new for every response."""
    template = engines["django"].from_string('<script nonce="{{ CSP_NONCE }}">1</script>')
    nonces = []
    for _ in range(2):
        request = rf.get("/")
        middleware = CSPMiddleware(lambda r: None)
        middleware.process_request(request)
        response = middleware.process_response(request, HttpResponse(template.render({}, request)))
        nonce = re.search(r'nonce="([^"]+)"', response.content.decode()).group(1)
        assert f"'nonce-{nonce}'" in directives(response)["script-src"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


@pytest.mark.django_db
@pytest.mark.parametrize("report_only", [False, True])
def test_the_header_built_once_is_django_csps(rf, settings, report_only):
    """config.middleware.CSPMiddleware builds the header once (per settings) and puts each
    response's nonce in it: the same header django-csp builds for every response."""
    from config.middleware import CSPMiddleware as OursOnce

    if report_only:
        settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
        settings.CONTENT_SECURITY_POLICY = None
    for with_nonce in (False, True):
        headers = []
        for middleware in (CSPMiddleware(lambda r: None), OursOnce(lambda r: None)):
            request = rf.get("/")
            middleware.process_request(request)
            request._csp_nonce = "a+fixed/nonce==" if with_nonce else None
            response = middleware.process_response(request, HttpResponse("page"))
            headers.append(sorted(response.headers.items()))
        assert headers[0] == headers[1]
        header = "Content-Security-Policy" + ("-Report-Only" if report_only else "")
        assert ("'nonce-a+fixed/nonce=='" in dict(headers[1])[header]) == with_nonce


@pytest.mark.django_db
def test_every_page_has_a_permissions_policy(client):
    policy = client.get(reverse("home"))["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def _settings_value(expression, **env):
    base = {k: v for k, v in os.environ.items() if k not in {"MEDIA_URL", "MEDIA_ORIGIN"}}
    base.update({"DJANGO_SETTINGS_MODULE": "config.settings", **env})
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=base, capture_output=True, text=True, timeout=60
    )
    return result.stdout.strip()


def test_images_may_come_from_the_media_storage_origin():
    img_src = "settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']"
    assert _settings_value(img_src, MEDIA_URL="https://media.example.edu/uploads/") == str(
        ["'self'", "data:", "https://media.example.edu"]
    )
    assert _settings_value(
        img_src, MEDIA_URL="/media/", MEDIA_ORIGIN="https://a.example,https://b.example"
    ) == str(["'self'", "data:", "https://a.example", "https://b.example"])
    assert _settings_value(img_src, MEDIA_URL="/media/") == str(["'self'", "data:"])


# --- The report endpoint ---

REPORT = {
    "csp-report": {
        "document-uri": "https://blog.example.edu/history-101/",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "blocked-uri": "https://evil.example/x.js",
    }
}


@pytest.mark.django_db
def test_a_violation_report_is_logged_and_answered_204_without_a_csrf_token(caplog):
    client = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.WARNING, logger="commonplace.csp"):
        response = client.post(
            reverse("csp_report"), json.dumps(REPORT), content_type="application/csp-report"
        )
    assert response.status_code == 204
    assert (
        "CSP violation on https://blog.example.edu/history-101/: "
        "script-src-elem blocked https://evil.example/x.js" in caplog.text
    )


@pytest.mark.django_db
def test_a_reporting_api_batch_is_logged_too(client, caplog):
    batch = [
        {
            "type": "csp-violation",
            "body": {
                "documentURL": "https://blog.example.edu/",
                "effectiveDirective": "img-src",
                "blockedURL": "https://tracker.example/p.gif",
            },
        }
    ]
    with caplog.at_level(logging.WARNING, logger="commonplace.csp"):
        response = client.post(
            reverse("csp_report"), json.dumps(batch), content_type="application/reports+json"
        )
    assert response.status_code == 204
    assert "img-src blocked https://tracker.example/p.gif" in caplog.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "method, body, status",
    [
        ("get", None, 405),
        ("post", "not json", 400),
        ("post", json.dumps({"csp-report": {"blocked-uri": "x" * 20_000}}), 413),
        ("post", json.dumps(["odd", 3, None]), 204),
    ],
    ids=["get", "not-json", "too-large", "odd-json"],
)
def test_bad_reports_get_a_4xx_never_a_500(client, method, body, status):
    if method == "get":
        response = client.get(reverse("csp_report"))
    else:
        response = client.post(reverse("csp_report"), body, content_type="application/json")
    assert response.status_code == status


# --- Templates and scripts keep to the policy ---

SCRIPT = r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)(?![^>]*application/(ld\+)?json)"
INLINE = [
    (re.compile(SCRIPT), "inline <script> without a nonce"),
    (re.compile(r"<style(?![^>]*\bnonce=)[\s>]"), "<style> without a nonce"),
    (re.compile(r"\sstyle\s*=\s*[\"']"), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=\s*[\"']"), "on* event handler attribute"),
    (re.compile(r"javascript:"), "javascript: URL"),
]  # fmt: skip


def test_templates_carry_no_inline_script_style_or_handler():
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text()
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert not found, "\n".join(found)


def test_scripts_set_no_style_attributes_or_inline_handlers():
    found = []
    for path in sorted((ROOT / "static" / "js").rglob("*.js")):
        text = path.read_text()
        for pattern in (
            r"setAttribute\(\s*[\"']style",
            r"\.cssText\s*=",
            r"setAttribute\(\s*[\"']on",
        ):
            for match in re.finditer(pattern, text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {pattern}")
    assert not found, "\n".join(found)
