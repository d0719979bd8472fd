"""The demo market: cooperatives of the former Chợ Đồn district and their products.

HTX rượu men lá Thanh Tâm (formerly xã Bằng Phúc) is a real cooperative named in the district's
2023 report; the other cooperatives are invented for the demo. Communes are the real units since
1 July 2025 (codes from `vietnam-provinces`); former localities follow the 2025 merger plan
(Bằng Phúc joined Đồng Phúc; Bằng Lũng town became xã Chợ Đồn).
"""

FORMER_DISTRICT = "huyện Chợ Đồn, tỉnh Bắc Kạn"

COOPERATIVES = [
    {
        "code": "htx-thanh-tam",
        "name": "HTX rượu men lá Thanh Tâm",
        "owner": ("thanhtam@cho-ocop.test", "Nông Thị Tâm"),
        "commune": "01933",
        "former": "xã Bằng Phúc",
        "street": "Thôn Nà Pài",
        "phone": "+84912345601",
        "story": (
            "Chị Nông Thị Tâm cùng bà con người Tày ở Bằng Phúc nấu rượu bằng gạo nếp nương và "
            "men lá rừng theo công thức truyền lại qua nhiều đời. Men được làm từ hơn hai mươi "
            "loại lá, ủ trong bồ tre, nên rượu thơm dịu và êm."
        ),
    },
    {
        "code": "htx-che-shan-tuyet-cho-don",
        "name": "HTX Chè Shan tuyết Chợ Đồn",
        "owner": ("chesan@cho-ocop.test", "Hoàng Văn Sơn"),
        "commune": "02020",
        "former": "thị trấn Bằng Lũng",
        "street": "Tổ 5, Bằng Lũng",
        "phone": "+84912345602",
        "story": (
            "Những cây chè Shan tuyết cổ thụ mọc trên sườn núi đá vôi, búp phủ lớp lông tơ trắng. "
            "Chè được hái một tôm hai lá và sao bằng chảo gang trên bếp củi."
        ),
    },
    {
        "code": "htx-nong-nghiep-nghia-ta",
        "name": "HTX Nông nghiệp Nghĩa Tá",
        "owner": ("nghiata@cho-ocop.test", "Ma Thị Hoa"),
        "commune": "02071",
        "former": "xã Nghĩa Tá",
        "street": "Thôn Bản Áng",
        "phone": "+84912345603",
        "story": (
            "Các hộ nuôi ong và trồng lúa nếp ở Nghĩa Tá cùng nhau lập hợp tác xã để có tem truy "
            "xuất nguồn gốc và bán thẳng cho người mua ở thành phố."
        ),
    },
    {
        "code": "htx-mien-dong-nam-cuong",
        "name": "HTX Miến dong Nam Cường",
        "owner": ("namcuong@cho-ocop.test", "Triệu Văn Cường"),
        "commune": "02026",
        "former": "xã Nam Cường",
        "street": "Thôn Nà Quang",
        "phone": "+84912345604",
        "story": (
            "Củ dong riềng trồng trên nương được xay, lọc lấy tinh bột rồi tráng, phơi nắng tự "
            "nhiên. Sợi miến dai, trong và không dùng chất tẩy trắng."
        ),
    },
    {
        "code": "htx-duoc-lieu-quang-bach",
        "name": "HTX Dược liệu Quảng Bạch",
        "owner": ("quangbach@cho-ocop.test", "Bàn Thị Mai"),
        "commune": "02038",
        "former": "xã Quảng Bạch",
        "street": "Thôn Bản Duồm",
        "phone": "+84912345605",
        "story": (
            "Phụ nữ người Dao ở Quảng Bạch trồng và sơ chế giảo cổ lam, sả, gừng dưới tán rừng, "
            "giữ bài thuốc tắm lá truyền thống của dân tộc mình."
        ),
    },
    {
        "code": "htx-tho-cam-yen-thinh",
        "name": "HTX Thổ cẩm Yên Thịnh",
        "owner": ("yenthinh@cho-ocop.test", "Lộc Thị Thu"),
        "commune": "02044",
        "former": "xã Yên Thịnh",
        "street": "Thôn Bản Lanh",
        "phone": "+84912345606",
        "story": (
            "Mỗi tấm thổ cẩm được dệt tay trên khung cửi gỗ trong nhiều ngày, với hoa văn của "
            "người Tày và người Dao vùng Yên Thịnh."
        ),
    },
    {
        "code": "htx-du-lich-yen-phong",
        "name": "HTX Du lịch cộng đồng Yên Phong",
        "owner": ("yenphong@cho-ocop.test", "Hà Văn Phong"),
        "commune": "02083",
        "former": "xã Yên Phong",
        "street": "Thôn Khuổi Tẳng",
        "phone": "+84912345607",
        "story": (
            "Những nếp nhà sàn bên suối đón khách về ăn cơm lam, học nấu rượu men lá và ngắm "
            "lan rừng do bà con nhân giống."
        ),
    },
]

