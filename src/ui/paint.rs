//! The state panels as markup, each a plain function of a `sim::view::View`: the cache
//! entries, the database rows, the invariants, the counters, and the event pipeline
//! (the outbox table, the bus's log with its dead-letter queue, the write-behind queue).
//! See `markup.rs` for why these are text and not `view!`.
//!
//! Architecture Invariant: no Leptos here, so `cargo test` checks the markup natively;
//! the components in `panels.rs` and `pipeline.rs` only set it.
use super::markup::Markup;
use crate::sim::view::View;

/// The "empty" line a panel shows when its list is.
fn empty_note(m: &mut Markup, is_empty: bool, text: &str) {
    if is_empty {
        m.leaf("p", "empty", text);
    }
}

/// A table's head: `<table><thead><tr><th>…</th>…</tr></thead><tbody>`.
fn table_head(m: &mut Markup, columns: &[&str]) {
    m.fixed("<table><thead><tr>");
    for c in columns {
        m.leaf("th", "", c);
    }
    m.fixed("</tr></thead><tbody>");
}

/// The cache panel: one row per cached copy with its TTL left, then the guards (leases,
/// locks, tombstones) the cache nodes hold. Every copy is listed (`data-cache`: the
/// first cache node's, the other nodes', each instance's near cache, a CDN edge's);
/// where more than one node may hold one, a first column says whose it is.
pub fn cache(v: &View) -> String {
    let mut m = Markup::new();
    m.fixed("<h2 id=\"cache-h\">Cache</h2>");
    let many = v.many_holders;
    if many {
        table_head(&mut m, &["held by", "key", "value", "TTL left"]);
    } else {
        table_head(&mut m, &["key", "value", "TTL left"]);
    }
    let first = v.cache.iter().map(|e| (crate::sim::NodeId::CACHE, "", e));
    let others = v
        .copies
        .iter()
        .flat_map(|c| c.entries.iter().map(|e| (c.id, "", e)));
    // `copies` holds the CDN edge's stored responses too (`View::edge` lists the same
    // ones), so the edge is not chained again: one row per copy.
    let near = v.near.iter().map(|(id, e)| (*id, " near cache", e));
    let mut count = 0;
    for (holder, what, e) in first.chain(others).chain(near) {
        count += 1;
        let left = e.expires_at.map_or("none".to_string(), |t| {
            format!("{} ms", t.saturating_sub(v.now_ms))
        });
        let expires_at = e.expires_at.map(|t| t.to_string());
        let holder = holder.to_string();
        let row = m
            .tag("tr")
            .attr("data-testid", "cache-entry")
            .attr("data-cache", &holder)
            .attr("data-key", &e.key)
            .attr("data-value", &e.value)
            .attr("data-version", &e.version.to_string())
            .attr_if("data-expires-at", expires_at.as_deref())
            .body();
        if many {
            row.leaf("td", "holder", &format!("{holder}{what}"));
        }
        row.leaf("td", "", &e.key)
            .leaf("td", "value", &e.value)
            .leaf("td", "ttl", &left)
            .end("tr");
    }
    m.fixed("</tbody></table>");
    empty_note(&mut m, count == 0, "empty");
    m.fixed("<ul class=\"guards\">");
    for g in &v.guards {
        let whose = if many { "cache, " } else { "" };
        m.leaf("li", "guard", &format!("{whose}{}: {}", g.key, g.text));
    }
    for c in &v.copies {
        for g in &c.guards {
            m.leaf("li", "guard", &format!("{}, {}: {}", c.id, g.key, g.text));
        }
    }
    m.fixed("</ul>");
    m.finish()
}

/// The database panel: each row's committed value and version.
pub fn db(v: &View) -> String {
    let mut m = Markup::new();
    m.fixed("<h2 id=\"db-h\">Database</h2>");
    table_head(&mut m, &["key", "committed"]);
    // With a replica or a second primary (`db-2`, its state in `View::more`), each
    // database node's rows say whose they are (`data-db`).
    let shards = v
        .more
        .iter()
        .filter(|m| matches!(m.id, crate::sim::NodeId::Db(_)));
    let whose = !v.replica.is_empty() || shards.clone().next().is_some();
    let nodes = [("db".to_string(), &v.db)]
        .into_iter()
        .chain(shards.map(|m| (m.id.to_string(), &m.db)))
        .chain([("replica".to_string(), &v.replica)]);
    for (db, rows) in nodes {
        for r in rows.iter() {
            let mut row = m.tag("tr");
            row = row.attr("data-testid", "db-row");
            if whose {
                row = row.attr("data-db", &db);
            }
            let key = if db == "db" {
                r.key.clone()
            } else {
                format!("{} ({db})", r.key)
            };
            row.attr("data-key", &r.key)
                .attr("data-value", &r.value)
                .attr("data-version", &r.version.to_string())
                .body()
                .leaf("td", "", &key)
                .leaf("td", "value", &r.value)
                .end("tr");
        }
    }
    m.fixed("</tbody></table>");
    m.finish()
}

