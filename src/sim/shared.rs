//! `Shared<T>`: a part of a world that copies of it share until one of them changes it
//! (copy on write). The search copies the world for every state and a step changes
//! only some of its parts, so a copy costs a pointer for each shared part instead of
//! the part (the books, the clients: each a few allocations to copy).
//!
//! Reading is `Deref`; changing is `DerefMut`, which copies the part first if another
//! world still shares it (`Arc::make_mut`), so code that changes a part is written as
//! if it owned it. It compares, hashes and prints as the part itself: a world with a
//! shared part is the same state, with the same fingerprint, as one without.
//!
//! A part no other copy shares, when `clone_from` replaces it, goes to a small pool of
//! the thread's (one per type, `Spare`) with its buffers, and the next part copied on
//! write is copied into one (`clone_from`) instead of allocated: not state, which
//! buffers a part lives in changes no value.
//!
//! With the part, its word in the fingerprint once computed (`canon.rs`: the books'
//! and the clients' words), as `nodes::Held` keeps a node's: a step changes one or two
//! parts and the others are shared with the state before, so their words are computed
//! once, not for every state. `DerefMut` forgets the word before the part changes.
use std::cell::RefCell;
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::LocalKey;

/// `T`, shared between copies of a world until one changes it. An `Arc`, not an `Rc`:
/// the page keeps its run in a Leptos signal, which needs `Send + Sync`.
#[derive(Default, PartialEq, Eq, Hash)]
pub struct Shared<T>(Arc<Part<T>>);

/// A part and its word (see the module): it compares and hashes as the part.
#[derive(Default)]
pub struct Part<T> {
    value: T,
    /// 0 while not computed (a kept word is never 0).
    word: AtomicU64,
}

impl<T: Clone> Clone for Part<T> {
    fn clone(&self) -> Part<T> {
        Part {
            value: self.value.clone(),
            word: AtomicU64::new(self.word.load(Ordering::Relaxed)),
        }
    }

    fn clone_from(&mut self, source: &Part<T>) {
        self.value.clone_from(&source.value);
        *self.word.get_mut() = source.word.load(Ordering::Relaxed);
    }
}

impl<T: PartialEq> PartialEq for Part<T> {
    fn eq(&self, other: &Part<T>) -> bool {
        self.value == other.value
    }
}

impl<T: Eq> Eq for Part<T> {}

impl<T: std::hash::Hash> std::hash::Hash for Part<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

/// At most this many dropped parts of a type are kept to copy into.
const SPARES: usize = 16;

/// A part with a pool of dropped copies (see the module).
pub trait Spare: Clone + 'static {
    /// The thread's pool of this type's dropped copies.
    fn spares() -> &'static LocalKey<RefCell<Vec<Arc<Part<Self>>>>>;
}

/// Declares `$ty`'s pool.
macro_rules! spare {
    ($ty:ty) => {
        impl $crate::sim::shared::Spare for $ty {
            fn spares() -> &'static std::thread::LocalKey<
                std::cell::RefCell<Vec<std::sync::Arc<$crate::sim::shared::Part<Self>>>>,
            > {
                thread_local! {
                    static SPARE: std::cell::RefCell<
                        Vec<std::sync::Arc<$crate::sim::shared::Part<$ty>>>,
                    > =
                        const { std::cell::RefCell::new(Vec::new()) };
                }
                &SPARE
            }
        }
    };
}

spare!(super::books::Books);
spare!(Vec<super::client::Client>);

impl<T: Spare> Clone for Shared<T> {
    fn clone(&self) -> Shared<T> {
        Shared(Arc::clone(&self.0))
    }

    /// Shares the source's part; this one's, if no other copy shares it, goes to the pool.
    fn clone_from(&mut self, source: &Shared<T>) {
        if Arc::ptr_eq(&self.0, &source.0) {
            return;
        }
        let mut old = std::mem::replace(&mut self.0, Arc::clone(&source.0));
        if super::nodes::POOLS && Arc::get_mut(&mut old).is_some() {
            let _ = T::spares().try_with(|spares| {
                if let Ok(mut spares) = spares.try_borrow_mut() {
                    if spares.len() < SPARES {
                        spares.push(old);
                    }
                }
            });
        }
    }
}

impl<T> Shared<T> {
    pub fn new(value: T) -> Shared<T> {
        Shared(Arc::new(Part {
            value,
            word: AtomicU64::new(0),
        }))
    }

    /// The part's word, if kept (`keep_word`) since it last changed.
    pub(crate) fn kept_word(&self) -> Option<u64> {
        match self.0.word.load(Ordering::Relaxed) {
            // (The page's own build never fingerprints: no words there, `nodes::POOLS`.)
            _ if !super::nodes::POOLS => None,
            0 => None,
            w => Some(w),
        }
    }

    /// Keeps the part's word (`canon.rs` computes it, one function per type: any
    /// thread computes the same value from the same part, so a relaxed store is
    /// enough). 0 is kept as 1.
    pub(crate) fn keep_word(&self, word: u64) {
        if super::nodes::POOLS {
            self.0.word.store(word.max(1), Ordering::Relaxed);
        }
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0.value
    }
}

impl<T: Spare> DerefMut for Shared<T> {
    /// The part to change: copied first if another world shares it (into a dropped
    /// copy's buffers when the pool has one).
    fn deref_mut(&mut self) -> &mut T {
        if super::nodes::POOLS && Arc::get_mut(&mut self.0).is_none() {
            let spare = T::spares()
                .try_with(|spares| spares.try_borrow_mut().ok()?.pop())
                .ok()
                .flatten();
            if let Some(mut spare) = spare {
                if let Some(part) = Arc::get_mut(&mut spare) {
                    part.clone_from(&self.0);
                    self.0 = spare;
                }
            }
        }
        // The part is about to change: its word is forgotten.
        let part = Arc::make_mut(&mut self.0);
        if super::nodes::POOLS {
            *part.word.get_mut() = 0;
        }
        &mut part.value
    }
}

impl<T: fmt::Debug> fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.value.fmt(f)
    }
}

impl<'a, T> IntoIterator for &'a Shared<Vec<T>> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.value.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::Shared;

    spare!(Vec<i32>);

    #[test]
    fn a_copy_shares_until_one_side_changes() {
        let mut a = Shared::new(vec![1, 2]);
        let b = a.clone();
        assert!(std::ptr::eq(&*a, &*b));
        a.push(3);
        assert_eq!((&*a, &*b), (&vec![1, 2, 3], &vec![1, 2]));
        assert!(!std::ptr::eq(&*a, &*b));
        // Compares, hashes and prints as the value.
        assert_eq!(format!("{b:?}"), "[1, 2]");
        assert_eq!(b, Shared::new(vec![1, 2]));
    }
}