# (cooperative, subgroup, class, title, price, stock, artwork, attributes, description)
PRODUCTS = [
    # HTX rượu men lá Thanh Tâm
    (
        "htx-thanh-tam",
        "do-uong-co-con",
        "do-uong-co-con",
        "Rượu men lá Bằng Phúc 29% – chai 500 ml",
        120_000,
        40,
        "bottle",
        {
            "weight_grams": 900,
            "package_size": "Chai thủy tinh 500 ml",
            "shelf_life": "Không giới hạn nếu bảo quản kín",
            "abv_percent": 29,
            "volume_ml": 500,
        },
        "Rượu trắng nấu từ gạo nếp nương và men lá rừng, chưng cất hai lần, vị êm và thơm mùi lá.",
    ),
    (
        "htx-thanh-tam",
        "do-uong-co-con",
        "do-uong-co-con",
        "Rượu men lá Bằng Phúc 29% – can 2 lít",
        380_000,
        15,
        "bottle",
        {
            "weight_grams": 2600,
            "package_size": "Can nhựa thực phẩm 2 lít",
            "shelf_life": "Không giới hạn nếu bảo quản kín",
            "abv_percent": 29,
            "volume_ml": 2000,
        },
        "Rượu men lá đóng can cho gia đình và những dịp sum họp.",
    ),
    (
        "htx-thanh-tam",
        "do-uong-co-con",
        "do-uong-co-con",
        "Hộp quà rượu men lá – 2 chai 350 ml",
        320_000,
        10,
        "bottle",
        {
            "weight_grams": 1600,
            "package_size": "Hộp giấy kraft, 2 chai 350 ml",
            "shelf_life": "Không giới hạn nếu bảo quản kín",
            "abv_percent": 29,
            "volume_ml": 700,
        },
        "Hộp quà biếu Tết gồm hai chai rượu men lá và thiệp giới thiệu câu chuyện sản phẩm.",
    ),
    (
        "htx-thanh-tam",
        "do-uong-co-con",
        "do-uong-co-con",
        "Rượu nếp cẩm men lá 25% – chai 500 ml",
        150_000,
        1,
        "bottle",
        {
            "weight_grams": 900,
            "package_size": "Chai thủy tinh 500 ml",
            "shelf_life": "24 tháng",
            "abv_percent": 25,
            "volume_ml": 500,
        },
        "Rượu nấu từ nếp cẩm nương, màu tím nhạt tự nhiên. Mẻ cuối cùng của vụ: chỉ còn một chai.",
    ),
    (
        "htx-thanh-tam",
        "thuc-pham-che-bien",
        "san-pham-ocop",
        "Bánh men lá truyền thống – gói 10 viên",
        60_000,
        30,
        "leaf",
        {"weight_grams": 150, "package_size": "Túi giấy 10 viên", "shelf_life": "6 tháng"},
        "Men lá làm từ hơn hai mươi loại lá rừng, dùng để nấu rượu hoặc làm cơm rượu tại nhà.",
    ),
    # HTX Chè Shan tuyết Chợ Đồn
    (
        "htx-che-shan-tuyet-cho-don",
        "do-uong-khong-con",
        "san-pham-ocop",
        "Chè Shan tuyết Chợ Đồn – túi 200 g",
        180_000,
        50,
        "tea",
        {"weight_grams": 230, "package_size": "Túi hút chân không 200 g", "shelf_life": "18 tháng"},
        "Chè xanh sao tay từ búp chè Shan tuyết cổ thụ, nước vàng sánh, hậu ngọt.",
    ),
    (
        "htx-che-shan-tuyet-cho-don",
        "do-uong-khong-con",
        "san-pham-ocop",
        "Chè Shan tuyết búp bạc – hộp 100 g",
        250_000,
        25,
        "tea",
        {"weight_grams": 180, "package_size": "Hộp thiếc 100 g", "shelf_life": "18 tháng"},
        "Chỉ dùng búp non phủ lông tơ trắng, phơi héo tự nhiên, hương thơm nhẹ như hoa.",
    ),
    (
        "htx-che-shan-tuyet-cho-don",
        "do-uong-khong-con",
        "san-pham-ocop",
        "Hồng trà Shan tuyết – hộp 100 g",
        160_000,
        30,
        "tea",
        {"weight_grams": 170, "package_size": "Hộp giấy 100 g", "shelf_life": "24 tháng"},
        "Trà lên men từ lá chè Shan tuyết, vị mật ong, hợp pha cùng sữa hoặc gừng.",
    ),
    (
        "htx-che-shan-tuyet-cho-don",
        "do-uong-khong-con",
        "san-pham-ocop",
        "Chè Shan tuyết túi lọc – hộp 25 túi",
        95_000,
        60,
        "tea",
        {"weight_grams": 120, "package_size": "Hộp 25 túi lọc 2 g", "shelf_life": "18 tháng"},
        "Tiện pha ở văn phòng, mỗi túi đủ cho một cốc lớn.",
    ),
    (
        "htx-che-shan-tuyet-cho-don",
        "duoc-lieu",
        "san-pham-ocop",
        "Trà hoa vàng sấy lạnh – hộp 50 g",
        450_000,
        8,
        "flower",
        {"weight_grams": 120, "package_size": "Hộp gỗ 50 g", "shelf_life": "12 tháng"},
        "Hoa trà vàng hái trong rừng, sấy lạnh để giữ màu và hương.",
    ),
    # HTX Nông nghiệp Nghĩa Tá
    (
        "htx-nong-nghiep-nghia-ta",
        "thuc-pham-tho-so-che",
        "san-pham-ocop",
        "Mật ong rừng Nghĩa Tá – chai 500 ml",
        350_000,
        20,
        "jar",
        {"weight_grams": 850, "package_size": "Chai thủy tinh 500 ml", "shelf_life": "24 tháng"},
        "Mật ong khai thác từ đàn ong nội nuôi dưới tán rừng, không pha đường.",
    ),
    (
        "htx-nong-nghiep-nghia-ta",
        "thuc-pham-tho-so-che",
        "san-pham-ocop",
        "Mật ong hoa bạc hà – chai 250 ml",
        190_000,
        0,
        "jar",
        {"weight_grams": 450, "package_size": "Chai thủy tinh 250 ml", "shelf_life": "24 tháng"},
        "Mật ong từ hoa bạc hà dại, màu hổ phách, vị thanh. Đã hết mùa, chờ vụ sau.",
    ),
    (
        "htx-nong-nghiep-nghia-ta",
        "thuc-pham-tho-so-che",
        "san-pham-ocop",
        "Gạo nếp vải Nghĩa Tá – túi 2 kg",
        120_000,
        45,
        "sack",
        {"weight_grams": 2050, "package_size": "Túi vải 2 kg", "shelf_life": "12 tháng"},
        "Nếp hạt tròn, dẻo thơm, hợp đồ xôi và gói bánh chưng.",
    ),
    (
        "htx-nong-nghiep-nghia-ta",
        "thuc-pham-tho-so-che",
        "san-pham-ocop",
        "Gạo Bao Thai Chợ Đồn – túi 5 kg",
        150_000,
        35,
        "sack",
        {"weight_grams": 5050, "package_size": "Túi PE 5 kg", "shelf_life": "12 tháng"},
        "Giống lúa Bao Thai cấy ở ruộng bậc thang, cơm mềm, để nguội không cứng.",
    ),
    (
        "htx-nong-nghiep-nghia-ta",
        "thuc-pham-che-bien",
        "san-pham-ocop",
        "Măng khô Nghĩa Tá – túi 500 g",
        180_000,
        25,
        "leaf",
        {"weight_grams": 520, "package_size": "Túi hút chân không 500 g", "shelf_life": "12 tháng"},
        "Măng vầu rừng luộc chín, phơi trên gác bếp cho đến khi khô giòn.",
    ),
    (
        "htx-nong-nghiep-nghia-ta",
        "thuc-pham-che-bien",
        "san-pham-ocop",
        "Thịt lợn gác bếp – gói 500 g",
        420_000,
        12,
        "meat",
        {
            "weight_grams": 520,
            "package_size": "Túi hút chân không 500 g",
            "shelf_life": "6 tháng ở ngăn mát",
        },
        "Thịt lợn đen tẩm mắc khén, hạt dổi rồi hun khói trên gác bếp củi.",
    ),
    (
        "htx-nong-nghiep-nghia-ta",
        "thuc-pham-che-bien",
        "san-pham-ocop",
        "Lạp sườn gác bếp – gói 500 g",
        240_000,
        18,
        "meat",
        {
            "weight_grams": 520,
            "package_size": "Túi hút chân không 500 g",
            "shelf_life": "6 tháng ở ngăn mát",
        },
        "Lạp sườn làm thủ công từ thịt lợn bản và rượu men lá.",
    ),
    (
        "htx-nong-nghiep-nghia-ta",
        "thuc-pham-tho-so-che",
        "san-pham-ocop",
        "Hạt dẻ Nghĩa Tá – túi 1 kg",
        160_000,
        30,
        "sack",
        {"weight_grams": 1030, "package_size": "Túi lưới 1 kg", "shelf_life": "3 tháng"},
        "Hạt dẻ rừng bùi, ngọt; rang hoặc luộc đều ngon.",
    ),
    # HTX Miến dong Nam Cường
    (
        "htx-mien-dong-nam-cuong",
        "thuc-pham-che-bien",
        "san-pham-ocop",
        "Miến dong Nam Cường – gói 500 g",
        65_000,
        80,
        "noodles",
        {"weight_grams": 520, "package_size": "Gói 500 g", "shelf_life": "12 tháng"},
        "Miến làm từ tinh bột dong riềng nguyên chất, sợi dai, nấu không nát.",
    ),
    (
        "htx-mien-dong-nam-cuong",
        "thuc-pham-che-bien",
        "san-pham-ocop",
        "Miến dong Nam Cường – túi 1 kg",
        120_000,
        50,
        "noodles",
        {"weight_grams": 1030, "package_size": "Túi 1 kg", "shelf_life": "12 tháng"},
        "Túi lớn cho bếp gia đình và nhà hàng.",
    ),
    (
        "htx-mien-dong-nam-cuong",
        "thuc-pham-che-bien",
        "san-pham-ocop",
        "Hộp quà miến dong – 3 gói",
        210_000,
        20,
        "noodles",
        {"weight_grams": 1700, "package_size": "Hộp quà 3 gói 500 g", "shelf_life": "12 tháng"},
        "Quà Tết gồm miến dong, miến dong trộn nghệ và miến dong lá cẩm.",
    ),
    (
        "htx-mien-dong-nam-cuong",
        "thuc-pham-che-bien",
        "san-pham-ocop",
        "Bún khô gạo Bao Thai – gói 500 g",
        45_000,
        70,
        "noodles",
        {"weight_grams": 520, "package_size": "Gói 500 g", "shelf_life": "9 tháng"},
        "Bún khô từ gạo Bao Thai, không hàn the.",
    ),
    (
        "htx-mien-dong-nam-cuong",
        "thuc-pham-che-bien",
        "san-pham-ocop",
        "Bánh gio Nam Cường – túi 10 chiếc",
        80_000,
        15,
        "leaf",
        {"weight_grams": 1100, "package_size": "Túi 10 chiếc", "shelf_life": "5 ngày ở ngăn mát"},
        "Bánh gio gói lá dong, ăn cùng mật mía; làm theo đơn đặt trong ngày.",
    ),
    (
        "htx-mien-dong-nam-cuong",
        "thuc-pham-che-bien",
        "san-pham-ocop",
        "Bánh chưng đen Chợ Đồn – chiếc 1 kg",
        120_000,
        10,
        "leaf",
        {
            "weight_grams": 1050,
            "package_size": "Chiếc 1 kg gói lá dong",
            "shelf_life": "7 ngày ở ngăn mát",
        },
        "Nếp trộn tro than rơm nếp, nhân đỗ xanh và thịt ba chỉ.",
    ),
    (
        "htx-mien-dong-nam-cuong",
        "thuc-pham-tho-so-che",
        "san-pham-ocop",
        "Tinh bột dong riềng – túi 1 kg",
        70_000,
        40,
        "sack",
        {"weight_grams": 1030, "package_size": "Túi 1 kg", "shelf_life": "18 tháng"},
        "Bột dong mịn, dùng nấu chè, làm bánh hoặc pha nước mát.",
    ),
    # HTX Dược liệu Quảng Bạch
    (
        "htx-duoc-lieu-quang-bach",
        "duoc-lieu",
        "san-pham-ocop",
        "Giảo cổ lam khô – túi 200 g",
        120_000,
        40,
        "herb",
        {"weight_grams": 220, "package_size": "Túi zip 200 g", "shelf_life": "24 tháng"},
        "Giảo cổ lam năm lá trồng dưới tán rừng, thu hái đúng mùa, sấy khô.",
    ),
    (
        "htx-duoc-lieu-quang-bach",
        "duoc-lieu",
        "san-pham-ocop",
        "Cao giảo cổ lam – hộp 100 g",
        380_000,
        12,
        "jar",
        {"weight_grams": 200, "package_size": "Hộp 100 g", "shelf_life": "24 tháng"},
        "Cao cô đặc từ giảo cổ lam, pha với nước ấm dùng hằng ngày.",
    ),
    (
        "htx-duoc-lieu-quang-bach",
        "duoc-lieu",
        "san-pham-ocop",
        "Trà gừng mật ong – hộp 20 gói",
        90_000,
        35,
        "herb",
        {"weight_grams": 260, "package_size": "Hộp 20 gói", "shelf_life": "18 tháng"},
        "Gừng núi và mật ong rừng, uống ấm người những ngày mưa rét.",
    ),
    (
        "htx-duoc-lieu-quang-bach",
        "my-pham-thao-duoc",
        "san-pham-ocop",
        "Tinh dầu sả chanh – chai 50 ml",
        85_000,
        30,
        "bottle",
        {"weight_grams": 120, "package_size": "Chai thủy tinh 50 ml", "shelf_life": "36 tháng"},
        "Tinh dầu chưng cất từ sả trồng trên nương, xông phòng và đuổi muỗi.",
    ),
    (
        "htx-duoc-lieu-quang-bach",
        "my-pham-thao-duoc",
        "san-pham-ocop",
        "Xà phòng thảo dược – bánh 100 g",
        45_000,
        60,
        "herb",
        {"weight_grams": 110, "package_size": "Bánh 100 g", "shelf_life": "24 tháng"},
        "Xà phòng làm lạnh từ dầu dừa, lá tắm và tinh dầu sả.",
    ),
    (
        "htx-duoc-lieu-quang-bach",
        "duoc-lieu",
        "san-pham-ocop",
        "Lá tắm người Dao – túi 500 g",
        55_000,
        50,
        "herb",
        {"weight_grams": 520, "package_size": "Túi 500 g", "shelf_life": "12 tháng"},
        "Bài thuốc tắm từ hơn mười loại lá rừng, giúp thư giãn sau ngày dài.",
    ),
    # HTX Thổ cẩm Yên Thịnh
    (
        "htx-tho-cam-yen-thinh",
        "det-may-theu",
        "san-pham-ocop",
        "Khăn thổ cẩm Tày dệt tay",
        250_000,
        15,
        "weave",
        {"weight_grams": 200, "package_size": "Hộp giấy", "shelf_life": "Không áp dụng"},
        "Khăn dài 1,8 m, dệt tay bằng sợi bông nhuộm chàm và nhuộm lá.",
    ),
    (
        "htx-tho-cam-yen-thinh",
        "det-may-theu",
        "san-pham-ocop",
        "Túi xách thổ cẩm",
        320_000,
        10,
        "weave",
        {"weight_grams": 350, "package_size": "Túi vải", "shelf_life": "Không áp dụng"},
        "Túi đeo vai lót vải bông, hoa văn trám của người Tày.",
    ),
    (
        "htx-tho-cam-yen-thinh",
        "det-may-theu",
        "san-pham-ocop",
        "Móc khóa thổ cẩm – bộ 5 chiếc",
        75_000,
        40,
        "weave",
        {"weight_grams": 80, "package_size": "Túi giấy", "shelf_life": "Không áp dụng"},
        "Quà lưu niệm nhỏ xinh từ vải thổ cẩm còn thừa sau khi may túi.",
    ),
    (
        "htx-tho-cam-yen-thinh",
        "may-tre-dan-go",
        "san-pham-ocop",
        "Giỏ mây đan – cỡ vừa",
        180_000,
        20,
        "basket",
        {"weight_grams": 600, "package_size": "Bọc giấy", "shelf_life": "Không áp dụng"},
        "Giỏ mây đan tay có quai, đựng đồ đi chợ hoặc trang trí.",
    ),
    (
        "htx-tho-cam-yen-thinh",
        "may-tre-dan-go",
        "san-pham-ocop",
        "Mâm tre đan – đường kính 60 cm",
        220_000,
        8,
        "basket",
        {"weight_grams": 1200, "package_size": "Bọc giấy", "shelf_life": "Không áp dụng"},
        "Mâm tre hun khói chống mọt, dùng bày mâm cỗ hoặc phơi nông sản.",
    ),
    (
        "htx-tho-cam-yen-thinh",
        "may-tre-dan-go",
        "san-pham-ocop",
        "Đũa gỗ nghiến – bộ 10 đôi",
        150_000,
        30,
        "wood",
        {"weight_grams": 400, "package_size": "Hộp giấy 10 đôi", "shelf_life": "Không áp dụng"},
        "Đũa gỗ nghiến tiện tay, không sơn phủ, bền và an toàn.",
    ),
    # HTX Du lịch cộng đồng Yên Phong
    (
        "htx-du-lich-yen-phong",
        "hoa-cay-canh",
        "san-pham-ocop",
        "Lan hài Chợ Đồn – chậu nhỏ",
        350_000,
        6,
        "orchid",
        {
            "weight_grams": 1500,
            "package_size": "Chậu nhựa 12 cm, đóng thùng giấy",
            "shelf_life": "Cây sống",
        },
        "Lan hài nhân giống tại vườn của hợp tác xã, không khai thác từ rừng.",
    ),
    (
        "htx-du-lich-yen-phong",
        "hoa-cay-canh",
        "san-pham-ocop",
        "Lan kim điệp – chậu gỗ",
        280_000,
        9,
        "orchid",
        {
            "weight_grams": 1200,
            "package_size": "Chậu gỗ, đóng thùng giấy",
            "shelf_life": "Cây sống",
        },
        "Lan kim điệp nở hoa vàng cam vào mùa xuân, dễ chăm.",
    ),
    (
        "htx-du-lich-yen-phong",
        "hoa-cay-canh",
        "san-pham-ocop",
        "Chè cổ thụ dáng bonsai mini",
        450_000,
        4,
        "orchid",
        {"weight_grams": 3000, "package_size": "Chậu sứ, đóng thùng gỗ", "shelf_life": "Cây sống"},
        "Cây chè Shan tuyết ươm từ hạt, uốn dáng bonsai để bàn.",
    ),
    (
        "htx-du-lich-yen-phong",
        "luu-tru-cong-dong",
        "trai-nghiem",
        "Homestay nhà sàn – 1 đêm cho 2 người",
        600_000,
        None,
        "house",
        {"duration": "1 đêm, gồm bữa tối và bữa sáng"},
        "Ngủ nhà sàn bên suối, ăn cơm lam và gà đồi, nghe hát then bên bếp lửa.",
    ),
    (
        "htx-du-lich-yen-phong",
        "trai-nghiem",
        "trai-nghiem",
        "Trải nghiệm nấu rượu men lá – 1 ngày",
        450_000,
        None,
        "house",
        {"duration": "1 ngày"},
        "Cùng bà con hái lá, làm men, đồ xôi và chưng cất rượu; mang về một chai do chính bạn nấu.",
    ),
]

