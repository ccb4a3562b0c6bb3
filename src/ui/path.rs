//! The learning path: every pattern of the catalog in order, each with its flow drawn,
//! its pros and cons, where it is used, and its scenarios; then the mental model that
//! ties them together. It sits below the simulation and never replaces it.
use super::markup::Markup;
use super::session::Actions;
use crate::sim::scenarios;
use leptos::prelude::*;

struct Pattern {
    name: &'static str,
    /// The scenario whose flow, pros and cons describe the pattern.
    lead: &'static str,
    /// Every scenario that teaches it or one of its failures.
    scenarios: &'static [&'static str],
}

/// Where each pattern is used, in `PATTERNS`' order: the learning path's own long words,
/// which load with the catalog's (`session::load_words`, a split chunk fetched after
/// the first paint; the page's build names `USED` only there, so it is in that chunk).
pub const USED: [&str; 8] = [
    "The default with Redis or Memcached: Facebook's memcache is look-aside; Rails.cache.fetch and \
        Spring's @Cacheable wrap exactly this read path.",
    "Caches that sit in the write path: Amazon DynamoDB Accelerator (DAX) writes through; Hazelcast and \
        Oracle Coherence do with a write-through MapStore or CacheStore.",
    "Write-heavy counters and sessions: Hazelcast's write-behind MapStore (write-delay-seconds, batching, \
        coalescing), Ehcache write-behind; CPU caches are write-back too.",
    "Everywhere, as the bound on staleness: Redis EXPIRE, HTTP Cache-Control max-age on CDNs, DNS TTLs.",
    "Facebook's McSqueal turns MySQL's commit log into memcache deletes; Debezium streams changes to Kafka \
        for invalidators; Redis Pub/Sub carries invalidations (at most once).",
    "What production systems run: cache-aside reads, events to invalidate on writes, a TTL in case an \
        event never arrives.",
    "Microservices that must publish what they commit: Debezium's outbox event router reads the outbox \
        table by change data capture; polling publishers do the same with a relay.",
    "Production databases: reads go to replicas that apply the primary's commit log late (MySQL and \
        Postgres replicate asynchronously by default), so a cache filled from a copy can be filled from the \
        past, after the delete that should have cleared it; a transaction's change is invisible until COMMIT \
        and gone after a rollback, while the cache is in no transaction at all; a cached \"not found\" is a \
        copy too, and outlives the insert that nobody thought to invalidate. Facebook's McSqueal deletes from \
        the commit log, and its remote markers let a writer in a far region read its own write. A service \
        instance's near cache is one more copy, in its own memory: Redis client-side caching tracks what each \
        connection read and pushes an invalidation when it changes. A CDN edge keeps a copy for its \
        s-maxage: a purge by key (Fastly, Cloudflare, Akamai) that arrives before the origin's own cache is \
        fresh is undone by the next miss.",
];

const _: () = assert!(USED.len() == PATTERNS.len(), "one USED per pattern");

thread_local! {
    /// `USED`, once the page has loaded it (`install_words`).
    static LOADED_USED: std::cell::Cell<Option<&'static [&'static str]>> = const { std::cell::Cell::new(None) };
    /// `body`, once the page has loaded it (`install_words`).
    static LOADED_BODY: std::cell::Cell<Option<fn() -> String>> = const { std::cell::Cell::new(None) };
}

/// Gives the learning path `USED` and `body` (from `session::load_words`: their code
/// and words are in that chunk, out of the page's first download).
pub fn install_words(used: &'static [&'static str], body: fn() -> String) {
    LOADED_USED.set(Some(used));
    LOADED_BODY.set(Some(body));
}

/// The path's cards and mental model (`body`); until they have loaded, a paragraph
/// that says so (`scenarios::LOADING`).
fn loaded_body() -> String {
    #[cfg(not(feature = "split"))]
    let loaded: Option<fn() -> String> = Some(body);
    #[cfg(feature = "split")]
    let loaded = LOADED_BODY.get();
    loaded.map_or_else(
        || {
            let mut m = Markup::new();
            m.leaf("p", "sub", scenarios::LOADING);
            m.finish()
        },
        |f| f(),
    )
}

/// Where the `i`-th pattern is used; `scenarios::LOADING` until it has loaded.
fn used(i: usize) -> &'static str {
    #[cfg(not(feature = "split"))]
    let loaded: Option<&'static [&'static str]> = Some(&USED);
    #[cfg(feature = "split")]
    let loaded = LOADED_USED.get();
    loaded
        .and_then(|u| u.get(i).copied())
        .unwrap_or(scenarios::LOADING)
}

