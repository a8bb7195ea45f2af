"""A learning platform nobody on this project wrote, for the LTI tests: the PyPI package
lti1p3platform builds the OIDC login request, signs the launches (resource link and
deep linking), issues access tokens and checks deep linking responses. What that
package leaves to the LMS around it (an HTTP server with its keyset, token endpoint,
roster and grade book) is here, on 127.0.0.1, on a port the system picks (each LMS its
own: the suite runs on several workers at once, and a closed LMS's port must stay closed).

Workarounds for the package, each where it is needed (docs/lti.md, "Testing"):
- ``Registration.get_kid`` exports the *private* key to find the kid; it works because
  jwcrypto names a key by its public thumbprint, so the JWKS kid and the header agree.
- ``LTI1P3PlatformConfAbstract.get_access_token`` checks the client assertion's
  signature only (``verify_aud`` off, no iss/sub/jti checks): the token endpoint
  below also checks aud, iss and sub, as a real LMS does.
- ``get_access_token`` asserts that ``get_registration()`` was called first ("Registration
  not yet set") though nothing in its token flow calls it: the token endpoint does.
- Its access tokens carry ``scopes`` as a string, and ``validate_token`` does not check
  them against the audience: the service endpoints below check the scope they need.
"""

import html
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request

CLIENT_ID = "lms-client-1"
DEPLOYMENT = "lms-deployment-1"
MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
ROLES = {
    "instructor": [MEMBERSHIP + "Instructor"],
    "assistant": [
        MEMBERSHIP + "Instructor",
        "http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant",
    ],
    "learner": [MEMBERSHIP + "Learner"],
}
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
LINEITEM_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"


class PlainRequest(Request):
    def build_metadata(self, request):
        return request


class PlatformConf(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, **kwargs):
        self.lms = kwargs["lms"]

    def get_registration_by_params(self, **kwargs):
        return self.lms.registration


class Login(OIDCLoginAbstract):
    def set_lti_message_hint(self, **kwargs):
        self._lti_message_hint = kwargs["hint"]

    def get_redirect(self, url):
        return url


class MessageLaunch(LTIAdvantageMessageLaunchAbstract):
    def render_launch_form(self, launch_data, **kwargs):
        return launch_data


