//! Pages of a register's list: `?page=1&per_page=50` (at most 200), as the API conventions say,
//! and, for lists that read their pages from an index in their own order, `?after=<cursor>`: the
//! page after the row the cursor names (keyset pagination), whose cost does not grow with the
//! depth. Such a list counts its matches only up to [`TOTAL_CAP`] (`total_capped` says there are
//! more), and refuses a `page` whose offset passes the cap (`page_too_deep`: follow `next_after`).

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::input::BadQuery;

/// The largest page.
pub const MAX_PER_PAGE: u64 = 200;

/// How far a keyset list counts its matches, and how deep an offset (`page`) may go: beyond, the
/// total is shown as "10.000+" and the pages are followed by cursor.
pub const TOTAL_CAP: u64 = 10_000;

/// How far a search counts its matches ("1.000+"): a search is read for its first pages, and
/// counting its matches walks the full-text index's posting lists, the most costly part of a
/// search on a large register.
pub const SEARCH_TOTAL_CAP: u64 = 1_000;

/// `?page=1&per_page=50` as sent.
#[derive(Debug, Clone, Copy, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page number, from 1.
    pub page: Option<u64>,
    /// Items per page, 1 to 200 (default 50; larger values are capped at 200).
    pub per_page: Option<u64>,
}

/// `?page=1&per_page=50&after=…` as sent to a list paged by cursor.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KeysetParams {
    /// Page number, from 1 (its offset at most 10,000 rows: deeper, follow `next_after`).
    pub page: Option<u64>,
    /// Items per page, 1 to 200 (default 50; larger values are capped at 200).
    pub per_page: Option<u64>,
    /// The `next_after` of the previous page: the page after it (takes the place of `page`).
    pub after: Option<String>,
}

impl KeysetParams {
    /// The page and the cursor (a blank cursor is none).
    pub fn split(self) -> (PageParams, Option<String>) {
        (PageParams::of(self.page, self.per_page), self.after.filter(|a| !a.trim().is_empty()))
    }
}

/// A checked page request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u64,
    pub per_page: u64,
}

impl PageRequest {
    /// Rows to skip.
    pub fn offset(&self) -> u64 {
        (self.page - 1) * self.per_page
    }
}

impl PageParams {
    /// A page from the two parameters of a query.
    pub fn of(page: Option<u64>, per_page: Option<u64>) -> Self {
        Self { page, per_page }
    }

    /// Checks the numbers: page ≥ 1, per_page ≥ 1 (capped at [`MAX_PER_PAGE`]).
    pub fn checked(self) -> Result<PageRequest, BadQuery> {
        let page = self.page.unwrap_or(1);
        let per_page = self.per_page.unwrap_or(50);
        if page == 0 {
            return Err(BadQuery::param("page", "Số trang phải từ 1 trở lên."));
        }
        if page > 1_000_000 {
            return Err(BadQuery::param("page", "Số trang quá lớn."));
        }
        if per_page == 0 {
            return Err(BadQuery::param("per_page", "Số dòng mỗi trang phải từ 1 đến 200."));
        }
        Ok(PageRequest { page, per_page: per_page.min(MAX_PER_PAGE) })
    }
}

/// A page of a list: `{"items","total","page","per_page","total_capped","next_after"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// The number of matches; with `total_capped`, only a lower bound ([`TOTAL_CAP`]).
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    /// Lists paged by cursor: there are more than `total` matches (the count stops at 10,000:
    /// shown as "10.000+"). Absent from lists paged by offset only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_capped: Option<bool>,
    /// Lists paged by cursor: the cursor of the next page (`?after=`), `null` when this page is
    /// the last. Absent from lists paged by offset only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub next_after: Option<Option<String>>,
}

impl<T> Page<T> {
    /// Wraps `items` found for a request, of `total` in all.
    pub fn new(items: Vec<T>, total: u64, req: PageRequest) -> Self {
        Self { items, total, page: req.page, per_page: req.per_page, total_capped: None, next_after: None }
    }

    /// Wraps `items` of a list paged by cursor: `counted` matches counted up to [`TOTAL_CAP`] + 1,
    /// and the cursor of the next page, if any.
    pub fn keyset(items: Vec<T>, counted: u64, req: PageRequest, next_after: Option<String>) -> Self {
        Self::keyset_up_to(TOTAL_CAP, items, counted, req, next_after)
    }

    /// [`Page::keyset`] of a list counted up to `cap` + 1 (a search: [`SEARCH_TOTAL_CAP`]).
    pub fn keyset_up_to(
        cap: u64,
        items: Vec<T>,
        counted: u64,
        req: PageRequest,
        next_after: Option<String>,
    ) -> Self {
        let total_capped = counted > cap;
        Self {
            items,
            total: counted.min(cap),
            page: req.page,
            per_page: req.per_page,
            total_capped: Some(total_capped),
            next_after: Some(next_after),
        }
    }

