//! The words of a seeded register: Vietnamese people's names, places, and the subjects and
//! contents of petitions by kind and topic. Weighted so that the register reads like a real one:
//! family names in their real proportions (Nguyễn, Trần, Lê, Phạm…), land and compensation far
//! ahead of other matters.

use chrono::NaiveDate;
use rand::Rng;

use crate::domain::{
    person::Person,
    petition::{Kind, field::Field},
};

/// One of `items`, uniformly.
pub fn pick<'a, T, R: Rng>(rng: &mut R, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

/// One of the texts `items`.
pub fn one<R: Rng>(rng: &mut R, items: &[&'static str]) -> &'static str {
    items[rng.random_range(0..items.len())]
}

/// One of `items` by weight.
pub fn weighted<T: Copy, R: Rng>(rng: &mut R, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut n = rng.random_range(0..total);
    for (item, w) in items {
        if n < *w {
            return *item;
        }
        n -= w;
    }
    items[items.len() - 1].0
}

/// Family names by their share of the population (per mille, roughly).
const FAMILY: &[(&str, u32)] = &[
    ("Nguyễn", 380),
    ("Trần", 110),
    ("Lê", 95),
    ("Phạm", 70),
    ("Hoàng", 35),
    ("Huỳnh", 20),
    ("Phan", 45),
    ("Vũ", 25),
    ("Võ", 15),
    ("Đặng", 20),
    ("Bùi", 20),
    ("Đỗ", 14),
    ("Hồ", 13),
    ("Ngô", 13),
    ("Dương", 10),
    ("Lý", 5),
    ("Đinh", 6),
    ("Trịnh", 5),
    ("Lương", 4),
    ("Mai", 4),
    ("Tạ", 3),
    ("Quách", 2),
    ("Lưu", 3),
    ("Cao", 3),
    ("Chu", 2),
];

const MALE_MIDDLE: &[&str] = &[
    "Văn", "Văn", "Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Thanh", "Xuân", "Ngọc", "Đình", "Trọng",
    "Quốc",
];
const FEMALE_MIDDLE: &[&str] =
    &["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Minh", "Hồng", "Phương", "Thùy", "Mỹ"];
const MALE_GIVEN: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Hưng", "Khoa", "Long", "Minh", "Nam", "Phúc",
    "Quân", "Sơn", "Thắng", "Thành", "Trung", "Tuấn", "Việt", "Hiếu", "Toàn", "Khải", "Lộc", "Tâm", "Thịnh",
    "Vinh", "Quý", "Hòa", "Tiến",
];
const FEMALE_GIVEN: &[&str] = &[
    "Anh", "Bích", "Chi", "Dung", "Giang", "Hà", "Hằng", "Hạnh", "Hoa", "Hồng", "Hương", "Lan", "Liên",
    "Linh", "Mai", "Ngọc", "Nhung", "Phương", "Thảo", "Trang", "Tuyết", "Yến", "Huyền", "Oanh", "Thủy",
    "Loan", "Nga", "Vân", "Xuân", "Hiền",
];

/// A Vietnamese full name: family, middle and given name, male or female.
pub fn full_name<R: Rng>(rng: &mut R) -> String {
    let family = weighted(rng, FAMILY);
    let (middle, given) = if rng.random_bool(0.5) {
        (one(rng, MALE_MIDDLE), one(rng, MALE_GIVEN))
    } else {
        (one(rng, FEMALE_MIDDLE), one(rng, FEMALE_GIVEN))
    };
    format!("{family} {middle} {given}")
}

const STREETS: &[&str] = &[
    "Trần Phú",
    "Lê Lợi",
    "Nguyễn Trãi",
    "Hùng Vương",
    "Quang Trung",
    "Lý Thường Kiệt",
    "Hai Bà Trưng",
    "Trần Hưng Đạo",
    "Nguyễn Du",
    "Lê Duẩn",
    "Phan Đình Phùng",
    "Võ Thị Sáu",
    "Điện Biên Phủ",
    "Bà Triệu",
];

/// Where someone of `place` (a commune's or ward's name) lives.
pub fn address<R: Rng>(rng: &mut R, place: &str) -> String {
    match rng.random_range(0..3) {
        0 => format!("Số {} đường {}, {place}", rng.random_range(1..300), one(rng, STREETS)),
        1 => format!("Tổ {}, khu {}, {place}", rng.random_range(1..30), rng.random_range(1..12)),
        _ => format!("Thôn {}, {place}", one(rng, VILLAGES)),
    }
}

const VILLAGES: &[&str] = &[
    "Đông",
    "Đoài",
    "Thượng",
    "Hạ",
    "Trung",
    "Tân Thành",
    "Phú Lộc",
    "Yên Bình",
    "Bãi Sậy",
    "Cầu Đá",
    "Gò Mây",
];

/// A citizen of `place`: name, a 12-digit citizen identity number (CCCD: province, century and
/// sex, year of birth, serial), address, and sometimes a phone or an e-mail.
pub fn person<R: Rng>(rng: &mut R, place: &str, province_code: u32) -> Person {
    let full_name = full_name(rng);
    let born = rng.random_range(1940..2006u32);
    let century_sex = if born >= 2000 { 2 } else { 0 } + rng.random_range(0..2u32);
    let id_number =
        format!("{province_code:03}{century_sex}{:02}{:06}", born % 100, rng.random_range(0..1_000_000u32));
    let phone = rng.random_bool(0.7).then(|| {
        let prefix = one(rng, &["09", "03", "08", "07"]);
        format!("{prefix}{:08}", rng.random_range(0..100_000_000u32))
    });
    let email = rng.random_bool(0.15).then(|| {
        let folded = crate::domain::text::fold(&full_name).replace(' ', "");
        format!("{folded}{}@gmail.com", rng.random_range(10..99))
    });
    Person { full_name, id_number: Some(id_number), address: Some(address(rng, place)), phone, email }
}

/// The fields of a commune's or a ward's name, to make many distinct ones.
const PLACE_FIRST: &[&str] = &[
    "Tân", "Hòa", "Đông", "Tây", "Nam", "Bắc", "Yên", "Phú", "Vĩnh", "An", "Hưng", "Thanh", "Quang", "Đức",
    "Minh", "Long", "Thái", "Xuân", "Hợp", "Kim",
];
const PLACE_SECOND: &[&str] = &[
    "Lập", "Bình", "Thịnh", "Thành", "Lợi", "Tiến", "Sơn", "Khánh", "Mỹ", "Lộc", "Phong", "Hải", "Đạt",
    "Trung", "Nghĩa",
];

/// The `i`-th commune or ward name of the province (distinct for the first 300).
pub fn place_name(i: usize) -> String {
    let first = PLACE_FIRST[i % PLACE_FIRST.len()];
    let second = PLACE_SECOND[(i / PLACE_FIRST.len() + i % PLACE_FIRST.len()) % PLACE_SECOND.len()];
    let kind = if i.is_multiple_of(4) { "phường" } else { "xã" };
    format!("{kind} {first} {second}")
}

/// A topic of petitions: the subjects and sentences that make their text.
struct Topic {
    weight: u32,
    /// The reports' field of its petitions.
    field: Field,
    complaint: &'static [&'static str],
    denunciation: &'static [&'static str],
    recommendation: &'static [&'static str],
    facts: &'static [&'static str],
}

