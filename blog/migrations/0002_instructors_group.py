from django.contrib.auth.management import create_permissions
from django.db import migrations


def add_instructors_group(apps, schema_editor):
    """An "Instructors" group whose members may create courses from the site."""
    blog = apps.get_app_config("blog")
    blog.models_module = True
    create_permissions(blog, apps=apps, verbosity=0)
    blog.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Instructors")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="blog", codename="add_course")
    )


def remove_instructors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Instructors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(add_instructors_group, remove_instructors_group)]
