//! Benchmark: font load, one flyer, 1,000 personalised flyers in one PDF, a
//! ~50-page report (summary, 1,500-row table, 4 charts, 12 photos of ~200 KB).
//! `cargo run -p outreach-print --release --example bench [flyers.pdf [report.pdf]]`

use std::time::Instant;

use outreach_print::*;

#[path = "common/report_data.rs"]
mod report_data;

fn logo_png() -> Vec<u8> {
    let img = image::RgbaImage::from_fn(200, 200, |x, y| {
        let (cx, cy) = (x as f32 - 100.0, y as f32 - 100.0);
        if (cx * cx + cy * cy).sqrt() > 98.0 {
            image::Rgba([0, 0, 0, 0])
        } else {
            image::Rgba([0xC8, 0x1E, 0x28, 255])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

const COMMUNITIES: &[&str] = &["鑫达", "稷下", "齐都", "雪宫", "闻韶", "桓公", "淄江", "金岭", "皇城", "朱台"];
const NAMES: &[&str] =
    &["王建华", "李淑芬", "张鑫", "刘淄博", "陈晓燕", "赵国强", "孙丽", "周敏", "吴磊", "郑海涛", "冯雪", "褚卫东"];
const TIPS: &[&str] = &[
    "凡是自称“公检法”要求转账到“安全账户”的，都是诈骗。",
    "不轻信陌生来电、短信中的“退款”“理赔”，不点击不明链接。",
    "网上刷单、刷信誉都是违法行为，“先返利后骗钱”是常见套路。",
    "不出租、出借、出售自己的银行卡、电话卡和微信、支付宝账号。",
    "下载“国家反诈中心”App，遇到可疑情况及时拨打96110咨询。",
    "“网络贷款”先交保证金、解冻费的，都是诈骗。",
    "冒充领导、熟人要求转账，务必电话或当面核实。",
    "陌生人拉你进群炒股、买虚拟币“稳赚不赔”，千万别信。",
];

fn flyer_for(i: usize, logo: &[u8]) -> Flyer {
    let c = COMMUNITIES[i % COMMUNITIES.len()];
    let n = |k: usize| NAMES[(i * 7 + k) % NAMES.len()].to_string();
    Flyer {
        paper: if i % 5 == 4 { Paper::A5 } else { Paper::A4 },
        title: format!("淄博市临淄区{c}社区反诈板凳会（第{}场）", i + 1),
        kind_label: "反诈板凳会".into(),
        time_text: format!("2026年{}月{}日 周六 09:00–10:30", 1 + i % 12, 1 + i % 28),
        place: format!("{c}社区文化广场{}号凉亭", 1 + i % 9),
        organiser: format!("临淄区公安分局{c}派出所、{c}社区居委会"),
        speakers: vec![format!("{}警官", n(0)), format!("{}（志愿者）", n(1))],
        tips: (0..(3 + i % 3)).map(|k| TIPS[(i + k) % TIPS.len()].to_string()).collect(),
        hotlines: vec![("96110".into(), "反诈预警劝阻专线".into()), ("110".into(), "报警电话".into())],
        qr_text: Some(format!("https://example.cn/fanzha/{c}/{i}")),
        qr_caption: format!("扫码报名 · 联系人{}", n(2)),
        logo: Some(logo.to_vec()),
        photo: None,
    }
}

fn main() {
    let t = Instant::now();
    fonts().expect("font");
    println!("font load ms: {:.1}", t.elapsed().as_secs_f64() * 1000.0);

    let logo = logo_png();
    let t = Instant::now();
    let one = flyer(&flyer_for(0, &logo)).expect("flyer");
    println!("one flyer ms: {:.1}", t.elapsed().as_secs_f64() * 1000.0);
    println!("one flyer bytes: {}", one.len());

    let items: Vec<Flyer> = (0..1000).map(|i| flyer_for(i, &logo)).collect();
    let t = Instant::now();
    let mut calls = 0;
    let pdf = flyers_batch(&items, &mut |_, _| {
        calls += 1;
        true
    })
    .expect("batch");
    println!("1000 flyers ms: {:.1}", t.elapsed().as_secs_f64() * 1000.0);
    println!("pages: {}", page_count(&pdf));
    println!("bytes: {}", pdf.len());
    assert_eq!(calls, 1000);
    if let Some(out) = std::env::args().nth(1) {
        std::fs::write(out, &pdf).unwrap();
    }

    // The 50-page report: the summary section, the charts section (4 charts), a
    // 1,500-row appendix table and 12 photos.
    let mut r = report_data::sample_report(1500, 12);
    r.sections = vec![r.sections[0].clone(), r.sections[2].clone(), r.sections.last().unwrap().clone()];
    let photo_kb = r.photos.iter().map(|p| p.image.len()).sum::<usize>() / r.photos.len() / 1024;
    let mut times = Vec::new();
    let mut pdf = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        pdf = report(&r).expect("report");
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!("report ms (5 runs): min {:.1} median {:.1} max {:.1}", times[0], times[2], times[4]);
    println!("report pages: {}, bytes: {}, photos: 12 × ~{photo_kb} KB", page_count(&pdf), pdf.len());
    if let Some(out) = std::env::args().nth(2) {
        std::fs::write(out, &pdf).unwrap();
    }

    // The same with 12 phone originals (4000 × 3000), which are decoded and downscaled.
    for p in r.photos.iter_mut() {
        p.image = report_data::photo_jpeg(p.image.len() as u32, 4000, 3000);
    }
    let mb = r.photos.iter().map(|p| p.image.len()).sum::<usize>() as f64 / 1_048_576.0 / 12.0;
    let t = Instant::now();
    let pdf = report(&r).expect("report");
    println!(
        "report with 12 × 4000×3000 photos (~{mb:.1} MB each) ms: {:.1}, bytes: {}",
        t.elapsed().as_secs_f64() * 1000.0,
        pdf.len()
    );
}
