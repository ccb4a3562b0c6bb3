//! The names and the clock of a fingerprint: request ids and lease tokens renamed in
//! order of first appearance, and times read as the rules read them (`Clock`).
use super::hash::WordHasher;
use crate::sim::ids::{FlowId, NodeId, Version};
use crate::sim::msg::{LeaseReply, Message, Payload};
use crate::sim::parts::{Flow, Timer, TimerKind};

/// A name not yet given: sorts after every given one.
const UNNAMED: u32 = u32::MAX;

/// What a time means to the rules, from a state with `now` and a run's horizon.
#[derive(Clone, Copy)]
pub(super) struct Clock {
    pub(super) now_ms: u64,
    pub(super) horizon_ms: u64,
    /// Whether XFetch reads exact expiries and compute times (`delta`).
    pub(super) xfetch: bool,
    /// How times are read: as they are, as offsets from `now`, or not at all.
    pub(super) time: Time,
}

/// How a fingerprint reads times.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Time {
    /// As the rules read them, from `now` (`fingerprint`).
    Absolute,
    /// As offsets from `now`, and `now` left out (`fingerprint_shifted`).
    Shifted,
    /// Not at all: each time only on which side of the horizon it falls, and `now`
    /// left out (`fingerprint_time_blind`).
    Blind,
}

impl Clock {
    /// A nominal time or a deadline as the rules read it: every rule compares it with
    /// a `now` that never goes back, or with the horizon. So a time already reached
    /// reads as `now` (due, or over), and a time past the horizon as just past it
    /// (never, in this run).
    pub(super) fn at(&self, t: u64) -> u64 {
        if self.time != Time::Absolute {
            // How long until it (what every rule but the horizon compares), or never;
            // blind to time, only whether ever.
            if t > self.horizon_ms {
                u64::MAX
            } else if self.time == Time::Blind {
                0
            } else {
                t.saturating_sub(self.now_ms)
            }
        } else if t <= self.now_ms {
            self.now_ms
        } else if t > self.horizon_ms {
            self.horizon_ms.saturating_add(1)
        } else {
            t
        }
    }

    /// An expiry: exact under XFetch, whose draw compares it with a real number.
    pub(super) fn expiry(&self, t: u64) -> u64 {
        if self.xfetch {
            t
        } else {
            self.at(t)
        }
    }

    /// A time only XFetch reads (a compute time, a load's start).
    pub(super) fn xfetch_only(&self, t: u64) -> u64 {
        if self.xfetch {
            t
        } else {
            0
        }
    }
}

/// The renaming of request ids and lease tokens, in order of first appearance, and
/// the clock that reads times.
pub(super) struct Names<'a> {
    pub(super) flows: &'a mut Vec<FlowId>,
    pub(super) tokens: &'a mut Vec<u64>,
    pub(super) clock: Clock,
    /// A look-up found a name not yet given (since this was last cleared).
    pub(super) missing: bool,
}

/// Items in content order: (hash of the item with the names given so far, its id, its
/// place, whether it names something not yet named).
pub(super) type Order = Vec<(u64, u32, usize, bool)>;

