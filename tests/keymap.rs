//! `KeyMap`/`KeySet` behave exactly like `BTreeMap`/`BTreeSet` for what the world does
//! with them: same answers, same order, same `Debug`, same `Hash`.
use cachescope::sim::keymap::{KeyMap, KeySet};
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};

fn hash_of<T: Hash>(t: &T) -> u64 {
    let mut h = DefaultHasher::new();
    t.hash(&mut h);
    h.finish()
}

/// A small generator so the operation sequences are the same on every run.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

#[test]
fn map_matches_btreemap_over_random_operations() {
    let mut rng = Lcg(7);
    for _run in 0..200 {
        let mut ours: KeyMap<u8, u32> = KeyMap::new();
        let mut std: BTreeMap<u8, u32> = BTreeMap::new();
        for _op in 0..100 {
            let k = rng.next(12) as u8;
            let v = rng.next(1000) as u32;
            match rng.next(6) {
                0 | 1 => assert_eq!(ours.insert(k, v), std.insert(k, v)),
                2 => assert_eq!(ours.remove(&k), std.remove(&k)),
                3 => {
                    *ours.or_insert(k, v) += 1;
                    *std.entry(k).or_insert(v) += 1;
                }
                4 => {
                    if let (Some(a), Some(b)) = (ours.get_mut(&k), std.get_mut(&k)) {
                        *a = v;
                        *b = v;
                    }
                }
                _ => assert_eq!(ours.contains_key(&k), std.contains_key(&k)),
            }
            assert_eq!(
                ours.iter().collect::<Vec<_>>(),
                std.iter().collect::<Vec<_>>()
            );
            assert_eq!(ours.len(), std.len());
            assert_eq!(ours.get(&k), std.get(&k));
            assert_eq!(ours.last_key_value(), std.last_key_value());
        }
        assert_eq!(format!("{ours:?}"), format!("{std:?}"));
        assert_eq!(hash_of(&ours), hash_of(&std));
        let collected: KeyMap<u8, u32> = std.clone().into_iter().collect();
        assert_eq!(collected, ours);
    }
}

#[test]
fn or_insert_matches_entry_or_insert() {
    let mut ours: KeyMap<u8, u32> = KeyMap::new();
    let mut std: BTreeMap<u8, u32> = BTreeMap::new();
    for (k, v) in [(3, 1), (1, 5), (3, 9), (2, 0), (1, 1)] {
        *ours.or_insert(k, v) += 10;
        *std.entry(k).or_insert(v) += 10;
        assert_eq!(
            ours.iter().collect::<Vec<_>>(),
            std.iter().collect::<Vec<_>>()
        );
    }
}

#[test]
fn set_matches_btreeset() {
    let mut rng = Lcg(11);
    let mut ours: KeySet<u16> = KeySet::new();
    let mut std: BTreeSet<u16> = BTreeSet::new();
    for _ in 0..2_000 {
        let k = rng.next(40) as u16;
        match rng.next(3) {
            0 => assert_eq!(ours.insert(k), std.insert(k)),
            1 => assert_eq!(ours.remove(&k), std.remove(&k)),
            _ => assert_eq!(ours.contains(&k), std.contains(&k)),
        }
        assert!(ours.iter().eq(std.iter()));
    }
    assert_eq!(format!("{ours:?}"), format!("{std:?}"));
    assert_eq!(hash_of(&ours), hash_of(&std));
}
