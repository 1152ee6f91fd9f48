//! Who signed a hand-over bundle. Each database has one Ed25519 key pair, made the first time it
//! is asked for and kept in the `identity` table of the (encrypted) database: the private half
//! never leaves it — not in bundles, logs or exports. The public half is shown as one line of
//! text (`ed25519:<base64>`, easy to paste or put in a QR code) and as a fingerprint short
//! enough to compare aloud on the phone (`7K3M-Q9XA-…`).
//!
//! The coordinator registers the databases whose bundles it accepts (`signers`): a captain's
//! laptop with its grids, or another coordinator's installation. A bundle signed by anyone
//! else is refused before its body is read (`bundles::parse`). A revoked signer is kept, so
//! the bundles it signed earlier are still named.

use base64::Engine;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

pub use ed25519_dalek::SigningKey;
use ed25519_dalek::{Signature, Signer as _, VerifyingKey};

use crate::error::{Code, Error, Result};
use crate::util::now;

/// How a public key is written as text.
pub const KEY_PREFIX: &str = "ed25519:";

/// This database's own identity: its public key and that key's fingerprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub public: [u8; 32],
    pub fingerprint: String,
}

impl Identity {
    fn of(public: [u8; 32]) -> Identity {
        Identity { public, fingerprint: fingerprint(&public) }
    }

    /// The public key as one line of text, `ed25519:<base64>`.
    pub fn text(&self) -> String {
        public_text(&self.public)
    }

