//! Bulk registration: 100k users + 200k memberships through the import sink, against the raw
//! baseline. (Written with the import adapter.)

use crate::fresh::Target;

/// Measures and prints the bulk part on `target`.
pub async fn run(target: &Target) -> Result<(), String> {
    println!("bulk: not measured yet on {}", target.label());
    Ok(())
}
