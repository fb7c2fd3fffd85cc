//! Known values loaded from secret directories, known files and the default sources.
//! Every test injects its environment and paths: nothing here reads the host.

#![cfg(all(feature = "fs", feature = "env"))]

use std::fs;
use std::path::Path;

use hush::{Builder, ErrorKind, MaskStyle, Redactor};

fn label() -> Builder {
    Redactor::builder().mask(MaskStyle::Label)
}

/// Default sources with an injected environment and secrets/token paths under `root`.
fn defaults(root: &Path, env: &[(&str, String)]) -> Builder {
    label()
        .default_sources(true)
        .default_secrets_dir(root.join("run-secrets"))
        .service_account_token_path(root.join("sa-token"))
        .environment(env.iter().map(|(k, v)| (*k, v.as_str())))
}

#[test]
fn secrets_dir_single_value_file_raw_and_trimmed() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("db_password"), "plum-Orbit-4471\n").unwrap();
    let r = label().secrets_dir(dir.path()).build().unwrap();
    assert_eq!(
        r.redact_str("connecting with plum-Orbit-4471 failed\n"),
        "connecting with [REDACTED:known:file:db_password] failed\n"
    );
    // `base64 db_password` encodes the trailing newline: the raw value's forms catch it.
    let with_newline = "cGx1bS1PcmJpdC00NDcxCg==";
    assert_eq!(
        r.redact_str(&format!("x {with_newline} y")),
        "x [REDACTED:known:file:db_password] y"
    );
}

#[test]
fn secrets_dir_key_value_and_json_files_use_sensitive_keys_only() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("app.env"),
        "DB_HOST=postgres-primary\nDB_PASSWORD=plum-Orbit-4471\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("vault.json"),
        r#"{"username":"app-service","api_key":"k-77aa88bb99"}"#,
    )
    .unwrap();
    let r = label().secrets_dir(dir.path()).build().unwrap();
    assert_eq!(
        r.redact_str("host postgres-primary pw plum-Orbit-4471 user app-service key k-77aa88bb99"),
        "host postgres-primary pw [REDACTED:known:file:app.env:DB_PASSWORD] user app-service key [REDACTED:known:file:vault.json:api_key]"
    );
}

#[test]
fn secrets_dir_pem_key_lines_are_values_certificates_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let key_line = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7";
    let cert_line = "MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQsw";
    fs::write(
        dir.path().join("tls.key"),
        format!("-----BEGIN PRIVATE KEY-----\n{key_line}\n-----END PRIVATE KEY-----\n"),
    )
    .unwrap();
    fs::write(
        dir.path().join("ca.crt"),
        format!("-----BEGIN CERTIFICATE-----\n{cert_line}\n-----END CERTIFICATE-----\n"),
    )
    .unwrap();
    let r = label().secrets_dir(dir.path()).build().unwrap();
    let log = format!("key {key_line} cert {cert_line} -----END PRIVATE KEY-----");
    assert_eq!(
        r.redact_str(&log),
        format!("key [REDACTED:known:file:tls.key] cert {cert_line} -----END PRIVATE KEY-----")
    );
}

#[test]
fn short_numeric_and_common_values_are_skipped_with_warnings_naming_the_source() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("short"), "abc12\n").unwrap();
    fs::write(dir.path().join("pin"), "1234567\n").unwrap();
    fs::write(dir.path().join("host"), "localhost\n").unwrap();
    fs::write(dir.path().join("good"), "plum-Orbit-4471").unwrap();
    let r = label().secrets_dir(dir.path()).build().unwrap();
    let w = r.warnings().join("\n");
    for rule in ["known:file:short", "known:file:pin", "known:file:host"] {
        assert!(w.contains(rule), "no warning for {rule}");
    }
    for value in ["abc12", "1234567", "localhost"] {
        assert!(!w.contains(value), "a warning holds a value");
    }
    assert_eq!(
        r.redact_str("abc12 1234567 localhost"),
        "abc12 1234567 localhost"
    );
    assert_eq!(
        r.redact_str("plum-Orbit-4471"),
        "[REDACTED:known:file:good]"
    );
}

