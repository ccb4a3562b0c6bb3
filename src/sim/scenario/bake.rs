//! The catalog's types written as the Rust code that builds them (ICU4X's `databake`,
//! the `bake` feature only), for `examples/bake_catalog.rs` (which writes a file's
//! `Scenario` itself, its words as string literals). The plain types derive
//! `Bake` where they are defined; `Config` is written here as the default with the
//! fields that differ set, and the scripts' and endings' conditions as static data
//! (`scenarios::data`). Each destructures its value whole, so a field or a variant
//! added later fails to compile here until it is baked too.
use super::rules::{Cond, Ending, MessageCond, Rule};
use databake::{quote, Bake, CrateEnv, TokenStream};
use std::collections::HashMap;

/// The catalog's conditions, each written once: a script's or an ending's condition
/// is a reference to a module-level `static` (`K0`, `K1`, …), shared by every place
/// that states the same condition, at any depth (a `not`'s operand, an `all`'s or an
/// `any`'s items). Endings repeat conditions by design (an ending's
/// "otherwise" is `not` of the one before it, and a story ending restates what its
/// story needs), and 690 of the catalog's 1,108 condition nodes were such repeats.
#[derive(Default)]
pub struct Conds {
    index: HashMap<String, usize>,
    items: Vec<TokenStream>,
}

