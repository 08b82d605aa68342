//! Global ids: opaque to clients (base64 of `kind:uuid`), typed for us.

use async_graphql::ID;
use base64::Engine;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};

/// Encodes a global id.
pub fn encode_id(kind: &str, id: Uuid) -> ID {
    ID(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{kind}:{id}")))
}

/// Decodes any global id into its kind and uuid.
pub fn decode_any_id(field: &str, id: &ID) -> ApiResult<(String, Uuid)> {
    let invalid = || ApiError::bad_input(field, "must be an id returned by this API");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(id.as_str())
        .map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let (kind, uuid) = text.split_once(':').ok_or_else(invalid)?;
    Ok((
        kind.to_owned(),
        Uuid::parse_str(uuid).map_err(|_| invalid())?,
    ))
}

/// Decodes a global id that must be of `kind`.
pub fn decode_id(kind: &str, field: &str, id: &ID) -> ApiResult<Uuid> {
    let (found, uuid) = decode_any_id(field, id)?;
    if found == kind {
        Ok(uuid)
    } else {
        Err(ApiError::bad_input(
            field,
            format!("must be the id of a {kind}"),
        ))
    }
}
