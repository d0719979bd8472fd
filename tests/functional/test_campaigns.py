"""Campaign pages: products by hand and by rule, a start and an end (scheduled publishing), a
review before publishing, and pages that never fail on a deleted product or cooperative."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import GroupPagePermission, Page, Workflow, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from catalog import selection_blocks, workflows
from catalog.blocks import ProductChooserBlock
from catalog.pages import CampaignPage
from cooperatives.models import Region
from cooperatives.pages import RegionIndexPage, RegionPage
from cooperatives.regions import ensure_officer_group
from cooperatives.roles import install_officer_group
from tests import factories
from tests.shopper import confirm_age

pytestmark = pytest.mark.django_db

PASSWORD = "campaign-pass-2026"  # noqa: S105 (test password)


def days(n: float) -> datetime.timedelta:
    return datetime.timedelta(days=n)


# --- Fixtures -------------------------------------------------------------------------------


@pytest.fixture
def region_page(home_page, shop_catalogue):
    region = Region.objects.create(name="Chợ Đồn", slug="cho-don", commune_codes=["01933", "02026"])
    group = ensure_officer_group(region)
    index = home_page.add_child(instance=RegionIndexPage(title="Vùng", slug="vung"))
    page = index.add_child(instance=RegionPage(title="Chợ Đồn", slug="cho-don", region=region))
    for action in ("add", "change", "publish"):
        GroupPagePermission.objects.create(
            group=group,
            page=page,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=f"{action}_page"
            ),
        )
    return page


def make_user(email, *groups):
    user = get_user_model().objects.create_user(email=email, password=PASSWORD)
    user.groups.add(*groups)
    return user


@pytest.fixture
def officer(region_page):
    return make_user(
        "officer@chodon.test", install_officer_group(), region_page.region.officer_group
    )


@pytest.fixture
def reviewer(region_page):
    workflows.install_campaign_workflow()
    return make_user(
        "reviewer@so-cong-thuong.test", Group.objects.get(name=workflows.REVIEWERS_GROUP)
    )


def hand_picked(*products) -> dict:
    return {
        "type": "hand_picked",
        "value": [
            {"type": "item", "value": product.pk, "id": f"i{product.pk}"} for product in products
        ],
    }


def rule(**criteria) -> dict:
    """A stored "by rule" block as the editor saves it: choosers store ids (or None), the
    choice blocks strings."""
    value = {
        "category": None,
        "minimum_stars": "",
        "commune": "",
        "cooperative": None,
        "max_products": 12,
        "ordering": "newest",
    }
    value.update(criteria)
    for name in ("minimum_stars", "commune"):
        value[name] = str(value[name])
    return {"type": "by_rule", "value": value}


def add_campaign(parent, selection=(), live=True, start=None, end=None, **fields):
    now = timezone.now()
    campaign = CampaignPage(
        title=fields.pop("title", "Giỏ quà Tết"),
        slug=fields.pop("slug", "gio-qua-tet"),
        tagline=fields.pop("tagline", "Quà Tết từ các hợp tác xã vùng cao"),
        selection=list(selection),
        go_live_at=start if start is not None else now - days(1),
        expire_at=end if end is not None else now + days(30),
        live=live,
        **fields,
    )
    parent.add_child(instance=campaign)
    campaign.save_revision()
    return campaign


def titles(response) -> list[str]:
    return [product.title for product in response.context["products"]]


# --- Which products a campaign shows --------------------------------------------------------


def test_hand_picked_then_rule_products_in_order_each_once(client, region_page, shop_catalogue):
    catalogue = shop_catalogue
    campaign = add_campaign(
        region_page,
        [
            hand_picked(catalogue["noodles"], catalogue["rice_wine"]),
            rule(category=catalogue["drinks"].pk),
        ],
    )

    page = client.get(campaign.url)

    assert page.status_code == 200
    # The hand-picked first, in the editor's order; then the rule's newest first, without the
    # bottle already picked by hand.
    assert titles(page) == ["Miến dong Nam Cường", "Rượu men lá Bằng Phúc", "Rượu nếp cẩm men lá"]
    assert "Giỏ quà Tết" in page.text and "Quà Tết từ các hợp tác xã vùng cao" in page.text
    until = timezone.localtime(campaign.expire_at).strftime("%d/%m/%Y")
    assert until in page.text


def test_rules_filter_by_stars_commune_cooperative_and_order_by_price(
    client, region_page, shop_catalogue
):
    catalogue = shop_catalogue
    thanh_tam = catalogue["rice_wine"].stockrecords.get().partner
    factories.certificate(thanh_tam, [catalogue["last_bottle"]], stars=5)
    factories.certificate(thanh_tam, [catalogue["rice_wine"]], stars=3)
    factories.certificate(thanh_tam, [catalogue["noodles"]], stars=5, status="submitted")

    def shown(**criteria):
        slug = f"rule-{CampaignPage.objects.count()}"
        campaign = add_campaign(region_page, [rule(**criteria)], slug=slug)
        return titles(client.get(campaign.url))

    assert shown(minimum_stars=4) == ["Rượu nếp cẩm men lá"]
    assert shown(minimum_stars=3) == ["Rượu nếp cẩm men lá", "Rượu men lá Bằng Phúc"]
    assert set(shown(commune="02026")) == {"Miến dong Nam Cường", "Mật ong hoa bạc hà"}
    assert set(shown(cooperative=thanh_tam.cooperative.pk)) == {
        "Rượu men lá Bằng Phúc",
        "Rượu nếp cẩm men lá",
    }
    assert shown(minimum_stars=3, ordering="price", max_products=2) == [
        "Rượu men lá Bằng Phúc",
        "Rượu nếp cẩm men lá",
    ]
    assert shown(minimum_stars=3, max_products=1) == ["Rượu nếp cẩm men lá"]
    assert shown(category=catalogue["food"].pk, commune="01933") == []


def test_strong_drinks_never_shown_and_others_only_after_the_age_gate(
    client, region_page, shop_catalogue
):
    strong = factories.product(
        "Rượu ngô Bắc Hà 40%", 150_000, 20, klass=factories.alcohol_class(), weight=None
    )
    strong.attr.abv_percent = 40.0
    strong.save()
    light = factories.product(
        "Rượu men lá 12%", 90_000, 20, klass=factories.alcohol_class(), weight=None
    )
    light.attr.abv_percent = 12.0
    light.save()
    campaign = add_campaign(region_page, [hand_picked(strong, light, shop_catalogue["noodles"])])

    assert "Rượu ngô Bắc Hà 40%" not in client.get(campaign.url).text
    assert titles(client.get(campaign.url))[0] == "Miến dong Nam Cường"
    assert "Rượu men lá 12%" not in titles(client.get(campaign.url))

    confirm_age(client)
    shown = titles(client.get(campaign.url))
    assert shown[:2] == ["Rượu men lá 12%", "Miến dong Nam Cường"]
    assert "Rượu ngô Bắc Hà 40%" not in shown


def test_the_editor_refuses_a_strong_drink_with_the_law(shop_catalogue):
    strong = factories.product(
        "Rượu ngô Bắc Hà 40%", 150_000, 20, klass=factories.alcohol_class(), weight=None
    )
    strong.attr.abv_percent = 40.0
    strong.save()

    with pytest.raises(ValidationError) as refused:
        ProductChooserBlock().clean(strong)

    assert "44/2019" in str(refused.value)
    assert "Rượu ngô Bắc Hà 40%" in str(refused.value)
    assert ProductChooserBlock().clean(shop_catalogue["noodles"]).pk == (
        shop_catalogue["noodles"].pk
    )


def test_queries_stay_the_same_as_products_grow(client, region_page, shop_catalogue):
    partner = shop_catalogue["noodles"].stockrecords.get().partner
    campaign = add_campaign(
        region_page,
        [hand_picked(shop_catalogue["noodles"]), rule(category=shop_catalogue["food"].pk)],
    )

    def queries_to_render():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(campaign.url).status_code == 200
        return len(captured)

    client.get(campaign.url)  # warm the site caches (menus)
    few = queries_to_render()
    for number in range(12):
        product = factories.product(
            f"Bánh gai {number}", 30_000, 5, partner, [shop_catalogue["food"]], image=True
        )
        factories.certificate(partner, [product], stars=4)
    client.get(campaign.url)  # the new products retired the cached menus: warm them again
    many = queries_to_render()

    # The rule's 12 newest and the hand-picked noodles.
    assert len(client.get(campaign.url).context["products"]) == 13
    assert many == few


# --- Bad input: deleted products, cooperatives and categories ------------------------------


def test_deleted_product_cooperative_and_category_never_break_the_page(
    client, region_page, shop_catalogue
):
    catalogue = shop_catalogue
    gone = factories.product(
        "Măng khô", 120_000, 10, catalogue["noodles"].stockrecords.get().partner
    )
    thanh_tam = catalogue["rice_wine"].stockrecords.get().partner.cooperative
    extra_category = factories.category("Quà Tết")
    campaign = add_campaign(
        region_page,
        [
            hand_picked(gone, catalogue["rice_wine"], catalogue["noodles"]),
            rule(cooperative=thanh_tam.pk),
            rule(category=extra_category.pk),
            {"type": "by_rule", "value": {"cooperative": "not-a-number", "max_products": "x"}},
        ],
    )
    gone.delete()
    thanh_tam.delete()
    extra_category.delete()

    page = client.get(campaign.url)

    assert page.status_code == 200
    assert titles(page) == ["Miến dong Nam Cường"]


def test_the_editor_opens_and_explains_a_campaign_whose_cooperative_is_gone(
    client, region_page, shop_catalogue
):
    admin = get_user_model().objects.create_superuser(email="admin@ocop.test", password=PASSWORD)
    noodles, rice_wine = shop_catalogue["noodles"], shop_catalogue["rice_wine"]
    nam_cuong = noodles.stockrecords.get().partner.cooperative
    campaign = add_campaign(
        region_page,
        [hand_picked(noodles, rice_wine), rule(cooperative=nam_cuong.pk)],
        layout=CampaignPage.Layout.SHOWCASE,
    )
    nam_cuong_pk = nam_cuong.pk
    nam_cuong.delete()
    noodles.delete()

    page = client.get(campaign.url)
    assert page.status_code == 200
    assert titles(page) == ["Rượu men lá Bằng Phúc"]
    assert "campaign-showcase__lead" in page.text

    client.force_login(admin)
    edit_url = reverse("wagtailadmin_pages:edit", args=(campaign.pk,))
    assert client.get(edit_url).status_code == 200
    data = form_data(action="action-save")
    data.update(
        nested_form_data(
            {
                "selection": streamfield(
                    [
                        (
                            "by_rule",
                            {
                                "category": "",
                                "minimum_stars": "",
                                "commune": "",
                                "cooperative": str(nam_cuong_pk),
                                "max_products": "12",
                                "ordering": "newest",
                            },
                        )
                    ]
                )
            }
        )
    )
    refused = client.post(edit_url, data)
    assert refused.status_code == 200
    error = refused.context["form"].errors.as_data()["selection"][0]
    message = json.dumps(error.as_json_data(), ensure_ascii=False)
    with translation.override("vi"):
        expected = str(selection_blocks.ProductRuleBlock.no_criterion_message)
    assert expected in message


def test_the_editor_previews_a_campaign_with_its_products(
    client, officer, region_page, shop_catalogue
):
    client.force_login(officer)
    preview_url = reverse(
        "wagtailadmin_pages:preview_on_add", args=("catalog", "campaignpage", region_page.pk)
    )
    data = form_data(action="action-save", products=[shop_catalogue["noodles"]])

    assert client.post(preview_url, data).json()["is_valid"] is True
    preview = client.get(preview_url)

    assert preview.status_code == 200
    assert titles(preview) == ["Miến dong Nam Cường"]


def test_the_editor_names_what_is_gone(shop_catalogue):
    with translation.override("vi"):
        with pytest.raises(ValidationError) as empty:
            ProductChooserBlock().clean(None)
        assert str(ProductChooserBlock.missing_message) in str(empty.value)

        noodles = shop_catalogue["noodles"]
        noodles.stockrecords.get().partner.cooperative.delete()
        with pytest.raises(ValidationError) as unsold:
            ProductChooserBlock().clean(noodles)
        assert "Miến dong Nam Cường" in str(unsold.value)

        # A rule whose only criterion, a cooperative, was deleted must not widen to everything.
        rule_block = selection_blocks.ProductRuleBlock()
        with pytest.raises(ValidationError) as widened:
            rule_block.clean(rule_block.to_python(rule(cooperative=987654)["value"]))
        assert widened.value.non_block_errors
        assert rule_block.clean(rule_block.to_python(rule(minimum_stars=4)["value"]))


# --- Start and end --------------------------------------------------------------------------


def test_a_live_campaign_past_its_end_says_so_and_sells_nothing(
    client, region_page, shop_catalogue
):
    campaign = add_campaign(region_page, [hand_picked(shop_catalogue["noodles"])])
    CampaignPage.objects.filter(pk=campaign.pk).update(expire_at=timezone.now() - days(0.01))

    page = client.get(campaign.url)

    assert page.status_code == 200
    assert page.context["has_ended"] is True
    assert page.context["products"] == []
    assert "Miến dong Nam Cường" not in page.text
    assert reverse("catalogue:index") in page.text


def test_scheduled_campaign_goes_live_at_its_start_and_off_at_its_end(
    client, region_page, shop_catalogue, reviewer
):
    start, end = timezone.now() + days(2), timezone.now() + days(9)
    campaign = add_campaign(
        region_page, [hand_picked(shop_catalogue["noodles"])], live=False, start=start, end=end
    )
    campaign.get_latest_revision().publish(user=reviewer)
    campaign.refresh_from_db()
    assert campaign.live is False  # approved for its start, not yet online
    assert client.get(campaign.url).status_code == 404

    # The start has come: the beat job (every minute) publishes it.
    a_moment_ago = timezone.now() - days(0.001)
    revision = campaign.get_latest_revision()
    revision.content["go_live_at"] = a_moment_ago.isoformat()
    revision.approved_go_live_at = a_moment_ago
    revision.save()
    CampaignPage.objects.filter(pk=campaign.pk).update(go_live_at=a_moment_ago)
    from catalog.tasks import publish_scheduled_pages

    publish_scheduled_pages.apply(throw=True)
    campaign.refresh_from_db()
    assert campaign.live is True
    assert titles(client.get(campaign.url)) == ["Miến dong Nam Cường"]

    # The end has come: it comes off the site.
    CampaignPage.objects.filter(pk=campaign.pk).update(expire_at=timezone.now() - days(0.001))
    call_command("publish_scheduled")
    campaign.refresh_from_db()
    assert campaign.live is False and campaign.expired is True
    assert client.get(campaign.url).status_code == 404


def test_the_beat_schedule_runs_the_publishing_job(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["publish-scheduled-pages"]
    assert entry["task"] == "catalog.tasks.publish_scheduled_pages"
    assert entry["schedule"] == 60.0


# --- The editor: dates, review, publishing --------------------------------------------------


def form_data(campaign=None, action="action-submit", products=(), start=None, end=None, **fields):
    now = timezone.localtime()
    start = now + days(1) if start is None else start
    end = now + days(20) if end is None else end
    data = nested_form_data(
        {
            "title": fields.get("title", "Giỏ quà Tết Chợ Đồn"),
            "slug": fields.get("slug", "gio-qua-tet-cho-don"),
            "tagline": "Quà Tết từ Chợ Đồn",
            "go_live_at": start.strftime("%Y-%m-%d %H:%M") if start else "",
            "expire_at": end.strftime("%Y-%m-%d %H:%M") if end else "",
            "layout": "grid",
            "show_on_home_page": "on",
            "selection": streamfield(
                [
                    (
                        "hand_picked",
                        {
                            "count": str(len(products)),
                            **{
                                str(index): {
                                    "value": str(product.pk),
                                    "deleted": "",
                                    "order": str(index),
                                    "id": "",
                                }
                                for index, product in enumerate(products)
                            },
                        },
                    )
                ]
                if products
                else []
            ),
            "body": streamfield([]),
            "comments": inline_formset([]),
        }
    )
    data[action] = "1"
    return data


def add_url(parent):
    return reverse("wagtailadmin_pages:add", args=("catalog", "campaignpage", parent.pk))


def test_end_before_start_and_missing_dates_get_clear_messages(client, officer, region_page):
    client.force_login(officer)
    now = timezone.localtime()

    backwards = client.post(add_url(region_page), form_data(start=now + days(5), end=now + days(2)))
    assert backwards.status_code == 200
    errors = backwards.context["form"].errors
    assert "expire_at" in errors and "go_live_at" not in errors
    assert "(start" in str(errors["expire_at"]) or "bắt đầu" in str(errors["expire_at"])

    undated = client.post(
        add_url(region_page), form_data(start=False, end=False, action="action-submit")
    )
    assert set(undated.context["form"].errors) >= {"go_live_at", "expire_at"}
    assert not CampaignPage.objects.exists()

    # A draft may wait for its dates.
    draft = client.post(
        add_url(region_page), form_data(start=False, end=False, action="action-save")
    )
    assert draft.status_code == 302
    assert CampaignPage.objects.get().live is False


def test_the_editor_refuses_a_strong_drink_and_a_deleted_product(
    client, officer, region_page, shop_catalogue
):
    strong = factories.product(
        "Rượu ngô Bắc Hà 40%",
        150_000,
        20,
        shop_catalogue["noodles"].stockrecords.get().partner,
        klass=factories.alcohol_class(),
        weight=None,
    )
    strong.attr.abv_percent = 40.0
    strong.save()
    client.force_login(officer)

    refused = client.post(add_url(region_page), form_data(products=[strong], action="action-save"))

    assert refused.status_code == 200
    error = refused.context["form"].errors.as_data()["selection"][0]
    message = json.dumps(error.as_json_data(), ensure_ascii=False)
    assert "Rượu ngô Bắc Hà 40%" in message and "44/2019" in message
    assert not CampaignPage.objects.exists()


def test_officers_submit_and_reviewers_publish(
    client, officer, reviewer, region_page, shop_catalogue
):
    # The officer cannot publish a new campaign, even with publish rights on the region page.
    client.force_login(officer)
    create_page = client.get(add_url(region_page))
    assert create_page.status_code == 200
    assert 'name="action-publish"' not in create_page.text
    assert workflows.CAMPAIGN_WORKFLOW in create_page.text  # "Submit to Duyệt chiến dịch"
    refused = client.post(
        add_url(region_page),
        form_data(action="action-publish", products=[shop_catalogue["noodles"]]),
    )
    assert refused.status_code in (302, 403)
    assert not CampaignPage.objects.live().exists()

    # Saved as a draft, then submitted to the campaign workflow.
    client.post(
        add_url(region_page),
        form_data(
            action="action-save",
            products=[shop_catalogue["noodles"]],
            start=timezone.localtime() - days(1),
        ),
    )
    campaign = CampaignPage.objects.get()
    edit_url = reverse("wagtailadmin_pages:edit", args=(campaign.pk,))
    edit_page = client.get(edit_url)
    assert 'name="action-publish"' not in edit_page.text
    assert workflows.CAMPAIGN_WORKFLOW in edit_page.text

    client.post(
        edit_url,
        form_data(
            action="action-publish",
            products=[shop_catalogue["noodles"]],
            start=timezone.localtime() - days(1),
        ),
    )
    assert CampaignPage.objects.get().live is False  # a publish attempt only saves a draft

    submitted = client.post(
        edit_url,
        form_data(
            action="action-submit",
            products=[shop_catalogue["noodles"]],
            start=timezone.localtime() - days(1),
        ),
    )
    assert submitted.status_code == 302
    state = WorkflowState.objects.get(object_id=str(campaign.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow == Workflow.objects.get(name=workflows.CAMPAIGN_WORKFLOW)
    assert CampaignPage.objects.get().live is False

    # The reviewer approves: the campaign is online.
    client.force_login(reviewer)
    approve_url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=(campaign.pk, "approve", state.current_task_state.pk),
    )
    approved = client.post(approve_url, {"comment": "Đạt"})
    assert approved.status_code in (200, 302)
    campaign = CampaignPage.objects.get()
    assert campaign.live is True
    assert titles(client.get(campaign.url)) == ["Miến dong Nam Cường"]

    # Officers cannot take it off either; reviewers can.
    assert campaign.permissions_for_user(officer).can_unpublish() is False
    assert campaign.permissions_for_user(reviewer).can_unpublish() is True


def test_approving_a_future_campaign_schedules_it(
    client, officer, reviewer, region_page, shop_catalogue
):
    client.force_login(officer)
    client.post(
        add_url(region_page),
        form_data(action="action-submit", products=[shop_catalogue["noodles"]]),
    )
    campaign = CampaignPage.objects.get()
    state = WorkflowState.objects.get(object_id=str(campaign.pk))

    client.force_login(reviewer)
    client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=(campaign.pk, "approve", state.current_task_state.pk),
        ),
        {"comment": ""},
    )

    campaign = CampaignPage.objects.get()
    assert campaign.live is False
    assert campaign.get_latest_revision().approved_go_live_at is not None


def test_the_campaign_workflow_installs_once():
    workflows.install_campaign_workflow()
    workflows.install_campaign_workflow()

    workflow = Workflow.objects.get(name=workflows.CAMPAIGN_WORKFLOW)
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == [workflows.REVIEWERS_GROUP]
    assert (
        Group.objects.get(name=workflows.REVIEWERS_GROUP)
        .permissions.filter(codename="access_admin")
        .exists()
    )


def test_campaigns_on_the_home_page_use_the_workflow_too(home_page):
    campaign = add_campaign(home_page, live=False)
    assert (
        Page.objects.get(pk=campaign.pk).specific.get_workflow().name == workflows.CAMPAIGN_WORKFLOW
    )


def test_the_countdown_speaks_vietnamese(client, region_page):
    add_campaign(region_page, end=timezone.now() + days(10.1))
    page = client.get("/vung/cho-don/gio-qua-tet/", headers={"accept-language": "vi"}).text
    left = BeautifulSoup(page, "html.parser").select_one(".campaign-dates__left").get_text()
    assert left == "còn 1\xa0tuần, 3\xa0ngày"
