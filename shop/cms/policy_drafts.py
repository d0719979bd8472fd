"""Vietnamese first drafts of the policy pages Vietnamese e-commerce rules require.

They describe what this software really does (payments, parcels, refunds, personal data) so
that a lawyer starts from the truth; each page says on top that it is a draft to be checked.
Placeholders in braces are filled from settings by `shop.cms.policies.install_policy_pages`.
Sources of each requirement: /work/shared/specs/legal-vn.md sections 2 and 4.
"""

from dataclasses import dataclass

DRAFT_NOTE = "Bản dự thảo: luật sư cần kiểm tra và điều chỉnh trước khi áp dụng chính thức."


@dataclass(frozen=True)
class Draft:
    policy: str
    slug: str
    title: str
    intro: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]


OPERATOR = Draft(
    policy="operator",
    slug="thong-tin-don-vi-van-hanh",
    title="Thông tin đơn vị vận hành",
    intro=f"{DRAFT_NOTE} Ai sở hữu và chịu trách nhiệm về sàn Chợ OCOP.",
    sections=(
        (
            "Chủ sở hữu sàn giao dịch thương mại điện tử",
            (
                "<ul>"
                "<li><b>Tên đơn vị:</b> {operator_name}</li>"
                "<li><b>Địa chỉ trụ sở:</b> {operator_address}</li>"
                "<li><b>Đăng ký kinh doanh:</b> {operator_registration}</li>"
                "<li><b>Người đại diện:</b> {operator_representative}</li>"
                "<li><b>Điện thoại:</b> {operator_phone}</li>"
                "<li><b>Email:</b> {operator_email}</li>"
                "</ul>",
            ),
        ),
        (
            "Người bán trên sàn",
            (
                "<p>Sản phẩm trên Chợ OCOP do các hợp tác xã có sản phẩm đạt chứng nhận OCOP tự "
                "đăng bán. Tên, địa chỉ, số đăng ký và thông tin liên hệ của từng hợp tác xã "
                'được công khai trên <a href="{cooperatives_url}">trang hợp tác xã</a> và bên '
                "cạnh mỗi sản phẩm.</p>",
            ),
        ),
        (
            "Đăng ký với Bộ Công Thương",
            (
                "<p>Thông tin đăng ký sàn giao dịch thương mại điện tử với Bộ Công Thương được "
                "hiển thị bằng biểu tượng ở cuối mỗi trang sau khi được xác nhận.</p>",
            ),
        ),
    ),
)

