//! Test support shared by the integration tests and the bench.
pub mod host;
