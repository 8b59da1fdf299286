//! M1: each transport delivers a parseable RFC 5322 message.

use roster_domain::ports::delivery::{MailTransport, RenderedMessage, TransportError};
use roster_domain::user::Email;
use roster_infra_mail::testing::{SmtpSink, eml_files, free_port, mail_tools_present, parse_eml};
use roster_infra_mail::{FileOutbox, Sender, SmtpTransport};
use std::time::Duration;
use uuid::Uuid;

fn message() -> RenderedMessage {
    RenderedMessage {
        id: Uuid::now_v7(),
        to: Email::parse("hanako@example.com").unwrap(),
        subject: "[Roster LMS] You are invited — ようこそ".into(),
        body: "Hello Hanako,\n\nOpen https://lms.example.com/invite/TOKEN123 to start.\n".into(),
    }
}

fn sender() -> Sender {
    Sender::parse("Roster LMS <roster@lms.example.com>").unwrap()
}

#[tokio::test]
async fn m1_smtp_delivers_a_message_a_mail_client_can_read() {
    if !mail_tools_present("m1_smtp_delivers_a_message_a_mail_client_can_read") {
        return;
    }
    let sink = SmtpSink::start();
    let smtp = SmtpTransport::from_url(&sink.url(), sender()).unwrap();
    let sent = message();
    smtp.send(&sent).await.unwrap();
    let got = sink.wait_for(1, Duration::from_secs(10));
    assert_eq!(got.len(), 1);
    let mail = &got[0];
    assert_eq!(mail.subject, sent.subject);
    assert_eq!(mail.to, "hanako@example.com");
    assert_eq!(mail.from, "Roster LMS <roster@lms.example.com>");
    assert_eq!(mail.message_id, format!("<{}@lms.example.com>", sent.id));
    assert_eq!(mail.content_type, "text/plain");
    assert_eq!(mail.body.trim_end(), sent.body.trim_end());
    assert_eq!(mail.link(), Some("https://lms.example.com/invite/TOKEN123"));
    assert!(mail.defects.is_empty(), "{:?}", mail.defects);
}

#[tokio::test]
async fn m4_smtp_down_is_a_transient_failure_without_credentials_in_it() {
    let port = free_port();
    let url = format!("smtp://mailer:hunter2secret@127.0.0.1:{port}");
    let smtp = SmtpTransport::from_url(&url, sender()).unwrap();
    let err = smtp.send(&message()).await.unwrap_err();
    let TransportError::Transient(text) = &err else {
        panic!("{err:?}")
    };
    assert!(text.starts_with("smtp:"), "{text}");
    assert!(!text.contains("hunter2secret"), "{text}");
    assert!(!format!("{smtp:?}").contains("hunter2secret"));
}

#[tokio::test]
async fn m1_smtp_urls_with_tls_parse_and_nonsense_is_refused() {
    for url in [
        "smtp://127.0.0.1:2525",
        "smtp://mail.example.com:587?tls=starttls",
        "smtp://mail.example.com:587?tls=required",
        "smtps://user:pass@mail.example.com:465",
    ] {
        assert!(SmtpTransport::from_url(url, sender()).is_ok(), "{url}");
    }
    let err = SmtpTransport::from_url("imap://mail.example.com", sender()).unwrap_err();
    assert!(err.to_string().contains("smtp_url"), "{err}");
    assert!(Sender::parse("not an address").is_err());
}

#[tokio::test]
async fn m1_file_outbox_writes_one_parseable_eml_per_message_atomically() {
    if !mail_tools_present("m1_file_outbox_writes_one_parseable_eml_per_message_atomically") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let outbox = FileOutbox::new(dir.path().join("outbox"), sender());
    let first = message();
    let second = message();
    outbox.send(&first).await.unwrap();
    outbox.send(&second).await.unwrap();
    // Written again (a crash between writing and recording it): the same file, not a third.
    outbox.send(&first).await.unwrap();
    let files = eml_files(outbox.dir());
    assert_eq!(files.len(), 2);
    assert_eq!(
        files[0].file_name().unwrap().to_str().unwrap(),
        format!("{}.eml", first.id)
    );
    let leftovers: Vec<_> = std::fs::read_dir(outbox.dir()).unwrap().collect();
    assert_eq!(leftovers.len(), 2, "no temporary file left behind");
    let mail = parse_eml(&files[0]);
    assert_eq!(mail.subject, first.subject);
    assert_eq!(mail.to, "hanako@example.com");
    assert_eq!(mail.link(), Some("https://lms.example.com/invite/TOKEN123"));
    assert!(mail.defects.is_empty(), "{:?}", mail.defects);
}

#[tokio::test]
async fn m4_an_unwritable_outbox_is_a_transient_failure() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, b"x").unwrap();
    let outbox = FileOutbox::new(blocker.join("outbox"), sender());
    assert!(matches!(
        outbox.send(&message()).await,
        Err(TransportError::Transient(_))
    ));
}
