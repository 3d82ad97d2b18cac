//! A petition as staff register it from any channel, and the repeat check the intake form makes
//! before saving (domain.md §4).

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{Channel, Kind, OriginRelation, parse_id_number};
use crate::domain::{
    delegation,
    input::{Fields, Invalid, supported_date, supported_date_opt},
    person::{Person, PersonRequest},
    validate::{bounded_text, optional_text},
};

/// A new petition registered by staff.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreatePetitionRequest {
    pub kind: Kind,
    pub channel: Channel,
    /// The day it was received (default: today).
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub received_on: Option<NaiveDate>,
    pub subject: String,
    pub content: String,
    /// Required unless `anonymous`.
    pub petitioner: Option<PersonRequest>,
    #[serde(default)]
    pub anonymous: bool,
    /// Number of people who signed (a group petition has several).
    pub signatories: Option<i32>,
    #[serde(default)]
    pub cosignatories: Vec<PersonRequest>,
    /// The representatives a group appointed (1–2 for 5–10 people, at most 5 beyond).
    #[serde(default)]
    pub representatives: Vec<PersonRequest>,
    /// The body that forwarded it (channel `forwarded`) and its document number.
    pub forwarding_body: Option<String>,
    pub forwarding_doc_no: Option<String>,
    /// Descriptions of the documents handed over.
    #[serde(default)]
    pub attachments: Vec<String>,
    /// A lower level is competent and has not dealt with it (vượt cấp).
    #[serde(default)]
    pub skip_level: bool,
    /// The body that already handled it, to the end of its competence.
    pub handled_before_by: Option<String>,
    #[serde(default)]
    pub remote_area: bool,
    /// Route it at once to a unit and/or handler.
    pub unit_id: Option<i64>,
    pub assignee_id: Option<i64>,
    /// 1 (default), or 2: a second-round complaint, or a further denunciation (tố cáo tiếp),
    /// brought directly with the earlier decision or conclusion.
    pub round: Option<i32>,
    /// The decision (a complaint's first round) or conclusion (a denunciation) the second round is
    /// about: required with `round: 2`.
    pub earlier_decision: Option<EarlierDecisionRequest>,
    /// Signed or fingerprinted by the petitioner (default true). An unsigned complaint or
    /// denunciation is registered but cannot be accepted.
    pub signed: Option<bool>,
    /// A complaint: the day the complainant learned of the decision or act complained of; the
    /// 90-day filing limit runs from it (Law 02/2011 Art. 9).
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub act_known_on: Option<NaiveDate>,
    /// The field of its content (lĩnh vực), for the reports; may be left out.
    pub field: Option<super::field::Field>,
}

/// The earlier decision a second round is about, as sent.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EarlierDecisionRequest {
    /// Its number, e.g. "15/QĐ-UBND".
    pub number: String,
    /// The day it was issued.
    #[serde(deserialize_with = "supported_date")]
    pub date: NaiveDate,
    /// The body (or head) that issued it.
    pub body: String,
    /// The day the petitioner received it (default: its date): the second complaint's 30 days run
    /// from it.
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub received_on: Option<NaiveDate>,
}

/// The earlier decision or conclusion a second round is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarlierDecision {
    pub number: String,
    pub date: NaiveDate,
    pub body: String,
    /// The day the petitioner received it.
    pub received_on: NaiveDate,
}

impl EarlierDecisionRequest {
    /// Checks it under `field` for a petition received on `received_on`.
    fn parse(&self, received_on: NaiveDate, f: &mut Fields) -> Option<EarlierDecision> {
        let number = f.check("earlier_decision.number", bounded_text(&self.number, 1, 100));
        let body = f.check("earlier_decision.body", bounded_text(&self.body, 2, 300));
        let received = self.received_on.unwrap_or(self.date);
        if self.date > received_on {
            f.report("earlier_decision.date", "Ngày quyết định không thể sau ngày nhận đơn.");
        }
        if received < self.date || received > received_on {
            f.report(
                "earlier_decision.received_on",
                "Ngày nhận quyết định phải từ ngày quyết định đến ngày nhận đơn.",
            );
        }
        let (number, body) = (number?, body?);
        Some(EarlierDecision { number, date: self.date, body, received_on: received })
    }
}

