//! The child's environment: `--scrub-env` and `--env-to-files DIR` (the `_FILE` convention).

use std::ffi::OsString;
use std::fs::{DirBuilder, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;

use nix::unistd::{Gid, Uid, chown};

use super::RunArgs;

/// `--files-owner UID[:GID]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Owner {
    uid: u32,
    gid: Option<u32>,
}

/// Parses `UID` or `UID:GID` (numbers).
pub(super) fn parse_owner(s: &str) -> Result<Owner, String> {
    let bad = || format!("invalid owner `{s}` (expected UID or UID:GID, as numbers)");
    let (uid, gid) = match s.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (s, None),
    };
    let uid = u32::from_str(uid).map_err(|_| bad())?;
    let gid = gid.map(u32::from_str).transpose().map_err(|_| bad())?;
    Ok(Owner { uid, gid })
}

/// What to change in the child's environment, and the files to remove afterwards.
#[derive(Debug, Default)]
pub(super) struct EnvPlan {
    remove: Vec<String>,
    set: Vec<(String, OsString)>,
    files: Vec<PathBuf>,
    /// The directory, when hush created it (then it is removed too).
    created_dir: Option<PathBuf>,
}

impl EnvPlan {
    /// Applies the plan to the child's command.
    pub(super) fn apply(&self, cmd: &mut Command) {
        for name in &self.remove {
            cmd.env_remove(name);
        }
        for (name, value) in &self.set {
            cmd.env(name, value);
        }
    }

    /// Removes the written files (and the directory when hush created it).
    pub(super) fn cleanup(&self) {
        for file in &self.files {
            if let Err(e) = std::fs::remove_file(file) {
                super::warn(format_args!("cannot remove {}: {e}", file.display()));
            }
        }
        if let Some(dir) = &self.created_dir {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// Names of the sensitive variables of this process, excluding `*_FILE` paths.
fn sensitive_vars(redactor: &hush::Redactor) -> Vec<(String, String)> {
    let vars: Vec<(String, String)> = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .filter(|(k, _)| !k.ends_with("_FILE"))
        .collect();
    let names = hush::env::sensitive_names(vars.iter().cloned(), redactor);
    vars.into_iter().filter(|(k, _)| names.iter().any(|(n, _)| n == k)).collect()
}

/// Works out the environment changes and writes the `--env-to-files` files.
pub(super) fn prepare(args: &RunArgs, redactor: &hush::Redactor) -> Result<EnvPlan, String> {
    let mut plan = EnvPlan::default();
    if !args.scrub_env && args.env_to_files.is_none() {
        return Ok(plan);
    }
    let vars = sensitive_vars(redactor);
    if let Some(dir) = &args.env_to_files
        && let Err(e) = write_files(dir, args.files_owner, &vars, &mut plan)
    {
        plan.cleanup();
        return Err(e);
    }
    plan.remove.extend(vars.into_iter().map(|(name, _)| name));
    Ok(plan)
}

fn write_files(dir: &Path, owner: Option<Owner>, vars: &[(String, String)], plan: &mut EnvPlan) -> Result<(), String> {
    let at = |path: &Path, e: std::io::Error| format!("{}: {e}", path.display());
    let dir = std::path::absolute(dir).map_err(|e| at(dir, e))?;
    if !dir.is_dir() {
        DirBuilder::new().recursive(true).mode(0o700).create(&dir).map_err(|e| at(&dir, e))?;
        plan.created_dir = Some(dir.clone());
    }
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).map_err(|e| at(&dir, e))?;
    if let Some(owner) = owner {
        set_owner(&dir, owner)?;
    }
    for (name, value) in vars {
        // A name that is not a plain file name stays in the environment (then scrubbed).
        if name.is_empty() || name.contains('/') || name.starts_with('.') {
            continue;
        }
        let path = dir.join(name);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(at(&path, e)),
        }
        let mut file =
            OpenOptions::new().write(true).create_new(true).mode(0o400).open(&path).map_err(|e| at(&path, e))?;
        plan.files.push(path.clone());
        file.write_all(value.as_bytes()).and_then(|()| file.sync_all()).map_err(|e| at(&path, e))?;
        if let Some(owner) = owner {
            set_owner(&path, owner)?;
        }
        plan.set.push((format!("{name}_FILE"), path.into_os_string()));
    }
    Ok(())
}

fn set_owner(path: &Path, owner: Owner) -> Result<(), String> {
    chown(path, Some(Uid::from_raw(owner.uid)), owner.gid.map(Gid::from_raw))
        .map_err(|e| format!("{}: cannot set owner {}: {}", path.display(), owner.uid, e.desc()))
}
