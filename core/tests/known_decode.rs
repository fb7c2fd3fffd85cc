//! Decode and redact: encoded segments in a closed set of contexts are decoded, scanned
//! with the same rules, and masked whole when anything is found.
//!
//! Most tests turn off the rules that would mask these contexts by themselves (the
//! `basic-auth` format rule, the `authorization` / `auth` key rules), so only decoding can
//! find the secret, and use a test format rule for tokens (`tok_` + 12 characters).

use std::io::Write;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hush::{Builder, FormatRule, MaskStyle, Redactor};

const TOKEN: &str = "tok_abcdef123456";

fn b64(s: &str) -> String {
    STANDARD.encode(s)
}

/// Only decoding can find a secret in the contexts.
fn decode_only() -> Builder {
    Redactor::builder()
        .mask(MaskStyle::Label)
        .disable("basic-auth")
        .allow_keys(&["authorization", "auth"])
        .format_rule(FormatRule::new("test-token", r"tok_[a-z0-9]{12}", &["tok_"]))
}

#[test]
fn authorization_basic_header() {
    let r = decode_only().build().unwrap();
    let enc = b64(&format!("deploy:{TOKEN}"));
    assert_eq!(
        r.redact_str(&format!("> Authorization: Basic {enc}\n")),
        "> Authorization: Basic [REDACTED:test-token]\n"
    );
    // Decoded text without a secret: untouched; `Basic` outside an Authorization header: untouched.
    let plain = format!("> Authorization: Basic {}\n", b64("deploy:nothing-here"));
    assert_eq!(r.redact_str(&plain), plain);
    let other = format!("note: Basic {enc}\n");
    assert_eq!(r.redact_str(&other), other);
}

#[test]
fn git_extraheader() {
    let r = decode_only().build().unwrap();
    let enc = b64(&format!("ci-bot:{TOKEN}"));
    assert_eq!(
        r.redact_str(&format!("git -c http.extraheader=\"AUTHORIZATION: basic {enc}\" clone https://git.example/r\n")),
        "git -c http.extraheader=\"AUTHORIZATION: basic [REDACTED:test-token]\" clone https://git.example/r\n"
    );
}

#[test]
fn dockerconfigjson_auth_field() {
    let r = decode_only().build().unwrap();
    let enc = b64(&format!("robot:{TOKEN}"));
    let line = format!(r#"{{"auths":{{"registry.example.com":{{"auth":"{enc}","email":"ci@example.com"}}}}}}"#);
    assert_eq!(
        r.redact_str(&line),
        // Everything under `auths` is masked, as in the JSON mode; the decoded token is
        // the finding that names the `auth` value.
        r#"{"auths":{"registry.example.com":{"auth":"[REDACTED:test-token]","email":"[REDACTED:key:auth]"}}}"#
    );
}

#[test]
fn kubernetes_secret_data_block_yaml() {
    let r = Redactor::builder().mask(MaskStyle::Label).build().unwrap();
    let env_file = b64("DB_HOST=db\nDB_PASSWORD=plum-Orbit-4471\n");
    let harmless = b64("just some configuration text");
    let manifest = format!(
        "apiVersion: v1\ndata:\n  app.env: {env_file}\n  notes.txt: {harmless}\nkind: Secret\nmetadata:\n  name: app\n  labels:\n    x: {env_file}\ntype: Opaque\n"
    );
    let expected = format!(
        "apiVersion: v1\ndata:\n  app.env: [REDACTED:key:password]\n  notes.txt: {harmless}\nkind: Secret\nmetadata:\n  name: app\n  labels:\n    x: {env_file}\ntype: Opaque\n"
    );
    assert_eq!(r.redact_str(&manifest), expected);
    // Streaming in small chunks gives the same output.
    let mut w = r.stream(Vec::new());
    for chunk in manifest.as_bytes().chunks(5) {
        w.write_all(chunk).unwrap();
    }
    assert_eq!(String::from_utf8(w.finish().unwrap().0).unwrap(), expected);
}

#[test]
fn kubernetes_secret_data_block_json_and_list() {
    let r = Redactor::builder().mask(MaskStyle::Label).build().unwrap();
    let env_file = b64("API_TOKEN=zz-998877-token\n");
    let json = format!(
        "{{\n    \"data\": {{\n        \"app.env\": \"{env_file}\",\n        \"n\": \"{}\"\n    }},\n    \"kind\": \"Secret\"\n}}\n",
        b64("plain words only")
    );
    let out = r.redact_str(&json);
    assert!(!out.contains(&env_file) && out.contains("\"app.env\": \"[REDACTED:key:token]\","), "{out}");
    assert!(out.contains(&b64("plain words only")));
    let list = format!("items:\n- apiVersion: v1\n  data:\n    app.env: {env_file}\n  kind: Secret\n");
    assert_eq!(
        r.redact_str(&list),
        "items:\n- apiVersion: v1\n  data:\n    app.env: [REDACTED:key:token]\n  kind: Secret\n"
    );
}

#[test]
fn nested_dockerconfigjson_inside_secret_data_is_depth_two() {
    let r = decode_only().build().unwrap();
    let inner = b64(&format!("robot:{TOKEN}"));
    let config = b64(&format!(r#"{{"auths":{{"r.example":{{"auth":"{inner}"}}}}}}"#));
    let manifest = format!("data:\n  .dockerconfigjson: {config}\nkind: Secret\n");
    assert_eq!(r.redact_str(&manifest), "data:\n  .dockerconfigjson: [REDACTED:docker-config-json]\nkind: Secret\n");
    // Three levels deep is past the nesting limit.
    let deeper = b64(&format!("wrapped:{}", b64(&format!("robot:{TOKEN}"))));
    let config = b64(&format!(r#"{{"auths":{{"r.example":{{"auth":"{deeper}"}}}}}}"#));
    let manifest = format!("data:\n  .dockerconfigjson: {config}\n");
    // The token itself is not reached; only the catalogue's dockerconfig rule may fire.
    assert!(!r.redact_str(&manifest).contains("test-token"));
}

#[test]
fn percent_encoded_dsn_password_holding_a_known_value() {
    // Only `@` and `:` are encoded, `!` is not: no full percent form matches, decoding does.
    let r = Redactor::builder().mask(MaskStyle::Label).known_value(b"p@ss:w0rd!xyz").build().unwrap();
    let out = r.redact_str("connecting to postgres://app:p%40ss%3Aw0rd!xyz@db:5432/app\n");
    assert_eq!(out, "connecting to postgres://app:[REDACTED:db-url-password]@db:5432/app\n");
}

#[test]
fn oversized_segments_are_not_decoded() {
    let r = decode_only().build().unwrap();
    let mut big = "a".repeat(70 * 1024);
    big.push_str(TOKEN);
    let line = format!("Authorization: Basic {}\n", b64(&big));
    assert_eq!(r.redact_str(&line), line);
}
