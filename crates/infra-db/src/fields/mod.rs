//! Custom profile field definitions (U8) behind `UserFieldRepository`, and the removal of a
//! deleted field's values from users and open applications.

mod entity;
mod repository;
mod values;
