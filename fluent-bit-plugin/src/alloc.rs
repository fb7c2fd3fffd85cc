//! Free lists by size class in front of wasi-libc's `malloc`, for the module's own Rust
//! allocations.
//!
//! In the interpreter every allocation is a chain of interpreted calls (`__rust_alloc`,
//! `__rdl_alloc`, `malloc`, `dlmalloc`, and the same four to free), a few hundred wasm
//! instructions each way. The line processor and the rules' confirmation still allocate
//! a few small buffers per record with a finding; the same sizes come back record after
//! record. Blocks of up to [`MAX_SIZE`] bytes are kept on a free list per power-of-two
//! class when freed and handed out again, so that path is a few instructions; larger
//! blocks, and the first block of each class, come from the system allocator. Freed small
//! blocks are not returned to it: the lists hold at most the largest number of blocks
//! of a class that were live at once. The host's own `malloc`/`free` calls (the record
//! and tag copies) still go to wasi-libc, which owns that memory.

use std::alloc::{GlobalAlloc, Layout, System};
use std::ptr;

/// Smallest class, in bytes (room for the free list's link, and the alignment below).
const MIN_SIZE: usize = 16;
/// Classes: 16, 32, …, 2048 bytes.
const CLASSES: usize = 8;
/// Largest block kept on a free list.
pub(crate) const MAX_SIZE: usize = MIN_SIZE << (CLASSES - 1);
/// Alignment of every class block (what wasi-libc's `malloc` gives too).
const ALIGN: usize = 16;

/// The class of `layout`, if its blocks are kept on a free list.
fn class_of(layout: Layout) -> Option<usize> {
    if layout.size() > MAX_SIZE || layout.align() > ALIGN {
        return None;
    }
    let size = layout.size().max(MIN_SIZE);
    // ceil(log2(size)) - log2(MIN_SIZE)
    Some((usize::BITS - (size - 1).leading_zeros()) as usize - MIN_SIZE.trailing_zeros() as usize)
}

fn class_layout(class: usize) -> Layout {
    // SAFETY: a power of two times 16 bytes, aligned to 16: always a valid layout.
    unsafe { Layout::from_size_align_unchecked(MIN_SIZE << class, ALIGN) }
}

/// The heads of the free lists; each free block holds the address of the next.
pub(crate) struct FreeLists {
    heads: [*mut u8; CLASSES],
}

impl FreeLists {
    pub(crate) const fn new() -> Self {
        FreeLists { heads: [ptr::null_mut(); CLASSES] }
    }

    /// # Safety
    /// As [`GlobalAlloc::alloc`]; `self` must be the only user of its blocks.
    pub(crate) unsafe fn alloc(&mut self, layout: Layout) -> *mut u8 {
        let Some(class) = class_of(layout) else {
            // SAFETY: forwarded as it came.
            return unsafe { System.alloc(layout) };
        };
        let head = self.heads[class];
        if head.is_null() {
            // SAFETY: a valid, non-zero layout.
            return unsafe { System.alloc(class_layout(class)) };
        }
        // SAFETY: a free block of this class holds the next block's address in its first
        // bytes (blocks are 16-aligned and at least 16 bytes long).
        self.heads[class] = unsafe { head.cast::<*mut u8>().read() };
        head
    }

    /// # Safety
    /// As [`GlobalAlloc::dealloc`], for a block from this [`FreeLists`]' `alloc`.
    pub(crate) unsafe fn dealloc(&mut self, block: *mut u8, layout: Layout) {
        let Some(class) = class_of(layout) else {
            // SAFETY: a block the system allocator gave for this layout.
            return unsafe { System.dealloc(block, layout) };
        };
        // SAFETY: the block is ours again and has room for the link.
        unsafe { block.cast::<*mut u8>().write(self.heads[class]) };
        self.heads[class] = block;
    }

    /// # Safety
    /// As [`GlobalAlloc::realloc`], for a block from this [`FreeLists`]' `alloc`.
    pub(crate) unsafe fn realloc(&mut self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller guarantees a valid size for this alignment.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        match (class_of(layout), class_of(new_layout)) {
            (Some(a), Some(b)) if a == b => block,
            // SAFETY: a system block stays one.
            (None, None) => unsafe { System.realloc(block, layout, new_size) },
            _ => {
                // SAFETY: a fresh block for the new layout, the old one's bytes copied over
                // (as much as both hold), then the old one given back.
                unsafe {
                    let new = self.alloc(new_layout);
                    if !new.is_null() {
                        ptr::copy_nonoverlapping(block, new, layout.size().min(new_size));
                        self.dealloc(block, layout);
                    }
                    new
                }
            }
        }
    }
}

