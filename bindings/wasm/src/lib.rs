//! # hush-wasm: the hush redactor for JavaScript
//!
//! WebAssembly bindings of the [`hush`] core, built with `wasm-bindgen` into an npm
//! package (`hush-wasm`) for Node.js and browsers. The JavaScript API (class `Redactor`,
//! streams, error classes) lives in `js/api.js` and wraps the raw exports of this crate
//! (`RawRedactor`, `RawStream`); see the package README.
//!
//! Everything that does not need JavaScript — building a redactor from options, the
//! streaming state, UTF-8 to UTF-16 offsets — is plain Rust here and tested on the host;
//! only the `bindings` module (compiled for `wasm32` alone) touches `wasm-bindgen`.

#![warn(missing_docs)]

pub mod options;
pub mod stream;
pub mod utf16;

#[cfg(target_arch = "wasm32")]
pub mod bindings;
