"""Hooks: the one way an app adds to another app's pages and behaviour.

A ``Hook`` is an extension point that one app reads and others register with. Each
app keeps all its registrations in one module, ``<app>/hooks.py``, which
``config.apps.HooksConfig.ready()`` imports for every installed app, the way the
admin imports every ``admin.py`` (docs/architecture.md, "Hooks").
"""

from contextlib import contextmanager

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules


class AlreadyRegistered(ImproperlyConfigured):
    """The same thing was registered twice in one hook."""


class Hook:
    """An extension point: what apps register, in order.

    ``register(value, order=100)`` adds a value and returns it (so it also works as a
    decorator). Iterating the hook gives the values, lowest order first, and those of
    the same order in the order they were registered (INSTALLED_APPS' order, since
    each app registers in its hooks.py). Registering the same thing twice raises
    ``AlreadyRegistered``: ``identity(value)`` says what "the same" means (the value
    itself unless the hook says otherwise: a part's template, a filler's kind), and
    ``get(identity)`` finds a registered value by it.

    Tests change what is registered with ``override()`` only, never by reaching into
    the hook.
    """

    def __init__(self, name, *, identity=None):
        self.name = name
        self.identity = identity or (lambda value: value)
        self._entries = []  # (order, value), in the order they were registered
        self._changed()

    def __repr__(self):
        return f"<Hook {self.name}: {len(self._values)} registered>"

    def register(self, value, *, order=100):
        key = self.identity(value)
        if key in self._by_identity:
            raise AlreadyRegistered(f"{key!r} is already registered in the {self.name} hook.")
        self._entries.append((order, value))
        self._changed()
        return value

    def __iter__(self):
        return iter(self._values)

    def __len__(self):
        return len(self._values)

    def items(self):
        """(order, value) pairs, in order: for readers that merge by order."""
        return list(self._sorted)

    def get(self, identity, default=None):
        return self._by_identity.get(identity, default)

    @contextmanager
    def override(self, *values, order=100, keep=True):
        """For tests: inside the block, `values` are registered (at `order`), each in
        place of whatever was registered with its identity, and of what was registered
        before, what `keep` says stays: True (all of it), False (none), or a function
        ``keep(value) -> bool``. Afterwards the registrations are back as they were."""
        saved = self._entries
        replaced = {self.identity(value) for value in values}
        kept = [
            (o, v)
            for o, v in saved
            if self.identity(v) not in replaced and (keep is True or (keep and keep(v)))
        ]
        self._entries = []
        self._changed()
        try:
            for o, v in kept:
                self.register(v, order=o)
            for value in values:
                self.register(value, order=order)
            yield self
        finally:
            self._entries = saved
            self._changed()

    def _changed(self):
        self._sorted = tuple(sorted(self._entries, key=lambda entry: entry[0]))
        self._values = tuple(value for _, value in self._sorted)
        self._by_identity = {self.identity(value): value for value in self._values}


def autodiscover():
    """Import every installed app's hooks.py, where it registers (once: a module is
    imported once, so a second call registers nothing twice)."""
    autodiscover_modules("hooks")
