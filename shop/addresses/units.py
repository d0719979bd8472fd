"""Vietnam's administrative units since 1 July 2025 (34 provinces, then communes), from the
`vietnam-provinces` package. Codes are the official GSO codes as zero-padded strings: province
"19", commune "01933". Names are those of the package: "Thái Nguyên", "Xã Đồng Phúc".
"""

from dataclasses import dataclass
from functools import cache

from vietnam_provinces import Province, Ward

from shop.text import fold

_PREFIXES = ("thanh pho ", "tinh ", "xa ", "phuong ", "dac khu ")


@dataclass(frozen=True)
class Unit:
    code: str
    name: str


def _sort_key(name: str) -> str:
    """Sort "Thành phố Hà Nội" under H and "Xã Bằng Phúc" under B, as people look for them."""
    folded = fold(name)
    for prefix in _PREFIXES:
        folded = folded.removeprefix(prefix)
    return folded


@cache
def provinces() -> tuple[Unit, ...]:
    units = (Unit(f"{p.code:02d}", p.name) for p in Province.iter_all())
    return tuple(sorted(units, key=lambda unit: _sort_key(unit.name)))


@cache
def _communes_by_province() -> dict[str, tuple[Unit, ...]]:
    grouped: dict[str, list[Unit]] = {}
    for ward in Ward.iter_all():
        grouped.setdefault(f"{ward.province_code:02d}", []).append(
            Unit(f"{ward.code:05d}", ward.name)
        )
    return {
        code: tuple(sorted(units, key=lambda unit: _sort_key(unit.name)))
        for code, units in grouped.items()
    }


def communes(province_code: str) -> tuple[Unit, ...]:
    """The communes (xã, phường, đặc khu) of a province; empty for an unknown code."""
    return _communes_by_province().get(str(province_code), ())


def province(code: str) -> Unit | None:
    return next((unit for unit in provinces() if unit.code == str(code)), None)


def commune(code: str, province_code: str | None = None) -> Unit | None:
    """The commune with this code, only if it lies in `province_code` when one is given."""
    try:
        ward = Ward.from_code(int(code))
    except (TypeError, ValueError):
        return None
    if province_code is not None and f"{ward.province_code:02d}" != str(province_code):
        return None
    return Unit(f"{ward.code:05d}", ward.name)


def place_name(commune_code: str) -> str:
    """A commune with its province, as pages and lists show it: "Xã Đồng Phúc, Thái Nguyên"."""
    found = (commune(commune_code), province_of(commune_code))
    return ", ".join(unit.name for unit in found if unit)


def province_of(commune_code: str) -> Unit | None:
    try:
        return province(f"{Ward.from_code(int(commune_code)).province_code:02d}")
    except (TypeError, ValueError):
        return None
