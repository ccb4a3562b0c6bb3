//! The fingerprint's word hasher: our own, so a fingerprint is the same natively and
//! in wasm32 (see the module above for the mixing steps and why).
use std::hash::Hasher;

/// The word hasher of the fingerprint: deterministic on every platform.
#[derive(Clone, Copy, Debug)]
pub struct WordHasher {
    state: u64,
}

impl Default for WordHasher {
    fn default() -> Self {
        WordHasher {
            state: 0x243F_6A88_85A3_08D3,
        }
    }
}

/// SplitMix64's finalizer (Stafford's variant 13).
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl WordHasher {
    /// The hash of one item of a state (a message, a timer, an open request): its
    /// state, not finished, since it is only ever fed on as a word (each word
    /// scrambled by `word`) or compared, so the finish's mixing would buy nothing.
    pub(super) fn item(&self) -> u64 {
        self.state
    }

    pub fn word(&mut self, w: u64) {
        const M: u64 = 0xC6A4_A793_5BD1_E995;
        let mut k = w.wrapping_mul(M);
        k ^= k >> 47;
        k = k.wrapping_mul(M);
        self.state = (self.state ^ k).wrapping_mul(M);
    }
}

impl WordHasher {
    /// A multiset of items' words (`item`): their count, then their sum, each word
    /// mixed first (SplitMix64's finalizer): the same in any order, so no sort (the
    /// additive multiset hash, AdHash, over well-mixed words; two multisets collide
    /// only where two sums of 64-bit mixed words meet).
    pub(super) fn multiset(&mut self, words: impl Iterator<Item = u64>) {
        let mut set = Multiset::default();
        words.for_each(|w| set.add(w));
        self.add_multiset(set);
    }

    /// A multiset gathered item by item (`multiset`).
    pub(super) fn add_multiset(&mut self, set: Multiset) {
        self.word(set.count);
        self.word(set.sum);
    }
}

/// A multiset's count and sum of mixed words, gathered item by item
/// (`WordHasher::multiset`).
#[derive(Clone, Copy, Default)]
pub(super) struct Multiset {
    count: u64,
    sum: u64,
}

impl Multiset {
    pub(super) fn add(&mut self, w: u64) {
        self.count += 1;
        self.sum = self.sum.wrapping_add(mix(w));
    }
}

impl Hasher for WordHasher {
    fn finish(&self) -> u64 {
        mix(self.state)
    }
    /// Every 8 bytes as a little-endian word (the last ones zero-padded), then the
    /// length. (A slice of integers, `[u64]`, arrives here whole.)
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut b = [0u8; 8];
            b.copy_from_slice(chunk);
            self.word(u64::from_le_bytes(b));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            self.word(u64::from_le_bytes(b));
        }
        self.word(bytes.len() as u64);
    }
    fn write_u8(&mut self, i: u8) {
        self.word(u64::from(i));
    }
    fn write_u16(&mut self, i: u16) {
        self.word(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.word(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.word(i);
    }
    // Lengths and enum discriminants arrive as `usize`/`isize`: fed as 64 bits, so a
    // wasm32 build hashes them like a 64-bit one.
    fn write_usize(&mut self, i: usize) {
        self.word(i as u64);
    }
    fn write_isize(&mut self, i: isize) {
        self.word(i as i64 as u64);
    }
}

/// The 64-bit hash of one value, with our hasher (the fingerprint feeds its words
/// straight into one: `names.rs`).
#[cfg(test)]
pub(super) fn hash_of<T: std::hash::Hash + ?Sized>(value: &T) -> u64 {
    let mut h = WordHasher::default();
    value.hash(&mut h);
    h.finish()
}
