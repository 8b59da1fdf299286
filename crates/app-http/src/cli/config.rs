//! O2: the binary's configuration — defaults that need nothing, then a TOML file
//! (`ROSTER_CONFIG` or `--config`), then `ROSTER_*` environment variables, each layer
//! overriding the one before. Unknown keys in the file are an error, not ignored.

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Every setting, as the file spells it (each key also has a `ROSTER_<KEY>` variable).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    /// `ROSTER_DATABASE_URL`: `sqlite://roster.db?mode=rwc` (default), `postgres://…`, `mysql://…`.
    pub database_url: Option<String>,
    /// `ROSTER_LISTEN`: host:port, `127.0.0.1:8080` by default.
    pub listen: Option<String>,
    /// `ROSTER_PUBLIC_URL`: the base of links in mails, `http://<listen>` by default.
    pub public_url: Option<String>,
    /// `ROSTER_OWNER_LOGIN_ID`: the owner created at first start, `owner` by default (U9).
    pub owner_login_id: Option<String>,
    /// `ROSTER_OWNER_PASSWORD`: its password; unset, one is generated and printed once.
    pub owner_password: Option<String>,
    /// `ROSTER_MAIL_OUTBOX`: the folder mail is written to, `./outbox` by default (M1).
    pub mail_outbox: Option<String>,
    /// `ROSTER_SMTP_URL`: when set, mail goes to this SMTP server instead (M1).
    pub smtp_url: Option<String>,
    /// `ROSTER_MAIL_FROM`: the sender of every mail, `Roster <roster@localhost>` by default.
    pub mail_from: Option<String>,
    /// `ROSTER_MAIL_INTERVAL_SECONDS`: how often queued mail is sent (M4), 60 by default.
    pub mail_interval_seconds: Option<u32>,
    /// `ROSTER_JOBS_INTERVAL_MINUTES`: how often the clean-up jobs run (U6, A7), 60 by default.
    pub jobs_interval_minutes: Option<u32>,
    /// `ROSTER_PURGE_EXPIRED_GRADES`: whether the scheduled job deletes the scores of expired
    /// users (U6), `true` by default.
    pub purge_expired_grades: Option<bool>,
    /// `ROSTER_SESSION_IDLE_MINUTES`: a session unused this long ends (S1), 30 by default.
    pub session_idle_minutes: Option<u32>,
    /// `ROSTER_SESSION_ABSOLUTE_MINUTES`: a session ends this long after login, 720 by default.
    pub session_absolute_minutes: Option<u32>,
    /// `ROSTER_LOGIN_FAILURES_PER_LOGIN_ID`: failures in an hour before a login ID is locked (S3), 5.
    pub login_failures_per_login_id: Option<u32>,
    /// `ROSTER_LOGIN_FAILURES_PER_ADDRESS`: failures in an hour before an address is locked (S3), 20.
    pub login_failures_per_address: Option<u32>,
    /// `ROSTER_TRUST_FORWARDED_FOR`: take the client address from `X-Forwarded-For` (only
    /// behind a proxy that sets it), `false` by default.
    pub trust_forwarded_for: Option<bool>,
    /// `ROSTER_HASH_WORKERS`: password hashing threads, one per core by default.
    pub hash_workers: Option<usize>,
    /// `ROSTER_HASH_QUEUE`: hashes that may wait for a thread before logins answer 503.
    pub hash_queue: Option<usize>,
    /// `ROSTER_BODY_LIMIT_BYTES`: the largest JSON body accepted, 1 MiB by default.
    pub body_limit_bytes: Option<usize>,
    /// `ROSTER_LOG_FORMAT`: `human` (default) or `json`.
    pub log_format: Option<String>,
    /// `ROSTER_IMPORT_LIMIT_BYTES`: the largest CSV upload accepted, 64 MiB by default.
    pub import_limit_bytes: Option<usize>,
    /// `ROSTER_ACTIVATION_LINK_DAYS`: how long an activation link works (A2), 7 by default.
    pub activation_link_days: Option<u32>,
    /// `ROSTER_INVITATION_LINK_DAYS`: how long an invitation link works (U5), 7 by default.
    pub invitation_link_days: Option<u32>,
    /// `ROSTER_RESET_LINK_MINUTES`: how long a password reset link works (U10), 30 by default.
    pub reset_link_minutes: Option<u32>,
}

