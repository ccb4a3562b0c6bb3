//! `Lazy<T>`: a world's buffer that is no state (the `Scratch` a node answers into,
//! the step's `Facts`), allocated at its first change. A copy of a world starts with
//! none (`copy.rs`): the search copies a world for every state and steps it in its own
//! buffers (`WorldModel::stepped` lends them), so the copies it holds never allocate
//! these. Read before any change, it is the empty buffer.
use std::ops::{Deref, DerefMut};

/// A buffer allocated at its first change (see the module).
#[derive(Default)]
pub struct Lazy<T: Empty> {
    buffer: Option<Box<T>>,
}

/// A buffer's empty value, what `Lazy` reads as before its first change.
pub trait Empty: Default + 'static {
    fn empty() -> &'static Self;
}

impl<T: Empty> Lazy<T> {
    /// None allocated yet.
    pub(crate) const fn none() -> Lazy<T> {
        Lazy { buffer: None }
    }

    /// The buffer, if allocated (to empty it without allocating one).
    pub(crate) fn allocated(&mut self) -> Option<&mut T> {
        self.buffer.as_deref_mut()
    }
}

impl<T: Empty> Deref for Lazy<T> {
    type Target = T;

    fn deref(&self) -> &T {
        match &self.buffer {
            Some(buffer) => buffer,
            None => T::empty(),
        }
    }
}

impl<T: Empty> DerefMut for Lazy<T> {
    fn deref_mut(&mut self) -> &mut T {
        self.buffer.get_or_insert_with(Box::default)
    }
}

/// Not state: every two compare equal and hash as nothing, as their buffers do.
impl<T: Empty> PartialEq for Lazy<T> {
    fn eq(&self, _: &Lazy<T>) -> bool {
        true
    }
}

impl<T: Empty> Eq for Lazy<T> {}

impl<T: Empty> std::hash::Hash for Lazy<T> {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

impl<T: Empty + std::fmt::Debug> std::fmt::Debug for Lazy<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}
