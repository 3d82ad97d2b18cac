//! Believable Vietnamese petitions, a different one for every number: who files it, about what,
//! where, with its own plot, amounts and dates so no two are alike.

use serde_json::{Value, json};

const SURNAMES: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
    "Dương", "Lý",
];
const MIDDLE: &[&str] =
    &["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Xuân", "Thu", "Công", "Kim"];
const GIVEN: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Đạt", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Hương", "Khánh", "Lan",
    "Long", "Mai", "Nam", "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vân", "Yến",
];
const VILLAGES: &[&str] = &[
    "thôn Đông",
    "thôn Trung",
    "thôn Bến Đò",
    "xóm Mới",
    "khu phố 3",
    "tổ dân phố 7",
    "ấp Tân Lập",
    "bản Nà Phặc",
];

/// (kind, subject, what happened, what is asked) — complaints and recommendations, the two kinds a
/// lifecycle takes through accept, assign and resolve without a confidential identity.
const MATTERS: &[(&str, &str, &str, &str)] = &[
    (
        "complaint",
        "Khiếu nại quyết định thu hồi đất",
        "Ủy ban ra quyết định thu hồi đất của gia đình tôi nhưng giá bồi thường thấp hơn giá thị trường",
        "đề nghị xem xét lại giá bồi thường và hỗ trợ tái định cư",
    ),
    (
        "complaint",
        "Khiếu nại việc cấp giấy chứng nhận quyền sử dụng đất",
        "hồ sơ cấp giấy chứng nhận của gia đình tôi đã nộp quá hạn mà chưa được giải quyết",
        "đề nghị cấp giấy chứng nhận đúng diện tích đang sử dụng",
    ),
    (
        "complaint",
        "Khiếu nại quyết định xử phạt vi phạm hành chính về xây dựng",
        "đội quản lý trật tự đô thị lập biên bản và xử phạt việc sửa chữa nhà ở của tôi",
        "đề nghị hủy quyết định xử phạt vì công trình đã có giấy phép",
    ),
    (
        "recommendation",
        "Kiến nghị sửa chữa đường giao thông nông thôn",
        "tuyến đường liên thôn xuống cấp nghiêm trọng, mùa mưa ngập sâu, học sinh đi lại khó khăn",
        "đề nghị Ủy ban bố trí kinh phí sửa chữa trước mùa mưa",
    ),
    (
        "recommendation",
        "Kiến nghị về ô nhiễm môi trường của cơ sở chăn nuôi",
        "trại lợn gần khu dân cư xả nước thải chưa qua xử lý ra mương tưới, gây mùi hôi",
        "đề nghị kiểm tra và buộc cơ sở xử lý nước thải",
    ),
    (
        "recommendation",
        "Kiến nghị giải quyết chế độ chính sách người có công",
        "hồ sơ hưởng trợ cấp của thân nhân liệt sĩ đã nộp nhưng chưa được xét",
        "đề nghị xem xét giải quyết chế độ theo quy định",
    ),
];

/// A small integer hash (splitmix64): the same number gives the same petition.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn pick<'a>(list: &[&'a str], r: u64) -> &'a str {
    list[(r % list.len() as u64) as usize]
}

/// A new petition, number `n`: its body for `POST /api/v1/petitions`, its kind and the
/// petitioner's name (what the lifecycle then searches for).
pub fn petition(n: u64) -> (Value, &'static str, String) {
    let r = mix(n);
    let (kind, subject, facts, ask) = MATTERS[(r % MATTERS.len() as u64) as usize];
    let name = format!("{} {} {}", pick(SURNAMES, r >> 8), pick(MIDDLE, r >> 16), pick(GIVEN, r >> 24));
    let village = pick(VILLAGES, r >> 32);
    let plot = 100 + (r >> 40) % 900;
    let sheet = 1 + (r >> 50) % 60;
    let area = 80 + (r >> 20) % 400;
    let content = format!(
        "Kính gửi Chủ tịch Ủy ban nhân dân. Tôi là {name}, trú tại {village}. Gia đình tôi sử dụng thửa đất số {plot}, \
         tờ bản đồ số {sheet}, diện tích {area} m2 từ năm {}. Thời gian qua {facts}. Tôi đã nhiều lần phản ánh với cán bộ \
         địa chính nhưng chưa được trả lời bằng văn bản. Vì vậy tôi {ask}. Xin trân trọng cảm ơn. (Hồ sơ số {n})",
        1985 + (r >> 12) % 30
    );
    let body = json!({
        "kind": kind,
        "channel": if r.is_multiple_of(3) { "post" } else { "in_person" },
        "subject": format!("{subject} tại {village}, thửa {plot}"),
        "content": content,
        "petitioner": {
            "full_name": name,
            // A CCCD number: province code 036, century and sex, year of birth, serial.
            "id_number": format!("036{}{:02}{:06}", (r >> 4) % 2, 50 + (r >> 6) % 50, n % 1_000_000),
            "address": format!("{village}, tỉnh Thanh Sơn"),
            "phone": format!("09{:08}", (r >> 10) % 100_000_000),
        },
        "anonymous": false,
        "signatories": 1
    });
    (body, kind, name)
}

/// A resolution for a case of `kind` (a complaint needs its conclusion).
pub fn resolution(kind: &str, n: u64) -> Value {
    let result = format!(
        "Đã xác minh tại thực địa và làm việc với các bên liên quan; trả lời công dân bằng văn bản số {}/UBND ngày hôm nay.",
        100 + n % 900
    );
    if kind == "complaint" {
        let conclusion = ["right", "partly_right", "wrong"][(mix(n) % 3) as usize];
        json!({"action": "resolve", "result": result, "conclusion": conclusion})
    } else {
        json!({"action": "resolve", "result": result})
    }
}
