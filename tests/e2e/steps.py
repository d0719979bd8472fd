"""Steps that several browser journeys share."""


def enter_guest_details(page, email="khach@example.com"):
    """From the basket: a guest's e-mail, then a Vietnamese address, up to the payment step.

    The commune list arrives after the province is chosen, without reloading the page.
    """
    from playwright.sync_api import expect

    page.get_by_role("link", name="Tiến hành đặt hàng").click()
    page.fill("input[name=username]", email)
    page.get_by_role("button", name="Tiếp tục").click()
    page.fill("input[name=first_name]", "Nguyễn Văn An")
    page.fill("input[name=phone_number]", "0912 345 678")
    page.select_option("select[name=province]", "19")
    expect(page.locator("select[name=commune] option[value='01933']")).to_have_count(1)
    page.select_option("select[name=commune]", "01933")
    page.fill("input[name=line1]", "Thôn Nà Pài")
    page.get_by_role("button", name="Tiếp tục đến bước thanh toán").click()
    # Delivery: the sandbox courier's services, each priced parcel by parcel; the first is chosen.
    expect(page.locator("input[name=method_code]").first).to_be_checked()
    expect(page.locator("[data-parcel]").first).to_be_visible()
    page.locator("form[action$='/shipping-method/'] button[type=submit]").click()


def place_order(page):
    """The review step: tick the privacy notice's box (never ticked for you), then order."""
    from playwright.sync_api import expect

    consent = page.locator("#privacy-consent")
    expect(consent).not_to_be_checked()
    consent.check()
    page.get_by_role("button", name="Đặt hàng").click()
