//! Numbers as people read them, and values quoted safely in messages. Pure functions,
//! tested natively.

use sim::decimal::fixed;
use sim::FieldError;

/// Simulated time for display: "0.000 s" style with millisecond precision.
pub fn seconds(time_us: u64) -> String {
    format!(
        "{}.{:03} s",
        time_us / 1_000_000,
        (time_us % 1_000_000) / 1_000
    )
}

/// A duration in milliseconds, with one decimal below 10 ms.
pub fn millis(duration_us: u64) -> String {
    if duration_us < 10_000 {
        format!("{}.{} ms", duration_us / 1_000, (duration_us % 1_000) / 100)
    } else {
        format!("{} ms", duration_us / 1_000)
    }
}

/// A measured value (a live figure, a question's answer) with the precision it deserves:
/// whole numbers and values from 100 up without decimals, others with one.
pub fn measured(value: f64) -> String {
    if value.is_nan() {
        "not available yet".to_string()
    } else if value.abs() >= 100.0 || value.fract() == 0.0 {
        fixed(value, 0)
    } else {
        fixed(value, 1)
    }
}

/// Mebibytes with one decimal, from KiB.
pub fn mebibytes(kib: u64) -> String {
    format!("{}.{} MB", kib / 1024, (kib % 1024) * 10 / 1024)
}

/// Longest value quoted back in a message, in characters (an ellipsis marks the cut).
pub const QUOTE_CHARS_MAX: usize = 40;

/// Most of the engine's field errors worded one by one; the rest are counted.
pub const FIELD_ERRORS_MAX: usize = 10;

/// At most `chars_max` characters of `text` (an ellipsis marks the cut), control
/// characters replaced, so a hostile value can neither flood nor garble a message.
pub fn shorten(text: &str, chars_max: usize) -> String {
    let mut out: String = text
        .chars()
        .take(chars_max)
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect();
    if text.chars().nth(chars_max).is_some() {
        out.push('…');
    }
    out
}

/// `value` in double quotes, shortened to [`QUOTE_CHARS_MAX`].
pub fn quote(value: &str) -> String {
    format!("\"{}\"", shorten(value, QUOTE_CHARS_MAX))
}

/// The engine's field errors for a scenario as sentences, one per error up to
/// [`FIELD_ERRORS_MAX`] and then one counting the rest: "`subject` has a bad field:
/// `prefix``field` = "`value`": `message`." A value the engine gives as a JSON string is
/// quoted once, after the cut. A text that is not a scenario at all (the engine's
/// `(document)` error) is worded by `not_a_scenario`, given the quoted value (` = "…"`, or
/// nothing) and the engine's message.
pub fn field_problems(
    errors: &[FieldError],
    subject: &str,
    prefix: &str,
    not_a_scenario: impl Fn(&str, &str) -> String,
) -> Vec<String> {
    let mut out: Vec<String> = errors
        .iter()
        .take(FIELD_ERRORS_MAX)
        .map(|e| {
            let message = shorten(&e.message, 200);
            let value = if e.value.is_empty() {
                String::new()
            } else {
                let v = e.value.as_str();
                let inner = v
                    .strip_prefix('"')
                    .map_or(v, |rest| rest.strip_suffix('"').unwrap_or(rest));
                format!(" = {}", quote(inner))
            };
            if e.field == "(document)" {
                return not_a_scenario(&value, &message);
            }
            format!(
                "{subject} has a bad field: {prefix}{}{value}: {message}.",
                shorten(&e.field, 60)
            )
        })
        .collect();
    if errors.len() > FIELD_ERRORS_MAX {
        let more = errors.len() - FIELD_ERRORS_MAX;
        out.push(format!("{subject} has {more} more bad fields."));
    }
    out
}

/// Escapes text for HTML: an element's text or an attribute value in double quotes.
pub fn html_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

#[cfg(test)]
mod tests {

    #[test]
    fn measured_values_keep_the_precision_they_deserve() {
        assert_eq!(measured(50.0), "50");
        assert_eq!(measured(26.34), "26.3");
        assert_eq!(measured(0.04), "0.0");
        assert_eq!(measured(1234.6), "1235");
        assert_eq!(measured(f64::NAN), "not available yet");
    }
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(seconds(0), "0.000 s");
        assert_eq!(seconds(1_234_567), "1.234 s");
        assert_eq!(millis(2_500), "2.5 ms");
        assert_eq!(millis(123_900), "123 ms");
        assert_eq!(mebibytes(1024 * 40), "40.0 MB");
        assert_eq!(mebibytes(1536), "1.5 MB");
    }
}
