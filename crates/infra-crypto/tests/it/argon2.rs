//! U1, S2, C8: argon2id at the production parameters, verification and what counts as current.

use crate::support::*;
use roster_domain::ports::password::{HashError, PasswordHasher, Verification};
use roster_domain::services::sessions::DUMMY_PASSWORD_HASH;
use roster_infra_crypto::{Argon2Params, HasherConfig, argon2_rate};
use std::time::Duration;

#[tokio::test]
async fn u1_production_hashes_are_argon2id_v19_m19456_t2_p1() {
    let hasher = production_hasher();
    assert_eq!(hasher.params(), Argon2Params::PRODUCTION);
    let hash = hasher
        .hash(&policy_password("violet tundra kettle 42"))
        .await
        .unwrap();
    let encoded = hash.expose();
    let fields: Vec<&str> = encoded.split('$').collect();
    assert_eq!(fields.len(), 6, "$argon2id$v$params$salt$hash");
    assert_eq!(&fields[1..4], ["argon2id", "v=19", "m=19456,t=2,p=1"]);
    assert_eq!(fields[4].len(), 22, "a 16-byte salt, B64 unpadded");
    assert_eq!(fields[5].len(), 43, "a 32-byte hash, B64 unpadded");
}

#[tokio::test]
async fn u1_hash_then_verify() {
    let hasher = test_hasher();
    let hash = hasher
        .hash(&policy_password("violet tundra kettle 42"))
        .await
        .unwrap();
    assert!(hash.expose().starts_with("$argon2id$v=19$m=64,t=1,p=1$"));
    let right = hasher
        .verify(&plain("violet tundra kettle 42"), &hash)
        .await;
    assert_eq!(right.unwrap(), Verification::Ok);
    let wrong = hasher
        .verify(&plain("violet tundra kettle 43"), &hash)
        .await;
    assert_eq!(wrong.unwrap(), Verification::Mismatch);
    let again = hasher
        .hash(&policy_password("violet tundra kettle 42"))
        .await
        .unwrap();
    assert_ne!(hash, again, "a fresh salt for every hash");
}

#[tokio::test]
async fn c8_reference_hash_at_the_current_parameters_is_ok() {
    // Made by the reference implementation at exactly the parameters in force: compatible,
    // and nothing to upgrade.
    let weak = test_hasher();
    let result = weak.verify(&plain(PASSWORD), &stored(ARGON2ID_WEAK)).await;
    assert_eq!(result.unwrap(), Verification::Ok);
    let production = production_hasher();
    let result = production
        .verify(&plain(PASSWORD), &stored(ARGON2ID_PROD))
        .await;
    assert_eq!(result.unwrap(), Verification::Ok);
    let result = production
        .verify(&plain("wrong"), &stored(ARGON2ID_PROD))
        .await;
    assert_eq!(result.unwrap(), Verification::Mismatch);
}

#[tokio::test]
async fn c8_other_parameters_need_a_rehash() {
    let production = production_hasher();
    let weak_hash = test_hasher()
        .hash(&policy_password("violet tundra kettle 42"))
        .await
        .unwrap();
    let result = production
        .verify(&plain("violet tundra kettle 42"), &weak_hash)
        .await;
    assert_eq!(result.unwrap(), Verification::OkNeedsRehash);
    let result = production
        .verify(&plain(PASSWORD), &stored(ARGON2ID_WEAK))
        .await;
    assert_eq!(result.unwrap(), Verification::OkNeedsRehash);
    let weak = test_hasher();
    let result = weak.verify(&plain(PASSWORD), &stored(ARGON2ID_PROD)).await;
    assert_eq!(result.unwrap(), Verification::OkNeedsRehash);
}

#[tokio::test]
async fn c8_argon2i_other_versions_and_lengths_verify_and_need_a_rehash() {
    let hasher = test_hasher();
    for vector in [ARGON2I, ARGON2ID_V16, ARGON2ID_LONG] {
        let right = hasher.verify(&plain(PASSWORD), &stored(vector)).await;
        assert_eq!(right.unwrap(), Verification::OkNeedsRehash, "{vector}");
        let wrong = hasher
            .verify(&plain("Correct horse battery staple"), &stored(vector))
            .await;
        assert_eq!(wrong.unwrap(), Verification::Mismatch, "{vector}");
    }
}

#[tokio::test]
async fn c8_a_missing_version_is_read_as_16_like_the_reference() {
    let hasher = test_hasher();
    let v16_without_version = ARGON2ID_V16.replace("$v=16$", "$");
    let result = hasher
        .verify(&plain(PASSWORD), &stored(&v16_without_version))
        .await;
    assert_eq!(result.unwrap(), Verification::OkNeedsRehash);
    let v19_without_version = ARGON2ID_WEAK.replace("$v=19$", "$");
    let result = hasher
        .verify(&plain(PASSWORD), &stored(&v19_without_version))
        .await;
    assert_eq!(result.unwrap(), Verification::Mismatch);
}

#[tokio::test]
async fn c8_rehash_writes_a_current_hash() {
    let hasher = test_hasher();
    // Rehash takes the typed text, even one today's policy would refuse (C8).
    let upgraded = hasher.rehash(&plain("short")).await.unwrap();
    assert!(
        upgraded
            .expose()
            .starts_with("$argon2id$v=19$m=64,t=1,p=1$")
    );
    let result = hasher.verify(&plain("short"), &upgraded).await;
    assert_eq!(result.unwrap(), Verification::Ok);
}

#[tokio::test]
async fn s2_the_domains_dummy_hash_verifies_like_any_other() {
    let production = production_hasher();
    let result = production
        .verify(&plain("any password at all"), &stored(DUMMY_PASSWORD_HASH))
        .await;
    assert_eq!(result.unwrap(), Verification::Mismatch);
}

#[tokio::test]
async fn s2_dummy_hash_is_at_the_current_parameters() {
    let hasher = test_hasher();
    let dummy = hasher.dummy_hash();
    assert!(dummy.expose().starts_with("$argon2id$v=19$m=64,t=1,p=1$"));
    assert_ne!(dummy, hasher.dummy_hash(), "a random password each time");
    let result = hasher.verify(&plain("any password at all"), &dummy).await;
    assert_eq!(result.unwrap(), Verification::Mismatch);
}

#[tokio::test]
async fn u1_invalid_parameters_are_unexpected_and_the_dummy_falls_back() {
    let broken = hasher_with(
        Argon2Params {
            memory_kib: 0,
            time_cost: 0,
            parallelism: 0,
        },
        1,
        4,
    );
    assert_eq!(broken.dummy_hash().expose(), DUMMY_PASSWORD_HASH);
    let result = broken.rehash(&plain("anything")).await;
    assert!(
        matches!(result, Err(HashError::Unexpected(_))),
        "{result:?}"
    );
}

#[test]
fn c9_raw_rate_is_measured() {
    let weak = Argon2Params::weak_for_tests();
    assert!(argon2_rate(weak, 1, Duration::from_millis(20)) > 0.0);
    let broken = Argon2Params {
        memory_kib: 0,
        ..weak
    };
    assert_eq!(argon2_rate(broken, 2, Duration::from_millis(5)), 0.0);
    assert_eq!(HasherConfig::for_tests().params, weak);
}
