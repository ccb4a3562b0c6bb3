//! `KeyMap` and `KeySet`: ordered maps and sets kept as one sorted `Vec`.
//!
//! Why not `BTreeMap`: the world's maps hold a handful of entries (a sandbox has at
//! most `sandbox::MAX_KEYS` keys, a scenario a few nodes), the world is cloned at every step so
//! the learner can step back, and all of it ships to the browser. A sorted `Vec` clones
//! as one allocation and a lookup is a binary search over a few elements; each
//! `BTreeMap<K, V>` instantiation cost 3 to 4 KiB of wasm (node splits, merges,
//! rebalancing) that a map of five entries never needs.
//!
//! Iteration is in key order, like `BTreeMap`, so traces are the same; `Debug` prints
//! a map as `{k: v, ...}`, and `Hash` feeds the same sequence as `BTreeMap` does
//! (length, then each key and value in order).
use std::fmt;

/// An ordered map: entries sorted by key, no two with the same key.
#[derive(PartialEq, Eq, Hash)]
pub struct KeyMap<K, V> {
    items: Vec<(K, V)>,
}

/// `clone_from` copies into the map's own buffer (a node copied into a dropped node's
/// buffers: `nodes.rs`).
impl<K: Clone, V: Clone> Clone for KeyMap<K, V> {
    fn clone(&self) -> Self {
        Self {
            items: self.items.clone(),
        }
    }

    fn clone_from(&mut self, source: &Self) {
        self.items.clone_from(&source.items);
    }
}

impl<K, V> Default for KeyMap<K, V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K, V> KeyMap<K, V> {
    pub const fn new() -> Self {
        Self { items: Vec::new() }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn clear(&mut self) {
        self.items.clear();
    }

    /// Entries in key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&K, &V)> + ExactSizeIterator {
        self.items.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator {
        self.items.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.items.iter().map(|(_, v)| v)
    }

    /// The entry with the greatest key.
    pub fn last_key_value(&self) -> Option<(&K, &V)> {
        self.items.last().map(|(k, v)| (k, v))
    }
}

impl<K: Ord, V> KeyMap<K, V> {
    fn find(&self, key: &K) -> Result<usize, usize> {
        self.items.binary_search_by(|(k, _)| k.cmp(key))
    }

    pub fn get(&self, key: &K) -> Option<&V> {
        self.find(key).ok().map(|i| &self.items[i].1)
    }

    pub fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        self.find(key).ok().map(|i| &mut self.items[i].1)
    }

    pub fn contains_key(&self, key: &K) -> bool {
        self.find(key).is_ok()
    }

    /// Sets `key` to `value`; returns the value it had.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.items[i].1, value)),
            Err(i) => {
                self.items.insert(i, (key, value));
                None
            }
        }
    }

    pub fn remove(&mut self, key: &K) -> Option<V> {
        self.find(key).ok().map(|i| self.items.remove(i).1)
    }

    /// Keeps the entries `keep` says to, each changed as it likes (`Vec::retain_mut`).
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        self.items.retain_mut(|(k, v)| keep(k, v));
    }

    /// The value at `key`, inserting `value` first if there is none
    /// (`BTreeMap::entry(key).or_insert(value)`).
    pub fn or_insert(&mut self, key: K, value: V) -> &mut V {
        let i = match self.find(&key) {
            Ok(i) => i,
            Err(i) => {
                self.items.insert(i, (key, value));
                i
            }
        };
        &mut self.items[i].1
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for KeyMap<K, V> {
    /// Later pairs win over earlier ones with the same key, as in `BTreeMap`.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = Self::new();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map
    }
}

impl<'a, K, V> IntoIterator for &'a KeyMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter().map(|(k, v)| (k, v))
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for KeyMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// An ordered set: a `KeyMap` with nothing in the values (`()` hashes to nothing, so
/// the `Hash` feed is the `BTreeSet`'s).
#[derive(PartialEq, Eq, Hash)]
pub struct KeySet<K> {
    map: KeyMap<K, ()>,
}

impl<K: Clone> Clone for KeySet<K> {
    fn clone(&self) -> Self {
        Self {
            map: self.map.clone(),
        }
    }

    fn clone_from(&mut self, source: &Self) {
        self.map.clone_from(&source.map);
    }
}

impl<K> Default for KeySet<K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K> KeySet<K> {
    pub const fn new() -> Self {
        Self { map: KeyMap::new() }
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    pub fn clear(&mut self) {
        self.map.clear();
    }

    /// Elements in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator {
        self.map.keys()
    }
}

impl<K: Ord> KeySet<K> {
    pub fn contains(&self, key: &K) -> bool {
        self.map.contains_key(key)
    }

    /// Adds `key`; false if it was already there.
    pub fn insert(&mut self, key: K) -> bool {
        self.map.insert(key, ()).is_none()
    }

    pub fn remove(&mut self, key: &K) -> bool {
        self.map.remove(key).is_some()
    }
}

impl<K: fmt::Debug> fmt::Debug for KeySet<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

// Serialized as a map and a sequence, the same shape as `BTreeMap` and `BTreeSet`, so
// a serialized world reads the same either way.
impl<K: serde::Serialize, V: serde::Serialize> serde::Serialize for KeyMap<K, V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl<'de, K, V> serde::Deserialize<'de> for KeyMap<K, V>
where
    K: Ord + serde::Deserialize<'de>,
    V: serde::Deserialize<'de>,
{
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = std::collections::BTreeMap::<K, V>::deserialize(d)?;
        Ok(Self {
            items: map.into_iter().collect(),
        })
    }
}

impl<K: serde::Serialize> serde::Serialize for KeySet<K> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de, K: Ord + serde::Deserialize<'de>> serde::Deserialize<'de> for KeySet<K> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let set = std::collections::BTreeSet::<K>::deserialize(d)?;
        Ok(Self {
            map: set.into_iter().map(|k| (k, ())).collect(),
        })
    }
}
