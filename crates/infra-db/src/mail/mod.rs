//! Mail storage (M1–M4): the outgoing queue, the saved templates and the notification
//! switches. Delivery (draining the queue) is the mail adapter's.

mod notifications;
mod outbox;
mod queue;
mod templates;

pub(crate) use queue::{enqueue_all_in, enqueue_in};
