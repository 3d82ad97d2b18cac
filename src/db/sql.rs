//! Raw SQL, for the few statements sea-orm's builder cannot say well (full-text search, the
//! recomputation's bulk reads and writes, the weekly figures): each is written once per area,
//! both dialects side by side ([`Dialects`]), with numbered placeholders that this module alone
//! turns into the backend's own.
//!
//! # Placeholders
//! `{1}`, `{2}`… name the bound values by position (from 1), and may repeat. A cast may follow the
//! number, `{2::jsonb}`: PostgreSQL needs one where it cannot infer a parameter's type (inside a
//! `VALUES` list that is not inserted into a table); SQLite has no casts and drops it. PostgreSQL
//! gets `$n`; SQLite gets `?`, binding the values again in the order the placeholders appear.

use std::fmt::Write as _;

use sea_orm::{DbBackend, Statement, Value};

/// One statement in the two dialects the register runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialects {
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

impl Dialects {
    /// The same text for both (it differs only in placeholders, which [`statement`] renders).
    pub const fn both(sql: &'static str) -> Self {
        Self { sqlite: sql, postgres: sql }
    }

    /// The text for `backend`.
    pub fn text(&self, backend: DbBackend) -> &'static str {
        match backend {
            DbBackend::Postgres => self.postgres,
            _ => self.sqlite,
        }
    }

    /// The statement for `backend` with `values` bound.
    pub fn statement(&self, backend: DbBackend, values: Vec<Value>) -> Statement {
        statement(backend, self.text(backend), values)
    }
}

/// A statement from SQL with numbered placeholders (see the module docs), for `backend`.
pub fn statement(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    let (text, order) = render(backend, sql);
    // Placeholders in their natural order (the usual case, and the bulk writes) bind as given.
    let natural = order.iter().enumerate().all(|(i, n)| *n == i + 1) && order.len() == values.len();
    if backend == DbBackend::Postgres || natural {
        return Statement::from_sql_and_values(backend, text, values);
    }
    let ordered = order.iter().filter_map(|n| values.get(n - 1).cloned()).collect::<Vec<_>>();
    Statement::from_sql_and_values(backend, text, ordered)
}

/// The text for `backend` and the placeholders' numbers in the order they appear.
fn render(backend: DbBackend, sql: &str) -> (String, Vec<usize>) {
    let mut text = String::with_capacity(sql.len());
    let mut order = Vec::new();
    let mut rest = sql;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        let inner = &rest[start + 1..start + len];
        let (number, cast) = inner.split_once("::").unwrap_or((inner, ""));
        let Ok(n) = number.parse::<usize>() else {
            // Not a placeholder (a JSON literal in the SQL, say): kept as it is.
            text.push_str(&rest[..=start]);
            rest = &rest[start + 1..];
            continue;
        };
        text.push_str(&rest[..start]);
        // Writing into a String cannot fail.
        let _ = match backend {
            DbBackend::Postgres if cast.is_empty() => write!(text, "${n}"),
            DbBackend::Postgres => write!(text, "${n}::{cast}"),
            _ => write!(text, "?"),
        };
        order.push(n);
        rest = &rest[start + len + 1..];
    }
    text.push_str(rest);
    (text, order)
}

/// `({first::cast}, …), (…), …`: `rows` tuples of one placeholder per cast (`""` for none),
/// numbered on from `first`, for a multi-row `VALUES` list.
pub fn value_rows(first: usize, rows: usize, casts: &[&str]) -> String {
    let mut sql = String::with_capacity(rows * casts.len() * 14);
    let mut n = first;
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for (i, cast) in casts.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            let _ = if cast.is_empty() { write!(sql, "{{{n}}}") } else { write!(sql, "{{{n}::{cast}}}") };
            n += 1;
        }
        sql.push(')');
    }
    sql
}

/// Rows per multi-row statement with `values_per_row` bound values: as many as the backend binds
/// (SQLite 32,766 values, PostgreSQL 65,535), less a few for the values bound once, so that the
/// cost of preparing and sending each statement is spread over many rows.
pub fn rows_per_statement(backend: DbBackend, values_per_row: usize) -> usize {
    let max_values = match backend {
        DbBackend::Postgres => 65_535,
        _ => 32_766,
    };
    (max_values - 8) / values_per_row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_per_backend() {
        let sql = "SELECT a FROM t WHERE b = {2} AND c IN ({1}, {1::bigint}) AND d = '{\"x\": 1}'";
        let (pg, order) = render(DbBackend::Postgres, sql);
        assert_eq!(pg, "SELECT a FROM t WHERE b = $2 AND c IN ($1, $1::bigint) AND d = '{\"x\": 1}'");
        assert_eq!(order, [2, 1, 1]);
        let (lite, _) = render(DbBackend::Sqlite, sql);
        assert_eq!(lite, "SELECT a FROM t WHERE b = ? AND c IN (?, ?) AND d = '{\"x\": 1}'");
    }

    #[test]
    fn sqlite_binds_again_in_textual_order() {
        let st = statement(DbBackend::Sqlite, "{2} {1} {2}", vec![1i64.into(), 2i64.into()]);
        assert_eq!(st.values.map(|v| v.0), Some(vec![2i64.into(), 1i64.into(), 2i64.into()]));
        let st = statement(DbBackend::Postgres, "{2} {1} {2}", vec![1i64.into(), 2i64.into()]);
        assert_eq!(st.sql, "$2 $1 $2");
        assert_eq!(st.values.map(|v| v.0.len()), Some(2));
    }

    #[test]
    fn value_rows_number_on() {
        assert_eq!(value_rows(3, 2, &["bigint", ""]), "({3::bigint}, {4}), ({5::bigint}, {6})");
        let (pg, _) = render(DbBackend::Postgres, &value_rows(3, 1, &["bigint", ""]));
        assert_eq!(pg, "($3::bigint, $4)");
    }
}
