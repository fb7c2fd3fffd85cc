use super::*;

fn redactor() -> Redactor {
    Redactor::builder().known_value(b"plum-Orbit-4471").build().unwrap()
}

fn run(input: &str, format: Format) -> Sanitized {
    sanitize(input.as_bytes(), format, &redactor()).unwrap()
}

fn out(input: &str, format: Format) -> String {
    String::from_utf8(run(input, format).output).unwrap()
}

fn names(s: &Sanitized) -> Vec<(&str, &str)> {
    s.flagged.iter().map(|f| (f.name.as_str(), f.rule.as_str())).collect()
}

#[test]
fn format_names_round_trip() {
    for f in Format::ALL {
        assert_eq!(f.as_str().parse::<Format>().unwrap(), f);
    }
    let err = "yaml".parse::<Format>().unwrap_err();
    assert!(err.to_string().contains("docker-inspect"));
}

#[test]
fn env_masks_sensitive_names_and_known_values() {
    let s = run("HOME=/root\nDB_PASSWORD=hunter22x\nNOTE=uses plum-Orbit-4471 here\n", Format::Env);
    assert_eq!(
        String::from_utf8(s.output.clone()).unwrap(),
        "HOME=/root\nDB_PASSWORD=[REDACTED]\nNOTE=uses [REDACTED] here\n"
    );
    assert_eq!(names(&s), [("DB_PASSWORD", "key:password"), ("NOTE", "known:api:1")]);
    assert_eq!(s.flagged[1].kind, RuleKind::Known);
}

#[test]
fn env_multiline_value_is_masked_whole() {
    let input = "A=1\nTLS_PRIVATE_KEY=-----BEGIN KEY-----\nabc\ndef\n-----END KEY-----\nB=2\n";
    assert_eq!(out(input, Format::Env), "A=1\nTLS_PRIVATE_KEY=[REDACTED]\nB=2\n");
}

#[test]
fn env_keeps_missing_final_newline_and_placeholders() {
    assert_eq!(out("API_TOKEN=${TOKEN}\nSECRET=abcdefgh", Format::Env), "API_TOKEN=${TOKEN}\nSECRET=[REDACTED]");
}

#[test]
fn env_rejects_non_assignment_first_line() {
    let err = sanitize(b"\nhello world\nA=1\n", Format::Env, &redactor()).unwrap_err();
    assert_eq!((err.line, err.offset, err.reason), (2, 1, EnvErrorReason::ExpectedAssignment));
    assert_eq!(err.to_string(), "line 2 (byte 1): expected NAME=VALUE");
}

#[test]
fn environ_keeps_nul_separators() {
    let s = sanitize(b"PATH=/bin\0GITHUB_TOKEN=abc123def\0odd entry\0", Format::Environ, &redactor()).unwrap();
    assert_eq!(s.output, b"PATH=/bin\0GITHUB_TOKEN=[REDACTED]\0odd entry\0");
    assert_eq!(names(&s), [("GITHUB_TOKEN", "key:token")]);
}

#[test]
fn dotenv_keeps_quotes_comments_and_export() {
    let input = "# database\nexport DB_USER=app\nDB_PASSWORD=\"s3cr3t pass\" # inline\nAPI_KEY = 'abc def'\n\nPLAIN=hunter22 # note\nEMPTY=\n";
    let expected = "# database\nexport DB_USER=app\nDB_PASSWORD=\"[REDACTED]\" # inline\nAPI_KEY = '[REDACTED]'\n\nPLAIN=hunter22 # note\nEMPTY=\n";
    assert_eq!(out(input, Format::Dotenv), expected);
}

#[test]
fn dotenv_multiline_quoted_value() {
    let input = "PRIVATE_KEY=\"-----BEGIN\nline \\\" two\n-----END\"\nNEXT=1\n";
    assert_eq!(out(input, Format::Dotenv), "PRIVATE_KEY=\"[REDACTED]\"\nNEXT=1\n");
}

