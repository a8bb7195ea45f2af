"""Email backends standing in for a broken mail server (set through EMAIL_BACKEND)."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class FailingEmailBackend(LocmemBackend):
    """Refuses every message, the way smtplib does when the server is down. The first
    `failures` attempts fail (None: all of them); after that, messages reach the outbox."""

    attempts = 0
    failures = None

    def send_messages(self, messages):
        cls = type(self)
        cls.attempts += 1
        if cls.failures is None or cls.attempts <= cls.failures:
            raise smtplib.SMTPException("451 mail server unavailable")
        return super().send_messages(messages)

    @classmethod
    def reset(cls, failures=None):
        cls.attempts, cls.failures = 0, failures
