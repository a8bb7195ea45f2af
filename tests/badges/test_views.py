"""The student's credential pages, the public issuer documents and the verify page."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from awards.services import revoke_award
from badges import baking, credentials
from badges.models import SigningKey
from tests import factories

DOWNLOADS = ["credential_json", "credential_png", "credential_svg"]


def url(name, credential):
    return reverse(f"badges:{name}", args=[credential.uuid])


# --- Only the student gets their credential -------------------------------------------


@pytest.mark.parametrize("name", ["credential_detail", *DOWNLOADS])
def test_the_student_gets_their_credential(client, student, credential, name):
    client.force_login(student)
    assert client.get(url(name, credential)).status_code == 200


@pytest.mark.parametrize("name", ["credential_detail", *DOWNLOADS])
@pytest.mark.parametrize("who", ["classmate", "instructor", "outsider", "staff"])
def test_nobody_else_gets_a_students_credential(client, request, credential, name, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(name, credential)).status_code == 404


@pytest.mark.parametrize("name", ["credential_detail", *DOWNLOADS])
def test_anonymous_readers_are_sent_to_sign_in(client, credential, name):
    response = client.get(url(name, credential))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_revoked_credential_is_gone_for_the_student_too(client, student, credential, grant):
    revoke_award(grant=grant)
    client.force_login(student)
    assert client.get(url("credential_detail", credential)).status_code == 404


def test_the_json_download_is_the_signed_credential(client, student, credential):
    client.force_login(student)
    response = client.get(url("credential_json", credential))
    assert response["Content-Type"] == "application/ld+json"
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert document["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"


def test_baked_png_holds_exactly_the_credential(client, student, credential):
    client.force_login(student)
    expected = json.loads(client.get(url("credential_json", credential)).content)
    png = client.get(url("credential_png", credential)).content
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (256, 256)
    assert json.loads(image.text["openbadgecredential"]) == expected
    assert baking.extract(png) == expected


def test_baked_svg_holds_exactly_the_credential(client, student, credential, award):
    award.name = "Sources ]]> & <Quotes>"  # text that must not break the CDATA or XML
    award.save()
    client.force_login(student)
    expected = json.loads(client.get(url("credential_json", credential)).content)
    svg = client.get(url("credential_svg", credential)).content
    assert b"<openbadges:credential><![CDATA[" in svg
    assert b'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in svg
    assert baking.extract(svg) == expected


def test_the_student_chooses_what_their_credential_says(client, student, credential):
    client.force_login(student)
    response = client.post(
        url("credential_detail", credential),
        {"include_evidence": "on", "show_name": "on", "recipient_did": " did:key:z6Mkabc "},
    )
    assert response.status_code == 302
    credential.refresh_from_db()
    assert credential.include_evidence and credential.show_name
    assert credential.recipient_did == "did:key:z6Mkabc"


def test_a_bad_did_is_refused_and_what_was_typed_stays(client, student, credential):
    client.force_login(student)
    response = client.post(url("credential_detail", credential), {"recipient_did": "me@x"})
    assert response.status_code == 200
    assert "Enter a DID" in response.content.decode()
    assert 'value="me@x"' in response.content.decode()
    credential.refresh_from_db()
    assert credential.recipient_did == ""


@pytest.mark.parametrize("grants", [1, 3])
def test_credential_page_queries(
    client, student, course, instructor, grants, django_assert_max_num_queries
):
    from awards.services import grant_award

    award = factories.AwardFactory(course=course)
    made = [
        grant_award(
            award=award,
            post=factories.PostFactory(course=course, author=student),
            granted_by=instructor,
        )
        for _ in range(grants)
    ]
    client.force_login(student)
    credentials.current_key()
    for name in ["credential_detail", "credential_json"]:
        with django_assert_max_num_queries(5):
            assert client.get(url(name, made[-1].credential)).status_code == 200


# --- The link on the award banner and on the profile ------------------------------------


def test_the_award_banner_links_the_author_to_their_open_badge(client, student, credential, grant):
    client.force_login(student)
    page = client.get(grant.post.get_absolute_url()).content.decode()
    assert "Get your Open Badge credential for the Best Use of Sources award" in page
    assert url("credential_detail", credential) in page


@pytest.mark.parametrize("who", ["classmate", "instructor", None])
def test_nobody_else_sees_the_link(client, request, credential, grant, who):
    if who:
        client.force_login(request.getfixturevalue(who))
    page = client.get(grant.post.get_absolute_url()).content.decode()
    assert "Open Badge credential" not in page
    assert str(credential.uuid) not in page


def test_the_profile_lists_ones_own_credentials_only_to_oneself(
    client, student, classmate, credential
):
    profile = reverse("accounts:profile", args=[student.username])
    client.force_login(student)
    assert "Open Badge credential: Best Use of Sources" in client.get(profile).content.decode()
    client.force_login(classmate)
    assert "Open Badge credential" not in client.get(profile).content.decode()


# --- The issuer's public documents ------------------------------------------------------


def test_issuer_profile_as_json_ld_and_as_a_page(client, credential):
    credentials.current_key()
    response = client.get(reverse("badges:issuer"), HTTP_ACCEPT="application/ld+json")
    profile = json.loads(response.content)
    assert profile["id"] == credentials.issuer_id() and profile["type"] == ["Profile"]
    assert len(profile["assertionMethod"]) == 1
    page = client.get(reverse("badges:issuer"), HTTP_ACCEPT="text/html")
    assert "Signing keys" in page.content.decode()


def test_old_keys_stay_resolvable_after_rotation(client, db):
    from django.core.management import call_command

    old = credentials.current_key()
    out = io.StringIO()
    call_command("badge_keys", "rotate", stdout=out)
    new = SigningKey.objects.current()
    assert new != old and "New signing key" in out.getvalue()
    for key in (old, new):
        document = json.loads(client.get(reverse("badges:key", args=[key.pk])).content)
        assert document["type"] == "Multikey"
        assert document["publicKeyMultibase"] == key.public_key_multibase
        assert document["controller"] == credentials.issuer_id()
    assert client.get(reverse("badges:key", args=[999])).status_code == 404


def test_status_list_is_published_and_signed(client, credential):
    response = client.get(reverse("badges:status_list", args=[0]))
    document = json.loads(response.content)
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert document["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
    assert client.get(reverse("badges:status_list", args=[5])).status_code == 404


# --- Verify --------------------------------------------------------------------------


def signed_of(credential):
    return credentials.for_credential(credentials.load(credential.uuid))


def verify_file(client, name, content, view="badges:verify"):
    upload = SimpleUploadedFile(name, content)
    return client.post(reverse(view), {"file": upload})


def test_verify_page_says_valid_for_an_uploaded_credential(client, credential):
    document = signed_of(credential)
    response = verify_file(client, "badge.json", json.dumps(document).encode())
    assert response.status_code == 200
    assert "Valid: this Open Badge credential was issued by this site" in response.content.decode()


@pytest.mark.parametrize("kind", ["png", "svg"])
def test_verify_page_reads_baked_images(client, credential, award, kind):
    document = signed_of(credential)
    if kind == "png":
        content = baking.bake_png(baking.emblem_png(award), document)
    else:
        content = baking.bake_svg(baking.emblem_svg(award), document).encode()
    response = verify_file(client, f"badge.{kind}", content)
    assert "Valid:" in response.content.decode()


def test_verify_page_says_tampered(client, credential):
    document = signed_of(credential)
    document["credentialSubject"]["achievement"]["name"] = "Best Everything"
    response = verify_file(client, "badge.json", json.dumps(document).encode())
    assert (
        "Not valid: the credential&#x27;s signature doesn&#x27;t match" in response.content.decode()
    )


def test_verify_page_says_revoked_by_url(client, credential, grant):
    address = credentials.credential_url(credential)
    assert "Valid:" in client.get(reverse("badges:verify"), {"url": address}).content.decode()
    revoke_award(grant=grant)
    page = client.get(reverse("badges:verify"), {"url": address}).content.decode()
    assert "Revoked: this credential was issued by this site" in page


def test_verify_json_endpoint(client, credential, grant):
    document = signed_of(credential)
    response = client.post(
        reverse("badges:verify_json"), json.dumps(document), content_type="application/json"
    )
    assert response.json()["status"] == "valid"
    assert response.json()["name"] == "Best Use of Sources"
    revoke_award(grant=grant)
    response = verify_file(client, "b.json", json.dumps(document).encode(), "badges:verify_json")
    assert response.json()["status"] == "revoked"


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not json",
        b"[1, 2]",
        b"\x89PNG\r\n\x1a\nbroken",
        b"<svg><unclosed",
        b'<svg xmlns="http://www.w3.org/2000/svg"></svg>',
        b'<!DOCTYPE x [<!ENTITY a "aaaa">]><svg>&a;</svg>',
        json.dumps({"@context": ["https://evil.example/ctx"], "proof": {}}).encode(),
    ],
)
@pytest.mark.parametrize("view", ["badges:verify", "badges:verify_json"])
def test_bad_files_get_a_clear_4xx_or_a_plain_answer(client, db, content, view):
    response = verify_file(client, "x.bin", content, view)
    assert response.status_code in (200, 400)
    if view == "badges:verify_json":
        body = response.json()
        assert body["status"] in ("error", "unknown", "tampered")
    else:
        assert response.status_code == 400 or "Not checked" in response.content.decode()


def huge_png():
    buffer = io.BytesIO()
    Image.new("1", (5000, 5000)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_huge_image_is_refused_before_it_is_decoded(client, db):
    response = verify_file(client, "big.png", huge_png(), "badges:verify_json")
    assert response.status_code == 400
    assert response.json()["errors"] == ["This image is too large to be a badge."]


@pytest.mark.parametrize(
    "document",
    [
        {"proof": "x"},
        {"proof": {"verificationMethod": 5}},
        {"proof": {"verificationMethod": "http://testserver/badges/keys/1#key"}},
        {"credentialStatus": "x", "issuer": 3},
    ],
)
def test_odd_credentials_get_a_plain_answer(client, credential, document):
    signed = signed_of(credential)
    response = client.post(
        reverse("badges:verify_json"),
        json.dumps({**signed, **document}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["status"] in ("unknown", "tampered")


def test_the_json_endpoint_takes_a_posted_address(client, credential):
    response = client.post(
        reverse("badges:verify_json"), {"url": credentials.credential_url(credential)}
    )
    assert response.json()["status"] == "valid"


def test_a_forged_key_reference_is_not_trusted(client, credential):
    document = signed_of(credential)
    document["proof"][0]["verificationMethod"] = credentials.absolute("/badges/keys/99999#key")
    response = client.post(
        reverse("badges:verify_json"), json.dumps(document), content_type="application/json"
    )
    assert response.json()["status"] == "unknown"


@pytest.mark.parametrize(
    "params", [{"url": "https://elsewhere.example/x"}, {"url": "/badges/credentials/zzz"}, {}]
)
def test_bad_urls_get_a_clear_400(client, db, params):
    response = client.get(reverse("badges:verify_json"), params)
    assert response.status_code == 400
    assert response.json()["errors"]


@pytest.mark.parametrize("size", [1, 3])
def test_verify_page_queries(client, course, instructor, size, django_assert_max_num_queries):
    from awards.services import grant_award

    award = factories.AwardFactory(course=course)
    grants = [
        grant_award(award=award, post=factories.PostFactory(course=course), granted_by=instructor)
        for _ in range(size)
    ]
    document = signed_of(grants[-1].credential)
    with django_assert_max_num_queries(3):
        response = verify_file(client, "b.json", json.dumps(document).encode())
    assert "Valid:" in response.content.decode()
    with django_assert_max_num_queries(4):
        client.get(reverse("badges:verify"), {"url": document["id"]})


def test_the_link_is_right_for_each_reader_of_a_cached_post_page(
    client, student, classmate, credential, grant
):
    """The post page is kept for signed-in readers; the link is a hole filled per reader."""
    address = grant.post.get_absolute_url()
    link = url("credential_detail", credential)
    for reader, sees in [(classmate, False), (student, True), (classmate, False), (student, True)]:
        client.force_login(reader)
        assert (link in client.get(address).content.decode()) is sees
