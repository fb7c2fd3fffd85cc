use super::*;
use crate::Redactor;

fn build(text: &str) -> Redactor {
    Redactor::from_toml(text).unwrap()
}

/// A fresh directory under the system temp dir for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hush-config-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn empty_config_is_the_defaults() {
    let r = build("");
    assert_eq!(r.mask_style(), MaskStyle::Redacted);
    assert_eq!(r.redact_str("password=hunter22"), "password=[REDACTED]");
}

#[test]
fn mask_and_unknown_mask() {
    assert_eq!(build("mask = \"label\"").redact_str("token=abc123xyz"), "token=[REDACTED:key:token]");
    let err = Config::from_toml("\n\nmask = \"sparkle\"\n").unwrap_err();
    assert_eq!(err.line(), Some(3));
    assert!(err.message().contains("unknown mask style"), "{err}");
}

#[test]
fn unknown_keys_are_errors_with_their_line() {
    let err = Config::from_toml("mask = \"label\"\nknwon_values = [\"abcdefgh\"]\n").unwrap_err();
    assert_eq!(err.line(), Some(2));
    assert!(err.message().contains("knwon_values"), "{err}");
    let err = Config::from_toml("[keys]\ndeny = []\nallowed = []\n").unwrap_err();
    assert_eq!(err.line(), Some(3));
    let err = Config::from_toml("[[rules]]\nid = \"a\"\nregex = 'a_[a-z]{8}'\nkeyword = [\"a_\"]\n").unwrap_err();
    assert_eq!(err.line(), Some(4));
}

#[test]
fn key_lists_extend_the_defaults() {
    let r = build(
        "[keys]\ndeny = [\"x_ticket\"]\nallow = [\"public_token_hint\"]\nmetadata = [\"checksum\"]\n\
         strong = [\"pwd\"]\nweak = [\"code\"]\nexclude = [\"keycloak_realm\"]\n",
    );
    assert!(r.key_rule("X_TICKET").is_some());
    assert!(r.key_rule("public_token_hint").is_none());
    assert!(r.key_rule("token_checksum").is_none());
    assert!(r.key_rule("db_pwd").is_some());
    assert!(r.key_rule("reset_code").is_some());
    assert!(r.key_rule("code_path").is_none());
    // Defaults are still there.
    assert!(r.key_rule("password").is_some());
}

#[test]
fn key_lists_can_replace_the_defaults() {
    let r = build("[keys]\nreplace_defaults = true\nstrong = [\"pwd\"]\n");
    assert!(r.key_rule("db_pwd").is_some());
    assert!(r.key_rule("password").is_none());
}

#[test]
fn extra_rules_with_allowlists() {
    let text = r#"
[[rules]]
id = "acme-api-key"
description = "ACME API key"
regex = '''\bacme_([a-z0-9]{12})\b'''
keywords = ["acme_"]
secret_group = 1
entropy = 2.5
max_len = 64
[[rules.allowlists]]
regex_target = "line"
regexes = ['''# fixture''']
stopwords = ["aaaa"]
condition = "or"
"#;
    let config = Config::from_toml(text).unwrap();
    let rule = &config.rules[0];
    assert_eq!(rule.id, "acme-api-key");
    assert_eq!(rule.description, "ACME API key");
    assert_eq!(rule.secret_group, Some(1));
    assert_eq!(rule.entropy, Some(2.5));
    assert_eq!(rule.max_len, Some(64));
    assert_eq!(rule.source, RuleSource::Config);
    assert_eq!(rule.allowlists[0].target, AllowTarget::Line);
    let r = build(text);
    assert_eq!(r.redact_str("id acme_k3j9x0q2m5n8 ok"), "id acme_[REDACTED] ok");
    assert_eq!(r.redact_str("id acme_k3j9x0q2m5n8 # fixture"), "id acme_k3j9x0q2m5n8 # fixture");
    assert_eq!(r.redact_str("id acme_k3aaaa2m5n8x ok"), "id acme_k3aaaa2m5n8x ok");
    assert!(r.rules().iter().any(|i| i.id == "acme-api-key" && i.source == "config" && i.active));
}

#[test]
fn rule_keywords_are_derived_or_required() {
    let c = Config::from_toml("[[rules]]\nid = \"d\"\nregex = '''dtk_[a-z0-9]{12}'''\n").unwrap();
    assert_eq!(c.rules[0].keywords, vec!["dtk_".to_owned()]);
    let err = Config::from_toml("\n[[rules]]\nid = \"n\"\nregex = '''[a-z]{12}'''\n").unwrap_err();
    assert_eq!(err.rule_id(), Some("n"));
    assert!(matches!(err.line(), Some(2..=4)), "{:?}", err.line());
}

