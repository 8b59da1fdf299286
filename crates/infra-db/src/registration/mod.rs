//! Self-registration storage (A1–A7): the settings document, registration URLs with their
//! codes, applications with their groups and activation tokens.

mod applications;
mod codes;
mod rows;
mod settings;
pub(crate) mod settings_doc;
mod urls;
