"""QR codes as inline SVG, drawn by the `qrcode` package (no image files, crisp when printed)."""

import re
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M

# Four modules of white around the code: the quiet zone scanners need.
BORDER = 4


@dataclass(frozen=True)
class QrCode:
    data: str
    size: int  # modules per side, quiet zone included
    path: str  # SVG path data, one unit per module


def make(data: str) -> QrCode:
    """The QR code of `data` (error correction M: survives a scratched or creased label)."""
    code = qrcode.QRCode(
        error_correction=ERROR_CORRECT_M,
        border=BORDER,
        image_factory=qrcode.image.svg.SvgPathImage,
    )
    code.add_data(data)
    code.make(fit=True)
    markup = code.make_image().to_string(encoding="unicode")
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', markup).group(1))
    path = re.search(r'<path d="([^"]+)"', markup).group(1)
    return QrCode(data=data, size=size, path=path)


def dark_modules(path: str) -> set[tuple[int, int]]:
    """The (x, y) of every dark module drawn by a path from `make` (used to check the codes)."""
    return {(int(x), int(y)) for x, y in re.findall(r"M(\d+),(\d+)H", path)}
