//! [`Redactor`]: the compiled, immutable rule set, and its [`Builder`].

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use zeroize::Zeroizing;

use crate::engine::Engine;
use crate::known::{KnownSources, KnownValue};
use crate::mask::Masker;
use crate::rules::format::FormatRule;
use crate::rules::keys::KeyRules;
use crate::stream::RedactWriter;
use crate::{Error, Finding, JsonError, MaskStyle, Report, RuleId, RuleKind};

/// Default cap on the bytes of one line held in memory (longer lines are processed in windows).
pub const DEFAULT_LINE_CAP: usize = 1 << 20;

/// A compiled redactor: built once, immutable, `Send + Sync`, cheap to clone.
///
/// ```
/// let r = hush::Redactor::default();
/// assert_eq!(r.redact_str("DB_PASSWORD=plum-Orbit-4471"), "DB_PASSWORD=[REDACTED]");
/// ```
#[derive(Clone)]
pub struct Redactor {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) keys: KeyRules,
    pub(crate) masker: Masker,
    pub(crate) engine: Engine,
    pub(crate) line_cap: usize,
    pub(crate) builder: Builder,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redactor")
            .field("mask", &self.inner.masker.style())
            .field("rules", &self.inner.engine.rules().len())
            .field("known_values", &self.inner.engine.known_count())
            .finish_non_exhaustive()
    }
}

impl Default for Redactor {
    /// The built-in rules with the `redacted` mask. Reads no files and no environment.
    fn default() -> Self {
        Redactor::builder().build().expect("built-in rules compile")
    }
}

impl Redactor {
    /// Starts configuring a redactor.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// Builds a redactor from TOML config text (see the README for the keys).
    pub fn from_toml(text: &str) -> Result<Self, Error> {
        Builder::default().config_toml(text)?.build()
    }

