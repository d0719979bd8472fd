"""A commerce officer onboards a cooperative in the Wagtail admin; its owner accepts the
invitation by choosing a password, and lands in the dashboard."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from oscar.apps.partner.models import Partner

from cooperatives.invitations import InvitationRefused, invite
from cooperatives.models import Cooperative
from cooperatives.roles import install_officer_group
from tests import factories

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/cooperatives/new/"
LINK = re.compile(r"https?://[^/\s]+(/hop-tac-xa/loi-moi/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def officer(db):
    """An officer whose region holds every commune these tests use."""
    return factories.officer(
        "canbo@cho-ocop.test", ["01933", "02020", "02026", "00004"], first_name="Cán bộ"
    )


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def form_data(**overrides):
    data = {
        "legal_name": "HTX Mật ong Bạch Thông",
        "short_name": "",
        "slug": "",
        "legal_form": "htx",
        "registration_number": "4701234567",
        "owner_email": "Chu.HTX@Example.VN",
        "province": "19",
        "commune_code": "01933",
        "street_address": "Thôn Nà Pài",
        "former_locality": "xã Bằng Phúc, huyện Chợ Đồn",
        "phone_number": "0912 345 678",
        "email": "",
        "bank_bin": "970405",
        "bank_account_number": "",
        "bank_account_holder": "",
        "story": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def create(client, capture, **overrides):
    with capture(execute=True):
        return client.post(ADD_URL, form_data(**overrides))


def invitation_path(message) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def test_officer_creates_a_cooperative_with_its_partner_and_invites_the_owner(
    officer_client, officer, django_capture_on_commit_callbacks
):
    assert officer_client.get(ADD_URL).status_code == 200

    response = create(officer_client, django_capture_on_commit_callbacks)

    assert response.status_code == 302, response.context["form"].errors
    cooperative = Cooperative.objects.get()
    assert cooperative.slug == "htx-mat-ong-bach-thong"
    assert cooperative.name == "HTX Mật ong Bạch Thông"
    assert str(cooperative.phone_number) == "+84912345678"
    assert cooperative.commune_code == "01933"
    assert cooperative.bank_bin == "970405"
    # The Oscar partner: same name, a unique code from the slug.
    partner = cooperative.partner
    assert partner.name == cooperative.name
    assert partner.code == "htx-mat-ong-bach-thong"
    # The owner: a new account without a usable password, a member with dashboard access.
    owner = cooperative.owner
    assert owner.email == "Chu.HTX@example.vn"
    assert not owner.has_usable_password()
    assert not owner.is_staff
    assert list(partner.users.all()) == [owner]
    assert owner.has_perm("partner.dashboard_access")
    assert not owner.has_perm("wagtailadmin.access_admin")
    # One e-mail, to the owner, with a text and an HTML part carrying the same link.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Chu.HTX@example.vn"]
    assert "HTX Mật ong Bạch Thông" in message.subject
    html = message.alternatives[0][0]
    assert invitation_path(message) in html


def test_the_owner_sets_a_password_once_and_lands_in_the_dashboard(
    client, officer_client, django_capture_on_commit_callbacks
):
    create(officer_client, django_capture_on_commit_callbacks)
    owner = Cooperative.objects.get().owner
    link = invitation_path(mail.outbox[0])
    officer_client.logout()

    # The token leaves the address bar (no Referer leak): the page lives at .../set-password/.
    response = client.get(link)
    assert response.status_code == 302
    form_url = response["Location"]
    assert form_url.endswith("/set-password/")
    page = client.get(form_url)
    assert page.status_code == 200
    assert 'data-invitation="valid"' in page.text
    assert "HTX Mật ong Bạch Thông" in page.text
    assert 'class="site-header"' in page.text  # the shop's own look

    # Passwords that do not match are refused.
    response = client.post(
        form_url, {"new_password1": "Mat-ong-2026!", "new_password2": "something-else-99"}
    )
    assert response.status_code == 200
    owner.refresh_from_db()
    assert not owner.has_usable_password()

    response = client.post(
        form_url, {"new_password1": "Mat-ong-2026!", "new_password2": "Mat-ong-2026!"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/shop/dashboard/"
    owner.refresh_from_db()
    assert owner.check_password("Mat-ong-2026!")
    assert int(client.session["_auth_user_id"]) == owner.pk
    assert client.get("/shop/dashboard/").status_code == 200

    # The link works once.
    client.logout()
    again = client.get(link)
    assert again.status_code == 200
    assert 'data-invitation="invalid"' in again.text
    assert "/shop/accounts/login/" in again.text
    # And the owner logs in with the chosen password.
    assert client.login(username="chu.htx@example.vn", password="Mat-ong-2026!")


@pytest.mark.parametrize(
    "path",
    [
        "/hop-tac-xa/loi-moi/MQ/forged-token/",
        "/hop-tac-xa/loi-moi/not-base64!/abc-def/",
        "/hop-tac-xa/loi-moi/OTk5OTk5/c5v1ab-0123456789abcdef0123456789abcdef/",
        "/hop-tac-xa/loi-moi/MQ/set-password/",
    ],
)
def test_forged_or_unknown_links_get_a_clear_page(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert 'data-invitation="invalid"' in response.text
    assert response.context["form"] is None


def test_a_forged_token_for_a_real_owner_is_refused(
    client, officer_client, django_capture_on_commit_callbacks
):
    create(officer_client, django_capture_on_commit_callbacks)
    link = invitation_path(mail.outbox[0])
    uidb64 = link.split("/")[3]
    officer_client.logout()
    response = client.get(f"/hop-tac-xa/loi-moi/{uidb64}/c5v1ab-0123456789abcdef0123456789ab/")
    assert 'data-invitation="invalid"' in response.text
    # Going to the form address directly, without the token in the session, is refused too.
    response = client.get(f"/hop-tac-xa/loi-moi/{uidb64}/set-password/")
    assert 'data-invitation="invalid"' in response.text


def test_password_reset_links_of_shoppers_do_not_open_the_invitation_page(client):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    shopper = get_user_model().objects.create_user(email="khach@example.com", password="x-123456")
    uidb64 = urlsafe_base64_encode(force_bytes(shopper.pk))
    token = default_token_generator.make_token(shopper)
    response = client.get(f"/hop-tac-xa/loi-moi/{uidb64}/{token}/")
    assert 'data-invitation="invalid"' in response.text


@pytest.mark.parametrize("kind", ["staff", "superuser", "officer"])
def test_staff_and_officer_addresses_cannot_become_owners(
    officer_client, officer, django_capture_on_commit_callbacks, kind
):
    users = get_user_model().objects
    if kind == "staff":
        user = users.create_user(email="nhanvien@cho-ocop.test", password="x")
        user.is_staff = True
        user.save()
    elif kind == "superuser":
        users.create_superuser(email="nhanvien@cho-ocop.test", password="x")
    else:
        users.create_user(email="nhanvien@cho-ocop.test", password="x").groups.add(
            install_officer_group()
        )

    response = create(
        officer_client, django_capture_on_commit_callbacks, owner_email="NhanVien@cho-ocop.test"
    )

    assert response.status_code == 200
    assert "owner_email" in response.context["form"].errors
    assert not Cooperative.objects.exists()
    assert not Partner.objects.exists()
    assert mail.outbox == []


def test_a_member_of_another_cooperative_is_refused(
    officer_client, django_capture_on_commit_callbacks
):
    other = factories.cooperative("HTX Chè Shan tuyết Chợ Đồn", "02020")
    factories.owner(other, email="chesan@htx.test")

    response = create(
        officer_client, django_capture_on_commit_callbacks, owner_email="chesan@htx.test"
    )

    assert "owner_email" in response.context["form"].errors
    assert Cooperative.objects.count() == 1
    assert mail.outbox == []


def test_a_commune_outside_the_chosen_province_is_refused(
    officer_client, django_capture_on_commit_callbacks
):
    response = create(officer_client, django_capture_on_commit_callbacks, province="01")
    assert "commune_code" in response.context["form"].errors
    # The form shows the communes of the province that was chosen.
    choices = dict(response.context["form"].fields["commune_code"].choices)
    assert "00004" in choices and "01933" not in choices
    assert not Cooperative.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"phone_number": "12345"},
        {"legal_name": ""},
        {"owner_email": "not-an-address"},
        {"province": "", "commune_code": ""},
        {"commune_code": "<script>"},
        {"bank_bin": "999999"},
        {"legal_form": "x" * 500},
    ],
)
def test_bad_input_gives_form_errors_not_500(
    officer_client, django_capture_on_commit_callbacks, overrides
):
    response = create(officer_client, django_capture_on_commit_callbacks, **overrides)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Cooperative.objects.exists()


def test_slugs_and_partner_codes_stay_unique(officer_client, django_capture_on_commit_callbacks):
    Partner.objects.create(name="Taken", code="htx-mat-ong-bach-thong")
    create(officer_client, django_capture_on_commit_callbacks)
    create(
        officer_client,
        django_capture_on_commit_callbacks,
        owner_email="second@example.vn",
    )
    slugs = sorted(Cooperative.objects.values_list("slug", flat=True))
    assert slugs == ["htx-mat-ong-bach-thong", "htx-mat-ong-bach-thong-2"]
    codes = set(Partner.objects.values_list("code", flat=True))
    assert len(codes) == 3


def test_officer_list_search_and_filters(officer_client):
    factories.cooperative("HTX rượu men lá Thanh Tâm", "01933")
    factories.cooperative("HTX Miến dong Nam Cường", "02026")
    hanoi = factories.cooperative("HTX Gốm Bát Tràng", "00004")
    Cooperative.objects.filter(pk=hanoi.cooperative.pk).update(is_verified=True)

    def names(query):
        response = officer_client.get("/admin/cooperatives/", query)
        assert response.status_code == 200
        return sorted(item.legal_name for item in response.context["object_list"])

    assert len(names({})) == 3
    assert names({"q": "Nam Cường"}) == ["HTX Miến dong Nam Cường"]
    assert names({"province": "01"}) == ["HTX Gốm Bát Tràng"]
    assert names({"commune_code": "02026"}) == ["HTX Miến dong Nam Cường"]
    assert names({"is_verified": "true"}) == ["HTX Gốm Bát Tràng"]
    assert len(names({"is_verified": "false"})) == 2
    names({"province": "zz", "is_verified": "maybe"})  # unknown choices: no 500


def test_officer_edits_a_cooperative_and_re_sends_the_invitation(
    officer_client, django_capture_on_commit_callbacks
):
    create(officer_client, django_capture_on_commit_callbacks)
    cooperative = Cooperative.objects.get()
    first_link = invitation_path(mail.outbox[0])

    edit_url = f"/admin/cooperatives/edit/{cooperative.pk}/"
    page = officer_client.get(edit_url)
    assert page.status_code == 200
    assert page.context["form"]["province"].value() == "19"
    assert page.context["form"]["phone_number"].value() == "0912 345 678"
    data = form_data(short_name="HTX Bạch Thông", owner=str(cooperative.owner_id))
    del data["owner_email"]
    response = officer_client.post(edit_url, data)
    assert response.status_code == 302, response.context["form"].errors
    cooperative.refresh_from_db()
    assert cooperative.name == "HTX Bạch Thông"
    assert cooperative.partner.name == "HTX Bạch Thông"

    invite_url = f"/admin/cooperatives/invite/{cooperative.pk}/"
    page = officer_client.get(invite_url)
    assert page.status_code == 200
    assert page.context["form"]["email"].value() == cooperative.owner.email
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(invite_url, {"email": cooperative.owner.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == [cooperative.owner.email]
    # Still one member, still the owner; the new link works.
    assert cooperative.partner.users.count() == 1
    assert invitation_path(mail.outbox[1]).split("/")[3] == first_link.split("/")[3]

    # A staff address is refused here too, with the reason on the page.
    boss = get_user_model().objects.create_user(email="boss@cho-ocop.test", password="x")
    boss.is_staff = True
    boss.save()
    response = officer_client.post(invite_url, {"email": "boss@cho-ocop.test"})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]


def test_invite_adds_staff_members_without_changing_the_owner(django_capture_on_commit_callbacks):
    partner = factories.cooperative()
    owner = factories.owner(partner)
    with django_capture_on_commit_callbacks(execute=True):
        member = invite(partner.cooperative, "thu.ky@htx.test", invited_by=owner)
    partner.cooperative.refresh_from_db()
    assert partner.cooperative.owner == owner
    assert set(partner.users.all()) == {owner, member}
    assert member.has_perm("partner.dashboard_access")
    assert len(mail.outbox) == 1
    # The inviter is named in the e-mail.
    assert owner.email in mail.outbox[0].body
    with pytest.raises(InvitationRefused):
        invite(partner.cooperative, "bad address", invited_by=owner)


def test_officers_group_has_the_admin_permissions():
    group = install_officer_group()
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {
        "access_admin",
        "add_cooperative",
        "change_cooperative",
        "change_ocopcertificate",
    } <= codenames
    assert "delete_cooperative" not in codenames


def test_owners_and_anonymous_users_cannot_reach_the_cooperative_admin(client):
    partner = factories.cooperative()
    owner = factories.owner(partner)
    for url in ("/admin/", "/admin/cooperatives/", ADD_URL):
        assert client.get(url).status_code == 302
    client.force_login(owner)
    for url in (
        "/admin/cooperatives/",
        ADD_URL,
        f"/admin/cooperatives/invite/{partner.cooperative.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    response = client.post(ADD_URL, form_data())
    assert Cooperative.objects.count() == 1
