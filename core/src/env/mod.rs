//! The env sanitizer: mask values in environment dumps.
