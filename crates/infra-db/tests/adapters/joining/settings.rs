//! A1 and M3: the settings documents, defaults until saved.

use roster_domain::ports::mail::NotificationSettingsStore;
use roster_domain::ports::registration::RegistrationSettingsStore;
use roster_domain::registration::{
    MailKind, NotificationSettings, PurgeAfterDays, RegistrationSettings,
};
use roster_infra_db::Store;

async fn a1_registration_settings_are_closed_until_saved_then_replaced(store: Store) {
    let unsaved = RegistrationSettingsStore::get(&store).await.unwrap();
    assert_eq!(unsaved, RegistrationSettings::default());
    assert!(!unsaved.self_registration, "closed by default");
    let open = RegistrationSettings {
        self_registration: true,
        auto_approve: true,
        purge_not_activated_after: Some(PurgeAfterDays::new(14).unwrap()),
    };
    RegistrationSettingsStore::put(&store, &open).await.unwrap();
    assert_eq!(RegistrationSettingsStore::get(&store).await.unwrap(), open);
    let changed = RegistrationSettings {
        auto_approve: false,
        purge_not_activated_after: None,
        ..open
    };
    RegistrationSettingsStore::put(&store, &changed)
        .await
        .unwrap();
    assert_eq!(
        RegistrationSettingsStore::get(&store).await.unwrap(),
        changed
    );
    // The notification switches are a different document.
    assert_eq!(
        NotificationSettingsStore::get(&store).await.unwrap(),
        NotificationSettings::default()
    );
}

async fn m3_notification_switches_are_all_on_until_saved(store: Store) {
    let unsaved = NotificationSettingsStore::get(&store).await.unwrap();
    assert!(MailKind::ALL.iter().all(|k| unsaved.is_enabled(*k)));
    let mut quiet = unsaved;
    quiet.set(MailKind::ApplicationNotApproved, false);
    NotificationSettingsStore::put(&store, &quiet)
        .await
        .unwrap();
    let read = NotificationSettingsStore::get(&store).await.unwrap();
    assert_eq!(read, quiet);
    assert!(!read.is_enabled(MailKind::ApplicationNotApproved));
    quiet.set(MailKind::ApplicationNotApproved, true);
    quiet.set(MailKind::Invitation, false);
    NotificationSettingsStore::put(&store, &quiet)
        .await
        .unwrap();
    assert_eq!(NotificationSettingsStore::get(&store).await.unwrap(), quiet);
    assert_eq!(
        RegistrationSettingsStore::get(&store).await.unwrap(),
        RegistrationSettings::default()
    );
}

on_every_backend!(
    a1_registration_settings_are_closed_until_saved_then_replaced,
    m3_notification_switches_are_all_on_until_saved,
);
