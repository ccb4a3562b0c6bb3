//! What the service did, as data (`fact.rs`): its program's facts (`ServiceFact`) and
//! its read path's (`ReadFact`), which `narrate/service.rs` says. Split from
//! `service.rs` along that seam.
use super::super::config::{WriteMode, WriteOrder};
use super::super::ids::{EventId, Key, NodeId, Version};
use super::super::msg::{BusEvent, Payload, Refusal};

/// What the service did, for the observers (`narrate/service.rs` says it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServiceFact {
    /// A message or timer with nothing to act on (no request id, not its timer).
    Stray,
    /// A reply for a request it does not have (answered already, or lost in a crash).
    NoRequest { service: NodeId, payload: Payload },
    /// The cache confirms a release of the lock on `key` (nobody waits for it).
    UnlockConfirmed { key: Key },
    /// The cache confirms a delete of `key` (a second delete: nobody waits for it).
    DeleteConfirmed { key: Key },
    /// Its delayed second delete of `key` is sent, `delay_ms` after the first.
    SecondDelete { key: Key, delay_ms: u64 },
    /// A retry timer for a request that is gone.
    NothingToRetry,
    /// A request told to wait asks the cache for `key` again.
    Retrying { key: Key },
    /// A lease told it to wait: it asks again at `at_ms`.
    LeaseWait { at_ms: u64 },
    /// It got `version` from `from` (the database or a replica) and sets it in the
    /// cache (with the lease `token`).
    FillSent {
        version: Version,
        token: Option<u64>,
        from: NodeId,
    },
    /// A write-through's cache set was answered (refused or not) by `cache`, and
    /// `client` told.
    ThroughAcked {
        key: Key,
        version: Version,
        refused: Option<Refusal>,
        client: NodeId,
        cache: NodeId,
    },
    /// Write-behind: the cache queued `key` = `version`, and `client` is told.
    BehindAcked {
        key: Key,
        version: Version,
        client: NodeId,
    },
    /// Delete-then-update: the delete is done, the update is sent.
    PreDeleted { key: Key },
    /// The invalidation is done and `client` told; `second`: a second delete set for
    /// `at_ms`, `delay_ms` after.
    Invalidated {
        version: Version,
        client: NodeId,
        second: Option<(u64, u64)>,
    },
    /// A reply it does not expect at this stage.
    Unexpected { payload: Payload },
    /// A write arrived: the first hop of its write mode's program.
    WriteStarted {
        key: Key,
        mode: WriteMode,
        order: WriteOrder,
    },
    /// Write-through: `version` committed, the cache set sent.
    ThroughSetSent { key: Key, version: Version },
    /// `version` committed and its event `ev` published; `client` told (a dual write).
    Published { ev: BusEvent, client: NodeId },
    /// `version` and its outbox row `event` committed; `client` told.
    OutboxCommitted {
        version: Version,
        event: EventId,
        client: NodeId,
    },
    /// `version` committed; the delete of `key` sent (carrying `tagged`).
    InvalidateSent {
        key: Key,
        version: Version,
        tagged: Option<Version>,
    },
    /// `version` committed (the cache was cleared before); `client` told.
    CommittedAcked { version: Version, client: NodeId },
    /// The read path (`load.rs`).
    Read(ReadFact),
    /// A write in a transaction (`txn.rs`).
    Txn(super::super::txn::TxnFact),
    /// Its near cache (`near.rs`).
    Near(super::super::near::NearFact),
    /// An insert, or a "not found" not cached (`negative.rs`).
    Negative(super::super::negative::NegativeFact),
    /// A remote marker set, or a miss that found one (`region.rs`).
    Region(super::super::region::RegionFact),
    /// `client`'s request on `key` lost its connection to `peer`, which crashed (or
    /// whose host refused it while it was down): what was pending on it failed, and
    /// the request goes on as `what` says (`service/closed.rs`).
    ConnLost {
        peer: NodeId,
        key: Key,
        client: NodeId,
        what: ConnLoss,
    },
    /// Its connection to `peer` closed with no request waiting on it any more (they
    /// were answered before the close arrived): nothing fails.
    ConnIdle { peer: NodeId },
}

