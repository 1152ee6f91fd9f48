//! Hand-over bundles: written to the file the user chose, merged from one they opened (already
//! decrypted by the front end, which asks for the passphrase its own way), and the conflicts an
//! import left, which are the coordinator's to see and settle (they show both machines' values
//! of residents' rows); this database's signing identity and the signers whose bundles it
//! accepts (registered and revoked by the coordinator, audited).

use outreach_core::audit::Note;
use std::path::Path;

use outreach_core::bundles::{self, Conflict, ExportSummary, Filter, ImportSummary, Scope, Take};
use outreach_core::identity::{self, IdentityView, Signer, SignerInput};
use outreach_core::{Action, Passphrase, Result, Store};

/// Writes a bundle (of everything, or of the changes since a date) to `path`, atomically; a
/// bundle of everything is encrypted with the passphrase, which must be strong. A reference
/// bundle follows `filter`: one captain's units (each must exist), full phones only with a
/// passphrase.
pub fn export_to(
    store: &mut Store,
    scope: Scope,
    since: Option<&str>,
    passphrase: Option<&Passphrase>,
    filter: &Filter,
    path: &Path,
) -> Result<ExportSummary> {
    for u in filter.units.iter().flatten() {
        outreach_core::units::get(store.conn(), u)?;
    }
    let (bytes, summary) = bundles::export_store_with(store, scope, since, passphrase, filter)?;
    outreach_core::util::write_atomic(path, &bytes)?;
    Ok(summary)
}

/// Merges an opened (plaintext) bundle, or previews the merge (`dry_run`), telling `stage` when
/// the merge begins and has committed.
pub fn import(store: &mut Store, bytes: &[u8], dry_run: bool, stage: &mut dyn FnMut(&str)) -> Result<ImportSummary> {
    store.authorize(Action::BundlesImport)?;
    bundles::import_with(store, bytes, dry_run, stage)
}

pub fn conflicts(store: &Store, include_resolved: bool) -> Result<Vec<Conflict>> {
    store.authorize(Action::BundlesResolve)?;
    bundles::conflicts(store.conn(), include_resolved)
}

/// Settles one conflict, taking the bundle's version or keeping ours; audited.
pub fn resolve(store: &mut Store, id: &str, take: Take) -> Result<()> {
    store.authorize(Action::BundlesResolve)?;
    store.write(|tx| bundles::resolve(tx, id, take))?;
    let note = if take == Take::Incoming { "bundle.take_incoming" } else { "bundle.keep_ours" };
    store.audit("bundle.resolve", &format!("conflict/{id}"), Note::new(note))
}

/// This database's signing identity (made on the first call): its fingerprint and the public
/// key text another database registers. Anyone working here may see it; it is not secret.
pub fn identity(store: &mut Store) -> Result<IdentityView> {
    if let Some(me) = identity::own_if_made(store.conn())? {
        return Ok(me.view());
    }
    Ok(store.write(|tx| identity::own(tx))?.view())
}

/// The fingerprint of a pasted public key, shown while the coordinator registers it (to be
/// compared aloud with the other side's).
pub fn fingerprint_of(key: &str) -> Result<String> {
    Ok(identity::fingerprint(&identity::parse_public(key)?))
}

/// The registered signers, the unrevoked first.
pub fn signers(store: &Store) -> Result<Vec<Signer>> {
    identity::list(store.conn())
}

/// Registers a signer whose bundles this database will accept (the coordinator's; audited).
pub fn register_signer(store: &mut Store, input: &SignerInput) -> Result<Signer> {
    crate::act(store, Action::SignersEdit, |tx| identity::register(tx, input))
}

/// Revokes a signer by its fingerprint: its bundles are refused from now on (audited).
pub fn revoke_signer(store: &mut Store, fingerprint: &str) -> Result<Signer> {
    store.authorize(Action::SignersEdit)?;
    crate::write_audited(
        store,
        Action::SignersEdit,
        |tx| identity::revoke(tx, fingerprint),
        |s| Some((format!("signers/{}/revoked", s.fingerprint), format!("{}（{}）", s.label, s.fingerprint))),
    )
}
