//! A small believable demo data set (`--demo`): the units of a ward People's Committee, staff of
//! every role, a citizen, and petitions of every kind and state, some overdue. Loaded once, in
//! one transaction, and only into a database the same start created; later starts leave it alone.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait,
    sea_query::Expr,
};

use crate::{
    app::AppState,
    auth::{AuthUser, Role},
    clock::civil_date,
    crypto::Keys,
    domain::reception::{NewDirective, NewVisit, SessionStatus},
    domain::{
        calendar::Calendar,
        deadline::Complexity,
        oversight::AccountAction,
        petition::{Channel, Conclusion, Kind, command::Recovered, field::Field},
    },
    entity::{agency, setting, unit, user},
    entity::{reception_rule, reception_rule_version, reception_session},
    error::{AppError, AppResult},
    service::{
        audit::Actor,
        identity,
        oversight::account_events,
        petitions::{
            self, NewPetition, Person,
            actions::{self, Command, ForwardTarget},
            public,
        },
        reception::{directives, occurrences, schedules, sessions, visits},
    },
};

/// The password of every demo account (documented in the README; demo data only).
pub const DEMO_PASSWORD: &str = "tiepdan-demo";

const UNITS: [(&str, &str); 4] = [
    ("Văn phòng HĐND và UBND", "VP"),
    ("Thanh tra phường", "TTr"),
    ("Phòng Kinh tế, Hạ tầng và Đô thị", "KT"),
    ("Phòng Văn hóa - Xã hội", "VHXH"),
];

/// (username, full name, role, unit code)
const STAFF: [(&str, &str, Role, Option<&str>); 8] = [
    ("chutich", "Nguyễn Văn Hùng", Role::Chairman, None),
    ("truongtt", "Trần Thị Mai", Role::UnitHead, Some("TTr")),
    ("truongkt", "Lê Quang Vinh", Role::UnitHead, Some("KT")),
    ("thanhtra1", "Phạm Minh Đức", Role::Inspector, Some("TTr")),
    ("thanhtra2", "Hoàng Thị Lan", Role::Inspector, Some("TTr")),
    ("chuyenvien.kt", "Đỗ Văn Nam", Role::Inspector, Some("KT")),
    ("tiepdan1", "Vũ Thị Hạnh", Role::Receptionist, Some("VP")),
    ("tiepdan2", "Bùi Văn Toàn", Role::Receptionist, Some("VP")),
];

/// What `--demo` did at start-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoOutcome {
    /// The demo data set was loaded now.
    Loaded,
    /// A restart of a demo database: the data set was loaded on an earlier start.
    AlreadyPresent,
    /// The database was not created by this start (it may be a real register in use): nothing was
    /// loaded, so no account with the published demo password appears in it.
    SkippedExistingDatabase,
}

/// `--demo` at start-up: loads the demo data set only into a database this very start created
/// (`bootstrapped`: the first-run bootstrap happened now), never into one that already held a
/// register, since every demo account has the published password [`DEMO_PASSWORD`].
pub async fn load_on_start(
    state: &AppState,
    bootstrapped: bool,
    now: DateTime<Utc>,
) -> AppResult<DemoOutcome> {
    if setting::Entity::find_by_id("demo_loaded".to_owned()).one(&state.db.writer).await?.is_some() {
        return Ok(DemoOutcome::AlreadyPresent);
    }
    if !bootstrapped {
        return Ok(DemoOutcome::SkippedExistingDatabase);
    }
    Ok(if load(state, now).await? { DemoOutcome::Loaded } else { DemoOutcome::AlreadyPresent })
}

