//! The weekly case review brief checked with the real poppler tools: one A4 portrait page
//! however busy the week, its text comes back, and the places that do not fit are counted.

use std::process::Command;

use outreach_print::*;

fn tool(name: &str, args: &[&str], pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let mut cmd = Command::new(name);
    cmd.args(args).arg(&path);
    if name == "pdftotext" {
        cmd.arg("-");
    }
    let out = cmd.output().unwrap_or_else(|e| panic!("{name} not runnable (install poppler-utils): {e}"));
    assert!(out.status.success(), "{name} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// With `REPORT_TEST_OUT=DIR`, keep the PDF for looking at.
fn dump(name: &str, pdf: &[u8]) {
    if let Ok(dir) = std::env::var("REPORT_TEST_OUT") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(format!("{dir}/{name}.pdf"), pdf).unwrap();
    }
}

/// Without any whitespace (wrapped lines, table cells).
fn flat(pdf: &[u8]) -> String {
    tool("pdftotext", &["-enc", "UTF-8"], pdf).chars().filter(|c| !c.is_whitespace()).collect()
}

/// Pages, and the first page's size in points.
fn info(pdf: &[u8]) -> (usize, f64, f64) {
    let out = tool("pdfinfo", &[], pdf);
    let pages = out.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    let size = out.lines().find_map(|l| l.strip_prefix("Page size:")).unwrap();
    let nums: Vec<f64> = size.split_whitespace().filter_map(|t| t.parse().ok()).collect();
    (pages, nums[0], nums[1])
}

/// Every word lies inside the page.
fn assert_inside(pdf: &[u8]) {
    let html = tool("pdftotext", &["-bbox", "-enc", "UTF-8"], pdf);
    let attr = |tag: &str, name: &str| -> f64 {
        let key = format!("{name}=\"");
        let i = tag.find(&key).unwrap() + key.len();
        tag[i..].split('"').next().unwrap().parse().unwrap()
    };
    let (mut w, mut h) = (0.0, 0.0);
    for line in html.lines().map(str::trim) {
        if line.starts_with("<page ") {
            (w, h) = (attr(line, "width"), attr(line, "height"));
        } else if line.starts_with("<word ") {
            let (x1, y1) = (attr(line, "xMax"), attr(line, "yMax"));
            assert!(x1 <= w + 0.01 && y1 <= h + 0.01, "word outside the page: {line}");
        }
    }
}

fn place(i: usize) -> BriefPlace {
    BriefPlace {
        name: format!("第{i}网格"),
        path: format!("张店区 / 公园派出所 / 世纪花园社区{i}"),
        cases: (100 - i) as u32 / 10 + 1,
        action: "专题宣讲".into(),
        reason: format!(
            "本周发生杀猪盘/网络交友诈骗{}起，近90天辖区未开展该专题宣讲（此前未讲过），受害人多为普通群众，建议本周内安排社区民警到场宣讲",
            i % 3 + 1
        ),
    }
}

fn sample(places: usize, more: u32) -> Brief {
    let types: Vec<Vec<String>> = [
        "刷单返利",
        "虚假投资理财",
        "冒充客服退款",
        "贷款/征信",
        "冒充公检法",
        "冒充领导熟人",
        "杀猪盘/网络交友",
        "游戏交易",
        "养老/保健品",
        "校园贷/兼职",
    ]
    .iter()
    .enumerate()
    .map(|(i, n)| vec![n.to_string(), (20 - i).to_string(), "12.5".into(), "+60.0%".into(), "1,234,567".into()])
    .collect();
    Brief {
        title: "淄博市每周涉诈案情研判简报".into(),
        subtitle: "（2026年第49周，2026年11月30日至12月6日）".into(),
        figures: vec![
            BriefFigure {
                label: "新发案件".into(),
                value: "511起".into(),
                note: "前四周周均585.8起，下降12.8%".into(),
            },
            BriefFigure {
                label: "损失金额".into(), value: "30,802,124元".into(), note: "平均每起60,278元".into()
            },
            BriefFigure { label: "止付金额".into(), value: "1,651,508元".into(), note: String::new() },
            BriefFigure {
                label: "涉案地点".into(), value: format!("{}处", places as u32 + more), note: String::new()
            },
        ],
        types: ReportTable {
            title: String::new(),
            columns: ["类型", "本周立案", "前四周周均", "较周均", "损失金额（元）"].map(String::from).to_vec(),
            rows: types,
            total: None,
        },
        groups: vec![("普通群众".into(), 129), ("企业职工".into(), 119), ("老年人".into(), 118), ("学生".into(), 85)],
        places: (1..=places).map(place).collect(),
        more_places: more,
        no_places: "本周没有新发案件。".into(),
        issuer: "淄博市公安局反诈中心".into(),
        date_text: "2026年12月7日".into(),
    }
}

#[test]
fn a_busy_week_is_one_a4_page_and_counts_the_places_left_out() {
    let pdf = brief(&sample(60, 140)).unwrap();
    dump("brief-busy", &pdf);
    let (pages, w, h) = info(&pdf);
    assert_eq!(pages, 1);
    assert!((w - 595.28).abs() < 1.0 && (h - 841.89).abs() < 1.0, "A4 portrait: {w} × {h}");
    assert_inside(&pdf);
    let text = flat(&pdf);
    for s in [
        "淄博市每周涉诈案情研判简报",
        "（2026年第49周，2026年11月30日至12月6日）",
        "新发案件",
        "511起",
        "30,802,124元",
        "受害人群",
        "普通群众129（29%）",
        "前四周周均",
        "刷单返利",
        "重点地点与建议措施",
        "专题宣讲",
        "淄博市公安局反诈中心",
        "2026年12月7日",
    ] {
        assert!(text.contains(s), "{s} missing from: {text}");
    }
    // The places shown and the count of the rest add up to all of them.
    let shown = (1..=60).filter(|i| text.contains(&format!("第{i}网格"))).count();
    assert!((3..60).contains(&shown), "{shown} places shown");
    assert!((1..=shown).all(|i| text.contains(&format!("第{i}网格"))), "the first places, in order");
    let rest = 60 - shown + 140;
    assert!(text.contains(&format!("另有{rest}处见系统")), "另有{rest}处 missing: {text}");
    // Eight types at most; the other two counted.
    assert!(text.contains("冒充领导熟人") && !text.contains("校园贷/兼职"));
    assert!(text.contains("另有2类见系统"));
}

#[test]
fn a_quiet_week_lists_every_place_and_says_so_when_there_is_none() {
    let pdf = brief(&sample(3, 0)).unwrap();
    assert_eq!(info(&pdf).0, 1);
    let text = flat(&pdf);
    assert!((1..=3).all(|i| text.contains(&format!("第{i}网格"))));
    assert!(!text.contains("见系统处") && !text.contains("处见系统"), "nothing left out: {text}");

    let mut none = sample(0, 0);
    none.types.rows.clear();
    none.groups.clear();
    none.title = String::new();
    let pdf = brief(&none).unwrap();
    dump("brief-none", &pdf);
    assert_eq!(info(&pdf).0, 1);
    let text = flat(&pdf);
    assert!(text.contains(BRIEF_DEFAULT_TITLE), "a brief without a title gets the default");
    assert!(text.contains("本周没有新发案件。"));
}
