"""Name the site after the project, so allauth's pages and emails don't say "example.com".

The sites app creates its default row after migrations run; create it here (the
same way, sequence reset included) so it can be named.
"""

from django.conf import settings
from django.contrib.sites.management import create_default_site
from django.db import migrations


def name_site(apps, schema_editor):
    using = schema_editor.connection.alias
    create_default_site(None, verbosity=0, using=using, apps=apps)
    Site = apps.get_model("sites", "Site")
    Site.objects.using(using).filter(pk=settings.SITE_ID, name="example.com").update(
        name=getattr(settings, "SITE_NAME", "Commonplace")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(name_site, migrations.RunPython.noop)]
