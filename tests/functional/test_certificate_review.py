"""Commerce officers verify or reject OCOP certificates in the Wagtail admin; the star badge
(`OcopCertificate.objects.in_force()`) follows their decisions and the end of validity."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.utils import timezone

from catalog import review
from catalog.models import OcopCertificate
from cooperatives.roles import install_officer_group
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def officer(db):
    return factories.officer("canbo@cho-ocop.test", ["01933", "02026"])


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def partner(db):
    return factories.cooperative("HTX rượu men lá Thanh Tâm", "01933")


@pytest.fixture
def submitted(partner):
    wine = factories.product("Rượu men lá Bằng Phúc", 120_000, 10, partner)
    return factories.certificate(partner, [wine], stars=None, status="submitted")


def urls(certificate):
    pk = certificate.pk
    return {
        "edit": f"/admin/ocop-certificates/edit/{pk}/",
        "verify": f"/admin/ocop-certificates/verify/{pk}/",
        "reject": f"/admin/ocop-certificates/reject/{pk}/",
    }


def in_force():
    return set(OcopCertificate.objects.in_force())


def test_officer_sees_the_scan_and_verifies_with_the_stars(officer_client, officer, submitted):
    page = officer_client.get(urls(submitted)["edit"])
    assert page.status_code == 200
    assert submitted.document.url in page.text
    assert urls(submitted)["verify"] in page.text and urls(submitted)["reject"] in page.text
    assert "data-certificate-preview" not in page.text  # a PDF: a link, no inline picture

    page = officer_client.get(urls(submitted)["verify"])
    assert page.status_code == 200
    assert submitted.document.url in page.text

    # Without the stars nothing changes.
    response = officer_client.post(urls(submitted)["verify"], {})
    assert response.status_code == 200
    assert response.context["form"].errors["stars"]
    submitted.refresh_from_db()
    assert submitted.status == "submitted" and submitted.stars is None
    assert in_force() == set()

    response = officer_client.post(urls(submitted)["verify"], {"stars": "4"})
    assert response.status_code == 302
    assert response["Location"] == urls(submitted)["edit"]
    submitted.refresh_from_db()
    assert submitted.status == "verified"
    assert submitted.stars == 4
    assert submitted.level == "provincial"
    assert submitted.reviewed_by == officer
    assert submitted.reviewed_at is not None
    assert in_force() == {submitted}
    # The decision is in the object's history.
    history = officer_client.get(f"/admin/ocop-certificates/history/{submitted.pk}/")
    assert history.status_code == 200


def test_five_stars_are_national(officer_client, submitted):
    officer_client.post(urls(submitted)["verify"], {"stars": "5"})
    submitted.refresh_from_db()
    assert (submitted.stars, submitted.level, submitted.status) == (5, "national", "verified")


@pytest.mark.parametrize("stars", ["2", "6", "abc", "", "4.5"])
def test_other_star_values_are_refused(officer_client, submitted, stars):
    response = officer_client.post(urls(submitted)["verify"], {"stars": stars})
    assert response.status_code == 200
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_image_scans_are_previewed(officer_client, partner):
    certificate = factories.certificate(partner, stars=None, status="submitted")
    certificate.document.save("scan.jpg", ContentFile(factories.jpeg_bytes(size=(400, 300))))
    page = officer_client.get(urls(certificate)["edit"])
    assert "data-certificate-preview" in page.text
    assert certificate.document.url in page.text


def test_reject_needs_a_reason_and_removes_the_badge(officer_client, officer, partner):
    certificate = factories.certificate(partner)  # verified, in force
    assert in_force() == {certificate}

    response = officer_client.post(urls(certificate)["reject"], {"reason": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    certificate.refresh_from_db()
    assert certificate.status == "verified"

    response = officer_client.post(
        urls(certificate)["reject"], {"reason": "Bản chụp không đọc được số quyết định."}
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "rejected"
    assert certificate.rejection_reason == "Bản chụp không đọc được số quyết định."
    assert certificate.reviewed_by == officer
    assert in_force() == set()
    # Shown with the certificate afterwards.
    assert (
        "Bản chụp không đọc được số quyết định."
        in officer_client.get(urls(certificate)["edit"]).text
    )


def test_a_rejected_certificate_can_be_verified_after_a_second_look(officer_client, partner):
    certificate = factories.certificate(partner, stars=None, status="rejected")
    officer_client.post(urls(certificate)["verify"], {"stars": "3"})
    certificate.refresh_from_db()
    assert certificate.status == "verified" and certificate.rejection_reason == ""
    assert in_force() == {certificate}


def test_an_ended_certificate_cannot_be_verified(officer_client, partner):
    certificate = factories.certificate(
        partner,
        stars=None,
        status="submitted",
        signed_on=TODAY() - datetime.timedelta(days=1200),
        valid_until=TODAY() - datetime.timedelta(days=5),
    )
    response = officer_client.post(urls(certificate)["verify"], {"stars": "4"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    certificate.refresh_from_db()
    assert certificate.status == "submitted"


def test_members_of_the_cooperative_cannot_review_its_certificates(partner, submitted):
    insider = factories.owner(partner)
    insider.groups.add(install_officer_group())  # even with the officers' permissions
    with pytest.raises(review.ReviewRefused):
        review.verify(submitted, stars=5, by=insider)
    with pytest.raises(review.ReviewRefused):
        review.verify(submitted, stars=5, by=None)
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_badge_follows_verification_rejection_and_expiry(officer, partner):
    today = TODAY()
    certificate = factories.certificate(
        partner,
        stars=None,
        status="submitted",
        signed_on=today - datetime.timedelta(days=400),
        valid_until=today + datetime.timedelta(days=10),
    )
    assert in_force() == set()
    review.verify(certificate, stars=4, by=officer)
    assert in_force() == {certificate}
    # The day after its end it stops counting, whatever the daily task has done.
    assert set(OcopCertificate.objects.in_force(on=today + datetime.timedelta(days=11))) == set()
    review.reject(certificate, reason="Sai sản phẩm", by=officer)
    assert in_force() == set()
    review.verify(certificate, stars=4, by=officer)
    assert in_force() == {certificate}


def test_owners_never_reach_the_wagtail_admin(client, partner, submitted):
    owner = factories.owner(partner)
    client.force_login(owner)
    for url in ["/admin/", "/admin/ocop-certificates/", *urls(submitted).values()]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url
    client.post(urls(submitted)["verify"], {"stars": "5"})
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_admin_users_without_the_certificate_permission_cannot_review(client, submitted):
    editor = get_user_model().objects.create_user(email="bientap@cho-ocop.test", password="x")
    editor.user_permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
    )
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
    # Wagtail answers "permission denied" by sending them back to the admin home.
    for response in (
        client.get(urls(submitted)["verify"]),
        client.post(urls(submitted)["verify"], {"stars": "5"}),
        client.post(urls(submitted)["reject"], {"reason": "x"}),
        client.get("/admin/ocop-certificates/"),
    ):
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    # And their admin home has no certificate panel.
    assert 'data-panel="ocop-certificates"' not in client.get("/admin/").text


def test_list_filters(officer_client, partner):
    today = TODAY()
    waiting = factories.certificate(partner, stars=None, status="submitted", number="1/QĐ")
    ending = factories.certificate(
        partner, stars=5, valid_until=today + datetime.timedelta(days=60), number="2/QĐ"
    )
    later = factories.certificate(
        partner, stars=3, valid_until=today + datetime.timedelta(days=400), number="3/QĐ"
    )
    other = factories.certificate(
        factories.cooperative("HTX Miến dong Nam Cường", "02026"), stars=4, number="4/QĐ"
    )

    def listed(query):
        response = officer_client.get("/admin/ocop-certificates/", query)
        assert response.status_code == 200
        return {item.decision_number for item in response.context["object_list"]}

    assert listed({}) == {"1/QĐ", "2/QĐ", "3/QĐ", "4/QĐ"}
    assert listed({"status": "submitted"}) == {waiting.decision_number}
    assert listed({"stars": "5"}) == {ending.decision_number}
    assert listed({"expiring": "true"}) == {ending.decision_number}
    assert listed({"cooperative": other.cooperative_id}) == {"4/QĐ"}
    assert later.decision_number in listed({"q": "3/QĐ"})
    # Nonsense filters: no 500.
    listed({"stars": "x", "status": "nope", "cooperative": "abc", "expiring": "maybe"})
    # No "add" here: owners submit from their dashboard.
    assert officer_client.get("/admin/ocop-certificates/new/").status_code == 404


def test_officer_corrects_the_details_and_the_notices_start_again(officer_client, partner):
    certificate = factories.certificate(partner)
    OcopCertificate.objects.filter(pk=certificate.pk).update(last_expiry_notice=90)
    data = {
        "decision_number": "999/QĐ-UBND",
        "issuing_authority": "UBND tỉnh Thái Nguyên",
        "authority_type": "provincial_pc",
        "signed_on": certificate.signed_on.isoformat(),
        "valid_until": (certificate.valid_until + datetime.timedelta(days=30)).isoformat(),
        "product_name_certified": "Rượu men lá",
    }
    response = officer_client.post(urls(certificate)["edit"], data)
    assert response.status_code == 302, response.context["form"].errors
    certificate.refresh_from_db()
    assert certificate.decision_number == "999/QĐ-UBND"
    assert certificate.last_expiry_notice is None
    assert certificate.status == "verified"  # stars and status change only through review


def test_admin_home_lists_waiting_and_ending_certificates(officer_client, partner, submitted):
    ending = factories.certificate(
        partner, stars=4, valid_until=TODAY() + datetime.timedelta(days=45), number="88/QĐ"
    )
    factories.certificate(partner, stars=4, number="77/QĐ")  # ends in years: not listed
    page = officer_client.get("/admin/")
    assert page.status_code == 200
    assert 'data-panel="ocop-certificates"' in page.text
    assert urls(submitted)["verify"] in page.text
    assert urls(ending)["edit"] in page.text
    assert "77/QĐ" not in page.text
