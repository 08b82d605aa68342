use std::collections::BTreeMap;

use chorus_shared::refuse_if;
use chorus_teams_domain::values::SocialNetwork;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{ContactCommand, ContactError, ContactEvent};

/// State of one contact, rebuilt from its events.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    contact_id: Option<Uuid>,
    organization_id: Option<Uuid>,
    display_name: Option<String>,
    handles: BTreeMap<SocialNetwork, String>,
    crm_id: Option<String>,
    vip: bool,
}

impl Contact {
    /// Id of the contact, `None` until registered.
    pub fn contact_id(&self) -> Option<Uuid> {
        self.contact_id
    }

    /// Organization the contact wrote to, `None` until registered.
    pub fn organization_id(&self) -> Option<Uuid> {
        self.organization_id
    }

    /// Display name, if known.
    pub fn display_name(&self) -> Option<&str> {
        self.display_name.as_deref()
    }

    /// The contact's handle on each network known.
    pub fn handles(&self) -> &BTreeMap<SocialNetwork, String> {
        &self.handles
    }

    /// CRM id, if known.
    pub fn crm_id(&self) -> Option<&str> {
        self.crm_id.as_deref()
    }

    /// Whether the contact is a VIP.
    pub fn is_vip(&self) -> bool {
        self.vip
    }

    /// Whether the contact has been registered.
    pub fn exists(&self) -> bool {
        self.contact_id.is_some()
    }
}

chorus_shared::aggregate!(
    Contact,
    "contact",
    ContactCommand,
    ContactEvent,
    ContactError
);

/// `new` when it differs from `current`, else `None`: an update records only what changed.
fn changed<T: PartialEq>(new: Option<T>, current: Option<&T>) -> Option<T> {
    new.filter(|value| Some(value) != current)
}

impl Contact {
    /// Checks a command against the state and returns the events to record, in order.
    fn decide(&self, command: ContactCommand) -> Result<Vec<ContactEvent>, ContactError> {
        let events = match command {
            ContactCommand::RegisterContact {
                contact_id,
                organization_id,
                display_name,
                handle,
                crm_id,
                vip,
                by,
            } => {
                if self.exists() {
                    refuse_if(
                        self.organization_id != Some(organization_id),
                        ContactError::OtherOrganization,
                    )?;
                    return Ok(Vec::new());
                }
                vec![ContactEvent::ContactRegistered {
                    contact_id,
                    organization_id,
                    display_name: display_name.map(String::from),
                    handle: handle.map(|(network, handle)| (network, handle.into_inner())),
                    crm_id: crm_id.map(String::from),
                    vip,
                    by,
                }]
            }
            ContactCommand::UpdateContact {
                display_name,
                handle,
                crm_id,
                vip,
                by,
            } => {
                refuse_if(!self.exists(), ContactError::NotFound)?;
                let display_name =
                    changed(display_name.map(String::from), self.display_name.as_ref());
                let handle = handle
                    .map(|(network, handle)| (network, handle.into_inner()))
                    .filter(|(network, handle)| self.handles.get(network) != Some(handle));
                let crm_id = changed(crm_id.map(String::from), self.crm_id.as_ref());
                let vip = changed(vip, Some(&self.vip));
                refuse_if(
                    display_name.is_none() && handle.is_none() && crm_id.is_none() && vip.is_none(),
                    ContactError::Unchanged,
                )?;
                vec![ContactEvent::ContactUpdated {
                    display_name,
                    handle,
                    crm_id,
                    vip,
                    by,
                }]
            }
        };
        Ok(events)
    }

    /// Applies one recorded event to the state.
    fn evolve(&mut self, event: ContactEvent) {
        match event {
            ContactEvent::ContactRegistered {
                contact_id,
                organization_id,
                display_name,
                handle,
                crm_id,
                vip,
                by: _,
            } => {
                self.contact_id = Some(contact_id);
                self.organization_id = Some(organization_id);
                self.display_name = display_name;
                self.handles.extend(handle);
                self.crm_id = crm_id;
                self.vip = vip;
            }
            ContactEvent::ContactUpdated {
                display_name,
                handle,
                crm_id,
                vip,
                by: _,
            } => {
                if display_name.is_some() {
                    self.display_name = display_name;
                }
                self.handles.extend(handle);
                if crm_id.is_some() {
                    self.crm_id = crm_id;
                }
                if let Some(vip) = vip {
                    self.vip = vip;
                }
            }
        }
    }
}
