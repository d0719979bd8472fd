"""Search that fits Vietnamese: diacritics and case optional, every word counts, titles first.

The database search runs on SQLite and PostgreSQL alike. The Elasticsearch path cannot run here
(no engine on this machine): it is tested down to the client's `search` call, with a fake that
answers as Elasticsearch 7 would, and its settings switch in a fresh process.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.apps.partner.models import StockRecord

from shop.apps.search import database, engine
from shop.apps.search.config import haystack_connection
from shop.apps.search.models import ProductSearchText
from tests import factories

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SEARCH = reverse("search:search")


def found(client, query, **params):
    response = client.get(SEARCH, {"q": query, **params})
    assert response.status_code == 200
    return [product.title for product in response.context["products"]]


# --- Vietnamese ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["ruou men la", "Rượu men lá", "RƯỢU MEN LÁ", "rượu men la", "Ruou Men La", " ruou  men  la "],
)
def test_diacritics_and_case_are_optional(client, shop_catalogue, query):
    assert set(found(client, query)) == {"Rượu men lá Bằng Phúc", "Rượu nếp cẩm men lá"}


@pytest.mark.parametrize("query", ["mien dong", "Miến dong", "MIẾN DONG"])
def test_noodles_are_found_with_or_without_marks(client, shop_catalogue, query):
    # Its cooperative is "HTX Miến dong Nam Cường": the honey it sells comes second.
    assert found(client, query) == ["Miến dong Nam Cường", "Mật ong hoa bạc hà"]


@pytest.mark.parametrize("query", ["HTX Thanh Tam", "htx thanh tâm", "Thanh Tâm"])
def test_cooperative_name_finds_its_products(client, shop_catalogue, query):
    assert set(found(client, query)) == {"Rượu men lá Bằng Phúc", "Rượu nếp cẩm men lá"}


def test_d_with_stroke_is_d(client, home_page):
    factories.product("Đậu đỏ Đồng Phúc")
    for query in ("dau do dong phuc", "Đậu đỏ", "ĐỒNG PHÚC", "đong phuc"):
        assert found(client, query) == ["Đậu đỏ Đồng Phúc"], query


def test_category_and_its_parent_find_products(client, shop_catalogue):
    wines = {"Rượu men lá Bằng Phúc", "Rượu nếp cẩm men lá"}
    assert set(found(client, "do uong")) == wines  # the parent group of "Rượu truyền thống"
    assert set(found(client, "truyen thong")) == wines
    assert set(found(client, "thuc pham")) == {"Miến dong Nam Cường", "Mật ong hoa bạc hà"}


def test_upc_and_description_are_searched(client, shop_catalogue):
    noodles = shop_catalogue["noodles"]
    assert found(client, noodles.upc) == [noodles.title]
    noodles.description = "<p>Làm từ <strong>củ dong riềng</strong> Bắc Kạn</p>"
    noodles.save()
    assert found(client, "cu dong rieng") == [noodles.title]
    assert found(client, "strong") == []  # markup is not text


def test_words_match_from_their_beginning(client, shop_catalogue):
    assert set(found(client, "ruo")) == {"Rượu men lá Bằng Phúc", "Rượu nếp cẩm men lá"}
    assert found(client, "uou") == []


# --- Every word, and ranking --------------------------------------------------------------


def test_every_word_must_match_somewhere(client, shop_catalogue):
    assert found(client, "ruou nep") == ["Rượu nếp cẩm men lá"]
    assert found(client, "ruou mien") == []
    # Words may match in different places: "men" in the title, "thanh tam" the cooperative.
    assert set(found(client, "men thanh tam")) == {"Rượu men lá Bằng Phúc", "Rượu nếp cẩm men lá"}
    assert found(client, "men nam cuong") == []


def describe(product, html):
    product.description = html
    product.save()
    return product


def test_title_beats_description_beats_cooperative_and_category_then_newest(client, home_page):
    ginger_coop = factories.cooperative("HTX Gừng Quảng Bạch")
    group = factories.category("Gia vị")
    in_title_old = factories.product("Gừng sấy dẻo")
    in_title_new = factories.product("Mứt gừng non")
    in_body = describe(factories.product("Trà túi lọc"), "<p>Trà pha gừng tươi</p>")
    in_coop = factories.product("Trà hoa vàng", partner=ginger_coop)
    factories.product("Muối ớt", categories=[factories.category("Gừng", parent=group)])
    # Newest last, so that recency alone would give the reverse order.
    assert found(client, "gung") == [
        in_title_new.title,
        in_title_old.title,
        in_body.title,
        "Muối ớt",
        in_coop.title,
    ]


def test_more_words_in_the_title_rank_higher(client, home_page):
    both = factories.product("Trà gừng mật ong")
    one = describe(factories.product("Trà túi lọc gừng"), "<p>Có mật ong rừng</p>")
    assert found(client, "mat ong gung") == [both.title, one.title]


# --- Kept in step with the catalogue ------------------------------------------------------


def test_renamed_cooperative_is_found_by_its_new_name(client, shop_catalogue):
    partner = shop_catalogue["rice_wine"].stockrecords.get().partner
    partner.name = "HTX Suối Ngàn"
    partner.save()
    assert set(found(client, "suoi ngan")) == {"Rượu men lá Bằng Phúc", "Rượu nếp cẩm men lá"}


def test_cooperative_legal_name_is_searched_and_kept_up_to_date(client, shop_catalogue):
    cooperative = shop_catalogue["noodles"].stockrecords.get().partner.cooperative
    cooperative.legal_name = "Hợp tác xã Nông sản Bắc Kạn"
    cooperative.save()
    assert set(found(client, "nong san bac kan")) == {"Miến dong Nam Cường", "Mật ong hoa bạc hà"}


def test_renamed_category_is_found_by_its_new_name(client, shop_catalogue):
    drinks = shop_catalogue["drinks"]
    drinks.name = "Thức uống"
    drinks.save()
    assert set(found(client, "thuc uong")) == {"Rượu men lá Bằng Phúc", "Rượu nếp cẩm men lá"}
    assert found(client, "do uong") == []


def test_product_retitled_and_filed_through_the_m2m(client, shop_catalogue):
    honey = shop_catalogue["sold_out"]
    honey.title = "Mật ong bạc hà Mèo Vạc"
    honey.save()
    assert found(client, "meo vac") == [honey.title]
    honey.categories.add(shop_catalogue["drinks"])
    assert honey.title in found(client, "do uong")
    honey.categories.remove(shop_catalogue["drinks"])
    assert honey.title not in found(client, "do uong")


def test_stock_at_another_cooperative_and_its_removal(client, shop_catalogue):
    noodles = shop_catalogue["noodles"]
    thanh_tam = shop_catalogue["rice_wine"].stockrecords.get().partner
    record = StockRecord.objects.create(
        product=noodles, partner=thanh_tam, partner_sku="TT-MIEN", price=70_000, num_in_stock=3
    )
    assert noodles.title in found(client, "thanh tam")
    record.delete()
    assert noodles.title not in found(client, "thanh tam")


def test_a_stock_level_change_costs_no_search_work(shop_catalogue):
    record = shop_catalogue["noodles"].stockrecords.get()
    record.num_in_stock = 79
    with CaptureQueriesContext(connection) as captured:
        record.save()
    assert not [q["sql"] for q in captured if "search_productsearchtext" in q["sql"]]


def test_deleting_products_categories_and_cooperatives(client, shop_catalogue):
    shop_catalogue["last_bottle"].delete()
    assert found(client, "men la") == ["Rượu men lá Bằng Phúc"]
    shop_catalogue["wine"].delete()
    assert found(client, "truyen thong") == []
    assert found(client, "men la") == ["Rượu men lá Bằng Phúc"]
    assert ProductSearchText.objects.count() == 3


def test_rebuild_command_repairs_the_search_text(client, shop_catalogue):
    from django.core.management import call_command

    ProductSearchText.objects.all().delete()
    assert found(client, "mien dong") == []
    call_command("rebuild_search_text", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert found(client, "mien dong") == ["Miến dong Nam Cường", "Mật ong hoa bạc hà"]


def test_migration_fills_the_search_text_of_existing_products(client, shop_catalogue):
    """The data migration runs `refresh` on historical models: products that predate it."""
    from django.db.migrations.loader import MigrationLoader

    from shop.apps.search.documents import refresh

    ProductSearchText.objects.all().delete()
    state = MigrationLoader(connection).project_state(("search", "0002_fill_search_text"))
    assert refresh(apps=state.apps, notify_engine=False) == 4
    assert set(found(client, "do uong")) == {"Rượu men lá Bằng Phúc", "Rượu nếp cẩm men lá"}
    assert found(client, "HTX Thanh Tam")


# --- Bad input ----------------------------------------------------------------------------

BAD = [
    "",
    "   ",
    "' OR 1=1 --",
    "'; DROP TABLE catalogue_product; --",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "🍶🌾",
    "🍶" * 300,
    "!!! ??? ...",
    "%",
    "_",
    "%_%",
    "\\",
    "\x00",
    "ruou " * 200,
    "a" * 5000,
    "AND OR NOT ~ * ? : ^ ( ) [ ] { } /",
]


@pytest.mark.parametrize("query", BAD)
def test_bad_input_gives_a_normal_page(client, shop_catalogue, query):
    response = client.get(SEARCH, {"q": query, "page": "x"})
    assert response.status_code == 200
    assert len(response.context["query"]) <= 200
    assert "<script>alert" not in response.text
    assert "<img src=x" not in response.text
    # No wildcard: "%" or "_" do not list the whole catalogue.
    if not database.words(query):
        assert list(response.context["products"]) == []


def test_query_is_shown_escaped(client, shop_catalogue):
    response = client.get(SEARCH, {"q": "<script>alert(1)</script> rượu"})
    assert "&lt;script&gt;alert(1)&lt;/script&gt; rượu" in response.text
    assert response.context["paginator"].count == 0  # "script" matches nothing


def test_the_catalogue_survives_sql_in_the_query(client, shop_catalogue):
    found(client, "'; DELETE FROM catalogue_product; --")
    assert found(client, "ruou men la")


# --- Cost ---------------------------------------------------------------------------------


def search_queries(client, url):
    client.get(url)  # warm the caches a first visit fills
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), len(response.context["products"])


def test_search_page_queries_stay_constant_from_5_to_50_products(client, home_page):
    group = factories.category("Thực phẩm")
    partners = [factories.cooperative(f"HTX Sản xuất {n}") for n in range(3)]

    def grow(start, stop):
        for number in range(start, stop):
            factories.product(
                f"Sản phẩm thử {number}",
                partner=partners[number % 3],
                categories=[group],
                image=number % 2 == 0,
            )

    url = f"{SEARCH}?q=san+pham+thu"
    grow(0, 5)
    small, shown_small = search_queries(client, url)
    grow(5, 50)
    large, shown_large = search_queries(client, url)
    print("search page queries, 5 → 50 products:", small, large)
    assert (shown_small, shown_large) == (5, 20)
    assert small == large
    page_two, shown = search_queries(client, url + "&page=3")
    assert (page_two, shown) == (large, 10)


# --- The search engine (Elasticsearch 7 through Haystack) ---------------------------------


def test_search_url_chooses_the_engine():
    assert haystack_connection("")["ENGINE"].endswith("SimpleEngine")
    config = haystack_connection("elasticsearch://search.internal:9200/ocop")
    assert config["ENGINE"] == "shop.apps.search.backends.FoldingElasticsearchEngine"
    assert (config["URL"], config["INDEX_NAME"]) == ("http://search.internal:9200", "ocop")
    assert haystack_connection("elasticsearchs://u:p@es.example:9243/ocop")["URL"] == (
        "https://u:p@es.example:9243"
    )
    from django.core.exceptions import ImproperlyConfigured

    for wrong in ("solr://127.0.0.1:8983/solr/ocop", "http://es:9200/ocop", "elasticsearch://es"):
        with pytest.raises(ImproperlyConfigured):
            haystack_connection(wrong)


PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps(settings.HAYSTACK_CONNECTIONS['default']))"
)


def settings_with_search_url(value):
    env = {k: v for k, v in os.environ.items() if k != "SEARCH_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "shop.settings.dev"
    if value is not None:
        env["SEARCH_URL"] = value
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_search_url_in_the_environment_reaches_haystack():
    unset = settings_with_search_url(None)
    assert json.loads(unset.stdout.splitlines()[-1])["ENGINE"].endswith("SimpleEngine")
    chosen = settings_with_search_url("elasticsearch://elasticsearch:9200/ocop")
    config = json.loads(chosen.stdout.splitlines()[-1])
    assert config["ENGINE"].endswith("FoldingElasticsearchEngine")
    assert config["URL"] == "http://elasticsearch:9200"
    refused = settings_with_search_url("solr://solr:8983/solr/ocop")
    assert refused.returncode != 0 and "SEARCH_URL" in refused.stderr


class FakeElasticsearch:
    """Answers `search` as Elasticsearch 7 does, with the products it is told to return."""

    def __init__(self):
        self.bodies = []
        self.product_ids = []
        self.error = None

    def search(self, body, index, **kwargs):
        if self.error:
            raise self.error
        self.bodies.append(body)
        start, size = body.get("from", 0), body.get("size", 10)
        hits = [
            {
                "_id": f"catalogue.product.{pk}",
                "_score": 10.0 - n,
                "_source": {
                    "id": f"catalogue.product.{pk}",
                    "django_ct": "catalogue.product",
                    "django_id": str(pk),
                },
            }
            for n, pk in enumerate(self.product_ids)
        ]
        total = {"value": len(hits), "relation": "eq"}
        return {"hits": {"total": total, "hits": hits[start : start + size]}}


@pytest.fixture
def fake_engine(monkeypatch, settings):
    """SEARCH_URL=elasticsearch://..., with a fake in place of the cluster."""
    pytest.importorskip("elasticsearch", reason="the engine client (elasticsearch<8) is missing")
    import haystack

    # Port 9 (discard) on loopback: nothing may reach a real network.
    config = {"default": haystack_connection("elasticsearch://127.0.0.1:9/ocop-test")}
    original = settings.HAYSTACK_CONNECTIONS
    settings.HAYSTACK_CONNECTIONS = config
    monkeypatch.setattr(haystack.connections, "connections_info", config)
    backend = haystack.connections.reload("default").get_backend()
    backend.setup_complete = True  # no mapping request
    fake = FakeElasticsearch()
    monkeypatch.setattr(backend.conn, "search", fake.search)
    yield fake
    monkeypatch.undo()
    settings.HAYSTACK_CONNECTIONS = original
    haystack.connections.reload("default")


