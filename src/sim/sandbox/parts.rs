//! The production chapter's parts in the sandbox, on top of any pattern: a read
//! replica with its lag and where misses read, transactions (the hook's place and a
//! transaction-aware cache), negative caching with its TTL, an `invalidator` tailing
//! the commit log, and a second region with remote markers. So a learner can build,
//! say, negative caching on a lagging replica, or a transaction-aware write-through
//! with two writers.
//!
//! In the sandbox's code each part that is on adds a `.`-separated suffix after the
//! TTL (a code without one is the classic sandbox, so old links keep their meaning):
//! `.r20` a replica 20 ms behind that misses read (`.r20p`: misses read the primary),
//! `.ti` / `.tc` writes in a transaction with the cache step inside it or after
//! `COMMIT` (`a` appended: a transaction-aware cache), `.n300` negative caching with a
//! 300 ms TTL (`d` appended: the insert deletes the key), `.c` an invalidator, `.g` a
//! second region (`.gm`: with remote markers).
use crate::sim::codec::quote;
use crate::sim::config::{
    Config, Hook, InvalidatorConfig, NegativeConfig, NodeSpec, ReadFrom, ReplicaConfig, TxnConfig,
};
use crate::sim::ids::NodeId;

/// The longest replica lag the sandbox takes, in virtual ms.
pub const MAX_LAG_MS: u64 = 500;
/// The longest negative TTL the sandbox takes, in virtual ms.
pub const MAX_NEGATIVE_TTL_MS: u64 = 100_000;
/// What a hop between the two regions adds (as in `cross-region-read-your-writes`).
pub const CROSS_REGION_MS: u64 = 30;

/// The production parts a sandbox has; all off by default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Parts {
    /// A read replica of the primary (its lag, where misses read).
    pub replica: Option<ReplicaConfig>,
    /// Writes run in a transaction (cache-aside and write-through writes).
    pub txn: Option<TxnConfig>,
    /// A read that finds no row caches `absent` with this TTL; the rows start absent
    /// and each writer's first request inserts its key.
    pub negative: Option<NegativeConfig>,
    /// An invalidator tails the commit log (the primary's, or in a second region the
    /// replica's) and deletes each changed key from the caches of its region.
    pub invalidator: bool,
    /// The clients, a second service and its cache (`service-2`, `cache-2`), the
    /// replica and the invalidator are in region 2; the primary (and the first
    /// service and cache, idle) stay in region 1.
    pub second_region: bool,
    /// With `second_region`: `service-2` sets a remote marker before each write.
    pub remote_marker: bool,
}

impl Parts {
    /// The parts brought into their bounds and made consistent: a second region needs
    /// the replica it reads (20 ms behind when none was chosen); a remote marker needs
    /// the second region.
    pub fn clamped(mut self) -> Parts {
        if self.second_region && self.replica.is_none() {
            self.replica = Some(ReplicaConfig::default());
        }
        if let Some(r) = &mut self.replica {
            r.lag_ms = r.lag_ms.clamp(1, MAX_LAG_MS);
        }
        if let Some(n) = &mut self.negative {
            n.ttl_ms = n.ttl_ms.clamp(1, MAX_NEGATIVE_TTL_MS);
        }
        self.remote_marker &= self.second_region;
        self
    }

    /// Whether any part is on.
    pub fn any(&self) -> bool {
        *self != Parts::default()
    }

    /// The code's suffix (empty when no part is on).
    pub fn code(&self) -> String {
        let mut out = String::new();
        if let Some(r) = self.replica {
            let primary = if r.miss_reads == ReadFrom::Primary {
                "p"
            } else {
                ""
            };
            out.push_str(&format!(".r{}{primary}", r.lag_ms));
        }
        if let Some(t) = self.txn {
            out.push_str(match t.hook {
                Hook::InTransaction => ".ti",
                Hook::AfterCommit => ".tc",
            });
            if t.cache_aware {
                out.push('a');
            }
        }
        if let Some(n) = self.negative {
            out.push_str(&format!(".n{}", n.ttl_ms));
            if n.invalidate_on_insert {
                out.push('d');
            }
        }
        if self.invalidator {
            out.push_str(".c");
        }
        if self.second_region {
            out.push_str(if self.remote_marker { ".gm" } else { ".g" });
        }
        out
    }

