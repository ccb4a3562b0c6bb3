//! The faults the search places and what each costs: the story's own faults from the
//! story's budget, others from the extra budget (`FaultBudget`), and recoveries free
//! where nothing in the model would recover otherwise.
use super::{Searched, WorldModel};
use crate::sim::fault::{Fault, Kinds, Struck};
use crate::sim::ids::NodeId;
use crate::sim::world::{TimerKind, World};

/// How many faults the search may place beyond the story's own, and of which kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FaultBudget {
    pub extra: u8,
    /// The kinds (`Fault::name`) the extra faults may be; empty for every kind.
    pub kinds: &'static [&'static str],
}

impl FaultBudget {
    /// No faults but the story's.
    pub const NONE: FaultBudget = FaultBudget {
        extra: 0,
        kinds: &[],
    };

    /// The kinds (`Fault::name`) the search places, oldest first, for the searches that
    /// compare them (`examples/fault_kinds.rs`, `tests/search_fault_kinds.rs`):
    /// `OLD_KINDS` is the search as it was before session 14's `disconnect` and `evict`,
    /// `NO_EVICT` adds `disconnect`.
    pub const KINDS: [&'static str; 12] = [
        "crash",
        "restart",
        "pause",
        "resume",
        "drop",
        "delay",
        "duplicate",
        "abort",
        "partition",
        "heal",
        "disconnect",
        "evict",
    ];
    pub const OLD_KINDS: &'static [&'static str] = Self::KINDS.split_at(10).0;
    pub const NO_EVICT: &'static [&'static str] = Self::KINDS.split_at(11).0;

    /// Up to `extra` faults of any kind.
    pub fn any(extra: u8) -> FaultBudget {
        FaultBudget { extra, kinds: &[] }
    }

    fn allows(&self, fault: Fault) -> bool {
        self.kinds.is_empty() || self.kinds.contains(&fault.name())
    }
}

/// A fault as the story uses it, without the ids that differ between runs: the fault
/// and its node, or the fault and the kind of message on its connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Shape {
    Node(Kind, NodeId),
    Message(Kind, NodeId, NodeId, &'static str),
    Link(Kind, crate::sim::partition::Link),
    Key(Kind, NodeId, crate::sim::ids::Key),
}

/// A fault's kind, as `Fault::name` names it, as a number: shapes are compared for
/// every fault listed in every state, and a number compares at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Kind(u8);

impl Shape {
    fn kind(&self) -> Kind {
        match *self {
            Shape::Node(k, ..) | Shape::Message(k, ..) | Shape::Link(k, ..) | Shape::Key(k, ..) => {
                k
            }
        }
    }
}

/// The kinds of the story's faults, a bit each (`Kind`): a fault of any other kind is
/// never charged to the story (`WorldModel::charge`).
pub(super) fn kinds_of(story: &[(Shape, u8)]) -> u32 {
    story.iter().fold(0, |bits, (s, _)| bits | 1 << s.kind().0)
}

fn kind(fault: Fault) -> Kind {
    Kind(fault.kind())
}

/// The kinds (`fault::kind`) a state's faults can be charged to a budget or be free
/// as: every recovery (free where nothing else would recover), the kinds the extra
/// budget allows while it has room (`extra`: the allowed ones, `FaultBudget::kinds`),
/// and the kind of each story fault with uses left. A superset of the kinds `charge`
/// pays for: the faults of other kinds need not be listed.
pub(super) fn chargeable(extra: Option<Kinds>, story: &[(Shape, u8)], story_used: &[u8]) -> Kinds {
    use crate::sim::fault::kind::{HEAL, RESTART, RESUBSCRIBE, RESUME};
    let mut bits = [RESTART, RESUME, HEAL, RESUBSCRIBE]
        .iter()
        .fold(0, |bits, k| bits | 1 << k);
    if let Some(extra) = extra {
        bits |= extra.0;
    }
    for ((s, allowed), used) in story.iter().zip(story_used) {
        if used < allowed {
            bits |= 1 << s.kind().0;
        }
    }
    Kinds(bits)
}