/// `{n}`: a number; `{d}`: a date; `{p}`: a project; `{s}`: a street; `{q}`: a decision number.
const TOPICS: &[Topic] = &[
    Topic {
        weight: 30,
        field: Field::LandHousing,
        complaint: &[
            "Khiếu nại quyết định thu hồi đất thửa số {n}, tờ bản đồ số {m}",
            "Khiếu nại việc bồi thường, hỗ trợ khi thu hồi đất thực hiện dự án {p}",
            "Khiếu nại Quyết định số {q} về việc thu hồi đất",
            "Khiếu nại việc không cấp giấy chứng nhận quyền sử dụng đất",
        ],
        denunciation: &[
            "Tố cáo cán bộ địa chính nhận tiền khi làm thủ tục cấp giấy chứng nhận",
            "Tố cáo việc lập hồ sơ bồi thường sai đối tượng tại dự án {p}",
            "Tố cáo hành vi giao đất trái thẩm quyền",
        ],
        recommendation: &[
            "Kiến nghị xem xét lại đơn giá bồi thường dự án {p}",
            "Kiến nghị đo đạc lại diện tích thửa đất số {n}",
            "Đề nghị giải quyết tranh chấp ranh giới đất với hộ liền kề",
            "Phản ánh việc chậm cấp giấy chứng nhận quyền sử dụng đất",
        ],
        facts: &[
            "Gia đình tôi sử dụng ổn định thửa đất số {n}, tờ bản đồ số {m} từ năm {y}, không có tranh chấp.",
            "Theo biên bản kiểm đếm ngày {d}, diện tích đất bị thu hồi là {n} m², nhưng phương án bồi thường chỉ tính {k} m².",
            "Đơn giá bồi thường thấp hơn nhiều so với giá thị trường tại khu vực.",
            "Tôi đã nộp hồ sơ tại bộ phận một cửa ngày {d} nhưng đến nay chưa được giải quyết.",
            "Hộ liền kề tự ý xây tường lấn sang phần đất của gia đình tôi khoảng {k} m².",
        ],
    },
    Topic {
        weight: 14,
        field: Field::LandHousing,
        complaint: &[
            "Khiếu nại việc xử phạt vi phạm hành chính trong lĩnh vực xây dựng",
            "Khiếu nại việc từ chối cấp giấy phép xây dựng nhà ở riêng lẻ",
            "Khiếu nại quyết định cưỡng chế tháo dỡ công trình",
        ],
        denunciation: &[
            "Tố cáo việc xây dựng trái phép không bị xử lý tại đường {s}",
            "Tố cáo cán bộ bao che công trình xây dựng sai phép",
        ],
        recommendation: &[
            "Phản ánh công trình xây dựng lấn chiếm hành lang đường {s}",
            "Kiến nghị cấp phép sửa chữa nhà ở bị xuống cấp",
            "Phản ánh công trình xây dựng gây nứt nhà liền kề",
        ],
        facts: &[
            "Công trình số {n} đường {s} xây vượt số tầng được cấp phép.",
            "Quá trình thi công gây nứt tường, lún nền nhà của gia đình tôi.",
            "Tôi đã nộp đầy đủ hồ sơ xin cấp phép ngày {d} nhưng bị từ chối không nêu lý do.",
            "Quyết định số {q} xử phạt gia đình tôi không đúng hành vi vi phạm.",
        ],
    },
    Topic {
        weight: 14,
        field: Field::Administrative,
        complaint: &["Khiếu nại việc xử phạt cơ sở sản xuất về môi trường"],
        denunciation: &[
            "Tố cáo cơ sở sản xuất xả thải trái phép ra kênh {s}",
            "Tố cáo việc khai thác cát trái phép trên sông",
        ],
        recommendation: &[
            "Phản ánh ô nhiễm tiếng ồn từ xưởng cơ khí ban đêm",
            "Phản ánh rác thải tập kết sai nơi quy định tại chợ",
            "Kiến nghị xử lý mùi hôi từ trại chăn nuôi gần khu dân cư",
            "Phản ánh khói bụi từ lò gạch thủ công",
        ],
        facts: &[
            "Cơ sở hoạt động cả ban đêm, gây tiếng ồn và bụi ảnh hưởng đến sức khỏe người dân.",
            "Nước thải chưa qua xử lý chảy thẳng ra kênh, bốc mùi hôi thối.",
            "Người dân đã phản ánh nhiều lần từ tháng {k} nhưng tình trạng vẫn tiếp diễn.",
            "Rác thải tồn đọng nhiều ngày không được thu gom, gây mất vệ sinh.",
        ],
    },
    Topic {
        weight: 12,
        field: Field::Policy,
        complaint: &[
            "Khiếu nại việc cắt chế độ trợ cấp xã hội",
            "Khiếu nại việc không công nhận hộ cận nghèo",
            "Khiếu nại việc giải quyết chế độ người có công",
        ],
        denunciation: &[
            "Tố cáo việc lập danh sách hộ nghèo không đúng đối tượng",
            "Tố cáo việc chi trả trợ cấp sai quy định",
        ],
        recommendation: &[
            "Đề nghị xem xét chế độ trợ cấp cho người cao tuổi",
            "Kiến nghị hỗ trợ hộ gia đình bị thiệt hại do mưa bão",
            "Đề nghị giải quyết chế độ bảo hiểm y tế cho hộ cận nghèo",
        ],
        facts: &[
            "Gia đình tôi thuộc diện khó khăn, có {k} người phụ thuộc nhưng không được xét hỗ trợ.",
            "Danh sách bình xét năm {y} có hộ đủ điều kiện kinh tế vẫn được đưa vào.",
            "Tôi đã nộp hồ sơ từ ngày {d} nhưng chưa nhận được trả lời.",
        ],
    },
    Topic {
        weight: 10,
        field: Field::Administrative,
        complaint: &["Khiếu nại việc giải quyết thủ tục hành chính quá hạn"],
        denunciation: &[
            "Tố cáo cán bộ gây phiền hà, sách nhiễu khi giải quyết thủ tục hành chính",
            "Tố cáo hành vi thiếu trách nhiệm của cán bộ xã",
        ],
        recommendation: &[
            "Phản ánh thái độ tiếp dân của cán bộ bộ phận một cửa",
            "Kiến nghị rút ngắn thời gian giải quyết thủ tục chứng thực",
            "Phản ánh việc chậm trả kết quả hồ sơ đăng ký kinh doanh",
        ],
        facts: &[
            "Cán bộ yêu cầu bổ sung giấy tờ ngoài quy định nhiều lần.",
            "Hồ sơ nộp ngày {d}, hẹn trả kết quả sau {k} ngày nhưng đến nay vẫn chưa có.",
            "Cán bộ có lời nói thiếu chuẩn mực với người dân đến làm thủ tục.",
        ],
    },
    Topic {
        weight: 10,
        field: Field::LandHousing,
        complaint: &["Khiếu nại việc thu hồi đất làm đường giao thông {s}"],
        denunciation: &["Tố cáo sai phạm trong thi công công trình đường giao thông {p}"],
        recommendation: &[
            "Kiến nghị sửa chữa tuyến đường {s} xuống cấp",
            "Kiến nghị lắp đèn chiếu sáng ngõ {n} đường {s}",
            "Phản ánh mương thoát nước bị tắc gây ngập úng",
        ],
        facts: &[
            "Mặt đường hư hỏng nặng, nhiều ổ gà, gây nguy hiểm cho người tham gia giao thông.",
            "Mỗi khi mưa lớn, nước ngập sâu khoảng {k}0 cm trong nhiều giờ.",
            "Công trình thi công chậm tiến độ, vật liệu để ngổn ngang trên đường.",
        ],
    },
    Topic {
        weight: 10,
        field: Field::Administrative,
        complaint: &["Khiếu nại quyết định kỷ luật cán bộ, công chức"],
        denunciation: &[
            "Tố cáo việc thu các khoản đóng góp trái quy định",
            "Tố cáo sai phạm trong quản lý quỹ phòng chống thiên tai",
            "Tố cáo việc sử dụng tài sản công sai mục đích",
        ],
        recommendation: &[
            "Đề nghị công khai các khoản thu, chi tại thôn",
            "Phản ánh việc tổ chức cuộc họp dân chưa đúng quy định",
        ],
        facts: &[
            "Năm {y}, mỗi hộ phải đóng {k}00.000 đồng nhưng không có biên lai.",
            "Việc thu chi không được công khai trước nhân dân theo quy định.",
            "Quyết định số {q} áp dụng hình thức kỷ luật không tương xứng với vi phạm.",
        ],
    },
];