    /// What the window shows: the fingerprint and the key text to copy.
    pub fn view(&self) -> IdentityView {
        IdentityView { fingerprint: self.fingerprint.clone(), public_key: self.text() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct IdentityView {
    pub fingerprint: String,
    /// `ed25519:<base64>`: what another database registers.
    pub public_key: String,
}

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The first 80 bits of the key's SHA-256 in Crockford base32 (no I, L, O, U: nothing to
/// mishear or misread), in four groups of four: `7K3M-Q9XA-2BCD-EF01`.
pub fn fingerprint(public: &[u8; 32]) -> String {
    let digest = Sha256::digest(public);
    let bits = digest[..10].iter().fold(0u128, |acc, b| (acc << 8) | u128::from(*b));
    let mut out = String::with_capacity(19);
    for i in 0..16 {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        let v = (bits >> (75 - 5 * i)) & 0x1f;
        out.push(CROCKFORD[v as usize] as char);
    }
    out
}

pub fn public_text(public: &[u8; 32]) -> String {
    format!("{KEY_PREFIX}{}", base64::engine::general_purpose::STANDARD.encode(public))
}

/// A public key from its text (spaces and line breaks around it, as a paste brings them, are
/// ignored). Refused with `signer.key_invalid` unless it is an Ed25519 point.
pub fn parse_public(text: &str) -> Result<[u8; 32]> {
    let invalid = || Error::invalid(Code::SignerKeyInvalid, &[]);
    let b64 = text.trim().strip_prefix(KEY_PREFIX).ok_or_else(invalid)?;
    let bytes = base64::engine::general_purpose::STANDARD.decode(b64.trim()).map_err(|_| invalid())?;
    let public: [u8; 32] = bytes.try_into().map_err(|_| invalid())?;
    VerifyingKey::from_bytes(&public).map_err(|_| invalid())?;
    Ok(public)
}

/// A signature of `message`, in base64.
pub fn sign(key: &SigningKey, message: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(key.sign(message).to_bytes())
}

/// Whether `signature` (base64) is `public`'s signature of `message` (strict verification:
/// no malleable or small-order forms).
pub fn verify(public: &[u8; 32], message: &[u8], signature: &str) -> bool {
    let Ok(key) = VerifyingKey::from_bytes(public) else { return false };
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(signature) else { return false };
    let Ok(sig) = Signature::from_slice(&bytes) else { return false };
    key.verify_strict(message, &sig).is_ok()
}

/// This database's identity, made (and stored) on the first call: call it in a write.
pub fn own(conn: &Connection) -> Result<Identity> {
    Ok(Identity::of(signing_key(conn)?.verifying_key().to_bytes()))
}

/// This database's identity if it has been made; reads only.
pub fn own_if_made(conn: &Connection) -> Result<Option<Identity>> {
    let text: Option<String> =
        conn.query_row("SELECT public_key FROM identity WHERE id = 1", [], |r| r.get(0)).optional()?;
    text.map(|t| parse_public(&t).map(Identity::of)).transpose()
}

/// The private key, for signing this database's bundles; made on the first call. It stays in
/// the process only while a bundle is signed (`SigningKey` wipes itself when dropped).
pub(crate) fn signing_key(conn: &Connection) -> Result<SigningKey> {
    let secret: Option<Vec<u8>> =
        conn.query_row("SELECT secret FROM identity WHERE id = 1", [], |r| r.get(0)).optional()?;
    if let Some(secret) = secret {
        let secret: [u8; 32] =
            secret.try_into().map_err(|_| Error::Internal("identity: stored key has a wrong length".into()))?;
        return Ok(SigningKey::from_bytes(&secret));
    }
    let key = SigningKey::generate(&mut rand_core::OsRng);
    conn.execute(
        "INSERT INTO identity(id, secret, public_key, created_at) VALUES (1, ?1, ?2, ?3)",
        params![key.to_bytes().as_slice(), public_text(&key.verifying_key().to_bytes()), now()],
    )?;
    Ok(key)
}

// ---------------------------------------------------------------- the signers registry

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub enum SignerRole {
    /// Another coordinator's installation: its bundles may touch every unit.
    Coordinator,
    /// A captain's laptop: its bundles are for its grids.
    Captain,
}

impl SignerRole {
    pub fn code(self) -> &'static str {
        match self {
            SignerRole::Coordinator => "coordinator",
            SignerRole::Captain => "captain",
        }
    }

    fn parse(s: &str) -> SignerRole {
        if s == "coordinator" {
            SignerRole::Coordinator
        } else {
            SignerRole::Captain
        }
    }
}

/// A database whose bundles this one accepts (or accepted, when revoked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Signer {
    pub public_key: String,
    pub fingerprint: String,
    pub label: String,
    pub role: SignerRole,
    /// A captain's units (grids, or a community meaning every grid below it).
    pub units: Vec<String>,
    /// Their names, in the same order (the id when a unit is gone).
    pub unit_names: Vec<String>,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct SignerInput {
    /// `ed25519:<base64>`, as the other database shows it.
    pub key: String,
    pub label: String,
    pub role: SignerRole,
    #[serde(default)]
    pub units: Vec<String>,
}

const LABEL_MAX: usize = 40;

/// Registers a signer: the key must parse and be new here (this database's own key is trusted
/// already), the label is required, and a captain needs at least one existing unit.
pub fn register(conn: &Connection, input: &SignerInput) -> Result<Signer> {
    let public = parse_public(&input.key)?;
    let key = public_text(&public);
    let label = input.label.trim();
    if label.is_empty() {
        return Err(Error::invalid(Code::ValidationRequired, &[("field", "label")]));
    }
    if label.chars().count() > LABEL_MAX {
        return Err(Error::invalid(Code::ValidationTooLong, &[("field", "label"), ("max", &LABEL_MAX.to_string())]));
    }
    let fp = fingerprint(&public);
    if own_if_made(conn)?.is_some_and(|me| me.public == public) {
        return Err(Error::invalid(Code::SignerOwn, &[("fingerprint", &fp)]));
    }
    if let Some(existing) = find(conn, &public)? {
        return Err(Error::invalid(Code::SignerDuplicate, &[("fingerprint", &fp), ("label", &existing.label)]));
    }
    let mut units: Vec<String> = Vec::new();
    if input.role == SignerRole::Captain {
        for id in &input.units {
            let found: bool = conn.query_row("SELECT count(*) > 0 FROM units WHERE id = ?1", [id], |r| r.get(0))?;
            if !found {
                return Err(Error::not_found("unit", id));
            }
            if !units.contains(id) {
                units.push(id.clone());
            }
        }
        if units.is_empty() {
            return Err(Error::invalid(Code::SignerUnitsRequired, &[]));
        }
    }
    let units_json = serde_json::to_string(&units).map_err(|e| Error::Internal(e.to_string()))?;
    conn.execute(
        "INSERT INTO signers(public_key, fingerprint, label, role, units, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![key, fp, label, input.role.code(), units_json, now()],
    )?;
    find(conn, &public)?.ok_or_else(|| Error::Internal("signer not written".into()))
}

/// Revokes the signer with this fingerprint (dashes and case as typed are forgiven): its later
/// bundles are refused; the row stays. Revoking twice keeps the first date.
pub fn revoke(conn: &Connection, fingerprint: &str) -> Result<Signer> {
    let fp = normalise_fingerprint(fingerprint);
    let key: String = conn
        .query_row("SELECT public_key FROM signers WHERE fingerprint = ?1", [&fp], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::invalid(Code::SignerNotFound, &[("fingerprint", fingerprint.trim())]))?;
    conn.execute(
        "UPDATE signers SET revoked_at = ?2 WHERE public_key = ?1 AND revoked_at IS NULL",
        params![key, now()],
    )?;
    find(conn, &parse_public(&key)?)?.ok_or_else(|| Error::Internal("signer vanished".into()))
}

/// `abcd efgh-…` as `ABCD-EFGH-…`.
fn normalise_fingerprint(text: &str) -> String {
    let chars: Vec<char> = text.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// Every signer, the unrevoked first, each group by label.
pub fn list(conn: &Connection) -> Result<Vec<Signer>> {
    let keys: Vec<String> = conn
        .prepare("SELECT public_key FROM signers ORDER BY revoked_at IS NOT NULL, label, created_at")?
        .query_map([], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    let mut out = Vec::with_capacity(keys.len());
    for k in keys {
        if let Some(s) = find(conn, &parse_public(&k)?)? {
            out.push(s);
        }
    }
    Ok(out)
}

/// The registered signer with this key, revoked or not.
pub fn find(conn: &Connection, public: &[u8; 32]) -> Result<Option<Signer>> {
    let row: Option<(String, String, String, String, String, Option<String>)> = conn
        .query_row(
            "SELECT fingerprint, label, role, units, created_at, revoked_at FROM signers WHERE public_key = ?1",
            [public_text(public)],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .optional()?;
    let Some((fingerprint, label, role, units, created_at, revoked_at)) = row else { return Ok(None) };
    let units: Vec<String> = serde_json::from_str(&units).unwrap_or_default();
    let unit_names = units
        .iter()
        .map(|id| {
            conn.query_row("SELECT name FROM units WHERE id = ?1", [id], |r| r.get::<_, String>(0))
                .optional()
                .map(|n| n.unwrap_or_else(|| id.clone()))
        })
        .collect::<std::result::Result<_, _>>()?;
    Ok(Some(Signer {
        public_key: public_text(public),
        fingerprint,
        label,
        role: SignerRole::parse(&role),
        units,
        unit_names,
        created_at,
        revoked_at,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_four_groups_of_crockford() {
        let fp = fingerprint(&[7u8; 32]);
        assert_eq!(fp.len(), 19);
        assert!(fp.split('-').all(|g| g.len() == 4 && g.bytes().all(|b| CROCKFORD.contains(&b))), "{fp}");
        assert_ne!(fp, fingerprint(&[8u8; 32]));
        assert_eq!(normalise_fingerprint(&fp.to_lowercase().replace('-', " ")), fp);
    }

    #[test]
    fn key_text_round_trips_and_junk_is_refused() {
        let key = SigningKey::from_bytes(&[3u8; 32]);
        let public = key.verifying_key().to_bytes();
        assert_eq!(parse_public(&format!("  {}\n", public_text(&public))).unwrap(), public);
        for junk in ["", "ed25519:", "ed25519:AAAA", "rsa:AAAA", &public_text(&public)[1..]] {
            assert_eq!(parse_public(junk).unwrap_err().code(), "signer.key_invalid", "{junk}");
        }
        let sig = sign(&key, b"header");
        assert!(verify(&public, b"header", &sig));
        assert!(!verify(&public, b"headers", &sig));
        assert!(!verify(&SigningKey::from_bytes(&[4u8; 32]).verifying_key().to_bytes(), b"header", &sig));
    }
}