/// The settings in force.
#[derive(Debug, Clone)]
pub struct Config {
    /// See [`Layer`] for each.
    pub database_url: String,
    pub listen: String,
    pub public_url: String,
    pub owner_login_id: String,
    pub owner_password: Option<String>,
    pub mail_outbox: PathBuf,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub mail_interval_seconds: u32,
    pub jobs_interval_minutes: u32,
    pub purge_expired_grades: bool,
    pub session_idle_minutes: u32,
    pub session_absolute_minutes: u32,
    pub login_failures_per_login_id: u32,
    pub login_failures_per_address: u32,
    pub trust_forwarded_for: bool,
    pub hash_workers: Option<usize>,
    pub hash_queue: Option<usize>,
    pub body_limit_bytes: usize,
    pub log_format: LogFormat,
    pub import_limit_bytes: usize,
    pub activation_link_days: u32,
    pub invitation_link_days: u32,
    pub reset_link_minutes: u32,
}

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// For people.
    Human,
    /// One JSON object per line, for collectors.
    Json,
}

/// A configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read the configuration file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML or has unknown keys.
    #[error("the configuration file {path} is invalid: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        message: String,
    },
    /// A variable holds something that does not parse.
    #[error("{name}={value:?} is invalid: {expected}")]
    Variable {
        /// The variable.
        name: &'static str,
        /// Its value.
        value: String,
        /// What was expected.
        expected: &'static str,
    },
}

