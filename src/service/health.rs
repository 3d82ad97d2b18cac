//! Whether the register can serve: its database answers.

use crate::{error::AppResult, service::context::Context};

/// Answers once the database does (a read connection is taken and pinged).
pub async fn check(ctx: &Context<()>) -> AppResult<()> {
    Ok(ctx.reader().ping().await?)
}
