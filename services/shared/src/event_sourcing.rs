//! The cqrs-es plumbing every aggregate shares, written once:
//!
//! - [`aggregate!`](crate::aggregate): the `cqrs_es::Aggregate` impl of a type whose rules
//!   are two plain methods, `decide(&self, command) -> Result<Vec<Event>, Error>` (every
//!   check, and every event to record, before anything is recorded) and
//!   `evolve(&mut self, event)` (how one event changes the state);
//! - [`domain_event!`](crate::domain_event): the `cqrs_es::DomainEvent` impl of an event
//!   enum deriving `strum::IntoStaticStr`, whose event type is the variant's name (the
//!   stored `event_type`) and whose version is `1.0`.
//!
//! The expansions name `::cqrs_es` (and the enum's derive names `strum`), so the crate that
//! invokes them depends on those crates (this one does not).

/// Implements `cqrs_es::Aggregate` for `$aggregate` (no services) over its inherent
/// `decide` and `evolve` methods. `handle` records the events `decide` returns, in order,
/// applying each one; a refused command records nothing.
///
/// ```ignore
/// chorus_shared::aggregate!(Team, "team", TeamCommand, TeamEvent, TeamError);
/// ```
///
/// `$type_name` is the aggregate's stored `TYPE`: it must never change.
#[macro_export]
macro_rules! aggregate {
    ($aggregate:ty, $type_name:literal, $command:ty, $event:ty, $error:ty) => {
        impl ::cqrs_es::Aggregate for $aggregate {
            const TYPE: &'static str = $type_name;
            type Command = $command;
            type Event = $event;
            type Error = $error;
            type Services = ();

            async fn handle(
                &mut self,
                command: Self::Command,
                _services: &Self::Services,
                sink: &::cqrs_es::event_sink::EventSink<Self>,
            ) -> ::std::result::Result<(), Self::Error> {
                for event in self.decide(command)? {
                    sink.write(event, self).await;
                }
                Ok(())
            }

            fn apply(&mut self, event: Self::Event) {
                self.evolve(event);
            }
        }
    };
}

/// Implements `cqrs_es::DomainEvent` for an event enum that derives
/// `strum::IntoStaticStr`: the event type is the variant's name, the version `1.0`.
///
/// ```ignore
/// #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, strum::IntoStaticStr)]
/// pub enum TeamEvent { /* ... */ }
///
/// chorus_shared::domain_event!(TeamEvent);
/// ```
#[macro_export]
macro_rules! domain_event {
    ($event:ty) => {
        impl ::cqrs_es::DomainEvent for $event {
            fn event_type(&self) -> String {
                <&'static str>::from(self).to_string()
            }

            fn event_version(&self) -> String {
                "1.0".to_string()
            }
        }
    };
}

/// A command guard: refuses with `error` when `condition` holds, so each rule reads as one
/// line (`refuse_if(self.exists(), TeamError::AlreadyExists)?;`).
pub fn refuse_if<E>(condition: bool, error: E) -> Result<(), E> {
    if condition {
        Err(error)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::refuse_if;

    #[test]
    fn refuse_if_refuses_only_when_the_condition_holds() {
        assert_eq!(refuse_if(true, "refused"), Err("refused"));
        assert_eq!(refuse_if(false, "refused"), Ok(()));
    }
}
