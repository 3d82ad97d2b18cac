//! tiepdan: the register a Vietnamese People's Committee keeps of its citizen reception sessions
//! and of the complaints, denunciations, recommendations and feedback it receives, with their
//! routing, statutory deadlines and results.
//!
//! Layers, each a folder: `http` (slim handlers) → `service` (use cases, transactions) →
//! `domain` (pure rules) and `entity` (tables); `views` shape responses.

#[macro_use]
mod macros;

pub mod app;
pub mod auth;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod db;
pub mod domain;
pub mod entity;
pub mod error;
pub mod http;
pub mod service;
pub mod startup;
pub mod views;

pub use app::{AppState, build_router};
