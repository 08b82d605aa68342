//! Bearer-token authentication: strict JWT validation (algorithm allow-list, `exp`,
//! `iss`, `aud` required). HS256 with a shared secret for local use; RS256/ES256 keys from
//! a JWKS file (looked up by `kid`) for identity providers. The token names the principal
//! and its organization; what it may do follows from role assignments in Chorus.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use chorus_kernel::Actor;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::config::{AuthConfig, Secret};
use chorus_api::{ApiError, Runtime};
use chorus_teams::api::{self as teams, CallerKey, CALLERS};

/// Refuses a verified token whose person is no longer an active member of its
/// organization, or whose service-account registration was revoked. Every request asks
/// this, so the answers are cached in-process and dropped by the teams projection when it
/// applies the offboarding or the revocation, before the read models show it: a cached
/// "yes" never outlives the projection of the event that ends it (the argument is in
/// `chorus_teams::read::callers`).
pub async fn ensure_still_valid(runtime: &Runtime, principal: &Principal) -> Result<(), ApiError> {
    let org = principal.organization_id;
    if let Some(person) = principal.person_id() {
        let key = CallerKey::ActivePerson(org, person);
        let read = async {
            let active = teams::person_active(&runtime.db, org, person).await?;
            Ok((active, None))
        };
        if !CALLERS.answer(runtime, key, read).await? {
            return Err(ApiError::Unauthenticated(
                "the token's person is not an active member of its organization",
            ));
        }
    }
    if let (Some(token), Some(account)) = (principal.token_id, principal.actor.id) {
        let key = CallerKey::RegisteredToken(org, account, token);
        let read = async {
            let registered = teams::registered(&runtime.db, org, account, token).await?;
            Ok((registered, None))
        };
        if !CALLERS.answer(runtime, key, read).await? {
            return Err(ApiError::Unauthenticated(
                "the service-account token was revoked or never registered",
            ));
        }
    }
    Ok(())
}

/// The claims Chorus reads and issues.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The person or service-account id.
    pub sub: String,
    /// The organization the token is confined to.
    pub org: Uuid,
    /// `person` (default) or `service_account`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Space-separated scopes (service accounts): `teams:read`, `teams:write`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    pub iss: String,
    /// One audience or several (identity providers send either form); jsonwebtoken checks
    /// it against the configured audience.
    pub aud: Audience,
    pub exp: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    /// The token's id: for service accounts, its registration (see [`Principal::token_id`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
}

/// The `aud` claim in either of its standard forms.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Audience {
    One(String),
    Many(Vec<String>),
}

pub use chorus_api::Principal;

/// Validates bearer tokens and issues local ones.
#[derive(Clone)]
pub struct Authenticator {
    hs256: Option<(DecodingKey, EncodingKey)>,
    jwks: Arc<RwLock<Option<JwkSet>>>,
    /// Where identity-provider keys are fetched from, when configured.
    jwks_url: Option<String>,
    /// Asks the key refresher for an early fetch (a token named an unknown `kid`).
    refresh_wanted: Arc<tokio::sync::Notify>,
    algorithms: Vec<Algorithm>,
    issuer: String,
    audience: String,
    leeway: u64,
    token_ttl_seconds: i64,
}

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authenticator")
            .field("algorithms", &self.algorithms)
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("jwks_url", &self.jwks_url)
            .finish_non_exhaustive()
    }
}

/// Why the configured auth settings are unusable.
#[derive(Debug, thiserror::Error)]
pub enum AuthConfigError {
    #[error("auth.algorithms: unsupported algorithm {0} (allowed: HS256, RS256, ES256)")]
    Algorithm(String),
    #[error("auth.algorithms must not be empty")]
    NoAlgorithms,
    #[error("auth.jwks_file: {0}")]
    Jwks(String),
    #[error("auth.jwks_url: {0}")]
    JwksUrl(String),
    #[error("auth: RS256/ES256 need auth.jwks_file or auth.jwks_url")]
    MissingJwks,
    #[error("auth: HS256 needs a secret of at least 32 bytes")]
    WeakSecret,
}

