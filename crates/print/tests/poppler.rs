//! End-to-end checks of the PDFs with the real poppler tools (pdffonts, pdftotext,
//! pdfinfo, pdfimages from poppler-utils).

use std::collections::BTreeSet;
use std::process::Command;

use outreach_print::text::{is_no_end, is_no_start};
use outreach_print::*;

// ---- helpers ------------------------------------------------------------------------

/// Run a poppler tool on the PDF bytes; returns stdout.
fn tool(name: &str, args: &[&str], pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new(name)
        .args(args)
        .arg(&path)
        .args(if name == "pdftotext" { &["-"][..] } else { &[][..] })
        .output()
        .unwrap_or_else(|e| panic!("{name} not runnable (install poppler-utils): {e}"));
    assert!(out.status.success(), "{name} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn text(pdf: &[u8]) -> String {
    tool("pdftotext", &["-enc", "UTF-8"], pdf)
}

fn page_text(pdf: &[u8], page: usize) -> String {
    let p = page.to_string();
    tool("pdftotext", &["-enc", "UTF-8", "-f", &p, "-l", &p], pdf)
}

/// Without any whitespace (wrapped lines, letter-spacing).
fn norm(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn info(pdf: &[u8]) -> (usize, f64, f64) {
    let out = tool("pdfinfo", &[], pdf);
    let pages =
        out.lines().find_map(|l| l.strip_prefix("Pages:")).map(|v| v.trim().parse().unwrap()).expect("Pages line");
    let size = out.lines().find_map(|l| l.strip_prefix("Page size:")).expect("Page size line");
    let nums: Vec<f64> = size.split_whitespace().filter_map(|t| t.parse().ok()).collect();
    (pages, nums[0], nums[1])
}

/// Every word `pdftotext -bbox` reports lies inside its page.
fn assert_inside_pages(pdf: &[u8]) {
    let html = tool("pdftotext", &["-bbox", "-enc", "UTF-8"], pdf);
    let attr = |tag: &str, name: &str| -> f64 {
        let key = format!("{name}=\"");
        let i = tag.find(&key).unwrap_or_else(|| panic!("{name} in {tag}")) + key.len();
        tag[i..].split('"').next().unwrap().parse().unwrap()
    };
    let (mut w, mut h) = (0.0, 0.0);
    let mut words = 0;
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            w = attr(line, "width");
            h = attr(line, "height");
        } else if line.starts_with("<word ") {
            words += 1;
            let (x0, y0, x1, y1) = (attr(line, "xMin"), attr(line, "yMin"), attr(line, "xMax"), attr(line, "yMax"));
            assert!(
                x0 >= 0.0 && y0 >= 0.0 && x1 <= w + 0.01 && y1 <= h + 0.01,
                "word outside the page ({w}×{h}): {line}"
            );
        }
    }
    assert!(words > 0, "no words found");
}