TERMS = Draft(
    policy="terms",
    slug="quy-che-hoat-dong",
    title="Điều khoản sử dụng và Quy chế hoạt động",
    intro=f"{DRAFT_NOTE} Quy tắc chung cho người mua, hợp tác xã bán hàng và đơn vị vận hành.",
    sections=(
        (
            "1. Phạm vi và các bên",
            (
                "<p>Chợ OCOP là sàn giao dịch thương mại điện tử do {operator_name} (đơn vị vận "
                "hành) quản lý, nơi các hợp tác xã (người bán) bán sản phẩm OCOP của mình cho "
                "người mua trên toàn quốc. Khi sử dụng sàn hoặc đặt hàng, bạn đồng ý với quy chế "
                "này và các chính sách được dẫn chiếu ở cuối mỗi trang.</p>",
            ),
        ),
        (
            "2. Người bán",
            (
                "<ul>"
                "<li>Chỉ hợp tác xã đã cung cấp đầy đủ giấy tờ đăng ký, thông tin người đại "
                "diện và tài khoản ngân hàng, và được đơn vị vận hành xác minh, mới được bán "
                "hàng.</li>"
                "<li>Người bán chịu trách nhiệm về nguồn gốc, chất lượng, nhãn hàng hóa và "
                "thông tin sản phẩm; chứng nhận OCOP được cán bộ thương mại kiểm tra trước khi "
                "hiển thị.</li>"
                "<li>Người bán đồ uống có cồn phải có giấy phép phù hợp và công khai số, ngày cấp "
                "và cơ quan cấp giấy phép.</li>"
                "<li>Người bán xuất hóa đơn cho người mua theo quy định về hóa đơn điện tử.</li>"
                "</ul>",
            ),
        ),
        (
            "3. Người mua",
            (
                "<p>Người mua cung cấp họ tên, số điện thoại, email và địa chỉ giao hàng chính "
                "xác. Có thể mua hàng không cần tài khoản. Đồ uống có cồn chỉ bán cho người từ "
                "đủ 18 tuổi; người dưới 16 tuổi chỉ đặt hàng khi có sự đồng ý của cha, mẹ hoặc "
                "người giám hộ.</p>",
            ),
        ),
        (
            "4. Đặt hàng và giá",
            (
                "<p>Giá sản phẩm đã gồm thuế GTGT. Phí giao hàng được tính riêng theo từng kiện "
                "hàng và hiển thị trước khi đặt hàng. Ở bước xác nhận, người mua xem lại sản "
                "phẩm, số lượng, người bán, cách giao, các khoản phí, tổng tiền và phương thức "
                "thanh toán, và có thể sửa trước khi bấm “Đặt hàng”.</p>",
                "<p>Đơn thanh toán khi nhận hàng được xác nhận ngay khi đặt. Đơn chuyển khoản "
                "hoặc thanh toán bằng thẻ được xác nhận khi tiền đã về; nếu chưa thanh toán "
                "trong {expiry_minutes} phút, đơn tự hủy và hàng được trả lại kho.</p>",
            ),
        ),
        (
            "5. Vai trò và phí của đơn vị vận hành",
            (
                "<p>Đơn vị vận hành cung cấp nền tảng, nhận thanh toán thay người bán và chuyển "
                "tiền cho người bán sau khi hàng được giao, sau khi trừ phí dịch vụ "
                "{commission_percent}% giá trị hàng đã giao. Đơn vị vận hành kiểm duyệt tin đăng, "
                "gỡ bỏ sản phẩm vi phạm pháp luật hoặc theo yêu cầu của cơ quan có thẩm quyền, và "
                "hỗ trợ giải quyết khiếu nại giữa người mua và người bán.</p>",
            ),
        ),
        (
            "6. Hàng hóa bị cấm và hạn chế",
            (
                "<p>Không được bán hàng cấm, hàng giả, hàng không rõ nguồn gốc hoặc hàng không "
                "đúng với chứng nhận OCOP đã công bố. Đồ uống có độ cồn từ 15% trở lên không được "
                "quảng cáo, khuyến mại hay đưa vào chương trình giới thiệu; đồ uống có cồn không "
                "được thanh toán bằng tiền mặt khi nhận hàng.</p>",
            ),
        ),
        (
            "7. Thay đổi quy chế",
            (
                "<p>Mỗi lần sửa đổi, quy chế được ghi số phiên bản và ngày hiệu lực mới ở đầu "
                "trang. Đơn hàng đặt trước ngày đó theo phiên bản đang có hiệu lực khi đặt.</p>",
            ),
        ),
    ),
)