    /// Reads the suffix `code` wrote: each part is `(at, text)`, `at` the index of its
    /// first character in the whole code. An error names the character at fault.
    pub fn parse(parts: &[(usize, &str)]) -> Result<Parts, (usize, String)> {
        let mut p = Parts::default();
        for &(at, text) in parts {
            let mut chars = text.chars();
            let letter = chars.next();
            let rest = chars.as_str();
            let number =
                |rest: &str, what: &str, max: u64| -> Result<(u64, usize), (usize, String)> {
                    let digits = rest.chars().take_while(char::is_ascii_digit).count();
                    match rest[..digits].parse::<u64>() {
                        Ok(n) if (1..=max).contains(&n) => Ok((n, digits)),
                        Ok(n) => Err((at + 1, format!("{what} {n} ms: it must be 1 to {max}"))),
                        Err(_) => Err((at + 1, format!("expected the {what} in ms"))),
                    }
                };
            let flags = |rest: &str, allowed: &str| -> Result<(), (usize, String)> {
                match rest.chars().position(|c| !allowed.contains(c)) {
                    None => Ok(()),
                    Some(i) => Err((
                        at + 1 + i,
                        format!("{} is not known here", quote::text(&rest[i..])),
                    )),
                }
            };
            match letter {
                Some('r') if p.replica.is_none() => {
                    let (lag_ms, n) = number(rest, "replica lag", MAX_LAG_MS)?;
                    let tail = &rest[n..];
                    flags(tail, "p").map_err(|(i, e)| (i + n, e))?;
                    p.replica = Some(ReplicaConfig {
                        lag_ms,
                        miss_reads: if tail == "p" {
                            ReadFrom::Primary
                        } else {
                            ReadFrom::Replica
                        },
                    });
                }
                Some('t') if p.txn.is_none() => {
                    let hook = match rest.chars().next() {
                        Some('i') => Hook::InTransaction,
                        Some('c') => Hook::AfterCommit,
                        _ => return Err((at + 1, "expected the hook: i (in the transaction) or c (after COMMIT)".into())),
                    };
                    flags(&rest[1..], "a").map_err(|(i, e)| (i + 1, e))?;
                    p.txn = Some(TxnConfig {
                        hook,
                        cache_aware: &rest[1..] == "a",
                    });
                }
                Some('n') if p.negative.is_none() => {
                    let (ttl_ms, n) = number(rest, "negative TTL", MAX_NEGATIVE_TTL_MS)?;
                    let tail = &rest[n..];
                    flags(tail, "d").map_err(|(i, e)| (i + n, e))?;
                    p.negative = Some(NegativeConfig {
                        ttl_ms,
                        invalidate_on_insert: tail == "d",
                    });
                }
                Some('c') if !p.invalidator => {
                    flags(rest, "")?;
                    p.invalidator = true;
                }
                Some('g') if !p.second_region => {
                    flags(rest, "m")?;
                    p.second_region = true;
                    p.remote_marker = rest == "m";
                }
                Some(c) if "rtncg".contains(c) => {
                    return Err((at, format!("the part {} appears twice", quote::char(c))));
                }
                Some(c) => {
                    return Err((
                        at,
                        format!("{} is not a part (r replica, t transactions, n negative caching, c invalidator, g second region)", quote::char(c)),
                    ))
                }
                None => return Err((at, "an empty part".into())),
            }
        }
        Ok(p)
    }