class Lms:
    """The platform: its registration, the people of one course, its grade book."""

    def __init__(self, tool_base="http://testserver"):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.private_pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        public_pem = (
            key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )
        self.server = self._serve()
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.registration = (
            Registration()
            .set_iss(self.base)
            .set_client_id(CLIENT_ID)
            .set_deployment_id(DEPLOYMENT)
            .set_oidc_login_url(tool_base + "/lti/login/")
            .set_launch_url(tool_base + "/lti/launch/")
            .set_deeplink_launch_url(tool_base + "/lti/deep-link/")
            .set_platform_public_key(public_pem)
            .set_platform_private_key(self.private_pem)
        )
        self.conf = PlatformConf(lms=self)
        self.members = []  # NRPS member dicts
        self.page_size = 50
        self.lineitems = {}  # id -> dict
        self.scores = {}  # lineitem id -> [score dicts]
        self.token_requests = 0
        self.score_failures = 0  # answer 503 this many times first
        self.requests_seen = []
        self.registered = []  # Dynamic Registration requests
        self.people = {}  # user id -> "instructor" | "assistant" | "learner"

    # --- what the tool is told ---

    @property
    def urls(self):
        return {
            "issuer": self.base,
            "client_id": CLIENT_ID,
            "auth_url": self.base + "/auth",
            "token_url": self.base + "/token",
            "jwks_url": self.base + "/jwks",
        }

    def openid_configuration(self):
        """What Dynamic Registration reads first (the package has no registration side)."""
        return {
            "issuer": self.base,
            "authorization_endpoint": self.base + "/auth",
            "token_endpoint": self.base + "/token",
            "jwks_uri": self.base + "/jwks",
            "registration_endpoint": self.base + "/register",
            "https://purl.imsglobal.org/spec/lti-platform-configuration": {
                "product_family_code": "lti1p3platform-tests",
            },
        }

    def auth_page(self, query):
        """The platform's authorization endpoint: the launch as an auto-submitted form.
        The message hint says whether the course page frames the tool."""
        preflight = {key: values[0] for key, values in query.items()}
        user_id = preflight.get("login_hint", "")
        framed = preflight.get("lti_message_hint") == "iframe"
        form = self.launch_form(
            preflight,
            user_id=user_id,
            role=self.people.get(user_id, "learner"),
            document_target="iframe" if framed else "window",
        )
        return (
            "<!doctype html><title>LMS launch</title>"
            f'<form id="f" method="post" action="{html.escape(form["launch_url"])}">'
            f'<input type="hidden" name="id_token" value="{html.escape(form["id_token"])}">'
            f'<input type="hidden" name="state" value="{html.escape(form["state"])}">'
            "</form><script>document.getElementById('f').submit()</script>"
        )

    def course_page(self, user_id, *, storage=False):
        """The LMS's course page, showing the tool in a frame; with `storage`, the page
        is also the LTI postMessage storage the tool may use (lti_storage_target)."""
        url = self.login_url(user_id, hint="iframe")
        script = ""
        if storage:
            url += "&lti_storage_target=_parent"
            script = (
                "<script>var store = {};"
                "window.addEventListener('message', function (e) {"
                " var d = e.data; if (!d || !d.subject) return;"
                " if (d.subject === 'lti.put_data') { store[d.key] = d.value;"
                "  e.source.postMessage({subject: 'lti.put_data.response',"
                "   message_id: d.message_id, key: d.key, value: d.value}, e.origin); }"
                " if (d.subject === 'lti.get_data') {"
                "  e.source.postMessage({subject: 'lti.get_data.response',"
                "   message_id: d.message_id, key: d.key, value: store[d.key]}, e.origin); }"
                "});</script>"
            )
        return (
            "<!doctype html><title>History 210 in the LMS</title><h1>History 210</h1>"
            f"{script}"
            f'<iframe id="tool" title="Commonplace" src="{html.escape(url)}" width="900"'
            ' height="500"></iframe>'
        )

    def trust_tool_keys(self, jwks):
        self.registration.set_tool_key_set(jwks)

    # --- launches ---

    def login_url(self, user_id, *, target=None, hint="resource-1"):
        login = Login(PlainRequest({}), self.conf)
        login.set_lti_message_hint(hint=hint)
        if target:
            login.set_launch_url(target)
        return login.initiate_login(user_id)

    def launch_form(
        self,
        preflight,
        *,
        user_id,
        role,
        context="course-1",
        deep_link=False,
        name="Grace Hopper",
        email=None,
        target=None,
        document_target="window",
        lineitem=None,
    ):
        """The auto-submitted form the platform answers its auth endpoint with."""
        request = PlainRequest({"get_data": preflight, "form_data": {}})
        launch = MessageLaunch(request, self.conf)
        launch.set_user_data(user_id, ROLES[role], full_name=name, email_address=email)
        launch.set_resource_link_claim("resource-1", title="Commonplace")
        launch.set_launch_context_claim(
            context, context_title="History 210", context_label="HIS210"
        )
        launch.set_launch_presentation_claim(document_target=document_target)
        launch.set_nrps(f"{self.base}/memberships/{context}")
        launch.set_ags(
            f"{self.base}/lineitems/{context}", lineitem_url=lineitem, allow_creating_lineitems=True
        )
        if target:
            launch.set_launch_url(target)
        if deep_link:
            launch.set_dl(f"{self.base}/deep-link-return", accept_types={"ltiResourceLink"})
        return launch.lti_launch()

    # --- the HTTP side ---

    def _serve(self):
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def check_token(self, header, scope):
        token = (header or "").removeprefix("Bearer ")
        public = self.registration.get_platform_public_key()
        try:
            claims = Registration.decode_and_verify(token, public)
        except jwt.PyJWTError:
            return False
        return claims.get("exp", 0) > time.time() and scope in claims.get("scopes", "").split()

    def issue_token(self, form):
        self.token_requests += 1
        self.conf.get_registration()  # the package asserts it was loaded before
        assertion = form.get("client_assertion", "")
        claims = self.conf.tool_validate_and_decode(assertion)
        if claims.get("iss") != CLIENT_ID or claims.get("sub") != CLIENT_ID:
            raise ValueError("assertion iss/sub is not the client id")
        if self.urls["token_url"] not in (
            [claims.get("aud")] if isinstance(claims.get("aud"), str) else claims.get("aud", [])
        ):
            raise ValueError("assertion aud is not the token endpoint")
        return self.conf.get_access_token(form)

    def memberships_page(self, context, page):
        start = (page - 1) * self.page_size
        members = self.members[start : start + self.page_size]
        body = {
            "id": f"{self.base}/memberships/{context}?page={page}",
            "context": {"id": context, "title": "History 210"},
            "members": members,
        }
        link = None
        if start + self.page_size < len(self.members):
            link = (
                f'<{self.base}/memberships/{context}?{urlencode({"page": page + 1})}>; rel="next"'
            )
        return body, link


