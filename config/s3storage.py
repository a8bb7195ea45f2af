"""The S3 media storage, in a module of its own: boto3 and django-storages weigh on
every process (docs/decisions.md, Heavy libraries), so they are imported only when
MEDIA_S3_BUCKET makes this the storage (settings name
``config.s3storage.MediaS3Storage``)."""

from botocore.exceptions import BotoCoreError, ClientError
from storages.backends.s3 import S3Storage

from config.storage import PUBLIC_PREFIXES, StorageUnavailable


class MediaS3Storage(S3Storage):
    """A private bucket: objects are private unless set_public made them readable;
    url() gives the plain (cacheable) address, signed_url() a presigned one."""

    def get_object_parameters(self, name):
        """Avatars and award emblems are public; everything else starts private
        (blog.media publishes a public course's images)."""
        params = super().get_object_parameters(name)
        params.setdefault("ACL", "public-read" if name.startswith(PUBLIC_PREFIXES) else "private")
        return params

    def save(self, name, content, max_length=None):
        try:
            return super().save(name, content, max_length=max_length)
        except (BotoCoreError, ClientError) as error:
            raise StorageUnavailable(str(error)) from error

    def signed_url(self, name, *, seconds):
        return self.connection.meta.client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket_name, "Key": self._normalize_name(name)},
            ExpiresIn=seconds,
        )

    def ping(self):
        """Raise unless the bucket answers (for /readyz)."""
        self.connection.meta.client.head_bucket(Bucket=self.bucket_name)

    def set_public(self, name, public):
        try:
            self.connection.meta.client.put_object_acl(
                Bucket=self.bucket_name,
                Key=self._normalize_name(name),
                ACL="public-read" if public else "private",
            )
        except (BotoCoreError, ClientError) as error:
            raise StorageUnavailable(str(error)) from error