impl Layer {
    /// The file's layer.
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        toml::from_str(&text).map_err(|e| ConfigError::Parse {
            path: path.to_owned(),
            message: e.to_string(),
        })
    }

    /// The environment's layer, read through `var` (so tests pass their own).
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let text = |name: &str| var(name).filter(|v| !v.is_empty());
        Ok(Self {
            database_url: text("ROSTER_DATABASE_URL"),
            listen: text("ROSTER_LISTEN"),
            public_url: text("ROSTER_PUBLIC_URL"),
            owner_login_id: text("ROSTER_OWNER_LOGIN_ID"),
            owner_password: text("ROSTER_OWNER_PASSWORD"),
            mail_outbox: text("ROSTER_MAIL_OUTBOX"),
            smtp_url: text("ROSTER_SMTP_URL"),
            mail_from: text("ROSTER_MAIL_FROM"),
            mail_interval_seconds: number(&text, "ROSTER_MAIL_INTERVAL_SECONDS")?,
            jobs_interval_minutes: number(&text, "ROSTER_JOBS_INTERVAL_MINUTES")?,
            purge_expired_grades: flag(&text, "ROSTER_PURGE_EXPIRED_GRADES")?,
            session_idle_minutes: number(&text, "ROSTER_SESSION_IDLE_MINUTES")?,
            session_absolute_minutes: number(&text, "ROSTER_SESSION_ABSOLUTE_MINUTES")?,
            login_failures_per_login_id: number(&text, "ROSTER_LOGIN_FAILURES_PER_LOGIN_ID")?,
            login_failures_per_address: number(&text, "ROSTER_LOGIN_FAILURES_PER_ADDRESS")?,
            trust_forwarded_for: flag(&text, "ROSTER_TRUST_FORWARDED_FOR")?,
            hash_workers: number(&text, "ROSTER_HASH_WORKERS")?,
            hash_queue: number(&text, "ROSTER_HASH_QUEUE")?,
            body_limit_bytes: number(&text, "ROSTER_BODY_LIMIT_BYTES")?,
            log_format: text("ROSTER_LOG_FORMAT"),
            import_limit_bytes: number(&text, "ROSTER_IMPORT_LIMIT_BYTES")?,
            activation_link_days: number(&text, "ROSTER_ACTIVATION_LINK_DAYS")?,
            invitation_link_days: number(&text, "ROSTER_INVITATION_LINK_DAYS")?,
            reset_link_minutes: number(&text, "ROSTER_RESET_LINK_MINUTES")?,
        })
    }

    /// This layer with `over`'s settings taking precedence.
    pub fn under(self, over: Self) -> Self {
        Self {
            database_url: over.database_url.or(self.database_url),
            listen: over.listen.or(self.listen),
            public_url: over.public_url.or(self.public_url),
            owner_login_id: over.owner_login_id.or(self.owner_login_id),
            owner_password: over.owner_password.or(self.owner_password),
            mail_outbox: over.mail_outbox.or(self.mail_outbox),
            smtp_url: over.smtp_url.or(self.smtp_url),
            mail_from: over.mail_from.or(self.mail_from),
            mail_interval_seconds: over.mail_interval_seconds.or(self.mail_interval_seconds),
            jobs_interval_minutes: over.jobs_interval_minutes.or(self.jobs_interval_minutes),
            purge_expired_grades: over.purge_expired_grades.or(self.purge_expired_grades),
            session_idle_minutes: over.session_idle_minutes.or(self.session_idle_minutes),
            session_absolute_minutes: over
                .session_absolute_minutes
                .or(self.session_absolute_minutes),
            login_failures_per_login_id: over
                .login_failures_per_login_id
                .or(self.login_failures_per_login_id),
            login_failures_per_address: over
                .login_failures_per_address
                .or(self.login_failures_per_address),
            trust_forwarded_for: over.trust_forwarded_for.or(self.trust_forwarded_for),
            hash_workers: over.hash_workers.or(self.hash_workers),
            hash_queue: over.hash_queue.or(self.hash_queue),
            body_limit_bytes: over.body_limit_bytes.or(self.body_limit_bytes),
            log_format: over.log_format.or(self.log_format),
            import_limit_bytes: over.import_limit_bytes.or(self.import_limit_bytes),
            activation_link_days: over.activation_link_days.or(self.activation_link_days),
            invitation_link_days: over.invitation_link_days.or(self.invitation_link_days),
            reset_link_minutes: over.reset_link_minutes.or(self.reset_link_minutes),
        }
    }

    /// The settings in force, defaults filling what no layer set.
    pub fn resolve(self) -> Result<Config, ConfigError> {
        let listen = self.listen.unwrap_or_else(|| "127.0.0.1:8080".to_owned());
        let log_format = match self.log_format.as_deref() {
            None | Some("human") => LogFormat::Human,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(ConfigError::Variable {
                    name: "ROSTER_LOG_FORMAT",
                    value: other.to_owned(),
                    expected: "human or json",
                });
            }
        };
        Ok(Config {
            database_url: self
                .database_url
                .unwrap_or_else(|| "sqlite://roster.db?mode=rwc".to_owned()),
            public_url: self
                .public_url
                .unwrap_or_else(|| format!("http://{listen}")),
            listen,
            owner_login_id: self.owner_login_id.unwrap_or_else(|| "owner".to_owned()),
            owner_password: self.owner_password,
            mail_outbox: PathBuf::from(self.mail_outbox.unwrap_or_else(|| "outbox".to_owned())),
            smtp_url: self.smtp_url,
            mail_from: self
                .mail_from
                .unwrap_or_else(|| "Roster <roster@localhost>".to_owned()),
            mail_interval_seconds: positive(
                self.mail_interval_seconds,
                60,
                "mail_interval_seconds",
            )?,
            jobs_interval_minutes: positive(
                self.jobs_interval_minutes,
                60,
                "jobs_interval_minutes",
            )?,
            session_idle_minutes: positive(self.session_idle_minutes, 30, "session_idle_minutes")?,
            session_absolute_minutes: positive(
                self.session_absolute_minutes,
                720,
                "session_absolute_minutes",
            )?,
            login_failures_per_login_id: positive(
                self.login_failures_per_login_id,
                5,
                "login_failures_per_login_id",
            )?,
            login_failures_per_address: positive(
                self.login_failures_per_address,
                20,
                "login_failures_per_address",
            )?,
            trust_forwarded_for: self.trust_forwarded_for.unwrap_or(false),
            purge_expired_grades: self.purge_expired_grades.unwrap_or(true),
            hash_workers: self.hash_workers.filter(|n| *n > 0),
            hash_queue: self.hash_queue.filter(|n| *n > 0),
            body_limit_bytes: self.body_limit_bytes.unwrap_or(1 << 20).max(1024),
            log_format,
            import_limit_bytes: self.import_limit_bytes.unwrap_or(64 << 20).max(1024),
            activation_link_days: positive(self.activation_link_days, 7, "activation_link_days")?,
            invitation_link_days: positive(self.invitation_link_days, 7, "invitation_link_days")?,
            reset_link_minutes: positive(self.reset_link_minutes, 30, "reset_link_minutes")?,
        })
    }
}

