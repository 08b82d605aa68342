//! The cases context's validated text newtypes: each one's rules are its one parse
//! function.

use chorus_shared::{text, text_value};

text_value! {
    /// A contact's handle on a network (`@jane`, a page name): trimmed, 1 to 200
    /// characters, no control characters.
    pub struct ContactHandle = |raw| text::name("handle", raw, 1, 200, false);

    /// A contact's display name: trimmed, 1 to 200 characters, no control characters.
    pub struct DisplayName = |raw| text::name("displayName", raw, 1, 200, true);

    /// A contact's id in the organization's CRM: trimmed, 1 to 200 characters.
    pub struct CrmId = |raw| text::name("crmId", raw, 1, 200, false);

    /// Name of a CRM or help-desk system (`zendesk`, `salesforce`): trimmed, 1 to 100
    /// characters.
    pub struct ExternalSystem = |raw| text::name("system", raw, 1, 100, false);

    /// A CRM or help-desk system's id for a case: trimmed, 1 to 200 characters.
    pub struct ExternalCaseId = |raw| text::name("externalId", raw, 1, 200, false);

    /// A network's id for a message: trimmed, 1 to 200 characters.
    pub struct ExternalMessageId = |raw| text::name("externalMessageId", raw, 1, 200, false);

    /// Text of a contact's message or of a reply: trimmed, 1 to 10,000 characters; line
    /// breaks allowed.
    pub struct MessageText = |raw| text::free_text("text", raw, 1, 10_000);

    /// Why something was done (an escalation, a rejection, a transfer): trimmed, 1 to
    /// 2,000 characters.
    pub struct Reason = |raw| text::free_text("reason", raw, 1, 2_000);

    /// How a case was resolved (`ANSWERED`, `REFUNDED`, `NO_ACTION`): trimmed, 1 to 64
    /// characters.
    pub struct ResolutionCode = |raw| text::name("resolutionCode", raw, 1, 64, false);

    /// Name of a routing rule: trimmed, 1 to 100 characters, unique within the rules.
    pub struct RuleName = |raw| text::name("rules.name", raw, 1, 100, true);

    /// A term a routing rule looks for in a message, normalised as lexicon terms are
    /// (lowercased, whitespace runs collapsed); 1 to 200 characters.
    pub struct MatchTerm = parse_match_term;
}

fn parse_match_term(raw: &str) -> Result<String, chorus_shared::ValueError> {
    let term = text::name("rules.terms", raw, 1, 200, true)?;
    Ok(term
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase())
}