#[test]
fn min_len_is_configurable() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("tok"), "abcdefgh").unwrap();
    let r = label()
        .known_min_len(10)
        .secrets_dir(dir.path())
        .build()
        .unwrap();
    assert_eq!(r.redact_str("abcdefgh"), "abcdefgh");
    assert!(
        r.warnings()
            .iter()
            .any(|w| w.contains("known:file:tok") && w.contains("10"))
    );
    assert!(
        label()
            .known_min_len(10)
            .known_value(b"abcdefgh")
            .build()
            .is_err()
    );
}

#[test]
fn oversized_files_and_subdirectories_are_skipped_with_warnings() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("huge"), vec![b'h'; 70 * 1024]).unwrap();
    fs::create_dir(dir.path().join("nested")).unwrap();
    fs::write(dir.path().join("nested").join("inner"), "inner-secret-1").unwrap();
    let r = label().secrets_dir(dir.path()).build().unwrap();
    let w = r.warnings().join("\n");
    assert!(w.contains("huge") && w.contains("too large"), "{w}");
    assert!(
        w.contains("nested") && w.contains("not a regular file"),
        "{w}"
    );
    assert_eq!(r.redact_str("inner-secret-1"), "inner-secret-1");

    let small = label()
        .known_max_file_size(1024)
        .secrets_dir(dir.path())
        .build()
        .unwrap();
    assert!(small.warnings().iter().any(|w| w.contains("huge")));
    fs::write(dir.path().join("mid"), vec![b'm'; 2000]).unwrap();
    let small = label()
        .known_max_file_size(1024)
        .secrets_dir(dir.path())
        .build()
        .unwrap();
    assert!(
        small
            .warnings()
            .iter()
            .any(|w| w.contains("mid") && w.contains("too large"))
    );
}

#[cfg(unix)]
#[test]
fn symlinks_loops_and_dangling_links_in_a_secrets_dir() {
    use std::os::unix::fs::symlink;
    let target = tempfile::tempdir().unwrap();
    fs::write(target.path().join("real"), "linked-secret-42").unwrap();
    let dir = tempfile::tempdir().unwrap();
    symlink(target.path().join("real"), dir.path().join("via-link")).unwrap();
    symlink(dir.path().join("loop-b"), dir.path().join("loop-a")).unwrap();
    symlink(dir.path().join("loop-a"), dir.path().join("loop-b")).unwrap();
    symlink(dir.path().join("gone"), dir.path().join("dangling")).unwrap();
    // Kubernetes' atomic writer layout: `..data` is a link to a directory, skipped silently.
    symlink(target.path(), dir.path().join("..data")).unwrap();
    let r = label().secrets_dir(dir.path()).build().unwrap();
    assert_eq!(
        r.redact_str("linked-secret-42"),
        "[REDACTED:known:file:via-link]"
    );
    let w = r.warnings().join("\n");
    assert!(
        w.contains("loop-a") && w.contains("loop-b") && w.contains("dangling"),
        "{w}"
    );
    assert!(!w.contains("..data"), "{w}");
}

#[test]
fn explicit_sources_that_are_missing_are_errors_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    let e = label().secrets_dir(&missing).build().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Source);
    assert_eq!(e.file(), Some(missing.as_path()));
    let e = label().known_file(&missing).build().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Source);
    assert_eq!(e.file(), Some(missing.as_path()));
    // A directory where a file was expected.
    let e = label().known_file(dir.path()).build().unwrap_err();
    assert_eq!(e.file(), Some(dir.path()));
    assert!(e.message().contains("not a regular file"));
    // A file where a directory was expected.
    let file = dir.path().join("file");
    fs::write(&file, "x").unwrap();
    assert_eq!(
        label().secrets_dir(&file).build().unwrap_err().file(),
        Some(file.as_path())
    );
}

