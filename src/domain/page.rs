//! Pages of a register's list: `?page=1&per_page=50` (at most 200), as the API conventions say.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::input::BadQuery;

/// The largest page.
pub const MAX_PER_PAGE: u64 = 200;

/// `?page=1&per_page=50` as sent.
#[derive(Debug, Clone, Copy, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page number, from 1.
    pub page: Option<u64>,
    /// Items per page, 1 to 200 (default 50; larger values are capped at 200).
    pub per_page: Option<u64>,
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
            return Err(BadQuery::new("page phải từ 1 trở lên."));
        }
        if page > 1_000_000 {
            return Err(BadQuery::new("page quá lớn."));
        }
        if per_page == 0 {
            return Err(BadQuery::new("per_page phải từ 1 đến 200."));
        }
        Ok(PageRequest { page, per_page: per_page.min(MAX_PER_PAGE) })
    }
}

/// A page of a list: `{"items","total","page","per_page"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

impl<T> Page<T> {
    /// Wraps `items` found for a request, of `total` in all.
    pub fn new(items: Vec<T>, total: u64, req: PageRequest) -> Self {
        Self { items, total, page: req.page, per_page: req.per_page }
    }

    /// The same page with each item shaped by `f` (a model into its view).
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            page: self.page,
            per_page: self.per_page,
        }
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
}
