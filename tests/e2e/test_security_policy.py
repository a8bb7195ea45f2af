"""The Content-Security-Policy is enforced in the browser and its violations are caught."""

import pytest

pytestmark = pytest.mark.e2e


def test_an_injected_inline_script_is_refused_and_reported(page, csp_violations):
    page.goto("/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.head.appendChild(script);
        }"""
    )
    page.wait_for_function("() => true")
    assert page.evaluate("() => window.injected === undefined")
    page.wait_for_timeout(200)
    assert any("script-src" in text for text in csp_violations), csp_violations
    csp_violations.clear()  # expected here; any other page of any journey fails on one
