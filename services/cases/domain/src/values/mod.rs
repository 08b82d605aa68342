//! The cases context's values: codes (enums) and validated text.

mod codes;
mod text_values;

pub use chorus_shared::ValueError;
pub use codes::{CaseCategory, CaseStatus, IntakeDoor, Priority, SlaTargetKind, Visibility};
pub use text_values::{
    ContactHandle, CrmId, DisplayName, ExternalCaseId, ExternalMessageId, ExternalSystem,
    MatchTerm, MessageText, Reason, ResolutionCode, RuleName,
};