/// The module's global allocator (one thread, never re-entered: see `wasm.rs`).
#[cfg(target_arch = "wasm32")]
mod global {
    use std::alloc::{GlobalAlloc, Layout};
    use std::cell::UnsafeCell;

    use super::FreeLists;

    struct Pool(UnsafeCell<FreeLists>);

    // SAFETY: a module instance runs on one thread (wasm32-wasip1 has no threads), and
    // an allocation never calls back into the allocator.
    unsafe impl Sync for Pool {}

    #[global_allocator]
    static POOL: Pool = Pool(UnsafeCell::new(FreeLists::new()));

    // SAFETY: each method forwards to `FreeLists`, the only user of the lists.
    unsafe impl GlobalAlloc for Pool {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            // SAFETY: see the impl.
            unsafe { (*self.0.get()).alloc(layout) }
        }

        unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
            // SAFETY: see the impl.
            unsafe { (*self.0.get()).dealloc(block, layout) }
        }

        unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            // SAFETY: see the impl.
            unsafe { (*self.0.get()).realloc(block, layout, new_size) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_cover_their_sizes() {
        let class = |size, align| class_of(Layout::from_size_align(size, align).unwrap());
        assert_eq!(class(1, 1), Some(0));
        assert_eq!(class(16, 8), Some(0));
        assert_eq!(class(17, 1), Some(1));
        assert_eq!(class(1000, 4), Some(6));
        assert_eq!(class(MAX_SIZE, 16), Some(CLASSES - 1));
        assert_eq!(class(MAX_SIZE + 1, 1), None);
        assert_eq!(class(8, 32), None);
        for size in 1..=MAX_SIZE {
            let c = class(size, 1).unwrap();
            assert!(MIN_SIZE << c >= size && (c == 0 || MIN_SIZE << (c - 1) < size), "size {size}");
        }
    }

    /// Blocks are reused by class, never handed out twice while live, keep their bytes
    /// through a reallocation, and are aligned as asked.
    #[test]
    fn blocks_are_reused_and_never_shared() {
        let mut lists = FreeLists::new();
        let sizes = [1usize, 8, 16, 24, 100, 700, 2048, 3000, 40, 5];
        let mut live: Vec<(*mut u8, Layout, u8)> = Vec::new();
        for round in 0..50u8 {
            for (i, &size) in sizes.iter().enumerate() {
                let layout = Layout::from_size_align(size, 1 << (i % 5)).unwrap();
                // SAFETY: a valid layout; the block is filled within its size.
                let block = unsafe { lists.alloc(layout) };
                assert!(!block.is_null() && (block as usize).is_multiple_of(layout.align()));
                let tag = round.wrapping_mul(31).wrapping_add(i as u8);
                unsafe { ptr::write_bytes(block, tag, size) };
                live.push((block, layout, tag));
            }
            // Every live block still holds its own bytes: none was handed out twice.
            for &(block, layout, tag) in &live {
                let bytes = unsafe { std::slice::from_raw_parts(block, layout.size()) };
                assert!(bytes.iter().all(|&b| b == tag));
            }
            // Free every other block, grow or shrink a few of the rest.
            let mut kept = Vec::new();
            for (k, (block, layout, tag)) in live.drain(..).enumerate() {
                if k % 2 == 0 {
                    unsafe { lists.dealloc(block, layout) };
                } else if k % 3 == 0 {
                    let new_size = layout.size() * 3 + 1;
                    let grown = unsafe { lists.realloc(block, layout, new_size) };
                    let new_layout = Layout::from_size_align(new_size, layout.align()).unwrap();
                    let bytes = unsafe { std::slice::from_raw_parts(grown, layout.size()) };
                    assert!(bytes.iter().all(|&b| b == tag), "bytes lost in realloc");
                    unsafe { ptr::write_bytes(grown, tag, new_size) };
                    kept.push((grown, new_layout, tag));
                } else {
                    kept.push((block, layout, tag));
                }
            }
            live = kept;
        }
        // A freed block of a class is the next one handed out for that class.
        let layout = Layout::from_size_align(48, 8).unwrap();
        let a = unsafe { lists.alloc(layout) };
        unsafe { lists.dealloc(a, layout) };
        assert_eq!(unsafe { lists.alloc(Layout::from_size_align(60, 4).unwrap()) }, a);
        unsafe { lists.dealloc(a, layout) };
        for (block, layout, _) in live {
            unsafe { lists.dealloc(block, layout) };
        }
    }
}
