//! The citizen portal's forms: a petition filed online, and the rating of a closed case.

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{Channel, Kind, intake::NewPetition};
use crate::domain::{
    input::{Fields, Invalid},
    person::{Person, PersonRequest},
    validate::{bounded_text, optional_text},
};

/// A petition filed on the portal.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PublicPetitionRequest {
    pub kind: Kind,
    pub subject: String,
    pub content: String,
    /// Who files it: full name and address at least, so the agency can answer.
    pub petitioner: PersonRequest,
    /// Another agency of the register (default: the first one).
    pub agency_id: Option<i64>,
}

/// A checked online filing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicFiling {
    pub kind: Kind,
    pub subject: String,
    pub content: String,
    /// With an address, always.
    pub petitioner: Person,
    /// `None`: the register's first agency.
    pub agency_id: Option<i64>,
}

impl PublicPetitionRequest {
    /// Checks a filing: a subject, a content of some substance, and a petitioner the agency can
    /// answer (a name and an address).
    pub fn parse(self) -> Result<PublicFiling, Invalid> {
        let mut f = Fields::new();
        let subject = f.check("subject", bounded_text(&self.subject, 3, 500));
        let content = f.check("content", bounded_text(&self.content, 10, 20_000));
        let petitioner = self.petitioner.parse("petitioner", &mut f);
        if petitioner.as_ref().is_some_and(|p| p.address.is_none()) {
            f.report("petitioner.address", "Cần địa chỉ để cơ quan trả lời.");
        }
        let filing = subject.zip(content).zip(petitioner).map(|((subject, content), petitioner)| {
            PublicFiling { kind: self.kind, subject, content, petitioner, agency_id: self.agency_id }
        });
        f.done(filing)
    }
}

impl PublicFiling {
    /// The new petition of this filing at `agency_id`, received online on `today`, listed under
    /// the account of `citizen_user_id` when a citizen filed it signed in.
    pub fn into_petition(
        self,
        agency_id: i64,
        citizen_user_id: Option<i64>,
        today: NaiveDate,
    ) -> NewPetition {
        NewPetition {
            petitioner: Some(self.petitioner),
            citizen_user_id,
            ..NewPetition::received(agency_id, self.kind, Channel::Online, today, self.subject, self.content)
        }
    }
}

/// A signed-in citizen claiming a petition they filed before having an account: its tracking
/// code and the phone number or e-mail address it was filed with.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ClaimRequest {
    pub tracking_code: String,
    /// The phone or e-mail given when filing.
    pub contact: String,
}

impl ClaimRequest {
    /// The contact as it is compared: an address in lower case, a phone by its digits (a leading
    /// `+84` read as `0`).
    pub fn contact_key(text: &str) -> String {
        let t = text.trim();
        if t.contains('@') {
            return t.to_lowercase();
        }
        let digits: String = t.chars().filter(char::is_ascii_digit).collect();
        match digits.strip_prefix("84") {
            Some(rest) if t.starts_with('+') => format!("0{rest}"),
            _ => digits,
        }
    }
}

/// A citizen's rating.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RatingRequest {
    /// 1 (very dissatisfied) to 5 (very satisfied).
    pub score: i64,
    pub comment: Option<String>,
}

/// A checked rating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rating {
    /// 1 to 5.
    pub score: i16,
    pub comment: Option<String>,
}

impl RatingRequest {
    /// Checks the score (1 to 5), then the comment.
    pub fn parse(self) -> Result<Rating, Invalid> {
        let score = i16::try_from(self.score)
            .ok()
            .filter(|s| (1..=5).contains(s))
            .ok_or_else(|| Invalid::field("score", "Điểm đánh giá từ 1 đến 5."))?;
        let comment =
            optional_text(self.comment.as_deref(), 2000).map_err(|m| Invalid::field("comment", m))?;
        Ok(Rating { score, comment })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filing(address: Option<&str>) -> PublicPetitionRequest {
        PublicPetitionRequest {
            kind: Kind::Feedback,
            subject: "Đèn đường hỏng".into(),
            content: "Đèn đường tổ 3 hỏng đã hai tuần.".into(),
            petitioner: PersonRequest {
                full_name: "Trần Thị Bình".into(),
                address: address.map(str::to_owned),
                ..Default::default()
            },
            agency_id: None,
        }
    }

    #[test]
    fn an_online_petitioner_gives_an_address() {
        let Invalid(errors) = filing(None).parse().unwrap_err();
        assert_eq!(errors["petitioner.address"], ["Cần địa chỉ để cơ quan trả lời."]);
        let new = filing(Some("Tổ 3")).parse().unwrap().into_petition(2, Some(5), NaiveDate::MIN);
        assert_eq!((new.channel, new.agency_id, new.citizen_user_id), (Channel::Online, 2, Some(5)));
        assert_eq!(new.received_by, None, "no staff member registered it");
    }

    #[test]
    fn a_rating_scores_one_to_five() {
        for bad in [0, 6, i64::from(i16::MAX) + 1] {
            let Invalid(errors) = RatingRequest { score: bad, comment: None }.parse().unwrap_err();
            assert!(errors.contains_key("score"), "{bad}");
        }
        let rating = RatingRequest { score: 4, comment: Some("  ".into()) }.parse().unwrap();
        assert_eq!(rating, Rating { score: 4, comment: None });
    }
}

#[cfg(test)]
mod claim_tests {
    use super::ClaimRequest;

    #[test]
    fn a_contact_compares_by_its_digits_or_its_lower_case_address() {
        assert_eq!(ClaimRequest::contact_key("+84 912 345 678"), "0912345678");
        assert_eq!(ClaimRequest::contact_key("0912.345.678"), "0912345678");
        assert_eq!(ClaimRequest::contact_key(" An.Nguyen@Example.VN "), "an.nguyen@example.vn");
    }
}
