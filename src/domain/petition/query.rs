//! The register's list and the inbox as asked in a query string, and the filter they become.

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::IntoParams;

use super::{Channel, Kind, Status};
use crate::domain::{
    input::{BadQuery, supported_date_opt},
    page::{PageParams, cursor},
};

/// The longest search text, in characters.
const MAX_QUERY_CHARS: usize = 200;

/// Filters of the register.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    pub kind: Option<Kind>,
    pub channel: Option<Channel>,
    pub status: Option<Status>,
    /// `true`: only cases with work left (being handled, or closed with a written notice still to
    /// send); `false`: only cases with nothing left to do.
    pub open: Option<bool>,
    pub assignee_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub overdue: Option<bool>,
    pub nearly_due: Option<bool>,
    /// Words of the subject, content or petitioner's name, with or without diacritics.
    pub q: Option<String>,
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub received_from: Option<NaiveDate>,
    #[serde(default, deserialize_with = "supported_date_opt")]
    pub received_to: Option<NaiveDate>,
    /// `due`: overdue and nearest due first; `received` (default): newest first.
    pub sort: Option<String>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
    /// The `next_after` of the previous page: the page after it, in the list's order.
    pub after: Option<String>,
}

/// Whose inbox.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InboxQuery {
    /// `mine` (default): cases assigned to me; `unit`: my unit's; `new`: unassigned new cases.
    pub scope: Option<String>,
    pub q: Option<String>,
    pub kind: Option<Kind>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
    /// The `next_after` of the previous page: the page after it.
    pub after: Option<String>,
}

/// Filters of the register's list, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    pub kind: Option<Kind>,
    pub channel: Option<Channel>,
    pub status: Option<Status>,
    /// Only cases with work left (see [`ListQuery::open`]).
    pub open: Option<bool>,
    pub assignee_id: Option<i64>,
    /// Only cases with no handler yet (the inbox's `new` scope).
    pub unassigned: bool,
    pub unit_id: Option<i64>,
    pub overdue: Option<bool>,
    pub nearly_due: Option<bool>,
    /// Words to search for; never blank.
    pub q: Option<String>,
    pub received_from: Option<NaiveDate>,
    pub received_to: Option<NaiveDate>,
    /// Sort overdue and nearest due first (the inbox) instead of newest first.
    pub by_due: bool,
}

/// The order a list of cases is read in, each from an index in that order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListOrder {
    /// Newest received first: `(received_on, id)` descending.
    Received,
    /// The inbox's: open cases by `inbox_due_on` then id, then (the register's list only) closed
    /// cases by id.
    Due,
    /// A search: newest registered first, by id descending, read from the full-text index.
    Newest,
}

/// Where the next page of a list starts: the key of the last row of the page before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListCursor {
    Received(NaiveDate, i64),
    /// `None`: a closed case, after every open one.
    Due(Option<NaiveDate>, i64),
    Newest(i64),
}

impl ListCursor {
    /// The opaque text of this cursor (`next_after`).
    pub fn encode(&self) -> String {
        match self {
            Self::Received(d, id) => cursor::encode(&["r", &d.to_string(), &id.to_string()]),
            Self::Due(d, id) => {
                let d = d.map(|d| d.to_string()).unwrap_or_default();
                cursor::encode(&["d", &d, &id.to_string()])
            }
            Self::Newest(id) => cursor::encode(&["n", &id.to_string()]),
        }
    }

    /// A cursor sent back (`after`) for a list in `order`: 400 when it is not one of this order's.
    pub fn decode(order: ListOrder, text: &str) -> Result<Self, BadQuery> {
        let parts = cursor::decode(text)?;
        let bad = || {
            BadQuery::param(
                "after",
                "Trang sau này không thuộc danh sách đang xem: hãy xem lại danh sách từ trang đầu.",
            )
        };
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| bad());
        let id = |s: &str| s.parse::<i64>().map_err(|_| bad());
        match (order, parts.iter().map(String::as_str).collect::<Vec<_>>().as_slice()) {
            (ListOrder::Received, ["r", d, i]) => Ok(Self::Received(date(d)?, id(i)?)),
            (ListOrder::Due, ["d", "", i]) => Ok(Self::Due(None, id(i)?)),
            (ListOrder::Due, ["d", d, i]) => Ok(Self::Due(Some(date(d)?), id(i)?)),
            (ListOrder::Newest, ["n", i]) => Ok(Self::Newest(id(i)?)),
            _ => Err(bad()),
        }
    }
}

impl ListFilter {
    /// The order this list is read in: a search newest first (from the full-text index), unless
    /// sorted by due date.
    pub fn order(&self) -> ListOrder {
        match (self.by_due, &self.q) {
            (true, _) => ListOrder::Due,
            (false, Some(_)) => ListOrder::Newest,
            (false, None) => ListOrder::Received,
        }
    }

    /// A search and nothing else, newest first: every match is one of the list, so the matches
    /// can be counted in the full-text index without reading the cases.
    pub fn only_search(&self) -> bool {
        self.q.is_some() && *self == ListFilter { q: self.q.clone(), ..Default::default() }
    }
}

/// A search text, `None` when blank.
fn search_text(q: Option<String>) -> Option<String> {
    q.filter(|s| !s.trim().is_empty())
}