PRIVACY = Draft(
    policy="privacy",
    slug="chinh-sach-bao-mat",
    title="Chính sách bảo mật và xử lý dữ liệu cá nhân",
    intro=f"{DRAFT_NOTE} Chúng tôi thu thập dữ liệu gì, để làm gì, chia sẻ với ai và quyền của "
    "bạn.",
    sections=(
        (
            "1. Bên kiểm soát dữ liệu",
            (
                "<p>{operator_name}, {operator_address}. Liên hệ về dữ liệu cá nhân: "
                "{operator_email}, điện thoại {operator_phone}. Chính sách này áp dụng theo "
                "Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15 và Nghị định 356/2025/NĐ-CP.</p>",
            ),
        ),
        (
            "2. Dữ liệu chúng tôi thu thập",
            (
                "<ul>"
                "<li>Khi đặt hàng: email, họ tên, số điện thoại, địa chỉ giao hàng, ghi chú giao "
                "hàng, sản phẩm đã mua và lịch sử đơn hàng.</li>"
                "<li>Khi thanh toán: với chuyển khoản, tên và số tài khoản người chuyển cùng nội "
                "dung chuyển khoản do ngân hàng báo về; với thẻ, chỉ mã giao dịch do Stripe cấp: "
                "số thẻ được nhập trực tiếp cho Stripe, chúng tôi không nhìn thấy và không "
                "lưu.</li>"
                "<li>Khi bạn đồng ý với chính sách này: phiên bản chính sách, thời điểm, địa chỉ "
                "IP và thông tin trình duyệt.</li>"
                "<li>Khi mua đồ uống có cồn: thời điểm bạn xác nhận đã đủ 18 tuổi.</li>"
                "<li>Khi có tài khoản: email, họ tên và mật khẩu (chỉ lưu dạng mã hóa một "
                "chiều).</li>"
                "</ul>",
                "<p>Trang web chỉ dùng cookie cần thiết để hoạt động (phiên đăng nhập, giỏ hàng, "
                "ngôn ngữ, bảo mật biểu mẫu); không dùng cookie quảng cáo hay theo dõi hành vi "
                "của bên thứ ba.</p>",
            ),
        ),
        (
            "3. Dữ liệu nhạy cảm",
            (
                "<p>Lịch sử giao dịch và thông tin tài khoản ngân hàng là dữ liệu cá nhân nhạy "
                "cảm. Chỉ nhân viên có nhiệm vụ đối soát thanh toán và hoàn tiền được xem; mỗi "
                "hợp tác xã chỉ thấy các dòng hàng của chính mình.</p>",
            ),
        ),
        (
            "4. Mục đích xử lý",
            (
                "<ul>"
                "<li>Xác nhận, giao và thu tiền đơn hàng; gửi email xác nhận và thông báo tình "
                "trạng kiện hàng.</li>"
                "<li>Hoàn tiền, giải quyết đổi trả và khiếu nại.</li>"
                "<li>Thực hiện nghĩa vụ kế toán, hóa đơn, thuế và yêu cầu hợp pháp của cơ quan "
                "nhà nước.</li>"
                "<li>Bảo đảm an toàn hệ thống, phòng chống gian lận; tuân thủ quy định không bán "
                "đồ uống có cồn cho người dưới 18 tuổi.</li>"
                "</ul>"
                "<p>Chúng tôi không bán dữ liệu cá nhân và không dùng dữ liệu cho quảng cáo khi "
                "chưa có sự đồng ý riêng của bạn.</p>",
            ),
        ),
        (
            "5. Bên nhận dữ liệu",
            (
                "<ul>"
                "<li>Hợp tác xã bán sản phẩm: họ tên, số điện thoại, địa chỉ và các dòng hàng của "
                "mình, để chuẩn bị và gửi hàng.</li>"
                "<li>Đơn vị vận chuyển (GHN, Giao Hàng Tiết Kiệm, Viettel Post): họ tên, số điện "
                "thoại, địa chỉ và số tiền thu hộ, để giao hàng.</li>"
                "<li>Ngân hàng và dịch vụ báo giao dịch (SePay, Casso): để xác nhận chuyển khoản; "
                "Stripe (xử lý dữ liệu ngoài Việt Nam): để thanh toán bằng thẻ.</li>"
                "<li>Nhà cung cấp máy chủ và dịch vụ email, theo hợp đồng bảo mật.</li>"
                "<li>Cơ quan nhà nước có thẩm quyền, khi có yêu cầu theo quy định pháp luật.</li>"
                "</ul>",
            ),
        ),
        (
            "6. Thời gian lưu trữ",
            (
                "<p>Dữ liệu đơn hàng, thanh toán và hóa đơn được lưu trong thời hạn pháp luật "
                "kế toán và thuế yêu cầu; bản ghi sự đồng ý được lưu cùng đơn hàng. Dữ liệu "
                "không còn cần cho các mục đích trên được xóa hoặc khử nhận dạng.</p>",
            ),
        ),
        (
            "7. Quyền của bạn",
            (
                "<p>Bạn có quyền được biết; đồng ý, không đồng ý hoặc rút lại sự đồng ý; xem và "
                "nhận bản sao dữ liệu; chỉnh sửa; yêu cầu xóa, hủy hoặc khử nhận dạng dữ liệu "
                "(trừ dữ liệu pháp luật buộc phải lưu); phản đối hoặc hạn chế xử lý; khiếu nại, "
                "tố cáo và yêu cầu bồi thường thiệt hại.</p>",
                "<p>Gửi yêu cầu tới {operator_email} hoặc gọi {operator_phone}, kèm mã đơn hàng "
                "hoặc email đã dùng để chúng tôi xác minh bạn là chủ dữ liệu. Chúng tôi xác nhận "
                "đã nhận yêu cầu trong 2 ngày làm việc và thực hiện yêu cầu rút lại sự đồng ý "
                "hoặc phản đối xử lý trong 15 ngày (có thể gia hạn một lần khi cần, và sẽ báo "
                "cho bạn); các yêu cầu khác theo thời hạn pháp luật quy định. Việc rút lại sự "
                "đồng ý không ảnh hưởng đến việc xử lý đã thực hiện trước đó; khi đó chúng tôi "
                "có thể không nhận được đơn hàng mới của bạn.</p>",
            ),
        ),
        (
            "8. Trẻ em",
            (
                "<p>Dữ liệu của người dưới 16 tuổi chỉ được xử lý khi có sự đồng ý của cha, mẹ "
                "hoặc người giám hộ. Đồ uống có cồn chỉ bán cho người từ đủ 18 tuổi.</p>",
            ),
        ),
        (
            "9. Bảo vệ dữ liệu và sự cố",
            (
                "<p>Dữ liệu được truyền qua kết nối mã hóa (HTTPS), quyền truy cập được giới hạn "
                "theo vai trò. Khi xảy ra sự cố lộ, mất dữ liệu cá nhân, chúng tôi thông báo cho "
                "cơ quan chuyên trách bảo vệ dữ liệu cá nhân (Bộ Công an) trong vòng 72 giờ và "
                "thông báo cho người bị ảnh hưởng khi pháp luật yêu cầu.</p>",
            ),
        ),
        (
            "10. Phiên bản và sự đồng ý",
            (
                "<p>Khi đặt hàng, bạn đánh dấu ô đồng ý với chính sách này (ô không được đánh dấu "
                "sẵn). Chúng tôi lưu phiên bản chính sách, thời điểm, địa chỉ IP và trình duyệt "
                "của lần đồng ý đó cùng đơn hàng. Khi chính sách thay đổi, số phiên bản và ngày "
                "hiệu lực mới được ghi ở đầu trang; đơn hàng sau đó ghi nhận phiên bản mới.</p>",
            ),
        ),
    ),
)

