//! Building a core [`hush::Redactor`] from the options of `new Redactor(options)`.

use hush::{Builder, Error, MaskStyle, Redactor};

/// The options a JavaScript caller can pass, already converted to Rust types.
///
/// Known values and the hash key are secrets; [`Options`] has no `Debug` so they cannot
/// end up in a log line by accident.
#[derive(Default)]
pub struct Options {
    /// Mask style name (`redacted`, `label`, `hash`, `partial`, `fill`).
    pub mask: Option<String>,
    /// Key for the `hash` mask.
    pub hash_key: Option<Vec<u8>>,
    /// Known secret values, in order: their rule ids are `known:api:1`, `known:api:2`, …
    pub known_values: Vec<Vec<u8>>,
    /// hush TOML config text (the same file the CLI reads).
    pub rules: Option<String>,
    /// gitleaks TOML rule file text.
    pub gitleaks: Option<String>,
}

impl Options {
    /// Compiles the redactor. The config text is applied first, so explicit options
    /// (mask, hash key) override what it says, and known values add to its sources.
    pub fn build(&self) -> Result<Redactor, Error> {
        let mut builder = Builder::default();
        if let Some(rules) = &self.rules {
            builder = builder.config_toml(rules)?;
        }
        if let Some(gitleaks) = &self.gitleaks {
            builder = builder.gitleaks_toml(gitleaks);
        }
        if let Some(mask) = &self.mask {
            builder = builder.mask(mask.parse::<MaskStyle>()?);
        }
        if let Some(key) = &self.hash_key {
            builder = builder.hash_key(key);
        }
        for value in &self.known_values {
            builder = builder.known_value(value);
        }
        builder.build()
    }

    /// Splits known values passed as one byte buffer plus their lengths (how they cross
    /// the JS boundary without one allocation per value).
    pub fn split_known(bytes: &[u8], lens: &[u32]) -> Result<Vec<Vec<u8>>, Error> {
        let mut values = Vec::with_capacity(lens.len());
        let mut pos = 0usize;
        for &len in lens {
            let end = pos.checked_add(len as usize).filter(|&e| e <= bytes.len());
            let Some(end) = end else {
                return Err(Error::new(hush::ErrorKind::Config, "known values: lengths exceed the buffer"));
            };
            values.push(bytes[pos..end].to_vec());
            pos = end;
        }
        Ok(values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mask_and_known_values_apply() {
        let opts = Options {
            mask: Some("label".into()),
            known_values: vec![b"plum-Orbit-4471".to_vec()],
            ..Options::default()
        };
        let r = opts.build().unwrap();
        assert_eq!(r.redact_str("x plum-Orbit-4471 y"), "x [REDACTED:known:api:1] y");
    }

    #[test]
    fn unknown_mask_is_a_config_error() {
        let opts = Options { mask: Some("sparkles".into()), ..Options::default() };
        let err = opts.build().unwrap_err();
        assert_eq!(err.kind(), hush::ErrorKind::Config);
        // The name given is not echoed: a misplaced argument may be a secret.
        assert!(!err.to_string().contains("sparkles"));
        assert!(err.to_string().contains("expected one of"));
    }

    #[test]
    fn hash_mask_without_key_fails() {
        let opts = Options { mask: Some("hash".into()), ..Options::default() };
        assert!(opts.build().is_err());
        let opts =
            Options { mask: Some("hash".into()), hash_key: Some(b"0123456789abcdef".to_vec()), ..Options::default() };
        assert!(opts.build().is_ok());
    }

    #[test]
    fn split_known_checks_lengths() {
        assert_eq!(Options::split_known(b"abcdef", &[2, 4]).unwrap(), vec![b"ab".to_vec(), b"cdef".to_vec()]);
        assert!(Options::split_known(b"abc", &[2, 4]).is_err());
        assert!(Options::split_known(b"abc", &[u32::MAX, u32::MAX]).is_err());
    }
}
