//! `sort_small`: an insertion sort for the short lists a search sorts for every state
//! (a fingerprint's timers, messages and links, the enabled events, a world's nodes).
//!
//! Why not `sort_unstable`: the page's Web Worker is built with std's
//! `optimize_for_size` feature (the page's release flags, `scripts/setup.sh`), under
//! which `sort_unstable` is a heapsort at every length: 4.3 % of the worker's search
//! (session 11's profile), where natively std switches to an insertion sort below 20
//! items. The lists here have a few to a few dozen items; past `SHORT`, std sorts.
//! Natively std's own sort is kept (measured: this one cost 0.5 % more instructions).
const SHORT: usize = 32;

/// Sorts `v` (ascending); the same order as `sort_unstable` wherever no two items are
/// equal, and for equal items too (they are equal, so interchangeable).
pub(crate) fn sort_small<T: Ord + Copy>(v: &mut [T]) {
    if !cfg!(target_arch = "wasm32") {
        v.sort_unstable();
        return;
    }
    insertion_sort(v);
}

/// The insertion sort (std's past `SHORT` items).
fn insertion_sort<T: Ord + Copy>(v: &mut [T]) {
    if v.len() > SHORT {
        v.sort_unstable();
        return;
    }
    for i in 1..v.len() {
        let x = v[i];
        let mut j = i;
        while j > 0 && v[j - 1] > x {
            v[j] = v[j - 1];
            j -= 1;
        }
        v[j] = x;
    }
}

#[cfg(test)]
mod tests {
    use super::{insertion_sort, sort_small};

    #[test]
    fn sorts_as_std_does_short_and_long() {
        for len in [0usize, 1, 2, 5, 31, 32, 33, 100] {
            let mut v: Vec<u64> = (0..len as u64)
                .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15) % 17)
                .collect();
            let mut expected = v.clone();
            expected.sort_unstable();
            let mut w = v.clone();
            sort_small(&mut v);
            insertion_sort(&mut w);
            assert_eq!(v, expected, "{len} items");
            assert_eq!(w, expected, "{len} items");
        }
    }
}