def test_engine_orders_and_the_database_loads_the_page(client, shop_catalogue, fake_engine):
    assert engine.configured()
    wines = [shop_catalogue["last_bottle"], shop_catalogue["rice_wine"]]
    fake_engine.product_ids = [p.pk for p in wines]
    assert found(client, "Rượu men LÁ") == [p.title for p in wines]

    body = fake_engine.bodies[-1]
    ranked = body["query"]["bool"]["must"]["bool"]
    assert ranked["must"][0]["query_string"]["query"] == "ruou men la"  # folded before sending
    assert ranked["must"][0]["query_string"]["default_operator"] == "AND"
    boosts = {
        clause["query_string"]["default_field"]: clause["query_string"]["boost"]
        for clause in ranked["should"]
    }
    assert boosts["title"] > boosts["body"] > boosts["extra"]
    assert body["sort"] == [{"_score": {"order": "desc"}}, {"date_created": {"order": "desc"}}]
    assert body["query"]["bool"]["filter"] == {"terms": {"django_ct": ["catalogue.product"]}}


def test_engine_page_costs_constant_queries(client, shop_catalogue, fake_engine):
    fake_engine.product_ids = [shop_catalogue["rice_wine"].pk]
    few, _ = search_queries(client, f"{SEARCH}?q=men")
    partner = shop_catalogue["rice_wine"].stockrecords.get().partner
    more = [factories.product(f"Rượu men số {n}", partner=partner, image=True) for n in range(30)]
    fake_engine.product_ids = [p.pk for p in more]
    many, shown = search_queries(client, f"{SEARCH}?q=men")
    print("engine search page queries, 1 → 30 hits:", few, many)
    assert shown == 20
    assert few == many


