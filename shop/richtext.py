"""Rich text that untrusted users write (product descriptions, cooperative stories), made safe.

Cooperative owners edit HTML in the dashboard; what they write is shown to every shopper. Only a
small set of tags survives `sanitize_html`; links keep an http(s) or mailto address and get
`rel="nofollow noopener"`. Pictures are not allowed inline: they come through photo galleries,
whose files are checked by `shop.uploads`.
"""

from __future__ import annotations

import nh3
from django import forms

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "ul",
        "ol",
        "li",
        "h2",
        "h3",
        "h4",
        "blockquote",
        "a",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener"
# Removed with everything inside them (the other tags not allowed lose the tag, keep the text).
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "template", "iframe", "object", "embed", "noscript", "svg", "math"}
)


def _keep_absolute_links(tag: str, attribute: str, value: str) -> str | None:
    """Only absolute http(s) and mailto links: no relative, protocol-relative or fragment hrefs."""
    if tag == "a" and attribute == "href":
        lowered = value.strip().lower()
        if not lowered.startswith(("http://", "https://", "mailto:")):
            return None
    return value


_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    attribute_filter=_keep_absolute_links,
    url_schemes=set(URL_SCHEMES),
    link_rel=LINK_REL,
    strip_comments=True,
)


def sanitize_html(html: object) -> str:
    """The HTML with only the allowed tags and attributes left; "" for None or empty input."""
    if html is None:
        return ""
    text = str(html)
    if not text.strip():
        return ""
    return _cleaner.clean(text)


class SanitizedHTMLField(forms.CharField):
    """A form field whose cleaned value is `sanitize_html` of what was typed.

    Sanitising happens in `to_python`, so `max_length` and other validators see the stored value.
    """

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return sanitize_html(value)