#[test]
fn rule_errors_name_rule_and_line() {
    let text = "mask = \"redacted\"\n\n[[rules]]\nid = \"broken\"\nregex = '''(open'''\nkeywords = [\"x\"]\n";
    let err = Config::from_toml(text).unwrap_err();
    assert_eq!(err.rule_id(), Some("broken"));
    assert!(matches!(err.line(), Some(3..=5)), "{:?}", err.line());
    assert!(err.to_string().contains("rule `broken`"), "{err}");
    let err = Config::from_toml("[[rules]]\nid = \"g\"\nregex = 'g_[a-z]{8}'\nsecret_group = 2\n").unwrap_err();
    assert!(err.message().contains("secret_group 2"), "{err}");
    let err = Config::from_toml(
        "[[rules]]\nid = \"c\"\nregex = 'c_[a-z]{8}'\nkeywords = [\"c_\"]\n[[rules.allowlists]]\ncondition = \"xor\"\n",
    )
    .unwrap_err();
    assert!(err.message().contains("condition"), "{err}");
    let err = Config::from_toml("[[rules]]\nregex = 'c_[a-z]{8}'\n").unwrap_err();
    assert!(err.message().contains("without an `id`"), "{err}");
}

#[test]
fn disable_allow_values_and_regexes() {
    let r = build("disable = [\"jwt\"]\n");
    let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    assert_eq!(r.redact_str(jwt), jwt);
    assert!(r.rules().iter().any(|i| i.id == "jwt" && !i.active));
    let r = build("allow_values = [\"hunter22\"]\nallow_regexes = ['''^demo-''']\n");
    assert_eq!(r.redact_str("password=hunter22"), "password=hunter22");
    assert_eq!(r.redact_str("password=demo-123"), "password=demo-123");
    assert_eq!(r.redact_str("password=real-123"), "password=[REDACTED]");
    let err = Config::from_toml("allow_regexes = ['''(x''']\n").unwrap_err();
    assert_eq!(err.line(), Some(1));
}

#[test]
fn known_values_are_masked_anywhere() {
    let r = build("mask = \"label\"\nknown_values = [\"plum-Orbit-4471\", \"second-value\"]\n");
    assert_eq!(r.redact_str("login plum-Orbit-4471 x"), "login [REDACTED:known:config:1] x");
    assert_eq!(r.redact_str("and second-value"), "and [REDACTED:known:config:2]");
}

#[test]
fn errors_never_echo_known_values() {
    let secret = "Zq9-Secret-Value-771";
    let cases = [
        format!("known_values = \"{secret}\"\n"),
        format!("known_values = [\"ok-value-1\", {{ v = \"{secret}\" }}]\n"),
        format!("known_values = [\"{secret}]\n"),
        format!("known_values = [\"{secret}\" \"x\"]\n"),
        format!("mask = \"{secret}\"\n"),
        "known_values = [987654321]\n".to_owned(),
    ];
    for text in &cases {
        let err = Config::from_toml(text).unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains(secret) && !shown.contains("987654321"), "case {text:?} leaked");
        assert_eq!(err.line(), Some(1), "case {text:?}");
    }
    let err = Config::from_toml("known_values = [\"short\"]\n").unwrap_err();
    assert!(err.message().contains("shorter than"), "{err}");
    assert!(!err.to_string().contains("short\""));
}

#[test]
fn line_cap_and_lenient() {
    let c = Config::from_toml("line_cap = 65536\nlenient = true\n").unwrap();
    let b = c.apply(Redactor::builder()).unwrap();
    assert_eq!(b.line_cap, Some(65536));
    assert!(b.lenient);
    assert!(Config::from_toml("line_cap = 0\n").is_err());
    assert!(Config::from_toml("line_cap = -1\n").unwrap_err().line() == Some(1));
}

#[test]
fn debug_output_hides_values() {
    let c = Config::from_toml("known_values = [\"plum-Orbit-4471\"]\nallow_values = [\"hunter22\"]\n").unwrap();
    let shown = format!("{c:?}");
    assert!(!shown.contains("plum") && !shown.contains("hunter22"), "{shown}");
}