#[test]
fn dotenv_unterminated_quote_is_an_error_with_position() {
    let err = sanitize(b"A=1\nSECRET=\"abc\n", Format::Dotenv, &redactor()).unwrap_err();
    assert_eq!((err.line, err.offset, err.reason), (2, 11, EnvErrorReason::UnterminatedQuote));
}

#[test]
fn dotenv_unparsed_line_is_redacted_as_text() {
    assert_eq!(out("A=1\nnot an assignment plum-Orbit-4471\n", Format::Dotenv), "A=1\nnot an assignment [REDACTED]\n");
}

#[test]
fn export_bash_declare_output() {
    let input = "declare -x HOME=\"/root\"\ndeclare -x OLDPWD\ndeclare -rx AWS_SECRET_ACCESS_KEY=\"abc\\\"def\"\nexport API_TOKEN=$'x\\'y'\n";
    let expected = "declare -x HOME=\"/root\"\ndeclare -x OLDPWD\ndeclare -rx AWS_SECRET_ACCESS_KEY=\"[REDACTED]\"\nexport API_TOKEN=$'[REDACTED]'\n";
    let s = run(input, Format::Auto);
    assert_eq!(s.format, Format::Export);
    assert_eq!(String::from_utf8(s.output.clone()).unwrap(), expected);
    assert_eq!(names(&s).len(), 2);
}