impl Authenticator {
    /// Builds from config; `local_secret` is used for HS256 when none is configured.
    pub fn new(config: &AuthConfig, local_secret: &Secret) -> Result<Self, AuthConfigError> {
        let algorithms = config
            .algorithms
            .iter()
            .map(|a| match a.as_str() {
                "HS256" => Ok(Algorithm::HS256),
                "RS256" => Ok(Algorithm::RS256),
                "ES256" => Ok(Algorithm::ES256),
                other => Err(AuthConfigError::Algorithm(other.to_owned())),
            })
            .collect::<Result<Vec<_>, _>>()?;
        if algorithms.is_empty() {
            return Err(AuthConfigError::NoAlgorithms);
        }
        let hs256 = if algorithms.contains(&Algorithm::HS256) {
            let secret = config.hs256_secret.as_ref().unwrap_or(local_secret);
            if secret.expose().len() < 32 {
                return Err(AuthConfigError::WeakSecret);
            }
            Some((
                DecodingKey::from_secret(secret.expose().as_bytes()),
                EncodingKey::from_secret(secret.expose().as_bytes()),
            ))
        } else {
            None
        };
        let jwks = match &config.jwks_file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| AuthConfigError::Jwks(e.to_string()))?;
                Some(
                    serde_json::from_str::<JwkSet>(&text)
                        .map_err(|e| AuthConfigError::Jwks(e.to_string()))?,
                )
            }
            None => None,
        };
        if jwks.is_none()
            && config.jwks_url.is_none()
            && algorithms.iter().any(|a| *a != Algorithm::HS256)
        {
            return Err(AuthConfigError::MissingJwks);
        }
        Ok(Self {
            hs256,
            jwks: Arc::new(RwLock::new(jwks)),
            jwks_url: config.jwks_url.clone(),
            refresh_wanted: Arc::new(tokio::sync::Notify::new()),
            algorithms,
            issuer: config.issuer.clone(),
            audience: config.audience.clone(),
            leeway: config.leeway_seconds,
            token_ttl_seconds: config.token_ttl_seconds,
        })
    }

    fn validation(&self, algorithm: Algorithm) -> Validation {
        let mut validation = Validation::new(algorithm);
        validation.algorithms = vec![algorithm];
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = self.leeway;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation
    }

    /// Verifies `token` and returns the principal it proves.
    pub fn verify(&self, token: &str) -> Result<Principal, ApiError> {
        let header = jsonwebtoken::decode_header(token)
            .map_err(|_| ApiError::Unauthenticated("malformed token"))?;
        if !self.algorithms.contains(&header.alg) {
            return Err(ApiError::Unauthenticated("token algorithm not allowed"));
        }
        let key = match header.alg {
            Algorithm::HS256 => self
                .hs256
                .as_ref()
                .map(|(decoding, _)| decoding.clone())
                .ok_or(ApiError::Unauthenticated("token algorithm not allowed"))?,
            _ => {
                let kid = header
                    .kid
                    .as_deref()
                    .ok_or(ApiError::Unauthenticated("token has no kid"))?;
                let keys = self
                    .jwks
                    .read()
                    .map_err(|_| ApiError::internal(&"key set lock poisoned"))?;
                let Some(jwk) = keys.as_ref().and_then(|set| set.find(kid)) else {
                    // The provider may have rotated its keys: fetch them again soon.
                    self.refresh_wanted.notify_one();
                    return Err(ApiError::Unauthenticated("unknown signing key"));
                };
                DecodingKey::from_jwk(jwk)
                    .map_err(|_| ApiError::Unauthenticated("unusable signing key"))?
            }
        };
        let data = jsonwebtoken::decode::<Claims>(token, &key, &self.validation(header.alg))
            .map_err(|e| {
                tracing::debug!(error = %e, "token rejected");
                ApiError::Unauthenticated("invalid or expired token")
            })?;
        let claims = data.claims;
        let id = Uuid::parse_str(&claims.sub)
            .map_err(|_| ApiError::Unauthenticated("invalid subject"))?;
        let actor = match claims.kind.as_deref() {
            None | Some("person") => Actor::person(id),
            Some("service_account") => Actor::service_account(id),
            Some(_) => return Err(ApiError::Unauthenticated("invalid principal kind")),
        };
        let scopes = claims
            .scope
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        // Chorus's own service-account tokens are registered: without a registration id
        // they cannot be revoked one by one, so they are not accepted at all.
        let token_id = match (actor.kind, header.alg) {
            (chorus_kernel::ActorKind::ServiceAccount, Algorithm::HS256) => Some(
                claims
                    .jti
                    .as_deref()
                    .and_then(|jti| Uuid::parse_str(jti).ok())
                    .ok_or(ApiError::Unauthenticated(
                        "service-account tokens must be registered; issue a new one",
                    ))?,
            ),
            _ => None,
        };
        Ok(Principal {
            organization_id: claims.org,
            actor,
            scopes,
            expires_at: chrono::DateTime::from_timestamp(claims.exp, 0).unwrap_or_default(),
            token_id,
        })
    }

    /// Fetches the key set from `auth.jwks_url` (no-op without one). Called at start, so a
    /// misconfigured or unreachable identity provider stops the server loudly.
    pub async fn refresh_jwks(&self) -> Result<(), AuthConfigError> {
        let Some(url) = &self.jwks_url else {
            return Ok(());
        };
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| AuthConfigError::JwksUrl(e.to_string()))?;
        let response = client
            .get(url)
            .send()
            .await
            .map_err(|e| AuthConfigError::JwksUrl(e.to_string()))?;
        if !response.status().is_success() {
            return Err(AuthConfigError::JwksUrl(format!(
                "{url} answered {}",
                response.status()
            )));
        }
        let set: JwkSet = response
            .json()
            .await
            .map_err(|e| AuthConfigError::JwksUrl(e.to_string()))?;
        tracing::info!(keys = set.keys.len(), "identity-provider keys loaded");
        if let Ok(mut keys) = self.jwks.write() {
            *keys = Some(set);
        }
        Ok(())
    }

    /// Keeps the key set fresh: every `every`, and soon after a token names an unknown
    /// `kid` (at most once per `min_gap`, so bad tokens cannot hammer the provider).
    pub fn spawn_jwks_refresher(
        &self,
        every: Duration,
        min_gap: Duration,
        mut shutdown: tokio::sync::watch::Receiver<bool>,
    ) -> Option<tokio::task::JoinHandle<()>> {
        self.jwks_url.as_ref()?;
        let auth = self.clone();
        Some(tokio::spawn(async move {
            let mut last = Instant::now();
            loop {
                tokio::select! {
                    _ = tokio::time::sleep(every) => {}
                    _ = auth.refresh_wanted.notified() => {
                        let since = last.elapsed();
                        if since < min_gap {
                            tokio::time::sleep(min_gap - since).await;
                        }
                    }
                    _ = shutdown.changed() => break,
                }
                last = Instant::now();
                if let Err(error) = auth.refresh_jwks().await {
                    tracing::warn!(%error, "refreshing identity-provider keys failed; keeping the old ones");
                }
            }
        }))
    }

    /// How long tokens issued here live.
    pub fn token_ttl(&self) -> chrono::TimeDelta {
        chrono::TimeDelta::seconds(self.token_ttl_seconds)
    }

    /// Issues an HS256 token for a person or service account (local use and tests). A
    /// service account's token is only accepted with a registration: see
    /// [`Authenticator::issue_registered`].
    pub fn issue(
        &self,
        organization_id: Uuid,
        actor: Actor,
        scopes: &[String],
    ) -> Result<String, ApiError> {
        let exp = chrono::Utc::now().timestamp() + self.token_ttl_seconds;
        self.sign(organization_id, actor, scopes, None, exp)
    }

    /// Issues the HS256 token of a registered service-account token `token_id`, valid
    /// until `expires_at`.
    pub fn issue_registered(
        &self,
        organization_id: Uuid,
        service_account_id: Uuid,
        scopes: &[String],
        token_id: Uuid,
        expires_at: chrono::DateTime<chrono::Utc>,
    ) -> Result<String, ApiError> {
        self.sign(
            organization_id,
            Actor::service_account(service_account_id),
            scopes,
            Some(token_id),
            expires_at.timestamp(),
        )
    }

    fn sign(
        &self,
        organization_id: Uuid,
        actor: Actor,
        scopes: &[String],
        token_id: Option<Uuid>,
        exp: i64,
    ) -> Result<String, ApiError> {
        let (_, key) = self
            .hs256
            .as_ref()
            .ok_or(ApiError::Forbidden("local tokens need HS256 to be allowed"))?;
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: actor.id.unwrap_or_default().to_string(),
            org: organization_id,
            kind: match actor.kind {
                chorus_kernel::ActorKind::ServiceAccount => Some("service_account".into()),
                _ => None,
            },
            scope: (!scopes.is_empty()).then(|| scopes.join(" ")),
            iss: self.issuer.clone(),
            aud: Audience::One(self.audience.clone()),
            exp,
            iat: Some(now),
            jti: token_id.map(|id| id.to_string()),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, key)
            .map_err(|e| ApiError::internal(&e))
    }
}

