//! The SCIM `User` resource: a person as served (`render`) and as an identity provider
//! sends one (`parse`, for POST and PUT bodies and for the patched resource).
//!
//! `userName` is the person's email (unique among the organization's active people);
//! `emails` mirrors it (the one primary work address) and is otherwise ignored on input;
//! `active: false` offboards. The enterprise extension carries `employeeNumber`,
//! `department` and `manager` (the person's reporting line in teams).

use chorus_teams::{DisplayName, Email, ExternalId};
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::error::{ScimError, ScimResult};
use super::{get_ci, meta, ENTERPRISE_USER, USER_SCHEMA};
use crate::commands::UserDraft;
use crate::domain::values::{Department, EmployeeNumber, FamilyName, GivenName};
use crate::domain::UserProfile;
use crate::read::UserNow;

/// The user as served, with its `meta` (and weak version) under `base` (`…/scim/v2`).
pub fn render(user: &UserNow, base: &str) -> Value {
    let person = &user.person;
    let mut doc = json!({
        "schemas": [USER_SCHEMA, ENTERPRISE_USER],
        "id": person.id.to_string(),
        "userName": person.email,
        "displayName": person.display_name,
        "emails": [{ "value": person.email, "type": "work", "primary": true }],
        "active": person.offboarded_at.is_none(),
    });
    if let Some(external_id) = &person.external_id {
        doc["externalId"] = json!(external_id);
    }
    let mut name = Map::new();
    name.insert("formatted".into(), json!(person.display_name));
    let mut enterprise = Map::new();
    if let Some(profile) = &user.profile {
        for (key, value, in_name) in [
            ("givenName", &profile.given_name, true),
            ("familyName", &profile.family_name, true),
            ("employeeNumber", &profile.employee_number, false),
            ("department", &profile.department, false),
        ] {
            let target = if in_name { &mut name } else { &mut enterprise };
            if let Some(value) = value {
                target.insert(key.into(), json!(value));
            }
        }
    }
    if let Some(manager) = user.manager {
        enterprise.insert(
            "manager".into(),
            json!({ "value": manager.to_string(), "$ref": format!("{base}/Users/{manager}") }),
        );
    }
    doc["name"] = Value::Object(name);
    doc[ENTERPRISE_USER] = Value::Object(enterprise);
    meta(
        &mut doc,
        "User",
        &format!("{base}/Users/{}", person.id),
        person.created_at,
    );
    doc
}

/// The user an identity provider sends (a PUT replaces: what it leaves out is cleared,
/// but for `externalId`, which a person keeps once given).
pub fn parse(doc: &Value) -> ScimResult<UserDraft> {
    let user_name = text(doc, "userName")?
        .ok_or_else(|| ScimError::invalid_value("userName is required (the person's email)"))?;
    let email = Email::try_from(user_name.as_str())
        .map_err(|e| ScimError::invalid_value(format!("userName: {}", e.rule)))?;
    let name = get_ci(doc, "name");
    let given_name = name.map(|n| text(n, "givenName")).transpose()?.flatten();
    let family_name = name.map(|n| text(n, "familyName")).transpose()?.flatten();
    let formatted = name.map(|n| text(n, "formatted")).transpose()?.flatten();
    let display_name = text(doc, "displayName")?
        .or(formatted)
        .or_else(|| {
            let parts: Vec<&str> = [given_name.as_deref(), family_name.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        })
        .unwrap_or_else(|| user_name.clone());
    let enterprise = get_ci(doc, ENTERPRISE_USER);
    let employee_number = enterprise
        .map(|e| text(e, "employeeNumber"))
        .transpose()?
        .flatten();
    let department = enterprise
        .map(|e| text(e, "department"))
        .transpose()?
        .flatten();
    let manager = enterprise
        .and_then(|e| get_ci(e, "manager"))
        .map(manager_id)
        .transpose()?
        .flatten();
    Ok(UserDraft {
        email,
        display_name: value::<DisplayName>("displayName", display_name)?,
        external_id: text(doc, "externalId")?
            .map(|id| value::<ExternalId>("externalId", id))
            .transpose()?,
        profile: UserProfile::new(
            given_name
                .map(|v| value::<GivenName>("name.givenName", v))
                .transpose()?,
            family_name
                .map(|v| value::<FamilyName>("name.familyName", v))
                .transpose()?,
            employee_number
                .map(|v| value::<EmployeeNumber>("employeeNumber", v))
                .transpose()?,
            department
                .map(|v| value::<Department>("department", v))
                .transpose()?,
        ),
        active: boolean(doc, "active")?.unwrap_or(true),
        manager,
    })
}

/// The manager's id: `{"value": id}`, or Entra's bare id; `null` or `""` for none.
fn manager_id(manager: &Value) -> ScimResult<Option<Uuid>> {
    let id = match manager {
        Value::Null => return Ok(None),
        Value::String(id) => id.as_str(),
        Value::Object(_) => match get_ci(manager, "value") {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::String(id)) => id.as_str(),
            Some(_) => return Err(ScimError::invalid_value("manager.value must be a user id")),
        },
        _ => return Err(ScimError::invalid_value("manager must be a user id")),
    };
    if id.trim().is_empty() {
        return Ok(None);
    }
    Uuid::parse_str(id.trim())
        .map(Some)
        .map_err(|_| ScimError::invalid_value("manager: names no user of the organization"))
}

/// A string attribute (`null` or empty: absent).
pub(super) fn text(doc: &Value, name: &str) -> ScimResult<Option<String>> {
    match get_ci(doc, name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ScimError::invalid_value(format!("{name} must be a string"))),
    }
}

/// A boolean attribute; Entra sends `"True"` / `"False"`.
fn boolean(doc: &Value, name: &str) -> ScimResult<Option<bool>> {
    match get_ci(doc, name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(_) => Err(ScimError::invalid_value(format!(
            "{name} must be a boolean"
        ))),
    }
}

/// A validated value, its refusal naming the SCIM attribute.
pub(super) fn value<T: TryFrom<String, Error = chorus_shared::ValueError>>(
    name: &str,
    raw: String,
) -> ScimResult<T> {
    T::try_from(raw).map_err(|e| ScimError::invalid_value(format!("{name}: {}", e.rule)))
}
