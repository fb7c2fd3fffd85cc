//! The three rule families: key names, token formats and known values.

pub(crate) mod builtin;
pub(crate) mod catalog;
pub mod format;
pub mod keys;
