"""LTI Dynamic Registration (docs/lti.md): the LMS opens Commonplace's registration URL
with its OpenID configuration; Commonplace reads it, registers itself at the LMS's
registration endpoint and stores the platform and deployment it is given. The URL
carries a signed, expiring invitation a site admin makes with
`manage.py lti_platform register-url`, so nobody else registers platforms."""

import requests
from django.core import signing
from django.db import transaction
from django.urls import reverse

from lti.errors import ServiceError
from lti.models import Deployment, Platform

SALT = "lti.registration"
INVITE_DAYS = 7
TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"
SCOPES = [
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
]
TIMEOUT_SECONDS = 10


def invite(name=""):
    return signing.dumps({"name": name}, salt=SALT)


def read_invite(token):
    return signing.loads(token, salt=SALT, max_age=INVITE_DAYS * 24 * 3600)


def fetch_configuration(url, registration_token):
    headers = {"Authorization": f"Bearer {registration_token}"} if registration_token else {}
    try:
        response = requests.get(url, headers=headers, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        config = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ServiceError("The LMS's OpenID configuration could not be read.") from error
    needed = ["issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"]
    needed.append("registration_endpoint")
    missing = [key for key in needed if not isinstance(config.get(key), str)]
    if missing:
        raise ServiceError(f"The LMS's configuration lacks {', '.join(missing)}.")
    if not url.startswith(config["issuer"].rstrip("/")):
        raise ServiceError("The LMS's configuration is not served under its issuer.")
    return config


def tool_configuration(absolute, name):
    launch = absolute(reverse("lti:launch"))
    deep_link = absolute(reverse("lti:deep_link"))
    return {
        "application_type": "web",
        "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": absolute(reverse("lti:login")),
        "redirect_uris": [launch, deep_link],
        "client_name": name or "Commonplace",
        "jwks_uri": absolute(reverse("lti:jwks")),
        "token_endpoint_auth_method": "private_key_jwt",
        "scope": " ".join(SCOPES),
        TOOL_CONFIGURATION: {
            "domain": absolute("/").split("//", 1)[1].rstrip("/"),
            "target_link_uri": launch,
            "claims": ["iss", "sub", "name", "given_name", "family_name", "email"],
            "messages": [
                {"type": "LtiResourceLinkRequest", "target_link_uri": launch},
                {
                    "type": "LtiDeepLinkingRequest",
                    "target_link_uri": deep_link,
                    "label": "Commonplace",
                },
            ],
            "description": "Course blogs: students write, classmates discuss.",
        },
    }


def register(*, openid_configuration, registration_token, absolute, name=""):
    """Register at the LMS and store what it gave; returns the Platform."""
    config = fetch_configuration(openid_configuration, registration_token)
    headers = {"Content-Type": "application/json"}
    if registration_token:
        headers["Authorization"] = f"Bearer {registration_token}"
    try:
        response = requests.post(
            config["registration_endpoint"],
            json=tool_configuration(absolute, name),
            headers=headers,
            timeout=TIMEOUT_SECONDS,
        )
        response.raise_for_status()
        answer = response.json()
        client_id = str(answer["client_id"])
    except (requests.RequestException, ValueError, KeyError, TypeError) as error:
        raise ServiceError("The LMS did not accept Commonplace's registration.") from error
    deployment_id = (answer.get(TOOL_CONFIGURATION) or {}).get("deployment_id")
    audience = config.get("authorization_server") or ""
    with transaction.atomic():
        platform, _ = Platform.objects.update_or_create(
            issuer=config["issuer"],
            client_id=client_id,
            defaults={
                "name": name or config.get("issuer"),
                "auth_url": config["authorization_endpoint"],
                "token_url": config["token_endpoint"],
                "jwks_url": config["jwks_uri"],
                # The aud of token requests, when it isn't the token endpoint (LTI
                # Dynamic Registration, the platform's authorization_server).
                "token_audience": audience if isinstance(audience, str) else "",
            },
        )
        if deployment_id:
            Deployment.objects.get_or_create(platform=platform, deployment_id=str(deployment_id))
    return platform
