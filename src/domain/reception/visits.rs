//! Visits: the lines of the reception book (Mẫu số 03/TCD) as sent and checked, with the
//! representatives rule of a crowd delegation (Law 42/2013 Art. 30).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{
    delegation,
    input::{Fields, Invalid},
    person::{Person, PersonRequest},
    petition::Kind,
    validate::{bounded_text, optional_text},
};

/// A representative of a group: a name, or a person.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum RepresentativeRequest {
    Name(String),
    Person(PersonRequest),
}

/// The visitor of a line of the book.
#[derive(Debug, Deserialize, ToSchema)]
pub struct VisitorRequest {
    pub full_name: String,
    pub address: Option<String>,
    /// CCCD (12 digits), CMND (9 digits), passport or another document number.
    pub id_number: Option<String>,
}

impl VisitorRequest {
    /// Checks the visitor as a person (no phone nor email), filing errors under `prefix.field`.
    pub fn parse(self, prefix: &str, f: &mut Fields) -> Option<Person> {
        let person = PersonRequest {
            full_name: self.full_name,
            id_number: self.id_number,
            address: self.address,
            phone: None,
            email: None,
        };
        person.parse(prefix, f)
    }
}

/// A visit: the 13 columns of Mẫu số 03/TCD.
#[derive(Debug, Deserialize, ToSchema)]
pub struct VisitRequest {
    pub visitor: VisitorRequest,
    /// Citizens who came with the same content (column 7); 5 or more is a crowd delegation.
    #[serde(default = "one")]
    pub people_count: i32,
    /// The group's representatives: 5–10 people 1 or 2; more than 10 at most 5.
    #[serde(default)]
    pub representatives: Vec<RepresentativeRequest>,
    pub summary: String,
    /// The subject of the petition it opens (default: the start of the summary).
    pub subject: Option<String>,
    pub kind: Kind,
    pub handled_before_by: Option<String>,
    #[serde(default)]
    pub within_competence: bool,
    pub guided_to: Option<String>,
    pub guidance_letter_no: Option<String>,
    pub accepted_by: Option<String>,
    pub forwarding_letter_no: Option<String>,
    pub follow_up: Option<String>,
    pub note: Option<String>,
    /// Register a petition from the visit (linked both ways).
    #[serde(default)]
    pub open_petition: bool,
    /// A repeat visit about this case of the agency.
    pub petition_id: Option<i64>,
    /// The field of its content (lĩnh vực), for the reports; may be left out.
    pub field: Option<crate::domain::petition::field::Field>,
}

fn one() -> i32 {
    1
}

/// A checked visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVisit {
    pub visitor: Person,
    pub people_count: i32,
    pub representatives: Vec<Person>,
    pub summary: String,
    /// The subject of the petition a visit opens (default: the start of the summary).
    pub subject: Option<String>,
    pub kind: Kind,
    pub handled_before_by: Option<String>,
    pub within_competence: bool,
    pub guided_to: Option<String>,
    pub guidance_letter_no: Option<String>,
    pub accepted_by: Option<String>,
    pub forwarding_letter_no: Option<String>,
    pub follow_up: Option<String>,
    pub note: Option<String>,
    pub open_petition: bool,
    pub petition_id: Option<i64>,
    pub field: Option<crate::domain::petition::field::Field>,
}

/// The most people one line of the book counts.
const MAX_PEOPLE: i32 = 10_000;

impl VisitRequest {
    /// Checks the visitor, the people and their representatives (a group of five or more names
    /// one to five of them, Law 42/2013 Art. 30), the summary and the form's columns; a visit
    /// opens a new petition or comes back about an old one, not both.
    pub fn parse(self) -> Result<NewVisit, Invalid> {
        let mut f = Fields::new();
        let visitor = self.visitor.parse("visitor", &mut f);
        let counted = (1..=MAX_PEOPLE).contains(&self.people_count);
        if !counted {
            f.report("people_count", "Số người từ 1 đến 10 000.");
        }
        let named = self.representatives.len();
        let representatives = self
            .representatives
            .into_iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let person = match r {
                    RepresentativeRequest::Name(full_name) => {
                        PersonRequest { full_name, ..Default::default() }
                    }
                    RepresentativeRequest::Person(p) => p,
                };
                person.parse(&format!("representatives[{i}]"), &mut f)
            })
            .collect();
        if counted {
            if let Err(m) = delegation::check_representatives(self.people_count, named) {
                f.report("representatives", m);
            } else if self.people_count >= delegation::MULTI_SIGNATORY_FROM && named == 0 {
                f.report(
                    "representatives",
                    "Đoàn đông người (từ 5 người) phải cử người đại diện (Luật Tiếp công dân 2013, Điều 30).",
                );
            }
        }
        let summary = f.check("summary", bounded_text(&self.summary, 3, 20_000));
        let subject = self.subject.as_deref().and_then(|s| f.check("subject", bounded_text(s, 3, 500)));
        let mut opt = |field: &str, value: Option<String>, max| {
            f.check_opt(field, optional_text(value.as_deref(), max))
        };
        let handled_before_by = opt("handled_before_by", self.handled_before_by, 300);
        let guided_to = opt("guided_to", self.guided_to, 300);
        let guidance_letter_no = opt("guidance_letter_no", self.guidance_letter_no, 100);
        let accepted_by = opt("accepted_by", self.accepted_by, 300);
        let forwarding_letter_no = opt("forwarding_letter_no", self.forwarding_letter_no, 100);
        let follow_up = opt("follow_up", self.follow_up, 5000);
        let note = opt("note", self.note, 2000);
        if self.open_petition && self.petition_id.is_some() {
            f.report(
                "petition_id",
                "Lượt tiếp mở hồ sơ mới thì không gắn vào vụ việc đã có: chọn một trong hai cách xử lý.",
            );
        }
        f.done(visitor.zip(summary).map(|(visitor, summary)| NewVisit {
            visitor,
            people_count: self.people_count,
            representatives,
            summary,
            subject,
            kind: self.kind,
            handled_before_by,
            within_competence: self.within_competence,
            guided_to,
            guidance_letter_no,
            accepted_by,
            forwarding_letter_no,
            follow_up,
            note,
            open_petition: self.open_petition,
            petition_id: self.petition_id,
            field: self.field,
        }))
    }
}

