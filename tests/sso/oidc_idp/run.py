"""Start the test OpenID provider: migrate its SQLite file, create the test people and
the client for Commonplace, and serve on the given port until killed.

    python -m tests.sso.oidc_idp.run PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI...
"""

import os
import sys
import tempfile

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def main(port, client_id, client_secret, *redirect_uris):
    workdir = tempfile.mkdtemp(prefix="oidc-idp-")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    os.environ["OIDC_IDP_KEY"] = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    os.environ["OIDC_IDP_DB"] = os.path.join(workdir, "idp.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.sso.oidc_idp.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import User
    from oauth2_provider.models import Application

    from tests.sso.oidc_idp.users import PASSWORD, USERS

    for username, person in USERS.items():
        fields = {k: v for k, v in person.items() if k != "affiliation"}
        User.objects.create_user(username=username, password=PASSWORD, **fields)
    Application.objects.create(
        name="Commonplace",
        client_id=client_id,
        client_secret=client_secret,
        hash_client_secret=False,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(redirect_uris),
        post_logout_redirect_uris=" ".join(redirect_uris),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True)


def start(*, port, client_id, client_secret, redirect_uris, log_path):
    """Run this module in a child process; return it once discovery answers."""
    import subprocess
    import time
    from pathlib import Path

    import requests

    log = open(log_path, "w")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.sso.oidc_idp.run",
            str(port),
            client_id,
            client_secret,
            *redirect_uris,
        ],
        cwd=Path(__file__).resolve().parents[3],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    issuer = f"http://127.0.0.1:{port}/o"
    deadline = time.monotonic() + 60
    while True:
        try:
            requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2)
            return process, issuer
        except requests.RequestException:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(
                    f"the test OpenID provider did not start; see {log_path}"
                ) from None
            time.sleep(0.3)


if __name__ == "__main__":
    main(*sys.argv[1:])
