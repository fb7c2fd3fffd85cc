//! The TOML configuration file.

use crate::{Builder, Error};

/// A parsed configuration.
#[derive(Clone, Debug, Default)]
pub struct Config {}

impl Config {
    /// Parses config text.
    pub fn from_toml(_text: &str) -> Result<Config, Error> {
        Ok(Config {})
    }

    pub(crate) fn apply(&self, b: Builder) -> Result<Builder, Error> {
        Ok(b)
    }
}
