"""The benchmark catalogue, as plain data: both our shop and the stock Oscar shop it is compared
with load exactly these products, so the two are measured on the same catalogue.

Deterministic: the same numbers give the same titles, prices, stock and pictures on every run.
Pure Python (no Django import), so the stock shop's loader can use it too.
"""

from dataclasses import dataclass

# 20 categories: (OCOP group slug, slug, name). The first ones are our OCOP subgroups
# (catalog.ocop_groups); the rest are extra subgroups a large region would add. No alcoholic
# drinks: the age gate would stand in front of their pages.
CATEGORIES = [
    ("thuc-pham", "thuc-pham-tuoi-song", "Thực phẩm tươi sống"),
    ("thuc-pham", "thuc-pham-tho-so-che", "Thực phẩm thô, sơ chế"),
    ("thuc-pham", "thuc-pham-che-bien", "Thực phẩm chế biến"),
    ("thuc-pham", "gia-vi", "Gia vị, nước chấm"),
    ("thuc-pham", "mat-ong", "Mật ong"),
    ("thuc-pham", "banh-keo", "Bánh kẹo đặc sản"),
    ("thuc-pham", "gao-ngu-coc", "Gạo, ngũ cốc"),
    ("thuc-pham", "hat-dinh-duong", "Hạt dinh dưỡng"),
    ("do-uong", "do-uong-khong-con", "Đồ uống không cồn"),
    ("do-uong", "tra", "Trà"),
    ("do-uong", "ca-phe", "Cà phê"),
    ("thao-duoc", "duoc-lieu", "Dược liệu, thực phẩm chức năng"),
    ("thao-duoc", "my-pham-thao-duoc", "Mỹ phẩm, tinh dầu thảo dược"),
    ("thao-duoc", "tra-thao-moc", "Trà thảo mộc"),
    ("thu-cong-my-nghe", "det-may-theu", "Dệt may, thêu, thổ cẩm"),
    ("thu-cong-my-nghe", "may-tre-dan-go", "Mây tre đan, đồ gỗ"),
    ("thu-cong-my-nghe", "gom-su", "Gốm sứ"),
    ("thu-cong-my-nghe", "luu-niem-trang-tri", "Lưu niệm, trang trí"),
    ("sinh-vat-canh", "hoa-cay-canh", "Hoa, cây cảnh"),
    ("thu-cong-my-nghe", "do-da-dung", "Đồ gia dụng thủ công"),
]

# What each category sells: (product nouns, picture kind of shop.demo.artwork).
_GOODS = {
    "thuc-pham-tuoi-song": (["Măng tươi", "Nấm hương tươi", "Rau cải mèo"], "leaf"),
    "thuc-pham-tho-so-che": (["Măng khô", "Mộc nhĩ", "Nấm hương khô"], "sack"),
    "thuc-pham-che-bien": (["Thịt lợn gác bếp", "Lạp xưởng", "Chả quế"], "meat"),
    "gia-vi": (["Tương ớt", "Muối ớt", "Hạt dổi"], "jar"),
    "mat-ong": (["Mật ong rừng", "Mật ong bạc hà", "Mật ong hoa nhãn"], "jar"),
    "banh-keo": (["Bánh gai", "Kẹo lạc", "Bánh chưng đen"], "noodles"),
    "gao-ngu-coc": (["Gạo nếp cái hoa vàng", "Gạo Bao Thai", "Bột ngô"], "sack"),
    "hat-dinh-duong": (["Hạt dẻ", "Lạc đỏ", "Óc chó rừng"], "sack"),
    "do-uong-khong-con": (["Nước táo mèo", "Nước cốt gừng", "Siro mơ"], "bottle"),
    "tra": (["Trà Shan tuyết", "Trà xanh", "Hồng trà"], "tea"),
    "ca-phe": (["Cà phê Arabica", "Cà phê rang xay", "Cà phê hạt"], "sack"),
    "duoc-lieu": (["Cao khôi", "Giảo cổ lam", "Ba kích tím"], "herb"),
    "my-pham-thao-duoc": (["Tinh dầu quế", "Xà phòng thảo mộc", "Dầu gội bồ kết"], "herb"),
    "tra-thao-moc": (["Trà hoa vàng", "Trà atiso", "Trà túi lọc thảo mộc"], "tea"),
    "det-may-theu": (["Khăn thổ cẩm", "Túi thổ cẩm", "Áo chàm"], "weave"),
    "may-tre-dan-go": (["Giỏ mây", "Mâm tre", "Thớt gỗ nghiến"], "basket"),
    "gom-su": (["Bình gốm", "Chén gốm", "Ấm gốm"], "wood"),
    "luu-niem-trang-tri": (["Móc khóa gỗ", "Tranh tre", "Đèn mây"], "wood"),
    "hoa-cay-canh": (["Lan hài", "Lan kim tuyến", "Cây cảnh mini"], "orchid"),
    "do-da-dung": (["Chổi chít", "Rổ tre", "Đũa tre"], "basket"),
}