#[test]
fn known_file_one_value_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("known.txt");
    fs::write(&f, "plum-Orbit-4471\r\n\nsecond value 99\n").unwrap();
    let r = label().known_file(&f).build().unwrap();
    assert_eq!(
        r.redact_str("a plum-Orbit-4471 b second value 99 c"),
        "a [REDACTED:known:file:known.txt] b [REDACTED:known:file:known.txt] c"
    );
    fs::write(&f, "plum-Orbit-4471\nshort\n").unwrap();
    let e = label().known_file(&f).build().unwrap_err();
    assert_eq!((e.file(), e.line()), (Some(f.as_path()), Some(2)));
    assert!(!e.to_string().contains("short\n") && !e.message().contains("short "));
}

#[test]
fn explicit_values_below_limits_are_errors_without_the_value() {
    for v in [&b"abc12"[..], b"1234567", b"localhost"] {
        let e = label().known_value(v).build().unwrap_err();
        assert_eq!(e.rule_id(), Some("known:api:1"));
        assert!(!e.to_string().contains(std::str::from_utf8(v).unwrap()));
    }
    assert!(label().known_value(b"12345678").build().is_ok());
}

#[test]
fn default_sources_env_file_vars_and_run_secrets() {
    let root = tempfile::tempdir().unwrap();
    let run = root.path().join("run-secrets");
    fs::create_dir(&run).unwrap();
    fs::write(run.join("db_password"), "plum-Orbit-4471\n").unwrap();
    fs::write(run.join("app_config"), "cfg-inside-secrets-77\n").unwrap();
    let elsewhere = root.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    fs::write(elsewhere.join("redis_pw"), "redis-Secret-881\n").unwrap();
    fs::write(
        elsewhere.join("ca-bundle.crt"),
        "not-a-secret-bundle-line\n",
    )
    .unwrap();
    fs::write(elsewhere.join("app.log"), "ordinary-log-line-1\n").unwrap();
    let p = |x: &Path| x.display().to_string();
    let env = [
        ("POSTGRES_PASSWORD_FILE", p(&run.join("db_password"))),
        ("REDIS_PASSWORD_FILE", p(&elsewhere.join("redis_pw"))),
        ("CONFIG_FILE", p(&run.join("app_config"))),
        ("SSL_CERT_FILE", p(&elsewhere.join("ca-bundle.crt"))),
        ("LOG_FILE", p(&elsewhere.join("app.log"))),
        ("MISSING_TOKEN_FILE", p(&elsewhere.join("nope"))),
        ("API_TOKEN", "tok-9f8e7d6c5b".into()),
        ("LOG_LEVEL", "verbose-debugging".into()),
        ("SESSION_SECRET", "true".into()),
    ];
    let r = defaults(root.path(), &env).build().unwrap();
    let log = "pw plum-Orbit-4471 redis redis-Secret-881 tok tok-9f8e7d6c5b cfg cfg-inside-secrets-77 \
               keep not-a-secret-bundle-line ordinary-log-line-1 verbose-debugging";
    assert_eq!(
        r.redact_str(log),
        "pw [REDACTED:known:file:db_password] redis [REDACTED:known:file:redis_pw] tok [REDACTED:known:env:API_TOKEN] \
         cfg [REDACTED:known:file:app_config] keep not-a-secret-bundle-line ordinary-log-line-1 verbose-debugging"
    );
    let w = r.warnings().join("\n");
    assert!(w.contains("MISSING_TOKEN_FILE"), "{w}");
    assert!(w.contains("known:env:SESSION_SECRET"), "{w}");

    // Off: nothing is read, whatever the environment says.
    let off = label()
        .default_secrets_dir(&run)
        .service_account_token_path(root.path().join("sa-token"))
        .environment(env.iter().map(|(k, v)| (*k, v.as_str())))
        .build()
        .unwrap();
    assert_eq!(
        off.redact_str("plum-Orbit-4471 tok-9f8e7d6c5b"),
        "plum-Orbit-4471 tok-9f8e7d6c5b"
    );
}

