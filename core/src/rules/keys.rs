//! Key rules: is a name (`DB_PASSWORD`, `apiKey`, `x-auth-token`) bound to a secret?
//!
//! A name is split into lower-case words (snake, kebab, dot, camel and SCREAMING case),
//! then judged in tiers:
//! 1. the user's `allow` list wins, then the user's `deny` list;
//! 2. known false positives (`public_key`, `max_tokens` …) and names whose last word is a
//!    metadata word (`SESSION_TIMEOUT`, `TOKEN_URL`) are not sensitive;
//! 3. a *strong* word (`password`, `token`, `secret` …) matches in any position, and also
//!    as the tail of a glued word (`dbpassword`, `ACCESSTOKEN`);
//! 4. a *weak* word (`key`, `pass`, `pin`, `auth`) matches only as the last word.

use crate::RuleId;

mod index;
mod memo;

/// Strong words: sensitive in any position of a name.
pub const STRONG_WORDS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "credential",
    "private_key",
    "privatekey",
    "api_key",
    "apikey",
    "authorization",
    "cookie",
    "session",
    "csrf",
    "xsrf",
    "signature",
    "dsn",
    "connection_string",
    "connectionstring",
];

/// Weak words: sensitive only as the last word (or the whole name).
pub const WEAK_WORDS: &[&str] = &["key", "pass", "pin", "auth"];

/// Metadata words: a name ending in one of these describes a secret, it is not one.
pub const METADATA_WORDS: &[&str] = &[
    "id",
    "ids",
    "name",
    "names",
    "type",
    "count",
    "length",
    "len",
    "size",
    "min",
    "max",
    "ttl",
    "timeout",
    "expiry",
    "expires",
    "expiration",
    "age",
    "days",
    "seconds",
    "url",
    "uri",
    "endpoint",
    "host",
    "path",
    "dir",
    "file",
    "header",
    "param",
    "field",
    "enabled",
    "secure",
    "domain",
    "algorithm",
    "policy",
    "format",
    "version",
    "issuer",
    "provider",
    "mode",
    "prefix",
    "samesite",
    "httponly",
    "required",
];

/// Names that look sensitive but are not (normalised to snake case). A name equal to one
/// of these, or ending with one of them as whole words, is kept.
pub const EXCLUDED_NAMES: &[&str] = &[
    "public_key",
    "publickey",
    "key_id",
    "access_key_id",
    "client_id",
    "keyboard",
    "monkey",
    "token_count",
    "max_tokens",
    "tokenizer",
    "passthrough",
    "primary_key",
    "foreign_key",
    "sort_key",
    "partition_key",
    "cache_key",
    "idempotency_key",
    "session_affinity",
];

/// The key-rule lists. Defaults are the constants above; a config can extend or replace them.
#[derive(Clone, Debug)]
pub struct KeyRules {
    strong: Vec<Word>,
    weak: Vec<Word>,
    metadata: Vec<String>,
    excluded: Vec<Vec<String>>,
    deny: Vec<Vec<String>>,
    allow: Vec<Vec<String>>,
    /// The lists above indexed by word; rebuilt by every method that changes them.
    index: index::Index,
}

/// A list entry split into words, with its glued form and interned rule id.
#[derive(Clone, Debug)]
struct Word {
    words: Vec<String>,
    glued: Vec<u8>,
    rule: RuleId,
}

impl Word {
    fn new(entry: &str) -> Self {
        let words = split_words(entry.as_bytes());
        Word { rule: RuleId::new(&format!("key:{}", words.join("_"))), glued: words.concat().into_bytes(), words }
    }
}

/// A name split into lower-case words without allocating (names up to 128 bytes).
struct Split {
    buf: [u8; 128],
    ranges: [(u8, u8); 32],
    n: usize,
}

impl Split {
    fn new(name: &[u8]) -> Option<Split> {
        if name.len() > 128 {
            return None;
        }
        let mut s = Split { buf: [0; 128], ranges: [(0, 0); 32], n: 0 };
        let mut start: Option<usize> = None;
        for (i, &c) in name.iter().enumerate() {
            s.buf[i] = c.to_ascii_lowercase();
            if !c.is_ascii_alphanumeric() {
                if let Some(st) = start.take() {
                    s.push(st, i)?;
                }
                continue;
            }
            if let Some(st) = start {
                let prev = name[i - 1];
                let next_lower = name.get(i + 1).is_some_and(u8::is_ascii_lowercase);
                if c.is_ascii_uppercase()
                    && (prev.is_ascii_lowercase() || prev.is_ascii_digit() || (prev.is_ascii_uppercase() && next_lower))
                {
                    s.push(st, i)?;
                    start = Some(i);
                }
            } else {
                start = Some(i);
            }
        }
        if let Some(st) = start {
            s.push(st, name.len())?;
        }
        Some(s)
    }

