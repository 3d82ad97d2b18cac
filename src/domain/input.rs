//! What a request may say, before it is believed: the errors of parsing a request's body or query
//! into the domain's inputs ("parse, don't validate"). A form type (`…Form`) holds a body as sent;
//! its `parse` gives the checked input the services take, or every field's error at once.

use std::collections::BTreeMap;

use serde::Deserialize as _;

/// Field name → messages (Vietnamese), e.g. `"petitioner.full_name": ["Bắt buộc."]`.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

/// A body that does not hold: the message of each field at fault (422 `validation_failed`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Invalid(pub FieldErrors);

impl Invalid {
    /// One field at fault.
    pub fn field(name: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.insert(name.to_owned(), vec![message.into()]);
        Self(errors)
    }
}

/// A query string that does not hold (400 `invalid_query`): a Vietnamese message, which names
/// parameters by their labels ([`param_label`]), never by their wire names, and the parameter at
/// fault when there is one (the answer files the message under it, for a form to show beside its
/// field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadQuery(pub String, pub Option<&'static str>);

impl BadQuery {
    /// A bad query, saying why.
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into(), None)
    }

    /// A bad value of the parameter `param`, saying why.
    pub fn param(param: &'static str, message: impl Into<String>) -> Self {
        Self(message.into(), Some(param))
    }
}

/// The words a message uses for a query parameter (`from` → "Từ ngày"), so that no answer
/// speaks in wire names; an unknown name is given back as it is.
pub fn param_label(name: &str) -> &str {
    match name {
        "start" => "Ngày bắt đầu",
        "days" => "Số ngày",
        "unit" => "Cách tính",
        "from" => "Từ ngày",
        "to" => "Đến ngày",
        "page" => "Trang",
        "per_page" => "Số dòng mỗi trang",
        "after" => "Trang sau",
        "q" => "Từ khóa tìm kiếm",
        "kind" => "Loại",
        "status" => "Trạng thái",
        "role" => "Vai trò",
        "scope" => "Phạm vi",
        "sort" => "Thứ tự",
        "year" => "Năm",
        "month" => "Tháng",
        "from_month" => "Từ tháng",
        "to_month" => "Đến tháng",
        "period" => "Kỳ báo cáo",
        "week" => "Tuần",
        "from_week" => "Từ tuần",
        "to_week" => "Đến tuần",
        "open" => "Đang xử lý",
        "overdue" => "Quá hạn",
        "nearly_due" => "Sắp đến hạn",
        "active" => "Đang hoạt động",
        "unit_id" => "Đơn vị",
        "assignee_id" => "Người xử lý",
        "host_id" => "Người chủ trì",
        "agency_id" => "Cơ quan",
        "session_id" => "Buổi tiếp",
        "channel" => "Hình thức nhận",
        "field" => "Lĩnh vực",
        "subordinates" => "Gồm cơ quan cấp dưới",
        "received_from" => "Nhận từ ngày",
        "received_to" => "Nhận đến ngày",
        other => other,
    }
}

/// Collects the errors of a form's fields while it is parsed, so that all of them are answered
/// at once.
#[derive(Debug, Default)]
pub struct Fields {
    errors: FieldErrors,
}

impl Fields {
    /// Nothing reported yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Files `message` under `field`.
    pub fn report(&mut self, field: &str, message: impl Into<String>) {
        self.errors.entry(field.to_owned()).or_default().push(message.into());
    }

    /// The value of a field's check, or `None` with its message filed under `field`.
    pub fn check<T>(&mut self, field: &str, checked: Result<T, String>) -> Option<T> {
        checked.map_err(|m| self.report(field, m)).ok()
    }

    /// Like [`Fields::check`] for an optional value: `None` stays `None`.
    pub fn check_opt<T>(&mut self, field: &str, checked: Result<Option<T>, String>) -> Option<T> {
        self.check(field, checked).flatten()
    }

    /// Every error reported, by field.
    pub fn into_errors(self) -> FieldErrors {
        self.errors
    }

    /// Whether nothing was reported.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// `Ok(())` when every field held.
    pub fn finish(self) -> Result<(), Invalid> {
        if self.errors.is_empty() { Ok(()) } else { Err(Invalid(self.errors)) }
    }

    /// `value` when every field held; the errors otherwise. `value` is `None` only when some field
    /// failed (it is built from the checked fields).
    pub fn done<T>(self, value: Option<T>) -> Result<T, Invalid> {
        match (self.errors.is_empty(), value) {
            (true, Some(value)) => Ok(value),
            (_, _) if !self.errors.is_empty() => Err(Invalid(self.errors)),
            // A field without a value but without an error is a bug of the parser.
            _ => Err(Invalid::field("body", "Dữ liệu không hợp lệ.")),
        }
    }
}

/// A date of a request body or query (`#[serde(deserialize_with = "supported_date")]`): only the
/// years the calendar holds (1990–2100, [`crate::domain::calendar::supported_date`]) are taken, so that a date such
/// as `-4713-01-01` or `+262142-12-31` is a 422 on the field (400 `invalid_query` in a query) and
/// never reaches the database. Each handler then bounds it further by what the date means.
pub fn supported_date<'de, D>(deserializer: D) -> Result<chrono::NaiveDate, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let date = chrono::NaiveDate::deserialize(deserializer)?;
    crate::domain::calendar::supported_date(date).map_err(serde::de::Error::custom)
}

/// [`supported_date`] for an optional date; use with `#[serde(default, deserialize_with = …)]`.
pub fn supported_date_opt<'de, D>(deserializer: D) -> Result<Option<chrono::NaiveDate>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    Option::<chrono::NaiveDate>::deserialize(deserializer)?
        .map(|d| crate::domain::calendar::supported_date(d).map_err(serde::de::Error::custom))
        .transpose()
}

/// For PATCH bodies: tells a missing field (`None`) from an explicit `null` (`Some(None)`).
pub fn double_option<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_is_kept_under_its_field() {
        let mut fields = Fields::new();
        let name: Option<String> = fields.check("name", Err("Bắt buộc.".to_owned()));
        let code = fields.check("code", Ok::<_, String>(7));
        fields.report("name", "Dài quá 200 ký tự.");
        assert_eq!((name, code), (None, Some(7)));
        let Invalid(errors) = fields.done(Some(())).unwrap_err();
        assert_eq!(errors["name"], ["Bắt buộc.", "Dài quá 200 ký tự."]);
        assert!(!errors.contains_key("code"));
        assert_eq!(Fields::new().done(Some(5)), Ok(5));
    }
}
