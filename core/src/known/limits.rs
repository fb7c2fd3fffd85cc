//! Limits on known values and their source files: too short, too common, too big.

/// Default largest secret file read (bigger files are skipped with a warning).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024;

/// Values that appear everywhere in logs: masking them would destroy the log.
const COMMON_VALUES: &[&str] = &[
    "true",
    "false",
    "null",
    "none",
    "nil",
    "undefined",
    "localhost",
    "127.0.0.1",
    "0.0.0.0",
    "::1",
    "changeme",
    "default",
    "admin",
    "administrator",
    "password",
    "secret",
    "example",
    "enabled",
    "disabled",
    "production",
    "development",
    "staging",
    "postgres",
    "postgresql",
    "mysql",
    "redis",
    "root",
    "guest",
    "public",
    "private",
    "docker",
    "kubernetes",
    "default-token",
];

/// The limits a loaded value must pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Limits {
    /// Shortest value, in bytes (default 6).
    pub(crate) min_len: usize,
    /// Shortest all-digit value (default 8): shorter numbers occur everywhere.
    pub(crate) min_digits_len: usize,
    /// Largest file read, in bytes (default 64 KiB).
    pub(crate) max_file_size: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            min_len: super::MIN_KNOWN_LEN,
            min_digits_len: 8,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// Why a value was not used. The text never includes the value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rejection {
    TooShort(usize),
    ShortNumber(usize),
    Common,
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rejection::TooShort(min) => write!(f, "value shorter than {min} bytes"),
            Rejection::ShortNumber(min) => write!(f, "all-digit value shorter than {min} bytes"),
            Rejection::Common => f.write_str("value is a common word"),
        }
    }
}

impl Limits {
    /// Checks a value (already trimmed of its trailing newline).
    pub(crate) fn check(&self, value: &[u8]) -> Result<(), Rejection> {
        let v = value.trim_ascii();
        if v.len() < self.min_len {
            return Err(Rejection::TooShort(self.min_len));
        }
        if v.iter().all(u8::is_ascii_digit) && v.len() < self.min_digits_len {
            return Err(Rejection::ShortNumber(self.min_digits_len));
        }
        if COMMON_VALUES
            .iter()
            .any(|c| v.eq_ignore_ascii_case(c.as_bytes()))
        {
            return Err(Rejection::Common);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_short_numeric_and_common() {
        let l = Limits::default();
        assert_eq!(l.check(b"abc12"), Err(Rejection::TooShort(6)));
        assert_eq!(l.check(b"1234567"), Err(Rejection::ShortNumber(8)));
        assert_eq!(l.check(b"12345678"), Ok(()));
        assert_eq!(l.check(b"LocalHost"), Err(Rejection::Common));
        assert_eq!(l.check(b"  true \n"), Err(Rejection::TooShort(6)));
        assert_eq!(l.check(b"plum-Orbit-4471"), Ok(()));
        let strict = Limits {
            min_len: 10,
            ..Limits::default()
        };
        assert_eq!(strict.check(b"abcdefgh"), Err(Rejection::TooShort(10)));
    }

    #[test]
    fn rejection_text_never_holds_the_value() {
        let l = Limits::default();
        for v in [&b"hunt3"[..], b"1234567", b"localhost"] {
            let text = l.check(v).unwrap_err().to_string();
            assert!(!text.contains(std::str::from_utf8(v).unwrap()), "{text}");
        }
    }
}
