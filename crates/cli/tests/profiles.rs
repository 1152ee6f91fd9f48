//! `outreach` as a captain (OUTREACH_PROFILE): works in its own grid, refused elsewhere and
//! for whole-database operations; `profiles` management is the coordinator's.

use std::path::Path;
use std::process::{Command, Output, Stdio};

const DB_PASS: &str = "稷下网格2026年春季交接";
const CAPTAIN_PASS: &str = "稷下一网格队长-口令2026";

fn outreach(dir: &Path, envs: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_outreach"));
    c.args(["--db", "x.db"])
        .args(args)
        .current_dir(dir)
        .env("OUTREACH_DATA_DIR", dir.join("data"))
        .env("OUTREACH_PASSPHRASE", DB_PASS)
        .env("OUTREACH_TEST_WORK_FACTOR", "10")
        .env_remove("OUTREACH_PROFILE")
        .env_remove("OUTREACH_NEW_PASSPHRASE")
        .stdin(Stdio::null());
    for (k, v) in envs {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn ok(dir: &Path, envs: &[(&str, &str)], args: &[&str]) -> String {
    let o = outreach(dir, envs, args);
    assert!(o.status.success(), "{args:?}: {}", text(&o));
    text(&o)
}

fn refused(dir: &Path, envs: &[(&str, &str)], args: &[&str], needle: &str) {
    let o = outreach(dir, envs, args);
    assert!(!o.status.success(), "{args:?} should be refused: {}", text(&o));
    assert!(text(&o).contains(needle), "{args:?}: expected «{needle}» in {}", text(&o));
}

fn grids(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Array(a) => a.iter().for_each(|x| grids(x, out)),
        serde_json::Value::Object(o) => {
            if let Some(u) = o.get("unit") {
                if u["kind"] == "grid" {
                    out.push(u["id"].as_str().unwrap().to_string());
                }
            }
            if let Some(c) = o.get("children") {
                grids(c, out);
            }
        }
        _ => {}
    }
}

#[test]
fn a_captain_profile_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &[], &["demo"]);
    let tree: serde_json::Value =
        serde_json::from_str(&String::from_utf8_lossy(&outreach(d, &[], &["units", "tree", "--json"]).stdout)).unwrap();
    let mut g = vec![];
    grids(&tree, &mut g);
    assert!(g.len() >= 2, "demo has grids");
    let (mine, other) = (g[0].clone(), g[1].clone());

    // The coordinator adds a captain; the passphrase never comes from an argument.
    refused(d, &[], &["profiles", "add", "--label", "稷下一网格队长", "--unit", &mine], "OUTREACH_NEW_PASSPHRASE");
    refused(
        d,
        &[("OUTREACH_NEW_PASSPHRASE", DB_PASS)],
        &["profiles", "add", "--label", "稷下一网格队长", "--unit", &mine],
        "队长口令不能与数据库口令相同",
    );
    ok(
        d,
        &[("OUTREACH_NEW_PASSPHRASE", CAPTAIN_PASS)],
        &["profiles", "add", "--label", "稷下一网格队长", "--unit", &mine],
    );
    assert!(ok(d, &[], &["profiles", "list"]).contains("稷下一网格队长"));

    let captain = [("OUTREACH_PROFILE", "稷下一网格队长"), ("OUTREACH_PASSPHRASE", CAPTAIN_PASS)];
    // Wrong captain passphrase: refused as for the database.
    refused(d, &[("OUTREACH_PROFILE", "稷下一网格队长")], &["passphrase", "status"], "口令不正确");
    refused(d, &[("OUTREACH_PROFILE", "没有这个队长")], &["passphrase", "status"], "找不到该队长身份");
    // Own grid: yes. Another grid: no — it is not even in the captain's own database.
    ok(
        d,
        &captain,
        &[
            "followup",
            "add",
            "--name",
            "刘某",
            "--phone",
            "13905330001",
            "--grid",
            &mine,
            "--warned",
            "2026-01-05",
            "--today",
            "2026-01-06",
        ],
    );
    refused(
        d,
        &captain,
        &[
            "followup",
            "add",
            "--name",
            "王某",
            "--phone",
            "13905330002",
            "--grid",
            &other,
            "--warned",
            "2026-01-05",
            "--today",
            "2026-01-06",
        ],
        "找不到单位",
    );
    // Whole-database operations and profile management: the coordinator's.
    refused(d, &captain, &["export", "people", "--format", "csv", "--output", "p.csv"], "仅限协调员身份");
    refused(d, &captain, &["backup"], "仅限协调员身份");
    refused(d, &captain, &["profiles", "list"], "仅限协调员身份");
    refused(d, &captain, &["passphrase", "change"], "仅限协调员身份");
    // Subcommands the old fallthrough let a captain run: reviewing (审核上报, so no one reviews
    // their own record), the purge of personal data, the conflicts of an import. The message
    // names the action.
    refused(d, &captain, &["record", "review", "s-1"], "“审核上报”仅限协调员身份");
    refused(d, &captain, &["followup", "purge"], "“清除到期个人信息”仅限协调员身份");
    refused(d, &captain, &["bundle", "conflicts"], "“处理交接冲突”仅限协调员身份");
    // A report of a unit that is not the captain's.
    refused(d, &captain, &["coverage", "--unit", &other, "--from", "2026-01-01", "--to", "2026-12-31"], "找不到单位");
    assert!(!d.join("p.csv").exists());

    // The captain changes their own passphrase; the old one stops working.
    let new = "稷下一网格队长-新口令2027";
    ok(d, &[captain[0], captain[1], ("OUTREACH_NEW_PASSPHRASE", new)], &["profiles", "passphrase"]);
    refused(d, &captain, &["passphrase", "status"], "口令不正确");
    ok(d, &[("OUTREACH_PROFILE", "稷下一网格队长"), ("OUTREACH_PASSPHRASE", new)], &["passphrase", "status"]);
}