/// The invariants: each one's status and, when violated, why.
pub fn invariants(v: &View) -> String {
    let mut m = Markup::new();
    m.fixed("<h2 id=\"inv-h\">Invariants</h2><ul class=\"invariants\">");
    for i in &v.invariants {
        let status = if i.ok { "ok" } else { "violated" };
        m.tag("li")
            .attr("data-testid", "invariant")
            .attr("data-invariant", i.name)
            .attr("data-status", status)
            .attr("class", if i.ok { "inv ok" } else { "inv violated" })
            .body()
            .leaf("span", "badge", badge(i))
            .leaf("code", "", i.name)
            .leaf("span", "why", i.why.as_deref().unwrap_or(i.describe))
            .end("li");
    }
    m.fixed("</ul>");
    m.finish()
}

fn badge(i: &crate::sim::view::InvariantView) -> &'static str {
    match (i.ok, i.for_now) {
        (true, _) => "✓ ok",
        // Not "violated so far" (review 30, G, "now" read as "just became"): 3 more
        // characters wrap it and push replica-lag-refill's invariant below a 1280x720
        // fold (e2e topology.test.mjs).
        (false, true) => "✗ violated now",
        (false, false) => "✗ violated",
    }
}

/// What changed in the invariants from `before` to `now` (at step `step`), in words,
/// for screen readers; empty when nothing changed.
pub fn invariant_news(
    invariants: &[crate::sim::Invariant],
    before: &crate::sim::World,
    now: &crate::sim::World,
    step: usize,
) -> String {
    let mut out = String::new();
    for i in invariants {
        match (i.check(before).is_ok(), i.check(now)) {
            (true, Err(why)) => out.push_str(&format!(
                "Step {step}: {} is now violated: {why}. ",
                i.name()
            )),
            (false, Ok(())) => out.push_str(&format!("Step {step}: {} holds again. ", i.name())),
            _ => {}
        }
    }
    out.trim_end().to_string()
}

/// The counters.
pub fn metrics(v: &View) -> String {
    let mut m = Markup::new();
    m.fixed("<h2 id=\"metrics-h\">Counters</h2><dl class=\"metrics\">");
    for c in &v.metrics {
        let value = c.value.to_string();
        m.tag("div")
            .attr("class", "metric")
            .attr("data-testid", "metric")
            .attr("data-metric", c.name)
            .attr("data-value", &value)
            .body()
            .leaf("dt", "", c.name)
            .leaf("dd", "", &value)
            .end("div");
    }
    m.fixed("</dl>");
    m.finish()
}

/// The outbox table, written in the same transaction as the row it describes.
pub fn outbox(v: &View) -> String {
    let mut m = Markup::new();
    m.fixed("<h2 id=\"outbox-h\">Outbox table (in the database)</h2>");
    table_head(
        &mut m,
        &[
            "id",
            "aggregatetype",
            "aggregateid",
            "type",
            "payload",
            "state",
        ],
    );
    for r in &v.outbox {
        m.tag("tr")
            .attr("data-testid", "outbox-row")
            .attr("data-event-id", &r.event_id)
            .attr("data-published", if r.published { "true" } else { "false" })
            .body()
            .leaf("td", "", &r.event_id)
            .leaf("td", "", &r.aggregate_type)
            .leaf("td", "", &r.aggregate_id)
            .leaf("td", "", &r.kind)
            .fixed("<td class=\"payload\">")
            .leaf("code", "", &r.payload)
            .fixed("</td>");
        if r.published {
            m.leaf("td", "yes", "published");
        } else {
            m.leaf("td", "no", "pending");
        }
        m.end("tr");
    }
    m.fixed("</tbody></table>");
    empty_note(&mut m, v.outbox.is_empty(), "no rows yet");
    m.finish()
}