# Facts every alcoholic drink of the demo shows (Decree 85/2021: licence number, date, issuer).
ALCOHOL_FACTS = {
    "production_licence": "Số 03/GP-SXR, ngày 12/5/2022, UBND huyện Chợ Đồn cấp",
    "alcohol_stamp": True,
}

# Legal details of the demo cooperatives: (code, short name, registration number, bank BIN,
# account). Account numbers are invented; the holder is the cooperative's legal name.
COOPERATIVE_PAPERS = {
    "htx-thanh-tam": ("HTX Thanh Tâm", "4700123456", "970405", "8800205123456"),
    "htx-che-shan-tuyet-cho-don": ("HTX Chè Chợ Đồn", "4700234567", "970418", "1234567890"),
    "htx-nong-nghiep-nghia-ta": ("HTX Nghĩa Tá", "4700345678", "970405", "8800205234567"),
    "htx-mien-dong-nam-cuong": ("HTX Nam Cường", "4700456789", "970436", "1023456789"),
    "htx-duoc-lieu-quang-bach": ("HTX Quảng Bạch", "4700567890", "970422", "0912345605"),
    "htx-tho-cam-yen-thinh": ("HTX Yên Thịnh", "4700678901", "970405", "8800205345678"),
    "htx-du-lich-yen-phong": ("HTX Yên Phong", "4700789012", "970415", "108876543210"),
}

