//! The database: one row per key, each with its committed version, and the outbox
//! table that the outbox pattern writes in the same transaction as the row.
use super::ids::{EventId, Key, Version};
use super::keymap::KeyMap;
use super::msg::BusEvent;
use serde::{Deserialize, Serialize};

/// A row of the outbox table, with the columns of Debezium's outbox event router:
/// `id`, `aggregatetype`, `aggregateid`, `type`, `payload`; and the `published` flag a
/// polling relay sets once it has published the row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OutboxRow {
    pub ev: BusEvent,
    pub published: bool,
}

impl OutboxRow {
    pub fn id(&self) -> String {
        self.ev.id.to_string()
    }
    pub fn aggregate_type(&self) -> &'static str {
        "user"
    }
    pub fn aggregate_id(&self) -> String {
        self.ev.key.0.to_string()
    }
    pub fn kind(&self) -> &'static str {
        "UserUpdated"
    }
    pub fn payload(&self) -> String {
        format!(
            "{{\"id\":{},\"version\":\"{}\"}}",
            self.ev.key.0, self.ev.version
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Db {
    pub rows: KeyMap<Key, Version>,
    /// The log sequence number of the last change (the seed rows take 1..n).
    pub lsn: u32,
    pub outbox: Vec<OutboxRow>,
}

impl Db {
    /// Every key starts at `v1`.
    pub fn with_keys(keys: impl IntoIterator<Item = Key>) -> Db {
        let rows: KeyMap<Key, Version> = keys.into_iter().map(|k| (k, Version(1))).collect();
        let lsn = rows.len() as u32;
        Db {
            rows,
            lsn,
            outbox: Vec::new(),
        }
    }

    pub fn read(&self, key: Key) -> Version {
        self.rows.get(&key).copied().unwrap_or(Version(0))
    }

    /// Commits the next version of the row and returns it, with the change's id.
    pub fn commit(&mut self, key: Key) -> (Version, EventId) {
        let next = Version(self.read(key).0 + 1);
        self.rows.insert(key, next);
        self.lsn += 1;
        (next, EventId(self.lsn))
    }

    /// Commits the row and its outbox row in one transaction: both or neither.
    pub fn commit_with_outbox(&mut self, key: Key) -> BusEvent {
        let (version, id) = self.commit(key);
        let ev = BusEvent { id, key, version };
        self.outbox.push(OutboxRow {
            ev,
            published: false,
        });
        ev
    }

    /// A write-behind flush: stores `version` unless the row already has a newer one
    /// (a conditional update). Returns whether it wrote.
    pub fn put(&mut self, key: Key, version: Version) -> bool {
        if self.read(key) >= version {
            return false;
        }
        self.rows.insert(key, version);
        self.lsn += 1;
        true
    }
}
