"""The two queries every signed-in request runs, compiled once: the session's row
(config.sessions, the store without Redis) and the user behind it (pagecache.readers'
backend_user, for a member's hit). Each must answer exactly as Django's own does."""

from datetime import timedelta

import pytest
from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.utils import timezone

from config.sessions import SessionStore
from pagecache.readers import backend_user
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_session_reads_as_django_s_store_reads_it():
    saved = SessionStore()
    saved["_auth_user_id"] = "7"
    saved["note"] = {"kept": [1, 2]}
    saved.create()
    key = saved.session_key
    assert dict(SessionStore(key).load()) == dict(DjangoStore(key).load())
    assert SessionStore(key)["note"] == {"kept": [1, 2]}


def test_an_unknown_or_expired_session_reads_as_none_and_gets_a_new_key():
    unknown = SessionStore("no-such-session-key-here")
    assert unknown.load() == {} and unknown.session_key is None
    expired = SessionStore()
    expired["_auth_user_id"] = "7"
    expired.create()
    expired.get_model_class().objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    again = SessionStore(expired.session_key)
    assert again.load() == {} and again.session_key is None
    assert DjangoStore(expired.session_key).load() == {}


@pytest.mark.parametrize("backend", [ModelBackend(), AuthenticationBackend()])
def test_the_compiled_user_is_the_backend_s_user(backend):
    active = factories.UserFactory()
    inactive = factories.UserFactory(is_active=False)
    for user_id in (active.pk, inactive.pk, 987_654):
        expected = backend.get_user(user_id)
        found = backend_user(backend, user_id)
        assert found == expected
        if found is not None:
            assert (found.username, found.password) == (expected.username, expected.password)
    assert backend_user(backend, inactive.pk) is None


def test_other_backends_answer_for_themselves():
    class Elsewhere(ModelBackend):
        def get_user(self, user_id):
            return "asked elsewhere"

    assert backend_user(Elsewhere(), 1) == "asked elsewhere"


def test_a_process_remembers_a_bounded_number_of_sessions(monkeypatch):
    from types import SimpleNamespace

    from pagecache import readers

    monkeypatch.setattr(readers, "SESSION_USERS_KEPT", 2)
    monkeypatch.setattr(readers, "_session_users", {})
    for n in range(5):
        session = SessionStore()
        session._session_key = f"session-key-number-{n}-padding"
        readers.remember_session_user(session, SimpleNamespace(pk=n))
    assert readers._session_users == {
        "session-key-number-3-padding": 3,
        "session-key-number-4-padding": 4,
    }
    readers.remember_session_user(DjangoStore(), SimpleNamespace(pk=9))  # no read_from
    assert len(readers._session_users) == 2
