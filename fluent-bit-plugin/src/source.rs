//! Where the module's rules come from: `hush.toml` and a `secrets/` directory inside the
//! first directory Fluent Bit makes accessible (`accessible_paths`), or the built-in rules.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use hush::Redactor;
use zeroize::Zeroizing;

/// How often at most the secrets directory's mtime is checked.
pub const RELOAD_INTERVAL: Duration = Duration::from_secs(30);

/// The config file looked up in the directory.
pub const CONFIG_FILE: &str = "hush.toml";
/// The secrets directory looked up in the directory: every regular file is a known value.
pub const SECRETS_DIR: &str = "secrets";

/// A known value read from `secrets/<name>`.
pub(crate) struct Secret {
    pub(crate) name: String,
    pub(crate) value: Zeroizing<Vec<u8>>,
}

/// The rules in force and what they were built from.
pub(crate) struct Loaded {
    pub(crate) redactor: Redactor,
    /// Known values, kept to mask a trailing prefix of one (fail closed).
    pub(crate) secrets: Vec<Secret>,
}

/// Builds the redactor from `dir` (`None`: the built-in rules). Problems are returned as
/// messages that name files, never their contents.
pub(crate) fn load(dir: Option<&Path>, retained: &[Secret]) -> Result<Loaded, String> {
    let Some(dir) = dir else {
        return Ok(Loaded { redactor: Redactor::default(), secrets: Vec::new() });
    };
    let mut builder = Redactor::builder();
    let config_path = dir.join(CONFIG_FILE);
    match std::fs::read_to_string(&config_path) {
        Ok(text) => builder = builder.config_toml(&text).map_err(|e| format!("{}: {e}", config_path.display()))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("{}: {e}", config_path.display())),
    }
    let mut secrets = read_secrets(&dir.join(SECRETS_DIR))?;
    // Values known before stay masked: they can still be in flight after a rotation.
    for old in retained {
        if !secrets.iter().any(|s| s.value == old.value) {
            secrets.push(Secret { name: old.name.clone(), value: old.value.clone() });
        }
    }
    for s in &secrets {
        builder = builder.known_value_named(&format!("file:{}", s.name), &s.value);
    }
    let redactor = builder.build().map_err(|e| e.to_string())?;
    Ok(Loaded { redactor, secrets })
}

/// Reads every regular, non-hidden file in `dir` (a missing directory holds none).
/// Trailing line breaks are trimmed; values shorter than the core's minimum are skipped.
fn read_secrets(dir: &Path) -> Result<Vec<Secret>, String> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("{}: {e}", dir.display())),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {e}", dir.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        // Kubernetes keeps `..data` and timestamped directories next to the files.
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        if !std::fs::metadata(&path).is_ok_and(|m| m.is_file()) {
            continue;
        }
        let mut value = Zeroizing::new(std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?);
        while value.last().is_some_and(|b| matches!(b, b'\n' | b'\r')) {
            value.pop();
        }
        if value.len() >= MIN_SECRET_LEN {
            out.push(Secret { name, value });
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// The core refuses known values shorter than this.
const MIN_SECRET_LEN: usize = 6;

/// Watches the secrets directory's mtime, looking at most once per [`RELOAD_INTERVAL`].
pub(crate) struct Watch {
    pub(crate) dir: Option<PathBuf>,
    last_check: Option<Instant>,
    mtime: Option<SystemTime>,
}

impl Watch {
    pub(crate) fn new(dir: Option<PathBuf>) -> Self {
        let mtime = dir.as_deref().and_then(secrets_mtime);
        Watch { dir, last_check: None, mtime }
    }

    /// True when a check is due at `now` and the directory changed since the last load.
    pub(crate) fn changed(&mut self, now: Instant) -> bool {
        let Some(dir) = &self.dir else { return false };
        match self.last_check {
            None => {
                self.last_check = Some(now);
                return false;
            }
            Some(t) if now.saturating_duration_since(t) < RELOAD_INTERVAL => return false,
            Some(_) => self.last_check = Some(now),
        }
        let mtime = secrets_mtime(dir);
        if mtime == self.mtime {
            return false;
        }
        self.mtime = mtime;
        true
    }
}

fn secrets_mtime(dir: &Path) -> Option<SystemTime> {
    std::fs::metadata(dir.join(SECRETS_DIR)).and_then(|m| m.modified()).ok()
}
