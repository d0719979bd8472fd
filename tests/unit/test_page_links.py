"""The owner lists' page links keep the list's filter and stay valid HTML."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.utils import translation


def links(page_number, **context):
    page = Paginator(list(range(120)), 50).page(page_number)
    with translation.override("en"):
        return render_to_string(
            "oscar/dashboard/partials/page_links.html", {"page_obj": page, **context}
        )


def test_links_keep_the_filter():
    html = links(2, query="show=failed&")
    assert 'href="?show=failed&amp;page=1"' in html
    assert 'href="?show=failed&amp;page=3"' in html
    assert "Page 2 of 3" in html


def test_plain_links_without_a_filter():
    html = links(1)
    assert 'href="?page=2"' in html and "Previous" not in html


def test_nothing_for_a_single_page():
    page = Paginator([1, 2], 50).page(1)
    html = render_to_string("oscar/dashboard/partials/page_links.html", {"page_obj": page})
    assert "<nav" not in html
