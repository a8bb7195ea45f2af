"""Start SimpleSAMLphp as a SAML identity provider for the tests: Debian's
simplesamlphp under php-fpm, behind nginx, configured by the files beside this one.

    idp = start(port=8153, run_dir=..., service_providers=[ServiceProvider(...), ...])
    ...
    idp.stop()

Each run gets fresh keys (the IdP's signing key, made here) and a run directory with
the filled-in configuration, sessions and logs (log/simplesamlphp.log when a test
needs to know why the IdP said no).
"""

import datetime
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

HERE = Path(__file__).resolve().parent
PHP_FPM = "/usr/sbin/php-fpm8.2"
NGINX = "/usr/sbin/nginx"


def make_key_and_cert(common_name):
    """A 2048-bit RSA key and a self-signed certificate for it, both PEM text."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    return key_pem, cert.public_bytes(serialization.Encoding.PEM).decode()


def cert_body(cert_pem):
    """A PEM certificate's base64 body on one line (metadata's certData, SAML settings)."""
    return "".join(line for line in cert_pem.splitlines() if "-----" not in line)


@dataclass
class ServiceProvider:
    entity_id: str
    acs: str
    sls: str
    cert_pem: str


@dataclass
class IdentityProvider:
    base: str
    run_dir: Path
    cert_pem: str
    processes: list

    @property
    def entity_id(self):
        return f"{self.base}/saml2/idp/metadata.php"

    @property
    def sso_url(self):
        return f"{self.base}/saml2/idp/SSOService.php"

    @property
    def slo_url(self):
        return f"{self.base}/saml2/idp/SingleLogoutService.php"

    def log(self):
        path = self.run_dir / "log" / "simplesamlphp.log"
        return path.read_text() if path.exists() else ""

    def stop(self):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _fill(text, values):
    for name, value in values.items():
        text = text.replace(f"@@{name}@@", value)
    return text


def _php(value):
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def start(*, port, run_dir, service_providers):
    run_dir = Path(run_dir)
    if run_dir.exists():
        shutil.rmtree(run_dir)
    for sub in ("config/metadata", "cert", "log", "data", "tmp", "sessions"):
        (run_dir / sub).mkdir(parents=True)
    values = {"PORT": str(port), "RUN": str(run_dir)}
    key_pem, cert_pem = make_key_and_cert("idp.example.edu")
    (run_dir / "cert" / "idp.key").write_text(key_pem)
    (run_dir / "cert" / "idp.crt").write_text(cert_pem)
    for name in ("config.php", "authsources.php"):
        (run_dir / "config" / name).write_text(_fill((HERE / name).read_text(), values))
    hosted = _fill((HERE / "metadata" / "saml20-idp-hosted.php").read_text(), values)
    (run_dir / "config" / "metadata" / "saml20-idp-hosted.php").write_text(hosted)
    entries = "\n".join(
        f"$metadata[{_php(sp.entity_id)}] = $sp({_php(sp.acs)}, {_php(sp.sls)}, "
        f"{_php(cert_body(sp.cert_pem))});"
        for sp in service_providers
    )
    remote = (HERE / "sp-remote.php.in").read_text().replace("@@ENTRIES@@", entries)
    (run_dir / "config" / "metadata" / "saml20-sp-remote.php").write_text(remote)
    for name in ("php-fpm.conf", "nginx.conf"):
        (run_dir / name).write_text(_fill((HERE / name).read_text(), values))
    log = (run_dir / "log" / "processes.log").open("w")
    processes = [
        subprocess.Popen(
            [
                PHP_FPM,
                "--nodaemonize",
                "--allow-to-run-as-root",
                "-y",
                str(run_dir / "php-fpm.conf"),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [NGINX, "-c", str(run_dir / "nginx.conf"), "-p", str(run_dir)],
            stdout=log,
            stderr=subprocess.STDOUT,
        ),
    ]
    idp = IdentityProvider(
        base=f"http://127.0.0.1:{port}/simplesaml",
        run_dir=run_dir,
        cert_pem=cert_pem,
        processes=processes,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            if requests.get(idp.entity_id, timeout=2).status_code == 200:
                return idp
        except requests.RequestException:
            pass
        if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
            idp.stop()
            raise RuntimeError(f"SimpleSAMLphp did not start; see {run_dir / 'log'}")
        time.sleep(0.3)
