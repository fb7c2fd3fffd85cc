//! The matcher: one Aho-Corasick pass over every literal (key words, format-rule keywords,
//! known values and their encodings), then cheap local confirmation, then a bounded regex
//! window only for format rules whose keyword occurred.

mod container;
mod decode;
mod format;
mod group;
mod keyvalue;
mod linear;
mod literals;
pub(crate) mod pair;
mod shape;
mod teddy;
mod url;
mod values;

use aho_corasick::{AhoCorasick, MatchKind};
use smallvec::SmallVec;

use crate::known::KnownValue;
use crate::redactor::Builder;
use crate::rules::format::{FormatRule, RuleSource};
use crate::rules::keys::KeyRules;
use crate::{Error, ErrorKind, RuleId, RuleInfo, RuleKind};

pub(crate) use decode::data_block_start;
pub(crate) use format::CompiledRule;
pub(crate) use keyvalue::{ValueEnd, is_placeholder};
pub(crate) use literals::HitChain;
use literals::Literals;

/// What to do when a literal occurs.
#[derive(Clone, Copy, Debug)]
enum Trigger {
    /// A key word: confirm a `name<delim>value` construct around it.
    Key,
    /// A keyword of format rule `n`: run its regex on a window around the hit.
    Format(u32),
    /// Known value `n` in encoding `form`: a finding as it stands (base64 grows to its token).
    Known(u32, crate::known::Form),
    /// `://`: look for a password in URL userinfo.
    Url,
    /// `-----BEGIN`: maybe the first line of a multi-line PEM private key.
    PemBegin,
    /// A context whose encoded segment is decoded and scanned (see `decode`).
    Decode(decode::Context),
}

/// A span to mask, relative to the line or window it was found in.
#[derive(Clone, Debug)]
pub(crate) struct Span {
    pub start: usize,
    pub end: usize,
    pub rule: RuleId,
    pub kind: RuleKind,
    pub prefix_len: usize,
    pub truncated: bool,
    /// The mask is written inside added quotes (a non-string JSON value under a secret key).
    pub quote: bool,
    /// The value may go on past the end of the scanned region.
    pub continues: Option<ValueEnd>,
}

impl Span {
    /// A key rule's value at `start..end`, whole, its mask written as it is.
    pub(crate) fn key(start: usize, end: usize, rule: RuleId) -> Span {
        Span { start, end, rule, kind: RuleKind::Key, prefix_len: 0, truncated: false, quote: false, continues: None }
    }

    /// Writes this span's mask, `secret` being its bytes (from `start` on when its head was
    /// written before).
    pub(crate) fn write_mask(&self, masker: &crate::mask::Masker, secret: &[u8], out: &mut Vec<u8>) {
        if self.quote {
            out.push(b'"');
        }
        masker.write(out, &self.rule, secret, self.prefix_len);
        if self.quote {
            out.push(b'"');
        }
    }
}

/// Context of the region being scanned.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Region {
    /// The region starts at the start of a line.
    pub starts_line: bool,
    /// The region ends at the end of a line.
    pub ends_line: bool,
}

/// Results of scanning one line: spans, and whether a PEM private-key block opens.
#[derive(Default)]
pub(crate) struct LineScan {
    pub spans: Vec<Span>,
    pub pem_begin: Option<RuleId>,
}

pub(crate) struct Engine {
    literals: Literals,
    /// Every literal, sorted: finds a partial literal at the end of a held line.
    sorted_patterns: Vec<Vec<u8>>,
    pattern_lens: Vec<u32>,
    /// Triggers per pattern.
    triggers: Vec<Vec<Trigger>>,
    /// Per pattern: the other patterns occurring inside it, with their offsets. A
    /// leftmost-longest match stands for those too.
    implied: Vec<Vec<(u32, u32)>>,
    /// Per pattern: could another pattern start inside it and run past its end? Only then
    /// does the search resume inside a match instead of after it.
    may_overlap: Vec<bool>,
    rules: Vec<CompiledRule>,
    known: Vec<KnownValue>,
    known_rules: Vec<RuleId>,
    infos: Vec<RuleInfo>,
    warnings: Vec<String>,
    max_match: usize,
    pem_rule: RuleId,
    url_rule: RuleId,
    db_url_rule: RuleId,
    allow_values: Vec<Vec<u8>>,
    allow_regexes: Vec<regex_automata::meta::Regex>,
}

