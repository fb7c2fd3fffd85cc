//! Loading known values from secret directories, known-value files and the default
//! sources (the environment, `/run/secrets`, `*_FILE` variables, cloud credential files).
//!
//! Explicit sources (given by the user) are fatal when missing or unreadable; default and
//! environment-derived ones only warn. Warnings and errors name the path or variable,
//! never a value.

use std::fs;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::files::{self, Parsed, Piece, PieceKind};
use super::limits::Limits;
use super::read::{self, ReadError};
use super::{KnownSources, KnownValue};
use crate::rules::keys::KeyRules;
use crate::{Error, ErrorKind};

/// Known files may list thousands of values: their limit is this many times the
/// secret-file limit (16 MiB by default).
const KNOWN_FILE_SIZE_FACTOR: u64 = 256;

/// Whether a failure to read a source is the user's error or just worth a warning.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Explicit,
    Default,
}

/// Collects values and warnings while sources are read.
pub(crate) struct Loader<'a> {
    pub(crate) keys: &'a KeyRules,
    pub(crate) limits: Limits,
    pub(crate) values: Vec<KnownValue>,
    pub(crate) warnings: Vec<String>,
}

impl<'a> Loader<'a> {
    pub(crate) fn new(keys: &'a KeyRules, limits: Limits) -> Self {
        Loader { keys, limits, values: Vec::new(), warnings: Vec::new() }
    }

    /// A failure: an error for explicit sources, a warning otherwise.
    fn fail(&mut self, mode: Mode, path: &Path, what: &str) -> Result<(), Error> {
        match mode {
            Mode::Explicit => Err(Error::new(ErrorKind::Source, what.to_owned()).with_file(path)),
            Mode::Default => {
                self.warnings.push(format!("{}: {what}", path.display()));
                Ok(())
            }
        }
    }

    /// Adds the pieces of one source under `rule` (`known:file:db_password`); keyed pieces
    /// get the key appended (`known:file:app.env:DB_PASSWORD`).
    fn add_pieces(&mut self, rule: &str, pieces: Vec<Piece>) {
        for p in pieces {
            let id = match &p.kind {
                PieceKind::Keyed(key) => format!("{rule}:{key}"),
                _ => rule.to_owned(),
            };
            match self.limits.check(files::trim_newline(&p.value)) {
                Ok(()) => self.values.push(KnownValue { rule: id, value: p.value, explicit: false }),
                // Short lines of multi-line content (`}`, blank-ish) are expected: no noise.
                Err(_) if p.kind == PieceKind::Line => {}
                Err(why) => self.warnings.push(format!("{id}: skipped a value ({why})")),
            }
        }
    }

    /// Reads one secret file and adds what it holds.
    fn secret_file(&mut self, path: &Path, rule: &str, mode: Mode, source: &str) -> Result<(), Error> {
        match read::read_secret(path, self.limits.max_file_size) {
            Ok(content) => {
                match files::parse(&content, self.keys) {
                    Parsed::Public => {}
                    Parsed::Values(pieces) => self.add_pieces(rule, pieces),
                }
                Ok(())
            }
            // Size and type limits warn even for explicit sources: the user asked for a
            // directory, and such entries in it (a subdirectory, a dangling link, a symlink
            // loop, a huge file) are not secrets we can use.
            Err(e @ (ReadError::TooLarge(_) | ReadError::NotRegular | ReadError::Missing(_))) => {
                self.warnings.push(format!("{source}: skipped {}: {e}", path.display()));
                Ok(())
            }
            Err(e) if mode == Mode::Default => {
                self.warnings.push(format!("{source}: skipped {}: {e}", path.display()));
                Ok(())
            }
            Err(e) => self.fail(mode, path, &e.to_string()),
        }
    }