fn number<T: std::str::FromStr>(
    text: &impl Fn(&str) -> Option<String>,
    name: &'static str,
) -> Result<Option<T>, ConfigError> {
    text(name)
        .map(|value| {
            value.trim().parse().map_err(|_| ConfigError::Variable {
                name,
                value,
                expected: "a whole number",
            })
        })
        .transpose()
}

fn flag(
    text: &impl Fn(&str) -> Option<String>,
    name: &'static str,
) -> Result<Option<bool>, ConfigError> {
    text(name)
        .map(|value| match value.trim() {
            "1" | "true" | "yes" => Ok(true),
            "0" | "false" | "no" => Ok(false),
            _ => Err(ConfigError::Variable {
                name,
                value,
                expected: "true or false",
            }),
        })
        .transpose()
}

fn positive(value: Option<u32>, default: u32, key: &'static str) -> Result<u32, ConfigError> {
    match value {
        None => Ok(default),
        Some(0) => Err(ConfigError::Variable {
            name: key,
            value: "0".to_owned(),
            expected: "a number above zero",
        }),
        Some(n) => Ok(n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn o2_defaults_need_nothing() {
        let config = Layer::default().resolve().unwrap();
        assert_eq!(config.database_url, "sqlite://roster.db?mode=rwc");
        assert_eq!(config.listen, "127.0.0.1:8080");
        assert_eq!(config.public_url, "http://127.0.0.1:8080");
        assert_eq!(config.mail_outbox, PathBuf::from("outbox"));
        assert_eq!(config.owner_login_id, "owner");
        assert!(config.owner_password.is_none() && config.smtp_url.is_none());
        assert_eq!(config.import_limit_bytes, 64 << 20);
        // U5, A2: links live 7 days; U10: reset links 30 minutes.
        assert_eq!(config.activation_link_days, 7);
        assert_eq!(config.invitation_link_days, 7);
        assert_eq!(config.reset_link_minutes, 30);
        assert_eq!(config.mail_from, "Roster <roster@localhost>");
        assert_eq!(
            (config.mail_interval_seconds, config.jobs_interval_minutes),
            (60, 60)
        );
        assert!(
            config.purge_expired_grades,
            "U6: expired users' scores are purged by default"
        );
    }

    #[test]
    fn o2_environment_overrides_the_file() {
        let file: Layer =
            toml::from_str("listen = \"0.0.0.0:9000\"\nowner_login_id = \"admin\"").unwrap();
        let vars = Layer::from_env(env(&[
            ("ROSTER_LISTEN", "127.0.0.1:7000"),
            ("ROSTER_DATABASE_URL", "postgres://db/roster"),
            ("ROSTER_LOGIN_FAILURES_PER_LOGIN_ID", "1000"),
        ]))
        .unwrap();
        let config = file.under(vars).resolve().unwrap();
        assert_eq!(config.listen, "127.0.0.1:7000");
        assert_eq!(config.owner_login_id, "admin");
        assert_eq!(config.database_url, "postgres://db/roster");
        assert_eq!(config.login_failures_per_login_id, 1000);
    }

    #[test]
    fn o2_bad_values_are_refused_with_their_name() {
        let err = Layer::from_env(env(&[("ROSTER_HASH_WORKERS", "many")])).unwrap_err();
        assert!(err.to_string().contains("ROSTER_HASH_WORKERS"), "{err}");
        let unknown = toml::from_str::<Layer>("lisen = \"x\"").unwrap_err();
        assert!(unknown.to_string().contains("lisen"), "{unknown}");
        let zero = Layer::from_env(env(&[("ROSTER_SESSION_IDLE_MINUTES", "0")]))
            .unwrap()
            .resolve();
        assert!(zero.is_err());
    }
}