/// Longest match any rule may produce before it is capped.
pub(crate) const DEFAULT_MAX_LEN: usize = 4096;
/// Most format rules a redactor accepts.
pub(crate) const MAX_RULES: usize = 20_000;

impl Engine {
    pub(crate) fn build(b: &Builder, keys: &KeyRules, _line_cap: usize) -> Result<Engine, Error> {
        let mut warnings = Vec::new();
        let mut infos = Vec::new();
        let mut all_rules: Vec<FormatRule> = crate::rules::builtin::structural_rules();
        if b.builtin_formats.unwrap_or(true) {
            all_rules.extend(crate::rules::catalog::rules());
        }
        let mut disabled: Vec<String> = b.disabled.clone();
        for source in &b.gitleaks {
            let imported = source.import(b.lenient)?;
            warnings.extend(imported.warnings);
            disabled.extend(imported.disabled);
            all_rules.extend(imported.rules);
        }
        all_rules.extend(b.format_rules.iter().cloned());
        if all_rules.len() > MAX_RULES {
            return Err(Error::new(ErrorKind::Limit, format!("too many rules (limit {MAX_RULES})")));
        }

        let mut rules = Vec::new();
        for rule in &all_rules {
            let is_disabled = disabled.contains(&rule.id);
            if is_disabled || rule.inactive.is_some() {
                infos.push(RuleInfo::from_format(
                    rule,
                    None,
                    false,
                    rule.inactive.clone().or(Some("disabled by config".into())),
                ));
                continue;
            }
            match CompiledRule::compile(rule) {
                Ok(c) => {
                    let note = crate::gitleaks::coverage_note(rule);
                    infos.push(RuleInfo::from_format(rule, Some(c.bound()), true, note));
                    rules.push(c);
                }
                Err(e) if b.lenient && rule.source != RuleSource::Builtin => {
                    warnings.push(format!("skipped rule `{}`: {}", rule.id, e.message()));
                    infos.push(RuleInfo::from_format(rule, None, false, Some(format!("skipped: {}", e.message()))));
                }
                Err(e) => return Err(e),
            }
        }

        let loaded = crate::known::collect(b, keys)?;
        warnings.extend(loaded.warnings);
        let known: Vec<KnownValue> = loaded.values;

        // Literal table.
        let mut pattern_triggers: Vec<Vec<Trigger>> = Vec::new();
        // Each literal's id. The map holds the only copy of each literal until the table is
        // built from it (thousands of known values give tens of thousands). Foldhash, not
        // SipHash: the keys are the redactor's own literals, not attacker-chosen.
        let mut index: std::collections::HashMap<Vec<u8>, usize, foldhash::fast::FixedState> =
            std::collections::HashMap::default();
        let mut add = |lit: Vec<u8>, t: Trigger, pt: &mut Vec<Vec<Trigger>>| {
            if lit.is_empty() {
                return;
            }
            let next = index.len();
            let i = *index.entry(lit).or_insert(next);
            if i == next {
                pt.push(Vec::new());
            }
            pt[i].push(t);
        };
        for lit in keys.literals() {
            add(lit.as_bytes().to_vec(), Trigger::Key, &mut pattern_triggers);
        }
        for (i, rule) in rules.iter().enumerate() {
            for kw in rule.keyword_forms() {
                add(kw, Trigger::Format(i as u32), &mut pattern_triggers);
            }
        }
        add(b"://".to_vec(), Trigger::Url, &mut pattern_triggers);
        add(b"-----BEGIN".to_vec(), Trigger::PemBegin, &mut pattern_triggers);
        for (lit, ctx) in decode::literals() {
            add(lit.as_bytes().to_vec(), Trigger::Decode(*ctx), &mut pattern_triggers);
        }
        // Known-value forms last: those that are no other literal get the ids from here on,
        // which the literal scan may search apart from the rest.
        let forms_from = pattern_triggers.len();
        let mut known_rules = Vec::new();
        for (i, k) in known.iter().enumerate() {
            known_rules.push(RuleId::new(&k.rule));
            for (lit, form) in crate::known::encoded_forms(&k.value) {
                add(lit, Trigger::Known(i as u32, form), &mut pattern_triggers);
            }
        }
        let mut patterns: Vec<Vec<u8>> = vec![Vec::new(); index.len()];
        for (lit, i) in index {
            patterns[i] = lit;
        }

        let triggers = pattern_triggers;
        let literals = Literals::build_with(&patterns, forms_from, !b.no_vector_prefilter)?;
        let apart = if literals.forms_apart() { forms_from } else { patterns.len() };
        let order = byte_order(&patterns);
        let (implied, may_overlap) = overlaps(&patterns, apart, &order);

        let max_match =
            rules.iter().map(CompiledRule::bound).chain(patterns.iter().map(Vec::len)).max().unwrap_or(0).max(512);

        for (i, k) in known.iter().enumerate() {
            infos.push(RuleInfo {
                id: k.rule.clone(),
                kind: RuleKind::Known,
                description: "known secret value (and its encodings)".into(),
                bound: Some(known_rules[i].as_str().len().max(k.value.len())),
                source: "known".into(),
                active: true,
                reason: None,
            });
        }
        let _ = keys;

        let allow_regexes = b
            .allow_regexes
            .iter()
            .map(|r| format::compile_regex(r).map_err(|m| Error::config(format!("allow_regexes: {m}"))))
            .collect::<Result<Vec<_>, _>>()?;

        let pattern_lens = patterns.iter().map(|p| p.len() as u32).collect();
        // The literals themselves, not a copy: thousands of known values make them many.
        let sorted_patterns = order.iter().map(|&i| std::mem::take(&mut patterns[i as usize])).collect();
        Ok(Engine {
            literals,
            sorted_patterns,
            pattern_lens,
            triggers,
            implied,
            may_overlap,
            rules,
            known,
            known_rules,
            infos,
            warnings,
            max_match,
            pem_rule: RuleId::new("private-key"),
            url_rule: RuleId::new("url-password"),
            db_url_rule: RuleId::new("db-url-password"),
            allow_values: b.allow_values.iter().map(|v| v.to_vec()).collect(),
            allow_regexes,
        })
    }

