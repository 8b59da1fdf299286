//! Identifiers of Roster's entities: UUIDv7 newtypes, so a group id can never stand where a
//! user id is expected.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh, time-ordered id (UUIDv7), so keyset pagination follows creation order.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
            /// Wraps an id read from storage or a request.
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }
            /// The underlying UUID.
            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                Self(uuid)
            }
        }
    };
}

id_type!(
    /// A user account.
    UserId
);
id_type!(
    /// A group (class, department, study group).
    GroupId
);
id_type!(
    /// A privilege grant.
    GrantId
);
id_type!(
    /// An integration of a source account into a target account.
    IntegrationId
);
id_type!(
    /// A self-registration application.
    ApplicationId
);
id_type!(
    /// A per-group registration URL.
    RegistrationUrlId
);
id_type!(
    /// A login session.
    SessionId
);
id_type!(
    /// A score (one attempt at a material).
    ScoreId
);
id_type!(
    /// A badge award.
    BadgeAwardId
);
id_type!(
    /// A certificate.
    CertificateId
);
id_type!(
    /// An access-log entry.
    AccessLogId
);
id_type!(
    /// An audit-log entry.
    AuditId
);
id_type!(
    /// A CSV import job.
    ImportJobId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_ids_are_time_ordered_v7() {
        let a = UserId::new();
        let b = UserId::new();
        assert_eq!(a.as_uuid().get_version_num(), 7);
        assert!(a < b, "UUIDv7 ids sort by creation");
    }

    #[test]
    fn ids_serialize_as_plain_uuid_strings() {
        let id = GroupId::from_uuid(Uuid::nil());
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"00000000-0000-0000-0000-000000000000\"");
    }
}