def test_engine_results_no_longer_listed_are_left_out(client, shop_catalogue, fake_engine):
    hidden = shop_catalogue["noodles"]
    hidden.is_public = False
    hidden.save()
    fake_engine.product_ids = [hidden.pk, shop_catalogue["rice_wine"].pk]
    assert found(client, "mien") == ["Rượu men lá Bằng Phúc"]


def test_engine_failure_falls_back_to_the_database(client, shop_catalogue, fake_engine, caplog):
    import elasticsearch

    fake_engine.error = elasticsearch.ConnectionError("N/A", "connection refused", None)
    assert found(client, "mien dong") == ["Miến dong Nam Cường", "Mật ong hoa bạc hà"]
    assert "Search engine failed" in caplog.text


def test_engine_no_query_asks_nothing(client, shop_catalogue, fake_engine):
    for query in ("", "🍶", "%"):
        assert found(client, query) == []
    assert fake_engine.bodies == []


def test_engine_documents_are_folded_and_mapped_for_vietnamese(shop_catalogue, fake_engine):
    import haystack

    backend = haystack.connections["default"].get_backend()
    sent = []

    def bulk(client, actions, **kwargs):
        sent.extend(actions)
        return len(sent), []

    removed = []
    import haystack.backends.elasticsearch_backend as base

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(base, "bulk", bulk)
        patch.setattr(backend.conn.indices, "refresh", lambda **kwargs: None)
        patch.setattr(backend.conn, "delete", lambda **kwargs: removed.append(kwargs["id"]))
        hidden = shop_catalogue["sold_out"]
        hidden.is_public = False
        hidden.save()
        engine.update([shop_catalogue["rice_wine"].pk, hidden.pk])

    (document,) = sent
    assert document["django_id"] == str(shop_catalogue["rice_wine"].pk)
    assert document["title"] == "ruou men la bang phuc"
    assert "htx ruou men la thanh tam" in document["extra"]
    assert "do uong" in document["text"] and "<p>" not in document["text"]
    assert removed == [f"catalogue.product.{hidden.pk}"]

    index = haystack.connections["default"].get_unified_index()
    _, mapping = backend.build_schema(index.all_searchfields())
    assert mapping["text"]["analyzer"] == "folded_prefixes"
    assert mapping["text"]["search_analyzer"] == "folded"
    analysis = backend.DEFAULT_SETTINGS["settings"]["analysis"]
    assert "asciifolding" in analysis["analyzer"]["folded"]["filter"]