/// The bus: its guarantee, its log (or what is in flight), the consumer's memory and
/// the dead-letter queue.
pub fn bus(v: &View) -> String {
    let mut m = Markup::new();
    m.fixed("<h2 id=\"bus-h\">Event bus</h2>");
    let kind = match v.bus_durable {
        Some(true) => {
            // Each consumer group's committed offset where there are several.
            let offset = if v.bus_groups.is_empty() {
                v.bus_offset
                    .map(|o| format!(", consumer offset {o}"))
                    .unwrap_or_default()
            } else {
                let each: Vec<String> = v
                    .bus_groups
                    .iter()
                    .map(|(id, o)| format!("{id} {o}"))
                    .collect();
                format!(", committed offsets: {}", each.join(", "))
            };
            let like = v.bus_like.unwrap_or("a Kafka partition");
            format!("durable, at-least-once (like {like}){offset}")
        }
        Some(false) => "at-most-once (like Redis Pub/Sub): nothing is kept".to_string(),
        None => String::new(),
    };
    m.leaf("p", "sub", &kind);
    table_head(&mut m, &["offset", "event", "change", "state"]);
    for b in &v.bus {
        let mut state = b.state_words();
        if b.failures > 0 {
            state.push_str(&format!(" ({} failures)", b.failures));
        }
        m.tag("tr")
            .attr("data-testid", "bus-message")
            .attr("data-event-id", &b.event_id)
            .attr("data-key", &b.key)
            .attr("data-version", &b.version.to_string())
            .attr("class", &format!("bus-{}", b.state))
            .body()
            .leaf("td", "", &b.offset.to_string())
            .leaf("td", "", &b.event_id)
            .leaf("td", "", &format!("{} → {}", b.key, b.value))
            .leaf("td", "", &state)
            .end("tr");
    }
    m.fixed("</tbody></table>");
    if let Some(c) = &v.consumer {
        let mut parts = Vec::new();
        if let Some(h) = &c.handling {
            parts.push(format!("handling {h}"));
        }
        for (label, ids) in [
            ("inbox", &c.inbox),
            ("processed ids", &c.processed),
            ("applied", &c.applied),
        ] {
            if !ids.is_empty() {
                parts.push(format!("{label}: {}", ids.join(", ")));
            }
        }
        if parts.is_empty() {
            parts.push("idle".to_string());
        }
        m.leaf("p", "sub", &format!("Consumer: {}", parts.join(" · ")));
    }
    m.fixed("<h3 class=\"sub-h\">Dead-letter queue</h3><ul class=\"dlq\">");
    for d in &v.dlq {
        m.tag("li")
            .attr("data-testid", "dlq-message")
            .attr("data-event-id", &d.event_id)
            .body()
            .text(&format!(
                "{}: {} → {} after {} failures",
                d.event_id, d.key, d.value, d.failures
            ))
            .end("li");
    }
    m.fixed("</ul>");
    empty_note(&mut m, v.dlq.is_empty(), "empty");
    m.finish()
}

/// The write-behind queue: writes acknowledged to the client, not yet in the database.
pub fn queue(v: &View) -> String {
    let mut m = Markup::new();
    m.fixed("<h2 id=\"queue-h\">Write-behind queue</h2>");
    table_head(&mut m, &["key", "value", ""]);
    for q in &v.queue {
        let note = match (q.in_flight, q.durable) {
            (true, true) => "being flushed, on disk",
            (true, false) => "being flushed",
            (false, true) => "on disk",
            (false, false) => "",
        };
        m.tag("tr")
            .attr("data-testid", "queue-item")
            .attr("data-key", &q.key)
            .attr("data-value", &q.value)
            .body()
            .leaf("td", "", &q.key)
            .leaf("td", "value", &q.value)
            .leaf("td", "", note)
            .end("tr");
    }
    m.fixed("</tbody></table>");
    empty_note(&mut m, v.queue.is_empty(), "empty");
    m.finish()
}

/// What the side-by-side table shows besides the rows.
pub struct CompareText<'a> {
    /// Steps taken on the left (the learner's run).
    pub cursor: usize,
    pub first_difference: Option<usize>,
    /// Each run's verdict at its end, in words.
    pub ends: &'a str,
    /// The fixes of each column, in words.
    pub left_label: &'a str,
    pub right_label: &'a str,
}

