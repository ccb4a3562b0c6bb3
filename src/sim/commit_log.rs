//! A commit log's entries and its streaming to a log reader, shared by the nodes that
//! keep one (a primary, a replica writing its own binlog) and read one (a replica, a
//! CDC invalidator): the log as data, no node's state, so a reader names it without
//! reaching into the database's module.
use super::ids::{Key, NodeId, Version};
use super::msg::Payload;
use super::node::Ctx;
use serde::{Deserialize, Serialize};

/// One change of the commit log (MySQL's binlog, Postgres's WAL), as a replica
/// applies it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LogEntry {
    pub lsn: u32,
    pub key: Key,
    pub version: Version,
}

/// A log reader (a replica, the invalidator) opens its stream at `from_lsn` over
/// connection `conn`: a new connection replaces its old one (closed), and every entry
/// of `log` after `from_lsn` is sent again, `delay_ms` apart from now. Shared by the
/// primary and a replica that streams its own log. Returns how many were sent.
pub(crate) fn open_stream(
    streams: &mut Vec<(NodeId, u32)>,
    log: &[LogEntry],
    ctx: &mut Ctx,
    who: NodeId,
    from_lsn: u32,
    conn: u32,
    delay_ms: u64,
) -> u32 {
    streams.retain(|(n, _)| *n != who);
    streams.push((who, conn));
    let mut resent = 0;
    for e in log.iter().filter(|e| e.lsn > from_lsn) {
        let change = Payload::Change {
            lsn: e.lsn,
            key: e.key,
            version: e.version,
            conn,
        };
        ctx.send(who, None, change, delay_ms);
        resent += 1;
    }
    resent
}
