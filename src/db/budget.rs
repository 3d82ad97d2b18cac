//! The time a request's database work may take. A request that times out (408) or whose client
//! goes away is dropped by the server, but a statement it started would go on running on its
//! connection (sqlx's SQLite worker thread, PostgreSQL's backend) and hold that connection and a
//! core long after: a few such requests once held every reader for minutes. So each request runs
//! under a [`Budget`] (see `app::build_router`): SQLite connections check it while a statement
//! runs (a progress handler armed when a connection is handed out, `db::arm`) and abort the
//! statement once it is spent; PostgreSQL connections get a `statement_timeout` of the same
//! length instead. The interrupted statement fails with a timeout (408 `timeout`, never a 500)
//! and its connection is free again.
//!
//! The budget reaches the pool's hooks as a task-local: they run in the task that asks for a
//! connection, and take no other argument than the connection.

use std::{
    future::Future,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

/// SQLite virtual-machine instructions between two looks at the budget: a tenth of a
/// millisecond of work or so, so a spent budget stops a statement at once and costs nothing.
pub const CHECK_EVERY_OPS: i32 = 8_192;

/// What a request's database work may still spend: until its deadline, and not after the
/// request was dropped.
#[derive(Debug)]
pub struct Budget {
    deadline: Instant,
    /// The request was dropped before it finished (timed out, client gone, server stopping).
    cancelled: AtomicBool,
    /// The request finished: a connection handed back keeps its handler until it is handed out
    /// again, and that handler must then let anything run.
    finished: AtomicBool,
}

impl Budget {
    /// A budget of `limit` from now.
    pub fn new(limit: Duration) -> Arc<Self> {
        Arc::new(Self {
            deadline: Instant::now() + limit,
            cancelled: AtomicBool::new(false),
            finished: AtomicBool::new(false),
        })
    }

    /// Whether a statement running under this budget must stop now.
    pub fn is_spent(&self) -> bool {
        !self.finished.load(Ordering::Relaxed)
            && (self.cancelled.load(Ordering::Relaxed) || Instant::now() >= self.deadline)
    }
}

tokio::task_local! {
    static CURRENT: Arc<Budget>;
}

/// The budget of the task running now, if it runs one (a request; not a background task nor a
/// maintenance command, whose statements are never cut short).
pub fn current() -> Option<Arc<Budget>> {
    CURRENT.try_with(Arc::clone).ok()
}

/// Runs `work` under `budget`; when the returned future is dropped before `work` finished, the
/// budget is cancelled, so that the statement it was running stops.
pub async fn scoped<F: Future>(budget: Arc<Budget>, work: F) -> F::Output {
    /// Cancels the budget unless the work finished.
    struct Cancel(Arc<Budget>);
    impl Drop for Cancel {
        fn drop(&mut self) {
            if !self.0.finished.load(Ordering::Relaxed) {
                self.0.cancelled.store(true, Ordering::Relaxed);
            }
        }
    }
    let cancel = Cancel(Arc::clone(&budget));
    let out = CURRENT.scope(budget, work).await;
    cancel.0.finished.store(true, Ordering::Relaxed);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_budget_is_spent_at_its_deadline_or_when_dropped_never_once_finished() {
        let budget = Budget::new(Duration::from_secs(60));
        assert!(!budget.is_spent());
        let inside = scoped(Arc::clone(&budget), async { current().is_some() }).await;
        assert!(inside && current().is_none() && !budget.is_spent());

        let dropped = Budget::new(Duration::from_secs(60));
        let work = scoped(Arc::clone(&dropped), std::future::pending::<()>());
        let _ = tokio::time::timeout(Duration::from_millis(5), work).await;
        assert!(dropped.is_spent());

        let late = Budget::new(Duration::ZERO);
        assert!(late.is_spent());
        scoped(Arc::clone(&late), async {}).await;
        assert!(!late.is_spent(), "a finished request's handler must not stop whoever comes next");
    }
}
