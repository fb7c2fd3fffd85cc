//! Writes a deterministic realistic log corpus to stdout.
//!
//! Usage: `gen-corpus BYTES [one-in-N | none | quiet] [SEED]`

use std::io::Write;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bytes: usize = args.get(1).and_then(|s| parse_size(s)).unwrap_or(10 << 20);
    let mode = args.get(2).map(String::as_str).unwrap_or("200");
    let seed: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1);
    let mut out = std::io::stdout().lock();
    // Generate in slices so memory stays small for gigabyte corpora.
    let slice = 16 << 20;
    let mut written = 0;
    let mut n = 0;
    while written < bytes {
        let want = slice.min(bytes - written);
        let data = match mode {
            "quiet" => hush_benches::quiet_corpus(want, 120, seed + n),
            "none" => hush_benches::corpus(want, hush_benches::Density::None, seed + n),
            n_in => hush_benches::corpus(want, hush_benches::Density::OneIn(n_in.parse().unwrap_or(200)), seed + n),
        };
        if out.write_all(&data).is_err() {
            return;
        }
        written += data.len();
        n += 1;
    }
}

fn parse_size(s: &str) -> Option<usize> {
    let (num, mul) = match s.as_bytes().last()? {
        b'K' | b'k' => (&s[..s.len() - 1], 1 << 10),
        b'M' | b'm' => (&s[..s.len() - 1], 1 << 20),
        b'G' | b'g' => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    num.parse::<usize>().ok().map(|n| n * mul)
}
