//! Assertions shared by unit tests of several modules.

use std::fmt::{Debug, Display};
use std::str::FromStr;

/// Asserts that parsing an unknown name as `T` fails with an error that never shows the
/// name (a misplaced argument may be a secret), in `Display` or `Debug`, and says which
/// names are valid (`expected`, a part of the message).
pub(crate) fn assert_unknown_name_not_echoed<T: FromStr>(expected: &str)
where
    T::Err: Display + Debug,
{
    const NAME: &str = "plum-Orbit-4471";
    let Err(err) = NAME.parse::<T>() else { panic!("an unknown name parsed") };
    let text = format!("{err} {err:?}");
    assert!(!text.contains(NAME), "the name given is echoed");
    assert!(text.contains(expected), "{text}");
}