    pub(crate) fn rules(&self) -> &[CompiledRule] {
        &self.rules
    }

    /// Does the literal scan run on the SIMD prefilter?
    #[cfg(test)]
    pub(crate) fn uses_teddy(&self) -> bool {
        self.literals.uses_teddy()
    }

    pub(crate) fn known_count(&self) -> usize {
        self.known.len()
    }

    pub(crate) fn loaded_known(&self) -> &[KnownValue] {
        &self.known
    }

    pub(crate) fn warnings(&self) -> &[String] {
        &self.warnings
    }

    pub(crate) fn rule_infos(&self) -> Vec<RuleInfo> {
        self.infos.clone()
    }

    /// Longest span any literal or bounded rule can match: the overlap between windows.
    pub(crate) fn max_match(&self) -> usize {
        self.max_match
    }

    /// Scans one line (or a window of a long line) and returns the spans to mask.
    pub(crate) fn scan_line(&self, line: &[u8], region: Region, keys: &KeyRules) -> LineScan {
        self.scan_line_at(line, region, keys, 0)
    }

    /// [`scan_line`](Self::scan_line) at decoding depth `depth` (0: the input itself).
    fn scan_line_at(&self, line: &[u8], region: Region, keys: &KeyRules, depth: u8) -> LineScan {
        let mut hits = Vec::new();
        self.collect_hits(line, 0, line.len(), &mut hits);
        self.scan_hits_at(line, &hits, region, keys, depth)
    }