const PATTERNS: &[Pattern] = &[
    Pattern {
        name: "Cache-aside (look-aside)",
        lead: "cache-aside-read",
        scenarios: &["cache-aside-read", "cache-aside-write", "stale-set-race", "delete-before-update-race"],
    },
    Pattern {
        name: "Write-through",
        lead: "write-through",
        scenarios: &["write-through", "write-through-race"],
    },
    Pattern {
        name: "Write-behind (write-back)",
        lead: "write-behind",
        scenarios: &["write-behind", "write-behind-crash"],
    },
    Pattern {
        name: "TTL expiry",
        lead: "ttl-expiry",
        scenarios: &["ttl-expiry", "ttl-jitter", "stampede"],
    },
    Pattern {
        name: "Event-driven invalidation",
        lead: "event-invalidation",
        scenarios: &["event-invalidation", "event-delay", "event-loss", "event-duplicate-reorder", "poison-event"],
    },
    Pattern {
        name: "Hybrid",
        lead: "hybrid",
        scenarios: &["hybrid"],
    },
    Pattern {
        name: "Transactional outbox",
        lead: "outbox",
        scenarios: &["outbox", "dual-write-crash"],
    },
    Pattern {
        name: "When the data has copies",
        lead: "replica-lag-refill",
        scenarios: &[
            "replica-lag-refill",
            "invalidate-before-commit",
            "rollback-after-cache-write",
            "negative-cache",
            "cdc-invalidation",
            "cross-region-read-your-writes",
            "near-cache-stale",
            "cdn-purge-race",
        ],
    },
];

/// The cards of the patterns, as markup (display only; the links carry
/// `data-scenario` for the section's one click handler).
fn cards(m: &mut Markup) {
    for (i, p) in PATTERNS.iter().enumerate() {
        let Some(lead) = scenarios::find(p.lead) else {
            continue;
        };
        m.fixed("<article class=\"pattern\"><h3>")
            .leaf("span", "n", &(i + 1).to_string())
            .text(p.name)
            .fixed("</h3><ol class=\"flow-chain\" aria-label=\"Flow\">");
        for step in lead.flow() {
            m.leaf("li", "flow-step", step);
        }
        m.fixed("</ol><div class=\"cards\"><div><h4>Pros</h4><ul>");
        for t in lead.pros() {
            m.leaf("li", "", t);
        }
        m.fixed("</ul></div><div><h4>Cons</h4><ul>");
        for t in lead.cons() {
            m.leaf("li", "", t);
        }
        m.fixed("</ul></div><div><h4>Where it is used</h4>")
            .leaf("p", "", used(i))
            .fixed("</div><div><h4>Scenarios</h4><ul>");
        for s in p.scenarios.iter().filter_map(|id| scenarios::find(id)) {
            m.fixed("<li>")
                .tag("a")
                .attr("href", &format!("?scenario={}", s.id))
                .attr("data-scenario", s.id)
                .body()
                .text(s.title)
                .end("a")
                .fixed("</li>");
        }
        m.fixed("</ul></div></div></article>");
    }
}

/// The path under its heading: the cards, then the mental model that ties them
/// together, as markup (display only; the links carry `data-scenario` for the
/// section's one click handler).
pub fn body() -> String {
    let mut m = Markup::new();
    m.leaf(
        "p",
        "sub",
        "The patterns in the order they build on each other. Each card links to the scenarios \
         that show it working and failing.",
    )
    .fixed("<div class=\"path-cards\">");
    cards(&mut m);
    m.fixed("</div><article class=\"pattern model\"><h3>The mental model</h3><ol class=\"flow-chain\">");
    for step in [
        "Cache-aside is the base: reads fill the cache from the database.",
        "Events drive invalidation: every committed change deletes its key.",
        "The outbox makes the events reliable: they commit with the change.",
        "TTL is the safety net: whatever slips through expires.",
    ] {
        m.leaf("li", "flow-step", step);
    }
    m.fixed("</ol>")
        .leaf(
            "p",
            "",
            "Versions (or leases) guard the races in between: a set or an event older than \
             what the cache already knows is refused.",
        )
        .fixed("</article>");
    m.finish()
}

#[component]
pub fn LearningPath() -> impl IntoView {
    let a = expect_context::<Actions>();
    let go = move |ev: leptos::ev::MouseEvent| {
        if let Some(id) = super::browser::closest_attr(&ev, "a[data-scenario]", "data-scenario") {
            ev.prevent_default();
            a.load_scenario(&id);
            super::browser::scroll_to_top();
        }
    };
    // The cards and the model load with the catalog's words, after the first paint
    // (below the simulation, they are not on the first screen).
    view! {
        <section class="panel path" id="path" aria-labelledby="path-h" on:click=go>
            <h2 id="path-h">"The learning path"</h2>
            <div inner_html=move || {
                a.words.track();
                loaded_body()
            }></div>
        </section>
    }
}
