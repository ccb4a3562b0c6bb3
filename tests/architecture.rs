//! ARCHITECTURE.md stays true: every path it names exists, and the simulation names
//! nothing of the browser.
use std::fs;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn every_path_named_in_architecture_md_exists() {
    let text = fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let mut named = 0;
    for (i, part) in text.split('`').enumerate() {
        let looks_like_path = i % 2 == 1
            && (part.starts_with("src/")
                || part.starts_with("tests/")
                || part.starts_with("scripts/"))
            && !part.contains(' ');
        if looks_like_path {
            named += 1;
            assert!(
                root().join(part).exists(),
                "ARCHITECTURE.md names `{part}`, which does not exist"
            );
        }
    }
    assert!(
        named >= 20,
        "found only {named} paths: did the format change?"
    );
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_simulation_names_nothing_of_the_browser() {
    let mut files = Vec::new();
    rust_files(&root().join("src/sim"), &mut files);
    assert!(files.len() > 20);
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        for word in [
            "leptos",
            "web_sys",
            "wasm_bindgen",
            "gloo",
            "js_sys",
            "RwSignal",
            "web_sys::window",
        ] {
            let code: String = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            assert!(!code.contains(word), "{} names `{word}`", file.display());
        }
    }
}

/// The modules of nodes written as state machines (`src/sim/node.rs`): each sees its own
/// state only, and may name only its own module besides. More join as the other nodes
/// move to that shape.
const NODE_MODULES: &[(&str, &[&str])] = &[
    ("src/sim/node.rs", &["node"]),
    ("src/sim/db.rs", &["db"]),
    ("src/sim/db/fact.rs", &["db"]),
    ("src/sim/relay.rs", &["relay"]),
    ("src/sim/consumer.rs", &["consumer"]),
    ("src/sim/bus.rs", &["bus"]),
    ("src/sim/bus/fact.rs", &["bus"]),
    ("src/sim/bus/groups.rs", &["bus"]),
    ("src/sim/client.rs", &["client"]),
    (
        "src/sim/cache.rs",
        &["cache", "cache_node", "cache_behind", "tracking"],
    ),
    (
        "src/sim/cache_node.rs",
        &["cache", "cache_node", "cache_behind", "tracking"],
    ),
    ("src/sim/replica.rs", &["replica"]),
    ("src/sim/invalidator.rs", &["invalidator"]),
    ("src/sim/commit_log.rs", &["commit_log"]),
    // The service's program is in two files: the request flow and the read path (its
    // facts and settings in `service/`).
    (
        "src/sim/service.rs",
        &["service", "load", "near", "parts::Flow"],
    ),
    (
        "src/sim/load.rs",
        &["service", "load", "near", "parts::Flow"],
    ),
    ("src/sim/txn.rs", &["service", "load", "parts::Flow"]),
    (
        "src/sim/service/fact.rs",
        &["service", "load", "near", "parts::Flow"],
    ),
    (
        "src/sim/service/settings.rs",
        &["service", "load", "near", "parts::Flow"],
    ),
    (
        "src/sim/service/write.rs",
        &["service", "load", "near", "parts::Flow"],
    ),
    // A service's near cache is its own memory; a cache node's tracking table its own.
    ("src/sim/near.rs", &["near"]),
    ("src/sim/tracking.rs", &["tracking"]),
    ("src/sim/negative.rs", &["service", "load", "parts::Flow"]),
    ("src/sim/behind.rs", &["behind"]),
    (
        "src/sim/cache_behind.rs",
        &["cache", "cache_node", "cache_behind"],
    ),
    ("src/sim/cdn.rs", &["cdn"]),
];

/// The modules holding other nodes' state, the world and the books: a node module
/// reaches none of them (so it can name none of their types); it names other nodes
/// only by their ids.
const NOT_A_NODES_OWN: &[&str] = &[
    "world",
    "db",
    "invalidator",
    "client",
    "cache_node",
    "cache_behind",
    "cache",
    "bus",
    "consumer",
    "relay",
    "replica",
    "behind",
    "service",
    "near",
    "tracking",
    "handle",
    "load",
    "fault",
    "books",
    "nodes",
    "parts::Flow",
    "parts::Client",
    "cdn",
];

