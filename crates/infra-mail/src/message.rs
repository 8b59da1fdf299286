//! M1: one RFC 5322 message per rendered mail, built with lettre — plain text, UTF-8, the
//! transfer encoding lettre picks for the text, `Date`, and a `Message-ID` made from the
//! queue row's id, so a mail written or sent twice after a crash is recognisably the same.

use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, SinglePart};
use roster_domain::ports::delivery::{RenderedMessage, TransportError};

/// The sender, from configuration (`ROSTER_MAIL_FROM`).
#[derive(Debug, Clone)]
pub struct Sender {
    from: Mailbox,
}

/// A configuration value the mail adapter cannot use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct MailConfigError(pub String);

impl Sender {
    /// Parses a mailbox such as `Roster <roster@example.com>` or `roster@example.com`.
    pub fn parse(from: &str) -> Result<Self, MailConfigError> {
        let from = from.parse::<Mailbox>().map_err(|e| {
            MailConfigError(format!("mail_from {from:?} is not a mail address: {e}"))
        })?;
        Ok(Self { from })
    }

    /// The message for `mail`, ready to send or write.
    pub fn message(&self, mail: &RenderedMessage) -> Result<Message, TransportError> {
        let to = mail
            .to
            .as_str()
            .parse::<Mailbox>()
            // The domain checked the address; a refusal here never heals by retrying.
            .map_err(|e| TransportError::Permanent(format!("recipient refused: {e}")))?;
        let domain = self.from.email.domain().to_owned();
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .message_id(Some(format!("<{}@{domain}>", mail.id)))
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .body(mail.body.clone()),
            )
            .map_err(|e| TransportError::Permanent(format!("message not built: {e}")))
    }
}
