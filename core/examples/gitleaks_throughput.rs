//! Throughput of `redact` on a generated realistic log (access log, JSON lines, logfmt,
//! tracebacks; one line in 200 carries a secret), with the built-in rules and with a
//! gitleaks rule file imported.
//!
//! ```sh
//! cargo run --release -p hush --example gitleaks_throughput -- ../shared/data/gitleaks.toml
//! ```
//!
//! Prints wall-clock and CPU-time MB/s (CPU time from `/proc/thread-self/stat` on Linux,
//! which is steadier than wall time on a shared machine).

use std::time::Instant;

/// A small deterministic generator, so every run measures the same log.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn pick(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n)
            .map(|_| alphabet[(self.next() % alphabet.len() as u64) as usize] as char)
            .collect()
    }
}

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn generate(bytes: usize) -> Vec<u8> {
    let mut r = Lcg(42);
    let paths = [
        "/api/v1/users",
        "/api/v2/orders",
        "/static/app.js",
        "/api/v1/auth/refresh",
        "/healthz",
        "/login",
    ];
    let mut out = String::with_capacity(bytes + 256);
    let mut i = 0u64;
    while out.len() < bytes {
        i += 1;
        let path = paths[(r.next() % paths.len() as u64) as usize];
        if i % 200 == 0 {
            let line = match r.next() % 4 {
                0 => format!("DB_PASSWORD={}\n", r.pick(ALNUM, 20)),
                1 => format!(
                    "2024-05-01T10:00:{:02}Z WARN retry with token ghp_{}\n",
                    i % 60,
                    r.pick(ALNUM, 36)
                ),
                2 => format!(
                    "{{\"level\":\"debug\",\"headers\":{{\"Authorization\":\"Bearer {}\"}}}}\n",
                    r.pick(ALNUM, 32)
                ),
                _ => format!(
                    "time=2024-05-01T10:00:00Z level=info access_key=AKIA{}\n",
                    r.pick(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
                ),
            };
            out.push_str(&line);
            continue;
        }
        let line = match r.next() % 5 {
            0 => format!(
                "10.0.{}.{} - - [01/May/2024:10:00:{:02} +0000] \"GET {path}/{}?page={} HTTP/1.1\" 200 {} \"-\" \"Mozilla/5.0 (X11; Linux x86_64)\"\n",
                r.next() % 256,
                r.next() % 256,
                i % 60,
                r.next() % 10000,
                r.next() % 20,
                r.next() % 100000
            ),
            1 => format!(
                "{{\"ts\":\"2024-05-01T10:00:{:02}.123Z\",\"level\":\"info\",\"msg\":\"request completed\",\"path\":\"{path}\",\"status\":200,\"request_id\":\"{}\"}}\n",
                i % 60,
                r.pick(b"0123456789abcdef", 32)
            ),
            2 => format!(
                "time=2024-05-01T10:00:{:02}Z level=debug msg=\"cache hit\" key=user:{} ttl=300 component=api-gateway\n",
                i % 60,
                r.next() % 100000
            ),
            3 => format!(
                "  File \"/app/service/handlers.py\", line {}, in process_request\n    result = self.client.fetch(url, timeout=30)\n",
                r.next() % 900
            ),
            _ => format!(
                "2024-05-01 10:00:{:02},123 INFO  [main] c.e.s.OrderService - processed order {} in {} ms\n",
                i % 60,
                r.next() % 1000000,
                r.next() % 500
            ),
        };
        out.push_str(&line);
    }
    out.into_bytes()
}

/// CPU seconds of this thread (Linux), or `None`.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let fields: Vec<&str> = stat[stat.rfind(')')? + 2..].split(' ').collect();
    Some((fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?) / 100.0)
}

fn measure(name: &str, redactor: &hush::Redactor, log: &[u8]) {
    for _ in 0..3 {
        let (wall, cpu) = (Instant::now(), cpu_seconds());
        let (_, report) = redactor.redact_with_report(log);
        let wall = wall.elapsed().as_secs_f64();
        let mb = log.len() as f64 / 1e6;
        let cpu = cpu
            .zip(cpu_seconds())
            .map(|(a, b)| format!("{:.0} MB/s CPU", mb / (b - a)));
        let found: u64 = report.rules.values().map(|c| c.count).sum();
        println!(
            "{name}: {:.0} MB/s wall, {}, {found} findings",
            mb / wall,
            cpu.unwrap_or_default()
        );
    }
}

fn main() {
    let log = generate(32 << 20);
    measure("built-in rules", &hush::Redactor::default(), &log);
    if let Some(path) = std::env::args().nth(1) {
        let started = Instant::now();
        let redactor = hush::Redactor::builder()
            .gitleaks_file(&path)
            .build()
            .expect("gitleaks file loads");
        println!(
            "gitleaks import and compile: {:.2} s",
            started.elapsed().as_secs_f64()
        );
        measure("with gitleaks rules", &redactor, &log);
    }
}
