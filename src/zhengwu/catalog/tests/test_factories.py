import pytest

from zhengwu.catalog.models import ServiceItem

from .factories import department, make_item


@pytest.mark.django_db
def test_make_item_builds_a_complete_effective_item(demo_org):
    item = make_item()
    assert item.implementation_code.startswith(department().uscc)
    version = ServiceItem.objects.get(pk=item.pk).current_version
    assert version is not None and version.materials.count() == 2 and version.steps.count() == 5
