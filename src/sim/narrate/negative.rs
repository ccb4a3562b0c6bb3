//! The sentences of negative caching and of an insert (`negative.rs`), with what the
//! inserting service's cache holds as the step ends.
use super::super::ids::{NodeId, Version};
use super::super::negative::NegativeFact;
use super::super::parts::{said, Said};
use super::super::world::World;
use super::names::Cast;

pub(super) fn say(w: &World, n: &Cast, fact: NegativeFact) -> Said {
    let (the_cache, cap_service) = (n.cache, n.service.cap());
    let the_service = n.service;
    match fact {
        NegativeFact::InsertSent { key } => {
            let what = match w.committed(key) {
                Version(0) => "the row's first version".to_string(),
                v => format!("though {key} already exists, at {v}"),
            };
            said(
                "insert sent",
                format!("{cap_service} inserts {key} into {}: INSERT, {what}.", n.db_of(key)),
            )
        }
        NegativeFact::Inserted {
            key,
            version,
            deleted: true,
            ..
        } => said(
            "del sent",
            format!(
                "{} has {} {key} = {version}. {cap_service} deletes {key} from {the_cache}, as it does after an \
                 update: a cached \"not found\" of {key} must go.",
                n.db_of(key).cap(),
                if version == Version(1) { "created" } else { "committed" }
            ),
        ),
        NegativeFact::Inserted {
            key,
            version,
            client,
            cache,
            ..
        } => {
            let held = w
                .nodes
                .cache(cache)
                .and_then(|c| c.live(key, w.now_ms));
            let node = if cache == NodeId::CACHE {
                "the cache".to_string()
            } else {
                cache.to_string()
            };
            let note = match held {
                Some(e) if e.version == Version(0) => format!(
                    " But {node} holds {key} = absent, a cached \"not found\", until {} ms: until then readers \
                     are told {key} does not exist.",
                    e.expires_ms
                ),
                _ => String::new(),
            };
            said(
                "ack",
                format!(
                    "{} has {} {key} = {version}, and {the_service} tells {client} the write succeeded. It \
                     deletes nothing from {the_cache}: the insert path assumes a row that did not exist cannot be \
                     cached.{note}",
                    n.db_of(key).cap(),
                    if version == Version(1) { "created" } else { "committed" }
                ),
            )
        }
        NegativeFact::Refused { key, client } => said(
            "write failed",
            format!(
                "{} refused the INSERT of {key} with a duplicate-key error: {key} already exists at {}, and \
                 this statement committed nothing. {cap_service} tells {client} the write failed, and deletes \
                 nothing from {the_cache}.",
                n.db_of(key).cap(),
                w.committed(key)
            ),
        ),
        NegativeFact::NotFound { key, client } => said(
            "answer",
            format!(
                "{} has no {key}. With no negative caching {the_service} caches nothing and tells {client} the \
                 row does not exist; the next read of {key} asks {} again.",
                n.db_of(key).cap(),
                n.db_of(key)
            ),
        ),
    }
}
