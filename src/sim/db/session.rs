//! A closed connection (`Payload::Closed`): the session of a crashed client ends, and
//! with it its open transactions and its waiting `UPDATE`s.
use super::{Db, DbFact, Txn};
use crate::sim::ids::NodeId;
use crate::sim::node::Ctx;

impl Db {
    /// `from`'s connection closed (its process died, and its operating system closed
    /// the socket): the session ends, and with it its open transactions, rolled back
    /// exactly as a `ROLLBACK` would (Postgres and InnoDB do so when a client
    /// disconnects), and its `UPDATE`s waiting for a row lock. A row lock it held is
    /// free: the oldest `UPDATE` waiting for it runs now.
    pub(super) fn session_ended(&mut self, ctx: &mut Ctx, from: NodeId) {
        let mut rolled: Vec<Txn> = Vec::new();
        self.txns.retain(|t| {
            let mine = t.from == from;
            if mine {
                rolled.push(*t);
            }
            !mine
        });
        for t in &rolled {
            self.burn(*t);
        }
        let waited = self.lock_waits.len();
        self.lock_waits.retain(|w| w.from != from);
        let small = |n: usize| u8::try_from(n).unwrap_or(u8::MAX);
        ctx.fact(DbFact::SessionEnded {
            from,
            rolled: rolled.first().map(|t| (t.client, t.key, t.version)),
            txns: small(rolled.len()),
            waits: small(waited - self.lock_waits.len()),
        });
        for t in &rolled {
            self.grant(ctx, t.key);
        }
    }
}