    /// Redacts `input`. Borrows when nothing was found.
    pub fn redact<'a>(&self, input: &'a [u8]) -> Cow<'a, [u8]> {
        crate::stream::redact_all(self, input, None, None, None)
    }

    /// Redacts `input` and reports what was masked.
    pub fn redact_with_report<'a>(&self, input: &'a [u8]) -> (Cow<'a, [u8]>, Report) {
        let mut report = Report::default();
        let out = crate::stream::redact_all(self, input, Some(&mut report), None, None);
        (out, report)
    }

    /// Redacts `input` and says where the output differs from it: the [`Edit`](crate::Edit)s, in
    /// order (none when nothing was masked). Between edits the output is the input.
    ///
    /// ```
    /// let r = hush::Redactor::default();
    /// let input = b"user=app password=hunter22 host=db";
    /// let (out, edits) = r.redact_edits(input);
    /// assert_eq!(&out[..], b"user=app password=[REDACTED] host=db");
    /// assert_eq!(&input[edits[0].input.clone()], b"hunter22");
    /// assert_eq!(&out[edits[0].output.clone()], b"[REDACTED]");
    /// ```
    pub fn redact_edits<'a>(&self, input: &'a [u8]) -> (Cow<'a, [u8]>, Vec<crate::Edit>) {
        let mut edits = Vec::new();
        let out = crate::stream::redact_all(self, input, None, None, Some(&mut edits));
        if let Cow::Borrowed(_) = out {
            edits.clear();
        }
        (out, edits)
    }

    /// Redacts UTF-8 text. Masks are valid UTF-8 and whole characters are kept, so the
    /// result is valid UTF-8.
    pub fn redact_str<'a>(&self, input: &'a str) -> Cow<'a, str> {
        match self.redact(input.as_bytes()) {
            Cow::Borrowed(_) => Cow::Borrowed(input),
            Cow::Owned(bytes) => Cow::Owned(
                String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            ),
        }
    }

    /// Finds secrets without rewriting: rule, kind and byte span of each masked region.
    pub fn scan(&self, input: &[u8]) -> Vec<Finding> {
        let mut findings = Vec::new();
        let mut sink = |f: &Finding| findings.push(f.clone());
        crate::stream::redact_all(self, input, None, Some(&mut sink), None);
        findings
    }

    /// Is `name` a sensitive key name, and by which rule?
    ///
    /// ```
    /// let r = hush::Redactor::default();
    /// assert_eq!(r.key_rule("POSTGRES_PASSWORD").unwrap().as_str(), "key:password");
    /// assert!(r.key_rule("POSTGRES_USER").is_none());
    /// ```
    pub fn key_rule(&self, name: &str) -> Option<RuleId> {
        self.inner.keys.classify(name)
    }

    /// Redacts `value` as bound to `key`: the whole value is masked when the key is
    /// sensitive (and the value is not a placeholder); otherwise it is redacted as text.
    ///
    /// ```
    /// let r = hush::Redactor::default();
    /// assert_eq!(r.redact_value("api_key", b"abc123xyz").as_ref(), b"[REDACTED]");
    /// assert_eq!(r.redact_value("user", b"alice").as_ref(), b"alice");
    /// ```
    pub fn redact_value<'a>(&self, key: &str, value: &'a [u8]) -> Cow<'a, [u8]> {
        match self.key_rule(key) {
            Some(rule) => self.mask_whole_value(rule, value).0,
            // As text, collecting no findings: nobody reads them.
            None => self.redact(value),
        }
    }

    /// Like [`redact_value`](Self::redact_value), also returning the rule that fired.
    pub fn redact_value_with_rule<'a>(&self, key: &str, value: &'a [u8]) -> (Cow<'a, [u8]>, Option<Finding>) {
        if let Some(rule) = self.key_rule(key) {
            return self.mask_whole_value(rule, value);
        }
        let mut first = None;
        let mut sink = |f: &Finding| {
            if first.is_none() {
                first = Some(f.clone());
            }
        };
        let out = crate::stream::redact_all(self, value, None, Some(&mut sink), None);
        (out, first)
    }

    /// A value bound to a sensitive key: masked whole, unless it is a placeholder.
    fn mask_whole_value<'a>(&self, rule: RuleId, value: &'a [u8]) -> (Cow<'a, [u8]>, Option<Finding>) {
        if crate::engine::is_placeholder(value) {
            return (Cow::Borrowed(value), None);
        }
        let mut out = Vec::new();
        self.inner.masker.write(&mut out, &rule, value, 0);
        let f = Finding { rule, kind: RuleKind::Key, start: 0, end: value.len(), truncated: false };
        (Cow::Owned(out), Some(f))
    }

    /// Redacts JSON text in one pass: keys at any depth act as key rules, every string value
    /// is also redacted as text, and the output is valid JSON with the same keys.
    pub fn redact_json<'a>(&self, input: &'a [u8]) -> Result<Cow<'a, [u8]>, JsonError> {
        crate::json::redact_json(self, input, None)
    }

    /// Like [`redact_json`](Self::redact_json), also reporting what was masked.
    pub fn redact_json_with_report<'a>(&self, input: &'a [u8]) -> Result<(Cow<'a, [u8]>, Report), JsonError> {
        let mut report = Report::default();
        let out = crate::json::redact_json(self, input, Some(&mut report))?;
        Ok((out, report))
    }

    /// Like [`redact_json`](Self::redact_json), for one record after another: buffers and
    /// caches are kept in `scratch` from call to call. `None` when nothing changed (the
    /// input stands as it is), else the redacted JSON, held in `scratch` until its next use.
    ///
    /// ```
    /// let r = hush::Redactor::default();
    /// let mut scratch = hush::JsonScratch::new();
    /// let out = r.redact_json_reusing(br#"{"password":"hunter22"}"#, &mut scratch).unwrap();
    /// assert_eq!(out, Some(&br#"{"password":"[REDACTED]"}"#[..]));
    /// assert_eq!(r.redact_json_reusing(br#"{"user":"bob"}"#, &mut scratch).unwrap(), None);
    /// ```
    pub fn redact_json_reusing<'s>(
        &self,
        input: &[u8],
        scratch: &'s mut crate::JsonScratch,
    ) -> Result<Option<&'s [u8]>, JsonError> {
        let changed = crate::json::redact_json_into(self, input, scratch, None, None)?;
        Ok(changed.then(|| scratch.output()))
    }

    /// Like [`redact_json_reusing`](Self::redact_json_reusing), also telling `visit` about
    /// every string value of the output (with the member name it belongs to) and every
    /// container as it opens, in document order: a caller that looks at the redacted
    /// values does not have to parse the output again. Events before an error are
    /// reported too.
    ///
    /// ```
    /// use hush::JsonEvent;
    /// let r = hush::Redactor::default();
    /// let mut scratch = hush::JsonScratch::new();
    /// let input = br#"{"a":{"pin":1234},"b":["x"]}"#;
    /// let mut events = Vec::new();
    /// let out = r.redact_json_visiting(input, &mut scratch, &mut |e| events.push(e)).unwrap().unwrap();
    /// assert_eq!(out, br#"{"a":{"pin":"[REDACTED]"},"b":["x"]}"#);
    /// let [_, _, JsonEvent::Str { key, value }, _, JsonEvent::Str { key: k2, value: v2 }] = &events[..] else {
    ///     panic!("unexpected events")
    /// };
    /// assert_eq!((&input[key.clone()], &out[value.clone()]), (&b"pin"[..], &b"[REDACTED]"[..]));
    /// assert_eq!((&input[k2.clone()], &out[v2.clone()]), (&b"b"[..], &b"x"[..]));
    /// ```
    pub fn redact_json_visiting<'s>(
        &self,
        input: &[u8],
        scratch: &'s mut crate::JsonScratch,
        visit: &mut dyn FnMut(crate::JsonEvent),
    ) -> Result<Option<&'s [u8]>, JsonError> {
        let changed = crate::json::redact_json_into(self, input, scratch, None, Some(visit))?;
        Ok(changed.then(|| scratch.output()))
    }

    /// A streaming writer that redacts into `sink`; see [`RedactWriter`].
    pub fn stream<W: std::io::Write>(&self, sink: W) -> RedactWriter<W> {
        RedactWriter::new(self.clone(), sink)
    }

    /// The mask style in use.
    pub fn mask_style(&self) -> MaskStyle {
        self.inner.masker.style()
    }

    /// The keyed fingerprint (16 hex digits) of a secret, when a hash key is configured.
    pub fn fingerprint(&self, secret: &[u8]) -> Option<String> {
        self.inner.masker.fingerprint(secret)
    }

    /// Every rule, active and inactive: format rules, key rules and known-value sources.
    pub fn rules(&self) -> Vec<crate::RuleInfo> {
        self.inner.engine.rule_infos()
    }

    /// Warnings from building (skipped sources, skipped rules in lenient mode). Never
    /// contain secret values.
    pub fn warnings(&self) -> &[String] {
        self.inner.engine.warnings()
    }

    /// Rebuilds the redactor from the same configuration and sources (re-reading secret
    /// files). Values known before are kept, since they can still appear in output in
    /// flight. On error the caller keeps using `self`.
    pub fn reload(&self) -> Result<Redactor, Error> {
        let mut builder = self.inner.builder.clone();
        builder.retained.extend(self.inner.engine.loaded_known().iter().cloned());
        builder.build()
    }

    /// Self-test of the known values (`hush selftest`): runs each loaded known value and
    /// each of its encoded forms, inside a line of text, through this redactor and counts
    /// the forms that come out unmasked. Only rule ids and counts leave the core.
    pub fn check_known_values(&self) -> Vec<KnownValueCheck> {
        self.inner
            .engine
            .loaded_known()
            .iter()
            .map(|k| {
                let forms = crate::known::encoded_forms(&k.value);
                let survived = forms
                    .iter()
                    .map(|(form, _)| form.as_slice())
                    .filter(|form| {
                        let mut line = Zeroizing::new(b"selftest ".to_vec());
                        line.extend_from_slice(form);
                        line.extend_from_slice(b" end\n");
                        let out = Zeroizing::new(self.redact(&line).into_owned());
                        memchr::memmem::find(&out, form).is_some()
                    })
                    .count();
                KnownValueCheck { rule: k.rule.clone(), forms: forms.len(), survived }
            })
            .collect()
    }

    /// Is `other` this very redactor (a clone of the same build)?
    pub(crate) fn same_as(&self, other: &Redactor) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    pub(crate) fn masker(&self) -> &Masker {
        &self.inner.masker
    }

    pub(crate) fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    pub(crate) fn keys(&self) -> &KeyRules {
        &self.inner.keys
    }

    pub(crate) fn line_cap(&self) -> usize {
        self.inner.line_cap
    }
}