    /// Every literal occurrence in `hay[from..to]`, in order of start. Hits are
    /// `(start, end, pattern)`; the search skips over a match unless another literal could
    /// start inside it and run past it.
    pub(crate) fn collect_hits(&self, hay: &[u8], from: usize, to: usize, hits: &mut Vec<Hit>) {
        // One chain search (not a `find_hit` per hit: each would set the scan up again),
        // then the literals implied inside its hits.
        let first = hits.len();
        let mut scratch = Vec::new();
        self.literals.chain(hay, from, to, &|h| self.resume_after(h), hits, &mut scratch);
        for i in first..hits.len() {
            let hit = hits[i];
            for &(off, q) in &self.implied[hit.pattern as usize] {
                let start = hit.start + off as usize;
                hits.push(Hit { start, end: start + self.pattern_len(q), pattern: q });
            }
        }
        hits.sort_unstable_by_key(|h| h.start);
    }

    /// The leftmost-longest literal occurrence in `hay[from..]`.
    #[inline]
    pub(crate) fn find_hit(&self, hay: &[u8], from: usize) -> Option<Hit> {
        self.literals.find(hay, from)
    }

    /// The next hit of a block's chain (see [`HitChain::next`]): the same as
    /// [`find_hit`](Self::find_hit) from `from`, found a segment at a time in lanes.
    #[inline]
    pub(crate) fn next_hit(&self, chain: &mut HitChain, hay: &[u8], from: usize) -> Option<Hit> {
        chain.next(&self.literals, hay, from, &|h| self.resume_after(h))
    }

    /// Records `hit` and the literals occurring inside it.
    #[inline]
    pub(crate) fn push_hit(&self, hit: Hit, hits: &mut Vec<Hit>) {
        hits.push(hit);
        for &(off, q) in &self.implied[hit.pattern as usize] {
            let start = hit.start + off as usize;
            hits.push(Hit { start, end: start + self.pattern_len(q), pattern: q });
        }
    }

    /// Where the search goes on after `hit`.
    #[inline]
    pub(crate) fn resume_after(&self, hit: Hit) -> usize {
        if self.may_overlap[hit.pattern as usize] { hit.start + 1 } else { hit.end }
    }

    fn pattern_len(&self, q: u32) -> usize {
        self.pattern_lens[q as usize] as usize
    }

    /// Confirms the hits of one line (positions relative to `line`) and returns its spans.
    pub(crate) fn scan_hits(&self, line: &[u8], hits: &[Hit], region: Region, keys: &KeyRules) -> LineScan {
        self.scan_hits_at(line, hits, region, keys, 0)
    }

