//! Running cargo and other commands from the workspace root, failing loudly.

use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The workspace root (xtask's parent folder).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// The cargo that runs us, so toolchain overrides carry through.
pub fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    cmd.current_dir(root());
    cmd
}

/// Runs a command, printing it first; Err names it when it fails.
pub fn status(mut cmd: Command) -> Result<(), String> {
    eprintln!("$ {}", describe(&cmd));
    let status = cmd
        .status()
        .map_err(|e| format!("{}: {e}", describe(&cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("failed ({status}): {}", describe(&cmd)))
    }
}

/// Runs a command and returns its standard output.
pub fn output(mut cmd: Command) -> Result<String, String> {
    let out = cmd
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("{}: {e}", describe(&cmd)))?;
    if !out.status.success() {
        return Err(format!("failed ({}): {}", out.status, describe(&cmd)));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("{}: {e}", describe(&cmd)))
}

/// Whether a command can be started and succeeds (used to detect optional tools).
pub fn succeeds(mut cmd: Command) -> bool {
    cmd.stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn describe(cmd: &Command) -> String {
    let mut parts = vec![cmd.get_program().to_string_lossy().into_owned()];
    parts.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}