#[test]
fn default_sources_cloud_credential_files_and_service_account_token() {
    let root = tempfile::tempdir().unwrap();
    fs::write(
        root.path().join("sa-token"),
        "eyJhbGciOiJSUzI1NiIsImtpZCI6Ik1FIn0.k8s-token-body\n",
    )
    .unwrap();
    let gcp = root.path().join("gcp.json");
    fs::write(
        &gcp,
        r#"{"type":"service_account","project_id":"proj-visible-1","private_key_id":"4f2d9c0b7e6a5d3c2b1a0f9e8d7c6b5a4f3e2d1c","private_key":"-----BEGIN PRIVATE KEY-----\nMIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDG\n-----END PRIVATE KEY-----\n"}"#,
    )
    .unwrap();
    let aws = root.path().join("aws");
    fs::write(&aws, "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n").unwrap();
    let pgpass = root.path().join("pgpass");
    fs::write(&pgpass, "db:5432:app:alice:pg-Secret-5521\n").unwrap();
    let p = |x: &Path| x.display().to_string();
    let env = [
        ("GOOGLE_APPLICATION_CREDENTIALS", p(&gcp)),
        ("AWS_SHARED_CREDENTIALS_FILE", p(&aws)),
        ("PGPASSFILE", p(&pgpass)),
    ];
    let r = defaults(root.path(), &env).build().unwrap();
    let log = "t eyJhbGciOiJSUzI1NiIsImtpZCI6Ik1FIn0.k8s-token-body k 4f2d9c0b7e6a5d3c2b1a0f9e8d7c6b5a4f3e2d1c \
               l MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDG a wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY \
               id AKIAIOSFODNN7EXAMPLE p pg-Secret-5521 proj proj-visible-1";
    let out = r.redact_str(log);
    for secret in [
        "k8s-token-body",
        "4f2d9c0b7e6a5d3c2b1a0f9e8d7c6b5a4f3e2d1c",
        "MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDG",
        "wJalrXUtnFEMI",
        "pg-Secret-5521",
    ] {
        assert!(!out.contains(secret), "a secret survived: {out}");
    }
    assert!(
        out.contains("[REDACTED:known:file:k8s-serviceaccount-token]"),
        "{out}"
    );
    assert!(
        out.contains("[REDACTED:known:env:PGPASSFILE:password]"),
        "{out}"
    );
    assert!(
        out.contains("[REDACTED:known:env:AWS_SHARED_CREDENTIALS_FILE:aws_secret_access_key]"),
        "{out}"
    );
    assert!(
        out.contains("AKIAIOSFODNN7EXAMPLE") && out.contains("proj-visible-1"),
        "{out}"
    );
    // The path in GOOGLE_APPLICATION_CREDENTIALS is not itself a known value.
    assert_eq!(r.redact_str(&p(&gcp)), p(&gcp));

    // Missing env-derived files only warn.
    let env = [("PGPASSFILE", p(&root.path().join("none")))];
    let r = defaults(root.path(), &env).build().unwrap();
    assert!(r.warnings().iter().any(|w| w.contains("PGPASSFILE")));
}

#[test]
fn debug_output_never_holds_values() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("s"), "plum-Orbit-4471").unwrap();
    let b = label()
        .known_value(b"api-Value-8812")
        .secrets_dir(dir.path())
        .default_sources(true)
        .default_secrets_dir(dir.path().join("x"))
        .service_account_token_path(dir.path().join("t"))
        .environment([("API_TOKEN", "env-Value-7781")]);
    let r = b.build().unwrap();
    let text = format!("{b:?} {r:?} {:?}", r.rules());
    for v in ["plum-Orbit-4471", "api-Value-8812", "env-Value-7781"] {
        assert!(!text.contains(v), "Debug output holds a value");
    }
    assert_eq!(
        r.redact_str("env-Value-7781"),
        "[REDACTED:known:env:API_TOKEN]"
    );
}

#[test]
fn reload_adds_new_values_and_keeps_old_ones() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("old"), "old-Secret-1111\n").unwrap();
    let r = label().secrets_dir(dir.path()).build().unwrap();
    fs::remove_file(dir.path().join("old")).unwrap();
    fs::write(dir.path().join("new"), "new-Secret-2222\n").unwrap();
    let r2 = r.reload().unwrap();
    assert_eq!(
        r2.redact_str("old-Secret-1111 new-Secret-2222"),
        "[REDACTED:known:file:old] [REDACTED:known:file:new]"
    );
    assert_eq!(r.redact_str("new-Secret-2222"), "new-Secret-2222");
    // A reload that fails (the directory is gone) is an error; the caller keeps `r2`.
    drop(dir);
    assert_eq!(r2.reload().unwrap_err().kind(), ErrorKind::Source);
    assert_eq!(
        r2.redact_str("new-Secret-2222"),
        "[REDACTED:known:file:new]"
    );
}