const PROJECTS: &[&str] = &[
    "đường Vành đai 2",
    "khu dân cư Đồng Mới",
    "cụm công nghiệp Nam Sơn",
    "mở rộng Quốc lộ 1A",
    "hồ điều hòa Trung tâm",
    "trường tiểu học số 2",
    "khu tái định cư Bắc Hà",
    "nâng cấp đê tả sông",
];

/// Fills a template's blanks.
fn fill<R: Rng>(rng: &mut R, template: &str, received_on: NaiveDate) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let key = &rest[start + 1..start + 2];
        rest = &rest[start + 3..];
        let y = chrono::Datelike::year(&received_on);
        match key {
            "n" => out.push_str(&rng.random_range(12..980).to_string()),
            "m" => out.push_str(&rng.random_range(1..60).to_string()),
            "k" => out.push_str(&rng.random_range(2..9).to_string()),
            "y" => out.push_str(&rng.random_range(y - 30..y).to_string()),
            "d" => {
                let before = received_on - chrono::Days::new(rng.random_range(20..400));
                out.push_str(&before.format("%d/%m/%Y").to_string());
            }
            "q" => out.push_str(&format!("{}/QĐ-UBND", rng.random_range(10..3000))),
            "p" => out.push_str(one(rng, PROJECTS)),
            "s" => out.push_str(one(rng, STREETS)),
            _ => {}
        }
    }
    out.push_str(rest);
    out
}

