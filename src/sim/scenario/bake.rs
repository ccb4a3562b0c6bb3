//! The catalog's types written as the Rust code that builds them (ICU4X's `databake`,
//! the `bake` feature only), for `examples/bake_catalog.rs` (which writes a file's
//! `Scenario` itself, its words as string literals). The plain types derive
//! `Bake` where they are defined; these are the ones the derive cannot take (it wants
//! every field `'static` data, and these own `String`s and `Vec`s). Each destructures
//! its value whole, so a field or a variant added later fails to compile here until it
//! is baked too.
use super::rules::{Cond, EndingText, Quantity};
use databake::{quote, Bake, CrateEnv, TokenStream};

/// `impl Bake` for a struct with named fields: `path { field, … }`.
macro_rules! bake_struct {
    ($($seg:ident)::+ { $($field:ident),* $(,)? }) => {
        impl Bake for $($seg)::+ {
            fn bake(&self, env: &CrateEnv) -> TokenStream {
                let $($seg)::+ { $($field),* } = self;
                $(let $field = $field.bake(env);)*
                quote! { $($seg)::+ { $($field: #$field),* } }
            }
        }
    };
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
            clients,
            topology
        );
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

bake_struct!(crate::sim::scenario::rules::MessageCond { kind, to, version });
bake_struct!(crate::sim::scenario::rules::Rule { when, then });
bake_struct!(crate::sim::scenario::rules::Ending { when, text });

impl Bake for EndingText {
    fn bake(&self, env: &CrateEnv) -> TokenStream {
        let text = self.0.bake(env);
        quote! { crate::sim::scenario::rules::EndingText(#text) }
    }
}

impl Bake for Quantity {
    fn bake(&self, env: &CrateEnv) -> TokenStream {
        let text = self.0.bake(env);
        quote! { crate::sim::scenario::rules::Quantity(#text) }
    }
}

impl Bake for Cond {
    fn bake(&self, env: &CrateEnv) -> TokenStream {
        /// The arms of the match: a unit variant, or one with its fields bound by name.
        macro_rules! arms {
            ($value:expr; $($var:ident $(($($f:ident),+))?),* $(,)?) => {
                match $value {
                    $(Cond::$var $(($($f),+))? => {
                        $($(let $f = $f.bake(env);)+)?
                        quote! { crate::sim::scenario::rules::Cond::$var $(($(#$f),+))? }
                    })*
                }
            };
        }
        arms!(self;
            Fix(a), NoFix(a), AllHold, AnyBroken, Holds(a), Broken(a), Stale(a), Fresh(a),
            Uncached(a), Metric(a), InFlight(a), Up(a), HasCrashed(a), NeverCrashed(a),
            Acked(a), DbAtMost(a), NextAtLeastMs(a), Not(a), All(a), Any(a), Happened(a),
            Compare(a, b, c), EventHandled(a), Retrying, NodeUp(a), AckedAny(a),
            DbHasAcked(a), AnsweredStale(a), Answered(a), NoFixes,
        )
    }
}
