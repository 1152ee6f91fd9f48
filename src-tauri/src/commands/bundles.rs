//! Hand-over bundles: export behind a save dialog; import as pick → (passphrase) → preview →
//! commit, so the coordinator sees added / updated / conflicts before anything changes.
//!
//! Passphrases arrive as command arguments, become `Passphrase` (wiped on drop) at once and
//! are neither logged nor kept: a pending import holds the encrypted file until it is
//! unlocked, then the decrypted bundle, never the passphrase.
//!
//! Bundles are signed: this database's identity (`identity_own`) and the signers whose bundles
//! it accepts (`signers_*`, registered and revoked by the coordinator) are here too.

use outreach_core::access::Action;
use outreach_core::bundles::{self, Conflict, ExportSummary, FileKind, ImportSummary, Scope, Take};
use outreach_core::error::Code;
use outreach_core::identity::{IdentityView, Signer, SignerInput};
use outreach_core::passphrase::Passphrase;
use outreach_core::{Error, Issue};
use serde::Serialize;
use tauri::{AppHandle, State};
use ts_rs::TS;

use super::files::{pick_save_file, DocKind};
use super::transfer::pick_open_file;
use super::with_store;
use crate::error::{AppError, CmdResult};
use crate::state::{AppState, PendingBundle};

#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct Exported {
    pub file_name: String,
    /// Where it went, in full.
    pub path: String,
    pub summary: ExportSummary,
}

/// The strength rule's refusals for a passphrase being typed (empty: strong enough).
#[tauri::command]
pub fn passphrase_check(passphrase: String) -> Vec<Issue> {
    let p = Passphrase::new(passphrase);
    match p.check_strength() {
        Ok(()) => vec![],
        Err(e) => e.issues(),
    }
}

/// A bundle of everything needs a passphrase (checked before the save dialog opens); the
/// reference data is encrypted only when one is given. Reference data for one captain: `units`
/// (their grids); full phones (`full_phones`) need a passphrase too.
#[tauri::command]
pub async fn bundles_export(
    app: AppHandle,
    state: State<'_, AppState>,
    scope: Scope,
    since: Option<String>,
    passphrase: Option<String>,
    units: Option<Vec<String>>,
    full_phones: Option<bool>,
) -> CmdResult<Option<Exported>> {
    let filter = bundles::Filter { units: units.filter(|u| !u.is_empty()), full_phones: full_phones.unwrap_or(false) };
    // A captain hands over changes only (checked again by the core).
    if since.as_deref().map(str::trim).unwrap_or("").is_empty() {
        super::authorized(&state, Action::BundlesExportAll).await?;
    }
    let passphrase = passphrase.filter(|p| !p.is_empty()).map(Passphrase::new);
    match &passphrase {
        Some(p) => p.check_strength()?,
        None if scope == Scope::All || filter.full_phones => {
            return Err(Error::invalid(Code::BundleEncryptionRequired, &[]).into())
        }
        None => {}
    }
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M");
    let name = match (scope, super::files::english(&state)) {
        (Scope::All, false) => format!("交接包-{stamp}.outreach"),
        (Scope::Reference, false) => format!("基础数据-{stamp}.outreach"),
        (Scope::All, true) => format!("handover-{stamp}.outreach"),
        (Scope::Reference, true) => format!("reference-data-{stamp}.outreach"),
    };
    let Some(path) = pick_save_file(&app, &state, DocKind::Bundle, name, "outreach").await else { return Ok(None) };
    with_store(&state, move |s| {
        let summary =
            outreach_app::bundles::export_to(s, scope, since.as_deref(), passphrase.as_ref(), &filter, &path)?;
        let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
        Ok(Some(Exported { file_name, path: path.display().to_string(), summary }))
    })
    .await
}

/// A file picked for import: previewed when plaintext; when encrypted, `summary` is null and
/// `bundles_unlock` with the passphrase gives the preview.
#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct BundlePreview {
    pub token: String,
    pub file_name: String,
    pub encrypted: bool,
    pub summary: Option<ImportSummary>,
}

#[tauri::command]
pub async fn bundles_pick(app: AppHandle, state: State<'_, AppState>) -> CmdResult<Option<BundlePreview>> {
    super::authorized(&state, Action::BundlesImport).await?;
    let Some(path) = pick_open_file(&app, "选择交接包", ("反诈宣防交接包", &["outreach"])).await else {
        return Ok(None);
    };
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
    let (summary, bytes) = with_store(&state, move |s| {
        let bytes = std::fs::read(&path).map_err(|e| Error::io(path.display().to_string(), e))?;
        if bundles::file_kind(&bytes) == FileKind::Encrypted {
            // Checked as far as it can be without the passphrase: an age file that is not
            // encrypted to a passphrase, or a broken header, is refused now.
            return match bundles::open(&bytes, None) {
                Err(e) if e.code() == "bundle.passphrase_required" => Ok((None, bytes)),
                Err(e) => Err(e),
                Ok(_) => Err(Error::Internal("encrypted bundle opened without a passphrase".into())),
            };
        }
        let summary = outreach_app::bundles::import(s, &bytes, true, &mut |_| {})?;
        Ok((Some(summary), bytes))
    })
    .await?;
    let token = outreach_core::util::new_id();
    let encrypted = summary.is_none();
    let mut pending = crate::state::lock(&state.bundles);
    pending.clear();
    pending.insert(token.clone(), PendingBundle { file_name: file_name.clone(), bytes, sealed: encrypted });
    Ok(Some(BundlePreview { token, file_name, encrypted, summary }))
}