/// A checked new petition: what the register stores on receipt, whoever registers it (staff, the
/// portal, the reception book, a forwarding agency, a reopening or a split).
#[derive(Debug, Clone)]
pub struct NewPetition {
    pub agency_id: i64,
    pub kind: Kind,
    pub channel: Channel,
    pub received_on: NaiveDate,
    pub subject: String,
    pub content: String,
    /// `None` for an anonymous petition.
    pub petitioner: Option<Person>,
    pub cosignatories: Vec<Person>,
    pub representatives: Vec<Person>,
    pub signatories: i32,
    pub forwarding_body: Option<String>,
    pub forwarding_doc_no: Option<String>,
    /// Descriptions of the documents handed over.
    pub attachments: Vec<String>,
    pub skip_level: bool,
    pub handled_before_by: Option<String>,
    pub remote_area: bool,
    pub round: i32,
    pub origin: Option<(i64, OriginRelation)>,
    /// The staff member who registered it (`None` from the portal or another agency).
    pub received_by: Option<i64>,
    pub citizen_user_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub assignee_id: Option<i64>,
    /// What a second round is about (`round` 2 received directly, or made by a reopening).
    pub earlier_decision: Option<EarlierDecision>,
    /// Signed or fingerprinted.
    pub signed: bool,
    /// A complaint: when the complainant learned of the act complained of.
    pub act_known_on: Option<NaiveDate>,
    /// The field of its content (lĩnh vực).
    pub field: Option<super::field::Field>,
}

/// The earliest receipt date the register takes: older paper is not a new petition.
fn earliest_receipt() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).expect("a valid date")
}

/// The most co-signatories one petition lists.
const MAX_COSIGNATORIES: usize = 500;
/// The most documents one petition lists.
const MAX_ATTACHMENTS: usize = 100;

