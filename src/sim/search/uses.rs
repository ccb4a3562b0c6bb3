//! `Uses`: per story fault, how many times a searched state has used it. A searched
//! state is copied for every successor, so this lives inline (no allocation) for up to
//! `INLINE` story faults (every catalog story has at most two), on the heap past that.
use std::ops::{Deref, DerefMut};

const INLINE: usize = 14;

/// A list of small counts that derefs to `[u8]`; it compares and hashes as its
/// counts, whichever way it is kept.
#[derive(Clone, Debug)]
pub enum Uses {
    Inline(u8, [u8; INLINE]),
    Heap(Vec<u8>),
}

impl Uses {
    /// `len` counts, all zero.
    pub fn zeros(len: usize) -> Uses {
        if len <= INLINE {
            Uses::Inline(len as u8, [0; INLINE])
        } else {
            Uses::Heap(vec![0; len])
        }
    }
}

impl From<Vec<u8>> for Uses {
    fn from(v: Vec<u8>) -> Uses {
        let mut uses = Uses::zeros(v.len());
        uses.copy_from_slice(&v);
        uses
    }
}

impl Deref for Uses {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Uses::Inline(len, counts) => &counts[..usize::from(*len)],
            Uses::Heap(v) => v,
        }
    }
}

impl DerefMut for Uses {
    fn deref_mut(&mut self) -> &mut [u8] {
        match self {
            Uses::Inline(len, counts) => &mut counts[..usize::from(*len)],
            Uses::Heap(v) => v,
        }
    }
}

impl PartialEq for Uses {
    fn eq(&self, other: &Uses) -> bool {
        **self == **other
    }
}

impl Eq for Uses {}

impl std::hash::Hash for Uses {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (**self).hash(state);
    }
}

#[cfg(test)]
mod tests {
    use super::Uses;

    #[test]
    fn inline_and_heap_counts_read_alike() {
        let mut few = Uses::zeros(2);
        few[1] += 1;
        assert_eq!(&*few, &[0, 1]);
        assert!(matches!(few, Uses::Inline(..)));
        assert_eq!(few, Uses::from(vec![0, 1]));
        let many = Uses::from(vec![3; 20]);
        assert!(matches!(many, Uses::Heap(_)));
        assert_eq!(many.len(), 20);
        assert_eq!(many.iter().map(|n| u32::from(*n)).sum::<u32>(), 60);
    }
}
