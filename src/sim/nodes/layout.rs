//! `Layout`: where each kind's first node is in a world's table of nodes.
use super::{Held, NodeId};
use std::sync::Arc;

/// Where in the table the first node of each kind is (number 1: `db`, `cache`), and
/// whether the table has any other (a second of a kind, a CDN edge): what a
/// fingerprint reads for every state (`canon.rs`), kept as nodes are added (`insert`,
/// the one place a table gains a node) instead of found by a walk each time. A
/// function of the ids alone, so two tables with the same ids have the same layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) struct Layout {
    /// By `Node::kind`: the node's place in the table, `u8::MAX` for none.
    pub(super) first: [u8; KINDS],
    pub(super) others: bool,
}

/// How many kinds of node there are (`Node`'s variants).
pub(super) const KINDS: usize = 10;

impl Default for Layout {
    fn default() -> Layout {
        Layout {
            first: [u8::MAX; KINDS],
            others: false,
        }
    }
}

impl Layout {
    pub(super) fn of(table: &[(NodeId, Arc<Held>)]) -> Layout {
        let mut layout = Layout::default();
        for (at, (id, held)) in table.iter().enumerate() {
            // A node's id is of its kind (`World::new`), so the first of its kind is
            // number 1; a CDN edge has no number. (A table of 255 nodes or more keeps
            // no places: each look-up finds nothing and says so.)
            let slot = &mut layout.first[held.node.kind()];
            if id.is_first() && *slot == u8::MAX {
                *slot = u8::try_from(at).unwrap_or(u8::MAX);
            } else {
                layout.others = true;
            }
        }
        layout
    }
}