RETURNS = Draft(
    policy="returns",
    slug="chinh-sach-doi-tra-hoan-tien",
    title="Chính sách kiểm hàng, đổi trả và hoàn tiền",
    intro=f"{DRAFT_NOTE} Cách kiểm hàng khi nhận, điều kiện đổi trả và cách hoàn tiền.",
    sections=(
        (
            "1. Kiểm hàng khi nhận",
            (
                "<p>Bạn được kiểm tra bên ngoài kiện hàng và số lượng, loại sản phẩm cùng nhân "
                "viên giao hàng trước khi nhận và trước khi trả tiền (với đơn thanh toán khi nhận "
                "hàng). Nếu kiện hàng bị móp, rách, ướt, thiếu hoặc sai sản phẩm, bạn có quyền "
                "từ chối nhận; hãy chụp ảnh và báo cho chúng tôi ngay.</p>",
            ),
        ),
        (
            "2. Trường hợp được đổi trả",
            (
                "<p>Trong 7 ngày kể từ khi nhận hàng, bạn được đổi hoặc trả hàng nếu sản phẩm bị "
                "lỗi, hư hỏng, hết hạn sử dụng, giao sai hoặc không đúng mô tả. Hãy gửi mã đơn "
                "hàng kèm ảnh hoặc video sản phẩm tới {operator_email} hoặc gọi "
                "{operator_phone}.</p>",
                "<p>Vì an toàn thực phẩm, thực phẩm và đồ uống đã giao đúng, còn hạn và không "
                "lỗi không được trả lại khi đổi ý. Sản phẩm không phải thực phẩm (thủ công mỹ "
                "nghệ, dược liệu đóng gói...) được trả lại khi đổi ý trong 7 ngày nếu còn nguyên "
                "vẹn, chưa sử dụng và còn bao bì.</p>",
            ),
        ),
        (
            "3. Phí gửi trả",
            (
                "<p>Sản phẩm lỗi, hư hỏng, hết hạn hoặc giao sai: hợp tác xã bán hàng chịu phí "
                "gửi trả và phí giao lại. Trả hàng khi đổi ý: người mua chịu phí gửi trả, phí "
                "giao hàng ban đầu không được hoàn.</p>",
            ),
        ),
        (
            "4. Hoàn tiền",
            (
                "<ul>"
                "<li>Thanh toán bằng thẻ: hoàn về chính thẻ đã thanh toán qua Stripe; thời gian "
                "tiền về tài khoản tùy ngân hàng phát hành thẻ.</li>"
                "<li>Chuyển khoản VietQR hoặc thanh toán khi nhận hàng: hoàn bằng chuyển khoản "
                "vào tài khoản ngân hàng do bạn cung cấp.</li>"
                "<li>Chúng tôi hoàn tiền trong 7 ngày làm việc kể từ khi xác nhận yêu cầu hợp lệ "
                "(với hàng phải gửi trả: kể từ khi hợp tác xã nhận lại hàng), không thu phí hoàn "
                "tiền, và gửi email báo khi đã hoàn.</li>"
                "<li>Đơn bị hủy sau khi đã thanh toán, tiền chuyển thừa hoặc chuyển sau khi đơn "
                "hết hạn cũng được hoàn theo cách trên.</li>"
                "</ul>",
            ),
        ),
        (
            "5. Hàng không giao được",
            (
                "<p>Nếu đơn vị vận chuyển không giao được và kiện hàng được chuyển hoàn về hợp "
                "tác xã, số tiền bạn đã trả trước cho các sản phẩm trong kiện đó được hoàn "
                "lại.</p>",
            ),
        ),
    ),
)