/// The result of [`Redactor::check_known_values`] for one known value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownValueCheck {
    /// The known value's rule id (`known:file:db_password`), never the value.
    pub rule: String,
    /// Forms tried: the value and its encodings.
    pub forms: usize,
    /// Forms that were not masked.
    pub survived: usize,
}

/// Where a gitleaks rule file comes from.
#[derive(Clone, Debug)]
pub(crate) enum GitleaksSource {
    Text(String),
    #[cfg(feature = "fs")]
    File(std::path::PathBuf),
}

impl GitleaksSource {
    /// Reads (for a file) and imports the rules; errors name the file.
    pub(crate) fn import(&self, lenient: bool) -> Result<crate::gitleaks::Imported, Error> {
        match self {
            GitleaksSource::Text(text) => crate::gitleaks::import(text, lenient),
            #[cfg(feature = "fs")]
            GitleaksSource::File(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    Error::new(crate::ErrorKind::Source, format!("cannot read gitleaks file: {}", e.kind()))
                        .with_file(path)
                })?;
                crate::gitleaks::import(&text, lenient).map_err(|e| e.with_file(path))
            }
        }
    }
}

/// Configures and compiles a [`Redactor`].
///
/// ```
/// use hush::{MaskStyle, Redactor};
/// let r = Redactor::builder()
///     .mask(MaskStyle::Label)
///     .known_value(b"plum-Orbit-4471")
///     .build()
///     .unwrap();
/// assert_eq!(r.redact_str("login with plum-Orbit-4471 failed"), "login with [REDACTED:known:api:1] failed");
/// ```
#[derive(Clone, Default)]
pub struct Builder {
    pub(crate) mask: MaskStyle,
    pub(crate) hash_key: Option<Zeroizing<Vec<u8>>>,
    pub(crate) keys: Option<KeyRules>,
    pub(crate) deny_keys: Vec<String>,
    pub(crate) allow_keys: Vec<String>,
    pub(crate) extra_metadata: Vec<String>,
    pub(crate) format_rules: Vec<FormatRule>,
    pub(crate) gitleaks: Vec<GitleaksSource>,
    pub(crate) lenient: bool,
    pub(crate) disabled: Vec<String>,
    pub(crate) allow_values: Vec<Zeroizing<Vec<u8>>>,
    pub(crate) allow_regexes: Vec<String>,
    pub(crate) known: Vec<KnownValue>,
    pub(crate) sources: KnownSources,
    pub(crate) retained: Vec<KnownValue>,
    pub(crate) line_cap: Option<usize>,
    pub(crate) builtin_formats: Option<bool>,
    /// The SIMD prefilter is not to be used (see [`Builder::vector_prefilter`]).
    pub(crate) no_vector_prefilter: bool,
}

