"""Vietnamese banks that receive NAPAS 247 transfers, with the BIN a VietQR code names them by.

A reviewed copy of the list in ../shared/specs/vietqr.md section 11 (State Bank of Vietnam BINs as
published by api.vietqr.io), vendored on 2026-11-27: never type a BIN by hand elsewhere.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Bank:
    bin: str
    code: str
    short_name: str
    name: str


BANKS = [
    Bank("970436", "VCB", "Vietcombank", "Ngân hàng TMCP Ngoại thương Việt Nam"),
    Bank("970415", "ICB", "VietinBank", "Ngân hàng TMCP Công Thương Việt Nam"),
    Bank("970418", "BIDV", "BIDV", "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam"),
    Bank("970405", "VBA", "Agribank", "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam"),
    Bank("970407", "TCB", "Techcombank", "Ngân hàng TMCP Kỹ Thương Việt Nam"),
    Bank("970422", "MB", "MBBank", "Ngân hàng TMCP Quân đội"),
    Bank("970416", "ACB", "ACB", "Ngân hàng TMCP Á Châu"),
    Bank("970432", "VPB", "VPBank", "Ngân hàng TMCP Việt Nam Thịnh Vượng"),
    Bank("970423", "TPB", "TPBank", "Ngân hàng TMCP Tiên Phong"),
    Bank("970403", "STB", "Sacombank", "Ngân hàng TMCP Sài Gòn Thương Tín"),
    Bank("970441", "VIB", "VIB", "Ngân hàng TMCP Quốc tế Việt Nam"),
    Bank("970443", "SHB", "SHB", "Ngân hàng TMCP Sài Gòn – Hà Nội"),
    Bank("970437", "HDB", "HDBank", "Ngân hàng TMCP Phát triển TP. Hồ Chí Minh"),
    Bank("970448", "OCB", "OCB", "Ngân hàng TMCP Phương Đông"),
    Bank("970426", "MSB", "MSB", "Ngân hàng TMCP Hàng Hải Việt Nam"),
    Bank("970440", "SEAB", "SeABank", "Ngân hàng TMCP Đông Nam Á"),
    Bank("970431", "EIB", "Eximbank", "Ngân hàng TMCP Xuất Nhập khẩu Việt Nam"),
    Bank("970449", "LPB", "LPBank", "Ngân hàng TMCP Lộc Phát Việt Nam"),
    Bank("970428", "NAB", "Nam A Bank", "Ngân hàng TMCP Nam Á"),
    Bank("970425", "ABB", "ABBANK", "Ngân hàng TMCP An Bình"),
    Bank("970454", "VCCB", "BVBank", "Ngân hàng TMCP Bản Việt"),
    Bank("970409", "BAB", "Bac A Bank", "Ngân hàng TMCP Bắc Á"),
    Bank("970419", "NCB", "NCB", "Ngân hàng TMCP Quốc Dân"),
    Bank("970412", "PVCB", "PVcomBank", "Ngân hàng TMCP Đại Chúng Việt Nam"),
    Bank("970430", "PGB", "PGBank", "Ngân hàng TMCP Thịnh vượng và Phát triển"),
    Bank("970452", "KLB", "Kienlongbank", "Ngân hàng TMCP Kiên Long"),
    Bank("970400", "SGICB", "Saigonbank", "Ngân hàng TMCP Sài Gòn Công Thương"),
    Bank("970429", "SCB", "SCB", "Ngân hàng TMCP Sài Gòn"),
    Bank("970427", "VAB", "VietABank", "Ngân hàng TMCP Việt Á"),
    Bank("970433", "VIETBANK", "Vietbank", "Ngân hàng TMCP Việt Nam Thương Tín"),
    Bank("970438", "BVB", "BaoVietBank", "Ngân hàng TMCP Bảo Việt"),
    Bank("970446", "COOPBANK", "Co-opBank", "Ngân hàng Hợp tác xã Việt Nam"),
]

BY_BIN = {bank.bin: bank for bank in BANKS}


def choices() -> list[tuple[str, str]]:
    return [(bank.bin, f"{bank.short_name} – {bank.name}") for bank in BANKS]


def by_bin(bin_code: str) -> Bank | None:
    return BY_BIN.get(bin_code)
