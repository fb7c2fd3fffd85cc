//! [`detect`]: which format an env dump is in.

use super::{EnvError, EnvErrorReason, Format, split_assignment, yaml};

/// Detects the format of `input`:
///
/// 1. a NUL byte → [`Format::Environ`];
/// 2. a leading `[` or `{` → [`Format::DockerInspect`];
/// 3. a YAML `environment:` block → [`Format::Compose`]; an `env:` block with `- name:`
///    items → [`Format::K8s`];
/// 4. `export ` / `declare -x ` lines → [`Format::Export`];
/// 5. `NAME=VALUE` lines → [`Format::Dotenv`] when there are comments, quotes or blanks
///    around `=`, else [`Format::Env`].
///
/// Empty input is [`Format::Env`]. Anything else is an error ([`EnvErrorReason::Undetectable`]).
///
/// ```
/// use hush::env::{detect, Format};
/// assert_eq!(detect(b"A=1\0B=2\0").unwrap(), Format::Environ);
/// assert_eq!(detect(b"declare -x HOME=\"/root\"\n").unwrap(), Format::Export);
/// assert_eq!(detect(b"# settings\nA='x y'\n").unwrap(), Format::Dotenv);
/// assert!(detect(b"hello world\n").is_err());
/// ```
pub fn detect(input: &[u8]) -> Result<Format, EnvError> {
    if memchr::memchr(0, input).is_some() {
        return Ok(Format::Environ);
    }
    let trimmed = input.trim_ascii_start();
    if trimmed.starts_with(b"[") || trimmed.starts_with(b"{") {
        return Ok(Format::DockerInspect);
    }
    if yaml::has_block(input, b"environment") {
        return Ok(Format::Compose);
    }
    if yaml::has_block(input, b"env") && input.split(|&b| b == b'\n').any(is_name_item) {
        return Ok(Format::K8s);
    }
    let lines: Vec<&[u8]> =
        input.split(|&b| b == b'\n').map(<[u8]>::trim_ascii_end).filter(|l| !l.trim_ascii().is_empty()).collect();
    if lines.is_empty() {
        return Ok(Format::Env);
    }
    let is_comment = |l: &&[u8]| l.trim_ascii_start().starts_with(b"#");
    let is_export = |l: &&[u8]| {
        let l = l.trim_ascii_start();
        l.starts_with(b"export ") || l.starts_with(b"declare -")
    };
    let first = lines.iter().find(|l| !is_comment(l)).copied().unwrap_or_default();
    if is_export(&first) {
        let exports = lines.iter().filter(|l| is_export(l)).count();
        let others = lines.iter().filter(|l| !is_export(l) && !is_comment(l)).count();
        // Every variable line exported: shell output. Mixed: a .env with some `export`.
        return Ok(if others == 0 || exports > others { Format::Export } else { Format::Dotenv });
    }
    if lines.iter().any(is_comment) && split_assignment(first).is_some() || first.is_empty() {
        return Ok(Format::Dotenv);
    }
    if split_assignment(first).is_some() {
        let dotenv_like =
            lines.iter().any(|l| split_assignment(l).is_some_and(|(_, v)| v.starts_with(b"\"") || v.starts_with(b"'")));
        return Ok(if dotenv_like { Format::Dotenv } else { Format::Env });
    }
    if dotenv_assignment(first) {
        return Ok(Format::Dotenv);
    }
    let offset = first.as_ptr() as usize - input.as_ptr() as usize;
    Err(EnvError::at(input, offset, EnvErrorReason::Undetectable))
}

/// `- name: X`, the start of a Kubernetes env item.
fn is_name_item(line: &[u8]) -> bool {
    line.trim_ascii_start().strip_prefix(b"- ").is_some_and(|rest| rest.trim_ascii_start().starts_with(b"name:"))
}

/// `NAME = value` with blanks around `=`, which only `.env` files have.
fn dotenv_assignment(line: &[u8]) -> bool {
    let l = line.trim_ascii_start();
    let name_len = l.iter().take_while(|&&b| super::is_name_byte(b)).count();
    name_len > 0 && l[name_len..].trim_ascii_start().starts_with(b"=")
}