    fn push(&mut self, a: usize, b: usize) -> Option<()> {
        *self.ranges.get_mut(self.n)? = (a as u8, (b.min(128)) as u8);
        self.n += 1;
        Some(())
    }

    fn word(&self, i: usize) -> &[u8] {
        let (a, b) = self.ranges[i];
        &self.buf[usize::from(a)..usize::from(b)]
    }

    fn len(&self) -> usize {
        self.n
    }

    fn eq_list(&self, entry: &[String]) -> bool {
        self.n == entry.len() && (0..self.n).all(|i| self.word(i) == entry[i].as_bytes())
    }

    fn ends_with(&self, entry: &[String]) -> bool {
        !entry.is_empty()
            && self.n >= entry.len()
            && entry.iter().enumerate().all(|(j, e)| self.word(self.n - entry.len() + j) == e.as_bytes())
    }

    /// Does the name hold `entry`'s words from word `i` on (the last one maybe plural)?
    fn contains_at(&self, i: usize, entry: &[String]) -> bool {
        let k = entry.len();
        k > 0
            && i + k <= self.n
            && entry.iter().enumerate().all(|(j, e)| {
                let w = self.word(i + j);
                if j + 1 == k { eq_word(w, e.as_bytes()) } else { w == e.as_bytes() }
            })
    }
}

impl Default for KeyRules {
    fn default() -> Self {
        KeyRules::new(STRONG_WORDS, WEAK_WORDS, METADATA_WORDS, EXCLUDED_NAMES)
    }
}

impl KeyRules {
    /// Builds key rules from explicit lists.
    pub fn new<S: AsRef<str>>(strong: &[S], weak: &[S], metadata: &[S], excluded: &[S]) -> Self {
        let mut rules = KeyRules {
            strong: strong.iter().map(|s| Word::new(s.as_ref())).collect(),
            weak: weak.iter().map(|s| Word::new(s.as_ref())).collect(),
            metadata: metadata.iter().map(|s| s.as_ref().to_ascii_lowercase()).collect(),
            excluded: excluded.iter().map(|s| split_words(s.as_ref().as_bytes())).collect(),
            deny: Vec::new(),
            allow: Vec::new(),
            index: index::Index::default(),
        };
        rules.reindex();
        rules
    }

    fn reindex(&mut self) {
        self.index = index::Index::new(self);
    }

    /// Adds names that are always sensitive (matched as whole names, any casing).
    pub fn deny<S: AsRef<str>>(&mut self, names: &[S]) {
        self.deny.extend(names.iter().map(|s| split_words(s.as_ref().as_bytes())));
        self.reindex();
    }

    /// Adds names that are never sensitive (matched as whole names, any casing).
    pub fn allow<S: AsRef<str>>(&mut self, names: &[S]) {
        self.allow.extend(names.iter().map(|s| split_words(s.as_ref().as_bytes())));
        self.reindex();
    }

    /// Adds strong words.
    pub fn add_strong<S: AsRef<str>>(&mut self, words: &[S]) {
        self.strong.extend(words.iter().map(|s| Word::new(s.as_ref())));
        self.reindex();
    }

    /// Adds weak words.
    pub fn add_weak<S: AsRef<str>>(&mut self, words: &[S]) {
        self.weak.extend(words.iter().map(|s| Word::new(s.as_ref())));
        self.reindex();
    }

    /// Adds metadata words.
    pub fn add_metadata<S: AsRef<str>>(&mut self, words: &[S]) {
        self.metadata.extend(words.iter().map(|s| s.as_ref().to_ascii_lowercase()));
        self.reindex();
    }

    /// Adds excluded names.
    pub fn add_excluded<S: AsRef<str>>(&mut self, names: &[S]) {
        self.excluded.extend(names.iter().map(|s| split_words(s.as_ref().as_bytes())));
        self.reindex();
    }