/// The subject and content of a petition of `kind` received on `received_on`.
pub fn petition_text<R: Rng>(rng: &mut R, kind: Kind, received_on: NaiveDate) -> (String, String, Field) {
    let weights: Vec<(usize, u32)> = TOPICS.iter().enumerate().map(|(i, t)| (i, t.weight)).collect();
    let topic = &TOPICS[weighted(rng, &weights)];
    let subjects = match kind {
        Kind::Complaint => topic.complaint,
        Kind::Denunciation => topic.denunciation,
        Kind::Recommendation | Kind::Feedback => topic.recommendation,
    };
    let template = one(rng, subjects);
    let subject = fill(rng, template, received_on);
    let opening = match kind {
        Kind::Complaint => "Tôi làm đơn này khiếu nại",
        Kind::Denunciation => "Tôi làm đơn này tố cáo",
        Kind::Recommendation => "Tôi làm đơn này kiến nghị",
        Kind::Feedback => "Tôi xin phản ánh",
    };
    let mut content = format!("{opening}: {}.", lower_first(&subject));
    let sentences = rng.random_range(1..=3);
    for _ in 0..sentences {
        content.push(' ');
        let template = one(rng, topic.facts);
        content.push_str(&fill(rng, template, received_on));
    }
    content.push_str(match kind {
        Kind::Complaint => " Đề nghị cơ quan có thẩm quyền xem xét, giải quyết theo quy định của pháp luật.",
        Kind::Denunciation => " Đề nghị xác minh, xử lý nghiêm và giữ bí mật thông tin người tố cáo.",
        Kind::Recommendation | Kind::Feedback => " Kính đề nghị UBND xem xét, giải quyết.",
    });
    (subject, content, topic.field)
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Where a petition may have come from when another body forwarded it.
pub const FORWARDING_BODIES: &[&str] = &[
    "Ban Dân nguyện của Ủy ban Thường vụ Quốc hội",
    "Đoàn đại biểu Quốc hội tỉnh",
    "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
    "Báo Nhân Dân",
    "Thanh tra Chính phủ",
    "Hội đồng nhân dân tỉnh",
];

/// Bodies outside the register that petitions are guided or forwarded to.
pub const OUTSIDE_BODIES: &[&str] = &[
    "Tòa án nhân dân khu vực",
    "Công an tỉnh",
    "Sở Nông nghiệp và Môi trường",
    "Sở Xây dựng",
    "Bảo hiểm xã hội tỉnh",
    "Viện kiểm sát nhân dân tỉnh",
    "Công ty Điện lực tỉnh",
];

/// Grounds of a refusal, an archival, a suspension, a withdrawal; results of a resolution.
pub const REJECT_REASONS: &[&str] = &[
    "Đã có quyết định giải quyết khiếu nại có hiệu lực pháp luật.",
    "Quá thời hiệu khiếu nại theo quy định.",
    "Việc khiếu nại đã được Tòa án thụ lý.",
    "Không đủ điều kiện thụ lý theo quy định của pháp luật.",
];
pub const ARCHIVE_REASONS: &[&str] = &[
    "Đơn không rõ nội dung, không ghi địa chỉ người gửi.",
    "Đơn trùng nội dung đã được xem xét, giải quyết.",
    "Đơn nặc danh, nội dung không có cơ sở để xử lý.",
];
pub const DIALOGUE_MINUTES: &[&str] = &[
    "Biên bản đối thoại: người khiếu nại giữ nguyên yêu cầu; cơ quan giải thích căn cứ bồi thường.",
    "Biên bản đối thoại: người khiếu nại vắng mặt không có lý do; việc giải quyết tiếp tục.",
];
pub const TERMINATION_GROUNDS: &[&str] = &[
    "Người bị tố cáo đã chết, nội dung tố cáo chỉ liên quan trách nhiệm cá nhân (Luật Tố cáo 2018, Điều 34).",
    "Vụ việc đã được Tòa án thụ lý giải quyết (Luật Khiếu nại 2011, Điều 11a).",
];
pub const LEAD_REASONS: &[&str] = &[
    "Đơn nặc danh nêu cụ thể cán bộ địa chính thu tiền ngoài quy định, kèm biên lai: chuyển thanh tra kiểm tra.",
    "Đơn nặc danh phản ánh công trình xây dựng sai phép, có ảnh chụp hiện trường: đưa vào kế hoạch kiểm tra.",
];
pub const SUSPEND_REASONS: &[&str] = &[
    "Chờ kết quả giám định của cơ quan chuyên môn.",
    "Chờ kết quả giải quyết của cơ quan khác có liên quan.",
    "Người khiếu nại ốm đau, chưa thể tham gia đối thoại.",
];
pub const WITHDRAW_NOTES: &[&str] = &[
    "Người gửi đơn có đơn xin rút.",
    "Các bên đã tự hòa giải thành.",
    "Người khiếu nại rút đơn sau đối thoại.",
];
pub const RESULTS: &[&str] = &[
    "Đã kiểm tra, xác minh và trả lời công dân bằng văn bản.",
    "Giao đơn vị chuyên môn khắc phục, báo cáo kết quả.",
    "Chấp nhận một phần nội dung, điều chỉnh phương án theo kết quả xác minh.",
    "Giữ nguyên quyết định đã ban hành.",
    "Kết luận nội dung tố cáo, xử lý trách nhiệm cá nhân có liên quan.",
];

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn names_places_and_texts_read_vietnamese() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let name = full_name(&mut rng);
        assert_eq!(name.split(' ').count(), 3, "{name}");
        let p = person(&mut rng, "xã Tân Lập", 36);
        assert_eq!(p.id_number.as_deref().map(str::len), Some(12));
        assert!(crate::domain::petition::parse_id_number(p.id_number.as_deref().unwrap()).is_ok());
        let places: std::collections::HashSet<String> = (0..300).map(place_name).collect();
        assert_eq!(places.len(), 300, "distinct place names");
        let day = NaiveDate::from_ymd_opt(2024, 5, 6).unwrap();
        for kind in Kind::ALL {
            let (subject, content, _) = petition_text(&mut rng, *kind, day);
            assert!(!subject.contains('{') && !content.contains('{'), "{subject} / {content}");
            assert!((3..=500).contains(&subject.chars().count()));
        }
    }
}