# OCOP certificates: (cooperative, decision number, authority, authority type, signed on,
# stars or None when still waiting for an officer, status, product numbers in PRODUCTS).
CERTIFICATES = [
    (
        "htx-thanh-tam",
        "2150/QĐ-UBND",
        "UBND tỉnh Bắc Kạn",
        "provincial_pc",
        "2024-11-20",
        4,
        "verified",
        [1, 2, 3],
    ),
    (
        "htx-thanh-tam",
        "1032/QĐ-UBND",
        "UBND huyện Chợ Đồn",
        "district_pc",
        "2022-06-10",
        3,
        "expired",
        [4],
    ),
    (
        "htx-che-shan-tuyet-cho-don",
        "1876/QĐ-UBND",
        "UBND tỉnh Bắc Kạn",
        "provincial_pc",
        "2024-09-05",
        4,
        "verified",
        [6, 7, 8],
    ),
    (
        "htx-nong-nghiep-nghia-ta",
        "905/QĐ-UBND",
        "UBND tỉnh Bắc Kạn",
        "provincial_pc",
        "2025-05-16",
        3,
        "verified",
        [11, 13],
    ),
    (
        "htx-mien-dong-nam-cuong",
        "142/QĐ-BNNMT",
        "Bộ Nông nghiệp và Môi trường",
        "ministry",
        "2025-12-18",
        5,
        "verified",
        [19, 20, 21],
    ),
    (
        "htx-duoc-lieu-quang-bach",
        "2210/QĐ-UBND",
        "UBND tỉnh Thái Nguyên",
        "provincial_pc",
        "2026-10-02",
        None,
        "submitted",
        [26, 27],
    ),
    (
        "htx-tho-cam-yen-thinh",
        "1418/QĐ-UBND",
        "UBND tỉnh Bắc Kạn",
        "provincial_pc",
        "2023-12-26",
        3,
        "verified",
        [32],
    ),
]

