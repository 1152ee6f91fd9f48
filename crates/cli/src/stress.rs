//! `outreach stress` (hidden): the child of the crash harness (crates/cli/tests/crash.rs).
//! With `--rekey` it re-keys the data over and over instead (the re-key harness, same file).
//! It writes through the real core paths — sessions, series, session records and bundle
//! imports — in an endless loop until it is killed, and says on stdout what it does:
//!
//! - `ready` once the database is open;
//! - `begin KIND` before a write, then for a bundle `stage merge` when its transaction
//!   begins and `stage committed` when it has committed;
//! - `done KIND ID …` only after the write's transaction has committed, flushed at once:
//!   `done session ID`, `done series ID COUNT`, `done record ID HEADCOUNT`,
//!   `done bundle TAG SESSIONS PEOPLE`.
//!
//! Everything it writes is named `stress-SEED-…`, so the harness can find it. The bundles
//! are built in an in-memory copy of the reference data (`--reference`): a few new sessions
//! each, now and then a big one with thousands of people, so that a kill also lands inside
//! a long import transaction.

use outreach_core::error::Code;
use std::io::Write;
use std::path::PathBuf;

use outreach_core::bundles::{self, Scope};
use outreach_core::records::{self, AudienceCount, RecordInput};
use outreach_core::sessions::{self, Audience, SessionInput, SessionKind};
use outreach_core::transfer::{self, TableKind};
use outreach_core::{series, sheets, Error, Result, Store};

/// xorshift64*: the same seed gives the same sequence of operations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe means the harness is gone: stop writing.
    if writeln!(out, "{line}").and_then(|_| out.flush()).is_err() {
        std::process::exit(0);
    }
}

fn session_input(title: String, unit: &str, rng: &mut Rng) -> SessionInput {
    // In the past, so it can be recorded; spread over a year so series rarely meet.
    let day = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Days::new(rng.below(360));
    let hour = 8 + rng.below(10);
    SessionInput {
        id: None,
        title,
        kind: SessionKind::Talk,
        venue_id: None,
        unit_id: Some(unit.to_string()),
        start: format!("{day}T{hour:02}:00"),
        end: format!("{day}T{:02}:30", hour + 1),
        audiences: vec![Audience::Public],
        topic_ids: vec![],
        people: vec![],
        materials: vec![],
        expected_audience: Some(50),
        channel: String::new(),
        messages: None,
        notes: "压力测试".into(),
    }
}

/// The re-key crash harness's child: `begin rekey`, then `done rekey` once the database and
/// every backup are on the new key, over and over until killed.
pub fn rekey(store: &mut Store, passphrase: &outreach_core::Passphrase) -> Result<()> {
    say("ready");
    loop {
        say("begin rekey");
        store.rekey_data(passphrase)?;
        say("done rekey");
    }
}

pub fn run(store: &mut Store, seed: u64, reference: PathBuf) -> Result<()> {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let grids: Vec<String> = store
        .conn()
        .prepare("SELECT id FROM units WHERE kind = 'grid' AND archived_at IS NULL ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    if grids.is_empty() {
        return Err(Error::invalid(Code::DemoNotEmpty, &[]));
    }
    // The sending side of the bundles: the reference data in memory, grown by each bundle.
    let bytes = std::fs::read(&reference).map_err(|e| Error::io(reference.display().to_string(), e))?;
    let mut src = Store::open_in_memory()?;
    crate::trust(&mut src, store, "stress reference")?;
    crate::trust(store, &mut src, "stress sender")?;
    bundles::import(&mut src, &bytes, false)?;
    say("ready");
    for i in 0u64.. {
        let unit = &grids[rng.below(grids.len() as u64) as usize];
        match rng.below(100) {
            0..=34 => {
                say("begin session");
                let input = session_input(format!("stress-{seed}-{i}"), unit, &mut rng);
                let out = store.write(|tx| sessions::save(tx, &input, true, "stress"))?;
                say(&format!("done session {}", out.session.map(|s| s.id).unwrap_or_default()));
            }
            35..=44 => {
                say("begin series");
                let count = 2 + rng.below(4) as u32;
                let first = session_input(format!("stress-{seed}-{i}"), unit, &mut rng);
                let input = series::SeriesInput { first, repeat: series::Repeat::Weekly { every: 1 }, count };
                let out = store.write(|tx| series::create(tx, &input, true, "stress"))?;
                say(&format!("done series {} {}", out.series_id.unwrap_or_default(), out.created));
            }
            45..=79 => {
                let planned: Option<(String, String, String)> = store
                    .conn()
                    .query_row(
                        "SELECT id, starts_at, ends_at FROM sessions WHERE title LIKE 'stress-%' AND status = 'planned' ORDER BY random() LIMIT 1",
                        [],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                    )
                    .ok();
                let Some((id, start, end)) = planned else { continue };
                say("begin record");
                let headcount = 10 + rng.below(190) as i64;
                let input = RecordInput {
                    session_id: id.clone(),
                    actual_start: start,
                    actual_end: end,
                    headcount,
                    audiences: vec![AudienceCount { audience: Audience::Elderly, count: headcount / 2 }],
                    speakers: vec![],
                    materials: vec![],
                    notes: "压力测试".into(),
                    signin_names: vec![],
                    reason: String::new(),
                };
                store.write(|tx| records::save(tx, &input, "stress", "coordinator"))?;
                say(&format!("done record {id} {headcount}"));
            }
            _ => {
                let tag = format!("stress-{seed}-b{i}");
                let sessions_n = 3 + rng.below(10);
                // One bundle in five is big: thousands of people in one long transaction.
                let people_n = if rng.below(5) == 0 { 2000 + rng.below(2000) } else { 0 };
                for k in 0..sessions_n {
                    let input = session_input(format!("{tag}-s{k}"), unit, &mut rng);
                    src.write(|tx| sessions::save(tx, &input, true, "stress"))?;
                }
                if people_n > 0 {
                    let mut text = String::from("编号,姓名,身份,所属单位编号,在岗\n");
                    for k in 0..people_n {
                        text.push_str(&format!(",{tag}-p{k},志愿者,{unit},是\n"));
                    }
                    let sheet = sheets::read_bytes(false, text.as_bytes())?;
                    transfer::commit(&mut src, TableKind::People, &sheet, "stress.csv", false, &mut |_| {})?;
                }
                let (bundle, _) = bundles::export(src.conn(), Scope::All, None, "stress", None)?;
                say(&format!("begin bundle {tag} {sessions_n} {people_n}"));
                bundles::import_with(store, &bundle, false, &mut |stage| say(&format!("stage {stage}")))?;
                say(&format!("done bundle {tag} {sessions_n} {people_n}"));
            }
        }
    }
    Ok(())
}
