//! Roster's mail adapter (M1–M4): the sandboxed template renderer, and (later in this crate)
//! the transports and the worker that drains the durable mail queue.
//!
//! - [`MiniJinjaRenderer`] implements `roster_domain::ports::templates::TemplateRenderer`.

mod render;

pub use render::MiniJinjaRenderer;