    /// The literals the prefilter must find so that every sensitive name is seen, already in
    /// the casings names use (`pass`, `PASS`, `Pass`): a case-sensitive search stays on the
    /// fast packed searcher, which an ASCII-case-insensitive one does not.
    ///
    /// A multi-word entry needs its own literals only when no single-word entry is inside it
    /// (`api_key=` is found through `key=`; `connection_string` needs its own).
    pub(crate) fn literals(&self) -> Vec<String> {
        let singles: Vec<&str> =
            self.strong.iter().chain(&self.weak).filter(|w| w.words.len() == 1).map(|w| w.words[0].as_str()).collect();
        let mut out: Vec<String> = Vec::new();
        let add_word = |w: &str, out: &mut Vec<String>| {
            out.push(w.to_owned());
            out.push(w.to_ascii_uppercase());
            out.push(title(w));
        };
        for w in &self.weak {
            if let [word] = w.words.as_slice() {
                // A weak word only counts as a name's last word, and a key construct needs a
                // delimiter next: search for the word with what may follow it (a closing quote,
                // a blank, an ANSI escape, `=`, `:`, `>`), not the bare word that occurs in
                // `KEYBOARD_LAYOUT`, `/api/keys/` and `/auth/refresh`.
                for cased in [word.clone(), word.to_ascii_uppercase(), title(word)] {
                    let plural = if cased.bytes().all(|b| b.is_ascii_uppercase()) { "S" } else { "s" };
                    for stem in [cased.clone(), format!("{cased}{plural}")] {
                        for next in ["\"", "'", "`", " ", "\t", "\u{1b}", "=", ":", ">"] {
                            out.push(format!("{stem}{next}"));
                        }
                    }
                }
            }
        }
        for w in self.strong.iter().chain(&self.weak) {
            if w.words.len() == 1 {
                if self.strong.iter().any(|s| s.words == w.words) {
                    add_word(&w.words[0], &mut out);
                }
            } else if !w.words.iter().any(|p| singles.contains(&p.as_str())) {
                for sep in ["_", "-", ""] {
                    let joined = w.words.join(sep);
                    add_word(&joined, &mut out);
                }
                let camel: String = w.words.iter().map(|p| title(p)).collect();
                out.push(camel[..1].to_ascii_lowercase() + &camel[1..]);
                out.push(camel);
            }
        }
        for d in &self.deny {
            if let Some(last) = d.last() {
                add_word(last, &mut out);
            }
        }
        // Drop literals that contain another: the shorter one finds them all.
        out.sort_by_key(|s| s.len());
        out.dedup();
        let mut kept: Vec<String> = Vec::new();
        for lit in out {
            if lit.len() >= 2 && !kept.iter().any(|k| lit.contains(k.as_str())) {
                kept.push(lit);
            }
        }
        kept
    }

    /// Is `name` sensitive, and by which rule? Returns `None` for names that are not.
    ///
    /// ```
    /// let rules = hush::KeyRules::default();
    /// assert_eq!(rules.classify("DB_PASSWORD").unwrap().as_str(), "key:password");
    /// assert_eq!(rules.classify("signingKey").unwrap().as_str(), "key:key");
    /// assert!(rules.classify("SESSION_TIMEOUT").is_none());
    /// assert!(rules.classify("author").is_none());
    /// ```
    pub fn classify(&self, name: &str) -> Option<RuleId> {
        self.classify_bytes(name.as_bytes())
    }

    pub(crate) fn classify_bytes(&self, name: &[u8]) -> Option<RuleId> {
        memo::classify(self.index.generation, name, || self.classify_uncached(name))
    }

    fn classify_uncached(&self, name: &[u8]) -> Option<RuleId> {
        let words = Split::new(name)?;
        if words.len() == 0 {
            return None;
        }
        if self.allow.iter().any(|a| words.eq_list(a)) {
            return None;
        }
        if self.deny.iter().any(|d| words.eq_list(d)) {
            let joined: Vec<&str> =
                (0..words.len()).map(|i| std::str::from_utf8(words.word(i)).unwrap_or("")).collect();
            return Some(RuleId::new(&format!("key:{}", joined.join("_"))));
        }
        self.index.classify(self, &words)
    }
}

fn eq_word(word: &[u8], entry: &[u8]) -> bool {
    word == entry || (word.len() == entry.len() + 1 && word.ends_with(b"s") && word.starts_with(entry))
}

