//! Integrate and cancel an integration moving 100k score rows. (Written with the integration
//! adapter.)

use crate::fresh::Target;

/// Measures and prints the integration part on `target`.
pub async fn run(target: &Target) -> Result<(), String> {
    println!("integrate/cancel: not measured yet on {}", target.label());
    Ok(())
}