HOME_PAGE = {
    "title": "Chợ OCOP",
    "hero_title": "Sản phẩm OCOP từ các hợp tác xã vùng cao",
    "hero_text": (
        "Rượu men lá, chè Shan tuyết, miến dong, mật ong rừng… mua thẳng từ người làm ra, "
        "giao tận nhà trên khắp Việt Nam."
    ),
}

CONTENT_PAGES = [
    {
        "slug": "gioi-thieu",
        "title": "Giới thiệu Chợ OCOP",
        "intro": "Một gian hàng chung cho các hợp tác xã OCOP của vùng Chợ Đồn cũ.",
        "paragraphs": [
            "Chợ OCOP giúp những hợp tác xã nhỏ ở miền núi đưa sản phẩm đạt chứng nhận OCOP "
            "đến người mua trên cả nước: mỗi hợp tác xã tự quản lý gian hàng, kho và đơn hàng "
            "của mình.",
            "Người mua có thể mua không cần tài khoản, thanh toán khi nhận hàng, và theo dõi từng "
            "kiện hàng. Cán bộ thương mại của vùng giới thiệu sản phẩm tiêu biểu trên trang chủ.",
        ],
    },
    {
        "slug": "huong-dan-mua-hang",
        "title": "Hướng dẫn mua hàng",
        "intro": "Đặt hàng trong bốn bước, không cần đăng ký.",
        "paragraphs": [
            "1. Chọn sản phẩm và bấm “Thêm vào giỏ”. 2. Nhập email để nhận xác nhận. 3. Nhập địa "
            "chỉ giao hàng: họ tên, số điện thoại, tỉnh/thành, xã/phường và số nhà. 4. Kiểm tra "
            "đơn và bấm “Đặt hàng”.",
            "Phí giao hàng được ghi rõ ở bước xác nhận. Giá sản phẩm đã gồm thuế GTGT.",
        ],
    },
]