impl fmt::Debug for Builder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Builder")
            .field("mask", &self.mask)
            .field("format_rules", &self.format_rules.len())
            .field("known_values", &self.known.len())
            .finish_non_exhaustive()
    }
}

impl Builder {
    /// Sets the mask style (default `redacted`).
    pub fn mask(mut self, style: MaskStyle) -> Self {
        self.mask = style;
        self
    }

    /// Sets the key for the `hash` mask and for fingerprints (at least 16 bytes).
    pub fn hash_key(mut self, key: &[u8]) -> Self {
        self.hash_key = Some(Zeroizing::new(key.to_vec()));
        self
    }

    /// Reads the hash key from a file, now. One trailing newline (`\n` or `\r\n`, as
    /// `echo` writes) is not part of the key; the bytes are zeroized after use. Errors name
    /// the file and the reason, never its content.
    ///
    /// ```
    /// let dir = tempfile::tempdir().unwrap();
    /// let path = dir.path().join("hush.key");
    /// std::fs::write(&path, "0123456789abcdef-key\n").unwrap();
    /// let r = hush::Redactor::builder().hash_key_file(&path).unwrap().mask(hush::MaskStyle::Hash).build().unwrap();
    /// let same = hush::Redactor::builder().hash_key(b"0123456789abcdef-key").mask(hush::MaskStyle::Hash).build().unwrap();
    /// assert_eq!(r.redact(b"password=hunter22"), same.redact(b"password=hunter22"));
    /// ```
    #[cfg(feature = "fs")]
    pub fn hash_key_file(self, path: impl AsRef<std::path::Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let key = Zeroizing::new(std::fs::read(path).map_err(|e| {
            Error::new(crate::ErrorKind::Source, format!("cannot read hash_key_file: {}", e.kind())).with_file(path)
        })?);
        let key = key.strip_suffix(b"\n").map_or(&key[..], |k| k.strip_suffix(b"\r").unwrap_or(k));
        Ok(self.hash_key(key))
    }

