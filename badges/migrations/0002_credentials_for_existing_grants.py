"""Every grant made before badges was installed gets its credential row (its place in
the status list), as grant_award gives new grants."""

import secrets
import uuid

from django.db import migrations


def allocate(apps, schema_editor):
    AwardGrant = apps.get_model("awards", "AwardGrant")
    Credential = apps.get_model("badges", "Credential")
    have = set(Credential.objects.values_list("grant_id", flat=True))
    Credential.objects.bulk_create(
        Credential(
            grant_id=grant.pk,
            recipient_id=grant.post.author_id,
            uuid=uuid.uuid4(),
            salt=secrets.token_hex(16),
        )
        for grant in AwardGrant.objects.select_related("post").order_by("pk")
        if grant.pk not in have
    )


class Migration(migrations.Migration):
    dependencies = [("badges", "0001_initial"), ("awards", "0003_award_criteria")]
    operations = [migrations.RunPython(allocate, migrations.RunPython.noop)]