DEMO_PASSWORD = "ocop-demo-2026"
STAFF_ACCOUNT = ("admin@cho-ocop.test", "Quản trị Chợ OCOP")
OFFICER_ACCOUNT = ("canbo@cho-ocop.test", "Cán bộ thương mại vùng Chợ Đồn")

# The demo region: the communes of the demo cooperatives, all in the former Chợ Đồn district.
REGION = {
    "name": "Vùng Chợ Đồn cũ",
    "slug": "cho-don",
    "communes": ["01933", "02020", "02026", "02038", "02044", "02071", "02083"],
    "intro": (
        "Bảy xã của huyện Chợ Đồn cũ (tỉnh Bắc Kạn trước năm 2025, nay thuộc Thái Nguyên): "
        "chè Shan tuyết, rượu men lá, miến dong, mật ong rừng và thổ cẩm Tày."
    ),
}
# Products featured on the home page, by title (none of them a drink of 15 % ABV or more).
FEATURED_PRODUCTS = [
    "Chè Shan tuyết búp bạc – hộp 100 g",
    "Mật ong rừng Nghĩa Tá – chai 500 ml",
    "Miến dong Nam Cường – gói 500 g",
    "Khăn thổ cẩm Tày dệt tay",
]
FEATURED_COOPERATIVES = ["htx-che-shan-tuyet-cho-don", "htx-mien-dong-nam-cuong"]
CAMPAIGN = {
    "title": "Quà Tết Chợ Đồn 2027",
    "slug": "qua-tet-2027",
    "tagline": "Giỏ quà Tết từ chè Shan tuyết, miến dong, mật ong rừng: giao trước 28 tháng Chạp.",
    "days_running": 60,
    "products": [
        "Hộp quà miến dong – 3 gói",
        "Chè Shan tuyết búp bạc – hộp 100 g",
        "Bánh chưng đen Chợ Đồn – chiếc 1 kg",
        "Mật ong rừng Nghĩa Tá – chai 500 ml",
    ],
}
STORY = {
    "cooperative": "htx-thanh-tam",
    "title": "Men lá của người Tày Bằng Phúc",
    "slug": "men-la-bang-phuc",
    "intro": "Hơn hai mươi loại lá rừng, một bồ tre và bí quyết truyền qua nhiều đời.",
    "paragraphs": [
        "Mỗi mùa lúa nếp nương, chị Tâm cùng các chị em trong hợp tác xã lên rừng hái lá làm "
        "men: lá ổi, lá riềng, lá gừng và hơn hai mươi loại lá khác mà chỉ người làm lâu năm "
        "mới nhận ra.",
        "Men được giã, nặn viên, ủ trong bồ tre lót rơm rồi phơi trên gác bếp. Rượu nấu bằng men "
        "lá thơm dịu, uống êm, là niềm tự hào của xã Bằng Phúc cũ.",
    ],
}
REVIEWER_ACCOUNT = ("duyet@cho-ocop.test", "Cán bộ duyệt Sở Công Thương")