    /// Replaces the key-rule lists.
    pub fn key_rules(mut self, rules: KeyRules) -> Self {
        self.keys = Some(rules);
        self
    }

    /// Names that are always sensitive.
    pub fn deny_keys<S: AsRef<str>>(mut self, names: &[S]) -> Self {
        self.deny_keys.extend(names.iter().map(|s| s.as_ref().to_owned()));
        self
    }

    /// Names that are never sensitive.
    pub fn allow_keys<S: AsRef<str>>(mut self, names: &[S]) -> Self {
        self.allow_keys.extend(names.iter().map(|s| s.as_ref().to_owned()));
        self
    }

    /// Adds a format rule.
    pub fn format_rule(mut self, rule: FormatRule) -> Self {
        self.format_rules.push(rule);
        self
    }

    /// Turns the built-in format catalogue on or off (structural rules stay).
    pub fn builtin_formats(mut self, on: bool) -> Self {
        self.builtin_formats = Some(on);
        self
    }

    /// Imports rules from gitleaks TOML text: keywords, allowlists, `secretGroup` and
    /// `entropy` are honoured; path-only rules are listed as inactive.
    ///
    /// ```
    /// let rules = r#"
    /// [[rules]]
    /// id = "acme-token"
    /// regex = '''acme_[a-z0-9]{24}'''
    /// keywords = ["acme_"]
    /// "#;
    /// let r = hush::Redactor::builder().gitleaks_toml(rules).build().unwrap();
    /// assert_eq!(r.redact_str("key acme_0123456789abcdefghijklmn"), "key [REDACTED]");
    /// ```
    pub fn gitleaks_toml(mut self, text: &str) -> Self {
        self.gitleaks.push(GitleaksSource::Text(text.to_owned()));
        self
    }

    /// Imports rules from a gitleaks TOML file, read when the redactor is built (and again
    /// on [`Redactor::reload`]). Errors name the file and line.
    #[cfg(feature = "fs")]
    pub fn gitleaks_file(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.gitleaks.push(GitleaksSource::File(path.into()));
        self
    }

    /// In lenient mode, rules that fail to compile are skipped and listed in
    /// [`Redactor::warnings`] instead of failing the build.
    pub fn lenient(mut self, on: bool) -> Self {
        self.lenient = on;
        self
    }

    /// Disables a rule by id.
    pub fn disable(mut self, rule_id: &str) -> Self {
        self.disabled.push(rule_id.to_owned());
        self
    }

    /// A value that is never masked (such as a documented example key).
    pub fn allow_value(mut self, value: &[u8]) -> Self {
        self.allow_values.push(Zeroizing::new(value.to_vec()));
        self
    }

    /// A regex: secrets it matches are never masked.
    pub fn allow_regex(mut self, regex: &str) -> Self {
        self.allow_regexes.push(regex.to_owned());
        self
    }

    /// A known secret value, matched anywhere (and in its encoded forms). Its rule id is
    /// `known:api:<n>`, counting from 1.
    pub fn known_value(mut self, value: &[u8]) -> Self {
        let n = self.known.iter().filter(|k| k.is_api()).count() + 1;
        self.known.push(KnownValue::new(format!("known:api:{n}"), value, true));
        self
    }

    /// A known secret value with a rule id of your choosing (`known:<name>`).
    pub fn known_value_named(mut self, name: &str, value: &[u8]) -> Self {
        self.known.push(KnownValue::new(format!("known:{name}"), value, true));
        self
    }

    /// Reads every regular file in `dir` as a secret (see the known-values docs).
    #[cfg(feature = "fs")]
    pub fn secrets_dir(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.sources.secrets_dirs.push(dir.into());
        self
    }

    /// Reads a file holding one known value per line.
    #[cfg(feature = "fs")]
    pub fn known_file(mut self, file: impl Into<std::path::PathBuf>) -> Self {
        self.sources.known_files.push(file.into());
        self
    }

    /// Turns the default sources on or off: `/run/secrets`, sensitive `*_FILE` variables,
    /// sensitive environment variables, the Kubernetes service-account token and the
    /// credential files named by `GOOGLE_APPLICATION_CREDENTIALS`,
    /// `AWS_SHARED_CREDENTIALS_FILE` and `PGPASSFILE`. Off unless asked for; the
    /// environment is read when the redactor is built (see [`environment`](Self::environment)).
    #[cfg(all(feature = "fs", feature = "env"))]
    pub fn default_sources(mut self, on: bool) -> Self {
        self.sources.defaults = on;
        self
    }

