//! Numbers as people read them. Pure functions, tested natively.

use sim::decimal::fixed;

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