fn png_logo() -> Vec<u8> {
    let img = image::RgbaImage::from_fn(120, 60, |x, y| {
        if (x + y) % 17 < 3 {
            image::Rgba([0, 0, 0, 0])
        } else {
            image::Rgba([200, (x * 2) as u8, (y * 4) as u8, 255])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn jpeg_photo() -> Vec<u8> {
    let img = image::RgbImage::from_fn(800, 500, |x, y| image::Rgb([(x / 4) as u8, (y / 2) as u8, 128]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

const TITLE: &str = "淄博市临淄区鑫达社区反诈板凳会";

fn tips() -> Vec<String> {
    vec![
        "凡是自称“公检法”要求转账到“安全账户”的，都是诈骗。".into(),
        "不轻信陌生来电、短信中的“退款”“理赔”，不点击不明链接。".into(),
        "网上刷单、刷信誉都是违法行为，“先返利后骗钱”是常见套路。".into(),
        "鑫达社区的淄川籍老人请注意：冒充子女借钱的电话先核实再转账。".into(),
    ]
}

fn sample(paper: Paper) -> Flyer {
    Flyer {
        paper,
        title: TITLE.into(),
        kind_label: "反诈板凳会".into(),
        time_text: "2026年11月28日 周六 09:00–10:30".into(),
        place: "鑫达社区文化广场".into(),
        organiser: "临淄区公安分局辛店派出所".into(),
        speakers: vec!["王警官".into(), "李淑芬".into()],
        tips: tips(),
        hotlines: vec![("96110".into(), "反诈预警劝阻专线".into()), ("110".into(), "报警电话".into())],
        qr_text: Some("https://example.cn/fanzha/xinda".into()),
        qr_caption: "扫码关注“平安临淄”".into(),
        logo: Some(png_logo()),
        photo: None,
    }
}

fn signin_sample(rows: u32, phone: bool) -> SignIn {
    SignIn {
        title: TITLE.into(),
        kind_label: "反诈板凳会".into(),
        time_text: "2026年11月28日 周六 09:00–10:30".into(),
        place: "鑫达社区文化广场".into(),
        organiser: "辛店派出所".into(),
        speakers: vec!["王警官".into()],
        rows,
        with_phone_column: phone,
    }
}

// ---- fonts ------------------------------------------------------------------------

#[test]
fn font_is_embedded_as_subset_with_tounicode() {
    let pdf = flyer(&sample(Paper::A4)).unwrap();
    let out = tool("pdffonts", &[], &pdf);
    let rows: Vec<&str> = out.lines().skip(2).filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(rows.len(), 1, "exactly one font expected:\n{out}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let name = cols[0];
        let (prefix, rest) = name.split_once('+').unwrap_or_else(|| panic!("no subset prefix: {name}"));
        assert!(prefix.len() == 6 && prefix.chars().all(|c| c.is_ascii_uppercase()), "subset tag {prefix}");
        assert!(rest.contains("NotoSans"), "{name}");
        // ... emb sub uni object ID
        let n = cols.len();
        assert_eq!(&cols[n - 5..n - 2], &["yes", "yes", "yes"], "emb/sub/uni in: {row}");
    }
}

// ---- text -------------------------------------------------------------------------

#[test]
fn text_comes_back_exactly_including_rare_characters() {
    let f = sample(Paper::A4);
    let pdf = flyer(&f).unwrap();
    let t = norm(&text(&pdf));
    assert!(t.contains(&norm(TITLE)), "title missing in {t}");
    assert!(t.contains('淄') && t.contains('鑫'));
    for tip in &f.tips {
        assert!(t.contains(&norm(tip)), "tip missing: {tip}\nin {t}");
    }
    for s in [
        "反诈板凳会",
        "2026年11月28日周六09:00–10:30",
        "鑫达社区文化广场",
        "96110",
        "110",
        "反诈预警劝阻专线",
        "防骗提示",
        "王警官、李淑芬",
    ] {
        assert!(t.contains(s), "{s} missing in {t}");
    }
    assert_inside_pages(&pdf);
}

#[test]
fn rendered_lines_respect_kinsoku() {
    let mut f = sample(Paper::A5);
    f.tips = vec![
        "接到自称“客服”的电话，说您的快递丢失要理赔，并要求您下载会议软件、开启屏幕共享的，一定是诈骗！请立即挂断。"
            .into(),
        "“刷单返利”“网络贷款”“冒充客服”“冒充公检法”“虚假投资理财”是五类高发案件（占比超过八成），务必提高警惕。".into(),
    ];
    let pdf = flyer(&f).unwrap();
    let t = text(&pdf);
    let mut checked = 0;
    for line in t.lines().map(str::trim).filter(|l| l.chars().count() > 3) {
        let first = line.chars().next().unwrap();
        let last = line.chars().last().unwrap();
        assert!(!is_no_start(first), "line starts with {first}: {line}");
        assert!(!is_no_end(last), "line ends with {last}: {line}");
        checked += 1;
    }
    assert!(checked > 10);
    for tip in &f.tips {
        assert!(norm(&t).contains(&norm(tip)));
    }
}

// ---- sizes and pages -------------------------------------------------------------------

#[test]
fn page_sizes_a4_and_a5() {
    let pdf = flyer(&sample(Paper::A4)).unwrap();
    let (pages, w, h) = info(&pdf);
    assert_eq!(pages, 1);
    assert_eq!(page_count(&pdf), 1);
    assert!((595.0..596.0).contains(&w) && (841.0..842.0).contains(&h), "A4 is {w}×{h}");

    let pdf = flyer(&sample(Paper::A5)).unwrap();
    let (pages, w, h) = info(&pdf);
    assert_eq!(pages, 1);
    assert!((419.0..420.0).contains(&w) && (595.0..596.0).contains(&h), "A5 is {w}×{h}");
    assert_inside_pages(&pdf);
}

#[test]
fn a_120_character_title_fits() {
    let title: String = "淄博市临淄区鑫达社区关于开展“全民反诈、守护平安”电信网络诈骗防范宣传进社区（第一百二十期）板凳会暨老年人防骗知识讲座"
        .chars()
        .cycle()
        .take(120)
        .collect();
    assert_eq!(title.chars().count(), 120);
    for (paper, pages) in [(Paper::A4, 1), (Paper::A5, 1)] {
        let mut f = sample(paper);
        f.title = title.clone();
        let pdf = flyer(&f).unwrap();
        assert_eq!(info(&pdf).0, pages, "{paper:?}");
        let t = norm(&text(&pdf));
        assert!(t.contains(&norm(&title)), "{paper:?}: title not found whole in {t}");
        for tip in &f.tips {
            assert!(t.contains(&norm(tip)));
        }
        assert_inside_pages(&pdf);
    }
}

#[test]
fn overflow_goes_to_a_second_page_not_off_the_edge() {
    let mut f = sample(Paper::A5);
    f.tips = (1..=14).map(|i| format!("第{i}条：{}", tips()[i % 4])).collect();
    let pdf = flyer(&f).unwrap();
    let (pages, _, _) = info(&pdf);
    assert!(pages >= 2, "expected overflow to another page, got {pages}");
    let t = norm(&text(&pdf));
    for tip in &f.tips {
        assert!(t.contains(&norm(tip)), "{tip}");
    }
    assert!(t.contains("96110"));
    assert_inside_pages(&pdf);
}

#[test]
fn one_page_flyer_is_small() {
    let pdf = flyer(&sample(Paper::A4)).unwrap();
    assert!(pdf.len() < 300 * 1024, "flyer is {} bytes", pdf.len());
    let mut f = sample(Paper::A4);
    f.photo = Some(jpeg_photo());
    let pdf = flyer(&f).unwrap();
    assert_eq!(info(&pdf).0, 1);
    assert!(pdf.len() < 300 * 1024, "flyer with photo is {} bytes", pdf.len());
}

// ---- sign-in sheet ---------------------------------------------------------------------

#[test]
fn signin_100_rows_spans_expected_pages() {
    let s = signin_sample(100, true);
    let lay = signin_layout(&s).unwrap();
    assert!((20..=30).contains(&lay.rows_per_page), "{lay:?}");
    assert_eq!(lay.pages, 100usize.div_ceil(lay.rows_per_page));
    assert_eq!(lay.pages, 4, "{lay:?}");
    let pdf = signin(&s).unwrap();
    let (pages, w, h) = info(&pdf);
    assert_eq!(pages, lay.pages);
    assert!((595.0..596.0).contains(&w) && (841.0..842.0).contains(&h));

    let numbers: BTreeSet<u32> = text(&pdf).split_whitespace().filter_map(|t| t.parse().ok()).collect();
    for n in 1..=100 {
        assert!(numbers.contains(&n), "row {n} missing");
    }
    for p in 1..=pages {
        let t = norm(&page_text(&pdf, p));
        assert!(t.contains(&norm(TITLE)), "header missing on page {p}");
        for col in ["序号", "姓名", "单位或住址", "联系电话", "签名"] {
            assert!(t.contains(col), "{col} missing on page {p}");
        }
        assert!(t.contains(&format!("第{p}页共{pages}页")), "footer on page {p}: {t}");
    }
    assert_inside_pages(&pdf);
}

#[test]
fn signin_minimum_rows_and_optional_phone_column() {
    let s = signin_sample(0, false);
    let pdf = signin(&s).unwrap();
    assert_eq!(info(&pdf).0, 1);
    let t = text(&pdf);
    let numbers: BTreeSet<u32> = t.split_whitespace().filter_map(|t| t.parse().ok()).collect();
    assert!((1..=20).all(|n| numbers.contains(&n)), "at least 20 rows");
    assert!(!t.contains("联系电话"));
    assert!(norm(&t).contains("签到表"));
}

// ---- grid cards ----------------------------------------------------------------------

#[test]
fn grid_cards_with_and_without_workers() {
    let items = vec![
        GridFlyer {
            grid_name: "鑫达社区第三网格".into(),
            unit_path: "淄博市 / 临淄区 / 辛店街道".into(),
            workers: vec![Worker { name: "张淑华".into(), phone_masked: "138****5678".into() }],
            tips: tips(),
            qr_text: Some("https://example.cn/grid/3".into()),
            qr_caption: "扫码联系网格员".into(),
            organiser: "鑫达社区居委会".into(),
            logo: Some(png_logo()),
        },
        GridFlyer {
            grid_name: "鑫达社区第四网格".into(),
            unit_path: "淄博市 / 临淄区 / 辛店街道".into(),
            workers: vec![],
            tips: tips(),
            qr_text: None,
            qr_caption: String::new(),
            organiser: "鑫达社区居委会".into(),
            logo: None,
        },
    ];
    let mut calls = Vec::new();
    let pdf = grid_flyers(&items, &mut |d, t| {
        calls.push((d, t));
        true
    })
    .unwrap();
    assert_eq!(calls, vec![(1, 2), (2, 2)]);
    assert_eq!(info(&pdf).0, 2);
    let p1 = norm(&page_text(&pdf, 1));
    assert!(p1.contains("鑫达社区第三网格") && p1.contains("张淑华") && p1.contains("138****5678"));
    assert!(p1.contains("淄博市/临淄区/辛店街道"));
    let p2 = norm(&page_text(&pdf, 2));
    assert!(p2.contains("鑫达社区第四网格"));
    assert!(p2.contains("本网格暂无登记网格员，请拨打96110咨询"), "{p2}");
    assert_inside_pages(&pdf);
}

// ---- images --------------------------------------------------------------------------

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A PNG whose header claims `w`×`h` pixels (but has almost no pixel data).
fn png_header(w: u32, h: u32) -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = b"IHDR".to_vec();
    chunk.extend_from_slice(&w.to_be_bytes());
    chunk.extend_from_slice(&h.to_be_bytes());
    chunk.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut push = |chunk: &[u8]| {
        v.extend_from_slice(&((chunk.len() - 4) as u32).to_be_bytes());
        v.extend_from_slice(chunk);
        v.extend_from_slice(&crc32(chunk).to_be_bytes());
    };
    push(&chunk);
    push(b"IDAT\x78\x9c\x03\x00\x00\x00\x00\x01");
    push(b"IEND");
    v
}

#[test]
fn invalid_images_are_refused_with_stable_codes() {
    let e = check_image(b"not an image").unwrap_err();
    assert_eq!(e.code(), "print.image_invalid");
    assert!(e.to_string().contains("图片"), "{e}");

    let mut f = sample(Paper::A4);
    f.logo = Some(b"not an image".to_vec());
    assert_eq!(flyer(&f).unwrap_err().code(), "print.image_invalid");

    // Truncated PNG, GIF, empty.
    let png = png_logo();
    assert_eq!(check_image(&png[..png.len() / 2]).unwrap_err().code(), "print.image_invalid");
    assert_eq!(check_image(b"GIF89a\x01\x00\x01\x00").unwrap_err().code(), "print.image_invalid");
    assert_eq!(check_image(b"").unwrap_err().code(), "print.image_invalid");

    // Too large: by bytes and by pixels.
    let mut big = png_logo();
    big.resize(MAX_IMAGE_BYTES + 1, 0);
    assert_eq!(check_image(&big).unwrap_err().code(), "print.image_too_large");
    assert_eq!(check_image(&png_header(10_000, 5_000)).unwrap_err().code(), "print.image_too_large");
    let mut f = sample(Paper::A4);
    f.photo = Some(png_header(10_000, 5_000));
    assert_eq!(flyer(&f).unwrap_err().code(), "print.image_too_large");
}

#[test]
fn real_png_logo_and_jpeg_photo_are_embedded() {
    check_image(&png_logo()).unwrap();
    check_image(&jpeg_photo()).unwrap();
    let mut f = sample(Paper::A4);
    f.photo = Some(jpeg_photo());
    let pdf = flyer(&f).unwrap();
    let list = tool("pdfimages", &["-list"], &pdf);
    let rows: Vec<Vec<&str>> = list.lines().skip(2).map(|l| l.split_whitespace().collect()).collect();
    // page num type width height color comp bpc enc ...
    assert!(rows.iter().any(|r| r[2] == "image" && r[8] == "jpeg"), "no JPEG photo:\n{list}");
    assert!(rows.iter().any(|r| r[2] == "smask"), "no transparent logo (smask):\n{list}");
    assert!(rows.iter().any(|r| r[2] == "image" && r[3] == "120" && r[4] == "60"), "logo at native size:\n{list}");
    assert_inside_pages(&pdf);
}

// ---- letters and certificates -------------------------------------------------------------

#[test]
fn letters_with_receipt_one_per_page_group() {
    let l = Letter {
        recipient: "淄博鑫达化工有限公司".into(),
        contact: "孙经理".into(),
        paragraphs: vec![
            "当前，电信网络诈骗犯罪高发多发，冒充领导、客户、财务人员实施的“冒充熟人”类诈骗已成为侵害企业财产安全的主要类型之一。".into(),
            "如发现可疑情况，请立即拨打96110或110咨询、报警。".into(),
        ],
        sender: "淄博市公安局临淄分局辛店派出所".into(),
        date_text: "2026年11月20日".into(),
    };
    let mut other = l.clone();
    other.recipient = "临淄鑫鑫商贸有限公司".into();
    let pdf = letters(&[l.clone(), other], &mut |_, _| true).unwrap();
    assert_eq!(info(&pdf).0, 2);
    let p1 = norm(&page_text(&pdf, 1));
    assert!(p1.contains("反电信网络诈骗告知书"));
    assert!(p1.contains("淄博鑫达化工有限公司："));
    for p in &l.paragraphs {
        assert!(p1.contains(&norm(p)), "{p}");
    }
    assert!(p1.contains("回执") && p1.contains("孙经理") && p1.contains("2026年11月20日"));
    assert!(norm(&page_text(&pdf, 2)).contains("临淄鑫鑫商贸有限公司"));
    assert_inside_pages(&pdf);
}

#[test]
fn certificate_text() {
    let c = Certificate {
        person: "李淑芬".into(),
        unit: "辛店街道鑫达社区".into(),
        from_text: "2026年1月1日".into(),
        to_text: "2026年12月31日".into(),
        hours: 36.5,
        sessions: 14,
        lines: (1..=40)
            .map(|i| format!("2026年{}月{}日 鑫达社区文化广场 反诈板凳会", 1 + i % 12, 1 + i % 28))
            .collect(),
        issuer: "淄博市公安局临淄分局辛店派出所".into(),
        date_text: "2026年12月31日".into(),
    };
    let pdf = certificate(&c).unwrap();
    let (pages, _, _) = info(&pdf);
    assert!(pages >= 2, "40 session lines should continue on page 2");
    let t = norm(&text(&pdf));
    for s in ["志愿服务证明", "李淑芬", "辛店街道鑫达社区", "14次", "36.5小时", "淄博市公安局临淄分局辛店派出所"]
    {
        assert!(t.contains(s), "{s} missing");
    }
    for l in &c.lines {
        assert!(t.contains(&norm(l)), "{l}");
    }
    assert_inside_pages(&pdf);
}

// ---- robustness ------------------------------------------------------------------------

#[test]
fn progress_can_cancel() {
    let items: Vec<Flyer> = (0..10).map(|_| sample(Paper::A5)).collect();
    let mut seen = 0;
    let e = flyers_batch(&items, &mut |d, t| {
        assert_eq!(t, 10);
        seen = d;
        d < 3
    })
    .unwrap_err();
    assert_eq!(e.code(), "print.cancelled");
    assert_eq!(seen, 3);
    let e = letters(&[Letter::default(), Letter::default()], &mut |_, _| false).unwrap_err();
    assert_eq!(e.code(), "print.cancelled");
}

#[test]
fn odd_input_never_panics() {
    // Defaults and empty strings.
    for pdf in [
        flyer(&Flyer::default()).unwrap(),
        flyer(&Flyer { paper: Paper::A5, ..Default::default() }).unwrap(),
        grid_flyers(&[GridFlyer::default()], &mut |_, _| true).unwrap(),
        grid_flyers(&[], &mut |_, _| true).unwrap(),
        flyers_batch(&[], &mut |_, _| true).unwrap(),
        signin(&SignIn::default()).unwrap(),
        letters(&[Letter::default()], &mut |_, _| true).unwrap(),
        letters(&[], &mut |_, _| true).unwrap(),
        certificate(&Certificate { hours: f64::NAN, ..Default::default() }).unwrap(),
    ] {
        assert!(info(&pdf).0 >= 1);
    }
    // Huge and strange text.
    let huge = "反诈宣传Anti-fraud 🚨\u{0007}\t\r\n".repeat(3_000);
    let f = Flyer {
        title: huge.clone(),
        kind_label: huge.clone(),
        place: huge.clone(),
        tips: vec![huge.clone(), "x".repeat(5_000), String::new()],
        hotlines: vec![("9".repeat(300), huge.clone())],
        qr_caption: huge.clone(),
        ..sample(Paper::A5)
    };
    let pdf = flyer(&f).unwrap();
    assert!(info(&pdf).0 >= 2);
    assert_inside_pages(&pdf);
    let s = SignIn { rows: u32::MAX, title: huge.chars().take(400).collect(), ..Default::default() };
    let lay = signin_layout(&s).unwrap();
    assert_eq!(lay.total_rows, lay.pages * lay.rows_per_page);
    assert!(lay.total_rows >= 5_000 && lay.total_rows < 5_000 + lay.rows_per_page);
    // QR text that no QR code can hold.
    let mut f = sample(Paper::A4);
    f.qr_text = Some("码".repeat(4_000));
    assert_eq!(flyer(&f).unwrap_err().code(), "print.internal");
    // Not a PDF.
    assert_eq!(page_count(b"hello"), 0);
}

#[test]
fn models_round_trip_through_json() {
    let f = sample(Paper::A5);
    let json = serde_json::to_string(&f).unwrap();
    assert!(json.contains("\"paper\":\"a5\"") && json.contains("\"kindLabel\""));
    let back: Flyer = serde_json::from_str(&json).unwrap();
    assert_eq!(back, f);
    let partial: SignIn = serde_json::from_str(r#"{"title":"板凳会","rows":30}"#).unwrap();
    assert_eq!(partial.rows, 30);
}

/// A PDF says when it was made, what it is and who issued it (printpdf's default creation date
/// is 1970-01-01, which a records office files as such).
#[test]
fn the_pdf_carries_its_real_date_title_and_author() {
    let pdf = flyer(&sample(Paper::A4)).unwrap();
    let out = tool("pdfinfo", &["-isodates"], &pdf);
    let field = |k: &str| out.lines().find_map(|l| l.strip_prefix(k)).map(|v| v.trim().to_string()).unwrap_or_default();
    let year = chrono::Utc::now().format("%Y").to_string();
    assert!(field("CreationDate:").starts_with(&year), "{out}");
    assert_eq!(field("Title:"), sample(Paper::A4).title);
    assert_eq!(field("Author:"), sample(Paper::A4).organiser);
    assert!(!field("Author:").is_empty());
}