    /// The environment the default sources read, instead of the process environment:
    /// for tests and for front ends that run a child with its own environment. Values are
    /// held in zeroize-on-drop buffers.
    ///
    /// ```
    /// let dir = std::env::temp_dir().join("hush-doc-no-such-dir");
    /// let r = hush::Redactor::builder()
    ///     .default_sources(true)
    ///     .default_secrets_dir(&dir)
    ///     .service_account_token_path(dir.join("token"))
    ///     .environment([("API_TOKEN", "tok-9f8e7d6c5b"), ("LOG_LEVEL", "debug-verbose")])
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(r.redact_str("sent tok-9f8e7d6c5b at debug-verbose"), "sent [REDACTED] at debug-verbose");
    /// ```
    #[cfg(all(feature = "fs", feature = "env"))]
    pub fn environment<I, K, V>(mut self, vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<std::ffi::OsStr>,
        V: AsRef<std::ffi::OsStr>,
    {
        let vars = vars
            .into_iter()
            .map(|(k, v)| {
                (k.as_ref().to_string_lossy().into_owned(), Zeroizing::new(v.as_ref().as_encoded_bytes().to_vec()))
            })
            .collect();
        self.sources.env = Some(vars);
        self
    }

    /// The directory the default sources read instead of `/run/secrets` (tests, or a
    /// platform that mounts secrets elsewhere).
    #[cfg(all(feature = "fs", feature = "env"))]
    pub fn default_secrets_dir(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.sources.run_secrets_dir = Some(dir.into());
        self
    }

    /// The Kubernetes service-account token file the default sources read instead of
    /// `/var/run/secrets/kubernetes.io/serviceaccount/token`.
    #[cfg(all(feature = "fs", feature = "env"))]
    pub fn service_account_token_path(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.sources.k8s_token_path = Some(path.into());
        self
    }

    /// Shortest known value, in bytes (default 6). Loaded values below it are skipped with
    /// a warning; an explicit value below it is a build error.
    pub fn known_min_len(mut self, bytes: usize) -> Self {
        self.sources.limits.min_len = bytes.max(1);
        self
    }

    /// Largest secret file read, in bytes (default 64 KiB); bigger files are skipped with a
    /// warning. Known-value files may be 256 times bigger.
    pub fn known_max_file_size(mut self, bytes: u64) -> Self {
        self.sources.limits.max_file_size = bytes;
        self
    }

    /// Whether the literal scan may use its SIMD prefilter (default: yes, where the CPU has
    /// AVX-512 VBMI or AVX2, or in a wasm build with `simd128`). Without it the automaton is
    /// walked in lanes, the portable path: the output is the same, so this is for comparing
    /// the two (tests, benchmarks).
    pub fn vector_prefilter(mut self, enabled: bool) -> Self {
        self.no_vector_prefilter = !enabled;
        self
    }

    /// Sets the per-line memory cap (default 1 MiB).
    pub fn line_cap(mut self, bytes: usize) -> Self {
        self.line_cap = Some(bytes);
        self
    }

    /// Applies a parsed config on top of this builder.
    pub fn config(self, config: &crate::config::Config) -> Result<Self, Error> {
        config.apply(self)
    }

    /// Parses TOML config text and applies it.
    pub fn config_toml(self, text: &str) -> Result<Self, Error> {
        let config = crate::config::Config::from_toml(text)?;
        config.apply(self)
    }

    /// Compiles the redactor.
    pub fn build(&self) -> Result<Redactor, Error> {
        let masker = Masker::new(self.mask, self.hash_key.clone())?;
        let mut keys = self.keys.clone().unwrap_or_default();
        keys.deny(&self.deny_keys);
        keys.allow(&self.allow_keys);
        keys.add_metadata(&self.extra_metadata);
        let line_cap = self.line_cap.unwrap_or(DEFAULT_LINE_CAP).max(4096);
        let engine = Engine::build(self, &keys, line_cap)?;
        Ok(Redactor { inner: Arc::new(Inner { keys, masker, engine, line_cap, builder: self.clone() }) })
    }
}