impl FaultBudget {
    /// The kinds (`fault::kind`) the extra faults may be.
    pub(super) fn allowed_kinds(&self) -> Kinds {
        use crate::sim::fault::kind;
        use crate::sim::ids::{Key, MsgId};
        let (n, m) = (NodeId::SERVICE, MsgId(0));
        // One fault of each kind, for its name.
        let each = [
            Fault::Crash(n),
            Fault::Restart(n),
            Fault::Pause(n),
            Fault::Resume(n),
            Fault::Drop(m),
            Fault::Delay(m),
            Fault::Duplicate(m),
            Fault::Abort(n),
            Fault::Partition(n),
            Fault::Heal(n),
            Fault::Evict {
                cache: n,
                key: Key(0),
            },
            Fault::Disconnect(n),
            Fault::Resubscribe(n),
        ];
        debug_assert!(each
            .iter()
            .enumerate()
            .all(|(i, f)| usize::from(f.kind()) == i));
        debug_assert_eq!(usize::from(kind::RESUBSCRIBE) + 1, each.len());
        Kinds(
            each.iter()
                .filter(|f| self.allows(**f))
                .fold(0, |bits, f| bits | 1 << f.kind()),
        )
    }
}

pub(super) fn shape(world: &World, fault: Fault) -> Option<Shape> {
    let k = kind(fault);
    match fault.struck() {
        Struck::Node(n) => Some(Shape::Node(k, n)),
        Struck::Link(l) => Some(Shape::Link(k, l)),
        Struck::Key(n, key) => Some(Shape::Key(k, n, key)),
        Struck::Message(id) => {
            let m = world.net.iter().find(|m| m.id == id)?;
            Some(Shape::Message(k, m.from, m.to, m.payload.kind()))
        }
    }
}

fn is_recovery(fault: Fault) -> bool {
    matches!(
        fault,
        Fault::Restart(_)
            | Fault::Resume(_)
            | Fault::Heal(_)
            | Fault::HealLink(_)
            | Fault::Resubscribe(_)
    )
}

/// Whether something in the model would undo the fault that `fault` recovers from, if
/// the search did not: a crashed node's supervisor restarts it by its own timer
/// (`TimerKind::Restart`, `restart_after_ms` after the crash). Nothing in the model
/// resumes a paused node, heals a partition or resubscribes a consumer that is up, so
/// those are never undone otherwise.
fn undone_otherwise(world: &World, fault: Fault) -> bool {
    match fault {
        Fault::Restart(node) => world
            .timers
            .iter()
            .any(|t| t.kind == TimerKind::Restart { node }),
        _ => false,
    }
}

/// Whether `fault`, placed in `world`, is free: a recovery (restart, resume, heal) that
/// nothing in the model would bring about otherwise. A hand restart while the
/// supervisor's restart is pending brings the node back sooner than the model would:
/// a fault like any other.
pub fn is_free(world: &World, fault: Fault) -> bool {
    is_recovery(fault) && !undone_otherwise(world, fault)
}

impl WorldModel {
    /// Which budget `fault` would use in `state`, or `None` if none is left for it.
    pub(super) fn charge(&self, state: &Searched, fault: Fault) -> Option<Charge> {
        if is_free(&state.world, fault) {
            return Some(Charge::Free);
        }
        // A fault of a kind the story never uses can be charged to the extra budget
        // only: its shape (for a fault on a message, a walk of the network) is looked
        // up only if that budget can pay. (Most faults listed, in most states.)
        if self.story_kinds & 1 << kind(fault).0 == 0 {
            let extra = state.extra_used < self.budget.extra && self.budget.allows(fault);
            return (extra && shape(&state.world, fault).is_some()).then_some(Charge::Extra);
        }
        let s = shape(&state.world, fault)?;
        if let Some(i) = self.story.iter().position(|(x, _)| *x == s) {
            if state.story_used[i] < self.story[i].1 {
                return Some(Charge::Story(i));
            }
        }
        (state.extra_used < self.budget.extra && self.budget.allows(fault)).then_some(Charge::Extra)
    }
}

pub(super) enum Charge {
    Free,
    Story(usize),
    Extra,
}

/// A world's fingerprint with the faults used folded in.
pub(super) fn with_used(world: u64, extra_used: u8, story_used: &[u8]) -> u64 {
    let mut h = world;
    for n in std::iter::once(extra_used).chain(story_used.iter().copied()) {
        h = (h ^ u64::from(n))
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(31);
    }
    h
}

/// The world's fingerprint that `with_used` folded the faults used into: each fold
/// undone, last first (a rotation, and an odd multiplier has an inverse modulo 2^64).
pub(super) fn without_used(fingerprint: u64, extra_used: u8, story_used: &[u8]) -> u64 {
    const INVERSE: u64 = 0xF1DE_83E1_9937_733D;
    debug_assert_eq!(INVERSE.wrapping_mul(0x9E37_79B9_7F4A_7C15), 1);
    let mut h = fingerprint;
    for n in story_used.iter().rev().copied().chain([extra_used]) {
        h = h.rotate_right(31).wrapping_mul(INVERSE) ^ u64::from(n);
    }
    h
}
