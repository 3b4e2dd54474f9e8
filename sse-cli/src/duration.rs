//! Durations as people type them: `500ms`, `10s`, `2m`, `1h`.

use std::time::Duration;

/// Parses a whole number followed by a unit: `ms`, `s`, `m` or `h` (`1.5s` is refused: say
/// `1500ms`). A bare number is refused too, so that `--timeout 10` cannot mean ten of an
/// unsaid unit.
///
/// # Errors
///
/// A message that names what was wrong, for clap to show next to the flag.
pub(crate) fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let digits_end = text
        .find(|c: char| !c.is_ascii_digit())
        .ok_or_else(|| format!("`{text}` has no unit: write it as 500ms, 10s, 2m or 1h"))?;
    let (number, unit) = text.split_at(digits_end);
    if number.is_empty() {
        return Err(format!(
            "`{text}` does not start with a number: write it as 500ms, 10s, 2m or 1h"
        ));
    }
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is too large"))?;
    let millis_per_unit = match unit {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        _ => {
            return Err(format!(
                "`{text}` has an unknown unit `{unit}`: use ms, s, m or h"
            ));
        }
    };
    number
        .checked_mul(millis_per_unit)
        .map(Duration::from_millis)
        .ok_or_else(|| format!("`{text}` is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_unit() {
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_duration("0s"), Ok(Duration::ZERO));
    }

    #[test]
    fn refusals_say_why() {
        assert!(parse_duration("10").unwrap_err().contains("no unit"));
        assert!(parse_duration("s").unwrap_err().contains("number"));
        assert!(parse_duration("1.5s").unwrap_err().contains("unknown unit"));
        assert!(
            parse_duration("3d")
                .unwrap_err()
                .contains("unknown unit `d`")
        );
        assert!(parse_duration("").unwrap_err().contains("no unit"));
        assert!(
            parse_duration("99999999999999999999h")
                .unwrap_err()
                .contains("too large")
        );
        assert!(
            parse_duration("18446744073709551615h")
                .unwrap_err()
                .contains("too large")
        );
    }
}
