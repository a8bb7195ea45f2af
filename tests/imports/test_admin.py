import pytest
from django.urls import reverse

from imports.models import OldLink, Placeholder

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["importrun", "oldlink", "placeholder"])
def test_staff_read_imports_in_the_admin(client, staff, imported, model):
    client.force_login(staff)
    changelist = client.get(reverse(f"admin:imports_{model}_changelist"), {"q": "a"})
    assert changelist.status_code == 200
    obj = {"importrun": imported, "oldlink": OldLink.objects.first(),
           "placeholder": Placeholder.objects.first()}[model]  # fmt: skip
    assert client.get(reverse(f"admin:imports_{model}_change", args=[obj.pk])).status_code == 200


def test_old_link_list_queries_do_not_grow(client, staff, imported, django_assert_max_num_queries):
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:imports_oldlink_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count > 0  # the import's old links, listed
