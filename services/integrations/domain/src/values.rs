//! The integrations context's validated text: each one's rules are its one parse function.

use chorus_shared::{text, text_value};

pub use chorus_shared::ValueError;

text_value! {
    /// A person's given name as the HR system sends it (`name.givenName`): trimmed, 1 to
    /// 200 characters.
    pub struct GivenName = |raw| text::name("name.givenName", raw, 1, 200, true);

    /// A person's family name (`name.familyName`): trimmed, 1 to 200 characters.
    pub struct FamilyName = |raw| text::name("name.familyName", raw, 1, 200, true);

    /// The HR system's employee number (`employeeNumber`): trimmed, 1 to 100 characters.
    pub struct EmployeeNumber = |raw| text::name("employeeNumber", raw, 1, 100, false);

    /// The department the HR system files the person under (`department`): trimmed, 1 to
    /// 200 characters.
    pub struct Department = |raw| text::name("department", raw, 1, 200, true);

    /// A SCIM group's `displayName`, which the identity provider matches on: trimmed, 1 to
    /// 200 characters.
    pub struct GroupName = |raw| text::name("displayName", raw, 1, 200, true);

    /// A SCIM group's `externalId` (the identity provider's id for it): trimmed, 1 to 200
    /// characters.
    pub struct GroupExternalId = |raw| text::name("externalId", raw, 1, 200, false);
}