impl CreatePetitionRequest {
    /// Checks an intake body into a new petition of `agency_id`, registered by `received_by` on
    /// `today`: every field's error at once. A group's representatives follow Law 42/2013 Art. 30
    /// ([`delegation::check_representatives`]); a forwarded petition names who forwarded it.
    pub fn parse(
        self,
        agency_id: i64,
        received_by: Option<i64>,
        today: NaiveDate,
    ) -> Result<NewPetition, Invalid> {
        let mut f = Fields::new();
        let received_on = self.received_on.unwrap_or(today);
        if received_on > today {
            f.report("received_on", "Ngày nhận không thể ở tương lai.");
        }
        if received_on < earliest_receipt() {
            f.report("received_on", "Ngày nhận quá xa trong quá khứ.");
        }
        let subject = f.check("subject", bounded_text(&self.subject, 3, 500));
        let content = f.check("content", bounded_text(&self.content, 1, 20_000));
        let petitioner = match (&self.petitioner, self.anonymous) {
            (_, true) => None,
            (Some(p), false) => p.parse("petitioner", &mut f),
            (None, false) => {
                f.report("petitioner", "Cần họ tên, địa chỉ người gửi (hoặc đánh dấu đơn nặc danh).");
                None
            }
        };
        let cosignatories = people(&self.cosignatories, "cosignatories", &mut f);
        let representatives = people(&self.representatives, "representatives", &mut f);
        let signatories =
            self.signatories.unwrap_or(1 + i32::try_from(self.cosignatories.len()).unwrap_or(0));
        if !(1..=100_000).contains(&signatories) {
            f.report("signatories", "Số người ký từ 1 đến 100 000.");
        } else if let Err(m) = delegation::check_representatives(signatories, self.representatives.len()) {
            f.report("representatives", m);
        }
        if self.cosignatories.len() > MAX_COSIGNATORIES {
            f.report("cosignatories", "Tối đa 500 người đồng ký trong một đơn.");
        }
        let forwarding_body =
            f.check_opt("forwarding_body", optional_text(self.forwarding_body.as_deref(), 300));
        if self.channel == Channel::Forwarded && forwarding_body.is_none() {
            f.report("forwarding_body", "Đơn do cơ quan khác chuyển đến cần ghi cơ quan chuyển.");
        }
        let forwarding_doc_no =
            f.check_opt("forwarding_doc_no", optional_text(self.forwarding_doc_no.as_deref(), 100));
        let handled_before_by =
            f.check_opt("handled_before_by", optional_text(self.handled_before_by.as_deref(), 300));
        if self.attachments.len() > MAX_ATTACHMENTS {
            f.report("attachments", "Tối đa 100 tài liệu.");
        }
        let attachments: Vec<String> = self
            .attachments
            .iter()
            .enumerate()
            .filter_map(|(i, a)| f.check(&format!("attachments[{i}]"), bounded_text(a, 1, 300)))
            .collect();
        let round = self.round.unwrap_or(1);
        let earlier_decision = match (round, &self.earlier_decision) {
            (1, None) => None,
            (1, Some(_)) => {
                f.report("earlier_decision", "Chỉ đơn gửi lần hai mới kèm quyết định, kết luận trước.");
                None
            }
            (2, _) if !matches!(self.kind, Kind::Complaint | Kind::Denunciation) => {
                f.report("round", "Chỉ khiếu nại (lần hai) và tố cáo (tố cáo tiếp) có lần hai.");
                None
            }
            (2, None) => {
                f.report(
                    "earlier_decision",
                    "Đơn lần hai cần số, ngày và cơ quan ban hành quyết định (kết luận) trước.",
                );
                None
            }
            (2, Some(d)) => d.parse(received_on, &mut f),
            _ => {
                f.report("round", "Lần giải quyết là 1 hoặc 2.");
                None
            }
        };
        if self.act_known_on.is_some_and(|d| d > received_on) {
            f.report("act_known_on", "Ngày biết được quyết định, hành vi không thể sau ngày nhận đơn.");
        }
        let new = subject.zip(content).map(|(subject, content)| NewPetition {
            agency_id,
            kind: self.kind,
            channel: self.channel,
            received_on,
            subject,
            content,
            petitioner,
            cosignatories,
            representatives,
            signatories,
            forwarding_body,
            forwarding_doc_no,
            attachments,
            skip_level: self.skip_level,
            handled_before_by,
            remote_area: self.remote_area,
            round,
            origin: None,
            received_by,
            citizen_user_id: None,
            unit_id: self.unit_id,
            assignee_id: self.assignee_id,
            earlier_decision,
            signed: self.signed.unwrap_or(true),
            act_known_on: self.act_known_on,
            field: self.field,
        });
        f.done(new)
    }
}

/// The people of a list field, each checked under `field[i]`; those at fault are left out (their
/// errors are reported).
fn people(list: &[PersonRequest], field: &str, f: &mut Fields) -> Vec<Person> {
    list.iter().enumerate().filter_map(|(i, p)| p.parse(&format!("{field}[{i}]"), f)).collect()
}

/// How far back an earlier petition counts as a possible repeat.
pub const REPEAT_WINDOW_DAYS: i64 = 5 * 365;

/// What to check for repeats before registering.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RepeatCheckRequest {
    #[serde(default)]
    pub id_numbers: Vec<String>,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub skip_level: bool,
}

/// A checked repeat check: identity numbers, a subject and whether the petition skips a level,
/// compared with the agency's petitions received since `since`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepeatCheck {
    /// Normalised identity numbers (see [`parse_id_number`]).
    pub id_numbers: Vec<String>,
    pub subject: String,
    pub skip_level: bool,
    pub since: NaiveDate,
}

