"""badges reacts to awards' grants: each grant gets its credential row (its place in
the status list) in the grant's own transaction, and a grant's deletion (revoked, or
gone with its post, award or author) revokes its credential."""

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from awards.models import AwardGrant
from awards.signals import award_granted
from badges import services


@receiver(award_granted, dispatch_uid="badges.award_granted")
def on_award_granted(sender, grant, **kwargs):
    services.allocate_credential(grant=grant)


@receiver(pre_delete, sender=AwardGrant, dispatch_uid="badges.grant_deleted")
def on_grant_deleted(sender, instance, **kwargs):
    services.revoke_credentials(grants=[instance])
