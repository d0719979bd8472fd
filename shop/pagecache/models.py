from django.db import models


class ContentVersion(models.Model):
    """One row whose number moves on with every change a public page could show.

    It lives in the database, not in the cache, because without Redis every worker process has
    its own in-memory cache and must still learn of a price change at once.
    """

    number = models.BigIntegerField()

    def __str__(self):
        return str(self.number)
