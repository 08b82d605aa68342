//! Upcasting: old payload versions are rewritten to the current shape on load, so events
//! written years ago still deserialize into today's types. The log itself never changes.

use std::sync::Arc;

use cqrs_es::persist::{EventUpcaster, SerializedEvent};

/// An ordered chain of upcasters (oldest version first), shared by aggregate loading and
/// the log reader.
#[derive(Clone, Default)]
pub struct Upcasters(Arc<Vec<Box<dyn EventUpcaster>>>);

impl std::fmt::Debug for Upcasters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Upcasters({})", self.0.len())
    }
}

impl Upcasters {
    pub fn new(upcasters: Vec<Box<dyn EventUpcaster>>) -> Self {
        Self(Arc::new(upcasters))
    }

    /// Applies every upcaster that accepts the event's type and version, in order.
    pub fn upcast(&self, event: SerializedEvent) -> SerializedEvent {
        self.0.iter().fold(event, |event, upcaster| {
            if upcaster.can_upcast(&event.event_type, &event.event_version) {
                upcaster.upcast(event)
            } else {
                event
            }
        })
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
