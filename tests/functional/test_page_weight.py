"""A first visit on a weak phone connection: small pages, pictures fetched in the right order."""

import gzip
import re

import pytest
from django.urls import reverse

from catalog import images

pytestmark = pytest.mark.django_db


def test_pages_travel_gzipped_and_pictures_as_they_are(client, shop_catalogue):
    # Renditions are made once the upload is committed (catalog.receivers); here, at once.
    images.make_renditions(shop_catalogue["rice_wine"].primary_image().original.name)
    page = client.get(reverse("catalogue:index"), HTTP_ACCEPT_ENCODING="gzip, br")
    assert page["Content-Encoding"] == "gzip"
    html = gzip.decompress(page.content).decode()
    assert "Rượu men lá Bằng Phúc" in html
    assert len(page.content) < len(html.encode()) / 3

    picture_url = re.search(r'srcset="([^" ]+\.webp) 160w', html).group(1)
    picture = client.get(picture_url, HTTP_ACCEPT_ENCODING="gzip, br")
    assert picture.status_code == 200 and picture["Content-Type"] == "image/webp"
    assert not picture.has_header("Content-Encoding")
    assert "max-age=86400" in picture["Cache-Control"]


def test_the_first_cards_pictures_come_first_the_rest_when_scrolled_to(client, shop_catalogue):
    html = client.get(reverse("catalogue:index")).text
    pictures = re.findall(r"<img [^>]*>", html.split('class="product-grid"')[1])
    assert len(pictures) == 4
    for eager in pictures[:2]:
        assert 'fetchpriority="high"' in eager and "loading=" not in eager
    for later in pictures[2:]:
        assert 'loading="lazy"' in later and "fetchpriority" not in later
    # Card titles (h3) sit under a heading of the listing, for screen readers' outline.
    assert html.index('<h2 class="visually-hidden">Sản phẩm</h2>') < html.index("<h3")


def test_a_product_pages_photo_is_fetched_first(client, shop_catalogue):
    html = client.get(shop_catalogue["rice_wine"].get_absolute_url()).text
    photo = re.search(r"<img [^>]*\.webp 640w[^>]*>", html).group(0)
    assert 'fetchpriority="high"' in photo and "loading=" not in photo
    assert 'width="320" height="320"' in photo
