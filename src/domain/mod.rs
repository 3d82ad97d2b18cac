//! Pure rules of the register: no I/O, exhaustively unit-tested. Services feed them data and
//! store what they decide.

pub mod agency;
pub mod calendar;
pub mod deadline;
pub mod delegation;
pub mod lunar;
pub mod petition;
pub mod reception;
pub mod role;
pub mod text;
pub mod validate;
