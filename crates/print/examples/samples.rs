//! Renders one of every document (and a sample report) into a folder (default `target/print-samples`).
//! `cargo run -p outreach-print --example samples -- OUT_DIR`

use outreach_print::*;

#[path = "common/report_data.rs"]
mod report_data;

fn logo_png() -> Vec<u8> {
    // A red round badge with a white shield-ish cross, transparent corners.
    let n = 240u32;
    let img = image::RgbaImage::from_fn(n, n, |x, y| {
        let (cx, cy) = (x as f32 - 120.0, y as f32 - 120.0);
        let d = (cx * cx + cy * cy).sqrt();
        if d > 118.0 {
            image::Rgba([0, 0, 0, 0])
        } else if d > 104.0 {
            image::Rgba([0xC8, 0x1E, 0x28, 255])
        } else if cx.abs() < 16.0 || cy.abs() < 16.0 {
            image::Rgba([0xF2, 0xC1, 0x4E, 255])
        } else {
            image::Rgba([0x1F, 0x3A, 0x93, 255])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn photo_jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_fn(1200, 700, |x, y| {
        let sky = y < 420;
        if sky {
            image::Rgb([(120 + x / 20) as u8, (170 + y / 10) as u8, 230])
        } else if (x / 60 + y / 60) % 2 == 0 {
            image::Rgb([200, 160, 120])
        } else {
            image::Rgb([180, 140, 100])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

pub fn sample_flyer(paper: Paper) -> Flyer {
    Flyer {
        paper,
        title: "淄博市临淄区鑫达社区反诈板凳会".into(),
        kind_label: "反诈板凳会".into(),
        time_text: "2026年11月28日 周六 09:00–10:30".into(),
        place: "鑫达社区文化广场（东门凉亭旁）".into(),
        organiser: "临淄区公安分局辛店派出所、鑫达社区居委会".into(),
        speakers: vec!["王警官（辛店派出所）".into(), "李淑芬（志愿者队长）".into()],
        tips: vec![
            "凡是自称“公检法”要求转账到“安全账户”的，都是诈骗。".into(),
            "不轻信陌生来电、短信中的“退款”“理赔”，不点击不明链接。".into(),
            "网上刷单、刷信誉都是违法行为，“先返利后骗钱”是常见套路。".into(),
            "不出租、出借、出售自己的银行卡、电话卡和微信、支付宝账号。".into(),
            "下载“国家反诈中心”App，遇到可疑情况及时拨打96110咨询。".into(),
        ],
        hotlines: vec![("96110".into(), "反诈预警劝阻专线".into()), ("110".into(), "报警电话".into())],
        qr_text: Some("https://example.cn/fanzha/xinda".into()),
        qr_caption: "扫码关注“平安临淄”".into(),
        logo: Some(logo_png()),
        photo: None,
    }
}

fn main() {
    let out = std::env::args().nth(1).unwrap_or_else(|| "target/print-samples".into());
    std::fs::create_dir_all(&out).unwrap();
    let w = |name: &str, bytes: Result<Vec<u8>, PrintError>| {
        let bytes = bytes.unwrap_or_else(|e| panic!("{name}: {} {e}", e.code()));
        println!("{name}: {} bytes, {} pages", bytes.len(), page_count(&bytes));
        std::fs::write(format!("{out}/{name}.pdf"), bytes).unwrap();
    };
    let f4 = sample_flyer(Paper::A4);
    w("flyer-a4", flyer(&f4));
    let mut f5 = sample_flyer(Paper::A5);
    f5.photo = Some(photo_jpeg());
    w("flyer-a5", flyer(&f5));
    let mut fp = sample_flyer(Paper::A4);
    fp.photo = Some(photo_jpeg());
    w("flyer-a4-photo", flyer(&fp));
    let mut long = sample_flyer(Paper::A4);
    long.title = "淄博市临淄区鑫达社区".repeat(12);
    w("flyer-long-title", flyer(&long));
    let mut long5 = sample_flyer(Paper::A5);
    long5.title = long.title.clone();
    w("flyer-a5-long-title", flyer(&long5));

    let grids = vec![
        GridFlyer {
            grid_name: "鑫达社区第三网格".into(),
            unit_path: "淄博市 / 临淄区 / 辛店街道 / 鑫达社区".into(),
            workers: vec![
                Worker { name: "张淑华".into(), phone_masked: "138****5678".into() },
                Worker { name: "刘建国".into(), phone_masked: "139****1024".into() },
                Worker { name: "赵鑫".into(), phone_masked: "0533-7****21".into() },
            ],
            tips: f4.tips[..4].to_vec(),
            qr_text: Some("https://example.cn/grid/3".into()),
            qr_caption: "扫码添加网格员企业微信".into(),
            organiser: "辛店街道鑫达社区居委会".into(),
            logo: Some(logo_png()),
        },
        GridFlyer {
            grid_name: "鑫达社区第四网格".into(),
            unit_path: "淄博市 / 临淄区 / 辛店街道 / 鑫达社区".into(),
            workers: vec![],
            tips: f4.tips[..3].to_vec(),
            qr_text: None,
            qr_caption: String::new(),
            organiser: "辛店街道鑫达社区居委会".into(),
            logo: None,
        },
    ];
    w("grid-flyers", grid_flyers(&grids, &mut |_, _| true));

    let s = SignIn {
        title: "淄博市临淄区鑫达社区反诈板凳会".into(),
        kind_label: "反诈板凳会".into(),
        time_text: "2026年11月28日 周六 09:00–10:30".into(),
        place: "鑫达社区文化广场".into(),
        organiser: "辛店派出所、鑫达社区居委会".into(),
        speakers: vec!["王警官".into(), "李淑芬".into()],
        rows: 60,
        with_phone_column: true,
    };
    w("signin", signin(&s));

    let l = Letter {
        recipient: "淄博鑫达化工有限公司".into(),
        contact: "孙经理".into(),
        paragraphs: vec![
            "当前，电信网络诈骗犯罪高发多发，冒充领导、客户、财务人员实施的“冒充熟人”类诈骗已成为侵害企业财产安全的主要类型之一。不法分子常通过添加QQ、微信好友，建立“工作群”，冒充企业负责人要求财务人员转账汇款。".into(),
            "为切实保护贵单位财产安全，根据《中华人民共和国反电信网络诈骗法》有关规定，现就有关事项告知如下：一是财务人员接到任何转账指令，务必通过电话或当面方式与负责人核实；二是严格执行大额资金审批制度，落实“双人复核”；三是组织员工下载“国家反诈中心”App，开启来电预警功能。".into(),
            "如发现可疑情况，请立即拨打96110或110咨询、报警。".into(),
            "特此告知。".into(),
        ],
        sender: "淄博市公安局临淄分局辛店派出所".into(),
        date_text: "2026年11月20日".into(),
    };
    w("letter", letters(&[l], &mut |_, _| true));

    let c = Certificate {
        person: "李淑芬".into(),
        unit: "辛店街道鑫达社区".into(),
        from_text: "2026年1月1日".into(),
        to_text: "2026年12月31日".into(),
        hours: 36.5,
        sessions: 14,
        lines: vec![
            "2026年3月15日 鑫达社区文化广场 反诈板凳会（2小时）".into(),
            "2026年5月20日 临淄区实验小学 校园反诈宣传（3小时）".into(),
            "2026年11月28日 鑫达社区文化广场 反诈板凳会（1.5小时）".into(),
        ],
        issuer: "淄博市公安局临淄分局辛店派出所".into(),
        date_text: "2026年12月31日".into(),
    };
    w("certificate", certificate(&c));

    w("report", report(&report_data::sample_report(0, 6)));
    let mut bad = report_data::sample_report(0, 3);
    bad.photos[1].image = b"not a photo".to_vec();
    bad.sections.clear();
    w("report-bad-photo", report(&bad));
}
