//! The keys that make (subject, privilege, scope) unique under one index: the subject as
//! `u:<uuid>` / `g:<uuid>`, and the scope as a SHA-256 digest of its kind and sorted group
//! ids, so the key has one length whatever the number of scope groups.

use roster_domain::authz::{Scope, Subject};
use sha2::{Digest, Sha256};
use std::fmt::Write;
use uuid::Uuid;

/// `u:<uuid>` or `g:<uuid>`.
pub(super) fn subject_key(subject: Subject) -> String {
    match subject {
        Subject::User(user) => format!("u:{user}"),
        Subject::Group(group) => format!("g:{group}"),
    }
}

/// The scope's digest, 64 hex digits.
pub(super) fn scope_key(scope: &Scope) -> String {
    let groups: Vec<Uuid> = match scope {
        Scope::Groups { group_ids } => group_ids.iter().map(|g| g.as_uuid()).collect(),
        Scope::All | Scope::MemberGroups => Vec::new(),
    };
    key_of(scope.kind(), groups)
}

/// The digest of a scope of `kind` over `groups` (sorted here, so any order gives one key).
pub(super) fn key_of(kind: &str, mut groups: Vec<Uuid>) -> String {
    groups.sort_unstable();
    let mut hasher = Sha256::new();
    hasher.update(kind.as_bytes());
    for group in groups {
        hasher.update(b":");
        hasher.update(group.as_bytes());
    }
    hasher
        .finalize()
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use roster_domain::ids::GroupId;

    #[test]
    fn p2_scope_keys_ignore_order_and_tell_scopes_apart() {
        let (a, b) = (GroupId::new(), GroupId::new());
        let ab = scope_key(&Scope::groups([a, b]).unwrap());
        assert_eq!(ab, key_of("groups", vec![b.as_uuid(), a.as_uuid()]));
        assert_eq!(ab.len(), 64);
        assert_ne!(ab, scope_key(&Scope::groups([a]).unwrap()));
        assert_ne!(scope_key(&Scope::All), scope_key(&Scope::MemberGroups));
    }
}
