"""The Hook type (config/hooks.py): one way to extend a page, in order, once each."""

import pytest

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