SHIPPING = Draft(
    policy="shipping",
    slug="chinh-sach-van-chuyen",
    title="Chính sách vận chuyển và giao nhận",
    intro=f"{DRAFT_NOTE} Ai giao hàng, phí giao hàng tính thế nào và cách theo dõi kiện hàng.",
    sections=(
        (
            "1. Phạm vi và đơn vị vận chuyển",
            (
                "<p>Chúng tôi giao hàng trên toàn quốc qua các đơn vị vận chuyển GHN (Giao Hàng "
                "Nhanh), Giao Hàng Tiết Kiệm và Viettel Post. Ở bước giao hàng, bạn chọn dịch vụ "
                "giao cho cả đơn; mỗi dịch vụ ghi rõ phí và thời gian giao dự kiến.</p>",
            ),
        ),
        (
            "2. Mỗi hợp tác xã một kiện hàng",
            (
                "<p>Sản phẩm được gửi trực tiếp từ hợp tác xã sản xuất. Một đơn hàng có sản phẩm "
                "của nhiều hợp tác xã sẽ được giao thành nhiều kiện, mỗi kiện có mã vận đơn "
                "riêng và có thể đến vào những ngày khác nhau.</p>",
            ),
        ),
        (
            "3. Phí giao hàng",
            (
                "<p>Phí giao của từng kiện do đơn vị vận chuyển báo giá theo khối lượng, nơi gửi "
                "và nơi nhận, và được hiển thị riêng với tiền hàng ở bước xác nhận đơn, trước "
                "khi bạn đặt hàng. Bạn không phải trả thêm khoản phí nào khác khi nhận "
                "hàng.</p>",
            ),
        ),
        (
            "4. Thời gian giao và theo dõi",
            (
                "<p>Đơn thanh toán khi nhận hàng được chuyển cho hợp tác xã đóng gói ngay; đơn "
                "trả trước được gửi đi khi tiền đã về. Bạn nhận email khi kiện hàng được gửi, "
                "và có thể theo dõi từng kiện tại trang "
                '<a href="{track_url}">Theo dõi đơn hàng</a> bằng mã đơn hàng cùng số điện '
                "thoại hoặc email đã dùng khi đặt.</p>",
            ),
        ),
        (
            "5. Nhận hàng",
            (
                "<p>Vui lòng giữ điện thoại liên lạc được; bạn được kiểm hàng trước khi nhận "
                "(xem Chính sách kiểm hàng, đổi trả và hoàn tiền). Người nhận đồ uống có cồn "
                "phải từ đủ 18 tuổi. Nếu giao không thành công, kiện hàng được chuyển hoàn về "
                "hợp tác xã và tiền đã trả trước được hoàn lại.</p>",
            ),
        ),
    ),
)

