//! The sentences of remote markers (`region.rs`).
use super::super::parts::{said, Said};
use super::super::region::RegionFact;

pub(super) fn say(fact: RegionFact) -> Said {
    match fact {
        RegionFact::Marking { key } => said(
            "set marker sent",
            format!(
                "The service is in another region than the primary. Before it writes {key}, it sets a remote marker \
                 for {key} in its region's cache and waits for the reply (Facebook's memcache, NSDI 2013 §5)."
            ),
        ),
        RegionFact::Marked { key } => said(
            "marked",
            format!(
                "The marker for {key} is set in the cache; now the service sends its write to the primary, across \
                 regions."
            ),
        ),
    }
}
