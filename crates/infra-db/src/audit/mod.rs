//! The audit log (Z1) behind `AuditLog`: entries appended, never changed, listed newest
//! first with filters.

mod entity;
mod log;
mod rows;