fn title(w: &str) -> String {
    let mut t = w.to_owned();
    if let Some(first) = t.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    t
}

/// Splits a name into lower-case words on `_ - . space :` and camel-case boundaries
/// (`apiKey` → `api key`, `HTTPHeader` → `http header`). Digits stay with their word.
pub fn split_words(name: &[u8]) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let n = name.len();
    for i in 0..n {
        let c = name[i];
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if c.is_ascii_uppercase() && !cur.is_empty() {
            let prev = name[i - 1];
            let next_lower = i + 1 < n && name[i + 1].is_ascii_lowercase();
            if prev.is_ascii_lowercase() || prev.is_ascii_digit() || (prev.is_ascii_uppercase() && next_lower) {
                words.push(std::mem::take(&mut cur));
            }
        }
        cur.push(c.to_ascii_lowercase() as char);
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(name: &str) -> Option<String> {
        KeyRules::default().classify(name).map(|r| r.as_str().to_owned())
    }

    #[test]
    fn splits_names() {
        assert_eq!(split_words(b"DB_PASSWORD"), ["db", "password"]);
        assert_eq!(split_words(b"apiKey"), ["api", "key"]);
        assert_eq!(split_words(b"HTTPHeaderName"), ["http", "header", "name"]);
        assert_eq!(split_words(b"x-auth-token"), ["x", "auth", "token"]);
        assert_eq!(split_words(b"spring.datasource.password"), ["spring", "datasource", "password"]);
        assert_eq!(split_words(b"--db-pass"), ["db", "pass"]);
    }

    #[test]
    fn strong_words_match_anywhere() {
        for name in [
            "password",
            "DB_PASSWORD",
            "dbPassword",
            "passwd",
            "passphrase",
            "client_secret",
            "SECRET_KEY_BASE",
            "access_token",
            "X-Auth-Token",
            "credentials",
            "private_key",
            "apiKey",
            "api_key",
            "APIKEY",
            "Authorization",
            "cookie",
            "Set-Cookie",
            "session",
            "csrf_token",
            "xsrf",
            "signature",
            "SENTRY_DSN",
            "connection_string",
            "ConnectionString",
            "dbpassword",
            "PGPASSWORD",
            "githubtoken",
            "tokens",
            "secrets",
        ] {
            assert!(rule(name).is_some(), "{name} should be sensitive");
        }
        assert_eq!(rule("DB_PASSWORD").as_deref(), Some("key:password"));
        assert_eq!(rule("apiKey").as_deref(), Some("key:api_key"));
    }

    #[test]
    fn weak_words_match_last_only() {
        for name in ["key", "signing_key", "SIGNING_KEY", "pass", "db_pass", "pin", "auth", "basic_auth", "ssh_keys"] {
            assert!(rule(name).is_some(), "{name} should be sensitive");
        }
        for name in
            ["key_vault_url", "author", "authority", "oauth_provider", "pinned", "passenger", "keyspace", "auth_mode"]
        {
            assert!(rule(name).is_none(), "{name} should not be sensitive");
        }
    }

    #[test]
    fn metadata_words_are_kept() {
        for word in METADATA_WORDS {
            let name = format!("token_{word}");
            assert!(rule(&name).is_none(), "{name} ends in metadata word {word}");
        }
        for name in ["SESSION_TIMEOUT", "TOKEN_URL", "COOKIE_DOMAIN", "SIGNATURE_ALGORITHM", "PASSWORD_MIN_LENGTH"] {
            assert!(rule(name).is_none(), "{name}");
        }
    }

    #[test]
    fn excluded_names_are_kept() {
        for name in EXCLUDED_NAMES {
            assert!(rule(name).is_none(), "{name} is excluded");
            let upper = name.to_ascii_uppercase();
            assert!(rule(&upper).is_none(), "{upper} is excluded");
        }
        assert!(rule("ssh_public_key").is_none());
        assert!(rule("AWS_ACCESS_KEY_ID").is_none());
    }

    #[test]
    fn every_strong_and_weak_word_is_a_rule() {
        for w in STRONG_WORDS.iter().chain(WEAK_WORDS) {
            assert!(rule(w).is_some(), "{w}");
        }
    }

    #[test]
    fn deny_and_allow_lists() {
        let mut rules = KeyRules::default();
        rules.deny(&["MYSQL_ROOT_SECRETISH", "jdbc_url"]);
        rules.allow(&["session"]);
        assert_eq!(rules.classify("JDBC_URL").unwrap().as_str(), "key:jdbc_url");
        assert!(rules.classify("session").is_none());
        assert!(rules.classify("session_token").is_some());
    }

    #[test]
    fn literals_cover_every_word() {
        let rules = KeyRules::default();
        let lits = rules.literals();
        for w in STRONG_WORDS.iter().chain(WEAK_WORDS) {
            for form in [w.to_string(), w.to_ascii_uppercase()] {
                // As a key: followed by its delimiter (weak words are searched with it).
                let form = format!("{form}=");
                assert!(lits.iter().any(|l| form.contains(l.as_str())), "{form} has no literal");
            }
        }
        assert!(lits.contains(&"password".to_owned()) && lits.contains(&"pass=".to_owned()));
        assert!(
            !lits.contains(&"key".to_owned())
                && lits.contains(&"KEY:".to_owned())
                && lits.contains(&"keys\"".to_owned())
        );
        assert!(lits.contains(&"ConnectionString".to_owned()));
        assert!(!lits.contains(&"private".to_owned()));
    }

    /// The lists' meaning written out as a walk over every entry: what the index must agree with.
    fn classify_by_walk(k: &KeyRules, name: &[u8]) -> Option<RuleId> {
        let words = Split::new(name)?;
        let n = words.len();
        if n == 0 || k.allow.iter().any(|a| words.eq_list(a)) {
            return None;
        }
        if k.excluded.iter().any(|e| words.ends_with(e)) {
            return None;
        }
        let last = words.word(n - 1);
        if k.metadata.iter().any(|m| m.as_bytes() == last) {
            return None;
        }
        let glued_tail = |g: &[u8]| {
            g.len() >= 5
                && (0..n).any(|i| {
                    let w = words.word(i);
                    (w.len() > g.len() && w.ends_with(g))
                        || (w.len() > g.len() + 1 && w.ends_with(b"s") && w[..w.len() - 1].ends_with(g))
                })
        };
        for w in &k.strong {
            if (0..n).any(|i| words.contains_at(i, &w.words)) || glued_tail(&w.glued) {
                return Some(w.rule.clone());
            }
        }
        for w in &k.weak {
            if words.ends_with(&w.words) || (w.words.len() == 1 && eq_word(last, w.words[0].as_bytes())) {
                return Some(w.rule.clone());
            }
        }
        None
    }

    fn name_parts() -> Vec<String> {
        let mut parts: Vec<String> = ["db", "user", "x", "my", "s", "dbpassword", "apis", "signing", "max"]
            .iter()
            .map(|w| w.to_string())
            .collect();
        for list in [STRONG_WORDS, WEAK_WORDS, METADATA_WORDS, EXCLUDED_NAMES] {
            for entry in list {
                for w in split_words(entry.as_bytes()) {
                    parts.push(format!("{w}s"));
                    parts.push(w);
                }
            }
        }
        parts
    }

    proptest::proptest! {
        #[test]
        fn the_index_agrees_with_a_walk_over_the_lists(
            picks in proptest::collection::vec((proptest::sample::select(name_parts()), 0..4usize), 1..5),
            custom in proptest::bool::ANY,
        ) {
            let mut rules = KeyRules::default();
            if custom {
                rules.add_strong(&["session_secret", "sig"]);
                rules.add_weak(&["db"]);
                rules.add_metadata(&["hint"]);
                rules.add_excluded(&["my_token", "user_key"]);
            }
            let mut name = String::new();
            for (i, (word, style)) in picks.iter().enumerate() {
                match style {
                    0 if i > 0 => name.push('_'),
                    1 if i > 0 => name.push('-'),
                    2 => {
                        name.push_str(&word.to_ascii_uppercase());
                        continue;
                    }
                    3 => {
                        name.push_str(&format!("{}{}", word[..1].to_ascii_uppercase(), &word[1..]));
                        continue;
                    }
                    _ => {}
                }
                name.push_str(word);
            }
            proptest::prop_assert_eq!(
                rules.classify_bytes(name.as_bytes()),
                classify_by_walk(&rules, name.as_bytes()),
                "name {:?}",
                name
            );
        }
    }
}
