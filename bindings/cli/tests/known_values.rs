//! End to end: the filter learns secrets from a secrets directory and the environment, and
//! catches them raw and encoded, while decoys and certificates pass untouched.

use std::fs;

use assert_cmd::Command;
use base64::Engine as _;

const DB_PASSWORD: &str = "plum-Orbit-4471";
const API_TOKEN: &str = "tok-Rain-Vault-8812";
const SERVICE_PASS: &str = "s3rvice Acct/Pass!";
const PEM_LINE: &str = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj";
const CERT_LINE: &str = "MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ";

#[test]
fn secrets_from_files_and_env_are_masked_raw_and_encoded() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = dir.path().join("secrets");
    fs::create_dir(&secrets).unwrap();
    fs::write(secrets.join("db_password"), format!("{DB_PASSWORD}\n")).unwrap();
    fs::write(secrets.join("service_pass"), SERVICE_PASS).unwrap();
    fs::write(secrets.join("tls.key"), format!("-----BEGIN PRIVATE KEY-----\n{PEM_LINE}\n-----END PRIVATE KEY-----\n"))
        .unwrap();
    let bundle = dir.path().join("ca.pem");
    fs::write(&bundle, format!("-----BEGIN CERTIFICATE-----\n{CERT_LINE}\n-----END CERTIFICATE-----\n")).unwrap();

    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let log = format!(
        "connecting with {DB_PASSWORD} failed\n\
         Authorization: Basic {basic}\n\
         url=https://api.example.com/x?t={pct}\n\
         body={{\"token\":\"{API_TOKEN}\"}} hex={hex}\n\
         pem line {PEM_LINE}\n\
         cert line {CERT_LINE}\n\
         decoy {decoy_b64} plum Orbit words 4471\n",
        basic = b64(&format!("app:{DB_PASSWORD}")),
        pct = "s3rvice%20Acct%2FPass%21",
        hex = DB_PASSWORD.bytes().map(|b| format!("{b:02x}")).collect::<String>(),
        decoy_b64 = b64("just some other payload"),
    );

    let out = Command::cargo_bin("hush")
        .unwrap()
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DB_PASSWORD_FILE", secrets.join("db_password"))
        .env("API_TOKEN", API_TOKEN)
        .env("SSL_CERT_FILE", &bundle)
        .args(["--secrets-dir", secrets.to_str().unwrap()])
        .write_stdin(log.clone())
        .output()
        .unwrap();
    assert!(out.status.success(), "hush failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), log.lines().count());
    for secret in [DB_PASSWORD, API_TOKEN, PEM_LINE, &b64(&format!("app:{DB_PASSWORD}"))] {
        assert!(!text.contains(secret), "a known value survived (secret length {})", secret.len());
    }
    assert!(!text.contains("Acct%2FPass"), "percent-encoded password survived");
    assert!(!text.contains("706c756d2d4f72626974"), "hex-encoded password survived");
    // Decoys and public material are untouched.
    assert!(text.contains(CERT_LINE), "certificate line was masked");
    assert!(text.contains(&b64("just some other payload")), "unrelated base64 was masked");
    assert!(text.contains("plum Orbit words 4471"), "plain words were masked");
}