    /// Every regular file of `dir` is a secret, named `known:file:<file name>`. Kubernetes'
    /// atomic-writer entries (`..data`, `..2024_…`) are skipped: the files link into them.
    pub(crate) fn secrets_dir(&mut self, dir: &Path, mode: Mode) -> Result<(), Error> {
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => return self.fail(mode, dir, &format!("cannot read secrets directory ({e})")),
        };
        let mut names = Vec::new();
        for entry in entries {
            match entry {
                Ok(e) => names.push(e.file_name()),
                Err(e) => {
                    return self.fail(mode, dir, &format!("cannot list secrets directory ({e})"));
                }
            }
        }
        names.sort();
        let source = dir.display().to_string();
        for name in names {
            let name_text = name.to_string_lossy().into_owned();
            if name_text.starts_with("..") {
                continue;
            }
            let path = dir.join(&name);
            self.secret_file(&path, &format!("known:file:{name_text}"), mode, &source)?;
        }
        Ok(())
    }

    /// A file with one known value per line (`known:file:<file name>`). Its values were
    /// asked for, so one that fails the limits is an error naming the line.
    pub(crate) fn known_file(&mut self, path: &Path) -> Result<(), Error> {
        let max = self.limits.max_file_size.saturating_mul(KNOWN_FILE_SIZE_FACTOR);
        let content = read::read_secret(path, max).map_err(|e| {
            Error::new(ErrorKind::Source, format!("cannot read known-values file: {e}")).with_file(path)
        })?;
        let rule = format!("known:file:{}", file_name(path));
        for (i, line) in content.split(|&b| b == b'\n').enumerate() {
            let line = files::trim_newline(line);
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.trim_ascii().is_empty() {
                continue;
            }
            if let Err(why) = self.limits.check(line) {
                return Err(Error::new(ErrorKind::Source, format!("known value rejected: {why}"))
                    .with_file(path)
                    .with_line(i + 1));
            }
            self.values.push(KnownValue { rule: rule.clone(), value: Zeroizing::new(line.to_vec()), explicit: true });
        }
        Ok(())
    }

    /// The default sources, reading `env` (name, value) and the configured paths.
    pub(crate) fn defaults(
        &mut self,
        sources: &KnownSources,
        env: &[(String, Zeroizing<Vec<u8>>)],
    ) -> Result<(), Error> {
        let run_secrets = sources.run_secrets_dir.clone().unwrap_or_else(|| PathBuf::from(RUN_SECRETS));
        if run_secrets.is_dir() {
            self.secrets_dir(&run_secrets, Mode::Default)?;
        } else if run_secrets.exists() {
            self.warnings.push(format!("{}: not a directory, skipped", run_secrets.display()));
        } else if fs::symlink_metadata(&run_secrets).is_ok() {
            // Absent is the usual case and silent; a link to nothing (or a loop) is a
            // broken mount whose secrets would go unredacted.
            self.warnings.push(format!("{}: dangling symlink or symlink loop, skipped", run_secrets.display()));
        }
        let mut secret_dirs: Vec<PathBuf> = vec![run_secrets];
        secret_dirs.extend(sources.secrets_dirs.iter().cloned());

        for (name, value) in env {
            if SPECIAL_FILE_VARS.contains(&name.as_str()) {
                continue;
            }
            let Some(stem) = name.strip_suffix("_FILE").filter(|s| !s.is_empty()) else {
                continue;
            };
            let Ok(path_text) = std::str::from_utf8(value) else {
                continue;
            };
            if path_text.is_empty() {
                continue;
            }
            let path = PathBuf::from(path_text);
            if self.keys.classify(stem).is_none() && !inside_any(&path, &secret_dirs) {
                continue;
            }
            self.secret_file(&path, &format!("known:file:{}", file_name(&path)), Mode::Default, name)?;
        }

        for (name, value) in env {
            if name.ends_with("_FILE") || SPECIAL_FILE_VARS.contains(&name.as_str()) || value.is_empty() {
                continue;
            }
            if self.keys.classify(name).is_some() && !is_desktop_session_var(name) {
                let pieces = files::value_pieces(value, PieceKind::Whole);
                self.add_pieces(&format!("known:env:{name}"), pieces);
            }
        }

        let token = sources.k8s_token_path.clone().unwrap_or_else(|| PathBuf::from(K8S_TOKEN));
        if token.exists() {
            self.secret_file(&token, "known:file:k8s-serviceaccount-token", Mode::Default, "kubernetes token")?;
        }

        for (name, value) in env {
            let Some(kind) = CredentialFile::of(name) else {
                continue;
            };
            let Ok(path) = std::str::from_utf8(value) else {
                continue;
            };
            if path.is_empty() {
                continue;
            }
            let path = Path::new(path);
            match read::read_secret(path, self.limits.max_file_size) {
                Ok(content) => {
                    let pieces = kind.extract(&content);
                    self.add_pieces(&format!("known:env:{name}"), pieces);
                }
                Err(e) => self.warnings.push(format!("{name}: skipped {}: {e}", path.display())),
            }
        }
        Ok(())
    }
}

