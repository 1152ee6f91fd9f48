//! The crash harness: `outreach stress` writes sessions, series, session records and
//! bundle imports in a loop and is killed with SIGKILL at random moments. After every kill
//! the database must pass `PRAGMA integrity_check` and the foreign-key check, hold EVERY
//! write the child reported as committed, and hold each bundle, series and record whole
//! or not at all — never half.
//!
//! `CRASH_CYCLES` sets the number of kills (default 20, so the normal test run stays
//! quick; `scripts/crash.sh 500` runs many in release mode). `CRASH_SEED` replays a run:
//! the seed is printed on failure. One cycle in four waits for the merge transaction
//! of a big bundle (thousands of people) to begin and kills inside it (this folds in the former KILL_CYCLES test of
//! record.rs); the others kill after a random delay.
//!
//! The database is encrypted (SQLCipher), as the app always makes it: a kill must not leave a
//! page the key no longer decrypts. `CRASH_PLAIN=1` runs the same on a plain database.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rusqlite::{Connection, OptionalExtension};

/// The database passphrase, unless CRASH_PLAIN is set.
fn passphrase() -> Option<&'static str> {
    std::env::var_os("CRASH_PLAIN").is_none().then_some("kill-9 不丢数据 2026")
}

/// `outreach` in the harness's folder, on the database's passphrase (when encrypted).
fn cli(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_outreach"));
    c.current_dir(dir).env("OUTREACH_DATA_DIR", dir.join("data")).env_remove("OUTREACH_PASSPHRASE");
    if let Some(p) = passphrase() {
        c.env("OUTREACH_PASSPHRASE", p);
    }
    c
}

fn outreach(dir: &Path, args: &[&str]) {
    let o = cli(dir).args(args).output().unwrap();
    assert!(
        o.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// splitmix64: the harness's own random numbers, reproducible from the seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Where a kill struck, from the last lines the child printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Struck {
    Startup,
    Between,
    Session,
    Series,
    Record,
    /// A bundle import before its merge transaction (parsing, the pre-import backup).
    BundleBackup,
    /// Inside the merge transaction.
    BundleMerge,
    /// After the merge committed, before the import returned (its audit entry).
    BundleCommitted,
}

impl Struck {
    fn of(lines: &[String]) -> Struck {
        let mut s = Struck::Startup;
        for l in lines {
            let mut w = l.split(' ');
            s = match (w.next(), w.next()) {
                (Some("ready"), _) | (Some("done"), _) => Struck::Between,
                (Some("begin"), Some("session")) => Struck::Session,
                (Some("begin"), Some("series")) => Struck::Series,
                (Some("begin"), Some("record")) => Struck::Record,
                (Some("begin"), Some("bundle")) => Struck::BundleBackup,
                (Some("stage"), Some("merge")) => Struck::BundleMerge,
                (Some("stage"), Some("committed")) => Struck::BundleCommitted,
                _ => s,
            };
        }
        s
    }

    fn in_bundle(self) -> bool {
        matches!(self, Struck::BundleBackup | Struck::BundleMerge | Struck::BundleCommitted)
    }
}

/// What the database holds of the child's writes, read in one pass per table (the checks
/// stay quick however many writes were reported).
struct Found {
    sessions: HashSet<String>,
    series: HashMap<String, i64>,
    records: HashMap<String, i64>,
    /// Per bundle tag: (sessions, people).
    bundles: HashMap<String, (i64, i64)>,
}

fn tag_of(name: &str, marker: &str) -> Option<String> {
    let (tag, rest) = name.rsplit_once(marker)?;
    (tag.contains("-b") && rest.chars().all(|c| c.is_ascii_digit())).then(|| tag.to_string())
}

fn found(conn: &Connection) -> rusqlite::Result<Found> {
    let mut f =
        Found { sessions: HashSet::new(), series: HashMap::new(), records: HashMap::new(), bundles: HashMap::new() };
    let mut st = conn.prepare("SELECT id, title, series_id FROM sessions WHERE title LIKE 'stress-%'")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let (id, title, series): (String, String, Option<String>) = (r.get(0)?, r.get(1)?, r.get(2)?);
        if let Some(tag) = tag_of(&title, "-s") {
            f.bundles.entry(tag).or_default().0 += 1;
        }
        if let Some(s) = series {
            *f.series.entry(s).or_default() += 1;
        }
        f.sessions.insert(id);
    }
    let mut st = conn.prepare("SELECT name FROM people WHERE name LIKE 'stress-%'")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        if let Some(tag) = tag_of(&r.get::<_, String>(0)?, "-p") {
            f.bundles.entry(tag).or_default().1 += 1;
        }
    }
    let mut st = conn.prepare("SELECT id, headcount FROM records")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        f.records.insert(r.get(0)?, r.get(1)?);
    }
    Ok(f)
}