PAYMENT = Draft(
    policy="payment",
    slug="chinh-sach-thanh-toan",
    title="Chính sách thanh toán",
    intro=f"{DRAFT_NOTE} Các cách thanh toán, thời hạn thanh toán và an toàn giao dịch.",
    sections=(
        (
            "1. Chuyển khoản ngân hàng bằng mã VietQR",
            (
                "<p>Sau khi đặt hàng, bạn quét mã VietQR bằng ứng dụng ngân hàng bất kỳ; số tiền "
                "và nội dung chuyển khoản được điền sẵn. Tiền chuyển vào tài khoản của đơn vị "
                "vận hành; đơn được xác nhận tự động khi ngân hàng báo tiền về.</p>",
                "<p>Nếu chưa thanh toán trong {expiry_minutes} phút, đơn tự hủy và hàng được trả "
                "lại kho. Tiền chuyển thiếu, thừa hoặc sau khi đơn đã hủy được nhân viên đối "
                "soát và hoàn lại hoặc khôi phục đơn nếu hàng còn.</p>",
            ),
        ),
        (
            "2. Thẻ quốc tế qua Stripe",
            (
                "<p>Khi phương thức này hiển thị ở bước thanh toán, bạn có thể trả bằng thẻ "
                "Visa, Mastercard hoặc JCB. Thông tin thẻ được nhập trực tiếp cho Stripe, chúng "
                "tôi không nhìn thấy và không lưu số thẻ. Thời hạn thanh toán "
                "{expiry_minutes} phút như trên.</p>",
            ),
        ),
        (
            "3. Thanh toán khi nhận hàng (COD)",
            (
                "<p>Bạn trả tiền mặt cho nhân viên giao hàng sau khi kiểm hàng. {cod_rule} Theo "
                "Luật Phòng, chống tác hại của rượu, bia, đồ uống có cồn mua trực tuyến không "
                "được thanh toán bằng tiền mặt, nên giỏ hàng có đồ uống có cồn không có lựa chọn "
                "này.</p>",
            ),
        ),
        (
            "4. Số tiền và hóa đơn",
            (
                "<p>Tổng tiền ở bước xác nhận gồm giá sản phẩm (đã gồm thuế GTGT) và phí giao "
                "hàng; đó là số tiền duy nhất bạn phải trả. Đơn vị vận hành nhận tiền thay các "
                "hợp tác xã và chuyển cho họ sau khi hàng được giao. Hóa đơn do hợp tác xã bán "
                "hàng xuất.</p>",
            ),
        ),
        (
            "5. Hoàn tiền",
            (
                "<p>Tiền được hoàn theo Chính sách kiểm hàng, đổi trả và hoàn tiền: về thẻ đã "
                "dùng, hoặc bằng chuyển khoản với các cách thanh toán khác.</p>",
            ),
        ),
    ),
)

COMPLAINTS = Draft(
    policy="complaints",
    slug="giai-quyet-khieu-nai",
    title="Cơ chế giải quyết khiếu nại, tranh chấp",
    intro=f"{DRAFT_NOTE} Cách gửi khiếu nại, thời hạn trả lời và các bước giải quyết.",
    sections=(
        (
            "1. Gửi khiếu nại",
            (
                "<p>Gửi khiếu nại tới {operator_email} hoặc gọi {operator_phone}, kèm mã đơn "
                "hàng, nội dung khiếu nại và ảnh, video nếu có. Thời hạn khiếu nại về sản phẩm "
                "lỗi, giao sai là 7 ngày kể từ khi nhận hàng; các khiếu nại khác theo quy định "
                "pháp luật.</p>",
            ),
        ),
        (
            "2. Các bước giải quyết",
            (
                "<ol>"
                "<li>Chúng tôi xác nhận đã nhận khiếu nại trong 2 ngày làm việc.</li>"
                "<li>Chúng tôi chuyển khiếu nại cho hợp tác xã liên quan; hợp tác xã trả lời "
                "trong 3 ngày làm việc.</li>"
                "<li>Đơn vị vận hành xem xét ý kiến hai bên và trả lời bạn phương án giải quyết "
                "(đổi hàng, hoàn tiền hoặc lý do từ chối) trong 7 ngày làm việc kể từ khi nhận "
                "khiếu nại.</li>"
                "</ol>",
            ),
        ),
        (
            "3. Khi không đồng ý với kết quả",
            (
                "<p>Các bên ưu tiên thương lượng, hòa giải. Nếu không thành, bạn có thể yêu cầu "
                "cơ quan quản lý nhà nước về bảo vệ quyền lợi người tiêu dùng hỗ trợ, hoặc khởi "
                "kiện tại tòa án theo Luật Bảo vệ quyền lợi người tiêu dùng số 19/2023/QH15. Đơn "
                "vị vận hành cung cấp thông tin người bán và lịch sử giao dịch liên quan để hỗ "
                "trợ bạn.</p>",
            ),
        ),
        (
            "4. Trách nhiệm",
            (
                "<p>Hợp tác xã chịu trách nhiệm về chất lượng sản phẩm mình bán. Đơn vị vận "
                "hành chịu trách nhiệm về hoạt động của sàn, việc nhận và hoàn tiền, và xử lý "
                "người bán vi phạm (cảnh báo, ẩn sản phẩm, ngừng bán hàng).</p>",
            ),
        ),
    ),
)

#: The footer's order: who runs the market first, as Decree 52 lists it.
DRAFTS = (OPERATOR, TERMS, PRIVACY, RETURNS, SHIPPING, PAYMENT, COMPLAINTS)
