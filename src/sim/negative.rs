//! Negative caching, and the insert that must invalidate it. A read that finds no row
//! caches `absent` (version 0) with a TTL of its own when the scenario's `negative`
//! setting is on, as DNS resolvers do by RFC 2308 and Spring's cache does with its
//! `NullValue`; with it off, a "not found" is answered and not cached. An insert
//! commits the row's first version; by default its path deletes nothing ("a new row
//! cannot be cached"), so a cached `absent` outlives it; `invalidate_on_insert`
//! deletes the key after the commit, as an update does.
//!
//! Functions of the service node (`service.rs`): each sees the service's own state,
//! answers through its `Ctx` and says what it did as a `NegativeFact`; the sentences
//! are in `narrate/negative.rs`. The cache gives `absent` its own TTL
//! (`cache_node.rs`).
use super::ids::{Key, NodeId, Version};
use super::msg::Payload;
use super::node::Ctx;
use super::service::{Flow, Service, ServiceFact, Stage};

/// What the service did on the negative-caching paths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NegativeFact {
    /// An insert arrived: the row is created in the database.
    InsertSent { key: Key },
    /// The insert committed `version`; `deleted`: the key's delete is sent (else
    /// `client` is told at once, and nothing is deleted).
    Inserted {
        key: Key,
        version: Version,
        client: NodeId,
        deleted: bool,
        /// The service's cache node.
        cache: NodeId,
    },
    /// The database refused the insert (the row exists: a duplicate key) and
    /// committed nothing: `client` is told its write failed, and nothing is deleted.
    Refused { key: Key, client: NodeId },
    /// The database has no row, and negative caching is off: `client` is told "not
    /// found", and nothing is cached.
    NotFound { key: Key, client: NodeId },
}

/// An insert request arrives: commit the row.
pub(crate) fn insert(s: &mut Service, ctx: &mut Ctx, flow: &Flow) {
    let key = flow.key;
    s.set_stage(flow.id, Stage::Commit);
    s.to_db(ctx, Some(flow.id), Payload::DbInsert { key });
    ctx.fact(ServiceFact::Negative(NegativeFact::InsertSent { key }));
}

/// The insert committed: delete the key if the scenario invalidates on insert,
/// else tell the client.
pub(crate) fn inserted(s: &mut Service, ctx: &mut Ctx, flow: &Flow, version: Version) {
    let (key, client) = (flow.key, flow.client);
    let deleted = s.settings.negative.is_some_and(|n| n.invalidate_on_insert);
    if let Some(f) = s.flow_mut(Some(flow.id)) {
        f.committed = Some(version);
    }
    if deleted {
        s.set_stage(flow.id, Stage::Invalidate);
        let tagged = s.settings.versioned_deletes.then_some(version);
        let del = Payload::Del {
            key,
            version: tagged,
        };
        s.to_cache(ctx, Some(flow.id), del);
    } else {
        s.answer(ctx, flow.id, client, Payload::WriteOk { key, version });
    }
    ctx.fact(ServiceFact::Negative(NegativeFact::Inserted {
        key,
        version,
        client,
        deleted,
        cache: s.settings.cache,
    }));
}

/// The database refused the insert with a duplicate-key error: nothing committed, so
/// there is nothing to invalidate; the client is told its write failed.
pub(crate) fn refused(s: &mut Service, ctx: &mut Ctx, flow: &Flow) {
    let (key, client) = (flow.key, flow.client);
    s.answer(ctx, flow.id, client, Payload::WriteFailed { key });
    ctx.fact(ServiceFact::Negative(NegativeFact::Refused { key, client }));
}

/// Whether a read's row, `version`, is answered without caching it: no row, and
/// negative caching off.
pub(crate) fn skips_fill(s: &Service, version: Version) -> bool {
    version == Version(0) && s.settings.negative.is_none()
}

/// The database has no row and negative caching is off: answer "not found" (and
/// whoever shared the load, releasing a lock it held) as a fill would, with nothing
/// set. Its own fact comes first: the narration says it.
pub(crate) fn not_found(s: &mut Service, ctx: &mut Ctx, flow: &Flow) {
    let (key, client) = (flow.key, flow.client);
    ctx.fact(ServiceFact::Negative(NegativeFact::NotFound {
        key,
        client,
    }));
    let mut flow = flow.clone();
    flow.loaded = Some(Version(0));
    super::load::on_filled(s, ctx, &flow, false);
}