    fn scan_hits_at(&self, line: &[u8], hits: &[Hit], region: Region, keys: &KeyRules, depth: u8) -> LineScan {
        let mut scan = LineScan::default();
        let mut decodes = Vec::new();
        // Most lines trigger a few format rules: kept on the stack.
        let mut windows: SmallVec<[(u32, usize, usize); 8]> = SmallVec::new();
        let mut key_hits = false;
        for hit in hits {
            let (s, e) = (hit.start, hit.end);
            for t in &self.triggers[hit.pattern as usize] {
                match *t {
                    Trigger::Key => key_hits = true,
                    Trigger::Format(r) => windows.push((r, s, e)),
                    Trigger::Known(k, form) => self.known_span(line, s, e, k, form, &mut scan.spans),
                    Trigger::Url => url::confirm(line, s, &self.url_rule, &self.db_url_rule, &mut scan.spans),
                    Trigger::PemBegin => {
                        if pem_header_ends_line(&line[s..]) {
                            scan.pem_begin = Some(self.pem_rule.clone());
                        }
                    }
                    Trigger::Decode(ctx) => decodes.push((ctx, s, e)),
                }
            }
        }
        if !decodes.is_empty() {
            self.decode_contexts(line, &decodes, keys, depth, &mut scan.spans);
        }
        if !windows.is_empty() {
            // Colour codes read as blanks, so a token right after `ESC[31m` still starts
            // at a word boundary (`\b`) for the format rules; offsets stay the same.
            let blanked = memchr::memchr(0x1b, line).map(|_| blank_ansi(line));
            let line = blanked.as_deref().map_or(line, Vec::as_slice);
            windows.sort_unstable();
            let mut i = 0;
            while i < windows.len() {
                let r = windows[i].0;
                let rule = &self.rules[r as usize];
                let hits = windows[i..].iter().take_while(|w| w.0 == r).count();
                if rule.anchored() && hits <= format::MAX_ANCHORED_HITS {
                    // The match starts at a hit: try each hit not inside the last match.
                    let (mut done, mut prev) = (0, usize::MAX);
                    for &(_, s, _) in &windows[i..i + hits] {
                        if s >= done && s != prev {
                            prev = s;
                            done = rule.find_anchored(line, s, &mut scan.spans).max(s);
                        }
                    }
                    i += hits;
                    continue;
                }
                let bound = rule.bound();
                let rule_hits = &windows[i..i + hits];
                // Hits whose window overlaps are searched as one window.
                let mut current: Option<(usize, usize)> = None;
                for &(_, s, e) in rule_hits {
                    let Some(lo) = rule.window_start(line, s) else { continue };
                    let hi = (e + bound).min(line.len());
                    current = match current {
                        Some((clo, chi)) if lo <= chi => Some((clo, chi.max(hi))),
                        Some((clo, chi)) => {
                            rule.find(line, clo, chi, rule_hits, &mut scan.spans);
                            Some((lo, hi))
                        }
                        None => Some((lo, hi)),
                    };
                }
                if let Some((lo, hi)) = current {
                    rule.find(line, lo, hi, rule_hits, &mut scan.spans);
                }
                i += hits;
            }
        }
        let mut found = keyvalue::KeyFinds::default();
        if key_hits {
            // Keys last: a key name that runs back into an earlier finding starts after
            // it, as it will start after its mask on the next pass (idempotence).
            let earlier = Earlier::new(scan.spans.iter().map(|sp| (sp.start, sp.end)));
            // Key values are added to the findings so far (one buffer, no copy).
            found.spans = std::mem::take(&mut scan.spans);
            let mut key_done = 0usize;
            for hit in hits {
                let is_key = self.triggers[hit.pattern as usize].iter().any(|t| matches!(t, Trigger::Key));
                if is_key && hit.start >= key_done {
                    key_done = keyvalue::confirm(line, hit.start, &earlier, region, keys, &mut found);
                }
            }
            if found.has_cookies() {
                let all = found.spans.iter().map(|sp| (sp.start, sp.end));
                keyvalue::cookies(line, keys, &Earlier::new(all), &mut found);
            }
            scan.spans = std::mem::take(&mut found.spans);
        }
        if !self.allow_values.is_empty() || !self.allow_regexes.is_empty() {
            scan.spans.retain(|sp| !self.allowed(&line[sp.start..sp.end]));
        }
        take_broken_placeholders(&mut scan.spans, found.placeholders, &found.cut_placeholders);
        scan
    }

