"""Backends named by a setting in the shape of Django's `STORAGES`:
``{code: {"BACKEND": "dotted.path.Class", "OPTIONS": {...}}}``, built once per configuration.

Payment gateways and couriers are both chosen this way; a test overriding the setting gets
fresh instances, an unchanged setting costs nothing.
"""

from collections.abc import Mapping
from functools import cache
from typing import Any

from django.utils.module_loading import import_string


class _Options(dict):
    """Options as a hashable dict (lists inside, e.g. GHTK tags, hash by their repr)."""

    def __hash__(self):
        return hash(tuple(sorted((key, repr(value)) for key, value in self.items())))


@cache
def _build(config: tuple) -> dict[str, Any]:
    return {code: import_string(backend)(code=code, **options) for code, backend, options in config}


def backends(setting: Mapping[str, Mapping]) -> dict[str, Any]:
    """The backends of `setting`, by code, in the setting's order."""
    return _build(
        tuple(
            (code, entry["BACKEND"], _Options(entry.get("OPTIONS", {})))
            for code, entry in setting.items()
        )
    )