impl Names<'_> {
    pub(super) fn flow(&mut self, id: FlowId) -> FlowId {
        FlowId(match self.flows.iter().position(|f| *f == id) {
            Some(i) => i as u32,
            None => {
                self.flows.push(id);
                self.flows.len() as u32 - 1
            }
        })
    }

    pub(super) fn peek_flow(&mut self, id: FlowId) -> FlowId {
        FlowId(match self.flows.iter().position(|f| *f == id) {
            Some(i) => i as u32,
            None => {
                self.missing = true;
                UNNAMED
            }
        })
    }

    pub(super) fn token(&mut self, t: u64) -> u64 {
        match self.tokens.iter().position(|x| *x == t) {
            Some(i) => i as u64,
            None => {
                self.tokens.push(t);
                self.tokens.len() as u64 - 1
            }
        }
    }

    pub(super) fn peek_token(&mut self, t: u64) -> u64 {
        match self.tokens.iter().position(|x| *x == t) {
            Some(i) => i as u64,
            None => {
                self.missing = true;
                u64::from(UNNAMED)
            }
        }
    }

    /// `flow` with its names given (`name`) or looked up (`peek`).
    pub(super) fn flow_opt(&mut self, f: Option<FlowId>, give: bool) -> Option<FlowId> {
        f.map(|id| {
            if give {
                self.flow(id)
            } else {
                self.peek_flow(id)
            }
        })
    }

    pub(super) fn payload(&mut self, p: Payload, give: bool) -> Payload {
        let clock = self.clock;
        let mut tok = |t: u64| {
            if give {
                self.token(t)
            } else {
                self.peek_token(t)
            }
        };
        match p {
            Payload::GetReply {
                key,
                hit,
                lease,
                expires_ms,
                delta_ms,
                marked,
            } => Payload::GetReply {
                key,
                hit,
                marked,
                lease: match lease {
                    LeaseReply::Granted(t) => LeaseReply::Granted(tok(t)),
                    other => other,
                },
                expires_ms: clock.xfetch_only(expires_ms),
                delta_ms: clock.xfetch_only(delta_ms),
            },
            Payload::Set {
                key,
                version,
                token,
                loaded_at_ms,
            } => Payload::Set {
                key,
                version,
                token: token.map(tok),
                loaded_at_ms: loaded_at_ms.map(|t| clock.xfetch_only(t)),
            },
            other => other,
        }
    }

    /// The hash of a message with its names given (`give`) or looked up, its id and
    /// send time left out and its arrival read by the clock: the words of the renamed
    /// `Message`, fed straight into the hasher (no renamed copy). Every field named,
    /// so a new one cannot be forgotten here.
    #[inline(always)]
    pub(super) fn message(&mut self, m: &Message, give: bool) -> u64 {
        let Message {
            id: _,
            from,
            to,
            flow,
            payload,
            sent_ms: _,
            arrive_ms,
        } = m;
        let mut h = WordHasher::default();
        // Sender, receiver and the request's name (0 for none; a name not yet given,
        // `UNNAMED`, as the largest) in one word.
        let flow = self
            .flow_opt(*flow, give)
            .map_or(0, |f| u64::from(f.0.saturating_add(1)));
        h.word(u64::from(from.rank()) | u64::from(to.rank()) << 16 | flow << 32);
        // The payload packed into a word or a few (`pack.rs`), its lease token by name.
        match payload {
            Payload::GetReply { .. } | Payload::Set { .. } => {
                super::pack::payload(&self.payload(*payload, give), &mut h)
            }
            other => super::pack::payload(other, &mut h),
        }
        h.word(self.clock.at(*arrive_ms));
        h.item()
    }

    /// The hash of a timer with its names given or looked up, its id left out and its
    /// time read by the clock (the words of the renamed `Timer`).
    pub(super) fn timer(&mut self, t: &Timer, give: bool) -> u64 {
        let Timer {
            id: _,
            at_ms,
            owner,
            kind,
        } = t;
        let mut h = WordHasher::default();
        h.word(self.clock.at(*at_ms));
        let mut flow = |id: FlowId| {
            u64::from(
                if give {
                    self.flow(id)
                } else {
                    self.peek_flow(id)
                }
                .0,
            )
        };
        // Packed by hand as a message's payload is (`pack.rs`): its owner, the kind's
        // tag, a key or a node and a flag in one word, in bits of their own; a request's
        // name, a version or an offset in a second word, for the kinds that have one
        // (which the tag says).
        let rank = |n: NodeId| u64::from(n.rank());
        let (tag, slot, flag, more) = match *kind {
            TimerKind::Expire { key } => (1, u64::from(key.0), 0, None),
            TimerKind::SecondDelete {
                flow: f,
                key,
                version,
            } => (
                2,
                u64::from(key.0),
                u64::from(version.is_some()),
                Some(flow(f) | version.map_or(0, |v| u64::from(v.0)) << 32),
            ),
            TimerKind::RetryGet { flow: f } => (3, 0, 0, Some(flow(f))),
            TimerKind::Restart { node } => (4, rank(node), 0, None),
            TimerKind::Flush => (5, 0, 0, None),
            TimerKind::RelayPoll => (6, 0, 0, None),
            TimerKind::RelayTimeout => (7, 0, 0, None),
            TimerKind::BusRetry { offset, consumer } => {
                (8, rank(consumer), 0, Some(u64::from(offset)))
            }
            TimerKind::AckTimeout { offset, consumer } => {
                (9, rank(consumer), 0, Some(u64::from(offset)))
            }
            TimerKind::InvalidateRetry => (10, 0, 0, None),
            TimerKind::SecondPurge { key } => (11, u64::from(key.0), 0, None),
        };
        h.word(rank(*owner) | tag << 16 | slot << 24 | flag << 40);
        if let Some(w) = more {
            h.word(w);
        }
        h.item()
    }

    /// The hash of an open request with its names given or looked up (the words of
    /// the renamed `Flow`: its id and lease token by name, the time its load was sent
    /// only under XFetch). Every field named, so a new one cannot be forgotten here.
    #[inline(always)]
    pub(super) fn open_request(&mut self, f: &Flow, give: bool) -> u64 {
        let Flow {
            id,
            client,
            op,
            key,
            stage,
            token,
            loaded,
            committed,
            background,
            load_sent_ms,
            locked,
            seen_loads,
            marked,
        } = f;
        let mut h = WordHasher::default();
        let id = if give {
            self.flow(*id)
        } else {
            self.peek_flow(*id)
        };
        // Packed into words, each field in bits of its own: its name, client and key;
        // its op, stage, flags, loads seen and which of its versions and lease it has;
        // the versions loaded and committed, only if it has either; its lease by name,
        // only if it has one (the second word says which words follow); under XFetch
        // when its load was sent.
        h.word(u64::from(id.0) | u64::from(client.rank()) << 32 | u64::from(key.0) << 48);
        h.word(
            *op as u64
                | (*stage as u64) << 8
                | u64::from(*background) << 16
                | u64::from(*locked) << 17
                | u64::from(*marked) << 18
                | u64::from(load_sent_ms.is_some()) << 19
                | u64::from(loaded.is_some()) << 20
                | u64::from(committed.is_some()) << 21
                | u64::from(token.is_some()) << 22
                | u64::from(*seen_loads) << 32,
        );
        if loaded.is_some() || committed.is_some() {
            let version = |v: &Option<Version>| v.map_or(0, |v| u64::from(v.0));
            h.word(version(loaded) | version(committed) << 32);
        }
        if let Some(t) = token {
            h.word(if give {
                self.token(*t)
            } else {
                self.peek_token(*t)
            });
        }
        if self.clock.xfetch {
            h.word(load_sent_ms.map_or(0, |t| t));
        }
        h.item()
    }
}