    /// For `flush_partial`: the start of the earliest construct in `buf` that more bytes
    /// could still turn into a match (a literal cut short, a key waiting for its value, a
    /// token or URL still open, a PEM header). `None` when all of `buf` is safe to release.
    pub(crate) fn open_construct_start(&self, buf: &[u8], keys: &KeyRules) -> Option<usize> {
        let len = buf.len();
        let mut safe = len;
        let longest = self.sorted_patterns.iter().map(Vec::len).max().unwrap_or(0);
        for k in (1..longest.min(len + 1)).rev() {
            let suffix = &buf[len - k..];
            // The first literal sorted after the suffix itself: a longer one starting with it.
            let i = self.sorted_patterns.partition_point(|p| p.as_slice() <= suffix);
            if self.sorted_patterns.get(i).is_some_and(|p| p.starts_with(suffix)) {
                safe = len - k;
                break;
            }
        }
        let mut pos = 0;
        while pos < len {
            let Some(m) = self.literals.find(buf, pos) else { break };
            let (s, e) = (m.start, m.end);
            for t in &self.triggers[m.pattern as usize] {
                let hold = match *t {
                    Trigger::Key => {
                        let mut ns = s;
                        while ns > 0 && keyvalue::is_name_byte(buf[ns - 1]) {
                            ns -= 1;
                        }
                        let mut ne = s;
                        while ne < len && keyvalue::is_name_byte(buf[ne]) {
                            ne += 1;
                        }
                        let waiting = buf[ne..].iter().all(|b| {
                            matches!(
                                b,
                                b' ' | b'\t' | b'"' | b'\'' | b'`' | b':' | b'=' | b'>' | 0x1b | b'[' | b';' | b'0'
                                    ..=b'9' | b'm'
                            )
                        });
                        (waiting && keys.classify_bytes(buf[ns..ne].trim_ascii_start()).is_some() || ne == len)
                            .then_some(ns)
                    }
                    Trigger::Format(r) => (e + self.rules[r as usize].bound() > len).then(|| token_start(buf, s)),
                    Trigger::Known(..) => (e == len).then_some(token_start(buf, s)),
                    Trigger::Url => {
                        let rest = &buf[e..];
                        let closed = rest.iter().any(|b| matches!(b, b'@' | b'/' | b' ' | b'\t' | b'"' | b'\''));
                        (!closed).then(|| token_start(buf, s))
                    }
                    Trigger::PemBegin => Some(s),
                    Trigger::Decode(_) => None,
                };
                if let Some(h) = hold {
                    safe = safe.min(h);
                }
            }
            pos = s + 1;
        }
        (safe < len).then_some(safe)
    }

    fn allowed(&self, secret: &[u8]) -> bool {
        self.allow_values.iter().any(|v| v == secret)
            || self.allow_regexes.iter().any(|r| r.is_match(regex_automata::Input::new(secret)))
    }

    fn known_span(&self, line: &[u8], s: usize, e: usize, k: u32, form: crate::known::Form, out: &mut Vec<Span>) {
        let (start, end) = crate::known::enclosing_run(line, s, e, form);
        out.push(Span {
            start,
            end,
            rule: self.known_rules[k as usize].clone(),
            kind: RuleKind::Known,
            prefix_len: 0,
            truncated: false,
            quote: false,
            continues: None,
        });
    }
}

/// `line` with every ANSI CSI sequence (`ESC [ params final`) replaced by spaces of the
/// same length. Held in a zeroize-on-drop buffer: the line may hold secrets.
fn blank_ansi(line: &[u8]) -> zeroize::Zeroizing<Vec<u8>> {
    let mut out = zeroize::Zeroizing::new(line.to_vec());
    let mut p = 0;
    while let Some(i) = memchr::memchr(0x1b, &out[p..]) {
        let esc = p + i;
        p = keyvalue::skip_ansi(line, esc);
        if line.get(esc + 1) == Some(&b'[') {
            out[esc..p].fill(b' ');
        }
    }
    out
}

/// A literal occurrence: byte span and pattern index.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Hit {
    pub start: usize,
    pub end: usize,
    pub pattern: u32,
}

