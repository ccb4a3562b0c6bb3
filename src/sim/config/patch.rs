//! A fix as data: the settings it changes. A field that is present replaces the
//! scenario's setting of the same name; in `latency`, `consumer` and `behind` only the
//! fields written change (so two fixes can each switch on one field of the consumer).
//! Fixes apply in the scenario's order, so a later fix wins a setting two of them set.
use super::*;

macro_rules! patch {
    (
        $(#[$doc:meta])*
        $patch:ident for $target:ty {
            $($field:ident: $ty:ty),* $(,)?
        }
        $(deep { $($deep:ident: $deep_ty:ty),* $(,)? })?
    ) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $patch {
            $(
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
            $($(
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $deep: Option<$deep_ty>,
            )*)?
        }

        /// A patch baked into the catalog (`src/sim/scenarios/catalog.rs`): no change,
        /// with the fields it sets.
        #[cfg(feature = "bake")]
        impl databake::Bake for $patch {
            fn bake(&self, env: &databake::CrateEnv) -> databake::TokenStream {
                let mut sets = Vec::new();
                $(if let Some(v) = &self.$field {
                    let v = v.bake(env);
                    sets.push(databake::quote! { p.$field = Some(#v); });
                })*
                $($(if let Some(v) = &self.$deep {
                    let v = v.bake(env);
                    sets.push(databake::quote! { p.$deep = Some(#v); });
                })*)?
                let none = databake::quote! { crate::sim::config::patch::$patch::NONE };
                if sets.is_empty() {
                    return none;
                }
                databake::quote! {{
                    let mut p = #none;
                    #(#sets)*
                    p
                }}
            }
        }

        impl $patch {
            /// No change.
            pub const NONE: $patch = $patch { $($field: None,)* $($($deep: None,)*)? };

            /// The changes that turn `base` into `target`.
            pub fn diff(base: &$target, target: &$target) -> $patch {
                $patch {
                    $($field: (base.$field != target.$field).then(|| target.$field.clone()),)*
                    $($($deep: Some(<$deep_ty>::diff(&base.$deep, &target.$deep))
                        .filter(|p| *p != <$deep_ty>::NONE),)*)?
                }
            }

            /// `target` with these changes made.
            pub fn apply(&self, target: &mut $target) {
                $(
                    if let Some(value) = &self.$field {
                        target.$field = value.clone();
                    }
                )*
                $($(
                    if let Some(p) = &self.$deep {
                        p.apply(&mut target.$deep);
                    }
                )*)?
            }
        }
    };
}

patch! {
    /// Changes to a `Config`: the fields a fix sets.
    ConfigPatch for Config {
        write_order: WriteOrder,
        guard: SetGuard,
        second_delete_ms: Option<u64>,
        lease_retry_ms: u64,
        ttl_ms: u64,
        jitter_ms: u64,
        lazy_expiry: bool,
        warm: Vec<Key>,
        warm_expires_ms: Option<u64>,
        warm_delta_ms: u64,
        write_mode: WriteMode,
        load_guard: LoadGuard,
        bus: Option<BusConfig>,
        poison: Option<Key>,
        replica: Option<ReplicaConfig>,
        txn: Option<TxnConfig>,
        near: Option<NearConfig>,
        negative: Option<NegativeConfig>,
        invalidator: Option<InvalidatorConfig>,
        cdn: Option<CdnConfig>,
        remote_marker: bool,
        relay_poll_ms: u64,
        restart_after_ms: Option<u64>,
        fault_delay_ms: u64,
        horizon_ms: u64,
        keys: Vec<Key>,
        topology: Vec<NodeSpec>,
    }
    deep {
        latency: LatencyPatch,
        consumer: ConsumerPatch,
        behind: BehindPatch,
    }
}

patch! {
    /// Changes to the latencies.
    LatencyPatch for Latency {
        client_ms: u64,
        cache_ms: u64,
        db_read_ms: u64,
        db_write_ms: u64,
        cross_region_ms: u64,
    }
}

patch! {
    /// Changes to the consumer.
    ConsumerPatch for ConsumerConfig {
        update: bool,
        idempotent: bool,
        versioned: bool,
    }
}

patch! {
    /// Changes to the write-behind queue.
    BehindPatch for BehindConfig {
        flush_delay_ms: u64,
        batch_size: usize,
        durable: bool,
        disk_ms: u64,
    }
}
