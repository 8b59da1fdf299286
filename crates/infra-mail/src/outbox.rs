//! M1: the file outbox, the zero-set-up default: one `<queue id>.eml` per message in a
//! folder (`ROSTER_MAIL_OUTBOX`, `./outbox`), the same RFC 5322 text an SMTP server would
//! receive. Written atomically — a hidden temporary file, flushed, then renamed — so a
//! reader never sees half a message, and a mail written again after a crash replaces its
//! own file instead of making a second one.

use crate::message::Sender;
use roster_domain::ports::delivery::{MailTransport, RenderedMessage, TransportError};
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

/// Writes mail into a folder.
#[derive(Debug, Clone)]
pub struct FileOutbox {
    dir: PathBuf,
    sender: Sender,
}

impl FileOutbox {
    /// An outbox in `dir` (created at the first write).
    pub fn new(dir: impl Into<PathBuf>, sender: Sender) -> Self {
        Self {
            dir: dir.into(),
            sender,
        }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    async fn write(&self, name: &str, bytes: &[u8]) -> std::io::Result<()> {
        tokio::fs::create_dir_all(&self.dir).await?;
        let temporary = self.dir.join(format!(".{name}.tmp"));
        let mut file = tokio::fs::File::create(&temporary).await?;
        file.write_all(bytes).await?;
        file.sync_all().await?;
        drop(file);
        tokio::fs::rename(&temporary, self.dir.join(name)).await
    }
}

#[async_trait::async_trait]
impl MailTransport for FileOutbox {
    async fn send(&self, mail: &RenderedMessage) -> Result<(), TransportError> {
        let message = self.sender.message(mail)?;
        let name = format!("{}.eml", mail.id);
        self.write(&name, &message.formatted())
            .await
            // A full disk or a missing permission may be fixed: retried.
            .map_err(|e| TransportError::Transient(format!("outbox {}: {e}", self.dir.display())))
    }
}