    /// Puts the parts into `c`, the pattern's configuration.
    pub fn apply(&self, c: &mut Config) {
        let p = self.clamped();
        c.replica = p.replica;
        c.txn = p.txn;
        c.negative = p.negative;
        if p.negative.is_some() {
            // The rows start absent; each writer's first request creates its key.
            c.keys.clear();
            for (id, requests) in &mut c.clients {
                if let (NodeId::Writer(_), Some(first)) = (id, requests.first_mut()) {
                    first.op = crate::sim::config::Op::Insert;
                }
            }
        }
        if p.invalidator {
            c.invalidator = Some(InvalidatorConfig {
                tails: if p.second_region {
                    ReadFrom::Replica
                } else {
                    ReadFrom::Primary
                },
                ..InvalidatorConfig::default()
            });
        }
        if p.second_region {
            c.latency.cross_region_ms = CROSS_REGION_MS;
            c.remote_marker = p.remote_marker;
            let at = |id: NodeId| NodeSpec {
                region: Some(2),
                ..NodeSpec::at(id)
            };
            // `service-2`'s misses read where the form says (the replica by default);
            // the first region's service reads the primary.
            let reads = match p.replica.map(|r| r.miss_reads) {
                Some(ReadFrom::Primary) => NodeId::DB,
                _ => NodeId::Replica(1),
            };
            let mut topology = vec![
                at(NodeId::Replica(1)),
                at(NodeId::Cache(2)),
                NodeSpec {
                    cache: Some(NodeId::Cache(2)),
                    reads: Some(reads),
                    ..at(NodeId::Service(2))
                },
            ];
            if p.invalidator {
                topology.push(at(NodeId::INVALIDATOR));
            }
            // Every client is served in region 2 (as in `cross-region-read-your-writes`,
            // the master region's cache then holds nothing), and each writer reads its
            // key back after each write (read-your-writes).
            for (id, requests) in &mut c.clients {
                topology.push(NodeSpec {
                    service: Some(NodeId::Service(2)),
                    ..at(*id)
                });
                if let NodeId::Writer(_) = id {
                    let mut with_reads = Vec::with_capacity(requests.len() * 2);
                    for r in requests.iter() {
                        with_reads.push(*r);
                        with_reads.push(crate::sim::config::Request::read(r.key, r.at_ms));
                    }
                    *requests = with_reads;
                }
            }
            c.topology = topology;
            if let Some(r) = &mut c.replica {
                r.miss_reads = ReadFrom::Primary;
            }
        }
    }
}

/// Reads the sandbox form's production parts: `fields` holds each checked box or
/// radio as `(name, "on")` and each number field as `(name, text)`. Names: `replica`,
/// `lag`, `reads-primary`; `txn`, `hook-after`, `cache-aware`; `negative`,
/// `negative-ttl`, `insert-deletes`; `invalidator`; `region`, `remote-marker`. A
/// number that is out of bounds or not a number is replaced, and the notes say so
/// (the page shows them, never silently).
pub fn from_form(fields: &[(String, String)]) -> (Parts, Vec<String>) {
    let on = |name: &str| fields.iter().any(|(n, v)| n == name && v == "on");
    let text = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.trim())
    };
    let mut notes = Vec::new();
    let mut number = |name: &str, what: &str, default: u64, max: u64| -> u64 {
        let t = text(name);
        match t.parse::<u64>() {
            Ok(n) if (1..=max).contains(&n) => n,
            Ok(n) => {
                let used = n.clamp(1, max);
                notes.push(format!(
                    "{what} {n} ms: the sandbox takes 1 to {max} ms, so it uses {used} ms."
                ));
                used
            }
            Err(_) => {
                if !t.is_empty() {
                    notes.push(format!(
                        "{what} {} is not a whole number of ms: it uses {default} ms.",
                        quote::text(&t.chars().take(12).collect::<String>())
                    ));
                }
                default
            }
        }
    };
    let mut p = Parts::default();
    if on("replica") {
        p.replica = Some(ReplicaConfig {
            lag_ms: number("lag", "A replica lag of", 20, MAX_LAG_MS),
            miss_reads: if on("reads-primary") {
                ReadFrom::Primary
            } else {
                ReadFrom::Replica
            },
        });
    }
    if on("txn") {
        p.txn = Some(TxnConfig {
            hook: if on("hook-after") {
                Hook::AfterCommit
            } else {
                Hook::InTransaction
            },
            cache_aware: on("cache-aware"),
        });
    }
    if on("negative") {
        p.negative = Some(NegativeConfig {
            ttl_ms: number(
                "negative-ttl",
                "A negative TTL of",
                300,
                MAX_NEGATIVE_TTL_MS,
            ),
            invalidate_on_insert: on("insert-deletes"),
        });
    }
    p.invalidator = on("invalidator");
    p.second_region = on("region");
    p.remote_marker = on("remote-marker");
    if p.remote_marker && !p.second_region {
        notes.push("Remote markers need the second region: left out.".into());
    }
    if p.second_region && p.replica.is_none() {
        notes.push(
            "The second region reads a replica of the primary: it gets one, 20 ms behind.".into(),
        );
    }
    (p.clamped(), notes)
}