impl ListQuery {
    /// The filter and the page asked (the page is checked with the others by the list).
    pub fn parse(self) -> Result<(ListFilter, PageParams, Option<String>), BadQuery> {
        let by_due = match self.sort.as_deref() {
            None | Some("received") => false,
            Some("due") => true,
            Some(_) => {
                return Err(BadQuery::param("sort", "Chỉ sắp xếp được theo ngày nhận hoặc theo hạn xử lý."));
            }
        };
        if self.q.as_deref().is_some_and(|s| s.chars().count() > MAX_QUERY_CHARS) {
            return Err(BadQuery::param("q", "Từ khóa tìm kiếm dài quá 200 ký tự."));
        }
        let filter = ListFilter {
            kind: self.kind,
            channel: self.channel,
            status: self.status,
            open: self.open,
            assignee_id: self.assignee_id,
            unassigned: false,
            unit_id: self.unit_id,
            overdue: self.overdue,
            nearly_due: self.nearly_due,
            q: search_text(self.q),
            received_from: self.received_from,
            received_to: self.received_to,
            by_due,
        };
        Ok((filter, PageParams::of(self.page, self.per_page), self.after))
    }
}

/// Whose open cases an inbox holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InboxScope {
    /// The cases assigned to the reader.
    Mine,
    /// The cases of the reader's unit.
    Unit,
    /// New cases nobody handles yet.
    New,
    /// Every open case of the agency.
    All,
}

/// A checked inbox query.
#[derive(Debug, Clone)]
pub struct Inbox {
    pub scope: InboxScope,
    pub kind: Option<Kind>,
    pub q: Option<String>,
    pub page: PageParams,
    /// The cursor of the page asked, if any.
    pub after: Option<String>,
}

impl InboxQuery {
    /// The scope, filters and page asked.
    pub fn parse(self) -> Result<Inbox, BadQuery> {
        let scope = match self.scope.as_deref() {
            None | Some("mine") => InboxScope::Mine,
            Some("unit") => InboxScope::Unit,
            Some("new") => InboxScope::New,
            Some("all") => InboxScope::All,
            Some(_) => {
                return Err(BadQuery::param(
                    "scope",
                    "Phạm vi phải là: được giao cho tôi, của đơn vị tôi, đơn mới chưa phân công hoặc tất cả.",
                ));
            }
        };
        Ok(Inbox {
            scope,
            kind: self.kind,
            q: search_text(self.q),
            page: PageParams::of(self.page, self.per_page),
            after: self.after,
        })
    }
}

impl Inbox {
    /// The list filter of this inbox for the reader `user_id` of `unit_id`: open cases, overdue
    /// and nearest due first ("hết việc, không hết giờ"). `None` for the unit scope of a reader
    /// without a unit.
    pub fn filter(&self, user_id: i64, unit_id: Option<i64>) -> Option<ListFilter> {
        let mut filter = ListFilter {
            open: Some(true),
            by_due: true,
            kind: self.kind,
            q: self.q.clone(),
            ..Default::default()
        };
        match self.scope {
            InboxScope::Mine => filter.assignee_id = Some(user_id),
            InboxScope::Unit => filter.unit_id = Some(unit_id?),
            InboxScope::New => {
                filter.status = Some(Status::Received);
                filter.unassigned = true;
            }
            InboxScope::All => {}
        }
        Some(filter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(sort: Option<&str>, q: Option<&str>) -> ListQuery {
        ListQuery {
            kind: None,
            channel: None,
            status: None,
            open: None,
            assignee_id: None,
            unit_id: None,
            overdue: None,
            nearly_due: None,
            q: q.map(str::to_owned),
            received_from: None,
            received_to: None,
            sort: sort.map(str::to_owned),
            page: Some(2),
            per_page: None,
            after: None,
        }
    }

    #[test]
    fn the_list_sorts_by_receipt_or_due_date_and_searches_short_texts() {
        let (filter, page, _) = list(None, Some("  ")).parse().unwrap();
        assert!(!filter.by_due && filter.q.is_none(), "a blank search searches nothing");
        assert_eq!(page.page, Some(2));
        assert!(list(Some("due"), None).parse().unwrap().0.by_due);
        assert!(list(Some("name"), None).parse().is_err());
        assert!(list(None, Some(&"a".repeat(201))).parse().is_err());
    }

    #[test]
    fn an_inbox_holds_open_cases_by_due_date() {
        let inbox = |scope: &str| {
            InboxQuery {
                scope: Some(scope.to_owned()),
                q: None,
                kind: None,
                page: None,
                per_page: None,
                after: None,
            }
            .parse()
        };
        let mine = inbox("mine").unwrap().filter(7, None).unwrap();
        assert_eq!((mine.assignee_id, mine.open, mine.by_due), (Some(7), Some(true), true));
        assert_eq!(inbox("unit").unwrap().filter(7, None), None, "no unit, no unit inbox");
        assert_eq!(inbox("unit").unwrap().filter(7, Some(3)).unwrap().unit_id, Some(3));
        let new = inbox("new").unwrap().filter(7, None).unwrap();
        assert!(new.unassigned && new.status == Some(Status::Received));
        assert!(inbox("everyone").is_err());
    }

    #[test]
    fn cursors_belong_to_their_order() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        for (order, c) in [
            (ListOrder::Received, ListCursor::Received(d, 7)),
            (ListOrder::Due, ListCursor::Due(Some(d), 7)),
            (ListOrder::Due, ListCursor::Due(None, 7)),
            (ListOrder::Newest, ListCursor::Newest(7)),
        ] {
            assert_eq!(ListCursor::decode(order, &c.encode()).unwrap(), c);
        }
        let received = ListCursor::Received(d, 7).encode();
        assert!(ListCursor::decode(ListOrder::Due, &received).is_err());
        assert!(ListCursor::decode(ListOrder::Newest, "%%").is_err());
    }
}