impl RepeatCheckRequest {
    /// The check of a form not yet saved, on `today`: at most 20 identity numbers (those that are
    /// not one are ignored) and the first 500 characters of the subject. It never fails: it only
    /// warns.
    pub fn parse(self, today: NaiveDate) -> RepeatCheck {
        RepeatCheck {
            id_numbers: self.id_numbers.iter().take(20).filter_map(|i| parse_id_number(i).ok()).collect(),
            subject: self.subject.chars().take(500).collect(),
            skip_level: self.skip_level,
            since: today - chrono::Duration::days(REPEAT_WINDOW_DAYS),
        }
    }
}

impl NewPetition {
    /// A petition of `kind` received at `agency_id` by `channel` on `received_on`, with nothing else
    /// known yet: nobody named, one signatory, the first round, not routed, not derived from
    /// another case. Callers name what they know with struct update syntax.
    pub fn received(
        agency_id: i64,
        kind: Kind,
        channel: Channel,
        received_on: NaiveDate,
        subject: String,
        content: String,
    ) -> Self {
        Self {
            agency_id,
            kind,
            channel,
            received_on,
            subject,
            content,
            petitioner: None,
            cosignatories: vec![],
            representatives: vec![],
            signatories: 1,
            forwarding_body: None,
            forwarding_doc_no: None,
            attachments: vec![],
            skip_level: false,
            handled_before_by: None,
            remote_area: false,
            round: 1,
            origin: None,
            received_by: None,
            citizen_user_id: None,
            unit_id: None,
            assignee_id: None,
            earlier_decision: None,
            signed: true,
            act_known_on: None,
            field: None,
        }
    }

    /// The repeat check of this petition: every identity number of its people, its subject.
    pub fn repeat_check(&self) -> RepeatCheck {
        RepeatCheck {
            id_numbers: self.people().filter_map(|p| p.id_number.clone()).collect(),
            subject: self.subject.clone(),
            skip_level: self.skip_level,
            since: self.received_on - chrono::Duration::days(REPEAT_WINDOW_DAYS),
        }
    }

    /// What the filing limits look at ([`super::limits`]): a second round's period runs from the
    /// earlier decision's receipt.
    pub fn filing(&self) -> super::limits::Filing {
        super::limits::Filing {
            kind: self.kind,
            round: self.round,
            received_on: self.received_on,
            remote_area: self.remote_area,
            act_known_on: self.act_known_on,
            second_round_from: self.earlier_decision.as_ref().map(|d| d.received_on),
        }
    }

