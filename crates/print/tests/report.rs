//! The work report (工作报告) checked with the real poppler tools: text comes back,
//! tables paginate with repeated headers, charts survive odd data, photos that
//! cannot be decoded are skipped, nothing leaves the page.

use std::process::Command;

use outreach_print::*;

// ---- helpers ------------------------------------------------------------------------

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

fn text(pdf: &[u8]) -> String {
    tool("pdftotext", &["-enc", "UTF-8"], pdf)
}

/// Text of every page (pdftotext separates pages with a form feed).
fn pages_text(pdf: &[u8]) -> Vec<String> {
    let mut v: Vec<String> = text(pdf).split('\u{c}').map(String::from).collect();
    if v.last().map(|s| s.trim().is_empty()).unwrap_or(false) {
        v.pop();
    }
    v
}

fn norm(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn pages(pdf: &[u8]) -> usize {
    tool("pdfinfo", &[], pdf)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|v| v.trim().parse().unwrap())
        .expect("Pages line")
}

/// A word from `pdftotext -bbox`: page index, text, xMin, yMin, xMax, yMax.
#[derive(Debug, Clone)]
struct Word {
    page: usize,
    text: String,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

fn words(pdf: &[u8]) -> (Vec<Word>, f64, f64) {
    let html = tool("pdftotext", &["-bbox", "-enc", "UTF-8"], pdf);
    let attr = |tag: &str, name: &str| -> f64 {
        let key = format!("{name}=\"");
        let i = tag.find(&key).unwrap_or_else(|| panic!("{name} in {tag}")) + key.len();
        tag[i..].split('"').next().unwrap().parse().unwrap()
    };
    let (mut w, mut h) = (0.0, 0.0);
    let mut page = 0;
    let mut out = Vec::new();
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            page += 1;
            w = attr(line, "width");
            h = attr(line, "height");
        } else if line.starts_with("<word ") {
            let text = line.split_once('>').map(|(_, r)| r.trim_end_matches("</word>").to_string()).unwrap_or_default();
            out.push(Word {
                page,
                text,
                x0: attr(line, "xMin"),
                y0: attr(line, "yMin"),
                x1: attr(line, "xMax"),
                y1: attr(line, "yMax"),
            });
        }
    }
    (out, w, h)
}

/// Every word lies inside the text block (70 pt side margins, top and bottom within
/// the page).
fn assert_inside_margins(pdf: &[u8]) {
    let (ws, w, h) = words(pdf);
    assert!(!ws.is_empty(), "no words");
    for x in &ws {
        assert!(
            x.x0 >= 69.0 && x.x1 <= w - 69.0 && x.y0 >= 20.0 && x.y1 <= h - 20.0,
            "word outside the text block ({w}×{h}): {x:?}"
        );
    }
}

