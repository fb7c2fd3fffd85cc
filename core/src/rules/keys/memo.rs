//! A per-thread memo of recent name classifications.
//!
//! Logs repeat their key names: a service prints `token_count=` on every line, and each
//! `token` in it is a literal hit whose name must be classified. Classifying (splitting
//! into words, looking each up in the index) costs ~600 instructions; a memo hit ~60.
//!
//! The memo is two-way set-associative (a name has two slots, the one used last first),
//! so two names that alternate line after line (`DB_PASSWORD` in a log message, `stream`
//! as its JSON neighbour) do not evict each other. Entries are keyed by the name's bytes
//! and the index's *generation*, a number no other index shares, so rules built or changed
//! since never see an old answer. It lives in a thread-local because the rules are shared
//! across threads behind `&self`; each thread holds [`SLOTS`] entries (about 3 KiB).

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::RuleId;

/// Longer names are classified every time: they are rare, and the slots stay small.
const MAX_NAME: usize = 32;
/// Entries per thread: `SLOTS / 2` sets of two.
const SLOTS: usize = 64;

/// The next index generation; 0 is never handed out (an empty slot has it).
static GENERATIONS: AtomicU64 = AtomicU64::new(1);

/// A generation for a newly built index.
pub(super) fn next_generation() -> u64 {
    GENERATIONS.fetch_add(1, Ordering::Relaxed)
}

#[derive(Default)]
struct Slot {
    generation: u64,
    len: u8,
    name: [u8; MAX_NAME],
    rule: Option<RuleId>,
}

impl Slot {
    fn holds(&self, generation: u64, name: &[u8]) -> bool {
        self.generation == generation && self.name[..usize::from(self.len)] == *name
    }
}

thread_local! {
    static MEMO: RefCell<Vec<Slot>> = const { RefCell::new(Vec::new()) };
}

/// The set (of `SLOTS / 2`) that holds `name`: FNV-1a, whose 32-bit multiply is one
/// instruction in WebAssembly too (a 64-bit hasher's 128-bit multiply is a libcall there,
/// measured at 3% of a log record's time in the Fluent Bit module).
fn set_of(name: &[u8]) -> usize {
    let hash = name.iter().fold(0x811c_9dc5u32, |h, &b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    (hash as usize) % (SLOTS / 2)
}

/// The rule of `name` under the index of `generation`: from the memo when this thread
/// classified it lately, else `classify()`, remembered.
pub(super) fn classify(generation: u64, name: &[u8], classify: impl FnOnce() -> Option<RuleId>) -> Option<RuleId> {
    if name.len() > MAX_NAME || generation == 0 {
        return classify();
    }
    // The set's two slots, the one used last first.
    let set = set_of(name) * 2;
    let cached = MEMO.try_with(|memo| {
        let mut memo = memo.try_borrow_mut().ok()?;
        let slots = memo.get_mut(set..set + 2)?;
        if slots[0].holds(generation, name) {
            return Some(slots[0].rule.clone());
        }
        if slots[1].holds(generation, name) {
            slots.swap(0, 1);
            return Some(slots[0].rule.clone());
        }
        None
    });
    if let Ok(Some(rule)) = cached {
        return rule;
    }
    let rule = classify();
    // `try_with`: during thread teardown the memo may be gone; the answer stands anyway.
    let _ = MEMO.try_with(|memo| {
        let Ok(mut memo) = memo.try_borrow_mut() else { return };
        if memo.is_empty() {
            memo.resize_with(SLOTS, Slot::default);
        }
        // The older entry goes; the new one is the set's first.
        memo.swap(set, set + 1);
        let slot = &mut memo[set];
        slot.generation = generation;
        slot.len = name.len() as u8;
        slot.name[..name.len()].copy_from_slice(name);
        slot.rule = rule.clone();
    });
    rule
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    #[test]
    fn a_repeated_name_is_classified_once_per_generation() {
        let calls = Cell::new(0);
        let rule = || {
            calls.set(calls.get() + 1);
            Some(RuleId::new("key:token"))
        };
        let (g1, g2) = (next_generation(), next_generation());
        for _ in 0..3 {
            assert_eq!(classify(g1, b"api_token", rule).unwrap().as_str(), "key:token");
        }
        assert_eq!(calls.get(), 1, "the memo answers repeats");
        assert_eq!(classify(g2, b"api_token", || None), None, "another index's answer is not reused");
        assert_eq!(classify(g1, b"api_tokens", || None), None, "another name is not a hit");
        assert_eq!(classify(g1, b"api_token", rule).unwrap().as_str(), "key:token");
    }

    #[test]
    fn two_names_of_one_set_are_both_remembered() {
        // Two names of one set (`set_of`): a direct-mapped memo of as many sets would
        // give them one slot.
        let names: Vec<Vec<u8>> = (0..400).map(|i| format!("name_{i}").into_bytes()).collect();
        let (a, b) = names
            .iter()
            .enumerate()
            .find_map(|(i, a)| names[i + 1..].iter().find(|b| set_of(b) == set_of(a)).map(|b| (a, b)))
            .expect("two names of one slot");
        let calls = Cell::new(0);
        let g = next_generation();
        for _ in 0..3 {
            for name in [a, b] {
                classify(g, name, || {
                    calls.set(calls.get() + 1);
                    None
                });
            }
        }
        assert_eq!(calls.get(), 2, "each name is classified once, though they share a set");
    }

    #[test]
    fn long_names_are_not_remembered() {
        let calls = Cell::new(0);
        let name = [b'a'; MAX_NAME + 1];
        for _ in 0..2 {
            classify(next_generation(), &name, || {
                calls.set(calls.get() + 1);
                None
            });
        }
        let g = next_generation();
        for _ in 0..2 {
            classify(g, &name, || {
                calls.set(calls.get() + 1);
                None
            });
        }
        assert_eq!(calls.get(), 4);
    }
}