    /// The same page with each item shaped by `f` (a model into its view).
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            page: self.page,
            per_page: self.per_page,
            total_capped: self.total_capped,
            next_after: self.next_after,
        }
    }
}

impl PageRequest {
    /// The offset passes [`TOTAL_CAP`], past which lists paged by cursor neither count nor skip:
    /// such a page is followed by cursor (the service answers 400 `page_too_deep`).
    pub fn beyond_cap(self) -> bool {
        self.offset() + self.per_page > TOTAL_CAP
    }

    /// Checks the depth of a page of a list paged by cursor: one asked by offset (`by_cursor`
    /// false) may not pass [`TOTAL_CAP`].
    pub fn within_cap(self, by_cursor: bool) -> Result<Self, TooDeep> {
        if !by_cursor && self.beyond_cap() { Err(TooDeep) } else { Ok(self) }
    }

    /// Cuts the `per_page + 1` rows read for this page to the page, and returns the key of its
    /// last row (by `key`) when there were more: the cursor of the next page.
    pub fn cut<T>(self, rows: &mut Vec<T>, key: impl Fn(&T) -> String) -> Option<String> {
        let per_page = usize::try_from(self.per_page).unwrap_or(usize::MAX);
        if rows.len() <= per_page {
            return None;
        }
        rows.truncate(per_page);
        rows.last().map(key)
    }
}

/// A page asked by offset past [`TOTAL_CAP`] of a list paged by cursor (400 `page_too_deep`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep;

/// An opaque cursor: a list's own key of a row (its sort values and id, `|`-separated), in
/// URL-safe base64 so that clients pass it back unchanged.
pub mod cursor {
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

    use super::BadQuery;

    /// The cursor of a key.
    pub fn encode(parts: &[&str]) -> String {
        URL_SAFE_NO_PAD.encode(parts.join("|"))
    }

    /// The key of a cursor; a `BadQuery` when it is not one of ours.
    pub fn decode(cursor: &str) -> Result<Vec<String>, BadQuery> {
        let bad = || BadQuery::param("after", "Không mở được trang sau: hãy xem lại danh sách từ trang đầu.");
        let bytes = URL_SAFE_NO_PAD.decode(cursor.trim()).map_err(|_| bad())?;
        let text = String::from_utf8(bytes).map_err(|_| bad())?;
        Ok(text.split('|').map(str::to_owned).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_start_at_one_and_are_capped() {
        assert_eq!(PageParams::default().checked(), Ok(PageRequest { page: 1, per_page: 50 }));
        assert_eq!(PageParams::of(Some(3), Some(500)).checked().unwrap().per_page, 200);
        assert_eq!(PageParams::of(Some(3), Some(20)).checked().unwrap().offset(), 40);
        assert!(PageParams::of(Some(0), None).checked().is_err());
        assert!(PageParams::of(None, Some(0)).checked().is_err());
    }

    #[test]
    fn offsets_stop_at_the_cap_and_cursors_round_trip() {
        assert!(!PageParams::of(Some(50), Some(200)).checked().unwrap().beyond_cap());
        assert!(PageParams::of(Some(201), Some(50)).checked().unwrap().beyond_cap());
        let c = cursor::encode(&["d", "2026-12-01", "42"]);
        assert_eq!(cursor::decode(&c).unwrap(), vec!["d", "2026-12-01", "42"]);
        assert!(cursor::decode("not base64!").is_err());
        let capped = Page::keyset(vec![1], 10_001, PageRequest { page: 1, per_page: 50 }, None);
        assert_eq!((capped.total, capped.total_capped), (10_000, Some(true)));
        let req = PageRequest { page: 1, per_page: 20 };
        let search = Page::keyset_up_to(SEARCH_TOTAL_CAP, vec![1], 1_001, req, None);
        assert_eq!((search.total, search.total_capped), (1_000, Some(true)), "a search says 1.000+");
        let few = Page::keyset_up_to(SEARCH_TOTAL_CAP, vec![1], 7, req, None);
        assert_eq!((few.total, few.total_capped), (7, Some(false)));
    }

    #[test]
    fn a_deep_offset_is_refused_but_a_cursor_goes_on_and_a_page_cuts_its_extra_row() {
        let deep = PageRequest { page: 201, per_page: 50 };
        assert_eq!(deep.within_cap(false), Err(TooDeep));
        assert_eq!(deep.within_cap(true), Ok(deep));
        let page = PageRequest { page: 1, per_page: 2 };
        let mut rows = vec![5, 4, 3];
        assert_eq!(page.cut(&mut rows, |r| r.to_string()), Some("4".to_owned()));
        assert_eq!(rows, [5, 4]);
        let mut last = vec![2, 1];
        assert_eq!(page.cut(&mut last, |r| r.to_string()), None, "no row beyond: the last page");
        assert_eq!(last, [2, 1]);
    }
}
