//! Sample report data shared by the `samples` and `bench` examples.
#![allow(dead_code)]

use outreach_print::*;

pub const DISTRICTS: &[&str] =
    &["张店区", "淄川区", "博山区", "临淄区", "周村区", "桓台县", "高青县", "沂源县", "高新区", "经开区", "文昌湖区"];

pub const STREETS: &[&str] = &[
    "车站街道",
    "公园街道",
    "和平街道",
    "科苑街道",
    "体育场街道",
    "湖田街道",
    "马尚街道",
    "般阳路街道",
    "松龄路街道",
    "钟楼街道",
    "将军路街道",
    "昆仑镇",
    "城东街道",
    "山头街道",
    "辛店街道",
    "稷下街道",
    "齐都镇",
    "皇城镇",
    "凤凰镇",
    "青年路街道",
    "永安街道",
    "丝绸路街道",
    "索镇街道",
    "田庄镇",
    "高城镇",
    "南麻街道",
    "历山街道",
    "四宝山街道",
    "鑫达社区",
    "淄江花园社区",
];

/// A photo-like JPEG of about `w`×`h` (sky, ground, texture), ~200 KB at 1280×960.
pub fn photo_jpeg(seed: u32, w: u32, h: u32) -> Vec<u8> {
    let mut s = seed.wrapping_mul(2_654_435_761).max(1);
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        let n = (s % 23) as i32 - 11;
        let horizon = h * 5 / 9 + (x * (seed % 7 + 1) / 40) % 30;
        let (r, g, b) = if y < horizon {
            (110 + (x / 16) as i32 % 40, 160 + (y / 8) as i32 % 50, 225)
        } else if (x / 48 + y / 36 + seed).is_multiple_of(3) {
            (190, 50 + (seed as i32 * 13) % 60, 46)
        } else {
            (150 + (x as i32 / 9) % 50, 128, 96 + (y as i32 / 11) % 40)
        };
        let c = |v: i32| (v + n).clamp(0, 255) as u8;
        image::Rgb([c(r), c(g), c(b)])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
        .encode(&img, w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
    out
}

fn num(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The quarterly report of a city anti-fraud centre; `grid_rows` > 0 adds an appendix
/// table of that many grids, `photos` photos of ~200 KB each.
pub fn sample_report(grid_rows: usize, photos: usize) -> Report {
    let d = DISTRICTS;
    let sessions: Vec<u64> = (0..d.len() as u64).map(|i| 40 + (i * 37) % 90).collect();
    let people: Vec<u64> = sessions.iter().enumerate().map(|(i, s)| s * (55 + (i as u64 * 13) % 40)).collect();
    let coverage: Vec<f64> = (0..d.len()).map(|i| 62.0 + ((i * 17) % 33) as f64 + 0.5 * (i % 2) as f64).collect();
    let followup: Vec<f64> = (0..d.len()).map(|i| 78.0 + ((i * 11) % 21) as f64).collect();
    let rows: Vec<Vec<String>> = (0..d.len())
        .map(|i| {
            vec![
                d[i].to_string(),
                sessions[i].to_string(),
                num(people[i]),
                num(people[i] * 3 / 2),
                num(people[i] / 4),
                format!("{:.1}%", coverage[i]),
                format!("{:+.1}%", ((i as f64 * 7.3) % 30.0) - 8.0),
                format!("{:.1}%", followup[i]),
                if i == 3 {
                    "鑫达社区试点“反诈板凳会”进楼栋".into()
                } else if i == 6 {
                    "—".into()
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    let total = vec![
        "合计".to_string(),
        sessions.iter().sum::<u64>().to_string(),
        num(people.iter().sum()),
        num(people.iter().map(|p| p * 3 / 2).sum()),
        num(people.iter().map(|p| p / 4).sum()),
        format!("{:.1}%", coverage.iter().sum::<f64>() / d.len() as f64),
        "+6.2%".into(),
        format!("{:.1}%", followup.iter().sum::<f64>() / d.len() as f64),
        String::new(),
    ];
    let t1 = ReportTable {
        title: "表1  各区县宣传开展情况".into(),
        columns: [
            "区县",
            "开展场次",
            "覆盖人次",
            "发放资料（份）",
            "入户走访（户）",
            "覆盖率",
            "同比增长",
            "按时回访率",
            "备注",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        total: Some(total),
    };
    let t2 = ReportTable {
        title: "表2  各类宣传活动开展情况（场）".into(),
        columns: ["活动类型", "十月", "十一月", "十二月", "合计"].map(String::from).to_vec(),
        rows: [
            ("反诈板凳会", 41, 55, 38),
            ("进校园", 22, 30, 12),
            ("进企业", 18, 21, 26),
            ("进社区（村）", 64, 71, 58),
            ("金融网点驻点", 9, 12, 15),
        ]
        .iter()
        .map(|(k, a, b, c)| vec![k.to_string(), a.to_string(), b.to_string(), c.to_string(), (a + b + c).to_string()])
        .collect(),
        total: Some(vec!["合计".into(), "154".into(), "189".into(), "149".into(), "492".into()]),
    };
    let charts = vec![
        BarChart {
            title: "图1  各区县覆盖人次".into(),
            labels: d.iter().map(|s| s.to_string()).collect(),
            series: vec![ChartSeries {
                name: "覆盖人次".into(), values: people.iter().map(|&p| p as f64).collect()
            }],
            unit: "人次".into(),
        },
        BarChart {
            title: "图2  各区县覆盖率与按时回访率".into(),
            labels: d.iter().map(|s| s.to_string()).collect(),
            series: vec![
                ChartSeries { name: "覆盖率".into(), values: coverage.clone() },
                ChartSeries { name: "按时回访率".into(), values: followup.clone() },
            ],
            unit: "%".into(),
        },
        BarChart {
            title: "图3  按月开展情况".into(),
            labels: vec!["10月".into(), "11月".into(), "12月".into()],
            series: vec![
                ChartSeries { name: "反诈板凳会".into(), values: vec![41.0, 55.0, 38.0] },
                ChartSeries { name: "进校园".into(), values: vec![22.0, 30.0, 12.0] },
                ChartSeries { name: "进企业".into(), values: vec![18.0, 21.0, 26.0] },
            ],
            unit: "场".into(),
        },
        BarChart {
            title: "图4  各街道（社区）开展场次".into(),
            labels: STREETS.iter().map(|s| s.to_string()).collect(),
            series: vec![ChartSeries {
                name: "开展场次".into(),
                values: (0..STREETS.len()).map(|i| (5 + (i * 7) % 23) as f64).collect(),
            }],
            unit: "场".into(),
        },
    ];
    let mut sections = vec![
        ReportSection {
            heading: "一、总体情况".into(),
            paragraphs: vec![
                format!(
                    "2026年第四季度，全市各级公安机关会同街道（镇）、社区（村）深入开展反电信网络诈骗宣传“进社区、进农村、进家庭、进学校、进企业”活动，共开展各类宣传活动{}场，覆盖群众{}人次，入户走访{}户，发放宣传资料{}份，群众识骗防骗能力进一步提升。",
                    sessions.iter().sum::<u64>(),
                    num(people.iter().sum()),
                    num(people.iter().map(|p| p / 4).sum()),
                    num(people.iter().map(|p| p * 3 / 2).sum()),
                ),
                "从辖区发案情况看，本季度全市电信网络诈骗立案数同比下降12.4%，其中冒充公检法、刷单返利、虚假投资理财三类案件降幅最为明显；但“冒充客服退款”“虚假征信”类诈骗仍呈高发态势，老年人和在校学生仍是重点受骗群体，宣传防范工作不能松懈。".into(),
                "临淄区鑫达社区试点“反诈板凳会”进楼栋、网格员一对一回访等做法，宣传覆盖率达到93.5%，回访按时率达到98%，经验做法已在全市推广。".into(),
            ],
            tables: vec![],
            charts: vec![],
        },
        ReportSection {
            heading: "二、分区县开展情况".into(),
            paragraphs: vec!["各区县开展情况见表1、表2。覆盖率低于70%的区县，请于下一季度重点安排入户走访和集中宣讲，确保重点人群全覆盖。".into()],
            tables: vec![t1, t2],
            charts: vec![],
        },
        ReportSection {
            heading: "三、图表分析".into(),
            paragraphs: vec!["各区县覆盖人次、覆盖率与按时回访率，以及按月、分类型开展情况如下图所示。".into()],
            tables: vec![],
            charts,
        },
        ReportSection {
            heading: "四、下一步工作打算".into(),
            paragraphs: vec![
                "一是聚焦重点人群。针对老年人、在校学生、企业财务人员等易受骗群体，持续开展精准宣传，做到“发一案、宣一片”。".into(),
                "二是压实网格责任。依托网格员队伍，落实“一户一告知、一人一提醒”，对高风险人员做到及时回访、动态更新。".into(),
                "三是创新宣传形式。用好短视频、“反诈板凳会”、案例宣讲等群众喜闻乐见的形式，提升宣传的吸引力和实效性。".into(),
            ],
            tables: vec![],
            charts: vec![],
        },
    ];
    if grid_rows > 0 {
        let rows = (0..grid_rows)
            .map(|i| {
                let s = STREETS[i % STREETS.len()];
                let held = 1 + (i * 7) % 9;
                let residents = 800 + (i * 137) % 2400;
                let pt = held * (40 + (i * 13) % 60);
                vec![
                    format!("{}第{}网格", s, i / STREETS.len() + 1),
                    held.to_string(),
                    num(pt as u64),
                    num(residents as u64),
                    format!("{:.1}%", (pt as f64 / residents as f64 * 100.0).min(100.0)),
                    ((i * 31) % 120).to_string(),
                ]
            })
            .collect();
        sections.push(ReportSection {
            heading: "附表  各网格开展情况".into(),
            paragraphs: vec![],
            tables: vec![ReportTable {
                title: "附表  各网格开展情况".into(),
                columns: ["网格", "开展场次", "覆盖人次", "常住人口", "覆盖率", "走访户数"].map(String::from).to_vec(),
                rows,
                total: None,
            }],
            charts: vec![],
        });
    }
    let captions = [
        "11月28日 临淄区鑫达社区“反诈板凳会”",
        "11月20日 张店区车站街道进企业宣讲",
        "12月3日 淄川区般阳路街道进校园",
        "10月16日 博山区城东街道金融网点驻点宣传",
        "12月12日 周村区丝绸路街道入户走访",
        "10月25日 桓台县索镇街道集中宣传日",
    ];
    Report {
        title: "淄博市反诈宣传工作报告".into(),
        subtitle: "（2026年第四季度）".into(),
        issuer: "淄博市公安局反诈中心".into(),
        date_text: "2026年12月31日".into(),
        period_text: "2026年10月1日至12月31日".into(),
        sections,
        photos: (0..photos)
            .map(|i| ReportPhoto {
                image: photo_jpeg(i as u32 + 1, 1280, 960),
                caption: captions[i % captions.len()].into(),
            })
            .collect(),
        audit_anchor: "3f9c2e71a0b4d85617e2c09b4a3d6f8e1c7b5a2093e4f6d8a1b0c9e7f5d3a2b1".into(),
    }
}