/// For each pattern, the patterns occurring inside it (with offsets), and whether some
/// pattern could start inside it and extend past its end.
/// `order` is the patterns' ids in byte order of the patterns ([`byte_order`]).
fn overlaps(patterns: &[Vec<u8>], apart: usize, order: &[u32]) -> (Vec<Vec<(u32, u32)>>, Vec<bool>) {
    let main = &patterns[..apart];
    let mut implied = vec![Vec::new(); patterns.len()];
    if let Ok(all) = AhoCorasick::builder().match_kind(MatchKind::Standard).build(main) {
        for (i, p) in main.iter().enumerate() {
            for m in all.find_overlapping_iter(p) {
                let q = m.pattern().as_usize();
                if q != i {
                    implied[i].push((m.start() as u32, q as u32));
                }
            }
        }
    }
    let sorted = |keep: fn(usize, usize) -> bool| -> Vec<&[u8]> {
        order.iter().map(|&i| i as usize).filter(|&i| keep(i, apart)).map(|i| patterns[i].as_slice()).collect()
    };
    let (main_sorted, forms_sorted) = (sorted(|i, apart| i < apart), sorted(|i, apart| i >= apart));
    // The first pattern after `key` in sort order that starts with it (so is longer).
    let longer = |set: &[&[u8]], key: &[u8]| {
        let at = set.partition_point(|q| *q <= key);
        set.get(at).is_some_and(|q| q.starts_with(key))
    };
    let holds = |set: &[&[u8]], key: &[u8]| set.binary_search(&key).is_ok();
    let may_overlap = patterns
        .iter()
        .enumerate()
        .map(|(n, p)| {
            // A form searched apart: its hits come in the merged chain with everything
            // inside them, so the search always resumes just after its start.
            n >= apart
                || (1..p.len()).any(|i| {
                    let suffix = &p[i..];
                    longer(&main_sorted, suffix)
                        // Forms starting inside `p` (running past it or not) are not in
                        // its implied list: resume inside so the chain still gives them.
                        || (!forms_sorted.is_empty()
                            && (longer(&forms_sorted, suffix) || (1..=suffix.len()).any(|l| holds(&forms_sorted, &suffix[..l]))))
                })
        })
        .collect();
    (implied, may_overlap)
}

/// The indices of `set` in byte order of its elements.
///
/// Thousands of known values give tens of thousands of forms, many sharing a prefix: they
/// are sorted by their first eight bytes as one number first (big-endian, zero-padded, so
/// in byte order), and compared whole only where those are equal.
fn byte_order(set: &[Vec<u8>]) -> Vec<u32> {
    let key = |b: &[u8]| {
        let mut k = [0u8; 8];
        let n = b.len().min(8);
        k[..n].copy_from_slice(&b[..n]);
        u64::from_be_bytes(k)
    };
    let mut keyed: Vec<(u64, u32)> = set.iter().enumerate().map(|(i, b)| (key(b), i as u32)).collect();
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| set[a.1 as usize].cmp(&set[b.1 as usize])));
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// The findings of format, known-value, URL and decoding rules on a line, merged into
/// disjoint sorted ranges: key rules read around them as around their masks.
#[derive(Default)]
pub(crate) struct Earlier {
    ranges: Vec<(usize, usize)>,
}

impl Earlier {
    /// Collects the `(start, end)` ranges of findings.
    pub(crate) fn new(spans: impl Iterator<Item = (usize, usize)>) -> Earlier {
        let mut ranges: Vec<(usize, usize)> = spans.collect();
        ranges.sort_unstable();
        // Merged in place: a range overlapping the last one kept joins it.
        ranges.dedup_by(|next, last| {
            let joins = next.0 <= last.1;
            if joins {
                last.1 = last.1.max(next.1);
            }
            joins
        });
        Earlier { ranges }
    }

