//! One parser per supported format: structure, alphabet and lengths, then the cost bounds.

use super::b64::{Alphabet, decoded_len, is_in};
use super::{
    ARGON2_MAX_MEMORY_KIB, ARGON2_MAX_PARALLELISM, ARGON2_MAX_TIME_COST, BCRYPT_MAX_COST,
    BCRYPT_MIN_COST, LegacyHashError, LegacyScheme, PBKDF2_MAX_ITERATIONS, PBKDF2_MIN_ITERATIONS,
    SHA512_CRYPT_DEFAULT_ROUNDS, SHA512_CRYPT_MAX_ROUNDS, SHA512_CRYPT_MIN_ROUNDS,
};

fn malformed(scheme: LegacyScheme, reason: &'static str) -> LegacyHashError {
    LegacyHashError::Malformed { scheme, reason }
}

/// A decimal parameter. Values too large for 64 bits saturate, so that the bound check
/// reports them as too high rather than as malformed.
fn decimal(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(text.bytes().fold(0u64, |acc, b| {
        acc.saturating_mul(10).saturating_add(u64::from(b - b'0'))
    }))
}

fn bounded(
    scheme: LegacyScheme,
    parameter: &'static str,
    value: u64,
    min: u64,
    max: u64,
) -> Result<u64, LegacyHashError> {
    if value > max {
        Err(LegacyHashError::CostTooHigh {
            scheme,
            parameter,
            value,
            max,
        })
    } else if value < min {
        Err(LegacyHashError::CostTooLow {
            scheme,
            parameter,
            value,
            min,
        })
    } else {
        Ok(value)
    }
}

/// `k=v,k=v` parameters: only the given keys, each at most once, decimal values.
fn params<const N: usize>(
    scheme: LegacyScheme,
    text: &str,
    keys: [&str; N],
) -> Result<[Option<u64>; N], LegacyHashError> {
    let mut values = [None; N];
    for pair in text.split(',') {
        let (key, value) = pair
            .split_once('=')
            .ok_or(malformed(scheme, "parameters must be key=value"))?;
        let slot = keys
            .iter()
            .position(|k| *k == key)
            .ok_or(malformed(scheme, "unknown parameter"))?;
        if values[slot].is_some() {
            return Err(malformed(scheme, "repeated parameter"));
        }
        values[slot] = Some(decimal(value).ok_or(malformed(scheme, "parameter is not a number"))?);
    }
    Ok(values)
}

fn b64_bytes(
    scheme: LegacyScheme,
    text: &str,
    alphabet: Alphabet,
    bytes: std::ops::RangeInclusive<usize>,
    what: &'static str,
) -> Result<usize, LegacyHashError> {
    decoded_len(text, alphabet)
        .filter(|n| bytes.contains(n))
        .ok_or(malformed(scheme, what))
}

/// `[v=19$]m=..,t=..,p=..$salt$hash` after `$argon2id$` / `$argon2i$`.
pub(super) fn argon2(
    scheme: LegacyScheme,
    raw: &str,
    rest: &str,
) -> Result<String, LegacyHashError> {
    let parts: Vec<&str> = rest.split('$').collect();
    let (version, param_text, salt, hash) = match parts.as_slice() {
        [v, p, s, h] => (Some(*v), *p, *s, *h),
        [p, s, h] => (None, *p, *s, *h),
        _ => return Err(malformed(scheme, "expected $v=19$m=..,t=..,p=..$salt$hash")),
    };
    if let Some(version) = version
        && version != "v=19"
        && version != "v=16"
    {
        return Err(malformed(
            scheme,
            "unsupported version (expected v=19 or v=16)",
        ));
    }
    let [m, t, p] = params(scheme, param_text, ["m", "t", "p"])?;
    let missing = || malformed(scheme, "m, t and p are required");
    let (m, t, p) = (
        m.ok_or_else(missing)?,
        t.ok_or_else(missing)?,
        p.ok_or_else(missing)?,
    );
    let p = bounded(scheme, "p", p, 1, ARGON2_MAX_PARALLELISM)?;
    bounded(scheme, "t", t, 1, ARGON2_MAX_TIME_COST)?;
    // Argon2 itself needs at least 8 KiB per lane.
    bounded(scheme, "m", m, 8 * p, ARGON2_MAX_MEMORY_KIB)?;
    b64_bytes(
        scheme,
        salt,
        Alphabet::Phc,
        8..=64,
        "salt must be 8–64 bytes of unpadded base64",
    )?;
    b64_bytes(
        scheme,
        hash,
        Alphabet::Phc,
        16..=64,
        "hash must be 16–64 bytes of unpadded base64",
    )?;
    Ok(raw.to_owned())
}