/// Loads the demo data unless already there; true when it was loaded now. Start-up goes through
/// [`load_on_start`], which also refuses a database it did not create.
pub async fn load(state: &AppState, now: DateTime<Utc>) -> AppResult<bool> {
    let db = &state.db.writer;
    if setting::Entity::find_by_id("demo_loaded".to_owned()).one(db).await?.is_some() {
        return Ok(false);
    }
    let Some(agency) = agency::Entity::find().one(db).await? else {
        return Err(AppError::internal("no agency to load demo data into"));
    };
    let hash = state.passwords.hash(DEMO_PASSWORD).await?;
    let txn = db.begin().await?;
    let mut unit_ids = std::collections::HashMap::new();
    for (name, code) in UNITS {
        let id = unit::Entity::insert(unit::ActiveModel {
            agency_id: Set(agency.id),
            name: Set(name.to_owned()),
            code: Set(code.to_owned()),
            created_at: Set(now),
            ..Default::default()
        })
        .exec(&txn)
        .await?
        .last_insert_id;
        unit_ids.insert(code, id);
    }
    let mut staff: HashMap<&str, AuthUser> = HashMap::new();
    for (username, full_name, role, unit_code) in STAFF {
        let unit_id = unit_code.and_then(|c| unit_ids.get(c).copied());
        let mut account = user::ActiveModel {
            username: Set(username.to_owned()),
            password_hash: Set(hash.clone()),
            full_name: Set(full_name.to_owned()),
            role: Set(role),
            agency_id: Set(Some(agency.id)),
            unit_id: Set(unit_id),
            phone: Set(None),
            email: Set(None),
            active: Set(true),
            token_version: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        identity::seal_account(&state.keys.data, &mut account)?;
        let id = user::Entity::insert(account).exec(&txn).await?.last_insert_id;
        let account = user::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or_else(|| AppError::internal("a demo account just written is not there"))?;
        let account = identity::open_account(&state.keys.data, account)?;
        let audit = &state.keys.audit;
        account_events::record(&txn, audit, &Actor::system(), AccountAction::Created, None, &account, now)
            .await?;
        staff.insert(
            username,
            AuthUser {
                id,
                username: username.to_owned(),
                full_name: full_name.to_owned(),
                role,
                agency_id: Some(agency.id),
                unit_id,
            },
        );
    }
    let mut citizen = user::ActiveModel {
        username: Set("congdan".to_owned()),
        password_hash: Set(hash.clone()),
        full_name: Set("Nguyễn Thị Hoa".to_owned()),
        role: Set(Role::Citizen),
        agency_id: Set(None),
        unit_id: Set(None),
        phone: Set(Some("0912 345 678".to_owned())),
        email: Set(None),
        active: Set(true),
        token_version: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    identity::seal_account(&state.keys.data, &mut citizen)?;
    let citizen_id = user::Entity::insert(citizen).exec(&txn).await?.last_insert_id;
    let cal = state.calendar.get(&state.db.reader).await?;
    let keys = &state.keys;
    let inspection = unit_ids.get("TTr").copied();
    let case_ids = cases(&txn, keys, agency.id, &staff, citizen_id, inspection, &cal, now).await?;
    reception(&txn, keys, agency.id, &staff, &unit_ids, case_ids.first().copied(), &cal, now).await?;
    setting::Entity::insert(setting::ActiveModel {
        key: Set("demo_loaded".to_owned()),
        value: Set(now.to_rfc3339()),
    })
    .on_conflict_do_nothing_on([setting::Column::Key])
    .exec(&txn)
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// One demo petition: who files it, when, and what happens to it.
struct Story {
    kind: Kind,
    channel: Channel,
    days_ago: i64,
    subject: &'static str,
    content: &'static str,
    /// Name, identity number, address; `None` for an anonymous letter.
    petitioner: Option<(&'static str, &'static str, &'static str)>,
    signatories: i32,
    /// The steps taken, each `days_after` receipt, by which demo account.
    steps: Vec<(i64, &'static str, Command)>,
    rating: Option<i16>,
    citizen: bool,
}

fn person((name, id_number, address): (&str, &str, &str)) -> Person {
    Person {
        full_name: name.to_owned(),
        id_number: Some(id_number.to_owned()),
        address: Some(address.to_owned()),
        phone: None,
        email: None,
    }
}

fn assign(user: i64, unit: Option<i64>) -> Command {
    Command::Assign { assignee_id: Some(user), unit_id: unit, leader_id: None, expected_result: None }
}

fn accept() -> Command {
    Command::Accept { complexity: None, remote_area: None, note: None }
}

/// Petitions of every kind and state, received over the last weeks so that some are overdue;
/// returns their ids in story order.
#[allow(clippy::too_many_arguments)]
async fn cases(
    db: &impl ConnectionTrait,
    keys: &Keys,
    agency_id: i64,
    staff: &HashMap<&str, AuthUser>,
    citizen_id: i64,
    inspection_unit: Option<i64>,
    cal: &Calendar,
    now: DateTime<Utc>,
) -> AppResult<Vec<i64>> {
    let who = |name: &str| {
        staff.get(name).cloned().ok_or_else(|| AppError::internal(format!("no demo user {name}")))
    };
    let tt1 = who("thanhtra1")?.id;
    let tt2 = who("thanhtra2")?.id;
    let stories = vec![
        Story {
            kind: Kind::Complaint,
            channel: Channel::InPerson,
            days_ago: 30,
            subject: "Khiếu nại quyết định thu hồi đất thửa số 125, tờ bản đồ số 7",
            content: "Gia đình tôi khiếu nại Quyết định số 215/QĐ-UBND về việc thu hồi đất vì chưa được bồi thường, hỗ trợ thỏa đáng.",
            petitioner: Some(("Nguyễn Văn An", "022078001234", "Tổ 3, khu 5, phường Mẫu")),
            signatories: 1,
            steps: vec![],
            rating: None,
            citizen: false,
        },
        Story {
            kind: Kind::Complaint,
            channel: Channel::Post,
            days_ago: 24,
            subject: "Khiếu nại việc không cấp giấy phép xây dựng nhà ở riêng lẻ",
            content: "Tôi nộp hồ sơ xin cấp phép xây dựng từ tháng trước nhưng bị từ chối không nêu lý do.",
            petitioner: Some(("Lê Thị Hồng", "022185004321", "Số 14 đường Trần Phú, phường Mẫu")),
            signatories: 1,
            steps: vec![(1, "chutich", assign(tt1, inspection_unit)), (4, "thanhtra1", accept())],
            rating: None,
            citizen: false,
        },
        Story {
            kind: Kind::Complaint,
            channel: Channel::InPerson,
            days_ago: 70,
            subject: "Khiếu nại mức hỗ trợ tái định cư dự án đường Vành đai",
            content: "Đề nghị xem xét lại mức hỗ trợ tái định cư vì diện tích thực tế lớn hơn biên bản kiểm đếm.",
            petitioner: Some(("Phạm Văn Cường", "022079008765", "Tổ 7, khu 2, phường Mẫu")),
            signatories: 1,
            steps: vec![
                (2, "chutich", assign(tt2, inspection_unit)),
                (5, "thanhtra2", accept()),
                (
                    33,
                    "chutich",
                    Command::Resolve {
                        result: "Chấp nhận một phần: điều chỉnh diện tích hỗ trợ theo kết quả đo đạc lại."
                            .to_owned(),
                        conclusion: Some(Conclusion::PartlyRight),
                        recovered: Recovered { money: None, land_cm2: Some(4_550), people_restored: Some(1) },
                    },
                ),
            ],
            rating: Some(4),
            citizen: false,
        },
        Story {
            kind: Kind::Denunciation,
            channel: Channel::Post,
            days_ago: 16,
            subject: "Tố cáo cán bộ địa chính gây khó khăn khi làm thủ tục đất đai",
            content: "Cán bộ địa chính phường yêu cầu nộp thêm tiền ngoài quy định khi làm thủ tục cấp giấy chứng nhận.",
            petitioner: Some(("Trần Thị Bích", "036189001122", "Số 8 ngõ 4, phường Mẫu")),
            signatories: 1,
            steps: vec![],
            rating: None,
            citizen: false,
        },
        Story {
            kind: Kind::Denunciation,
            channel: Channel::InPerson,
            days_ago: 40,
            subject: "Tố cáo hộ kinh doanh lấn chiếm vỉa hè, gây mất trật tự",
            content: "Hộ kinh doanh số 21 đường Lê Lợi lấn chiếm vỉa hè kéo dài, đã nhắc nhở nhiều lần không chấp hành.",
            petitioner: Some(("Đặng Văn Dũng", "022080002468", "Số 19 đường Lê Lợi, phường Mẫu")),
            signatories: 1,
            steps: vec![
                (1, "chutich", assign(tt1, inspection_unit)),
                (6, "thanhtra1", accept()),
                (
                    20,
                    "thanhtra1",
                    Command::Suspend {
                        reason: "Chờ kết quả kiểm tra của lực lượng trật tự đô thị".to_owned(),
                    },
                ),
            ],
            rating: None,
            citizen: false,
        },
        Story {
            kind: Kind::Recommendation,
            channel: Channel::Online,
            days_ago: 2,
            subject: "Kiến nghị lắp đèn chiếu sáng ngõ 12 phố Lê Lợi",
            content: "Ngõ 12 phố Lê Lợi chưa có đèn chiếu sáng, buổi tối đi lại nguy hiểm, đề nghị phường lắp đặt.",
            petitioner: Some(("Nguyễn Thị Hoa", "022190003579", "Ngõ 12 phố Lê Lợi, phường Mẫu")),
            signatories: 1,
            steps: vec![],
            rating: None,
            citizen: true,
        },
        Story {
            kind: Kind::Recommendation,
            channel: Channel::Forwarded,
            days_ago: 9,
            subject: "Kiến nghị về ô nhiễm tiếng ồn từ xưởng cơ khí",
            content: "Xưởng cơ khí hoạt động cả ban đêm gây ồn, thuộc thẩm quyền quản lý môi trường của tỉnh.",
            petitioner: Some(("Vũ Văn Hải", "022076005791", "Tổ 2, khu 8, phường Mẫu")),
            signatories: 1,
            steps: vec![(
                3,
                "thanhtra1",
                Command::Forward {
                    target: ForwardTarget::Body("Sở Nông nghiệp và Môi trường tỉnh".to_owned()),
                    letter_no: Some("112/UBND-TTr".to_owned()),
                    note: None,
                },
            )],
            rating: None,
            citizen: false,
        },
        Story {
            kind: Kind::Feedback,
            channel: Channel::Hotline,
            days_ago: 20,
            subject: "Phản ánh rác thải tập kết sai nơi quy định tại chợ",
            content: "Rác thải tại khu vực chợ phường tập kết sai giờ, sai nơi, gây mất vệ sinh.",
            petitioner: Some(("Hoàng Văn Minh", "022082006802", "Khu 3, phường Mẫu")),
            signatories: 1,
            steps: vec![
                (1, "chutich", assign(who("chuyenvien.kt")?.id, None)),
                (
                    6,
                    "chuyenvien.kt",
                    Command::Resolve {
                        result: "Đã yêu cầu đơn vị vệ sinh môi trường thu gom đúng giờ, đúng nơi.".to_owned(),
                        conclusion: None,
                        recovered: Recovered::default(),
                    },
                ),
            ],
            rating: Some(5),
            citizen: true,
        },
        Story {
            kind: Kind::Complaint,
            channel: Channel::InPerson,
            days_ago: 12,
            subject: "Khiếu nại bản án dân sự về tranh chấp đất",
            content: "Không đồng ý với bản án sơ thẩm về tranh chấp quyền sử dụng đất.",
            petitioner: Some(("Bùi Thị Lan", "022187007913", "Khu 6, phường Mẫu")),
            signatories: 1,
            steps: vec![(
                0,
                "tiepdan1",
                Command::Guide { to_body: "Tòa án nhân dân tỉnh (kháng cáo)".to_owned(), note: None },
            )],
            rating: None,
            citizen: false,
        },
        Story {
            kind: Kind::Complaint,
            channel: Channel::Post,
            days_ago: 15,
            subject: "Khiếu nại việc xử phạt vi phạm hành chính đã được giải quyết",
            content: "Tiếp tục khiếu nại quyết định xử phạt đã có quyết định giải quyết lần hai.",
            petitioner: Some(("Đỗ Văn Khải", "022075008024", "Khu 1, phường Mẫu")),
            signatories: 1,
            steps: vec![(
                4,
                "thanhtra2",
                Command::Reject {
                    reason: "Đã có quyết định giải quyết khiếu nại lần hai (Luật Khiếu nại Điều 11)."
                        .to_owned(),
                },
            )],
            rating: None,
            citizen: false,
        },
        Story {
            kind: Kind::Feedback,
            channel: Channel::Post,
            days_ago: 25,
            subject: "Phản ánh không rõ nội dung, không có địa chỉ người gửi",
            content: "Thư phản ánh chung chung, không nêu sự việc cụ thể.",
            petitioner: None,
            signatories: 1,
            steps: vec![(
                3,
                "thanhtra1",
                Command::Archive {
                    reason: "Không đủ điều kiện xử lý: nội dung không rõ ràng.".to_owned()
                },
            )],
            rating: None,
            citizen: false,
        },
        Story {
            kind: Kind::Complaint,
            channel: Channel::InPerson,
            days_ago: 18,
            subject: "Khiếu nại việc tính tiền sử dụng đất khi chuyển mục đích",
            content: "Đề nghị xem xét lại cách tính tiền sử dụng đất.",
            petitioner: Some(("Lý Thị Mận", "022188009135", "Khu 4, phường Mẫu")),
            signatories: 1,
            steps: vec![
                (1, "chutich", assign(tt2, inspection_unit)),
                (3, "thanhtra2", accept()),
                (
                    8,
                    "tiepdan1",
                    Command::Withdraw {
                        partial: false,
                        note: Some("Người khiếu nại có đơn rút khiếu nại.".to_owned()),
                        withdrawn_signatories: None,
                        continues: None,
                    },
                ),
            ],
            rating: None,
            citizen: false,
        },
        Story {
            kind: Kind::Complaint,
            channel: Channel::InPerson,
            days_ago: 45,
            subject: "Khiếu nại tập thể về phương án bồi thường khu dân cư số 3",
            content: "Tám hộ dân khu dân cư số 3 khiếu nại phương án bồi thường, hỗ trợ giải phóng mặt bằng.",
            petitioner: Some(("Ngô Văn Thành", "022074000246", "Khu dân cư số 3, phường Mẫu")),
            signatories: 8,
            steps: vec![
                (1, "chutich", assign(tt1, inspection_unit)),
                (
                    4,
                    "chutich",
                    Command::Accept { complexity: Some(Complexity::Complex), remote_area: None, note: None },
                ),
            ],
            rating: None,
            citizen: false,
        },
    ];

    let today = civil_date(now);
    let mut ids = Vec::new();
    for story in stories {
        let received_on: NaiveDate = today - Duration::days(story.days_ago);
        let desk = who("tiepdan1")?;
        let received = NewPetition::received(
            agency_id,
            story.kind,
            story.channel,
            received_on,
            story.subject.to_owned(),
            story.content.to_owned(),
        );
        let new = NewPetition {
            petitioner: story.petitioner.map(person),
            representatives: if story.signatories >= 5 {
                vec![person(("Ngô Văn Thành", "022074000246", "Khu dân cư số 3, phường Mẫu"))]
            } else {
                vec![]
            },
            signatories: story.signatories,
            forwarding_body: (story.channel == Channel::Forwarded).then(|| "Ban Dân nguyện".to_owned()),
            forwarding_doc_no: (story.channel == Channel::Forwarded).then(|| "58/BDN".to_owned()),
            received_by: (story.channel != Channel::Online).then_some(desk.id),
            citizen_user_id: story.citizen.then_some(citizen_id),
            ..received
        };
        let actor = if story.channel == Channel::Online {
            Actor::public()
        } else {
            Actor::user(desk.id, &desk.full_name)
        };
        let case = petitions::intake(db, keys, new, &actor, cal, now).await?;
        ids.push(case.id);
        for (after, by, command) in story.steps {
            let user = who(by)?;
            let on = (received_on + Duration::days(after)).min(today);
            actions::act(db, keys, &user, case.id, None, command, on, cal, now).await?;
        }
        if let Some(score) = story.rating {
            let closed = petitions::find(db, case.id).await?;
            public::save_rating(
                db,
                &closed,
                score,
                Some("Cán bộ tiếp nhận, xử lý tận tình.".to_owned()),
                now,
            )
            .await?;
        }
    }
    Ok(ids)
}

/// The chairman's Thursday sessions of the last weeks: held ones with their visits (one opens a
/// petition, one comes back about an existing case), one missed week, and a conclusion whose
/// directives are partly overdue; and the coming weeks' schedule.
#[allow(clippy::too_many_arguments)]
async fn reception(
    db: &impl ConnectionTrait,
    keys: &Keys,
    agency_id: i64,
    staff: &HashMap<&str, AuthUser>,
    unit_ids: &HashMap<&str, i64>,
    earlier_case: Option<i64>,
    cal: &Calendar,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let who = |name: &str| {
        staff.get(name).cloned().ok_or_else(|| AppError::internal(format!("no demo user {name}")))
    };
    let chairman = who("chutich")?;
    let desk = who("tiepdan1")?;
    let today = civil_date(now);
    schedules::ensure_defaults(db, agency_id, now).await?;
    // The rule has been in force for weeks, so its past Thursdays are part of the record.
    let since = now - Duration::weeks(7);
    // The chairman receives in the mornings (shown on the public schedule).
    let hours = "Sáng 7 giờ 30 – 11 giờ 30";
    reception_rule::Entity::update_many()
        .col_expr(reception_rule::Column::CreatedAt, Expr::value(since))
        .col_expr(reception_rule::Column::UpdatedAt, Expr::value(since))
        .col_expr(reception_rule::Column::Hours, Expr::value(hours))
        .filter(reception_rule::Column::HostId.eq(chairman.id))
        .exec(db)
        .await?;
    reception_rule_version::Entity::update_many()
        .col_expr(reception_rule_version::Column::Hours, Expr::value(hours))
        .filter(reception_rule_version::Column::HostId.eq(chairman.id))
        .exec(db)
        .await?;
    schedules::backdate(db, chairman.id, civil_date(since)).await?;
    let from = today - Duration::weeks(6);
    occurrences::materialise(db, cal, agency_id, from, today + Duration::weeks(8), today, now).await?;
    let past: Vec<reception_session::Model> =
        sessions::all_between(db, agency_id, from, today - Duration::days(1))
            .await?
            .into_iter()
            .filter(|s| s.host_id == chairman.id)
            .collect();
    for (week, session) in past.iter().enumerate() {
        // The third week's session was not held: the weekly review flags it.
        if week == 2 {
            continue;
        }
        let visitor = |name: &str, id: &str| Person {
            full_name: name.to_owned(),
            id_number: Some(id.to_owned()),
            address: Some("Phường Mẫu".to_owned()),
            phone: None,
            email: None,
        };
        let mut lines = vec![NewVisit {
            visitor: visitor("Trịnh Văn Lộc", "022071004455"),
            people_count: 1,
            representatives: vec![],
            summary: "Hỏi về tiến độ cấp giấy chứng nhận quyền sử dụng đất của gia đình.".to_owned(),
            subject: None,
            kind: Kind::Recommendation,
            handled_before_by: None,
            within_competence: true,
            guided_to: None,
            guidance_letter_no: None,
            accepted_by: None,
            forwarding_letter_no: None,
            follow_up: Some("Đã giải thích, hẹn trả lời bằng văn bản.".to_owned()),
            note: None,
            open_petition: week == 0,
            petition_id: None,
            field: Some(Field::LandHousing),
        }];
        if week == 1
            && let Some(case_id) = earlier_case
        {
            lines.push(NewVisit {
                visitor: visitor("Nguyễn Văn An", "022078001234"),
                people_count: 1,
                representatives: vec![],
                summary: "Trở lại hỏi kết quả giải quyết khiếu nại về thu hồi đất.".to_owned(),
                subject: None,
                kind: Kind::Complaint,
                handled_before_by: None,
                within_competence: true,
                guided_to: None,
                guidance_letter_no: None,
                accepted_by: None,
                forwarding_letter_no: None,
                follow_up: Some("Đề nghị Thanh tra phường khẩn trương tham mưu.".to_owned()),
                note: Some("Đến lần thứ hai".to_owned()),
                open_petition: false,
                petition_id: Some(case_id),
                field: Some(Field::LandHousing),
            });
        }
        if week == 3 {
            lines.push(NewVisit {
                visitor: visitor("Ngô Văn Thành", "022074000246"),
                people_count: 8,
                representatives: vec![
                    visitor("Ngô Văn Thành", "022074000246"),
                    visitor("Lương Thị Yến", "022186001357"),
                ],
                summary:
                    "Đoàn 8 hộ dân khu dân cư số 3 kiến nghị về phương án bồi thường giải phóng mặt bằng."
                        .to_owned(),
                subject: None,
                kind: Kind::Complaint,
                handled_before_by: None,
                within_competence: true,
                guided_to: None,
                guidance_letter_no: None,
                accepted_by: None,
                forwarding_letter_no: None,
                follow_up: Some("Chủ tịch chỉ đạo tổ chức đối thoại.".to_owned()),
                note: None,
                open_petition: false,
                petition_id: None,
                field: Some(Field::LandHousing),
            });
        }
        for line in lines {
            visits::log(db, keys, &desk, session, line, cal, now).await?;
        }
        if week == 3 {
            let held = reception_session::Entity::find_by_id(session.id)
                .one(db)
                .await?
                .filter(|s| s.status == SessionStatus::Held)
                .ok_or_else(|| AppError::internal("demo session not held"))?;
            let unit =
                |code: &str| unit_ids.get(code).copied().ok_or_else(|| AppError::internal("no demo unit"));
            let conclusion = crate::domain::reception::Conclusion {
                text: "Giao các đơn vị chuyên môn giải quyết dứt điểm kiến nghị của công dân, trả lời bằng văn bản."
                    .to_owned(),
                directives: vec![
                    NewDirective {
                        unit_id: unit("KT")?,
                        task: "Rà soát phương án bồi thường khu dân cư số 3, báo cáo Chủ tịch.".to_owned(),
                        due: today - Duration::days(3),
                    },
                    NewDirective {
                        unit_id: unit("TTr")?,
                        task: "Tổ chức đối thoại với đại diện các hộ dân.".to_owned(),
                        due: today + Duration::days(10),
                    },
                ],
            };
            directives::issue(db, &chairman, held, conclusion, cal, now).await?;
        }
    }
    Ok(())
}