    /// The end of the last finding that ends at or before `at` (0 when there is none).
    pub(crate) fn floor(&self, at: usize) -> usize {
        let i = self.ranges.partition_point(|r| r.1 <= at);
        if i == 0 { 0 } else { self.ranges[i - 1].1 }
    }

    /// The end of the finding that `at` is inside, if any.
    pub(crate) fn covering(&self, at: usize) -> Option<usize> {
        let k = self.ranges.partition_point(|r| r.1 <= at);
        self.ranges.get(k).filter(|r| r.0 <= at).map(|r| r.1)
    }

    /// The first `byte` in `line[from..to]` that is not inside a finding.
    pub(crate) fn next_outside(&self, line: &[u8], mut from: usize, to: usize, byte: u8) -> Option<usize> {
        while let Some(i) = memchr::memchr(byte, &line[from..to]).map(|i| from + i) {
            let k = self.ranges.partition_point(|r| r.1 <= i);
            match self.ranges.get(k) {
                Some(&(s, e)) if s <= i => from = e.min(to),
                _ => return Some(i),
            }
        }
        None
    }
}

/// Adds to `spans` each placeholder value (`password=<password>`) that a span overlaps,
/// until none is left to add. Masking only the overlapping finding would break the
/// placeholder's shape (`pass=<pass=d>` would become `pass=<pass=[REDACTED]`), and the next
/// pass would then mask the remains: the whole value is masked now instead (idempotence).
fn take_broken_placeholders(spans: &mut Vec<Span>, mut placeholders: Vec<Span>, cut: &[(usize, usize)]) {
    loop {
        let before = placeholders.len();
        let mut i = 0;
        while i < placeholders.len() {
            let p = &placeholders[i];
            if spans.iter().any(|s| s.start < p.end && p.start < s.end) {
                let mut p = placeholders.swap_remove(i);
                // Cut short before a mask, it is masked to where the next pass will read it.
                if let Some(&(_, end)) = cut.iter().find(|c| c.0 == p.start) {
                    p.end = p.end.max(end);
                }
                spans.push(p);
            } else {
                i += 1;
            }
        }
        if placeholders.len() == before {
            return;
        }
    }
}

/// Start of the token around `at`: back over characters that tokens are made of.
fn token_start(buf: &[u8], at: usize) -> usize {
    let mut s = at;
    while s > 0 && (buf[s - 1].is_ascii_alphanumeric() || b"_-+/=.:%".contains(&buf[s - 1])) {
        s -= 1;
    }
    s
}

/// `-----BEGIN … PRIVATE KEY-----` with nothing but whitespace after it: a multi-line block opens.
///
/// The label is upper-case letters, digits and spaces, as PEM writers emit and the
/// single-line `private-key` rule expects. Any other text between the dashes is no header:
/// a finding masked inside it (a cookie value in `-----BEGINSet-Cookie: …PRIVATE KEY-----`)
/// would change its length and make it a header on the next pass (idempotence).
fn pem_header_ends_line(rest: &[u8]) -> bool {
    let Some(close) = memchr::memmem::find(&rest[10..], b"-----").map(|i| i + 10) else { return false };
    let label = &rest[10..close];
    label.ends_with(b"PRIVATE KEY")
        && label.len() <= 48
        && label.iter().all(|&b| b == b' ' || b.is_ascii_uppercase() || b.is_ascii_digit())
        && rest[close + 5..].iter().all(u8::is_ascii_whitespace)
}

/// Sorts spans and merges overlapping ones into the widest span (each byte masked once).
pub(crate) fn merge_spans(spans: &mut Vec<Span>) {
    if spans.len() < 2 {
        return;
    }
    spans.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    // Merged in place: a span overlapping the last one kept joins it.
    spans.dedup_by(|sp, last| {
        let joins = sp.start < last.end;
        if joins && sp.end > last.end {
            last.end = sp.end;
            last.continues = sp.continues;
            last.truncated |= sp.truncated;
        }
        joins
    });
}