    /// The petitioner, the co-signatories and the representatives, in that order.
    pub fn people(&self) -> impl Iterator<Item = &Person> {
        self.petitioner.iter().chain(self.cosignatories.iter()).chain(self.representatives.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn person(name: &str) -> PersonRequest {
        PersonRequest {
            full_name: name.into(),
            address: Some("Tổ 3, phường Mẫu".into()),
            ..Default::default()
        }
    }

    fn form() -> CreatePetitionRequest {
        CreatePetitionRequest {
            field: None,
            kind: Kind::Complaint,
            channel: Channel::Post,
            received_on: None,
            subject: "Khiếu nại quyết định thu hồi đất".into(),
            content: "Nội dung".into(),
            petitioner: Some(person("Nguyễn Văn An")),
            anonymous: false,
            signatories: None,
            cosignatories: vec![],
            representatives: vec![],
            forwarding_body: None,
            forwarding_doc_no: None,
            attachments: vec![],
            skip_level: false,
            handled_before_by: None,
            remote_area: false,
            unit_id: None,
            assignee_id: Some(9),
            round: None,
            earlier_decision: None,
            signed: None,
            act_known_on: None,
        }
    }

    #[test]
    fn a_second_round_is_brought_with_the_earlier_decision() {
        let mut second = form();
        second.round = Some(2);
        let err = second.parse(1, Some(7), day(2026, 9, 1)).unwrap_err();
        assert!(err.0.contains_key("earlier_decision"), "{err:?}");
        let mut second = form();
        second.round = Some(2);
        second.earlier_decision = Some(EarlierDecisionRequest {
            number: "15/QĐ-UBND".into(),
            date: day(2026, 8, 1),
            body: "Chủ tịch UBND phường Mẫu".into(),
            received_on: Some(day(2026, 8, 5)),
        });
        let new = second.parse(1, Some(7), day(2026, 9, 1)).unwrap();
        assert_eq!(new.round, 2);
        let decision = new.earlier_decision.unwrap();
        assert_eq!((decision.number.as_str(), decision.received_on), ("15/QĐ-UBND", day(2026, 8, 5)));
        let mut feedback = form();
        feedback.kind = Kind::Feedback;
        feedback.round = Some(2);
        assert!(feedback.parse(1, None, day(2026, 9, 1)).is_err(), "feedback has no second round");
        let mut third = form();
        third.round = Some(3);
        assert!(third.parse(1, None, day(2026, 9, 1)).is_err());
    }

    #[test]
    fn a_petition_is_received_today_by_default_by_its_registrar() {
        let new = form().parse(1, Some(7), day(2026, 9, 1)).unwrap();
        assert_eq!((new.agency_id, new.received_by, new.received_on), (1, Some(7), day(2026, 9, 1)));
        assert_eq!((new.round, new.signatories, new.assignee_id), (1, 1, Some(9)));
        assert_eq!(new.petitioner.unwrap().full_name, "Nguyễn Văn An");
    }

    #[test]
    fn every_field_at_fault_is_reported_at_once() {
        let mut bad = form();
        bad.received_on = Some(day(2026, 9, 2));
        bad.subject = "ab".into();
        bad.petitioner = None;
        bad.channel = Channel::Forwarded;
        bad.attachments = vec!["".into()];
        let Invalid(errors) = bad.parse(1, None, day(2026, 9, 1)).unwrap_err();
        for field in ["received_on", "subject", "petitioner", "forwarding_body", "attachments[0]"] {
            assert!(errors.contains_key(field), "{field}: {errors:?}");
        }
        let mut anonymous = form();
        anonymous.petitioner = None;
        anonymous.anonymous = true;
        assert!(anonymous.parse(1, None, day(2026, 9, 1)).unwrap().petitioner.is_none());
    }

    #[test]
    fn a_group_appoints_representatives_as_the_law_allows() {
        let mut group = form();
        group.signatories = Some(8);
        group.representatives = vec![person("A Một"), person("B Hai"), person("C Ba")];
        let Invalid(errors) = group.parse(1, None, day(2026, 9, 1)).unwrap_err();
        assert_eq!(
            errors["representatives"],
            ["Nhóm từ 5 đến 10 người chỉ được cử 1 hoặc 2 người đại diện (đã cử 3)."]
        );
        let mut group = form();
        group.cosignatories = vec![person("A Một"), person("B Hai")];
        let new = group.parse(1, None, day(2026, 9, 1)).unwrap();
        assert_eq!(new.signatories, 3, "the petitioner and the co-signatories");
    }

    #[test]
    fn repeats_are_looked_for_over_five_years() {
        let mut with_id = form();
        with_id.petitioner.as_mut().unwrap().id_number = Some("001 234 567 890".into());
        let check = with_id.parse(1, None, day(2026, 9, 1)).unwrap().repeat_check();
        assert_eq!(check.id_numbers, ["001234567890"]);
        assert_eq!(check.since, day(2021, 9, 2));
        let asked = RepeatCheckRequest {
            id_numbers: vec!["12".into(), "b1234567".into()],
            subject: "x".repeat(600),
            skip_level: true,
        }
        .parse(day(2026, 9, 1));
        assert_eq!(asked.id_numbers, ["B1234567"], "what is not a number is ignored");
        assert_eq!(asked.subject.chars().count(), 500);
    }
}