/// Docker's default secrets mount.
pub(crate) const RUN_SECRETS: &str = "/run/secrets";
/// Where Kubernetes mounts a pod's service-account token.
pub(crate) const K8S_TOKEN: &str = "/var/run/secrets/kubernetes.io/serviceaccount/token";

/// Variables naming credential files that are parsed field by field.
const SPECIAL_FILE_VARS: &[&str] = &["GOOGLE_APPLICATION_CREDENTIALS", "AWS_SHARED_CREDENTIALS_FILE", "PGPASSFILE"];

/// Credential files whose format is known: only their secret fields are values.
#[derive(Clone, Copy)]
enum CredentialFile {
    /// A Google service-account JSON key: `private_key`, `private_key_id`.
    Google,
    /// AWS shared credentials (INI): `aws_secret_access_key`, `aws_session_token`.
    Aws,
    /// `.pgpass`: `host:port:database:user:password`, the last field.
    PgPass,
}

impl CredentialFile {
    fn of(var: &str) -> Option<Self> {
        match var {
            "GOOGLE_APPLICATION_CREDENTIALS" => Some(Self::Google),
            "AWS_SHARED_CREDENTIALS_FILE" => Some(Self::Aws),
            "PGPASSFILE" => Some(Self::PgPass),
            _ => None,
        }
    }

    fn extract(self, content: &[u8]) -> Vec<Piece> {
        match self {
            Self::Google => google(content),
            Self::Aws => aws(content),
            Self::PgPass => pgpass(content),
        }
    }
}

fn google(content: &[u8]) -> Vec<Piece> {
    let Ok(map) = serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(content) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, value) in map {
        if let serde_json::Value::String(s) = value {
            let s = Zeroizing::new(s.into_bytes());
            if key == "private_key" || key == "private_key_id" {
                out.extend(files::value_pieces(&s, PieceKind::Keyed(key)));
            }
        }
    }
    out
}

fn aws(content: &[u8]) -> Vec<Piece> {
    let mut out = Vec::new();
    for line in content.split(|&b| b == b'\n') {
        let Some(eq) = memchr::memchr(b'=', line) else {
            continue;
        };
        let key = line[..eq].trim_ascii().to_ascii_lowercase();
        if key == b"aws_secret_access_key" || key == b"aws_session_token" {
            let value = line[eq + 1..].trim_ascii();
            let key = String::from_utf8_lossy(&key).into_owned();
            out.push(Piece { kind: PieceKind::Keyed(key), value: Zeroizing::new(value.to_vec()) });
        }
    }
    out
}

/// The password fields of a `.pgpass` file (`\:` and `\\` unescaped).
fn pgpass(content: &[u8]) -> Vec<Piece> {
    let mut out = Vec::new();
    for line in content.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.starts_with(b"#") {
            continue;
        }
        let mut fields = 0;
        let mut field = Zeroizing::new(Vec::new());
        let mut i = 0;
        while i < line.len() {
            match line[i] {
                b'\\' if i + 1 < line.len() => {
                    field.push(line[i + 1]);
                    i += 1;
                }
                b':' if fields < 4 => {
                    fields += 1;
                    field.clear();
                }
                b => field.push(b),
            }
            i += 1;
        }
        if fields == 4 && !field.is_empty() {
            out.push(Piece { kind: PieceKind::Keyed("password".into()), value: field });
        }
    }
    out
}