/// Side by side: where the runs first differ, both verdicts at the cursor and at the
/// end, and the steps up to the cursor (and the first differing one) in two columns.
pub fn compare(rows: &[crate::sim::compare::Row], t: &CompareText) -> String {
    use crate::sim::compare::Matched;
    let status = |bad: bool| if bad { "violated" } else { "ok" };
    let mut m = Markup::new();
    let first = t.first_difference;
    m.tag("p")
        .attr("class", "sub")
        .attr("data-testid", "compare-first-difference")
        .attr_if("data-step", first.map(|f| f.to_string()).as_deref())
        .body();
    match first {
        Some(step) => m.text(&format!("The runs first differ at step {step}.")),
        None => m.text("The two runs take the same steps."),
    };
    if let Some(at) = t.cursor.checked_sub(1).filter(|i| *i < rows.len()) {
        // A side with no step here has ended: its verdict is its last step's.
        let side = |line: fn(&crate::sim::compare::Row) -> bool,
                    bad: fn(&crate::sim::compare::Row) -> bool| {
            match rows[..=at].iter().rev().find(|r| line(r)) {
                Some(r) if r.step == at + 1 => status(bad(r)).to_string(),
                Some(r) => format!("ended at step {}, {}", r.step, status(bad(r))),
                None => "has no step".to_string(),
            }
        };
        m.text(&format!(
            " At step {}: left {}, right {}.",
            t.cursor,
            side(|r| r.left.is_some(), |r| r.left_violated),
            side(|r| r.right.is_some(), |r| r.right_violated)
        ));
    }
    m.text(t.ends).end("p");
    m.fixed("<table class=\"compare\"><thead><tr><th>#</th>")
        .leaf("th", "", &format!("left: {}", t.left_label))
        .leaf("th", "", &format!("right: {}", t.right_label))
        .fixed("</tr></thead><tbody>");
    for r in rows
        .iter()
        .filter(|r| r.step <= t.cursor.max(1) || Some(r.step) == first)
    {
        let mut class = String::new();
        for (on, name) in [
            (r.differs, "differs"),
            (Some(r.step) == first, "first"),
            (r.step == t.cursor, "here"),
        ] {
            if on {
                class.push_str(name);
                class.push(' ');
            }
        }
        let mark = match r.matched {
            Matched::Same => "",
            Matched::Rules => "no matching event: own order",
            Matched::Ended => "ended",
        };
        let bad = |b: bool| if b { "bad" } else { "" };
        m.tag("tr")
            .attr("data-testid", "compare-row")
            .attr("data-step", &r.step.to_string())
            .attr("data-differs", if r.differs { "true" } else { "false" })
            .attr("class", class.trim_end())
            .body()
            .leaf("td", "n", &r.step.to_string())
            .tag("td")
            .attr("class", bad(r.left_violated))
            .body()
            .leaf("code", "", r.left.as_deref().unwrap_or_default())
            .end("td")
            .tag("td")
            .attr("class", bad(r.right_violated))
            .body()
            .leaf("code", "", r.right.as_deref().unwrap_or_default())
            .leaf("small", "", mark)
            .end("td")
            .end("tr");
    }
    m.fixed("</tbody></table>");
    m.finish()
}

/// `<li>` per item, its text escaped (the reasons a link could not be used).
pub fn list_items<T: std::fmt::Display>(items: &[T]) -> String {
    let mut m = Markup::new();
    for item in items {
        m.leaf("li", "", &item.to_string());
    }
    m.finish()
}

/// What each fix switched on does and costs.
pub fn fix_notes(run: &crate::sim::Run) -> String {
    let mut m = Markup::new();
    let sc = run.scenario;
    for (i, f) in sc
        .fixes
        .iter()
        .enumerate()
        .filter(|(_, f)| run.fixes.has(f.id))
    {
        m.tag("li")
            .body()
            .tag("strong")
            .body()
            .text(f.title)
            .text(": ")
            .end("strong")
            .text(sc.fix_what(i))
            .fixed("<br>")
            .leaf("em", "", "Cost: ")
            .text(sc.fix_cost(i))
            .end("li");
    }
    m.finish()
}

/// A pattern's card: its flow, its pros and its cons.
pub fn pattern_card(sc: &crate::sim::Scenario) -> String {
    let mut m = Markup::new();
    for (title, class, items, list) in [
        ("Flow", "flow", sc.flow(), "ol"),
        ("Pros", "pros", sc.pros(), "ul"),
        ("Cons", "cons", sc.cons(), "ul"),
    ] {
        m.fixed("<div>").leaf("h3", "", title);
        m.tag(list).attr("class", class).body();
        for item in items {
            m.leaf("li", "", item);
        }
        m.end(list).fixed("</div>");
    }
    m.finish()
}