def test_rebuild_command_refills_the_engine(shop_catalogue, fake_engine):
    import haystack
    import haystack.backends.elasticsearch_backend as base
    from django.core.management import call_command

    backend = haystack.connections["default"].get_backend()
    deleted, sent = [], []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(backend.conn.indices, "delete", lambda **kwargs: deleted.append(kwargs))
        patch.setattr(backend.conn.indices, "refresh", lambda **kwargs: None)
        patch.setattr(backend, "setup", lambda: setattr(backend, "setup_complete", True))
        patch.setattr(base, "bulk", lambda client, actions, **kwargs: sent.extend(actions))
        call_command("rebuild_search_text", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert deleted[0]["index"] == "ocop-test"  # the index is dropped, then refilled
    assert sorted(int(doc["django_id"]) for doc in sent) == sorted(
        p.pk for p in shop_catalogue.values() if hasattr(p, "upc")
    )


def test_engine_that_cannot_load_falls_back_to_the_database(
    client, shop_catalogue, fake_engine, monkeypatch
):
    def missing(words):
        raise ImportError("elasticsearch is not installed")

    monkeypatch.setattr(engine, "search", missing)
    assert found(client, "mien dong") == ["Miến dong Nam Cường", "Mật ong hoa bạc hà"]


def test_catalogue_changes_reach_the_engine_after_commit(
    shop_catalogue, fake_engine, monkeypatch, django_capture_on_commit_callbacks
):
    updated = []
    monkeypatch.setattr(engine, "update", lambda ids: updated.append(sorted(ids)))
    partner = shop_catalogue["rice_wine"].stockrecords.get().partner
    with django_capture_on_commit_callbacks(execute=True):
        partner.name = "HTX Suối Ngàn"
        partner.save()
    assert updated == [sorted([shop_catalogue["rice_wine"].pk, shop_catalogue["last_bottle"].pk])]
