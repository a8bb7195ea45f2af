"""The two queries every signed-in request runs, compiled once: the session's row
(config.sessions, the store without Redis) and the user behind it (pagecache.readers'
backend_user, for a member's hit). Each must answer exactly as Django's own does."""

from datetime import timedelta

import pytest
from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.test import override_settings
from django.utils import timezone

from config import sessions
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


def test_a_session_s_data_is_decoded_once_a_process_and_handed_out_as_a_copy(monkeypatch):
    monkeypatch.setattr(sessions, "_decoded", {})
    saved = SessionStore()
    saved["note"] = {"kept": [1, 2]}
    saved["_auth_user_id"] = "7"
    saved.create()
    data = saved.get_model_class().objects.get(session_key=saved.session_key).session_data
    decoded = []
    real_decode = SessionStore.decode
    monkeypatch.setattr(
        SessionStore, "decode", lambda self, d: decoded.append(d) or real_decode(self, d)
    )
    first = SessionStore(saved.session_key)
    first.read_from(data, timezone.now() + timedelta(days=1))
    first["note"]["kept"].append(3)  # a view changing what it read
    second = SessionStore(saved.session_key)
    second.read_from(data, timezone.now() + timedelta(days=1))
    assert second["note"] == {"kept": [1, 2]} and second["_auth_user_id"] == "7"
    assert decoded == [data]  # decoded for the first reader only


def test_bad_session_data_is_not_kept_and_a_new_secret_key_forgets_what_was(monkeypatch):
    monkeypatch.setattr(sessions, "_decoded", {})
    saved = SessionStore()
    saved["_auth_user_id"] = "7"
    saved.create()
    data = saved.get_model_class().objects.get(session_key=saved.session_key).session_data
    later = timezone.now() + timedelta(days=1)
    tampered = SessionStore(saved.session_key)
    tampered.read_from(data[:-2] + "xx", later)
    assert dict(tampered.items()) == {} and sessions._decoded == {}
    SessionStore(saved.session_key).read_from(data, later)
    assert len(sessions._decoded) == 1
    with override_settings(SECRET_KEY="another-secret-key-entirely-0123456789-abcdefghijkl"):
        assert sessions._decoded == {}
        other = SessionStore(saved.session_key)
        other.read_from(data, later)  # signed under the old key: no longer valid
        assert dict(other.items()) == {}
