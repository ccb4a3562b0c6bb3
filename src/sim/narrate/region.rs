//! The sentences of remote markers (`region.rs`).
use super::super::parts::{said, Said};
use super::super::region::RegionFact;
use super::names::Cast;

pub(super) fn say(n: &Cast, fact: RegionFact) -> Said {
    let the_cache = n.cache;
    let (the_service, cap_service) = (n.service, n.service.cap());
    match fact {
        RegionFact::Marking { key } => said(
            "set marker sent",
            format!(
                "{cap_service} is in another region than the primary. Before it writes {key}, it sets a remote \
                 marker for {key} in {the_cache}, its region's cache, and waits for the reply (Facebook's memcache, NSDI 2013 §5)."
            ),
        ),
        RegionFact::Marked { key } => said(
            "marked",
            format!(
                "The marker for {key} is set in {the_cache}; now {the_service} sends its write to the primary, across \
                 regions."
            ),
        ),
    }
}
