"""An S3-compatible bucket for the storage tests: moto's standalone server over HTTP,
started by .ci/run (MEDIA_S3_TEST_ENDPOINT=http://127.0.0.1:9000). Without that
variable the S3 tests are skipped."""

import os
import uuid

import environ
import pytest

ENDPOINT = os.environ.get("MEDIA_S3_TEST_ENDPOINT", "")


def s3_settings(settings, endpoint, bucket, **environment):
    from config.storage import s3_options

    values = {
        "MEDIA_S3_BUCKET": bucket,
        "MEDIA_S3_ENDPOINT_URL": endpoint,
        "MEDIA_S3_ACCESS_KEY_ID": "testing",
        "MEDIA_S3_SECRET_ACCESS_KEY": "testing",
        "MEDIA_S3_CONNECT_TIMEOUT": "1",
        "MEDIA_S3_ATTEMPTS": "1",
        **environment,
    }
    env = environ.Env()
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        options = s3_options(env)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key)
            else:
                os.environ[key] = value
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "config.s3storage.MediaS3Storage", "OPTIONS": options},
    }


@pytest.fixture
def bucket(settings):
    """A fresh private bucket on the S3 test server, used as the media storage."""
    if not ENDPOINT:
        pytest.skip("no S3 test server: set MEDIA_S3_TEST_ENDPOINT (CI runs moto)")
    import boto3

    name = f"cp-test-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=ENDPOINT,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=name)
    s3_settings(settings, ENDPOINT, name)
    yield client, name
    for item in client.list_objects_v2(Bucket=name).get("Contents", []):
        client.delete_object(Bucket=name, Key=item["Key"])
    client.delete_bucket(Bucket=name)