/// Every check after a kill; the first failure as text.
fn verify(db: &Path, reported: &[String], begun_bundles: &[String]) -> Result<(), String> {
    // Through the core only to unwrap the data key; then a bare connection, as before.
    let store = match passphrase() {
        Some(p) => {
            let key = outreach_core::keyfile::data_key(db, &outreach_core::Passphrase::new(p))
                .map_err(|e| format!("key file: {}", e.code()))?;
            outreach_core::Store::open_with(db, Some(&key)).map_err(|e| format!("open: {}", e.code()))?
        }
        None => outreach_core::Store::open(db).map_err(|e| format!("open: {}", e.code()))?,
    };
    let conn = store.conn();
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(|e| e.to_string())?;
    if check != "ok" {
        return Err(format!("integrity_check: {check}"));
    }
    let fk: Option<String> = conn
        .query_row("SELECT \"table\" FROM pragma_foreign_key_check LIMIT 1", [], |r| r.get(0))
        .optional()
        .map_err(|e| e.to_string())?;
    if let Some(t) = fk {
        return Err(format!("foreign key broken in {t}"));
    }
    let chain = outreach_core::audit::verify(conn).map_err(|e| e.code().to_string())?;
    if let Some(seq) = chain.first_broken {
        return Err(format!("the audit chain breaks at entry {seq}"));
    }
    let f = found(conn).map_err(|e| e.to_string())?;
    let n = |s: &str| s.parse::<i64>().unwrap_or(-1);
    for line in reported {
        let w: Vec<&str> = line.split(' ').collect();
        let ok = match w.as_slice() {
            ["done", "session", id] => f.sessions.contains(*id),
            ["done", "series", id, c] => f.series.get(*id).copied() == Some(n(c)),
            ["done", "record", id, h] => f.records.get(*id).copied() == Some(n(h)),
            ["done", "bundle", tag, s, p] => {
                f.bundles.get(*tag).copied() == Some((n(s), n(p))) || (n(s), n(p)) == (0, 0)
            }
            _ => return Err(format!("unknown report {line:?}")),
        };
        if !ok {
            return Err(format!("a write reported as committed is missing: {line:?}"));
        }
    }
    // Never half: every bundle begun is there whole or not at all.
    for line in begun_bundles {
        let w: Vec<&str> = line.split(' ').collect();
        let [_, _, tag, s, p] = w.as_slice() else { return Err(format!("bad line {line:?}")) };
        let got = f.bundles.get(*tag).copied().unwrap_or((0, 0));
        if got != (0, 0) && got != (n(s), n(p)) {
            return Err(format!("half a bundle: {line:?} found {got:?}"));
        }
    }
    // A session is held exactly when it has a record.
    let torn: i64 = conn
        .query_row(
            "SELECT count(*) FROM sessions s WHERE s.title LIKE 'stress-%' AND (s.status = 'held') <> EXISTS (SELECT 1 FROM records r WHERE r.id = s.id)",
            [],
            |r| r.get(0),
        )
        .map_err(|e| e.to_string())?;
    if torn > 0 {
        return Err(format!("{torn} sessions whose status and record disagree"));
    }
    Ok(())
}