#[test]
fn docker_inspect_masks_every_env_array_and_stays_valid_json() {
    let input = r#"[
    {
        "Id": "abc",
        "Config": {
            "Env": [
                "PATH=/usr/bin",
                "POSTGRES_PASSWORD=pl\"um\u0041",
                "NOTE=see plum-Orbit-4471",
                "NOVALUE"
            ],
            "Cmd": ["run"]
        },
        "ContainerConfig": {"Env": ["API_KEY=<tag>&x", "N=1"], "Labels": {"Env": "not an array"}},
        "Size": -1.5e3
    }
]
"#;
    let s = run(input, Format::Auto);
    assert_eq!(s.format, Format::DockerInspect);
    let text = String::from_utf8(s.output.clone()).unwrap();
    let expected = input
        .replace(r#""POSTGRES_PASSWORD=pl\"um\u0041""#, r#""POSTGRES_PASSWORD=[REDACTED]""#)
        .replace(r#""NOTE=see plum-Orbit-4471""#, r#""NOTE=see [REDACTED]""#)
        .replace(r#""API_KEY=<tag>&x""#, r#""API_KEY=[REDACTED]""#);
    assert_eq!(text, expected);
    let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(parsed[0]["Config"]["Env"][1], "POSTGRES_PASSWORD=[REDACTED]");
    assert_eq!(names(&s), [("POSTGRES_PASSWORD", "key:password"), ("NOTE", "known:api:1"), ("API_KEY", "key:api_key")]);
}

#[test]
fn docker_inspect_reencodes_escapes_in_unmasked_part() {
    let input = "{\"Env\": [\"NOTE=a\\tb plum-Orbit-4471 <x>\"]}";
    let text = out(input, Format::DockerInspect);
    assert_eq!(text, "{\"Env\": [\"NOTE=a\\tb [REDACTED] \\u003cx\\u003e\"]}");
    serde_json::from_str::<serde_json::Value>(&text).unwrap();
}

#[test]
fn docker_inspect_invalid_json_reports_offset() {
    for (input, offset) in [("[{\"Env\": [\"A=1\",]}]", 16), ("{\"a\": 01}", 6), ("{\"a\": tru}", 6), ("[1] x", 4)] {
        let err = sanitize(input.as_bytes(), Format::DockerInspect, &redactor()).unwrap_err();
        assert_eq!(err.offset, offset, "case at offset {offset}");
        assert!(matches!(err.reason, EnvErrorReason::InvalidJson(_)));
    }
}

#[test]
fn compose_list_and_map_forms() {
    let input = "services:\n  db:\n    image: postgres # tag\n    environment:\n      - POSTGRES_USER=app\n      - \"POSTGRES_PASSWORD=s3cret pw\"\n      - 'API_TOKEN=it''s'\n      - HOST_ONLY\n      # comment\n    ports: [\"5432\"]\n  web:\n    environment:\n      DB_PASSWORD: hunter22 # inline\n      API_KEY: \"abc\"\n      SECRET: |\n        line one\n        line two\n      NOTE: uses plum-Orbit-4471\n      EMPTY:\n    command: run --password x\n";
    let expected = "services:\n  db:\n    image: postgres # tag\n    environment:\n      - POSTGRES_USER=app\n      - \"POSTGRES_PASSWORD=[REDACTED]\"\n      - 'API_TOKEN=[REDACTED]'\n      - HOST_ONLY\n      # comment\n    ports: [\"5432\"]\n  web:\n    environment:\n      DB_PASSWORD: '[REDACTED]' # inline\n      API_KEY: \"[REDACTED]\"\n      SECRET: |\n        [REDACTED]\n      NOTE: uses [REDACTED]\n      EMPTY:\n    command: run --password x\n";
    let s = run(input, Format::Auto);
    assert_eq!(s.format, Format::Compose);
    assert_eq!(String::from_utf8(s.output.clone()).unwrap(), expected);
    assert_eq!(s.flagged.len(), 6);
}

#[test]
fn compose_list_at_key_indent() {
    let input = "environment:\n- DB_PASSWORD=abc123\n- A=1\nother: DB_PASSWORD=kept\n";
    assert_eq!(out(input, Format::Compose), "environment:\n- DB_PASSWORD=[REDACTED]\n- A=1\nother: DB_PASSWORD=kept\n");
}

#[test]
fn k8s_env_items_in_any_field_order() {
    let input = "spec:\n  containers:\n  - name: app\n    env:\n    - name: DB_USER\n      value: app\n    - value: \"s3cret\"\n      name: DB_PASSWORD\n    - name: FROM_SECRET\n      valueFrom:\n        secretKeyRef: {name: db, key: password}\n    - name: NOTE\n      value: plum-Orbit-4471 # known\n    image: app:1\n";
    let expected = "spec:\n  containers:\n  - name: app\n    env:\n    - name: DB_USER\n      value: app\n    - value: \"[REDACTED]\"\n      name: DB_PASSWORD\n    - name: FROM_SECRET\n      valueFrom:\n        secretKeyRef: {name: db, key: password}\n    - name: NOTE\n      value: '[REDACTED]' # known\n    image: app:1\n";
    let s = run(input, Format::Auto);
    assert_eq!(s.format, Format::K8s);
    assert_eq!(String::from_utf8(s.output.clone()).unwrap(), expected);
    assert_eq!(names(&s), [("DB_PASSWORD", "key:password"), ("NOTE", "known:api:1")]);
}

#[test]
fn k8s_block_scalar_value() {
    let input = "env:\n- name: TLS_KEY\n  value: |-\n    abc\n    def\n- name: B\n  value: '2'\n";
    assert_eq!(
        out(input, Format::K8s),
        "env:\n- name: TLS_KEY\n  value: |-\n    [REDACTED]\n- name: B\n  value: '2'\n"
    );
}

#[test]
fn auto_detection() {
    let cases: [(&[u8], Format); 11] = [
        (b"A=1\0B=2", Format::Environ),
        (b"  [{\"Env\": []}]", Format::DockerInspect),
        (b"{}", Format::DockerInspect),
        (b"export A=1\nexport B=2\n", Format::Export),
        (b"declare -x A=\"1\"\n", Format::Export),
        (b"version: '3'\nservices:\n  a:\n    environment:\n      - A=1\n", Format::Compose),
        (b"containers:\n- env:\n  - name: A\n    value: b\n", Format::K8s),
        (b"A=1\nB=two words\n", Format::Env),
        (b"# comment\nA=1\n", Format::Dotenv),
        (b"A = 1\n", Format::Dotenv),
        (b"", Format::Env),
    ];
    for (input, expected) in cases {
        assert_eq!(detect(input).unwrap(), expected, "input of {} bytes", input.len());
    }
    assert_eq!(detect(b"A='quoted'\n").unwrap(), Format::Dotenv);
    let err = detect(b"\n\njust some text\n").unwrap_err();
    assert_eq!((err.line, err.reason), (3, EnvErrorReason::Undetectable));
    assert!(detect(b"env:\n  FOO: bar\n").is_err());
}

#[test]
fn sanitize_vars_and_sensitive_names() {
    let vars = || {
        vec![
            ("HOME".to_owned(), "/root".to_owned()),
            ("GH".to_owned(), "tok_0123456789abcdef".to_owned()),
            ("DB_PASSWORD".to_owned(), "x".to_owned()),
            ("NOTE".to_owned(), "plum-Orbit-4471".to_owned()),
            ("API_TOKEN".to_owned(), "<placeholder>".to_owned()),
        ]
    };
    let r = Redactor::builder()
        .known_value(b"plum-Orbit-4471")
        .format_rule(crate::FormatRule::new("test-token", "tok_[0-9a-f]{16}", &["tok_"]))
        .build()
        .unwrap();
    let masked = sanitize_vars(vars(), &r);
    assert_eq!(masked[0].1, "/root");
    assert_ne!(masked[1].1, vars()[1].1);
    assert_eq!(masked[2].1, "[REDACTED]");
    assert_eq!(masked[3].1, "[REDACTED]");
    assert_eq!(masked[4].1, "<placeholder>");
    let names = sensitive_names(vars(), &r);
    let names: Vec<(&str, &str)> = names.iter().map(|(n, r)| (n.as_str(), r.as_str())).collect();
    assert_eq!(names, [("GH", "test-token"), ("DB_PASSWORD", "key:password"), ("NOTE", "known:api:1")]);
}

#[test]
fn debug_output_never_shows_values() {
    let s = run("DB_PASSWORD=hunter22x\n", Format::Env);
    let dbg = format!("{s:?}");
    assert!(!dbg.contains("hunter22x") && !dbg.contains("REDACTED"), "{dbg}");
}

/// One case of `testdata/env/*.json`.
#[derive(serde::Deserialize)]
struct FormatCase {
    name: String,
    format: String,
    input: String,
    expected: String,
    #[serde(default)]
    known: Vec<String>,
}

fn testdata(dir: &str) -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata").join(dir);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn format_corpus() {
    let mut count = 0;
    for file in testdata("env") {
        let cases: Vec<FormatCase> = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for case in cases {
            let mut b = Redactor::builder();
            for k in &case.known {
                b = b.known_value(k.as_bytes());
            }
            let format: Format = case.format.parse().unwrap();
            let got = sanitize(case.input.as_bytes(), format, &b.build().unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", case.name));
            assert_eq!(String::from_utf8_lossy(&got.output), case.expected, "case {}", case.name);
            count += 1;
        }
    }
    assert!(count >= 10, "only {count} env format cases");
}

/// The `env` cases of the conformance corpus: the sanitizer (auto-detected format) and the
/// plain redactor agree on them.
#[test]
fn conformance_env_cases() {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/conformance/env.json");
    let cases: Vec<serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    assert!(cases.len() >= 8);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let mut b = Redactor::builder();
        for k in case["options"]["known"].as_array().into_iter().flatten() {
            b = b.known_value(k.as_str().unwrap().as_bytes());
        }
        let r = b.build().unwrap();
        let input = case["input"].as_str().unwrap();
        let expected = case["expected"].as_str().unwrap();
        let got = sanitize(input.as_bytes(), Format::Auto, &r).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(String::from_utf8_lossy(&got.output), expected, "sanitize: {name}");
        assert_eq!(String::from_utf8_lossy(&r.redact(input.as_bytes())), expected, "redact: {name}");
    }
}

#[test]
fn unknown_format_never_shows_the_name_given() {
    crate::test_support::assert_unknown_name_not_echoed::<Format>("expected one of: auto, env");
}
