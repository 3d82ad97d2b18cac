//! Response bodies, built from models. Entities are never serialised directly, so a new column
//! (a password hash, a denouncer's identity) cannot leak by accident.

pub mod agency;
pub mod attachment;
pub mod calendar;
pub mod document;
pub mod notice;
pub mod notice_html;
pub mod notice_pdf;
pub mod oversight;
pub mod petition;
pub mod qr;
pub mod reception;
pub mod report;
pub mod unit;
pub mod user;
