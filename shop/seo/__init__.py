"""What search engines and chat apps read: the sitemap, robots.txt, Open Graph tags, JSON-LD.

- `sitemaps`: /sitemap.xml (an index) and one sitemap per section (pages, products,
  cooperatives, categories), each in a constant number of queries.
- `views`: those two addresses and /robots.txt.
- `sharing`: the title, description, picture and schema.org data of a shared link, for product,
  cooperative and Wagtail pages; `templatetags.seo_tags` puts them in <head>.
"""