#[test]
fn killed_writers_never_lose_a_committed_write_nor_leave_half_of_one() {
    let cycles: u64 = std::env::var("CRASH_CYCLES").ok().and_then(|v| v.parse().ok()).unwrap_or(20);
    let seed: u64 = std::env::var("CRASH_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 % 1_000_000_007
    });
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // The demo and its reference bundle are made plain (the child reads the bundle as such;
    // the variable would encrypt it), then the database is encrypted in place.
    let plain = |args: &[&str]| {
        let o = cli(d).env_remove("OUTREACH_PASSPHRASE").args(args).output().unwrap();
        assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    };
    plain(&["--db", "stress.db", "demo"]);
    plain(&["--db", "stress.db", "bundle", "export", "-o", "ref.outreach", "--scope", "reference"]);
    if let Some(p) = passphrase() {
        let o = cli(d)
            .env_remove("OUTREACH_PASSPHRASE")
            .env("OUTREACH_NEW_PASSPHRASE", p)
            .args(["--db", "stress.db", "passphrase", "change"])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        outreach(d, &["--db", "stress.db", "passphrase", "status"]);
    }
    std::fs::copy(d.join("stress.db"), d.join("pristine.db")).unwrap();
    let db = d.join("stress.db");
    let mut rng = Rng(seed);
    let mut reported: Vec<String> = Vec::new();
    let mut begun: Vec<String> = Vec::new();
    let mut struck: BTreeMap<Struck, u32> = BTreeMap::new();
    let (mut writes, mut resets, mut aimed) = (0usize, 0u32, 0u32);
    // How long the merge transaction of a big bundle has lasted so far, for aiming inside one.
    let mut merge_ms: u64 = 50;
    let started = Instant::now();
    for cycle in 0..cycles {
        let child_seed = seed.wrapping_mul(1000).wrapping_add(cycle);
        let mut child = cli(d)
            .args(["--db", "stress.db", "stress", "--seed", &child_seed.to_string(), "--reference", "ref.outreach"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, rx) = mpsc::channel::<(Instant, String)>();
        let out = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send((Instant::now(), line));
            }
        });
        let mut lines: Vec<String> = Vec::new();
        let mut merge_began: Option<Instant> = None;
        let mut big = false;
        let aim = cycle % 4 == 3;
        // A random moment, or (aimed) a random moment inside the next merge transaction.
        let mut deadline = Instant::now() + Duration::from_millis(50 + rng.below(1500));
        if aim {
            deadline = Instant::now() + Duration::from_secs(60);
        }
        loop {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            match rx.recv_timeout(deadline - now) {
                Ok((at, line)) => {
                    if line.starts_with("begin bundle ") {
                        big = !line.ends_with(" 0");
                    } else if line == "stage merge" && big {
                        merge_began = Some(at);
                        if aim {
                            deadline = at + Duration::from_millis(rng.below(merge_ms.max(1)));
                        }
                    } else if line == "stage committed" {
                        if let Some(b) = merge_began.take() {
                            merge_ms = merge_ms.max(at.duration_since(b).as_millis() as u64);
                        }
                    }
                    lines.push(line);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        let _ = child.kill();
        let status = child.wait().unwrap();
        reader.join().unwrap();
        lines.extend(rx.try_iter().map(|(_, l)| l));
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
        // The child stops only when killed; anything else is a failure of its own.
        assert!(status.code().is_none(), "seed {seed}, cycle {cycle}: the child exited by itself ({status}): {stderr}");
        let where_ = Struck::of(&lines);
        *struck.entry(where_).or_default() += 1;
        if aim && where_ == Struck::BundleMerge {
            aimed += 1;
        }
        for l in &lines {
            if l.starts_with("done ") {
                reported.push(l.clone());
                writes += 1;
            } else if l.starts_with("begin bundle ") {
                begun.push(l.clone());
            }
        }
        if let Err(why) = verify(&db, &reported, &begun) {
            panic!("seed {seed} (CRASH_SEED={seed} to replay), cycle {cycle}, killed at {where_:?}: {why}\nlast lines: {:?}", &lines[lines.len().saturating_sub(5)..]);
        }
        // Keep the database small enough for the checks to stay quick: start again from
        // the pristine copy (and forget what was written to the old one).
        if std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0) > 48 << 20 {
            for ext in ["db-wal", "db-shm"] {
                let _ = std::fs::remove_file(d.join(format!("stress.{ext}")));
            }
            std::fs::copy(d.join("pristine.db"), &db).unwrap();
            let _ = std::fs::remove_dir_all(d.join("backups"));
            reported.clear();
            begun.clear();
            resets += 1;
        }
    }
    let bundle_kills: u32 = struck.iter().filter(|(k, _)| k.in_bundle()).map(|(_, n)| n).sum();
    eprintln!(
        "crash harness ({} database): seed {seed}, {cycles} kills, 0 failures in {:.1} s; {writes} writes reported and found; \
         kills during a bundle import {bundle_kills} (inside its merge transaction {}, of them aimed {aimed}), elsewhere {}; \
         by moment {struck:?}; longest merge {merge_ms} ms; database reset {resets} times",
        if passphrase().is_some() { "encrypted" } else { "plain" },
        started.elapsed().as_secs_f64(),
        struck.get(&Struck::BundleMerge).copied().unwrap_or(0),
        cycles as u32 - bundle_kills,
    );
    if cycles >= 8 {
        assert!(
            struck.get(&Struck::BundleMerge).copied().unwrap_or(0) > 0,
            "seed {seed}: no kill landed inside a merge transaction; the test proved nothing"
        );
    }
}

