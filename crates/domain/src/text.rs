//! Small checks shared by the text value types: length in characters and control characters.

/// The reason a bounded text value was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextProblem {
    Empty,
    TooLong,
    ControlCharacter,
}

/// Trims surrounding white space and checks `1..=max` characters and no control characters.
pub(crate) fn bounded_text(raw: &str, max_chars: usize) -> Result<&str, TextProblem> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(TextProblem::Empty);
    }
    if trimmed.chars().count() > max_chars {
        return Err(TextProblem::TooLong);
    }
    if trimmed.chars().any(char::is_control) {
        return Err(TextProblem::ControlCharacter);
    }
    Ok(trimmed)
}