/// What a closed connection failed, and what the request does then (`ConnLost`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnLoss {
    /// Its GET (or, `lock`, its request for the lock) failed: read as a miss, it
    /// reads the database.
    Get { lock: bool },
    /// Its SET of the value it read failed, ignored: it answers `value` (nobody, for
    /// a `background` recompute).
    Fill {
        value: Option<Version>,
        background: bool,
    },
    /// Its DEL before the update failed, ignored: it updates the database.
    PreDelete,
    /// Its DEL (or write-through SET) after the commit failed, ignored: the write of
    /// `version` succeeded, and the writer is told so.
    AfterCommit { version: Version, set: bool },
    /// The cache step inside the transaction failed, ignored: it sends COMMIT.
    InTransaction { set: bool },
    /// The cache was to take the write itself (write-behind), or, `marker`, the remote
    /// marker set before it: the write fails.
    CacheWrite { marker: bool },
    /// Its database read failed, and the read (and the `shared` requests that waited
    /// for this load) fails; a `background` recompute had nobody waiting.
    Read { shared: u8, background: bool },
    /// Its UPDATE (an INSERT, `BEGIN; UPDATE`, or, `commit`, its COMMIT) failed: the
    /// write fails.
    Write { commit: bool, insert: bool },
    /// Its transaction's session closed while its cache step runs: the COMMIT it
    /// sends next will fail.
    Session,
    /// The cache step done, its COMMIT fails at once on the closed session.
    DeadCommit,
}

/// What the read path did (`load.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadFact {
    /// It asks the cache for `key`.
    Lookup { key: Key },
    /// A hit: `client` answered with `version`; `unlocked`: it released the lock it
    /// held; `xfetch`: what XFetch decided.
    HitAnswered {
        key: Key,
        client: NodeId,
        version: Version,
        unlocked: bool,
        xfetch: XFetch,
    },
    /// Mutex: it asks for the lock on `key`.
    LockAsked { key: Key },
    /// Single-flight: it joins the load of `key` under way (`waiting` now wait).
    JoinedLoad { key: Key, waiting: usize },
    /// Single-flight: a load finished since it looked: it looks again.
    Rechecking { key: Key },
    /// It queries `source` for `key`; `shared`: single-flight, others will join.
    Loading {
        key: Key,
        shared: bool,
        source: ReadSource,
    },
    /// Mutex: it holds the lock and looks again before loading.
    LockGranted { key: Key },
    /// Mutex: the lock is taken; it asks again at `at_ms`.
    LockWait { key: Key, at_ms: u64 },
    /// An early recompute landed (or was refused); nobody waited.
    Refreshed { key: Key, refused: bool },
    /// A load is done: `client` answered with `value`; `unlocked` (the lock
    /// released), `shared` (requests that waited for this load, answered too),
    /// `refused` (the cache refused the fill).
    FillAnswered {
        key: Key,
        client: NodeId,
        value: Option<Version>,
        unlocked: bool,
        shared: usize,
        refused: bool,
    },
}

/// Where a miss's read goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadSource {
    /// The one database.
    Database,
    /// The primary, though a replica exists.
    Primary,
    /// The read replica.
    Replica,
    /// The primary, in another region, because the key has a remote marker.
    Marked,
}

/// What XFetch did with a hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum XFetch {
    /// Not the guard.
    Off,
    /// No TTL, or the request is itself a recompute: no draw.
    Skipped,
    /// It drew: `recompute` when the draw passed the expiry.
    Drew { draw: Draw, recompute: bool },
}

/// One XFetch draw: `now - delta * beta * ln(rand)` against the expiry. The random
/// number is kept as its bits (a fact compares exactly).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Draw {
    pub now_ms: u64,
    pub delta_ms: u64,
    pub beta_centi: u32,
    pub rand_bits: u64,
    pub expires_ms: u64,
}

impl Draw {
    pub fn beta(&self) -> f64 {
        f64::from(self.beta_centi) / 100.0
    }
    pub fn rand(&self) -> f64 {
        f64::from_bits(self.rand_bits)
    }
    /// `now - delta * beta * ln(rand)`, in ms.
    pub fn at(&self) -> f64 {
        self.now_ms as f64 + self.delta_ms as f64 * self.beta() * -self.rand().ln()
    }
}
