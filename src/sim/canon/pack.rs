//! A message's payload in a fingerprint, packed by hand into as few words as keep each
//! field apart: a derived `Hash` feeds every field and discriminant as a word of its
//! own (a `GetReply` about ten), each scrambled by the hasher, where most payloads fit
//! in one word. The first word holds the variant's tag (bits 0–7), the key (8–23), a
//! 32-bit field (24–55) and small flags (56–63); which words follow is a function of
//! the first (its tag and flags), so two payloads feed the same words only if they are
//! equal. Every variant named, so a new one cannot be forgotten here.
use super::hash::WordHasher;
use crate::sim::ids::{Key, Version};
use crate::sim::msg::{BusEvent, LeaseReply, Payload, Refusal};

/// The first word: `tag`, `key`, `a` and `flags` in bits of their own.
fn first(tag: u64, key: Key, a: u32, flags: u64) -> u64 {
    tag | u64::from(key.0) << 8 | u64::from(a) << 24 | flags << 56
}

/// An optional version: its value and whether there is one (a flag bit).
fn opt(v: Option<Version>) -> (u32, u64) {
    v.map_or((0, 0), |v| (v.0, 1))
}

/// An event: its key and version in the first word, its id (and an offset) after.
fn event(h: &mut WordHasher, tag: u64, ev: BusEvent, offset: Option<u32>) {
    h.word(first(tag, ev.key, ev.version.0, 0));
    h.word(u64::from(ev.id.0) | offset.map_or(0, |o| u64::from(o) << 32));
}

/// Feeds `p`'s words (its lease token already renamed and the times only XFetch reads
/// already read by the clock: `Names::payload`).
pub(super) fn payload(p: &Payload, h: &mut WordHasher) {
    let k = Key(0);
    let w = match *p {
        Payload::Read { key } => first(1, key, 0, 0),
        Payload::Write { key } => first(2, key, 0, 0),
        Payload::Insert { key } => first(3, key, 0, 0),
        Payload::ReadOk { key, value } => {
            let (v, some) = opt(value);
            first(4, key, v, some)
        }
        Payload::WriteOk { key, version } => first(5, key, version.0, 0),
        Payload::Get { key } => first(6, key, 0, 0),
        Payload::GetReply {
            key,
            hit,
            lease,
            expires_ms,
            delta_ms,
            marked,
        } => {
            let (v, some) = opt(hit);
            let (lease, token) = match lease {
                LeaseReply::None => (0, None),
                LeaseReply::Granted(t) => (1, Some(t)),
                LeaseReply::Wait => (2, None),
            };
            let times = expires_ms != 0 || delta_ms != 0;
            h.word(first(
                7,
                key,
                v,
                some | lease << 1 | u64::from(marked) << 3 | u64::from(times) << 4,
            ));
            if let Some(t) = token {
                h.word(t);
            }
            if times {
                h.word(expires_ms);
                h.word(delta_ms);
            }
            return;
        }
        Payload::Set {
            key,
            version,
            token,
            loaded_at_ms,
        } => {
            let flags = u64::from(token.is_some()) | u64::from(loaded_at_ms.is_some()) << 1;
            h.word(first(8, key, version.0, flags));
            if let Some(t) = token {
                h.word(t);
            }
            if let Some(t) = loaded_at_ms {
                h.word(t);
            }
            return;
        }
        Payload::SetReply { key, refused } => match refused {
            None => first(9, key, 0, 0),
            Some(Refusal::Outdated(v)) => first(9, key, v.0, 1),
            Some(Refusal::LeaseInvalid) => first(9, key, 0, 2),
        },
        Payload::Del { key, version } => {
            let (v, some) = opt(version);
            first(10, key, v, some)
        }
        Payload::DelReply { key } => first(11, key, 0, 0),
        Payload::DbRead { key } => first(12, key, 0, 0),
        Payload::DbReadReply { key, version } => first(13, key, version.0, 0),
        Payload::DbWrite { key, outbox } => first(14, key, 0, u64::from(outbox)),
        Payload::DbInsert { key } => first(15, key, 0, 0),
        Payload::DbWriteReply {
            key,
            version,
            event,
        } => {
            h.word(first(16, key, version.0, 0));
            u64::from(event.0)
        }
        Payload::Publish { ev } => return event(h, 17, ev, None),
        Payload::PublishAck { ev } => return event(h, 18, ev, None),
        Payload::Deliver { ev, offset } => return event(h, 19, ev, Some(offset)),
        Payload::Ack { ev, offset } => return event(h, 20, ev, Some(offset)),
        Payload::Nack { ev, offset } => return event(h, 21, ev, Some(offset)),
        Payload::Subscribe => first(22, k, 0, 0),
        Payload::OutboxPoll => first(23, k, 0, 0),
        Payload::OutboxRow { ev } => return event(h, 24, ev, None),
        Payload::OutboxEmpty => first(25, k, 0, 0),
        Payload::Mark { ev } => return event(h, 26, ev, None),
        Payload::Marked { ev } => return event(h, 27, ev, None),
        Payload::DbPut { key, version } => first(28, key, version.0, 0),
        Payload::DbPutReply { key, version } => first(29, key, version.0, 0),
        Payload::WbWrite { key } => first(30, key, 0, 0),
        Payload::WbAck { key, version } => first(31, key, version.0, 0),
        Payload::Lock { key, holder } => first(32, key, u32::from(holder.rank()), 0),
        Payload::LockReply { key, granted } => first(33, key, 0, u64::from(granted)),
        Payload::Unlock { key } => first(34, key, 0, 0),
        Payload::UnlockReply { key } => first(35, key, 0, 0),
        Payload::TxUpdate { key, client } => first(36, key, u32::from(client.rank()), 0),
        Payload::TxUpdated { key, version } => first(37, key, version.0, 0),
        Payload::TxCommit { key } => first(38, key, 0, 0),
        Payload::TxRolledBack { key } => first(39, key, 0, 0),
        Payload::WriteFailed { key } => first(40, key, 0, 0),
        Payload::SetMarker { key } => first(41, key, 0, 0),
        Payload::MarkerSet { key } => first(42, key, 0, 0),
        Payload::Replicate { from_lsn, conn } => {
            h.word(first(43, k, from_lsn, 0));
            u64::from(conn)
        }
        Payload::Change {
            lsn,
            key,
            version,
            conn,
        } => {
            h.word(first(44, key, version.0, 0));
            u64::from(lsn) | u64::from(conn) << 32
        }
        Payload::Invalidate { key } => first(45, key, 0, 0),
        Payload::Closed => first(46, k, 0, 0),
        Payload::ReadFailed { key } => first(47, key, 0, 0),
    };
    h.word(w);
}