/// The SCIM door of the integrations context, verifying tokens as every other request
/// does (signature, expiry, an active person or a registered service token).
pub fn scim_door(
    state: &std::sync::Arc<crate::state::AppState>,
) -> chorus_integrations::scim::ScimDoor {
    let verifier = state.clone();
    chorus_integrations::scim::ScimDoor {
        runtime: state.runtime.clone(),
        authenticate: Arc::new(move |token: Option<String>| {
            let state = verifier.clone();
            Box::pin(async move {
                let token = token.ok_or(ApiError::Unauthenticated("missing bearer token"))?;
                let principal = state.auth.verify(&token)?;
                ensure_still_valid(&state.runtime, &principal).await?;
                Ok(principal)
            })
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn authenticator() -> Authenticator {
        Authenticator::new(
            &AuthConfig::default(),
            &Secret::new("a-local-secret-of-at-least-32-bytes!"),
        )
        .expect("valid config")
    }

    fn sign(claims: &serde_json::Value, secret: &str, alg: Algorithm) -> String {
        jsonwebtoken::encode(
            &Header::new(alg),
            claims,
            &EncodingKey::from_secret(secret.as_bytes()),
        )
        .expect("sign")
    }

    fn claims(overrides: serde_json::Value) -> serde_json::Value {
        let now = chrono::Utc::now().timestamp();
        let mut base = serde_json::json!({
            "sub": Uuid::now_v7().to_string(), "org": Uuid::now_v7().to_string(),
            "iss": "chorus-local", "aud": "chorus", "exp": now + 600, "iat": now,
        });
        if let (Some(base), Some(overrides)) = (base.as_object_mut(), overrides.as_object()) {
            for (k, v) in overrides {
                if v.is_null() {
                    base.remove(k);
                } else {
                    base.insert(k.clone(), v.clone());
                }
            }
        }
        base
    }

    const SECRET: &str = "a-local-secret-of-at-least-32-bytes!";

    #[test]
    fn issued_tokens_verify() {
        let auth = authenticator();
        let org = Uuid::now_v7();
        let person = Uuid::now_v7();
        let token = auth.issue(org, Actor::person(person), &[]).expect("issue");
        let principal = auth.verify(&token).expect("verify");
        assert_eq!(principal.organization_id, org);
        assert_eq!(principal.person_id(), Some(person));
    }

    #[test]
    fn rejects_bad_tokens() {
        let auth = authenticator();
        let now = chrono::Utc::now().timestamp();
        // A token of our secret and algorithm whose claims differ as given.
        let signed = |changes| sign(&claims(changes), SECRET, Algorithm::HS256);
        let cases = [
            ("expired", signed(serde_json::json!({"exp": now - 3600}))),
            ("no exp", signed(serde_json::json!({"exp": null}))),
            ("wrong issuer", signed(serde_json::json!({"iss": "evil"}))),
            ("no issuer", signed(serde_json::json!({"iss": null}))),
            (
                "wrong audience",
                signed(serde_json::json!({"aud": "other"})),
            ),
            ("no audience", signed(serde_json::json!({"aud": null}))),
            (
                "wrong secret",
                sign(
                    &claims(serde_json::json!({})),
                    "another-secret-of-at-least-32-bytes!!",
                    Algorithm::HS256,
                ),
            ),
            (
                "disallowed alg",
                sign(&claims(serde_json::json!({})), SECRET, Algorithm::HS384),
            ),
            ("bad subject", signed(serde_json::json!({"sub": "root"}))),
            ("bad kind", signed(serde_json::json!({"kind": "god"}))),
            ("garbage", "not.a.token".to_owned()),
        ];
        for (name, token) in cases {
            let result = auth.verify(&token);
            assert!(
                matches!(result, Err(ApiError::Unauthenticated(_))),
                "{name}: expected rejection, got {result:?}"
            );
        }
        // The unsigned "none" algorithm is never accepted.
        let header = base64_url(r#"{"alg":"none","typ":"JWT"}"#);
        let body = base64_url(&claims(serde_json::json!({})).to_string());
        assert!(auth.verify(&format!("{header}.{body}.")).is_err());
    }

    fn base64_url(s: &str) -> String {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
    }

    #[test]
    fn audience_lists_and_missing_iat_are_accepted() {
        let auth = authenticator();
        // Identity providers often send `aud` as a list and omit `iat`.
        let token = sign(
            &claims(serde_json::json!({"aud": ["other-api", "chorus"], "iat": null})),
            SECRET,
            Algorithm::HS256,
        );
        assert!(auth.verify(&token).is_ok());
        let token = sign(
            &claims(serde_json::json!({"aud": ["other-api"]})),
            SECRET,
            Algorithm::HS256,
        );
        assert!(
            auth.verify(&token).is_err(),
            "a list without our audience is refused"
        );
    }

    #[test]
    fn weak_secret_is_refused() {
        assert!(matches!(
            Authenticator::new(&AuthConfig::default(), &Secret::new("short")),
            Err(AuthConfigError::WeakSecret)
        ));
    }
}
