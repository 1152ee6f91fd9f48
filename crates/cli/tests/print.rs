//! `outreach print …` through the real binary, checked with poppler (pdffonts, pdftotext,
//! pdfinfo) the way a reader of the PDF would see it.

use std::path::Path;
use std::process::{Command, Output};

fn outreach(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_outreach"))
        .args(args)
        .current_dir(dir)
        .env("OUTREACH_DATA_DIR", dir.join("data"))
        .output()
        .unwrap()
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let o = outreach(dir, args);
    assert!(
        o.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn tool(dir: &Path, name: &str, args: &[&str]) -> String {
    let o = Command::new(name)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{name} (poppler-utils) is needed: {e}"));
    assert!(o.status.success(), "{name} {args:?}");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn demo_session(dir: &Path, kind: &str) -> (String, String) {
    let list: serde_json::Value = serde_json::from_str(&ok(dir, &["--db", "x.db", "plan", "list", "--json"])).unwrap();
    let s = list.as_array().unwrap().iter().find(|s| s["kind"] == kind).unwrap();
    (s["id"].as_str().unwrap().to_string(), s["title"].as_str().unwrap().to_string())
}

#[test]
fn a_bench_talk_flyer_and_its_sign_in_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["--db", "x.db", "demo"]);
    let (id, title) = demo_session(d, "bench_talk");
    ok(d, &["--db", "x.db", "print", "flyer", "--session", &id, "-o", "flyer.pdf"]);
    let fonts = tool(d, "pdffonts", &["flyer.pdf"]);
    let line = fonts.lines().find(|l| l.contains("NotoSansCJK")).expect("the CJK font is used");
    assert!(line.split_whitespace().next().unwrap().contains('+'), "subset name: {line}");
    assert!(line.contains("yes yes yes"), "embedded, subset, with ToUnicode: {line}");
    let text = squash(&tool(d, "pdftotext", &["flyer.pdf", "-"]));
    assert!(text.contains(&squash(&title)), "{title} in {text}");
    for must in ["96110", "110", "防骗提示"] {
        assert!(text.contains(must), "{must}");
    }
    let info = tool(d, "pdfinfo", &["flyer.pdf"]);
    assert!(info.contains("Pages:           1") && info.contains("595.") && info.contains("841."), "{info}");
    assert!(std::fs::metadata(d.join("flyer.pdf")).unwrap().len() < 300 * 1024);

    ok(d, &["--db", "x.db", "print", "flyer", "--session", &id, "--paper", "a5", "-o", "a5.pdf"]);
    assert!(tool(d, "pdfinfo", &["a5.pdf"]).contains("419."));

    ok(d, &["--db", "x.db", "print", "signin", "--session", &id, "-o", "signin.pdf"]);
    let text = squash(&tool(d, "pdftotext", &["signin.pdf", "-"]));
    assert!(text.contains("签到表") && text.contains("序号") && text.contains("签名"));
    assert!(!text.contains("联系电话"), "no phone column unless asked");
    // The audit log has both prints.
    let audit = ok(d, &["--db", "x.db", "audit", "list"]);
    assert_eq!(audit.matches("print").count(), 3, "{audit}");
}

#[test]
fn per_grid_flyers_letters_and_a_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["--db", "x.db", "demo"]);
    ok(d, &["--db", "x.db", "print", "flyers", "--unit", "齐都花园社区", "-o", "grids.pdf"]);
    let pages = tool(d, "pdfinfo", &["grids.pdf"]);
    let grids = ok(d, &["--db", "x.db", "units", "tree"]).lines().filter(|l| l.contains("齐都花园第")).count();
    assert!(grids > 0 && pages.contains(&format!("Pages:           {grids}\n")), "{grids} grids: {pages}");
    let text = tool(d, "pdftotext", &["grids.pdf", "-"]);
    assert!(text.contains("****"), "workers' phones are masked on paper");
    assert!(!regex_like_full_phone(&text), "no full phone number on paper");

    ok(d, &["--db", "x.db", "print", "letters", "-o", "letters.pdf"]);
    assert!(squash(&tool(d, "pdftotext", &["letters.pdf", "-"])).contains("告知书"));
    let o = outreach(d, &["--db", "x.db", "print", "flyers", "--unit", "不存在的单位", "-o", "none.pdf"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!d.join("none.pdf").exists(), "a refused print writes no file");

    let rec: serde_json::Value = serde_json::from_str(&ok(d, &["--db", "x.db", "plan", "list", "--json"])).unwrap();
    let held = rec.as_array().unwrap().iter().find(|s| s["status"] == "reported" || s["status"] == "held").unwrap();
    let r: serde_json::Value =
        serde_json::from_str(&ok(d, &["--db", "x.db", "record", "show", held["id"].as_str().unwrap(), "--json"]))
            .unwrap();
    let person = r["speakers"][0]["personId"].as_str().unwrap();
    ok(
        d,
        &[
            "--db",
            "x.db",
            "print",
            "certificate",
            "--person",
            person,
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "-o",
            "cert.pdf",
        ],
    );
    let text = squash(&tool(d, "pdftotext", &["cert.pdf", "-"]));
    assert!(
        text.contains("志愿服务") && text.contains(&squash(r["speakers"][0]["personName"].as_str().unwrap())),
        "{text}"
    );
}

fn regex_like_full_phone(text: &str) -> bool {
    let digits: Vec<char> = text.chars().collect();
    digits.windows(11).any(|w| w[0] == '1' && w.iter().all(|c| c.is_ascii_digit()))
}

#[test]
fn a_photo_that_is_not_an_image_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["--db", "x.db", "demo"]);
    let (id, _) = demo_session(d, "bench_talk");
    std::fs::write(d.join("logo.png"), b"not an image").unwrap();
    let o = outreach(d, &["--db", "x.db", "print", "flyer", "--session", &id, "--photo", "logo.png", "-o", "f.pdf"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("图片"), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!d.join("f.pdf").exists());
}

/// The font is a file of the installation, not part of the binary: without it (or with a
/// damaged one) a print is refused with a message that says what to do, and no file is
/// written — never a PDF of empty boxes.
#[test]
fn a_missing_or_damaged_font_file_is_a_clear_refusal() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(d, &["--db", "x.db", "demo"]);
    let (id, _) = demo_session(d, "bench_talk");
    let print = |font: &Path, out: &str| {
        Command::new(env!("CARGO_BIN_EXE_outreach"))
            .args(["--db", "x.db", "print", "flyer", "--session", &id, "-o", out])
            .current_dir(d)
            .env("OUTREACH_DATA_DIR", d.join("data"))
            .env("OUTREACH_FONT", font)
            .output()
            .unwrap()
    };
    let o = print(&d.join("no-such-font.otf"), "missing.pdf");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("找不到打印字体文件") && err.contains("no-such-font.otf") && err.contains("重新安装"),
        "{err}"
    );
    assert!(!d.join("missing.pdf").exists());

    let whole = std::fs::read(outreach_print::font_path().unwrap()).unwrap();
    std::fs::write(d.join("cut.otf"), &whole[..whole.len() / 3]).unwrap();
    let o = print(&d.join("cut.otf"), "cut.pdf");
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("已损坏") && err.contains("cut.otf"), "{err}");
    assert!(!d.join("cut.pdf").exists());

    // The same file named explicitly prints as the default does.
    std::fs::write(d.join("whole.otf"), &whole).unwrap();
    let o = print(&d.join("whole.otf"), "whole.pdf");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(tool(d, "pdffonts", &["whole.pdf"]).contains("NotoSansCJK"));
}