/// Decrypts the pending encrypted file with the passphrase and previews it. A wrong
/// passphrase (`bundle.passphrase_wrong`) leaves the file pending for another try.
#[tauri::command]
pub async fn bundles_unlock(state: State<'_, AppState>, token: String, passphrase: String) -> CmdResult<BundlePreview> {
    let passphrase = Passphrase::new(passphrase);
    let (sealed, file_name) = match crate::state::lock(&state.bundles).get(&token) {
        Some(p) if p.sealed => (p.bytes.clone(), p.file_name.clone()),
        Some(_) => return Err(Error::Internal("bundle already unlocked".into()).into()),
        None => return Err(Error::invalid(Code::BundleExpired, &[]).into()),
    };
    // The key derivation takes about a second: off the UI thread, and without holding the store.
    let plain =
        tauri::async_runtime::spawn_blocking(move || bundles::open(&sealed, Some(&passphrase)).map(|b| b.into_owned()))
            .await
            .map_err(|e| AppError::from(Error::Internal(e.to_string())))??;
    let (summary, plain) = super::with_action(&state, Action::BundlesImport, move |s| {
        Ok((outreach_app::bundles::import(s, &plain, true, &mut |_| {})?, plain))
    })
    .await?;
    let mut pending = crate::state::lock(&state.bundles);
    let Some(p) = pending.get_mut(&token) else { return Err(Error::invalid(Code::BundleExpired, &[]).into()) };
    p.bytes = plain;
    p.sealed = false;
    Ok(BundlePreview { token, file_name, encrypted: true, summary: Some(summary) })
}

#[tauri::command]
pub async fn bundles_commit(state: State<'_, AppState>, token: String) -> CmdResult<ImportSummary> {
    let bytes = match crate::state::lock(&state.bundles).remove(&token) {
        Some(p) if !p.sealed => p.bytes,
        Some(_) => return Err(Error::invalid(Code::BundlePassphraseRequired, &[]).into()),
        None => return Err(Error::invalid(Code::BundleExpired, &[]).into()),
    };
    super::with_action(&state, Action::BundlesImport, move |s| {
        outreach_app::bundles::import(s, &bytes, false, &mut |_| {})
    })
    .await
}

#[tauri::command]
pub async fn bundles_cancel(state: State<'_, AppState>, token: String) -> CmdResult<()> {
    crate::state::lock(&state.bundles).remove(&token);
    Ok(())
}

#[tauri::command]
pub async fn bundles_conflicts(state: State<'_, AppState>, include_resolved: bool) -> CmdResult<Vec<Conflict>> {
    with_store(&state, move |s| outreach_app::bundles::conflicts(s, include_resolved)).await
}

#[tauri::command]
pub async fn bundles_resolve(state: State<'_, AppState>, id: String, take: Take) -> CmdResult<()> {
    with_store(&state, move |s| outreach_app::bundles::resolve(s, &id, take)).await
}

/// This database's signing identity: the fingerprint to read aloud and the key text to copy.
#[tauri::command]
pub async fn identity_own(state: State<'_, AppState>) -> CmdResult<IdentityView> {
    with_store(&state, outreach_app::bundles::identity).await
}

#[tauri::command]
pub async fn signers_list(state: State<'_, AppState>) -> CmdResult<Vec<Signer>> {
    with_store(&state, |s| outreach_app::bundles::signers(s)).await
}

/// The fingerprint of a key being pasted, shown before it is registered.
#[tauri::command]
pub fn signers_fingerprint(key: String) -> CmdResult<String> {
    Ok(outreach_app::bundles::fingerprint_of(&key)?)
}

#[tauri::command]
pub async fn signers_register(state: State<'_, AppState>, input: SignerInput) -> CmdResult<Signer> {
    with_store(&state, move |s| outreach_app::bundles::register_signer(s, &input)).await
}

#[tauri::command]
pub async fn signers_revoke(state: State<'_, AppState>, fingerprint: String) -> CmdResult<Signer> {
    with_store(&state, move |s| outreach_app::bundles::revoke_signer(s, &fingerprint)).await
}
