//! The key lists indexed by word: classifying a name looks up each of its words once,
//! instead of comparing it with every entry of every list (which cost ~1,100 instructions
//! per name with the default lists).

use std::collections::HashMap;

use foldhash::fast::FixedState;

use super::{KeyRules, Split, eq_word};
use crate::RuleId;

/// What one lower-case word is to the lists: the entries it starts or ends (indices into
/// the lists, in list order) and whether it is a metadata word.
#[derive(Clone, Debug, Default)]
struct Roles {
    metadata: bool,
    /// Strong entries whose first word this is.
    strong_first: Vec<u32>,
    /// Weak entries whose last word this is.
    weak_last: Vec<u32>,
    /// Excluded names whose last word this is.
    excluded_last: Vec<u32>,
}

/// The index of a [`KeyRules`]' lists, rebuilt whenever a list changes.
#[derive(Clone, Debug, Default)]
pub(super) struct Index {
    words: HashMap<Box<[u8]>, Roles, FixedState>,
    /// Strong entries of 5 bytes or more glued into one word (`privatekey`), which a
    /// longer name word may end in (`dbpassword`).
    glued: Vec<(u32, Box<[u8]>)>,
    /// Names this index's answers in the per-thread memo; 0 (a default index) uses none.
    pub(super) generation: u64,
}

impl Index {
    pub(super) fn new(keys: &KeyRules) -> Index {
        let mut index = Index { generation: super::memo::next_generation(), ..Index::default() };
        for (i, entry) in keys.strong.iter().enumerate() {
            if let Some(first) = entry.words.first() {
                index.roles(first).strong_first.push(i as u32);
            }
            if entry.glued.len() >= 5 {
                index.glued.push((i as u32, entry.glued.clone().into()));
            }
        }
        for (i, entry) in keys.weak.iter().enumerate() {
            if let Some(last) = entry.words.last() {
                index.roles(last).weak_last.push(i as u32);
            }
        }
        for (i, entry) in keys.excluded.iter().enumerate() {
            if let Some(last) = entry.last() {
                index.roles(last).excluded_last.push(i as u32);
            }
        }
        for word in &keys.metadata {
            index.roles(word).metadata = true;
        }
        index
    }

    fn roles(&mut self, word: &str) -> &mut Roles {
        self.words.entry(word.as_bytes().into()).or_default()
    }

    /// The roles of `word`, and of its singular when it ends in `s` (list words match
    /// their plural where they end a name).
    fn lookup(&self, word: &[u8]) -> [Option<&Roles>; 2] {
        let singular = word.strip_suffix(b"s").filter(|w| !w.is_empty());
        [self.words.get(word), singular.and_then(|w| self.words.get(w))]
    }

    /// The rule of a name split into `words` (at least one), by the lists' precedence: an
    /// excluded name or a metadata last word is not sensitive; else the first strong entry
    /// (in list order) found anywhere in the name; else the first weak entry ending it.
    /// Allow and deny lists are checked by the caller.
    pub(super) fn classify(&self, keys: &KeyRules, words: &Split) -> Option<RuleId> {
        let n = words.len();
        let last = words.word(n - 1);
        let at_last = self.lookup(last);
        if let Some(roles) = at_last[0]
            && (roles.metadata || roles.excluded_last.iter().any(|&e| words.ends_with(&keys.excluded[e as usize])))
        {
            return None;
        }
        let mut best = u32::MAX;
        for i in 0..n {
            let word = words.word(i);
            let roles = if i + 1 == n { at_last } else { self.lookup(word) };
            for &s in roles.iter().flatten().flat_map(|r| &r.strong_first) {
                if s < best && words.contains_at(i, &keys.strong[s as usize].words) {
                    best = s;
                }
            }
            for (s, glued) in &self.glued {
                if *s < best && ends_in_glued(word, glued) {
                    best = *s;
                }
            }
        }
        if best != u32::MAX {
            return Some(keys.strong[best as usize].rule.clone());
        }
        for &w in at_last.iter().flatten().flat_map(|r| &r.weak_last) {
            let entry = &keys.weak[w as usize].words;
            if w < best && (words.ends_with(entry) || (entry.len() == 1 && eq_word(last, entry[0].as_bytes()))) {
                best = w;
            }
        }
        (best != u32::MAX).then(|| keys.weak[best as usize].rule.clone())
    }
}

/// Does `word`, or its singular, end in `glued` with something before it?
fn ends_in_glued(word: &[u8], glued: &[u8]) -> bool {
    // The last byte first: most words end otherwise, and it spares a `memcmp` call.
    let ends = |w: &[u8]| w.len() > glued.len() && w.last() == glued.last() && w.ends_with(glued);
    ends(word) || word.strip_suffix(b"s").is_some_and(ends)
}