#[test]
fn reload_while_a_file_is_replaced_by_rename_never_loses_values() {
    let dir = tempfile::tempdir().unwrap();
    let staging = tempfile::tempdir().unwrap();
    let file = dir.path().join("rotating");
    fs::write(&file, "rotation-A-000\n").unwrap();
    let base = label().secrets_dir(dir.path()).build().unwrap();
    let writer = {
        let file = file.clone();
        let tmp = staging.path().join("tmp");
        std::thread::spawn(move || {
            for i in 1..200 {
                fs::write(&tmp, format!("rotation-B-{i:03}\n")).unwrap();
                fs::rename(&tmp, &file).unwrap();
            }
        })
    };
    let mut current = base;
    for _ in 0..20 {
        let next = current.reload().unwrap();
        assert!(next.rules().len() >= current.rules().len());
        let out = next.redact_str("rotation-A-000");
        assert_eq!(out, "[REDACTED:known:file:rotating]");
        current = next;
    }
    writer.join().unwrap();
    let last = current.reload().unwrap();
    assert_eq!(
        last.redact_str("rotation-B-199"),
        "[REDACTED:known:file:rotating]"
    );
}

/// The issue's end-to-end scenario at the library level: a secrets dir and environment,
/// values raw and encoded in the log, certificates and decoys untouched.
#[test]
fn scenario_values_raw_and_encoded_with_decoys() {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    let root = tempfile::tempdir().unwrap();
    let run = root.path().join("run-secrets");
    fs::create_dir(&run).unwrap();
    fs::write(run.join("db_password"), "plum-Orbit-4471\n").unwrap();
    let key_line = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7";
    fs::write(
        run.join("tls.key"),
        format!("-----BEGIN PRIVATE KEY-----\n{key_line}\n-----END PRIVATE KEY-----\n"),
    )
    .unwrap();
    let cert_line = "MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQsw";
    let bundle = root.path().join("ca-bundle.crt");
    fs::write(
        &bundle,
        format!("-----BEGIN CERTIFICATE-----\n{cert_line}\n-----END CERTIFICATE-----\n"),
    )
    .unwrap();
    let env = [
        (
            "DB_PASSWORD_FILE",
            run.join("db_password").display().to_string(),
        ),
        ("API_TOKEN", "tok-9f8e7d6c5b4a".to_owned()),
        ("SSL_CERT_FILE", bundle.display().to_string()),
    ];
    let r = defaults(root.path(), &env)
        .mask(MaskStyle::Redacted)
        .build()
        .unwrap();
    let secrets = ["plum-Orbit-4471", "tok-9f8e7d6c5b4a", key_line];
    let mut log = String::new();
    for s in secrets {
        log.push_str(&format!("raw {s}\n"));
        log.push_str(&format!("b64 {}\n", STANDARD.encode(format!("user:{s}"))));
        log.push_str(&format!(
            "hex {}\n",
            s.bytes().map(|b| format!("{b:02x}")).collect::<String>()
        ));
        log.push_str(&format!("json {{\"v\":\"{}\"}}\n", s.replace('/', "\\/")));
    }
    let decoys = format!(
        "cert {cert_line}\nother {}\nwords plum Orbit 4471 tok-9f8e\n",
        STANDARD.encode("plum-Orbit-4472")
    );
    log.push_str(&decoys);
    let out = r.redact_str(&log);
    for s in secrets {
        assert!(!out.contains(s), "a secret survived");
        assert!(
            !out.contains(&STANDARD.encode(format!("user:{s}"))),
            "an encoded secret survived"
        );
    }
    assert!(out.ends_with(&decoys), "decoys changed");
    assert_eq!(out.matches("[REDACTED]").count(), 12);
}
