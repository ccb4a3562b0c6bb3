//! What dropped a service instance's near copies in a run (`{near-dropped SERVICE}`),
//! from the books (`Happened::Near*`, `books/observe.rs`): a tracking cache node's
//! push, the flush when its connection to that node closed, or the instance's own
//! crash. Review session 18 (9): the ending said "the steps above tell whether the
//! cache node's push or the crash dropped service-2's near copy" where the page knows.
use crate::sim::books::Happened;
use crate::sim::ids::NodeId;
use crate::sim::world::World;

/// The sentence: which of them dropped a near copy of `service`'s, or that none did.
pub(super) fn near_dropped(w: &World, service: NodeId) -> String {
    let by: Vec<String> = [
        (
            Happened::NearPushed(service),
            "an invalidation the cache node pushed".to_string(),
        ),
        (
            Happened::NearFlushed(service),
            format!("the flush when {service}'s connection to the cache node closed"),
        ),
        (
            Happened::NearCrashed(service),
            format!("{service}'s own crash"),
        ),
    ]
    .into_iter()
    .filter(|(h, _)| w.books.saw(*h))
    .map(|(_, words)| words)
    .collect();
    match by.as_slice() {
        [] => format!(
            "In this run no push, flush or crash dropped a near copy of {service}'s: it held none when one came."
        ),
        [_] if w.books.saw(Happened::NearCrashed(service)) => {
            format!("In this run {service}'s near copy went with its crash; no push or flush dropped one.")
        }
        [one] => format!("In this run {one} dropped {service}'s near copy."),
        [a, b] => format!("In this run {a} and {b} each dropped a near copy of {service}'s."),
        [a, b, c] => format!("In this run {a}, {b} and {c} each dropped a near copy of {service}'s."),
        _ => String::new(),
    }
}
