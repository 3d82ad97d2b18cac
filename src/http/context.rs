//! The request context as an extractor: who asks (from the bearer token, when the endpoint needs
//! one) and the time, read once, with the application's handles. Handlers take it and pass it to
//! their use case.

use axum::{extract::FromRequestParts, http::request::Parts};

use crate::{
    app::AppState,
    auth::{AuthUser, MaybeAuthUser},
    error::AppError,
    service::context::Context,
};

impl FromRequestParts<AppState> for Context<AuthUser> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = AuthUser::from_request_parts(parts, state).await?;
        Ok(Context::new(state.services(), user, state.clock.now()))
    }
}

impl FromRequestParts<AppState> for Context<Option<AuthUser>> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let MaybeAuthUser(user) = MaybeAuthUser::from_request_parts(parts, state).await?;
        Ok(Context::new(state.services(), user, state.clock.now()))
    }
}

impl FromRequestParts<AppState> for Context<()> {
    type Rejection = AppError;

    async fn from_request_parts(_parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(Context::new(state.services(), (), state.clock.now()))
    }
}
