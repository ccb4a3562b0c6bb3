//! `Lazy<T>`: a world's buffer that is no state (the `Scratch` a node answers into,
//! the step's `Facts`), allocated at its first change. A copy of a world starts with
//! none (`copy.rs`): the search copies a world for every state and steps it in its own
//! buffers (`WorldModel::stepped` lends them), so the copies it holds never allocate
//! these. Read before any change, it is the empty buffer. The page's own build keeps
//! a plain box (`Buffer`): it copies a world per step, not per state, and this code
//! would weigh on its first download (`nodes::POOLS`).
#![cfg_attr(feature = "split", allow(dead_code))]
use std::ops::{Deref, DerefMut};

/// A world's buffer that is no state: `Lazy` in the search's builds, a box in the
/// page's own (see the module).
#[cfg(not(feature = "split"))]
pub type Buffer<T> = Lazy<T>;
#[cfg(feature = "split")]
pub type Buffer<T> = Box<T>;

/// The buffer, if allocated (to empty it without allocating one).
pub trait Allocated<T> {
    fn allocated(&mut self) -> Option<&mut T>;
}

impl<T> Allocated<T> for Box<T> {
    fn allocated(&mut self) -> Option<&mut T> {
        Some(self)
    }
}

impl<T: Empty> Allocated<T> for Lazy<T> {
    fn allocated(&mut self) -> Option<&mut T> {
        self.buffer.as_deref_mut()
    }
}

/// A buffer allocated at its first change (see the module).
#[derive(Default)]
pub struct Lazy<T: Empty> {
    buffer: Option<Box<T>>,
}

/// A buffer's empty value, what `Lazy` reads as before its first change.
pub trait Empty: Default + 'static {
    fn empty() -> &'static Self;
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

/// (Here, not in `node.rs`: a node module names no world.)
impl Empty for crate::sim::node::Scratch {
    fn empty() -> &'static crate::sim::node::Scratch {
        static EMPTY: crate::sim::node::Scratch =
            crate::sim::node::Scratch(crate::sim::node::Out {
                sends: Vec::new(),
                timers: Vec::new(),
                requests: 0,
                cancels: Vec::new(),
                cancel_all: false,
                facts: Vec::new(),
                calls: Vec::new(),
            });
        &EMPTY
    }
}