_ORIGINS = ["Chợ Đồn", "Bằng Vân", "Nghĩa Tá", "Yên Thịnh", "Bản Thi", "Yên Phong", "Bạch Thông"]
_VARIANTS = [
    "loại đặc biệt",
    "hộp quà",
    "túi 500 g",
    "gói 1 kg",
    "loại thượng hạng",
    "bản giới hạn",
]

# Communes since 1 July 2025 (the demo region's, shop/demo/data.py, checked against
# vietnam-provinces): a cooperative's commune is validated.
COMMUNE_CODES = ["01933", "02020", "02026", "02038", "02044", "02071", "02083"]

# Searches a shopper types on a phone without diacritics; each finds products.
SEARCHES = ["mat ong rung", "tra shan tuyet", "khan tho cam", "mang kho", "ca phe arabica"]

# Pictures: this many distinct files, shared by the products (renditions derive from the file
# name, so the benchmark does not spend minutes drawing 2,000 pictures).
PICTURES_PER_KIND = 4


@dataclass(frozen=True)
class BenchCooperative:
    number: int
    code: str
    name: str
    commune_code: str


@dataclass(frozen=True)
class BenchProduct:
    number: int
    upc: str
    title: str
    description: str
    category_slug: str
    cooperative_number: int
    price: int  # VND, VAT included
    stock: int
    picture_kind: str
    picture_number: int  # 0 .. PICTURES_PER_KIND - 1


def cooperatives(count: int = 30) -> list[BenchCooperative]:
    return [
        BenchCooperative(
            number=n,
            code=f"bench-htx-{n:02d}",
            name=f"HTX Nông sản {_ORIGINS[n % len(_ORIGINS)]} số {n}",
            commune_code=COMMUNE_CODES[n % len(COMMUNE_CODES)],
        )
        for n in range(1, count + 1)
    ]


def products(count: int = 2000, cooperative_count: int = 30) -> list[BenchProduct]:
    """`count` products spread evenly over the 20 categories and the cooperatives."""
    made = []
    for n in range(1, count + 1):
        _group, slug, _name = CATEGORIES[n % len(CATEGORIES)]
        nouns, kind = _GOODS[slug]
        noun = nouns[(n // len(CATEGORIES)) % len(nouns)]
        origin = _ORIGINS[(n * 7) % len(_ORIGINS)]
        variant = _VARIANTS[(n * 11) % len(_VARIANTS)]
        title = f"{noun} {origin} {variant} – mã {n:04d}"
        made.append(
            BenchProduct(
                number=n,
                upc=f"BENCH-{n:05d}",
                title=title,
                description=(
                    f"{noun} của hợp tác xã vùng {origin}, làm theo cách truyền thống. "
                    "Sản phẩm đạt chứng nhận OCOP, giao hàng toàn quốc."
                ),
                category_slug=slug,
                cooperative_number=1 + (n * 13) % cooperative_count,
                price=20_000 + (n * 7919) % 96 * 5_000,
                stock=5 + (n * 31) % 200,
                picture_kind=kind,
                picture_number=n % PICTURES_PER_KIND,
            )
        )
    return made