/// A representative of a group, as stored with the visit (and shown with it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Representative {
    pub full_name: String,
    pub id_number: Option<String>,
    pub address: Option<String>,
}

impl From<&Person> for Representative {
    fn from(p: &Person) -> Self {
        Self { full_name: p.full_name.clone(), id_number: p.id_number.clone(), address: p.address.clone() }
    }
}

/// The subject a visit gives the petition it opens: the first words of the summary, on one line,
/// at most 200 characters.
pub fn subject_from(summary: &str) -> String {
    let one_line = summary.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= 200 {
        return one_line;
    }
    let cut: String = one_line.chars().take(197).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visit(people_count: i32, representatives: Vec<RepresentativeRequest>) -> VisitRequest {
        VisitRequest {
            field: None,
            visitor: VisitorRequest { full_name: "Ngô Văn Thành".into(), address: None, id_number: None },
            people_count,
            representatives,
            summary: "Kiến nghị về phương án bồi thường.".into(),
            subject: None,
            kind: Kind::Recommendation,
            handled_before_by: None,
            within_competence: true,
            guided_to: None,
            guidance_letter_no: None,
            accepted_by: None,
            forwarding_letter_no: None,
            follow_up: None,
            note: None,
            open_petition: false,
            petition_id: None,
        }
    }

    fn names(n: usize) -> Vec<RepresentativeRequest> {
        (0..n).map(|i| RepresentativeRequest::Name(format!("Đại diện {i}"))).collect()
    }

    #[test]
    fn a_crowd_delegation_names_its_representatives_art_30() {
        // (people, representatives named, accepted)
        let table = [
            (1, 0, true),
            (4, 1, true),
            (4, 2, false),
            (5, 0, false),
            (5, 2, true),
            (10, 3, false),
            (11, 5, true),
            (11, 6, false),
        ];
        for (people, named, accepted) in table {
            let parsed = visit(people, names(named)).parse();
            assert_eq!(parsed.is_ok(), accepted, "{people} people, {named} representatives");
            if let Err(Invalid(errors)) = parsed {
                assert_eq!(errors.keys().collect::<Vec<_>>(), ["representatives"]);
            }
        }
        let five = visit(5, vec![]).parse().unwrap_err();
        assert_eq!(
            five.0["representatives"],
            ["Đoàn đông người (từ 5 người) phải cử người đại diện (Luật Tiếp công dân 2013, Điều 30)."]
        );
        let crowd = visit(12, names(2)).parse().unwrap();
        assert_eq!(crowd.representatives[1].full_name, "Đại diện 1");
    }

    #[test]
    fn the_people_counted_are_one_to_ten_thousand() {
        for people in [0, 10_001] {
            let Invalid(errors) = visit(people, vec![]).parse().unwrap_err();
            assert_eq!(errors.keys().collect::<Vec<_>>(), ["people_count"], "{people}");
        }
    }

    #[test]
    fn each_field_is_reported_under_its_name() {
        let mut bad = visit(6, vec![RepresentativeRequest::Name(" ".into())]);
        bad.summary = "ab".into();
        bad.visitor.id_number = Some("12".into());
        bad.note = Some("x".repeat(2001));
        bad.open_petition = true;
        bad.petition_id = Some(3);
        let Invalid(errors) = bad.parse().unwrap_err();
        let fields: Vec<&str> = errors.keys().map(String::as_str).collect();
        assert_eq!(
            fields,
            ["note", "petition_id", "representatives[0].full_name", "summary", "visitor.id_number"]
        );
    }

    #[test]
    fn an_opened_petition_takes_its_subject_from_the_summary() {
        assert_eq!(subject_from("  Hỏi về\n tiến độ  cấp giấy "), "Hỏi về tiến độ cấp giấy");
        let long = subject_from(&"chữ ".repeat(100));
        assert_eq!(long.chars().count(), 198);
        assert!(long.ends_with('…'));
    }
}
