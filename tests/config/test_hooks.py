"""The Hook type (config/hooks.py): one way to extend a page, in order, once each."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from config import hooks
from config.hooks import AlreadyRegistered, Hook


def test_values_come_in_order_and_ties_in_the_order_they_were_registered():
    hook = Hook("test")
    for value, order in [("late", 200), ("first", 100), ("second", 100), ("early", 5)]:
        hook.register(value, order=order)
    assert list(hook) == ["early", "first", "second", "late"]
    assert hook.items() == [(5, "early"), (100, "first"), (100, "second"), (200, "late")]


def test_register_returns_the_value_so_it_serves_as_a_decorator():
    hook = Hook("test")

    @hook.register
    def ranking():
        return 1

    assert list(hook) == [ranking]


def test_registering_the_same_thing_twice_is_refused():
    hook = Hook("test")
    hook.register(len)
    with pytest.raises(AlreadyRegistered):
        hook.register(len, order=5)
    assert list(hook) == [len]


def test_the_hooks_identity_says_what_the_same_thing_is_and_finds_it():
    hook = Hook("test", identity=lambda pair: pair[0])
    hook.register(("bell", 1))
    with pytest.raises(AlreadyRegistered):
        hook.register(("bell", 2))
    assert hook.get("bell") == ("bell", 1)
    assert hook.get("nothing") is None


def test_override_adds_for_the_block_and_restores_afterwards():
    hook = Hook("test")
    hook.register("a", order=10)
    hook.register("b", order=30)
    with hook.override("new", order=20):
        assert list(hook) == ["a", "new", "b"]
    assert list(hook) == ["a", "b"]


def test_override_replaces_what_has_the_same_identity():
    hook = Hook("test", identity=lambda pair: pair[0])
    hook.register(("bell", "real"))
    with hook.override(("bell", "stand-in")):
        assert list(hook) == [("bell", "stand-in")]
        assert hook.get("bell") == ("bell", "stand-in")
    assert hook.get("bell") == ("bell", "real")


def test_override_keeps_what_keep_says():
    hook = Hook("test")
    for value in ("a", "b", "c"):
        hook.register(value)
    with hook.override(keep=False):
        assert list(hook) == []
    with hook.override("d", keep=False):
        assert list(hook) == ["d"]
    with hook.override(keep=lambda value: value != "b"):
        assert list(hook) == ["a", "c"]
    assert list(hook) == ["a", "b", "c"]


def test_override_restores_even_when_the_block_fails():
    hook = Hook("test")
    hook.register("a")
    with pytest.raises(RuntimeError), hook.override(keep=False):
        raise RuntimeError
    assert list(hook) == ["a"]


def test_registering_inside_an_override_is_undone_with_it():
    hook = Hook("test")
    with hook.override():
        hook.register("temporary")
    assert list(hook) == []


# --- The project's hooks: declared in one module below every app, registered in hooks.py ---

ROOT = Path(__file__).resolve().parents[2]
APPS = [
    "accounts", "blog", "comments", "awards", "assignments", "references", "notifications",
    "imports",
]  # fmt: skip


def test_the_hooks_module_imports_no_app():
    """accounts (below blog) reads its hook from config.hooks: it must not bring blog."""
    code = (
        "import sys, config.hooks;"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {APPS!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_discovering_again_registers_nothing_twice():
    """A second ready() (a test changing INSTALLED_APPS) imports no hooks.py again."""
    declared = [value for value in vars(hooks).values() if isinstance(value, Hook)]
    before = [list(hook) for hook in declared]
    hooks.autodiscover()
    assert [list(hook) for hook in declared] == before


def test_apps_register_only_in_their_hooks_module():
    """One place per app: no other module registers with a hook."""
    registering = re.compile(r"\b[A-Z_]+\.register\(|\bhooks\.[A-Z_]+\.register\b")
    elsewhere = [
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if path.name != "hooks.py" and registering.search(path.read_text())
    ]
    assert elsewhere == []
    registered = {app for app in APPS if (ROOT / app / "hooks.py").exists()}
    assert registered == set(APPS) - {"accounts"}  # accounts only reads (its profile)