def _handler(lms):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _answer(self, status, body, content_type="application/json", headers=()):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _html(self, text):
            data = text.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _body(self):
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length).decode()

        def do_GET(self):
            url = urlsplit(self.path)
            lms.requests_seen.append(("GET", url.path))
            if url.path == "/.well-known/openid-configuration":
                return self._answer(200, lms.openid_configuration())
            if url.path == "/auth":
                return self._html(lms.auth_page(parse_qs(url.query)))
            if url.path.startswith("/course/"):
                storage = "storage" in parse_qs(url.query)
                user_id = url.path.rsplit("/", 1)[1]
                return self._html(lms.course_page(user_id, storage=storage))
            if url.path == "/jwks":
                return self._answer(200, {"keys": lms.registration.get_jwks()})
            if url.path.startswith("/memberships/"):
                if not lms.check_token(self.headers.get("Authorization"), NRPS_SCOPE):
                    return self._answer(401, {"error": "unauthorized"})
                page = int(parse_qs(url.query).get("page", ["1"])[0])
                body, link = lms.memberships_page(url.path.rsplit("/", 1)[1], page)
                headers = [("Link", link)] if link else []
                return self._answer(
                    200,
                    body,
                    "application/vnd.ims.lti-nrps.v2.membershipcontainer+json",
                    headers,
                )
            if url.path.startswith("/lineitems/"):
                return self._answer(200, list(lms.lineitems.values()))
            return self._answer(404, {})

        def do_POST(self):
            url = urlsplit(self.path)
            lms.requests_seen.append(("POST", url.path))
            body = self._body()
            if url.path == "/register":
                if self.headers.get("Authorization") != "Bearer reg-token-1":
                    return self._answer(401, {"error": "unauthorized"})
                lms.registered.append(json.loads(body))
                return self._answer(
                    200,
                    {
                        "client_id": "dyn-client-1",
                        "https://purl.imsglobal.org/spec/lti-tool-configuration": {
                            "deployment_id": "dyn-deployment-1"
                        },
                    },
                )
            if url.path == "/token":
                form = {key: values[0] for key, values in parse_qs(body).items()}
                try:
                    return self._answer(200, lms.issue_token(form))
                except Exception as error:  # noqa: BLE001  (any refusal is a 400)
                    return self._answer(400, {"error": "invalid_client", "detail": str(error)})
            if url.path.endswith("/scores"):
                if not lms.check_token(self.headers.get("Authorization"), SCORE_SCOPE):
                    return self._answer(401, {"error": "unauthorized"})
                if lms.score_failures > 0:
                    lms.score_failures -= 1
                    return self._answer(503, {"error": "busy"})
                item = url.path.removesuffix("/scores").rsplit("/", 1)[1]
                lms.scores.setdefault(item, []).append(json.loads(body))
                return self._answer(200, {})
            if url.path.startswith("/lineitems/"):
                if not lms.check_token(self.headers.get("Authorization"), LINEITEM_SCOPE):
                    return self._answer(401, {"error": "unauthorized"})
                item = json.loads(body)
                item_id = f"{lms.base}/lineitem/{len(lms.lineitems) + 1}"
                item["id"] = item_id
                lms.lineitems[item_id.rsplit("/", 1)[1]] = item
                return self._answer(201, item, "application/vnd.ims.lis.v2.lineitem+json")
            return self._answer(404, {})

    return Handler
