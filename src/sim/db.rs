//! The database: one row per key, each with its committed version.
use super::ids::{Key, Version};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Db {
    pub rows: BTreeMap<Key, Version>,
}

impl Db {
    /// Every key starts at `v1`.
    pub fn with_keys(keys: impl IntoIterator<Item = Key>) -> Db {
        Db { rows: keys.into_iter().map(|k| (k, Version(1))).collect() }
    }

    pub fn read(&self, key: Key) -> Version {
        self.rows.get(&key).copied().unwrap_or(Version(0))
    }

    /// Commits the next version of the row and returns it.
    pub fn commit(&mut self, key: Key) -> Version {
        let next = Version(self.read(key).0 + 1);
        self.rows.insert(key, next);
        next
    }
}