#[test]
fn a_node_module_names_no_other_nodes_state_nor_the_world() {
    for (path, own) in NODE_MODULES {
        let text = fs::read_to_string(root().join(path)).unwrap();
        let code: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let words: Vec<&str> = code
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .collect();
        assert!(!words.contains(&"World"), "{path} names `World`");
        for module in NOT_A_NODES_OWN.iter().filter(|m| !own.contains(m)) {
            let pattern = format!("{module}::");
            // As a path segment of its own (`payload::` is not `load::`).
            let reaches = code.match_indices(&pattern).any(|(i, _)| {
                !code[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_')
            });
            assert!(
                !reaches,
                "{path} reaches into `{module}`: a node sees only its own state"
            );
        }
    }
}

/// The string literals of `code`, roughly (enough for this crate's style: `"…"` with
/// `\"` escapes; raw strings are not used in node modules).
fn string_literals(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut chars = code.chars().peekable();
    // Bounded: each turn consumes at least one character of `code`.
    while let Some(c) = chars.next() {
        match c {
            // The char literal '"' is not the start of a string.
            '\'' if chars.peek() == Some(&'"') => {
                chars.next();
            }
            '"' => {
                let mut lit = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => lit.extend(chars.next()),
                        '"' => break,
                        c => lit.push(c),
                    }
                }
                found.push(lit);
            }
            _ => {}
        }
    }
    found
}

/// Narration is an observer (`src/sim/narrate/`): a node module says what it did as
/// facts and writes no sentence. Its code (before its tests) uses no narration macro
/// and no `Said`, and spells no string with a space in it: no prose.
#[test]
fn a_node_module_builds_no_narration_text() {
    for (path, _) in NODE_MODULES {
        let text = fs::read_to_string(root().join(path)).unwrap();
        let code: String = text
            .split("#[cfg(test)]")
            .next()
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for word in ["said!", "text!", "Said"] {
            assert!(
                !code.contains(word),
                "{path} names `{word}`: a node says what it did as facts, and the narration observes them"
            );
        }
        for lit in string_literals(&code) {
            assert!(
                !lit.contains(' '),
                "{path} spells \"{lit}\": its sentences belong in src/sim/narrate/"
            );
        }
    }
}

#[test]
fn string_literals_are_found() {
    let code = r#"let a = "one two"; let b = '"'; let c = "x\"y";"#;
    assert_eq!(string_literals(code), ["one two", "x\"y"]);
}

/// The world holds its nodes by id (`src/sim/nodes.rs`), not as one field per kind: a
/// topology with `cache-2` or `service-2` needs no new field, and a handler is lent one
/// node at a time.
#[test]
fn the_world_holds_its_nodes_by_id() {
    let text = fs::read_to_string(root().join("src/sim/world.rs")).unwrap();
    let start = text
        .find("pub struct World {")
        .expect("World is defined in world.rs");
    let body = &text[start..start + text[start..].find("\n}").unwrap()];
    assert!(
        body.contains("pub nodes: Nodes"),
        "World has no `nodes: Nodes`"
    );
    for kind in [
        "Cache", "Db", "Service", "Bus", "Relay", "Consumer", "Flusher", "Replica",
    ] {
        assert!(
            !body.contains(&format!(": {kind},")),
            "World holds a `{kind}` as a field of its own"
        );
    }
}

/// The routing is generic: what one node learns of another is a message, a call over a
/// local connection (a commit's NOTIFY) or a connection state (`Actor::on_peer`), never
/// the world reaching into a node of one kind. The files that route (`act.rs`,
/// `route.rs`) name no kind's mutable accessor and no kind's own handler.
#[test]
fn the_routing_reaches_into_no_node_of_a_kind() {
    for path in ["src/sim/act.rs", "src/sim/route.rs"] {
        let text = fs::read_to_string(root().join(path)).unwrap();
        let code: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for word in [
            "service_mut",
            "cache_mut",
            "db_mut",
            "bus_mut",
            "relay_mut",
            "consumer_mut",
            "flusher_mut",
            "replica_mut",
            "on_notify",
            ".subscriber",
        ] {
            assert!(!code.contains(word), "{path} names `{word}`");
        }
    }
    // A node's status reaches the others as a connection state.
    let world = fs::read_to_string(root().join("src/sim/world.rs")).unwrap();
    let set_status = world
        .split("fn set_status")
        .nth(1)
        .and_then(|rest| rest.split("\n    }\n").next())
        .expect("World::set_status");
    assert!(set_status.contains("on_peer"), "{set_status}");
    assert!(!set_status.contains("bus"), "{set_status}");
}

/// Each kind implements `Actor` in its own module, not in the registry: a new kind is
/// its module and a variant of `Node`.
#[test]
fn each_kind_is_an_actor_in_its_own_module() {
    let nodes = fs::read_to_string(root().join("src/sim/nodes.rs")).unwrap();
    assert!(!nodes.contains("Actor for"), "nodes.rs implements no kind");
    for path in [
        "src/sim/client.rs",
        "src/sim/service.rs",
        "src/sim/cache_node.rs",
        "src/sim/db.rs",
        "src/sim/bus.rs",
        "src/sim/relay.rs",
        "src/sim/consumer.rs",
        "src/sim/behind.rs",
        "src/sim/replica.rs",
        "src/sim/cdn.rs",
    ] {
        let text = fs::read_to_string(root().join(path)).unwrap();
        assert_eq!(
            text.matches("Actor for ").count(),
            1,
            "{path} implements `Actor` once"
        );
    }
}