/// Desktop-session variables whose names hold `session` but whose values are not
/// secrets (`XDG_SESSION_DESKTOP=ubuntu` would mask a common word everywhere).
fn is_desktop_session_var(name: &str) -> bool {
    name.starts_with("XDG_")
        || matches!(name, "DESKTOP_SESSION" | "SESSION_MANAGER" | "DBUS_SESSION_BUS_ADDRESS" | "GDMSESSION")
}

/// The last component of `path`, for rule ids.
fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// Is `path` inside one of `dirs` (compared after resolving symlinks when possible)?
fn inside_any(path: &Path, dirs: &[PathBuf]) -> bool {
    let resolved_parent = path.parent().and_then(|p| p.canonicalize().ok());
    dirs.iter().any(|d| {
        path.starts_with(d)
            || match (&resolved_parent, d.canonicalize()) {
                (Some(p), Ok(d)) => p.starts_with(d),
                _ => false,
            }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn desktop_session_variables_are_not_secrets() {
        let keys = KeyRules::default();
        let env = vec![
            ("XDG_SESSION_DESKTOP".to_owned(), Zeroizing::new(b"ubuntu-desktop".to_vec())),
            ("DESKTOP_SESSION".to_owned(), Zeroizing::new(b"ubuntu-session".to_vec())),
            ("USER_SESSION_SECRET".to_owned(), Zeroizing::new(b"real-Secret-5511".to_vec())),
        ];
        let dir = tempfile::tempdir().unwrap();
        let sources = KnownSources {
            run_secrets_dir: Some(dir.path().join("none")),
            k8s_token_path: Some(dir.path().join("none")),
            ..KnownSources::default()
        };
        let mut loader = Loader::new(&keys, Limits::default());
        loader.defaults(&sources, &env).unwrap();
        let rules: Vec<&str> = loader.values.iter().map(|v| v.rule.as_str()).collect();
        assert_eq!(rules, vec!["known:env:USER_SESSION_SECRET"]);
    }

    #[test]
    fn pgpass_takes_the_password_field_unescaped() {
        let got = pgpass(b"# comment\ndb:5432:app:alice:pl\\:um-Orbit\nbad-line\n*:*:*:bob:other-Secret-9\n");
        let values: Vec<Vec<u8>> = got.into_iter().map(|p| p.value.to_vec()).collect();
        assert_eq!(values, vec![b"pl:um-Orbit".to_vec(), b"other-Secret-9".to_vec()]);
    }

    #[test]
    fn aws_takes_secret_and_session_token_only() {
        let got = aws(b"[default]\naws_access_key_id = AKIAEXAMPLE123\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG\naws_session_token=FwoGZXIvYXdzEXAMPLE\n");
        let values: Vec<Vec<u8>> = got.into_iter().map(|p| p.value.to_vec()).collect();
        assert_eq!(values, vec![b"wJalrXUtnFEMI/K7MDENG".to_vec(), b"FwoGZXIvYXdzEXAMPLE".to_vec()]);
    }

    #[test]
    fn google_takes_private_key_lines_and_id() {
        let json = br#"{"type":"service_account","client_email":"a@b.iam","private_key_id":"0123456789abcdef0123","private_key":"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEF\n-----END PRIVATE KEY-----\n"}"#;
        let mut values: Vec<Vec<u8>> = google(json).into_iter().map(|p| p.value.to_vec()).collect();
        values.sort();
        assert_eq!(values, vec![b"0123456789abcdef0123".to_vec(), b"MIIEvQIBADANBgkqhkiG9w0BAQEF".to_vec()]);
    }
}
