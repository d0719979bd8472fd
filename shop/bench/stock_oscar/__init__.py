"""A stock django-oscar 4.2 shop from Oscar's "Building your own shop" quickstart, loaded with
the same benchmark catalogue (shop.bench.spec), so `make bench` can compare our shop with it."""
