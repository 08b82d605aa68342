//! Service-account tokens: registered when issued (`chorus token --organization`),
//! listed and revoked one by one by the organization's admins (GraphQL) or an operator
//! (`chorus tokens`). The registry is [`crate::read::service_token`], the GraphQL slice
//! [`crate::graphql::ServiceToken`], the revocation [`crate::commands::RevokeServiceToken`];
//! this module gathers what the server's authentication and command line use.

pub use crate::graphql::{ServiceToken, ServiceTokensMutation, ServiceTokensQuery};
pub use crate::read::{registered, token, tokens_page, ServiceTokenRow};