impl Conds {
    /// A reference to `c`'s `static`, written the first time it is seen.
    fn intern(&mut self, c: &Cond, env: &CrateEnv) -> TokenStream {
        let code = cond_data(c, env, self);
        let next = self.items.len();
        let i = *self.index.entry(code.to_string()).or_insert(next);
        if i == next {
            self.items.push(code);
        }
        let name = name(i);
        quote! { &#name }
    }

    /// Every condition's `static`, for the module's top level.
    pub fn statics(&self) -> TokenStream {
        let items = self.items.iter().enumerate().map(|(i, code)| {
            let name = name(i);
            quote! { static #name: crate::sim::scenarios::data::C = #code; }
        });
        quote! { #(#items)* }
    }
}

fn name(i: usize) -> proc_macro2::Ident {
    proc_macro2::Ident::new(&format!("K{i}"), proc_macro2::Span::call_site())
}

/// A `Config` is written as the default with the fields that differ set, so a field
/// added later with its default needs no new `catalog.rs`.
impl Bake for crate::sim::config::Config {
    fn bake(&self, env: &CrateEnv) -> TokenStream {
        let base = crate::sim::config::Config::default();
        let crate::sim::config::Config {
            latency,
            write_order,
            guard,
            second_delete_ms,
            lease_retry_ms,
            ttl_ms,
            jitter_ms,
            lazy_expiry,
            warm,
            warm_expires_ms,
            warm_delta_ms,
            write_mode,
            load_guard,
            bus,
            consumer,
            poison,
            behind,
            replica,
            txn,
            near,
            negative,
            invalidator,
            cdn,
            remote_marker,
            relay_poll_ms,
            restart_after_ms,
            fault_delay_ms,
            horizon_ms,
            keys,
            clients,
            topology,
        } = self;
        let mut sets = Vec::new();
        macro_rules! set {
            ($($f:ident),*) => {$(
                if *$f != base.$f {
                    let value = $f.bake(env);
                    sets.push(quote! { c.$f = #value; });
                }
            )*};
        }
        set!(
            latency,
            write_order,
            guard,
            second_delete_ms,
            lease_retry_ms,
            ttl_ms,
            jitter_ms,
            lazy_expiry,
            warm,
            warm_expires_ms,
            warm_delta_ms,
            write_mode,
            load_guard,
            bus,
            consumer,
            poison,
            behind,
            replica,
            txn,
            near,
            negative,
            invalidator,
            cdn,
            remote_marker,
            relay_poll_ms,
            restart_after_ms,
            fault_delay_ms,
            horizon_ms,
            keys,
            topology
        );
        // The clients' requests as static data (`scenarios::data::clients`).
        if *clients != base.clients {
            let list = clients.iter().map(|(id, requests)| {
                let id = id.bake(env);
                let requests = requests.iter().map(|r| r.bake(env));
                quote! { (#id, &[#(#requests),*]) }
            });
            sets.push(quote! {
                c.clients = crate::sim::scenarios::data::clients({
                    static CLIENTS: &[(crate::sim::ids::NodeId, &[crate::sim::config::Request])] = &[#(#list),*];
                    CLIENTS
                });
            });
        }
        if sets.is_empty() {
            return quote! { crate::sim::config::Config::default() };
        }
        quote! {{
            let mut c = crate::sim::config::Config::default();
            #(#sets)*
            c
        }}
    }
}

/// A condition as the catalog's static data (`scenarios::data::C`): its text as string
/// literals, its lists as slices.
fn cond_data(c: &Cond, env: &CrateEnv, conds: &mut Conds) -> TokenStream {
    fn list(cs: &[Cond], env: &CrateEnv, conds: &mut Conds) -> TokenStream {
        let cs = cs.iter().map(|c| conds.intern(c, env)).collect::<Vec<_>>();
        quote! { &[#(#cs),*] }
    }
    let d = quote! { crate::sim::scenarios::data::C };
    match c {
        Cond::Fix(id) => {
            let id = id.value.as_str();
            quote! { #d::Fix(#id) }
        }
        Cond::NoFix(id) => {
            let id = id.value.as_str();
            quote! { #d::NoFix(#id) }
        }
        Cond::AllHold => quote! { #d::AllHold },
        Cond::AnyBroken => quote! { #d::AnyBroken },
        Cond::Holds(i) => {
            let i = i.bake(env);
            quote! { #d::Holds(#i) }
        }
        Cond::Broken(i) => {
            let i = i.bake(env);
            quote! { #d::Broken(#i) }
        }
        Cond::Stale(k) => {
            let k = k.bake(env);
            quote! { #d::Stale(#k) }
        }
        Cond::Fresh(k) => {
            let k = k.bake(env);
            quote! { #d::Fresh(#k) }
        }
        Cond::Uncached(k) => {
            let k = k.bake(env);
            quote! { #d::Uncached(#k) }
        }
        Cond::Metric(m) => {
            let m = m.bake(env);
            quote! { #d::Metric(&#m) }
        }
        Cond::InFlight(MessageCond { kind, to, version }) => {
            let kind = kind.as_str();
            let (to, version) = (to.bake(env), version.bake(env));
            quote! { #d::InFlight(#kind, #to, #version) }
        }
        Cond::Up(n) => {
            let n = n.bake(env);
            quote! { #d::Up(#n) }
        }
        Cond::HasCrashed(n) => {
            let n = n.bake(env);
            quote! { #d::HasCrashed(#n) }
        }
        Cond::NeverCrashed(n) => {
            let n = n.bake(env);
            quote! { #d::NeverCrashed(#n) }
        }
        Cond::Acked(kv) => {
            let kv = kv.bake(env);
            quote! { #d::Acked(&#kv) }
        }
        Cond::DbAtMost(kv) => {
            let kv = kv.bake(env);
            quote! { #d::DbAtMost(&#kv) }
        }
        Cond::NextAtLeastMs(ms) => {
            let ms = ms.bake(env);
            quote! { #d::NextAtLeastMs(#ms) }
        }
        Cond::Not(c) => {
            let c = conds.intern(c, env);
            quote! { #d::Not(#c) }
        }
        Cond::All(cs) => {
            let cs = list(cs, env, conds);
            quote! { #d::All(#cs) }
        }
        Cond::Any(cs) => {
            let cs = list(cs, env, conds);
            quote! { #d::Any(#cs) }
        }
        Cond::Happened(f) => {
            let f = f.bake(env);
            quote! { #d::Happened(&#f) }
        }
        Cond::Compare(a, op, b) => {
            let (a, b) = (a.0.as_str(), b.0.as_str());
            let op = op.bake(env);
            quote! { #d::Compare(#a, #op, #b) }
        }
        Cond::EventHandled(k) => {
            let k = k.bake(env);
            quote! { #d::EventHandled(#k) }
        }
        Cond::Retrying => quote! { #d::Retrying },
        Cond::NodeUp(n) => {
            let n = n.bake(env);
            quote! { #d::NodeUp(#n) }
        }
        Cond::AckedAny(k) => {
            let k = k.bake(env);
            quote! { #d::AckedAny(#k) }
        }
        Cond::DbHasAcked(k) => {
            let k = k.bake(env);
            quote! { #d::DbHasAcked(#k) }
        }
        Cond::AnsweredStale(ck) => {
            let ck = ck.bake(env);
            quote! { #d::AnsweredStale(&#ck) }
        }
        Cond::Answered(n) => {
            let n = n.bake(env);
            quote! { #d::Answered(#n) }
        }
        Cond::NoFixes => quote! { #d::NoFixes },
    }
}

/// A script as the catalog's static data: the expression that makes its `&'static
/// [Rule]` at start from a `static` list (`scenarios::data::script`).
pub fn script_data(rules: &[Rule], env: &CrateEnv, conds: &mut Conds) -> TokenStream {
    let rules = rules
        .iter()
        .map(|Rule { when, then }| {
            let when = when
                .iter()
                .map(|c| conds.intern(c, env))
                .collect::<Vec<_>>();
            let then = then.bake(env);
            quote! { crate::sim::scenarios::data::R { when: &[#(#when),*], then: #then } }
        })
        .collect::<Vec<_>>();
    quote! {{
        static RULES: &[crate::sim::scenarios::data::R] = &[#(#rules),*];
        crate::sim::scenarios::data::script(RULES)
    }}
}

/// The endings, conditions and texts, as the catalog's static data
/// (`scenarios::data::E`), a slice for the catalog's words (`scenarios::Words::endings`),
/// which the page loads after its first paint.
pub fn endings_data(endings: &[Ending], env: &CrateEnv, conds: &mut Conds) -> TokenStream {
    let endings = endings
        .iter()
        .map(|Ending { when, text }| {
            let when = when
                .iter()
                .map(|c| conds.intern(c, env))
                .collect::<Vec<_>>();
            let text = text.0.as_str().bake(env);
            quote! { crate::sim::scenarios::data::E { when: &[#(#when),*], text: #text } }
        })
        .collect::<Vec<_>>();
    quote! { &[#(#endings),*] }
}
