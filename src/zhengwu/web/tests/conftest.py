import pytest
from django.contrib.auth import get_user_model

from zhengwu.core.access.roles import Role
from zhengwu.org import services as org_services

PASSWORD = "Zw-test-pass-2025"


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The manifest storage needs collectstatic; page tests only need {% static %} to produce a URL.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def demo_org(db):
    """A province, city, district and town with two service points and one department."""
    for code, name in [
        ("440000000000", "示范省"),
        ("440600000000", "示范市"),
        ("440604000000", "东区"),
        ("440604001000", "东城街道"),
    ]:
        org_services.region_create(actor=None, code=code, name=name)
    department = org_services.department_create(
        actor=None, name="示范市市场监督管理局", uscc="11440600MB2C92701M", region_code="440600000000"
    )
    city_hall = org_services.service_point_create(
        actor=None,
        name="示范市政务服务中心",
        kind="center",
        region_code="440600000000",
        address="示范市人民路1号",
        opening_hours="周一至周五 9:00-17:00",
        phone="0757-12345678",
    )
    org_services.window_create(actor=None, service_point_id=city_hall.pk, code="A01", name="综合窗口一")
    org_services.service_point_create(
        actor=None,
        name="东城街道便民服务中心",
        kind="convenience",
        region_code="440604001000",
        address="东城街道和平路8号",
        opening_hours="周一至周六 9:00-12:00",
    )
    return {"department": department, "city_hall": city_hall}


@pytest.fixture
def make_staff(demo_org):
    def make(username: str, *roles: Role):
        user = get_user_model().objects.create_user(
            username=username, password=PASSWORD, kind="staff", display_name=f"{username}同志"
        )
        if roles:
            org_services.staff_profile_upsert(
                actor=None,
                user_id=user.pk,
                department_id=demo_org["department"].pk,
                roles=[r.value for r in roles],
            )
        return user

    return make


@pytest.fixture
def applicant(db):
    return get_user_model().objects.create_user(
        username="13800138000", password=PASSWORD, kind="applicant", phone="13800138000", display_name="张三"
    )
