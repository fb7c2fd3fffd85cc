//! A deterministic generator of realistic logs for benchmarks and comparisons.
//!
//! The corpus mixes JSON lines, logfmt, nginx access lines, Python/Java/Go crash output
//! and env dumps, with plenty of look-alikes (UUIDs, SHAs, base64 payloads, `/api/`
//! paths, `KEYBOARD_LAYOUT=us`) and, at a chosen density, secrets of every default rule
//! kind. The same seed always gives the same bytes.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// How often a line carries a secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Density {
    /// No secrets at all.
    None,
    /// One line in `n` carries a secret.
    OneIn(u32),
}

/// Known values planted in the corpus (pass them to the redactor as known values).
pub const KNOWN_VALUES: &[&str] = &["plum-Orbit-4471", "Xq7-vault-Rain-88", "s3rvice-Acct-Pass!"];

/// Generates about `bytes` bytes of log text (whole lines).
pub fn corpus(bytes: usize, density: Density, seed: u64) -> Vec<u8> {
    let mut g = Gen { rng: ChaCha8Rng::seed_from_u64(seed), out: Vec::with_capacity(bytes + 4096), seq: 0 };
    while g.out.len() < bytes {
        let secret = match density {
            Density::None => false,
            Density::OneIn(n) => g.rng.random_range(0..n) == 0,
        };
        if secret {
            g.secret_line();
        } else {
            g.plain_line();
        }
    }
    g.out
}

/// A corpus of lines of exactly `len` bytes (plus newline), with no secrets and no words
/// that key rules or token formats look for: the fast path's ceiling.
pub fn quiet_corpus(bytes: usize, len: usize, seed: u64) -> Vec<u8> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let alphabet = b"abcdefghijlmnoqrsuvwxyz0123456789 ";
    let mut out = Vec::with_capacity(bytes + len + 1);
    while out.len() < bytes {
        for _ in 0..len {
            out.push(alphabet[rng.random_range(0..alphabet.len())]);
        }
        out.push(b'\n');
    }
    out
}

struct Gen {
    rng: ChaCha8Rng,
    out: Vec<u8>,
    seq: u64,
}

const PATHS: &[&str] = &["/api/v1/users", "/api/v2/orders/42", "/api/keys", "/static/app.js", "/healthz", "/api/v1/auth/refresh", "/login"];
const AGENTS: &[&str] = &["Mozilla/5.0 (X11; Linux x86_64)", "curl/8.5.0", "kube-probe/1.29", "python-requests/2.31"];
const MSGS: &[&str] = &["request completed", "user login", "cache miss", "token refreshed", "retrying upstream", "session started", "key rotated"];

impl Gen {
    fn hex(&mut self, n: usize) -> String {
        (0..n).map(|_| char::from(b"0123456789abcdef"[self.rng.random_range(0..16)])).collect()
    }

    fn alnum(&mut self, n: usize) -> String {
        let a = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        (0..n).map(|_| char::from(a[self.rng.random_range(0..a.len())])).collect()
    }

    fn uuid(&mut self) -> String {
        format!("{}-{}-{}-{}-{}", self.hex(8), self.hex(4), self.hex(4), self.hex(4), self.hex(12))
    }

    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.rng.random_range(0..list.len())]
    }

    fn line(&mut self, s: String) {
        self.out.extend_from_slice(s.as_bytes());
        self.out.push(b'\n');
        self.seq += 1;
    }

    fn plain_line(&mut self) {
        let seq = self.seq;
        let kind = self.rng.random_range(0..100);
        let line = match kind {
            0..=29 => {
                let (path, msg, id) = (self.pick(PATHS), self.pick(MSGS), self.uuid());
                format!(r#"{{"ts":"2024-05-01T12:00:{:02}Z","level":"info","msg":"{msg}","path":"{path}","request_id":"{id}","duration_ms":{},"seq":{seq}}}"#, seq % 60, seq % 997)
            }
            30..=54 => {
                let (path, agent) = (self.pick(PATHS), self.pick(AGENTS));
                format!(r#"10.0.{}.{} - - [01/May/2024:12:00:{:02} +0000] "GET {path}?page={} HTTP/1.1" 200 {} "-" "{agent}""#, seq % 255, seq % 251, seq % 60, seq % 9, 512 + seq % 4096)
            }
            55..=74 => {
                let (msg, sha) = (self.pick(MSGS), self.hex(40));
                format!("time=2024-05-01T12:00:00Z level=info msg=\"{msg}\" commit={sha} user=app-{} token_count={} KEYBOARD_LAYOUT=us", seq % 50, seq % 300)
            }
            75..=84 => {
                let payload = self.alnum(44);
                format!("2024-05-01 12:00:00,123 DEBUG worker.tasks: payload={payload}== digest=sha256:{}", self.hex(64))
            }
            85..=89 => format!("  File \"/app/service/handlers.py\", line {}, in handle_request", 10 + seq % 400),
            90..=93 => format!("\tat com.example.service.OrderService.process(OrderService.java:{})", 10 + seq % 900),
            94..=96 => format!("goroutine {} [running]:\nmain.(*Server).ServeHTTP(0xc000{})", seq % 64, self.hex(6)),
            _ => format!("HOSTNAME=web-{}\nLANG=C.UTF-8\nPATH=/usr/local/bin:/usr/bin:/bin", self.hex(6)),
        };
        self.line(line);
    }

    fn secret_line(&mut self) {
        let kind = self.rng.random_range(0..12);
        let line = match kind {
            0 => format!(r#"{{"level":"info","msg":"config loaded","db_password":"{}","user":"app"}}"#, self.alnum(16)),
            1 => format!("time=2024-05-01T12:00:00Z level=debug msg=\"auth\" api_key={} user=bob", self.alnum(32)),
            2 => format!("Authorization: Bearer {}", self.alnum(40)),
            3 => format!("pushing with token ghp_{}", self.alnum(36)),
            4 => format!("aws configure set aws_access_key_id AKIA{}", self.alnum(16).to_uppercase()),
            5 => format!("DATABASE_URL=postgres://app:{}@db:5432/app", self.alnum(20)),
            6 => format!("retrying login with {} failed", self.pick(KNOWN_VALUES)),
            7 => format!("    password = '{}'", self.alnum(14)),
            8 => format!("jwt=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ{}.{}", self.alnum(24), self.alnum(43)),
            9 => format!("Cookie: theme=dark; sessionid={}; lang=en", self.alnum(32)),
            10 => format!("stripe charge created with sk_live_{}", self.alnum(24)),
            _ => format!("export SLACK_TOKEN=xoxb-{}-{}-{}", self.rng.random_range(100000000000u64..999999999999), self.rng.random_range(100000000000u64..999999999999), self.alnum(24)),
        };
        self.line(line);
    }
}
