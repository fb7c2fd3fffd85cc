//! What a redactor reports: findings (where a secret was) and reports (how many).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// The id of a rule, such as `key:password`, `github-pat` or `known:file:db_password`.
///
/// Cheap to clone; displays as the id itself.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RuleId(Arc<str>);

impl RuleId {
    /// Makes a rule id from its text.
    pub fn new(id: &str) -> Self {
        RuleId(Arc::from(id))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", &*self.0)
    }
}

/// Which of the three rule families produced a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleKind {
    /// The value is bound to a sensitive key name (`password=…`).
    Key,
    /// The text has the shape of a known token format (`ghp_…`, a PEM key).
    Format,
    /// The text is (an encoding of) a secret value the redactor was given.
    Known,
}

impl RuleKind {
    /// The lower-case name used in reports: `key`, `format` or `known`.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Key => "key",
            RuleKind::Format => "format",
            RuleKind::Known => "known",
        }
    }
}

impl fmt::Display for RuleKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One secret found in the input: which rule, and the byte span that is masked.
///
/// Neither `Debug` nor `Display` shows the secret; only the rule and offsets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The rule that matched.
    pub rule: RuleId,
    /// The rule family.
    pub kind: RuleKind,
    /// Start byte offset (inclusive) of the masked span.
    pub start: usize,
    /// End byte offset (exclusive) of the masked span.
    pub end: usize,
    /// True when the match reached a length cap and was masked up to the cap (fail closed).
    pub truncated: bool,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}) at {}..{}", self.rule, self.kind, self.start, self.end)
    }
}

/// A finding seen by a streaming writer, with its absolute position in the stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamFinding {
    /// The finding; `start`/`end` are absolute byte offsets in the input stream.
    pub finding: Finding,
    /// 1-based line number of the start of the finding.
    pub line: u64,
    /// 1-based byte column of the start of the finding within its line.
    pub column: u64,
}

/// Counts for one rule in a [`Report`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleCount {
    /// The rule family, if the rule fired.
    pub kind: Option<RuleKind>,
    /// Number of masked spans.
    pub count: u64,
    /// Number of spans that reached a length cap (masked up to it).
    pub truncated: u64,
}

/// What a redaction did: per-rule counts, bytes and lines. Plain data that can be merged.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Counts per rule id.
    pub rules: BTreeMap<String, RuleCount>,
    /// Bytes read.
    pub bytes_in: u64,
    /// Bytes written.
    pub bytes_out: u64,
    /// Lines seen (a final line without a newline counts).
    pub lines: u64,
    /// Lines in which the literal prefilter found a candidate (a key word, a format keyword
    /// or a known value) and confirmation ran: with `lines`, the prefilter's selectivity.
    pub candidate_lines: u64,
}

impl Report {
    /// Counts one finding.
    pub fn record(&mut self, finding: &Finding) {
        // Look up before inserting: the owned key is only needed the first time a rule fires.
        let entry = match self.rules.get_mut(finding.rule.as_str()) {
            Some(entry) => entry,
            None => self.rules.entry(finding.rule.as_str().to_owned()).or_default(),
        };
        entry.kind = Some(finding.kind);
        entry.count += 1;
        entry.truncated += u64::from(finding.truncated);
    }

    /// Adds another report's counts into this one.
    pub fn merge(&mut self, other: &Report) {
        for (rule, count) in &other.rules {
            let entry = self.rules.entry(rule.clone()).or_default();
            entry.kind = entry.kind.or(count.kind);
            entry.count += count.count;
            entry.truncated += count.truncated;
        }
        self.bytes_in += other.bytes_in;
        self.bytes_out += other.bytes_out;
        self.lines += other.lines;
        self.candidate_lines += other.candidate_lines;
    }

    /// Adds `other` into this report, moving its per-rule counts when this one has none.
    pub(crate) fn absorb(&mut self, mut other: Report) {
        if self.rules.is_empty() {
            std::mem::swap(&mut self.rules, &mut other.rules);
        }
        self.merge(&other);
    }

    /// Total number of masked spans.
    pub fn total(&self) -> u64 {
        self.rules.values().map(|c| c.count).sum()
    }

    /// Counts per rule family.
    pub fn by_kind(&self) -> BTreeMap<RuleKind, u64> {
        let mut out = BTreeMap::new();
        for c in self.rules.values() {
            if let Some(kind) = c.kind {
                *out.entry(kind).or_default() += c.count;
            }
        }
        out
    }
}

/// Where a redacted output differs from its input: the input bytes `input` became the
/// output bytes `output` (a mask). Between edits the output is the input, byte for byte.
///
/// A front end can rebuild the output from the input it already holds and the masks
/// alone ([`Redactor::redact_edits`](crate::Redactor::redact_edits)), without copying or
/// re-decoding the unchanged text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// The replaced input range.
    pub input: std::ops::Range<usize>,
    /// The output range that replaces it.
    pub output: std::ops::Range<usize>,
}
