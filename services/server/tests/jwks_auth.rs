//! Identity-provider tokens: RS256 and ES256 keys from a JWKS file, looked up by `kid`.

use chorus_server::auth::Authenticator;
use chorus_server::config::{AuthConfig, Secret};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
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
