"""Regions and their officers: platform staff set a region's communes and officers; each officer
edits its own region's pages, cooperatives and OCOP certificates, and the shared home page, and
nothing of another region. Region and cooperative story pages show the region's market."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import GroupPagePermission, Page
from wagtail.test.utils.form_data import nested_form_data, streamfield

from catalog.models import OcopCertificate
from catalog.pages import CampaignPage
from cooperatives import regions
from cooperatives.models import Cooperative, Region
from cooperatives.pages import CooperativeStoryPage, RegionIndexPage, RegionPage
from cooperatives.roles import OFFICERS_GROUP, install_officer_group
from shop.cms.models import HomePage, StandardPage
from tests import factories

pytestmark = pytest.mark.django_db

CHO_DON = ["01933", "01936"]  # Xã Đồng Phúc, Xã Nà Phặc (Thái Nguyên)
NA_RI = ["02026"]  # Xã Nam Cường


def make_officer(email, *regions_of_officer):
    user = get_user_model().objects.create_user(email=email, password="officer-pass-2026")
    user.groups.add(install_officer_group())
    for region in regions_of_officer:
        regions.set_officers(region, [*regions.officers_of(region), user])
    return user


@pytest.fixture
def market(home_page):
    """Two regions, each with a cooperative, a product, a submitted certificate and an officer."""
    cho_don = Region.objects.create(name="Chợ Đồn", slug="cho-don", commune_codes=CHO_DON)
    na_ri = Region.objects.create(name="Na Rì", slug="na-ri", commune_codes=NA_RI)
    pages = {region.slug: regions.install_region_pages(region) for region in (cho_don, na_ri)}
    thanh_tam = factories.cooperative("HTX rượu men lá Thanh Tâm", "01933")
    nam_cuong = factories.cooperative("HTX Miến dong Nam Cường", "02026")
    wine = factories.product("Rượu men lá Bằng Phúc", 120_000, 10, thanh_tam)
    noodles = factories.product("Miến dong Nam Cường", 65_000, 20, nam_cuong)
    return {
        "cho_don": cho_don,
        "na_ri": na_ri,
        "page_a": pages["cho-don"],
        "page_b": pages["na-ri"],
        "coop_a": thanh_tam.cooperative,
        "coop_b": nam_cuong.cooperative,
        "wine": wine,
        "noodles": noodles,
        "cert_a": factories.certificate(thanh_tam, [wine], stars=None, status="submitted"),
        "cert_b": factories.certificate(nam_cuong, [noodles], stars=None, status="submitted"),
        "officer": make_officer("canbo.chodon@cho-ocop.test", cho_don),
        "other_officer": make_officer("canbo.nari@cho-ocop.test", na_ri),
    }


@pytest.fixture
def officer_client(client, market):
    client.force_login(market["officer"])
    return client


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser(
        email="admin@cho-ocop.test", password="admin-pass-2026"
    )


def refused(response) -> bool:
    """Wagtail sends a user without permission back to the admin home, with a message."""
    return response.status_code == 302 and response["Location"] == "/admin/"


def error_codes(response, field) -> set[str]:
    """The codes of a form field's errors (their text is in the visitor's language)."""
    return {error.code for error in response.context["form"].errors.as_data().get(field, [])}


def page_perms(page, group):
    return set(
        GroupPagePermission.objects.filter(page=page, group=group).values_list(
            "permission__codename", flat=True
        )
    )


# Regions: platform staff only ----------------------------------------------------------------


def region_form(**overrides):
    data = {
        "name": "Bạch Thông",
        "slug": "",
        "province": "19",
        "communes": ["02014", "02008"],
        "officer_emails": "",
    }
    data.update(overrides)
    return data


def test_saving_a_region_installs_its_page_officers_and_permissions(client, superuser, market):
    officer = make_officer("moi@cho-ocop.test")
    client.force_login(superuser)
    assert client.get("/admin/regions/new/").status_code == 200

    response = client.post("/admin/regions/new/", region_form(officer_emails="MOI@cho-ocop.test\n"))
    assert response.status_code == 302, response.context["form"].errors
    region = Region.objects.get(name="Bạch Thông")
    assert region.slug == "bach-thong" and region.commune_codes == ["02014", "02008"]
    assert list(regions.officers_of(region)) == [officer]
    assert officer.groups.filter(name=OFFICERS_GROUP).exists()
    page = RegionPage.objects.get(region=region)
    assert page.live and page.get_parent().specific == RegionIndexPage.objects.get()
    assert page.get_parent().slug == "vung"
    assert page_perms(page, region.officer_group) == set(regions.REGION_PAGE_PERMISSIONS)

    # Installing again adds nothing; editing keeps the officers in sync.
    before = (Page.objects.count(), GroupPagePermission.objects.count())
    assert regions.install_region_pages(region) == page
    assert (Page.objects.count(), GroupPagePermission.objects.count()) == before
    edit = client.get(f"/admin/regions/edit/{region.pk}/")
    assert "moi@cho-ocop.test" in edit.text and 'value="02014"' in edit.text
    response = client.post(
        f"/admin/regions/edit/{region.pk}/", region_form(all_communes="on", slug="bach-thong")
    )
    assert response.status_code == 302
    region.refresh_from_db()
    assert len(region.commune_codes) == 92  # every commune of Thái Nguyên
    assert list(regions.officers_of(region)) == []
    officer = get_user_model().objects.get(pk=officer.pk)
    assert regions.regions_of(officer) == [] and not regions.is_officer(officer)


@pytest.mark.parametrize(
    "overrides, field, code",
    [
        ({"communes": []}, "communes", "no_communes"),
        ({"communes": ["00004"]}, "communes", "invalid_choice"),
        ({"province": ""}, "province", "required"),
        ({"province": "99"}, "province", "invalid_choice"),
        ({"officer_emails": "khong-co@cho-ocop.test"}, "officer_emails", "unknown_accounts"),
    ],
)
def test_region_form_explains_bad_input(client, superuser, market, overrides, field, code):
    client.force_login(superuser)
    response = client.post("/admin/regions/new/", region_form(**overrides))
    assert response.status_code == 200
    assert code in error_codes(response, field)
    assert not Region.objects.filter(name="Bạch Thông").exists()


def test_cooperative_members_cannot_become_officers(client, superuser, market):
    owner = factories.owner(market["coop_a"].partner, email="chu@htx.test")
    client.force_login(superuser)
    response = client.post("/admin/regions/new/", region_form(officer_emails=owner.email))
    assert error_codes(response, "officer_emails") == {"cooperative_members"}


def test_officers_cannot_reach_the_regions(officer_client, market):
    for url in (
        "/admin/regions/",
        "/admin/regions/new/",
        f"/admin/regions/edit/{market['na_ri'].pk}/",
    ):
        assert refused(officer_client.get(url)), url
    assert "/admin/regions/" not in officer_client.get("/admin/").text


def test_deleting_a_region_removes_its_officers_group(client, superuser, market):
    group_pk = market["na_ri"].officer_group_id
    client.force_login(superuser)
    response = client.post(f"/admin/regions/delete/{market['na_ri'].pk}/")
    assert response.status_code == 302
    assert not Region.objects.filter(pk=market["na_ri"].pk).exists()
    assert not GroupPagePermission.objects.filter(group_id=group_pk).exists()
    assert client.get(market["page_b"].url).status_code == 200  # the page still renders


# Isolation between regions --------------------------------------------------------------------


def test_officer_edits_its_region_pages_only(officer_client, market):
    page_a, page_b = market["page_a"], market["page_b"]
    assert officer_client.get(f"/admin/pages/{page_a.pk}/edit/").status_code == 200
    assert officer_client.get(f"/admin/pages/{page_a.pk}/").status_code == 200  # explorer
    assert officer_client.get("/admin/pages/", follow=True).status_code == 200
    add_story = f"/admin/pages/add/cooperatives/cooperativestorypage/{page_a.pk}/"
    assert officer_client.get(add_story).status_code == 200

    # The officer publishes its region's page; which region it presents is not its to change.
    edit = officer_client.get(f"/admin/pages/{page_a.pk}/edit/")
    assert "region" not in edit.context["form"].fields
    data = nested_form_data(
        {
            "title": "Chợ Đồn",
            "slug": page_a.slug,
            "intro": "Chè Shan tuyết và men lá.",
            "region": market["na_ri"].pk,
            "banner_image": "",
            "body": streamfield([]),
            "action-publish": "action-publish",
        }
    )
    response = officer_client.post(f"/admin/pages/{page_a.pk}/edit/", data)
    assert response.status_code == 302 and not refused(response)
    page_a = RegionPage.objects.get(pk=page_a.pk)
    assert page_a.intro == "Chè Shan tuyết và men lá." and page_a.region == market["cho_don"]

    forbidden = [
        f"/admin/pages/{page_b.pk}/edit/",
        f"/admin/pages/add/cooperatives/cooperativestorypage/{page_b.pk}/",
        f"/admin/pages/{page_b.pk}/delete/",
        f"/admin/pages/{page_b.get_parent().pk}/edit/",
    ]
    for url in forbidden:
        assert refused(officer_client.get(url)), url
    response = officer_client.post(
        f"/admin/pages/{page_b.pk}/edit/", {"title": "Đã sửa", "action-publish": "1"}
    )
    assert refused(response)
    assert RegionPage.objects.get(pk=page_b.pk).title == "Na Rì"


def test_officer_manages_its_region_cooperatives_only(officer_client, market):
    coop_a, coop_b = market["coop_a"], market["coop_b"]
    listing = officer_client.get("/admin/cooperatives/")
    assert coop_a.legal_name in listing.text and coop_b.legal_name not in listing.text
    assert officer_client.get(f"/admin/cooperatives/edit/{coop_a.pk}/").status_code == 200
    for url in (
        f"/admin/cooperatives/edit/{coop_b.pk}/",
        f"/admin/cooperatives/invite/{coop_b.pk}/",
        f"/admin/cooperatives/history/{coop_b.pk}/",
        f"/admin/cooperatives/usage/{coop_b.pk}/",
    ):
        assert officer_client.get(url).status_code == 404, url
    response = officer_client.post(
        f"/admin/cooperatives/invite/{coop_b.pk}/", {"email": "ke-gian@example.vn"}
    )
    assert response.status_code == 404
    assert not get_user_model().objects.filter(email="ke-gian@example.vn").exists()

    # The filters offer the officer's own places only.
    filters = officer_client.get("/admin/cooperatives/").context["filters"].form
    assert [code for code, _name in filters.fields["commune_code"].choices if code] == ["01933"]


def test_officer_cannot_add_a_cooperative_outside_its_region(officer_client, market):
    data = {
        "legal_name": "HTX Mật ong Na Rì",
        "legal_form": "htx",
        "owner_email": "chu.htx@example.vn",
        "province": "19",
        "commune_code": "02026",
        "is_active": "on",
    }
    response = officer_client.post("/admin/cooperatives/new/", data)
    assert response.status_code == 200
    assert error_codes(response, "commune_code") == {"outside_region"}
    assert not Cooperative.objects.filter(legal_name="HTX Mật ong Na Rì").exists()


def test_officer_reviews_its_region_certificates_only(officer_client, market):
    cert_a, cert_b = market["cert_a"], market["cert_b"]
    listing = officer_client.get("/admin/ocop-certificates/")
    assert cert_a.decision_number in listing.text and cert_b.decision_number not in listing.text
    home = officer_client.get("/admin/")
    assert cert_a.decision_number in home.text and cert_b.decision_number not in home.text
    for action in ("edit", "verify", "reject", "history"):
        url = f"/admin/ocop-certificates/{action}/{cert_b.pk}/"
        assert officer_client.get(url).status_code == 404, url
    assert (
        officer_client.post(
            f"/admin/ocop-certificates/verify/{cert_b.pk}/", {"stars": "5"}
        ).status_code
        == 404
    )
    assert (
        officer_client.post(
            f"/admin/ocop-certificates/reject/{cert_b.pk}/", {"reason": "Sai"}
        ).status_code
        == 404
    )
    cert_b.refresh_from_db()
    assert cert_b.status == OcopCertificate.Status.SUBMITTED

    response = officer_client.post(f"/admin/ocop-certificates/verify/{cert_a.pk}/", {"stars": "4"})
    assert response.status_code == 302
    cert_a.refresh_from_db()
    assert cert_a.status == OcopCertificate.Status.VERIFIED and cert_a.stars == 4


def test_officer_without_a_region_sees_nothing(client, market):
    client.force_login(make_officer("chua-co-vung@cho-ocop.test"))
    listing = client.get("/admin/cooperatives/")
    assert market["coop_a"].legal_name not in listing.text
    assert client.get(f"/admin/cooperatives/edit/{market['coop_a'].pk}/").status_code == 404
    assert client.get(f"/admin/ocop-certificates/edit/{market['cert_a'].pk}/").status_code == 404
    assert refused(client.get(f"/admin/pages/{market['page_a'].pk}/edit/"))
    assert refused(client.get(f"/admin/pages/{HomePage.objects.get().pk}/edit/"))


def test_superuser_sees_every_region(client, superuser, market):
    client.force_login(superuser)
    cooperatives = client.get("/admin/cooperatives/").text
    assert (
        market["coop_a"].legal_name in cooperatives and market["coop_b"].legal_name in cooperatives
    )
    certificates = client.get("/admin/ocop-certificates/").text
    assert market["cert_a"].decision_number in certificates
    assert market["cert_b"].decision_number in certificates
    for page in (market["page_a"], market["page_b"]):
        assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200
    assert client.get(f"/admin/ocop-certificates/edit/{market['cert_b'].pk}/").status_code == 200


# The shared home page ----------------------------------------------------------------------------


def home_form(home, **overrides):
    data = {
        "title": home.title,
        "slug": home.slug,
        "hero_title": home.hero_title,
        "hero_text": home.hero_text,
        "body": streamfield([]),
        "seo_title": "",
        "search_description": "",
    }
    data.update(overrides)
    return nested_form_data(data)


def test_officer_edits_and_publishes_the_home_page(officer_client, market, home_page):
    edit_url = f"/admin/pages/{home_page.pk}/edit/"
    admin_home = officer_client.get("/admin/")
    assert edit_url in admin_home.text  # the "Home page" menu item
    page = officer_client.get(edit_url)
    assert page.status_code == 200
    assert 'name="action-publish"' in page.text

    data = home_form(home_page, hero_title="Tết này mua gì ở Chợ Đồn?")
    data["action-publish"] = "action-publish"
    response = officer_client.post(edit_url, data)
    assert response.status_code == 302, response.context["form"].errors
    home = HomePage.objects.get(pk=home_page.pk)
    assert home.hero_title == "Tết này mua gì ở Chợ Đồn?" and home.live
    assert "Tết này mua gì ở Chợ Đồn?" in officer_client.get("/").text

    # The front page only: not its deletion, unpublishing or the pages below it.
    permissions = home.permissions_for_user(market["officer"])
    assert permissions.can_edit() and permissions.can_publish()
    assert not permissions.can_unpublish() and not permissions.can_delete()
    assert not permissions.can_set_view_restrictions() and not permissions.can_add_subpage()
    assert not market["page_b"].permissions_for_user(market["officer"]).can_edit()


def test_officer_cannot_edit_policy_pages(officer_client, market, home_page):
    policy = home_page.add_child(
        instance=StandardPage(title="Chính sách bảo mật", slug="bao-mat", policy="privacy")
    )
    assert refused(officer_client.get(f"/admin/pages/{policy.pk}/edit/"))
    assert not policy.permissions_for_user(market["officer"]).can_edit()


def test_shoppers_cannot_edit_the_home_page(client, home_page):
    shopper = get_user_model().objects.create_user(email="khach@example.vn", password="x")
    assert not home_page.permissions_for_user(shopper).can_edit()
    client.force_login(shopper)
    assert client.get(f"/admin/pages/{home_page.pk}/edit/").status_code == 302


# Region and story pages --------------------------------------------------------------------------


def add_story(region_page, cooperative, title="Men lá của bản Nà Pài"):
    return region_page.add_child(
        instance=CooperativeStoryPage(
            title=title, slug="men-la", intro="Ba đời làm men lá.", cooperative=cooperative
        )
    )


def add_campaign(region_page, title, slug, start_days, end_days):
    now = timezone.now()
    return region_page.add_child(
        instance=CampaignPage(
            title=title,
            slug=slug,
            go_live_at=now + datetime.timedelta(days=start_days),
            expire_at=now + datetime.timedelta(days=end_days),
        )
    )


def test_region_page_shows_its_communes_cooperatives_products_campaigns_and_stories(client, market):
    page_a = market["page_a"]
    add_story(page_a, market["coop_a"])
    add_campaign(page_a, "Quà Tết Chợ Đồn", "qua-tet", -1, 10)
    add_campaign(page_a, "Mùa hè năm ngoái", "mua-he", -100, -10)
    response = client.get(page_a.url)
    assert response.status_code == 200
    text = response.text
    assert "Xã Đồng Phúc" in text and "Xã Nà Phặc" in text
    assert "HTX rượu men lá Thanh Tâm" in text and "HTX Miến dong Nam Cường" not in text
    assert [product.title for product in response.context["products"]] == ["Rượu men lá Bằng Phúc"]
    assert "Quà Tết Chợ Đồn" in text and "Mùa hè năm ngoái" not in text
    assert "Men lá của bản Nà Pài" in text

    index = client.get(RegionIndexPage.objects.get().url)
    assert index.status_code == 200 and "Chợ Đồn" in index.text and "Na Rì" in index.text


def test_region_page_lists_products_in_constant_queries(client, market):
    page_b, partner = market["page_b"], market["coop_b"].partner

    def count():
        client.get(page_b.url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page_b.url)
        assert response.status_code == 200
        return len(captured), response

    small, response = count()
    assert [product.title for product in response.context["products"]] == ["Miến dong Nam Cường"]
    assert "65.000" in response.text
    for number in range(6):
        factories.product(f"Miến dong {number}", 60_000, 5, partner, image=True)
        factories.cooperative(f"HTX thêm {number}", "02026")
    large, response = count()
    assert len(response.context["products"]) == 7
    assert large == small


def test_region_page_without_its_region_still_renders(client, market):
    market["na_ri"].delete()
    response = client.get(market["page_b"].url)
    assert response.status_code == 200
    assert response.context["cooperatives"] == [] and response.context["products"] == []


def test_story_page_shows_the_cooperative_shop_and_survives_its_deletion(client, market):
    story = add_story(market["page_b"], market["coop_b"])
    response = client.get(story.url)
    assert response.status_code == 200
    assert "data-story-shop" in response.text and "Miến dong Nam Cường" in response.text

    cooperative_page = client.get(market["coop_b"].get_absolute_url())
    assert story.url in cooperative_page.text

    market["coop_b"].partner.delete()  # the cooperative goes with its partner
    story.refresh_from_db()
    assert story.cooperative_id is None
    response = client.get(story.url)
    assert response.status_code == 200
    assert "Men lá của bản Nà Pài" in response.text and "data-story-shop" not in response.text


def story_form(story, cooperative=""):
    return nested_form_data(
        {
            "title": story.title,
            "slug": story.slug,
            "cooperative": cooperative,
            "intro": story.intro,
            "banner_image": "",
            "body": streamfield([]),
            "seo_title": "",
            "search_description": "",
            "action-publish": "action-publish",
        }
    )


def test_story_editor_explains_a_deleted_or_foreign_cooperative(officer_client, market):
    story = add_story(market["page_a"], market["coop_a"])
    edit_url = f"/admin/pages/{story.pk}/edit/"
    choices = officer_client.get(edit_url).context["form"].fields["cooperative"].queryset
    assert list(choices) == [market["coop_a"]]

    assert not officer_client.get(edit_url).context["form"].fields["cooperative"].help_text
    response = officer_client.post(edit_url, story_form(story, market["coop_b"].pk))
    assert response.status_code == 200
    assert error_codes(response, "cooperative") == {"invalid_choice"}

    market["coop_a"].partner.delete()
    page = officer_client.get(edit_url)
    assert page.status_code == 200
    help_text = str(page.context["form"].fields["cooperative"].help_text)
    assert help_text and escape(help_text) in page.text  # says the cooperative was deleted
    response = officer_client.post(edit_url, story_form(story))
    assert response.status_code == 200
    assert error_codes(response, "cooperative") == {"required"}


def test_a_region_has_one_page(market):
    duplicate = RegionPage(title="Chợ Đồn 2", slug="cho-don-2", region=market["cho_don"])
    with pytest.raises(ValidationError) as refused:
        market["page_a"].get_parent().add_child(instance=duplicate)
    assert [error.code for error in refused.value.error_dict["region"]] == ["region_has_page"]


def test_story_cooperatives_are_those_of_the_parent_region(client, superuser, market):
    client.force_login(superuser)
    add_url = f"/admin/pages/add/cooperatives/cooperativestorypage/{market['page_b'].pk}/"
    choices = client.get(add_url).context["form"].fields["cooperative"].queryset
    assert list(choices) == [market["coop_b"]]


def test_officer_publishes_a_story_in_its_region(officer_client, market):
    add_url = f"/admin/pages/add/cooperatives/cooperativestorypage/{market['page_a'].pk}/"
    data = nested_form_data(
        {
            "title": "Chè Shan tuyết trên đỉnh núi",
            "slug": "che-shan-tuyet",
            "cooperative": market["coop_a"].pk,
            "intro": "",
            "banner_image": "",
            "body": streamfield([]),
            "action-publish": "action-publish",
        }
    )
    response = officer_client.post(add_url, data)
    assert response.status_code == 302, response.context["form"].errors
    story = CooperativeStoryPage.objects.get(slug="che-shan-tuyet")
    assert story.live and story.get_parent().specific == market["page_a"]
    assert "Rượu men lá Bằng Phúc" in officer_client.get(story.url).text
