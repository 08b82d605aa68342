//! The API's one error type. Every error a client sees has a stable `extensions.code`;
//! internal causes are logged here and replaced by a generic message.

use async_graphql::ErrorExtensions;

/// An error as the API reports it.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    #[error("authentication required: {0}")]
    Unauthenticated(&'static str),
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{field}: {rule}")]
    BadInput { field: String, rule: String },
    /// A refused domain rule, with the domain's own code.
    #[error("{message}")]
    Domain { code: &'static str, message: String },
    #[error("another change to the same record was committed first; retry the request")]
    Conflict,
    #[error("this idempotency key was already used for a different request")]
    IdempotencyKeyReused,
    #[error("the read models did not catch up in time; retry the read")]
    ConsistencyTimeout,
    /// A request went over one of its limits (`limit`: complexity, aliases, …).
    #[error("{message}")]
    LimitExceeded {
        limit: &'static str,
        message: String,
    },
    /// The cause is logged where this is made; clients only see "internal error".
    #[error("internal error")]
    Internal,
}

impl ApiError {
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthenticated(_) => "UNAUTHENTICATED",
            ApiError::Forbidden(_) => "FORBIDDEN",
            ApiError::NotFound(_) => "NOT_FOUND",
            ApiError::BadInput { .. } => "BAD_USER_INPUT",
            ApiError::Domain { code, .. } => code,
            ApiError::Conflict => "CONFLICT",
            ApiError::IdempotencyKeyReused => "IDEMPOTENCY_KEY_REUSED",
            ApiError::ConsistencyTimeout => "CONSISTENCY_TIMEOUT",
            ApiError::LimitExceeded { .. } => "LIMIT_EXCEEDED",
            ApiError::Internal => "INTERNAL",
        }
    }

    pub fn bad_input(field: impl Into<String>, rule: impl Into<String>) -> Self {
        ApiError::BadInput {
            field: field.into(),
            rule: rule.into(),
        }
    }

    /// Logs `cause` and returns the opaque internal error.
    pub fn internal(cause: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        ApiError::Internal
    }
}

impl ErrorExtensions for ApiError {
    fn extend(&self) -> async_graphql::Error {
        async_graphql::Error::new(self.to_string()).extend_with(|_, extensions| {
            extensions.set("code", self.code());
            if let ApiError::BadInput { field, rule } = self {
                extensions.set("field", field.as_str());
                extensions.set("rule", rule.as_str());
            }
            if let ApiError::LimitExceeded { limit, .. } = self {
                extensions.set("limit", *limit);
            }
        })
    }
}

impl From<chorus_kernel::StoreError> for ApiError {
    fn from(error: chorus_kernel::StoreError) -> Self {
        match error {
            chorus_kernel::StoreError::Conflict => ApiError::Conflict,
            chorus_kernel::StoreError::ConsistencyTimeout(_) => ApiError::ConsistencyTimeout,
            other => ApiError::internal(&other),
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        ApiError::internal(&error)
    }
}

impl From<chorus_shared::ValueError> for ApiError {
    fn from(error: chorus_shared::ValueError) -> Self {
        ApiError::bad_input(error.field, error.rule)
    }
}

/// Result of API internals; converted at the resolver boundary with [`Gql::gql`].
pub type ApiResult<T> = Result<T, ApiError>;

/// Converts an [`ApiResult`] into a GraphQL result carrying the error's code. Resolvers
/// never return a bare `Display` error, which async-graphql would show verbatim.
pub trait Gql<T> {
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T> Gql<T> for ApiResult<T> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(|e| e.extend())
    }
}

/// Parses the input `field` into the value type `T` (a domain newtype): its refusal is
/// `BAD_USER_INPUT` naming `field` (the API's spelling) and the rule.
pub fn parse<T: TryFrom<String, Error = chorus_shared::ValueError>>(
    field: &str,
    value: &str,
) -> ApiResult<T> {
    T::try_from(value.to_owned()).map_err(|e| ApiError::bad_input(field, e.rule))
}

/// [`parse`] of an optional input.
pub fn parse_opt<T: TryFrom<String, Error = chorus_shared::ValueError>>(
    field: &str,
    value: &Option<String>,
) -> ApiResult<Option<T>> {
    value.as_deref().map(|v| parse(field, v)).transpose()
}