/// Opens a database file with one key and reads it (SQLCipher checks the key on the first page).
fn opens_with(file: &Path, key: &outreach_core::Passphrase) -> bool {
    outreach_core::db::check_passphrase(file, key).is_ok()
}

fn db_files(d: &Path, db: &Path) -> Vec<std::path::PathBuf> {
    let mut files = vec![db.to_path_buf()];
    if let Ok(rd) = std::fs::read_dir(d.join("backups")) {
        files.extend(rd.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| {
            p.extension().is_some_and(|x| x == "db")
                && p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("outreach-"))
        }));
    }
    files
}

/// The re-key harness: `outreach stress --rekey` moves the database and every backup to a new
/// data key over and over and is killed at random moments. After every kill each file opens
/// with a key of the ring the passphrase unwraps, no backup is gone (beyond the rotation's
/// newest 20), the next unlock finishes the move (then everything is on one key), the database
/// passes its integrity check and the audit chain verifies. `CRASH_REKEY_CYCLES` (default 12).
#[test]
fn a_rekey_killed_at_any_moment_leaves_every_file_openable() {
    let Some(pass) = passphrase() else { return };
    let pass = outreach_core::Passphrase::new(pass);
    let cycles: u64 = std::env::var("CRASH_REKEY_CYCLES").ok().and_then(|v| v.parse().ok()).unwrap_or(12);
    let seed: u64 = std::env::var("CRASH_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 % 1_000_000_007
    });
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = d.join("rekey.db");
    outreach(d, &["--db", "rekey.db", "demo"]);
    for _ in 0..3 {
        outreach(d, &["--db", "rekey.db", "backup"]);
    }
    let mut rng = Rng(seed);
    let (mut mid, mut done_total) = (0u32, 0usize);
    let started = Instant::now();
    for cycle in 0..cycles {
        let before = db_files(d, &db).len() - 1;
        let mut child = cli(d)
            .args(["--db", "rekey.db", "stress", "--seed", "0", "--rekey"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let out = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || BufReader::new(out).lines().map_while(Result::ok).collect::<Vec<_>>());
        std::thread::sleep(Duration::from_millis(200 + rng.below(3000)));
        let _ = child.kill();
        let status = child.wait().unwrap();
        let lines = reader.join().unwrap();
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
        assert!(status.code().is_none(), "seed {seed}, cycle {cycle}: the child exited by itself ({status}): {stderr}");
        done_total += lines.iter().filter(|l| *l == "done rekey").count();
        if lines.last().is_some_and(|l| l == "begin rekey") {
            mid += 1;
        }
        let fail = |why: String| -> ! {
            panic!(
                "seed {seed} (CRASH_SEED={seed} to replay), cycle {cycle}: {why}; last lines {:?}",
                &lines[lines.len().saturating_sub(3)..]
            )
        };
        // Right after the kill: every file opens with some key of the ring.
        let keys =
            outreach_core::keyfile::ring_keys(&db, &pass).unwrap_or_else(|e| fail(format!("key file: {}", e.code())));
        let files = db_files(d, &db);
        for f in &files {
            if !keys.iter().any(|k| opens_with(f, k)) {
                fail(format!("{f:?} opens with no key of the ring ({} keys)", keys.len()));
            }
        }
        if files.len() - 1 < before.min(20) {
            fail(format!("backups lost: {before} before the kill, {} after", files.len() - 1));
        }
        // The next unlock finishes the move: one key for everything, and the data whole.
        outreach(d, &["--db", "rekey.db", "audit", "verify"]);
        let keys = outreach_core::keyfile::ring_keys(&db, &pass).unwrap();
        if keys.len() != 1 {
            fail(format!("the unlock left {} keys in the ring", keys.len()));
        }
        for f in db_files(d, &db) {
            if !opens_with(&f, &keys[0]) {
                fail(format!("{f:?} is not on the current key after the unlock"));
            }
        }
        let store = outreach_core::Store::open_with(&db, Some(&keys[0])).unwrap();
        let check: String = store.conn().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        if check != "ok" {
            fail(format!("integrity_check: {check}"));
        }
    }
    eprintln!(
        "re-key harness: seed {seed}, {cycles} kills ({mid} in the middle of a re-key), 0 failures in {:.1} s; {done_total} re-keys completed",
        started.elapsed().as_secs_f64()
    );
    if cycles >= 8 {
        assert!(mid > 0, "seed {seed}: no kill landed inside a re-key; the test proved nothing");
    }
}
