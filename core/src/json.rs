//! JSON-aware redaction.

use std::borrow::Cow;

use crate::{JsonError, Redactor, Report};

pub(crate) fn redact_json<'a>(red: &Redactor, input: &'a [u8], report: &mut Report) -> Result<Cow<'a, [u8]>, JsonError> {
    let _ = (red, report);
    Ok(Cow::Borrowed(input))
}
