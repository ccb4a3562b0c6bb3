//! `Shared<T>`: a part of a world that copies of it share until one of them changes it
//! (copy on write). The search copies the world for every state and a step changes
//! only some of its parts, so a copy costs a pointer for each shared part instead of
//! the part (the books, the clients: each a few allocations to copy).
//!
//! Reading is `Deref`; changing is `DerefMut`, which copies the part first if another
//! world still shares it (`Arc::make_mut`), so code that changes a part is written as
//! if it owned it. It compares, hashes and prints as the part itself: a world with a
//! shared part is the same state, with the same fingerprint, as one without.
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

/// `T`, shared between copies of a world until one changes it. An `Arc`, not an `Rc`:
/// the page keeps its run in a Leptos signal, which needs `Send + Sync`.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Shared<T>(Arc<T>);

impl<T> Shared<T> {
    pub fn new(value: T) -> Shared<T> {
        Shared(Arc::new(value))
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Clone> DerefMut for Shared<T> {
    /// The part to change: copied first if another world shares it.
    fn deref_mut(&mut self) -> &mut T {
        Arc::make_mut(&mut self.0)
    }
}

impl<T: fmt::Debug> fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<'a, T> IntoIterator for &'a Shared<Vec<T>> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::Shared;

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