#[cfg(feature = "fs")]
#[test]
fn files_resolve_against_the_config_directory() {
    let dir = scratch("files");
    std::fs::write(dir.join("hush.key"), "0123456789abcdef0123\n").unwrap();
    std::fs::write(
        dir.join("rules.toml"),
        "[[rules]]\nid = \"acme-token\"\nregex = '''acme_[a-z0-9]{12}'''\nkeywords = [\"acme_\"]\n",
    )
    .unwrap();
    let text = "mask = \"hash\"\nhash_key_file = \"hush.key\"\ngitleaks = \"rules.toml\"\n\
                secrets_dirs = [\"secrets\", \"/abs/secrets\"]\nknown_files = [\"known.txt\"]\n";
    std::fs::write(dir.join("hush.toml"), text).unwrap();
    let config = Config::from_file(&dir.join("hush.toml")).unwrap();
    assert_eq!(config.file(), Some(dir.join("hush.toml").as_path()));
    assert_eq!(config.hash_key_file.as_deref(), Some(dir.join("hush.key").as_path()));
    assert_eq!(config.secrets_dirs, vec![dir.join("secrets"), PathBuf::from("/abs/secrets")]);
    assert_eq!(config.known_files, vec![dir.join("known.txt")]);
    let builder = config.apply(Redactor::builder()).unwrap();
    assert_eq!(builder.hash_key.as_deref().map(Vec::as_slice), Some(&b"0123456789abcdef0123"[..]));
    assert_eq!(builder.sources.secrets_dirs.len(), 2);
    assert_eq!(builder.sources.known_files.len(), 1);
    // The gitleaks file is imported at build time.
    let config =
        Config::from_toml(&format!("mask = \"label\"\ngitleaks = \"{}\"\n", dir.join("rules.toml").display())).unwrap();
    let r = config.apply(Redactor::builder()).unwrap().build().unwrap();
    assert_eq!(r.redact_str("x acme_k3j9x0q2m5n8"), "x [REDACTED:acme-token]");
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(feature = "fs")]
#[test]
fn file_errors_name_the_file_and_line() {
    let dir = scratch("errors");
    let path = dir.join("bad.toml");
    std::fs::write(&path, "mask = \"label\"\nline_cap = \"big\"\n").unwrap();
    let err = Config::from_file(&path).unwrap_err();
    assert_eq!(err.file(), Some(path.as_path()));
    assert_eq!(err.line(), Some(2));
    assert!(err.to_string().starts_with(&format!("{}:2: ", path.display())), "{err}");

    let missing = Config::from_file(&dir.join("absent.toml")).unwrap_err();
    assert_eq!(missing.file(), Some(dir.join("absent.toml").as_path()));

    std::fs::write(&path, "hash_key_file = \"nope.key\"\n").unwrap();
    let err = Config::from_file(&path).unwrap().apply(Redactor::builder()).unwrap_err();
    assert_eq!(err.file(), Some(dir.join("nope.key").as_path()));

    std::fs::write(&path, "gitleaks = \"gl.toml\"\n").unwrap();
    std::fs::write(dir.join("gl.toml"), "[[rules]]\nid = \"x\"\nregex = '''(x'''\nkeywords = [\"x\"]\n").unwrap();
    let err = Config::from_file(&path).unwrap().apply(Redactor::builder()).unwrap().build().unwrap_err();
    assert_eq!(err.file(), Some(dir.join("gl.toml").as_path()));
    assert_eq!(err.rule_id(), Some("x"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(feature = "fs")]
#[test]
fn discover_uses_the_explicit_path() {
    let dir = scratch("discover");
    let path = dir.join("hush.toml");
    std::fs::write(&path, "mask = \"fill\"\n").unwrap();
    let found = Config::discover(Some(&path)).unwrap().unwrap();
    assert_eq!(found.mask, Some(MaskStyle::Fill));
    assert!(Config::discover(Some(&dir.join("absent.toml"))).is_err());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_hash_key_file_loses_one_trailing_newline_only() {
    let hashed = |b: Builder| b.mask(MaskStyle::Hash).build().unwrap().redact(b"password=hunter22").into_owned();
    let want = hashed(Redactor::builder().hash_key(b"0123456789abcdef-key"));
    let dir = scratch("hash-key-files");
    for (name, text, same) in [
        ("lf.key", "0123456789abcdef-key\n", true),
        ("crlf.key", "0123456789abcdef-key\r\n", true),
        ("bare.key", "0123456789abcdef-key", true),
        ("two.key", "0123456789abcdef-key\n\n", false),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let got = hashed(Redactor::builder().hash_key_file(&path).unwrap());
        assert_eq!(got == want, same, "{name}");
        // The config file's `hash_key_file` reads it the same way.
        let config = dir.join(format!("{name}.toml"));
        std::fs::write(&config, format!("mask = \"hash\"\nhash_key_file = {:?}\n", path.display().to_string()))
            .unwrap();
        let from_config = Config::from_file(&config).unwrap().apply(Redactor::builder()).unwrap();
        assert_eq!(from_config.build().unwrap().redact(b"password=hunter22").into_owned(), got, "{name} via config");
    }
    let missing = Redactor::builder().hash_key_file(dir.join("missing.key")).unwrap_err();
    assert!(missing.to_string().contains("cannot read hash_key_file"), "{missing}");
    assert!(missing.file().is_some_and(|f| f.ends_with("missing.key")));
}
