//! Identity-provider tokens: RS256 and ES256 keys from a JWKS file, looked up by `kid`.

// Test code: a failed expectation should stop the test right there.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use chorus_server::auth::Authenticator;
use chorus_server::config::{AuthConfig, Secret};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use std::time::Duration;
use uuid::Uuid;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

fn authenticator(algorithms: &[&str]) -> Authenticator {
    let config = AuthConfig {
        issuer: "https://idp.example".into(),
        audience: "chorus".into(),
        algorithms: algorithms.iter().map(|a| (*a).to_owned()).collect(),
        jwks_file: Some(format!("{FIXTURES}/jwks.json").into()),
        ..AuthConfig::default()
    };
    Authenticator::new(&config, &Secret::new("x".repeat(64))).expect("valid auth config")
}

fn claims(org: Uuid, person: Uuid) -> serde_json::Value {
    let now = chrono::Utc::now().timestamp();
    serde_json::json!({
        "sub": person.to_string(), "org": org.to_string(),
        "iss": "https://idp.example", "aud": "chorus", "exp": now + 300, "iat": now,
    })
}

fn sign(alg: Algorithm, kid: Option<&str>, key_file: &str, claims: &serde_json::Value) -> String {
    let pem = std::fs::read(format!("{FIXTURES}/{key_file}")).expect("read key");
    let key = match alg {
        Algorithm::RS256 => EncodingKey::from_rsa_pem(&pem).expect("rsa key"),
        _ => EncodingKey::from_ec_pem(&pem).expect("ec key"),
    };
    let mut header = Header::new(alg);
    header.kid = kid.map(str::to_owned);
    jsonwebtoken::encode(&header, claims, &key).expect("sign")
}

#[test]
fn rs256_and_es256_tokens_verify_by_kid() {
    let auth = authenticator(&["RS256", "ES256"]);
    let (org, person) = (Uuid::now_v7(), Uuid::now_v7());
    let claims = claims(org, person);
    for (alg, kid, file) in [
        (Algorithm::RS256, "test-rsa", "rsa.pem"),
        (Algorithm::ES256, "test-ec", "ec.pem"),
    ] {
        let principal = auth
            .verify(&sign(alg, Some(kid), file, &claims))
            .expect("valid token");
        assert_eq!(principal.organization_id, org);
        assert_eq!(principal.person_id(), Some(person));
    }
}

#[test]
fn jwks_tokens_are_refused_when_kid_alg_or_key_do_not_match() {
    let auth = authenticator(&["RS256", "ES256"]);
    let claims = claims(Uuid::now_v7(), Uuid::now_v7());
    let refused = [
        ("no kid", sign(Algorithm::RS256, None, "rsa.pem", &claims)),
        (
            "unknown kid",
            sign(Algorithm::RS256, Some("other"), "rsa.pem", &claims),
        ),
        (
            "kid of another key",
            sign(Algorithm::ES256, Some("test-rsa"), "ec.pem", &claims),
        ),
    ];
    for (case, token) in refused {
        assert!(auth.verify(&token).is_err(), "{case} must be refused");
    }
    // An HS256 token is refused when only asymmetric algorithms are allowed, even one
    // signed with a secret the server would otherwise know.
    let hs = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret("x".repeat(64).as_bytes()),
    )
    .expect("sign");
    assert!(
        auth.verify(&hs).is_err(),
        "HS256 must be refused when not allowed"
    );
    // Only-RS256 servers refuse ES256 tokens, even with a known key.
    let rs_only = authenticator(&["RS256"]);
    assert!(rs_only
        .verify(&sign(Algorithm::ES256, Some("test-ec"), "ec.pem", &claims))
        .is_err());
}

/// Serves `body` as JSON over plain HTTP on a free loopback port; returns the URL and the
/// number of requests answered.
async fn serve_jwks(
    body: std::sync::Arc<std::sync::Mutex<String>>,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!(
        "http://{}/.well-known/jwks.json",
        listener.local_addr().expect("addr")
    );
    let hits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = hits.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut request = Vec::new();
            let mut buffer = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut buffer).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buffer[..n]),
                }
            }
            let body = body.lock().expect("body").clone();
            let response = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let _ = socket.write_all(response.as_bytes()).await;
        }
    });
    (url, hits)
}

#[tokio::test]
async fn keys_come_from_the_jwks_url_and_rotation_is_picked_up() {
    let full: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{FIXTURES}/jwks.json")).expect("jwks"),
    )
    .expect("json");
    let only_rsa = serde_json::json!({ "keys": [full["keys"][0].clone()] });
    let body = std::sync::Arc::new(std::sync::Mutex::new(only_rsa.to_string()));
    let (url, hits) = serve_jwks(body.clone()).await;
    let config = AuthConfig {
        issuer: "https://idp.example".into(),
        audience: "chorus".into(),
        algorithms: vec!["RS256".into(), "ES256".into()],
        jwks_url: Some(url),
        ..AuthConfig::default()
    };
    let auth = Authenticator::new(&config, &Secret::new("x".repeat(64))).expect("config");
    auth.refresh_jwks().await.expect("keys fetched at start");
    let (org, person) = (Uuid::now_v7(), Uuid::now_v7());
    let claims = claims(org, person);
    auth.verify(&sign(
        Algorithm::RS256,
        Some("test-rsa"),
        "rsa.pem",
        &claims,
    ))
    .expect("RS256 key from the URL");

    // The provider rotates in a new key; a token signed with it names an unknown kid,
    // which prompts an early refresh.
    let (_stop, stop) = tokio::sync::watch::channel(false);
    let refresher = auth
        .spawn_jwks_refresher(Duration::from_secs(3600), Duration::ZERO, stop)
        .expect("a refresher runs when a URL is configured");
    *body.lock().expect("body") = full.to_string();
    let es = sign(Algorithm::ES256, Some("test-ec"), "ec.pem", &claims);
    assert!(auth.verify(&es).is_err(), "unknown until refreshed");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while auth.verify(&es).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "the rotated key was never fetched"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(hits.load(std::sync::atomic::Ordering::SeqCst) >= 2);
    refresher.abort();

    // An unreachable provider at start is a loud configuration error.
    let unreachable = AuthConfig {
        jwks_url: Some("http://127.0.0.1:9/jwks.json".into()),
        ..config
    };
    let auth = Authenticator::new(&unreachable, &Secret::new("x".repeat(64))).expect("config");
    assert!(auth.refresh_jwks().await.is_err());
}