fn jpeg(w: u32, h: u32, seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x / 4) as u8 ^ seed, (y / 2) as u8, 128u8.wrapping_add(seed)])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(w, h, |x, y| image::Rgba([200, x as u8, y as u8, 255]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

const DISTRICTS: &[&str] = &["张店区", "淄川区", "博山区", "临淄区", "周村区", "桓台县", "高青县", "沂源县"];

fn sample() -> Report {
    let rows: Vec<Vec<String>> = DISTRICTS
        .iter()
        .enumerate()
        .map(|(i, d)| {
            vec![
                d.to_string(),
                (40 + i * 9).to_string(),
                format!("{},{:03}", 2 + i, i * 111),
                format!("{:.1}%", 60.0 + i as f64 * 3.5),
                if i == 3 { "鑫达社区试点“反诈板凳会”进楼栋".into() } else { String::new() },
            ]
        })
        .collect();
    Report {
        title: "淄博市反诈宣传工作报告".into(),
        subtitle: "（2026年第四季度）".into(),
        issuer: "淄博市公安局反诈中心".into(),
        date_text: "2026年12月31日".into(),
        period_text: "2026年10月1日至12月31日".into(),
        sections: vec![
            ReportSection {
                heading: "一、总体情况".into(),
                paragraphs: vec![
                    "本季度全市共开展反诈宣传活动852场，覆盖群众65,990人次，鑫达社区经验在全市推广。".repeat(3),
                    "从辖区发案情况看，电信网络诈骗立案数同比下降12.4%。".into(),
                ],
                tables: vec![],
                charts: vec![],
            },
            ReportSection {
                heading: "二、分区县开展情况".into(),
                paragraphs: vec!["各区县开展情况见表1。".into()],
                tables: vec![ReportTable {
                    title: "表1  各区县宣传开展情况".into(),
                    columns: s(&["区县", "开展场次", "覆盖人次", "覆盖率", "备注"]),
                    rows,
                    total: Some(s(&["合计", "412", "23,108", "72.3%", ""])),
                }],
                charts: vec![BarChart {
                    title: "图1  各区县覆盖人次".into(),
                    labels: s(DISTRICTS),
                    series: vec![ChartSeries {
                        name: "覆盖人次".into(),
                        values: (0..8).map(|i| 2000.0 + i as f64 * 1111.0).collect(),
                    }],
                    unit: "人次".into(),
                }],
            },
        ],
        photos: vec![ReportPhoto {
            image: jpeg(640, 480, 1), caption: "11月28日 临淄区鑫达社区“反诈板凳会”".into()
        }],
        audit_anchor: "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90".into(),
    }
}

// ---- tests --------------------------------------------------------------------------

#[test]
fn report_text_comes_back() {
    let r = sample();
    let pdf = report(&r).unwrap();
    dump("report_text_comes_back-0", &pdf);
    let t = norm(&text(&pdf));
    for want in [
        "淄博市反诈宣传工作报告",
        "（2026年第四季度）",
        "淄博市公安局反诈中心·2026年12月31日",
        "统计时段：2026年10月1日至12月31日",
        "一、总体情况",
        "二、分区县开展情况",
        "表1各区县宣传开展情况",
        "淄川区",
        "鑫达社区试点",
        "23,108",
        "72.3%",
        "合计",
        "图1各区县覆盖人次",
        "附：活动照片",
        "11月28日临淄区鑫达社区“反诈板凳会”",
    ] {
        assert!(t.contains(&norm(want)), "missing {want:?} in {t}");
    }
    // One embedded subset font with a ToUnicode map.
    let fonts = tool("pdffonts", &[], &pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 1, "{fonts}");
    assert!(rows[0].contains('+') && rows[0].contains("yes yes yes"), "{fonts}");
    // "— N —" on every page.
    let pt = pages_text(&pdf);
    assert_eq!(pt.len(), pages(&pdf));
    for (i, p) in pt.iter().enumerate() {
        assert!(norm(p).contains(&format!("—{}—", i + 1)), "page {}: {p}", i + 1);
        // The audit anchor in every footer: its first 16 digits, not the whole hash.
        assert!(norm(p).contains("审计链a1b2c3d4e5f60718…"), "page {}: {p}", i + 1);
        assert!(!norm(p).contains("a1b2c3d4e5f60718293a"), "page {}: {p}", i + 1);
    }
    assert_inside_margins(&pdf);
}

#[test]
fn numbers_are_right_aligned_and_headers_centred() {
    let pdf = report(&sample()).unwrap();
    dump("numbers_are_right_aligned_and_headers_centred-0", &pdf);
    let (ws, _, _) = words(&pdf);
    // The percentages of the 覆盖率 column end at the same x.
    let pct: Vec<&Word> = ws
        .iter()
        .filter(|w| w.page == 1 && w.text.ends_with('%') && w.text.starts_with(['6', '7', '8']))
        .filter(|w| w.text.len() <= 6)
        .collect();
    assert!(pct.len() >= 8, "{pct:?}");
    let right = pct[0].x1;
    for w in &pct {
        assert!((w.x1 - right).abs() < 0.6, "not right-aligned: {w:?} vs {right}");
    }
    // The district names start at the same x (left-aligned).
    let names: Vec<&Word> = ws.iter().filter(|w| w.page == 1 && DISTRICTS.contains(&w.text.as_str())).collect();
    assert!(names.len() >= 8, "{names:?}");
    for w in &names {
        assert!((w.x0 - names[0].x0).abs() < 0.6, "{w:?}");
    }
}

#[test]
fn table_of_400_rows_repeats_its_header_on_every_page() {
    let rows: Vec<Vec<String>> = (1..=400)
        .map(|i| {
            vec![
                i.to_string(),
                format!("鑫达社区第{i:03}网格"),
                format!("{}", 100 + i * 7),
                format!("{:.1}%", (i % 100) as f64),
            ]
        })
        .collect();
    let r = Report {
        title: "淄博市临淄区网格宣传明细".into(),
        sections: vec![ReportSection {
            heading: "附表".into(),
            tables: vec![ReportTable {
                title: "附表1  各网格开展情况".into(),
                columns: s(&["序号", "网格名称", "覆盖人次", "覆盖率"]),
                rows,
                total: Some(s(&["", "合计", "563,500", "49.5%"])),
            }],
            ..Default::default()
        }],
        ..Default::default()
    };
    let pdf = report(&r).unwrap();
    dump("table_of_400_rows_repeats_its_header_on_every_page-0", &pdf);
    let n = pages(&pdf);
    assert!((10..=20).contains(&n), "{n} pages");
    let pt = pages_text(&pdf);
    assert_eq!(pt.len(), n);
    let mut next = 1;
    for (i, p) in pt.iter().enumerate() {
        let np = norm(p);
        for h in ["序号", "网格名称", "覆盖人次", "覆盖率"] {
            assert!(np.contains(h), "page {} lacks header {h}", i + 1);
        }
        if i > 0 {
            assert!(np.contains("附表1各网格开展情况（续）"), "page {}", i + 1);
        }
        assert!(np.contains(&format!("—{}—", i + 1)));
        // Rows continue in order, none lost or repeated.
        while np.contains(&format!("鑫达社区第{next:03}网格")) {
            next += 1;
        }
    }
    assert_eq!(next, 401, "rows missing after {}", next - 1);
    let last = norm(&pt[n - 1]);
    assert!(last.contains("合计") && last.contains("563,500"), "{last}");
    assert_inside_margins(&pdf);
}

#[test]
fn wide_tables_fit_the_width() {
    for ncols in [9usize, 12, 40] {
        let columns: Vec<String> =
            (0..ncols).map(|c| if c == 0 { "区县（市、区）".into() } else { format!("指标{c}（人次）") }).collect();
        let rows: Vec<Vec<String>> = (0..30)
            .map(|r| {
                (0..ncols)
                    .map(|c| match c {
                        0 => DISTRICTS[r % DISTRICTS.len()].to_string(),
                        1 => "鑫达社区试点“反诈板凳会”进楼栋，网格员一对一回访".into(),
                        _ => format!("{},{:03}", r + c, (r * c) % 1000),
                    })
                    .collect()
            })
            .collect();
        let r = Report {
            title: "宽表".into(),
            sections: vec![ReportSection {
                heading: "一、宽表".into(),
                tables: vec![ReportTable { title: format!("表1  {ncols}列"), columns, rows, total: None }],
                ..Default::default()
            }],
            ..Default::default()
        };
        let pdf = report(&r).unwrap();
        dump(&format!("wide_tables_fit_the_width-{ncols}"), &pdf);
        assert_inside_margins(&pdf);
        let t = norm(&text(&pdf));
        assert!(t.contains(&format!("表1{ncols}列")), "{ncols} columns");
        if ncols <= 12 {
            assert!(t.contains("淄川区") && t.contains("29,"), "{ncols} columns");
        }
    }
}

#[test]
fn charts_survive_zero_huge_negative_and_crowded_data() {
    let labels30: Vec<String> = (0..30).map(|i| format!("淄博市临淄区鑫达社区第{i}网格")).collect();
    let charts = vec![
        BarChart {
            title: "图1  全部为零".into(),
            labels: s(&["张店区", "淄川区", "博山区"]),
            series: vec![ChartSeries { name: "人次".into(), values: vec![0.0, 0.0, 0.0] }],
            unit: "人次".into(),
        },
        BarChart {
            title: "图2  一个极大值".into(),
            labels: s(&["张店区", "淄川区", "博山区", "临淄区"]),
            series: vec![ChartSeries { name: "人次".into(), values: vec![3.0, 1.0e9, 12.0, 0.0] }],
            unit: "人次".into(),
        },
        BarChart {
            title: "图3  同比增长（含负值）".into(),
            labels: s(&["10月", "11月", "12月"]),
            series: vec![
                ChartSeries { name: "立案数".into(), values: vec![-12.5, 3.0, -40.0] },
                ChartSeries { name: "损失金额".into(), values: vec![8.0, -2.5, f64::NAN] },
                ChartSeries { name: "劝阻".into(), values: vec![f64::INFINITY, 55.5, 20.0] },
            ],
            unit: "%".into(),
        },
        BarChart {
            title: "图4  三十个网格".into(),
            labels: labels30.clone(),
            series: vec![
                ChartSeries { name: "开展场次".into(), values: (0..30).map(|i| (i * 37 % 50) as f64).collect() },
                ChartSeries { name: "走访户数".into(), values: (0..30).map(|i| (i * 53 % 300) as f64).collect() },
            ],
            unit: "".into(),
        },
        BarChart {
            title: "图5  两百个类别".into(),
            labels: (0..250).map(|i| format!("Grid-{i}")).collect(),
            series: vec![ChartSeries { name: "x".into(), values: (0..250).map(|i| i as f64).collect() }],
            unit: "户".into(),
        },
        BarChart { title: "图6  无数据".into(), ..Default::default() },
        BarChart {
            title: "图7  值多于标签".into(),
            labels: s(&["甲"]),
            series: (0..8).map(|k| ChartSeries { name: String::new(), values: vec![k as f64; 5] }).collect(),
            unit: "人".into(),
        },
    ];
    let r = Report {
        title: "图表".into(),
        sections: vec![ReportSection { heading: "三、图表".into(), charts, ..Default::default() }],
        ..Default::default()
    };
    let pdf = report(&r).unwrap();
    dump("charts_survive_zero_huge_negative_and_crowded_data-0", &pdf);
    let t = norm(&text(&pdf));
    for want in [
        "图1全部为零",
        "图2一个极大值",
        "图3同比增长（含负值）",
        "图4三十个网格",
        "图5两百个类别",
        "图6无数据",
        "图7值多于标签",
        "10亿", // the huge value, written in 亿
        "-40%", // a negative percentage
        "（暂无数据）",
        "张店区",
    ] {
        assert!(t.contains(want), "missing {want:?}");
    }
    // Nice tick values: 0 and round steps.
    let raw = text(&pdf);
    assert!(raw.contains("1,000") || raw.contains("2亿"), "ticks: {raw}");
    assert_inside_margins(&pdf);
}

#[test]
fn empty_report_still_renders_one_page() {
    let pdf = report(&Report::default()).unwrap();
    dump("empty_report_still_renders_one_page-0", &pdf);
    assert_eq!(pages(&pdf), 1);
    let t = text(&pdf);
    assert!(t.contains(REPORT_DEFAULT_TITLE) && norm(&t).contains("—1—"), "{t}");
    // Empty sections, tables and charts are harmless too.
    let r = Report {
        title: "  ".into(),
        sections: vec![
            ReportSection::default(),
            ReportSection {
                heading: "一、空".into(),
                paragraphs: vec![String::new(), " \n ".into()],
                tables: vec![ReportTable::default()],
                charts: vec![BarChart::default()],
            },
        ],
        ..Default::default()
    };
    let pdf = report(&r).unwrap();
    dump("empty_report_still_renders_one_page-1", &pdf);
    assert_eq!(pages(&pdf), 1);
    assert!(norm(&text(&pdf)).contains("一、空"));
}

#[test]
fn bad_photos_are_skipped_with_their_caption() {
    let good = jpeg(320, 240, 7);
    let r = Report {
        title: "照片".into(),
        photos: vec![
            ReportPhoto { image: good.clone(), caption: "好照片甲".into() },
            ReportPhoto { image: b"not a photo at all".to_vec(), caption: "坏照片乙".into() },
            ReportPhoto { image: Vec::new(), caption: "空照片丙".into() },
            ReportPhoto { image: good[..good.len() / 3].to_vec(), caption: "截断照片丁".into() },
            ReportPhoto { image: png(300, 400), caption: "竖幅照片戊".into() },
            ReportPhoto { image: good.clone(), caption: "同一张照片己".into() },
            ReportPhoto { image: jpeg(400, 300, 9), caption: "第二页照片庚".into() },
        ],
        ..Default::default()
    };
    let pdf = report(&r).unwrap();
    dump("bad_photos_are_skipped_with_their_caption-0", &pdf);
    assert_eq!(pages(&pdf), 3, "title page, then 6 + 1 photos");
    let t = norm(&text(&pdf));
    for c in [
        "好照片甲",
        "坏照片乙",
        "空照片丙",
        "截断照片丁",
        "竖幅照片戊",
        "同一张照片己",
        "第二页照片庚",
        "附：活动照片（续）",
    ] {
        assert!(t.contains(c), "missing {c}");
    }
    let unavailable = t.matches(PHOTO_UNAVAILABLE).count();
    assert!((2..=3).contains(&unavailable), "{unavailable} placeholders");
    // Images embedded once each: the good JPEG (used twice), the PNG, the other JPEG.
    let list = tool("pdfimages", &["-list"], &pdf);
    let rows: Vec<Vec<&str>> = list.lines().skip(2).map(|l| l.split_whitespace().collect()).collect();
    assert!(rows.iter().any(|r| r[3] == "320" && r[4] == "240" && r[8] == "jpeg"), "{list}");
    assert!(rows.iter().any(|r| r[3] == "300" && r[4] == "400"), "{list}");
    // A small baseline JPEG is embedded as it is (no second generation loss).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let st = Command::new("pdfimages").arg("-j").arg(&path).arg(dir.path().join("img")).status().unwrap();
    assert!(st.success());
    let embedded: Vec<Vec<u8>> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().map(|x| x == "jpg").unwrap_or(false))
        .map(|e| std::fs::read(e.path()).unwrap())
        .collect();
    assert!(embedded.contains(&good), "original JPEG bytes not embedded");
    assert_inside_margins(&pdf);
}

#[test]
fn fifty_page_report_with_long_table_charts_and_photos() {
    let mut r = sample();
    let rows: Vec<Vec<String>> = (0..1500)
        .map(|i| {
            vec![
                format!("淄川区鑫达社区第{i}网格"),
                (i % 9 + 1).to_string(),
                format!("{}", 100 + i * 3),
                format!("{:.1}%", (i % 1000) as f64 / 10.0),
                (i % 120).to_string(),
            ]
        })
        .collect();
    let c0 = r.sections[1].charts[0].clone();
    r.sections.push(ReportSection {
        heading: "附表  各网格开展情况".into(),
        tables: vec![ReportTable {
            title: "附表  各网格开展情况".into(),
            columns: s(&["网格", "开展场次", "覆盖人次", "覆盖率", "走访户数"]),
            rows,
            total: None,
        }],
        charts: (0..3).map(|k| BarChart { title: format!("图{}  附图", k + 2), ..c0.clone() }).collect(),
        ..Default::default()
    });
    r.photos = (0..12).map(|i| ReportPhoto { image: jpeg(800, 600, i as u8), caption: format!("照片{i}") }).collect();
    let t = std::time::Instant::now();
    let pdf = report(&r).unwrap();
    dump("fifty_page_report_with_long_table_charts_and_photos-0", &pdf);
    let ms = t.elapsed().as_millis();
    let n = pages(&pdf);
    assert!((40..=70).contains(&n), "{n} pages");
    assert_eq!(page_count(&pdf), n);
    let pt = pages_text(&pdf);
    for (i, p) in pt.iter().enumerate() {
        assert!(norm(p).contains(&format!("—{}—", i + 1)), "page {}", i + 1);
    }
    let all = norm(&pt.concat());
    assert!(all.contains("淄川区鑫达社区第1499网格") && all.contains("照片11") && all.contains("图4附图"));
    // Generous: debug build, shared machine. The release figure is in examples/bench.rs.
    assert!(ms < 20_000, "{ms} ms");
    assert_inside_margins(&pdf);
}

#[test]
fn odd_input_never_panics() {
    let huge = "反诈宣传Anti-fraud 🚨\u{0007}\t\r\n".repeat(3_000);
    let r = Report {
        title: huge.clone(),
        subtitle: huge.chars().take(500).collect(),
        issuer: huge.chars().take(300).collect(),
        date_text: "x".repeat(400),
        period_text: huge.chars().take(200).collect(),
        audit_anchor: huge.chars().take(100).collect(),
        sections: vec![ReportSection {
            heading: huge.chars().take(300).collect(),
            paragraphs: vec![huge.clone(), "x".repeat(5_000)],
            tables: vec![ReportTable {
                title: huge.chars().take(300).collect(),
                columns: vec![huge.clone(); 3],
                rows: vec![vec![huge.clone(), "1".repeat(400), String::new()], vec![], vec!["只有一格".into()]],
                total: Some(vec!["合计".into(); 50]),
            }],
            charts: vec![BarChart {
                title: huge.chars().take(300).collect(),
                labels: vec![huge.chars().take(200).collect(); 3],
                series: vec![ChartSeries {
                    name: huge.chars().take(200).collect(),
                    values: vec![f64::MAX, f64::MIN, -0.0],
                }],
                unit: huge.chars().take(100).collect(),
            }],
        }],
        photos: vec![ReportPhoto { image: vec![0xFF, 0xD8, 0xFF], caption: huge.clone() }],
    };
    let pdf = report(&r).unwrap();
    dump("odd_input_never_panics-0", &pdf);
    assert!(pages(&pdf) >= 3);
    let (ws, w, h) = words(&pdf);
    for x in &ws {
        assert!(x.x0 >= 0.0 && x.y0 >= 0.0 && x.x1 <= w + 0.01 && x.y1 <= h + 0.01, "{x:?}");
    }
}

#[test]
fn report_model_round_trips_through_json() {
    let r = sample();
    let json = serde_json::to_string(&r).unwrap();
    for key in ["\"dateText\"", "\"periodText\"", "\"sections\"", "\"charts\"", "\"unit\""] {
        assert!(json.contains(key), "{key}");
    }
    let back: Report = serde_json::from_str(&json).unwrap();
    assert_eq!(back, r);
    let partial: Report =
        serde_json::from_str(r#"{"title":"报告","sections":[{"heading":"一、总体情况","tables":[{"rows":[["1"]]}]}]}"#)
            .unwrap();
    assert_eq!(partial.sections[0].tables[0].total, None);
}

/// A page is not spent on one chart: small charts (a few categories, one or two series) go
/// two to a row, and one a little too tall for the rest of a page is drawn a little lower.
#[test]
fn small_charts_pack_onto_one_page() {
    let small = |title: &str, series: usize| BarChart {
        title: title.into(),
        labels: s(&["临淄区", "张店区", "桓台县"]),
        series: (0..series)
            .map(|k| ChartSeries { name: format!("系列{k}"), values: vec![517.0, 493.0 + k as f64, 850.0] })
            .collect(),
        unit: "人次".into(),
    };
    let r = Report {
        title: "图表".into(),
        sections: vec![
            ReportSection {
                heading: "一、总体情况".into(),
                paragraphs: vec!["本期开展宣传。".repeat(25)],
                ..Default::default()
            },
            ReportSection {
                heading: "三、图表".into(),
                charts: vec![small("图1  甲", 1), small("图2  乙", 2), small("图3  丙", 1)],
                ..Default::default()
            },
        ],
        ..Default::default()
    };
    let pdf = report(&r).unwrap();
    dump("small_charts_pack_onto_one_page", &pdf);
    assert_eq!(pages(&pdf), 1, "three small charts and a paragraph fit one page");
    let (ws, _, _) = words(&pdf);
    let caption = |t: &str| ws.iter().find(|w| w.text == t).unwrap_or_else(|| panic!("caption {t}"));
    let (one, two, three) = (caption("图1"), caption("图2"), caption("图3"));
    assert!((one.y0 - two.y0).abs() < 1.0 && one.x0 < two.x0, "图1 and 图2 side by side: {one:?} {two:?}");
    assert!(three.y0 > one.y0 + 50.0, "图3 on the next row");
    assert_inside_margins(&pdf);
}
