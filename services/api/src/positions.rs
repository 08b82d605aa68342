//! Log positions as clients see them: sealed tokens.
//!
//! A mutation's `position`, an event's `position` and the `Chorus-Consistent-With`
//! header refer to places in the global log, which every organization shares. Handed out
//! as numbers, they would let any tenant watch the others' write volume (the gap between
//! two of its own positions). So a client gets the position sealed: encrypted and
//! authenticated (XChaCha20-Poly1305) with a key kept in the database, bound to the
//! caller's organization. A token says nothing to its holder, cannot be forged or
//! altered, and is refused in another organization; every replica on the same database
//! opens it. The nonce is synthetic (HMAC-SHA-256 of the organization and the position
//! under a key of its own, as in SIV): the same position always gives the same token, so
//! an idempotent replay answers exactly as the first request did, and a nonce only
//! repeats for the very same message.

use base64::Engine;
use chacha20poly1305::aead::{Aead, Generate, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

type HmacSha256 = Hmac<Sha256>;

/// The first byte of every token: the format, so the key or layout can change later.
const VERSION: u8 = 1;
const NONCE_LEN: usize = 24;

/// Seals and opens position tokens.
#[derive(Clone)]
pub struct PositionSealer {
    cipher: XChaCha20Poly1305,
    nonce_key: [u8; 32],
}

impl std::fmt::Debug for PositionSealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PositionSealer([redacted])")
    }
}

/// Why a sealer could not be made.
#[derive(Debug, thiserror::Error)]
#[error("the position key must be 64 hexadecimal characters")]
pub struct BadPositionKey;

impl PositionSealer {
    /// A sealer with the 32-byte key written as 64 hexadecimal characters.
    pub fn from_hex(key: &str) -> Result<Self, BadPositionKey> {
        if key.len() != 64 || !key.is_ascii() {
            return Err(BadPositionKey);
        }
        let bytes = (0..32)
            .map(|i| u8::from_str_radix(&key[2 * i..2 * i + 2], 16))
            .collect::<Result<Vec<u8>, _>>()
            .map_err(|_| BadPositionKey)?;
        // One key for each use, derived from the stored one.
        let cipher_key = derive(&bytes, b"chorus positions: cipher")?;
        let nonce_key = derive(&bytes, b"chorus positions: nonce")?;
        let cipher = XChaCha20Poly1305::new_from_slice(&cipher_key).map_err(|_| BadPositionKey)?;
        Ok(Self { cipher, nonce_key })
    }

    /// A fresh random key, as 64 hexadecimal characters.
    pub fn generate_key() -> String {
        let key = chacha20poly1305::Key::generate();
        key.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The token of `global_position` for `organization_id`.
    pub fn seal(&self, organization_id: Uuid, global_position: i64) -> String {
        let plaintext = global_position.to_be_bytes();
        let Ok(mut mac) = HmacSha256::new_from_slice(&self.nonce_key) else {
            return String::new();
        };
        mac.update(organization_id.as_bytes());
        mac.update(&plaintext);
        let digest = mac.finalize().into_bytes();
        let Ok(nonce) = XNonce::try_from(&digest[..NONCE_LEN]) else {
            return String::new();
        };
        let sealed = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: &plaintext,
                    aad: organization_id.as_bytes(),
                },
            )
            // Encrypting eight bytes in memory cannot fail.
            .unwrap_or_default();
        let mut token = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
        token.push(VERSION);
        token.extend_from_slice(&nonce);
        token.extend_from_slice(&sealed);
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(token)
    }

    /// The position sealed in `token`, if it is a token of this key for
    /// `organization_id`.
    pub fn open(&self, organization_id: Uuid, token: &str) -> Option<i64> {
        if token.len() > 200 {
            return None;
        }
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(token.trim())
            .ok()?;
        let (version, rest) = bytes.split_first()?;
        if *version != VERSION || rest.len() <= NONCE_LEN {
            return None;
        }
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        let nonce = XNonce::try_from(nonce).ok()?;
        let plaintext = self
            .cipher
            .decrypt(
                &nonce,
                Payload {
                    msg: sealed,
                    aad: organization_id.as_bytes(),
                },
            )
            .ok()?;
        let bytes: [u8; 8] = plaintext.try_into().ok()?;
        Some(i64::from_be_bytes(bytes))
    }
}

fn derive(key: &[u8], purpose: &[u8]) -> Result<[u8; 32], BadPositionKey> {
    let mut mac = HmacSha256::new_from_slice(key).map_err(|_| BadPositionKey)?;
    mac.update(purpose);
    Ok(mac.finalize().into_bytes().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_open_only_in_their_organization_and_reveal_nothing() {
        let sealer = PositionSealer::from_hex(&PositionSealer::generate_key()).expect("key");
        let (org, other) = (Uuid::now_v7(), Uuid::now_v7());
        let token = sealer.seal(org, 42);
        assert_eq!(sealer.open(org, &token), Some(42));
        assert_eq!(
            sealer.open(other, &token),
            None,
            "bound to its organization"
        );
        assert_eq!(sealer.seal(org, 42), token, "one token per position");
        assert_ne!(sealer.seal(org, 43), token);
        assert_ne!(sealer.seal(other, 42), token);
        let mut tampered = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(&token)
            .expect("base64");
        for clear in [42i64.to_be_bytes(), 42i64.to_le_bytes()] {
            assert!(
                !tampered.windows(8).any(|w| w == clear),
                "the position is not in the token in the clear"
            );
        }
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        let tampered = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(tampered);
        assert_eq!(sealer.open(org, &tampered), None, "authenticated");
        let stranger = PositionSealer::from_hex(&PositionSealer::generate_key()).expect("key");
        assert_eq!(stranger.open(org, &token), None, "another key");
        for garbage in ["", "42", "not base64!", &"A".repeat(500)] {
            assert_eq!(sealer.open(org, garbage), None, "{garbage:?}");
        }
        assert!(PositionSealer::from_hex("short").is_err());
    }
}