/// `NN$` + 22 salt and 31 hash characters after `$2a$` / `$2b$` / `$2y$`.
pub(super) fn bcrypt(raw: &str, rest: &str) -> Result<String, LegacyHashError> {
    let scheme = LegacyScheme::Bcrypt;
    let (cost, body) = rest
        .split_once('$')
        .ok_or(malformed(scheme, "expected $2b$NN$ and 53 characters"))?;
    let cost = decimal(cost)
        .filter(|_| cost.len() == 2)
        .ok_or(malformed(scheme, "the cost must be two digits"))?;
    if body.len() != 53 || !is_in(body, Alphabet::Crypt) {
        return Err(malformed(
            scheme,
            "expected 53 characters of ./A-Za-z0-9 after the cost",
        ));
    }
    bounded(scheme, "cost", cost, BCRYPT_MIN_COST, BCRYPT_MAX_COST)?;
    Ok(raw.to_owned())
}

/// `[rounds=N$]salt$hash` after `$6$`.
pub(super) fn sha512_crypt(raw: &str, rest: &str) -> Result<String, LegacyHashError> {
    let scheme = LegacyScheme::Sha512Crypt;
    let parts: Vec<&str> = rest.split('$').collect();
    let (rounds, salt, hash) = match parts.as_slice() {
        [r, s, h] => {
            let rounds = r
                .strip_prefix("rounds=")
                .and_then(decimal)
                .ok_or(malformed(scheme, "expected rounds=N"))?;
            (rounds, *s, *h)
        }
        [s, h] => (SHA512_CRYPT_DEFAULT_ROUNDS, *s, *h),
        _ => return Err(malformed(scheme, "expected $6$[rounds=N$]salt$hash")),
    };
    bounded(
        scheme,
        "rounds",
        rounds,
        SHA512_CRYPT_MIN_ROUNDS,
        SHA512_CRYPT_MAX_ROUNDS,
    )?;
    // glibc uses at most 16 salt characters and never writes more.
    let salt_ok =
        (1..=16).contains(&salt.len()) && salt.bytes().all(|b| b.is_ascii_graphic() && b != b':');
    if !salt_ok {
        return Err(malformed(
            scheme,
            "the salt must be 1–16 printable characters",
        ));
    }
    if hash.len() != 86 || !is_in(hash, Alphabet::Crypt) {
        return Err(malformed(
            scheme,
            "the hash must be 86 characters of ./A-Za-z0-9",
        ));
    }
    Ok(raw.to_owned())
}

/// `i=N[,l=L]$salt$hash` (PHC) or `N$salt$hash` (passlib) after `$pbkdf2-sha256$`; returns
/// the PHC form with `l`.
pub(super) fn pbkdf2_sha256(rest: &str) -> Result<String, LegacyHashError> {
    let scheme = LegacyScheme::Pbkdf2Sha256;
    let parts: Vec<&str> = rest.split('$').collect();
    let [param_text, salt, hash] = parts.as_slice() else {
        return Err(malformed(
            scheme,
            "expected $pbkdf2-sha256$i=N,l=32$salt$hash",
        ));
    };
    let (iterations, length, alphabet) = match decimal(param_text) {
        Some(n) => (n, None, Alphabet::Passlib),
        None => {
            let [i, l] = params(scheme, param_text, ["i", "l"])?;
            let i = i.ok_or(malformed(scheme, "i (iterations) is required"))?;
            (i, l, Alphabet::Phc)
        }
    };
    let iterations = bounded(
        scheme,
        "i",
        iterations,
        PBKDF2_MIN_ITERATIONS,
        PBKDF2_MAX_ITERATIONS,
    )?;
    b64_bytes(
        scheme,
        salt,
        alphabet,
        8..=64,
        "salt must be 8–64 bytes of unpadded base64",
    )?;
    let bytes = b64_bytes(
        scheme,
        hash,
        alphabet,
        16..=64,
        "hash must be 16–64 bytes of unpadded base64",
    )?;
    if length.is_some_and(|l| l != bytes as u64) {
        return Err(malformed(scheme, "l does not match the hash length"));
    }
    // passlib's `.` is PHC's `+`; the other 63 characters agree.
    let phc = |text: &str| text.replace('.', "+");
    Ok(format!(
        "$pbkdf2-sha256$i={iterations},l={bytes}${}${}",
        phc(salt),
        phc(hash)
    ))
}
