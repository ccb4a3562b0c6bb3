//! The service's write path: the first hop of a write by the scenario's write mode,
//! and what it does once the database has committed (delete, set, publish, answer).
//! Split from `service.rs` along that seam; the read path is `load.rs`.
use super::super::config::{Op, WriteMode, WriteOrder};
use super::super::ids::{EventId, Version};
use super::super::msg::{BusEvent, Payload};
use super::super::node::Ctx;
use super::{Flow, Service, ServiceFact, Stage};

impl Service {
    /// A write request arrives: the first hop of the write mode's program.
    pub(crate) fn write(&mut self, ctx: &mut Ctx, flow: &Flow) {
        let key = flow.key;
        let id = Some(flow.id);
        let (mode, order) = (self.settings.write_mode, self.settings.write_order);
        match mode {
            WriteMode::Invalidate => match order {
                WriteOrder::UpdateThenDelete => {
                    self.set_stage(flow.id, Stage::Commit);
                    self.to_db(ctx, id, Payload::DbWrite { key, outbox: false });
                }
                WriteOrder::DeleteThenUpdate => {
                    self.set_stage(flow.id, Stage::PreDelete);
                    self.to_cache(ctx, id, Payload::Del { key, version: None });
                }
            },
            WriteMode::Through | WriteMode::Event | WriteMode::CommitOnly => {
                self.set_stage(flow.id, Stage::Commit);
                self.to_db(ctx, id, Payload::DbWrite { key, outbox: false });
            }
            WriteMode::Behind => {
                self.set_stage(flow.id, Stage::Behind);
                self.to_cache(ctx, id, Payload::WbWrite { key });
            }
            WriteMode::Outbox => {
                self.set_stage(flow.id, Stage::Commit);
                self.to_db(ctx, id, Payload::DbWrite { key, outbox: true });
            }
        }
        ctx.fact(ServiceFact::WriteStarted { key, mode, order });
    }

    /// The database committed the write.
    pub(crate) fn committed(
        &mut self,
        ctx: &mut Ctx,
        flow: &Flow,
        version: Version,
        event: EventId,
    ) {
        if flow.op == Op::Insert {
            return super::super::negative::inserted(self, ctx, flow, version);
        }
        let key = flow.key;
        let client = flow.client;
        if let Some(f) = self.flow_mut(Some(flow.id)) {
            f.committed = Some(version);
        }
        let fact = match self.settings.write_mode {
            WriteMode::Through => {
                self.set_stage(flow.id, Stage::Through);
                let set = Payload::Set {
                    key,
                    version,
                    token: None,
                    loaded_at_ms: None,
                };
                // A slow link on the way is the network's: the world adds it.
                self.to_cache(ctx, Some(flow.id), set);
                ServiceFact::ThroughSetSent { key, version }
            }
            WriteMode::Event => {
                let ev = BusEvent {
                    id: event,
                    key,
                    version,
                };
                ctx.send(
                    self.settings.bus,
                    None,
                    Payload::Publish { ev },
                    self.settings.publish_ms,
                );
                self.answer(ctx, flow.id, client, Payload::WriteOk { key, version });
                ServiceFact::Published { ev, client }
            }
            WriteMode::CommitOnly => {
                self.answer(ctx, flow.id, client, Payload::WriteOk { key, version });
                ServiceFact::CommittedAcked { version, client }
            }
            WriteMode::Outbox => {
                self.answer(ctx, flow.id, client, Payload::WriteOk { key, version });
                ServiceFact::OutboxCommitted {
                    version,
                    event,
                    client,
                }
            }
            WriteMode::Invalidate | WriteMode::Behind => match self.settings.write_order {
                WriteOrder::UpdateThenDelete => {
                    self.set_stage(flow.id, Stage::Invalidate);
                    let tagged = self.settings.versioned_deletes.then_some(version);
                    self.to_cache(
                        ctx,
                        Some(flow.id),
                        Payload::Del {
                            key,
                            version: tagged,
                        },
                    );
                    ServiceFact::InvalidateSent {
                        key,
                        version,
                        tagged,
                    }
                }
                WriteOrder::DeleteThenUpdate => {
                    self.answer(ctx, flow.id, client, Payload::WriteOk { key, version });
                    ServiceFact::CommittedAcked { version, client }
                }
            },
        };
        ctx.fact(fact);
    }
}
