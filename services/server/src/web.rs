//! Browser-facing hygiene: the security headers every response carries and the origins
//! that may open the subscription socket.

use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::DefaultHeaders;
use actix_web::HttpRequest;

use crate::config::CorsConfig;

/// The policy of every response but the GraphiQL page: an API answer is data, never a
/// document to render, frame or navigate from.
pub const API_CSP: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// The GraphiQL page's policy: its assets (from unpkg.com until they are bundled), its
/// inline bootstrap script and styles, requests to this server only, never framed.
pub const GRAPHIQL_CSP: &str =
    "default-src 'none'; script-src 'self' 'unsafe-inline' https://unpkg.com; \
     style-src 'self' 'unsafe-inline' https://unpkg.com; font-src 'self' data: https://unpkg.com; \
     img-src 'self' data: https://graphql.org; connect-src 'self'; frame-ancestors 'none'; \
     base-uri 'none'; form-action 'none'";

/// Headers added to every response that does not set its own.
pub fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::REFERRER_POLICY, "no-referrer"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::CONTENT_SECURITY_POLICY, API_CSP))
}

/// Whether a browser page of the request's `Origin` may use this server: requests
/// without an `Origin` (other programs), the server's own origin, and the configured
/// ones. A socket opened from any other page would carry its user's credentials.
pub fn origin_allowed(request: &HttpRequest, cors: &CorsConfig) -> bool {
    let Some(origin) = request.headers().get(header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let origin = origin.trim_end_matches('/');
    if cors
        .allowed_origins
        .iter()
        .any(|allowed| allowed.trim_end_matches('/').eq_ignore_ascii_case(origin))
    {
        return true;
    }
    // Same origin: the page was served by this host.
    let info = request.connection_info();
    origin.eq_ignore_ascii_case(&format!("{}://{}", info.scheme(), info.host()))
}

/// The GraphiQL page's policy, for its response.
pub fn graphiql_csp() -> (header::HeaderName, HeaderValue) {
    (
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(GRAPHIQL_CSP),
    )
}
