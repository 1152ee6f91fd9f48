//! Demo data drawn from the seeds: 淄博市 with three districts, their police stations,
//! communities and about 60 grids, the 护齐 speaker corps and its teams, and the schools,
//! enterprises, markets, squares and banks they talk in. Deterministic: same data every time.

use crate::error::Code;
use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

use crate::db::Store;
use crate::error::{Error, Result};
use crate::people::{PersonInput, PersonRole};
use crate::teams::{TeamInput, TeamKind};
use crate::units::{GridProfile, UnitInput, UnitKind};
use crate::venues::{VenueInput, VenueKind};
use crate::{audit, people, teams, units, venues};

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "../../../ui/src/bindings/")]
pub struct DemoSummary {
    pub units: u32,
    pub grids: u32,
    pub people: u32,
    pub teams: u32,
    pub venues: u32,
    pub sessions: u32,
}

/// A small deterministic generator (64-bit LCG): demo data must not change between runs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as u32
    }
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.next() % (hi - lo + 1)
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.next() as usize % v.len()]
    }
}

const DISTRICTS: &[(&str, &[(&str, &[&str])])] = &[
    ("临淄区", &[("稷下派出所", &["稷下社区", "齐都花园社区", "晏婴社区"]), ("闻韶派出所", &["闻韶社区", "雪宫社区"])]),
    (
        "张店区",
        &[("科苑派出所", &["科苑社区", "鑫泰社区"]), ("公园派出所", &["世纪花园社区", "人民公园社区", "华光社区"])],
    ),
    ("桓台县", &[("索镇派出所", &["索镇村", "起凤社区"]), ("城区派出所", &["少海社区", "张北社区"])]),
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "高",
    "罗", "郑", "梁", "谢", "宋", "唐", "韩", "冯", "于", "董", "萧",
];
const GIVEN: &[&str] = &[
    "建国", "秀英", "志强", "丽娟", "海燕", "明", "静", "磊", "芳", "伟", "桂兰", "玉梅", "国庆", "红霞", "晓东",
    "淑珍", "鑫", "浩然", "子涵", "春生", "立新", "凤英", "文博", "雅琴", "德胜", "慧敏", "振华", "永刚", "翠花",
    "思远",
];

pub fn load(store: &mut Store) -> Result<DemoSummary> {
    if !store.is_empty()? {
        return Err(Error::invalid(Code::DemoNotEmpty, &[]));
    }
    let (operator, actor) = (store.operator(), store.actor());
    store.write(|tx| {
        let mut rng = Rng(20240804);
        let mut s = DemoSummary { units: 0, grids: 0, people: 0, teams: 0, venues: 0, sessions: 0 };
        let unit = |parent: Option<&str>, name: &str, kind: UnitKind, code: &str, profile: Option<GridProfile>| {
            units::save(
                tx,
                &UnitInput {
                    id: None,
                    parent_id: parent.map(str::to_string),
                    name: name.into(),
                    kind,
                    code: code.into(),
                    profile,
                },
            )
        };
        let city = unit(None, "淄博市", UnitKind::City, "370300", None)?;
        s.units += 1;
        let mut grids: Vec<(String, String)> = Vec::new(); // (grid id, community name)
        let mut communities: Vec<(String, String)> = Vec::new();
        let mut stations: Vec<(String, String)> = Vec::new();
        let mut districts: Vec<String> = Vec::new();
        for (di, (dname, dstations)) in DISTRICTS.iter().enumerate() {
            let d = unit(Some(&city.id), dname, UnitKind::District, &format!("3703{:02}", di + 3), None)?;
            s.units += 1;
            districts.push(d.id.clone());
            for (si, (sname, comms)) in dstations.iter().enumerate() {
                let st = unit(Some(&d.id), sname, UnitKind::Station, &format!("3703{:02}{:02}", di + 3, si + 1), None)?;
                s.units += 1;
                stations.push((st.id.clone(), sname.to_string()));
                for (ci, cname) in comms.iter().enumerate() {
                    let c = unit(Some(&st.id), cname, UnitKind::Community, "", None)?;
                    s.units += 1;
                    communities.push((c.id.clone(), cname.to_string()));
                    let n = 4 + (di + si + ci) % 2;
                    for g in 1..=n {
                        let households = rng.range(280, 900);
                        let residents = households * rng.range(24, 31) / 10;
                        // A rural village grid is older; a grid by the schools has more students.
                        let elderly_share = if cname.ends_with('村') { rng.range(28, 38) } else { rng.range(14, 30) };
                        let age60plus = residents * elderly_share / 100;
                        let under18 = residents * rng.range(12, 22) / 100;
                        let age18to59 = residents - age60plus - under18;
                        let profile = GridProfile {
                            households,
                            residents,
                            under18,
                            age18to59,
                            age60plus,
                            students: under18 * rng.range(70, 95) / 100,
                            elderly_alone: age60plus * rng.range(6, 15) / 100,
                            finance_staff: rng.range(0, 25),
                            notes: if g == 1 {
                                "辖区有农贸市场，老年人早市集中".into()
                            } else {
                                String::new()
                            },
                        };
                        let gname = format!(
                            "{}第{}网格",
                            cname.trim_end_matches("社区"),
                            ["一", "二", "三", "四", "五"][g - 1]
                        );
                        let gu = unit(Some(&c.id), &gname, UnitKind::Grid, "", Some(profile))?;
                        s.units += 1;
                        s.grids += 1;
                        grids.push((gu.id.clone(), cname.to_string()));
                    }
                }
            }
        }

        // Teams: each district's speaker corps (临淄's is the 护齐 corps of the seeds), a troupe, squads.
        let corps_names = ["护齐反诈宣讲团", "张店反诈宣讲团", "桓台反诈宣讲团"];
        let mut corps = Vec::new();
        for (i, n) in corps_names.iter().enumerate() {
            corps.push(teams::save(
                tx,
                &TeamInput {
                    id: None,
                    name: n.to_string(),
                    kind: TeamKind::SpeakerCorps,
                    unit_id: Some(districts[i].clone()),
                    captain_id: None,
                },
            )?);
        }
        let troupe = teams::save(
            tx,
            &TeamInput {
                id: None,
                name: "齐韵反诈文艺小分队".into(),
                kind: TeamKind::Troupe,
                unit_id: Some(districts[0].clone()),
                captain_id: None,
            },
        )?;
        let mut squads = Vec::new();
        for (cid, cname) in communities.iter().step_by(3) {
            squads.push(teams::save(
                tx,
                &TeamInput {
                    id: None,
                    name: format!("{}劝阻小分队", cname.trim_end_matches("社区")),
                    kind: TeamKind::Squad,
                    unit_id: Some(cid.clone()),
                    captain_id: None,
                },
            )?);
        }
        s.teams = (corps.len() + 1 + squads.len()) as u32;

        let all_topics: Vec<String> = crate::topics::list(tx)?.into_iter().map(|t| t.id).collect();
        let mut used_names = std::collections::HashSet::new();
        let mut person_no = 0u32;
        let mut make_person = |rng: &mut Rng,
                               roles: Vec<PersonRole>,
                               unit_id: &str,
                               team_ids: Vec<String>,
                               active: bool|
         -> Result<String> {
            let name = loop {
                let n = format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN));
                if used_names.insert(n.clone()) {
                    break n;
                }
            };
            person_no += 1;
            let prefix = ["138", "139", "150", "158", "187", "135", "177", "199"][person_no as usize % 8];
            let phone = format!("{prefix}{:04}{:04}", 5300 + person_no % 700, rng.range(0, 9999));
            let mut topic_ids: Vec<String> = (0..rng.range(2, 4)).map(|_| rng.pick(&all_topics).clone()).collect();
            topic_ids.sort();
            topic_ids.dedup();
            let joined = format!("202{}-{:02}-{:02}", rng.range(2, 5), rng.range(1, 12), rng.range(1, 28));
            let p = people::save(
                tx,
                &PersonInput {
                    id: None,
                    name,
                    roles,
                    phone: Some(phone),
                    unit_id: Some(unit_id.to_string()),
                    team_ids,
                    topic_ids,
                    active,
                    joined_on: Some(joined),
                    notes: String::new(),
                },
            )?;
            Ok(p.id)
        };
        // Police at every station, lead speakers of their district's corps.
        let mut captains = Vec::new();
        for (i, (sid, _)) in stations.iter().enumerate() {
            let corps_id = corps[i / 2].id.clone();
            for k in 0..3 {
                let role = if k == 2 { PersonRole::Auxiliary } else { PersonRole::Police };
                let id = make_person(&mut rng, vec![role], sid, vec![corps_id.clone()], true)?;
                if k == 0 && i % 2 == 0 {
                    captains.push((corps_id.clone(), id));
                }
                s.people += 1;
            }
        }
        // A grid worker for most grids; some also speak in the corps.
        for (gi, (gid, _)) in grids.iter().enumerate() {
            if gi % 6 == 5 {
                continue; // a few grids still wait for their worker
            }
            let district = gi * 3 / grids.len();
            let squad = squads.get(gi / 10).map(|t| t.id.clone());
            let mut teams_of = Vec::new();
            if gi % 3 == 0 {
                teams_of.push(corps[district].id.clone());
            }
            if let Some(sq) = squad {
                teams_of.push(sq);
            }
            make_person(&mut rng, vec![PersonRole::GridWorker], gid, teams_of, gi % 17 != 16)?;
            s.people += 1;
        }
        // Volunteers: property staff, retired cadres, teachers, bank staff, performers.
        let vol_roles = [
            PersonRole::PropertyStaff,
            PersonRole::RetiredCadre,
            PersonRole::Teacher,
            PersonRole::BankStaff,
            PersonRole::Volunteer,
        ];
        let mut troupe_captain = None;
        for k in 0..30 {
            let (gid, _) = &grids[(k * 7) % grids.len()];
            let role = vol_roles[k % vol_roles.len()];
            let mut teams_of = vec![corps[k % 3].id.clone()];
            if k % 4 == 0 {
                teams_of.push(troupe.id.clone());
            }
            let id = make_person(&mut rng, vec![role, PersonRole::Volunteer], gid, teams_of, k % 11 != 10)?;
            if k == 0 {
                troupe_captain = Some(id);
            }
            s.people += 1;
        }
        for (team_id, captain) in captains {
            let t = teams::get(tx, &team_id)?;
            teams::save(
                tx,
                &TeamInput {
                    id: Some(t.id),
                    name: t.name,
                    kind: t.kind,
                    unit_id: t.unit_id,
                    captain_id: Some(captain),
                },
            )?;
        }
        if let Some(c) = troupe_captain {
            teams::save(
                tx,
                &TeamInput {
                    id: Some(troupe.id.clone()),
                    name: troupe.name.clone(),
                    kind: TeamKind::Troupe,
                    unit_id: troupe.unit_id.clone(),
                    captain_id: Some(c),
                },
            )?;
        }

        // Venues.
        let police: Vec<String> = people::list(tx, false)?
            .into_iter()
            .filter(|p| p.roles.contains(&PersonRole::Police))
            .map(|p| p.id)
            .collect();
        let venue_list: &[(&str, VenueKind, &str)] = &[
            ("临淄区稷下小学", VenueKind::School, "稷下社区"),
            ("临淄中学", VenueKind::School, "晏婴社区"),
            ("齐都实验学校", VenueKind::School, "齐都花园社区"),
            ("闻韶中学", VenueKind::School, "闻韶社区"),
            ("张店区科苑小学", VenueKind::School, "科苑社区"),
            ("淄博职业学院", VenueKind::School, "鑫泰社区"),
            ("张店区第八中学", VenueKind::School, "华光社区"),
            ("桓台县少海中学", VenueKind::School, "少海社区"),
            ("索镇中心小学", VenueKind::School, "索镇村"),
            ("淄博鑫达化工有限公司", VenueKind::Enterprise, "稷下社区"),
            ("齐鲁纺织有限公司", VenueKind::Enterprise, "雪宫社区"),
            ("淄博众鑫陶瓷有限公司", VenueKind::Enterprise, "科苑社区"),
            ("张店华光电子科技公司", VenueKind::Enterprise, "华光社区"),
            ("桓台恒信机械厂", VenueKind::Enterprise, "起凤社区"),
            ("淄博鑫源物流有限公司", VenueKind::Enterprise, "张北社区"),
            ("临淄宏达建材有限公司", VenueKind::Enterprise, "闻韶社区"),
            ("张店金鼎商贸公司", VenueKind::Enterprise, "人民公园社区"),
            ("稷下社区党群服务中心", VenueKind::Community, "稷下社区"),
            ("齐都花园社区活动室", VenueKind::Community, "齐都花园社区"),
            ("世纪花园社区服务站", VenueKind::Community, "世纪花园社区"),
            ("索镇村委会", VenueKind::Community, "索镇村"),
            ("少海社区文化中心", VenueKind::Community, "少海社区"),
            ("科苑社区会议室", VenueKind::Community, "科苑社区"),
            ("临淄大顺农贸市场", VenueKind::Market, "晏婴社区"),
            ("银座超市临淄店", VenueKind::Market, "稷下社区"),
            ("张店华联超市", VenueKind::Market, "华光社区"),
            ("桓台城区农贸市场", VenueKind::Market, "张北社区"),
            ("齐都文化广场", VenueKind::Square, "齐都花园社区"),
            ("闻韶街道小广场", VenueKind::Square, "闻韶社区"),
            ("人民公园东广场", VenueKind::Square, "人民公园社区"),
            ("世纪花园小广场", VenueKind::Square, "世纪花园社区"),
            ("起凤镇健身广场", VenueKind::Square, "起凤社区"),
            ("少海公园广场", VenueKind::Square, "少海社区"),
            ("工商银行临淄支行", VenueKind::Bank, "稷下社区"),
            ("农业银行张店分行营业部", VenueKind::Bank, "科苑社区"),
            ("齐商银行桓台支行", VenueKind::Bank, "少海社区"),
            ("邮储银行临淄营业所", VenueKind::Bank, "雪宫社区"),
            ("临淄汽车站候车厅", VenueKind::Other, "晏婴社区"),
            ("张店火车站广场警务室", VenueKind::Other, "华光社区"),
            ("桓台县老年大学", VenueKind::Other, "起凤社区"),
        ];
        for (i, (name, kind, community)) in venue_list.iter().enumerate() {
            let unit_id = communities.iter().find(|(_, n)| n == community).map(|(id, _)| id.clone());
            let contact = format!("{}{}", rng.pick(SURNAMES), ["老师", "经理", "主任", "站长"][i % 4]);
            let phone = if i % 5 == 4 {
                format!("0533-{}", 7100000 + i as u32 * 131)
            } else {
                format!("133{:08}", 53000000 + i as u32 * 7)
            };
            venues::save(
                tx,
                &VenueInput {
                    id: None,
                    name: name.to_string(),
                    kind: *kind,
                    unit_id,
                    address: format!("淄博市{}{}号", community, rng.range(1, 200)),
                    contact_name: contact,
                    // One school and one enterprise without a contact, as in real rosters.
                    contact_phone: Some(if i == 3 || i == 15 { String::new() } else { phone }),
                    vice_principal_id: (*kind == VenueKind::School).then(|| police[i % police.len()].clone()),
                    staff_count: (*kind == VenueKind::Enterprise).then(|| rng.range(40, 1200)),
                    letter_signed_on: (*kind == VenueKind::Enterprise && i % 3 != 0)
                        .then(|| format!("2026-{:02}-{:02}", rng.range(1, 9), rng.range(1, 28))),
                    notes: String::new(),
                },
            )?;
            s.venues += 1;
        }
        s.sessions = demo_sessions(tx, &mut rng, &operator)?;
        audit::record(
            tx,
            &operator,
            &actor,
            "demo",
            "all",
            &audit::Note::new("demo.loaded")
                .with("units", s.units)
                .with("grids", s.grids)
                .with("people", s.people)
                .with("venues", s.venues)
                .with("sessions", s.sessions),
        )?;
        Ok(s)
    })
}

/// A realistic month around today: held sessions behind, planned and confirmed ones ahead,
/// and the monthly bench talk at 齐都文化广场 as a series (first Saturday, 9:30).
fn demo_sessions(tx: &rusqlite::Transaction, rng: &mut Rng, operator: &str) -> Result<u32> {
    use crate::series::{self, Repeat, SeriesInput};
    use crate::sessions::{self, AssignRole, Assignment, PlannedMaterial, SessionInput, SessionStatus};
    use chrono::{Datelike, Duration, Local, NaiveTime};

    let today = Local::now().date_naive();
    let month_start = today.with_day(1).unwrap();
    let all_venues = venues::list(tx, false)?;
    let all_people = people::list(tx, false)?;
    let templates = crate::templates::list(tx)?;
    let speakers: Vec<&people::Person> = all_people.iter().filter(|p| p.active && !p.topic_ids.is_empty()).collect();
    let workers: Vec<&people::Person> =
        all_people.iter().filter(|p| p.active && p.roles.contains(&PersonRole::GridWorker)).collect();
    let mut n = 0u32;
    let slots = [(9, 30), (10, 0), (14, 30), (15, 0), (19, 0)];
    for k in 0..48u32 {
        let venue = &all_venues[(k as usize * 7) % all_venues.len()];
        let tpl = templates
            .iter()
            .find(|t| t.venue_kind == venue.kind.as_str())
            .or_else(|| templates.iter().find(|t| t.id == "tpl-community"))
            .unwrap();
        let day = month_start + Duration::days((k as i64 * 37 / 48) % 35 - 3);
        let (h, m) = slots[k as usize % slots.len()];
        let start = day.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap());
        let end = start + Duration::minutes(tpl.duration_minutes as i64);
        // The lead speaker can speak on the topics: take them from the speaker.
        let lead = speakers[(k as usize * 11 + rng.range(0, 5) as usize) % speakers.len()];
        let mut people_on =
            vec![Assignment { person_id: lead.id.clone(), role: AssignRole::LeadSpeaker, person_name: String::new() }];
        if let Some(w) = workers
            .iter()
            .find(|w| w.unit_id == venue.unit_id || w.unit_name.starts_with(venue.unit_name.trim_end_matches("社区")))
        {
            if w.id != lead.id {
                people_on.push(Assignment {
                    person_id: w.id.clone(),
                    role: AssignRole::GridWorker,
                    person_name: String::new(),
                });
            }
        }
        let input = SessionInput {
            id: None,
            title: format!(
                "{}{}",
                venue.name,
                tpl.name
                    .trim_start_matches("反诈")
                    .replace("校园", "")
                    .replace("企业", "")
                    .replace("社区", "")
                    .replace("市场", "")
            ),
            kind: tpl.kind,
            venue_id: Some(venue.id.clone()),
            unit_id: None,
            start: sessions::fmt_time(start),
            end: sessions::fmt_time(end),
            audiences: tpl.audiences.clone(),
            topic_ids: lead.topic_ids.iter().take(2).cloned().collect(),
            people: people_on,
            materials: tpl.materials.clone(),
            expected_audience: Some(rng.range(30, 300)),
            channel: String::new(),
            messages: None,
            notes: String::new(),
        };
        let saved = sessions::save(tx, &input, true, operator)?.session.expect("saved");
        n += 1;
        if day < today {
            sessions::set_status(tx, &saved.id, SessionStatus::Confirmed, "", operator)?;
            demo_record(tx, rng, &saved, operator, k % 3 != 0)?;
        } else if k % 3 == 0 {
            sessions::set_status(tx, &saved.id, SessionStatus::Confirmed, "", operator)?;
        } else if k % 17 == 5 {
            sessions::set_status(tx, &saved.id, SessionStatus::Cancelled, "场地临时占用，改期另行通知", operator)?;
        }
    }
    // An online push by the district's anti-fraud centre.
    let city_unit: Option<String> = tx.query_row("SELECT id FROM units WHERE name = '临淄区'", [], |r| r.get(0)).ok();
    let push_day = month_start + Duration::days(14);
    sessions::save(
        tx,
        &SessionInput {
            id: None,
            title: "“护齐”公众号反诈预警推送".into(),
            kind: sessions::SessionKind::OnlinePush,
            venue_id: None,
            unit_id: city_unit,
            start: format!("{push_day}T20:00"),
            end: format!("{push_day}T20:30"),
            audiences: vec![sessions::Audience::Public],
            topic_ids: vec!["topic-fake-investment".into()],
            people: vec![],
            materials: vec![],
            expected_audience: None,
            channel: "微信公众号".into(),
            messages: Some(1),
            notes: String::new(),
        },
        true,
        operator,
    )?;
    n += 1;
    // The monthly bench talk (板凳会) at the square, first Saturday at 9:30, for six months.
    if let Some(square) = all_venues.iter().find(|v| v.name == "齐都文化广场") {
        let first = series::dates(month_start, &Repeat::MonthlyWeekday { nth: 1, weekday: 6 }, 1)?[0];
        let lead = speakers[0];
        let out = series::create(
            tx,
            &SeriesInput {
                first: SessionInput {
                    id: None,
                    title: "齐都文化广场反诈板凳会".into(),
                    kind: sessions::SessionKind::BenchTalk,
                    venue_id: Some(square.id.clone()),
                    unit_id: None,
                    start: format!("{first}T09:30"),
                    end: format!("{first}T11:00"),
                    audiences: vec![sessions::Audience::Elderly, sessions::Audience::Public],
                    topic_ids: lead.topic_ids.iter().take(2).cloned().collect(),
                    people: vec![Assignment {
                        person_id: lead.id.clone(),
                        role: AssignRole::LeadSpeaker,
                        person_name: String::new(),
                    }],
                    materials: vec![
                        PlannedMaterial { item: "宣传彩页".into(), quantity: 150 },
                        PlannedMaterial { item: "小礼品".into(), quantity: 60 },
                    ],
                    expected_audience: Some(80),
                    channel: String::new(),
                    messages: None,
                    notes: "带小马扎、宣传展板；现场发放鸡蛋等小礼品".into(),
                },
                repeat: Repeat::MonthlyWeekday { nth: 1, weekday: 6 },
                count: 6,
            },
            true,
            operator,
        )?;
        n += out.created;
        if first < today {
            let id: String = tx.query_row(
                "SELECT id FROM sessions WHERE series_id = ?1 AND series_index = 1",
                [out.series_id.as_deref().unwrap_or("")],
                |r| r.get(0),
            )?;
            let s = sessions::get(tx, &id)?;
            demo_record(tx, rng, &s, operator, false)?;
        }
    }
    n += demo_door_to_door(tx, rng, operator, today)?;
    demo_stock(tx, today)?;
    demo_followups(tx, rng, today)?;
    demo_incidents(tx, today)?;
    Ok(n)
}

/// What was recorded at a held demo session: about four in five of the expected audience,
/// split over its audiences, the assigned people as speakers, the planned materials handed out.
fn demo_record(
    tx: &rusqlite::Transaction,
    rng: &mut Rng,
    s: &crate::sessions::Session,
    operator: &str,
    review: bool,
) -> Result<()> {
    use crate::records::{self, AudienceCount, HandOut, RecordInput, SpeakerHours};
    let expected = s.expected_audience.unwrap_or(60).max(10);
    let headcount = expected * rng.range(65, 105) / 100;
    let mut left = headcount as i64;
    let mut audiences = Vec::new();
    for (i, a) in s.audiences.iter().enumerate() {
        let n = if i + 1 == s.audiences.len() { left * 9 / 10 } else { left * rng.range(40, 70) as i64 / 100 };
        left -= n;
        audiences.push(AudienceCount { audience: *a, count: n });
    }
    let materials = s
        .materials
        .iter()
        .filter_map(|m| {
            let id = match m.item.as_str() {
                "宣传彩页" => "mat-flyer",
                "海报" => "mat-poster",
                "横幅" => "mat-banner",
                "小礼品" => "mat-gift",
                "告知书" => "mat-letter",
                _ => return None,
            };
            let q = if m.quantity > 20 {
                (m.quantity as i64 * headcount as i64 / expected as i64).max(1)
            } else {
                m.quantity as i64
            };
            Some(HandOut { material_id: id.into(), quantity: q, material_name: String::new() })
        })
        .collect();
    let notes = match s.kind {
        crate::sessions::SessionKind::BenchTalk => "群众坐小马扎围坐听讲，现场互动答题，发放鸡蛋等小礼品",
        crate::sessions::SessionKind::Training => "现场演示冒充领导转账骗局，财务人员逐一签到",
        _ => "宣讲结束后现场解答群众提问，引导下载国家反诈中心App",
    };
    let signin_names = if s.kind == crate::sessions::SessionKind::Training {
        (0..12).map(|_| format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN))).collect()
    } else {
        vec![]
    };
    records::save(
        tx,
        &RecordInput {
            session_id: s.id.clone(),
            actual_start: s.start.clone(),
            actual_end: s.end.clone(),
            headcount: headcount as i64,
            audiences,
            speakers: s
                .people
                .iter()
                .map(|p| SpeakerHours { person_id: p.person_id.clone(), hours: None, person_name: String::new() })
                .collect(),
            materials,
            notes: notes.into(),
            signin_names,
            reason: String::new(),
        },
        operator,
        // A new record: no correction, so no entry of its own to name an actor in.
        "coordinator",
    )?;
    if review {
        records::review(tx, &s.id, operator)?;
    }
    Ok(())
}

/// A door-to-door campaign in 齐都花园社区 last week, with a visit log per grid and building.
fn demo_door_to_door(
    tx: &rusqlite::Transaction,
    rng: &mut Rng,
    operator: &str,
    today: chrono::NaiveDate,
) -> Result<u32> {
    use crate::sessions::{self, Audience, SessionInput, SessionKind};
    use crate::visits::{self, VisitInput};
    let Some(community): Option<String> =
        tx.query_row("SELECT id FROM units WHERE name = '齐都花园社区'", [], |r| r.get(0)).ok()
    else {
        return Ok(0);
    };
    let grids: Vec<(String, String)> = tx
        .prepare("SELECT id, name FROM units WHERE parent_id = ?1 AND kind = 'grid' ORDER BY name")?
        .query_map([&community], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<std::result::Result<_, _>>()?;
    let workers: Vec<String> = tx
        .prepare("SELECT id FROM people WHERE roles LIKE '%grid_worker%' AND active = 1 ORDER BY name LIMIT 4")?
        .query_map([], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    let day = today - chrono::Duration::days(6);
    let s = sessions::save(
        tx,
        &SessionInput {
            id: None,
            title: "齐都花园社区反诈入户走访".into(),
            kind: SessionKind::DoorToDoor,
            venue_id: None,
            unit_id: Some(community),
            start: format!("{day}T14:00"),
            end: format!("{day}T17:30"),
            audiences: vec![Audience::Elderly, Audience::Public],
            topic_ids: vec!["topic-fake-police".into(), "topic-elderly-care".into()],
            people: vec![],
            materials: vec![],
            expected_audience: Some(120),
            channel: String::new(),
            messages: None,
            notes: "逐户发放《致居民的一封信》，重点走访独居老人".into(),
        },
        true,
        operator,
    )?
    .session
    .expect("saved");
    for (i, (grid, _)) in grids.iter().enumerate() {
        for b in 1..=2 {
            visits::save(
                tx,
                &VisitInput {
                    id: None,
                    session_id: Some(s.id.clone()),
                    grid_id: grid.clone(),
                    building: format!("{}号楼", i * 2 + b),
                    visited_on: day.to_string(),
                    visited: rng.range(18, 36) as i64,
                    not_home: rng.range(2, 9) as i64,
                    refused: rng.range(0, 2) as i64,
                    warnings: rng.range(0, 3) as i64,
                    visitor_ids: workers.iter().skip(i % workers.len().max(1)).take(1).cloned().collect(),
                    notes: String::new(),
                },
            )?;
        }
    }
    let total: i64 = tx.query_row("SELECT sum(visited) FROM visits WHERE session_id = ?1", [&s.id], |r| r.get(0))?;
    demo_record_plain(tx, &s, total, operator)?;
    Ok(1)
}

fn demo_record_plain(
    tx: &rusqlite::Transaction,
    s: &crate::sessions::Session,
    headcount: i64,
    operator: &str,
) -> Result<()> {
    use crate::records::{self, RecordInput};
    records::save(
        tx,
        &RecordInput {
            session_id: s.id.clone(),
            actual_start: s.start.clone(),
            actual_end: s.end.clone(),
            headcount,
            audiences: vec![],
            speakers: vec![],
            materials: vec![],
            notes: "入户走访，按户计人数".into(),
            signin_names: vec![],
            reason: String::new(),
        },
        operator,
        "coordinator",
    )?;
    Ok(())
}

/// A print run into each district and allocations down to the stations.
fn demo_stock(tx: &rusqlite::Transaction, today: chrono::NaiveDate) -> Result<()> {
    use crate::materials::{self, StockMoveInput};
    let districts: Vec<String> = tx
        .prepare("SELECT id FROM units WHERE kind = 'district' ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<std::result::Result<_, _>>()?;
    let first = (today - chrono::Duration::days(40)).to_string();
    for d in &districts {
        for (m, q) in
            [("mat-flyer", 12000), ("mat-poster", 60), ("mat-banner", 12), ("mat-gift", 1600), ("mat-letter", 300)]
        {
            materials::add_move(
                tx,
                &StockMoveInput {
                    material_id: m.into(),
                    kind: "receipt".into(),
                    from_unit_id: None,
                    to_unit_id: d.clone(),
                    quantity: q,
                    moved_on: first.clone(),
                    source: "市反诈中心统一印制".into(),
                    notes: String::new(),
                },
            )?;
        }
        // Down to the communities, where the talks are held.
        let communities: Vec<String> = tx
            .prepare(
                "WITH RECURSIVE under(id) AS (SELECT ?1 UNION ALL SELECT u.id FROM units u JOIN under ON u.parent_id = under.id)
                 SELECT id FROM units WHERE kind = 'community' AND id IN (SELECT id FROM under) ORDER BY name",
            )?
            .query_map([d], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        for (i, c) in communities.iter().enumerate() {
            // The first community of each district got one poster from the last batch: below its
            // threshold of two whatever the day, so the reconciliation always has a warning to show
            // (the other warnings come from the hand-outs recorded so far this month).
            let posters = if i == 0 { 1 } else { 6 };
            for (m, q) in
                [("mat-flyer", 1500), ("mat-gift", 220), ("mat-poster", posters), ("mat-banner", 1), ("mat-letter", 20)]
            {
                materials::add_move(
                    tx,
                    &StockMoveInput {
                        material_id: m.into(),
                        kind: "allocation".into(),
                        from_unit_id: Some(d.clone()),
                        to_unit_id: c.clone(),
                        quantity: q,
                        moved_on: (today - chrono::Duration::days(35)).to_string(),
                        source: String::new(),
                        notes: "按社区宣讲计划下发".into(),
                    },
                )?;
            }
        }
    }
    Ok(())
}

/// Warned residents across the grids: some followed up and closed, some due now, one
/// closed long enough ago to have been purged.
fn demo_followups(tx: &rusqlite::Transaction, rng: &mut Rng, today: chrono::NaiveDate) -> Result<()> {
    use crate::followups::{self, CaseInput, Method, Outcome, Risk, VisitDone, VisitResult};
    let grids: Vec<(String, Option<String>)> = tx
        .prepare(
            "SELECT u.id, (SELECT p.id FROM people p WHERE p.unit_id = u.id AND p.roles LIKE '%grid_worker%' LIMIT 1)
             FROM units u WHERE u.kind = 'grid' ORDER BY u.name LIMIT 14",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<std::result::Result<_, _>>()?;
    let risks = [Risk::High, Risk::Medium, Risk::Medium, Risk::Low];
    for (i, (grid, worker)) in grids.iter().enumerate() {
        let warned = today - chrono::Duration::days([3, 9, 20, 35, 60, 100, 130][i % 7]);
        let c = followups::save(
            tx,
            &CaseInput {
                id: None,
                name: format!("{}某{}", rng.pick(SURNAMES), if i % 2 == 0 { "（女）" } else { "（男）" }),
                phone: Some(format!("13{}{:08}", rng.range(3, 9), rng.range(0, 99_999_999))),
                grid_id: grid.clone(),
                worker_id: worker.clone(),
                risk: *rng.pick(&risks),
                warned_on: warned.to_string(),
                method: if i % 3 == 0 { Method::InPerson } else { Method::Phone },
                outcome: if i % 5 == 4 { Outcome::NotReached } else { Outcome::Dissuaded },
                money_stopped: i % 4 == 1,
                notes: "接到冒充客服电话，已劝阻未转账".into(),
            },
            today,
        )?;
        for v in c.visits.iter().filter(|v| v.due_on.as_str() < today.to_string().as_str() && (i % 4 != 2)) {
            followups::record_visit(
                tx,
                &VisitDone {
                    visit_id: v.id.clone(),
                    done_on: v.due_on.clone(),
                    method: Method::Phone,
                    result: VisitResult::Safe,
                    notes: String::new(),
                    visitor_id: worker.clone(),
                },
                today,
            )?;
        }
    }
    followups::purge_due(tx, today)?;
    Ok(())
}

/// Fills one month with `n` planned sessions spread over the demo's venues and people, for
/// measuring the calendar at scale (`outreach bench month`). Warnings are ignored on purpose.
pub fn fill_month(store: &mut Store, month: &str, n: u32) -> Result<u32> {
    use crate::sessions::{self, AssignRole, Assignment, SessionInput};
    use chrono::{Datelike, Duration, NaiveDate};
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
        .map_err(|_| Error::invalid(Code::ValidationDate, &[("field", "month"), ("value", month)]))?;
    let days = crate::series::last_day(first.year(), first.month()) as i64;
    let operator = store.operator();
    store.write(|tx| {
        let vs = venues::list(tx, false)?;
        let ps = people::list(tx, false)?;
        if vs.is_empty() || ps.is_empty() {
            return Err(Error::invalid(Code::DemoNotEmpty, &[]));
        }
        for k in 0..n {
            let day = first + Duration::days((k as i64 * 7919) % days);
            let start = day.and_hms_opt(8 + (k % 11), (k % 4) * 15, 0).unwrap();
            let v = &vs[(k as usize * 31) % vs.len()];
            let p = &ps[(k as usize * 17) % ps.len()];
            sessions::save(
                tx,
                &SessionInput {
                    id: None,
                    title: format!("{}宣讲 #{}", v.name, k + 1),
                    kind: if k % 5 == 0 { sessions::SessionKind::BenchTalk } else { sessions::SessionKind::Talk },
                    venue_id: Some(v.id.clone()),
                    unit_id: None,
                    start: sessions::fmt_time(start),
                    end: sessions::fmt_time(start + Duration::minutes(60)),
                    audiences: vec![sessions::Audience::Public],
                    topic_ids: vec![],
                    people: vec![Assignment {
                        person_id: p.id.clone(),
                        role: AssignRole::Speaker,
                        person_name: String::new(),
                    }],
                    materials: vec![],
                    expected_audience: Some(50),
                    channel: String::new(),
                    messages: None,
                    notes: String::new(),
                },
                true,
                &operator,
            )?;
        }
        Ok(n)
    })
}

/// Synthetic fraud cases shaped like the seeds': the common types in their usual shares (刷单返利
/// first), victims by type (the elderly for 冒充公检法 and 养老, students for games and part-time
/// jobs, finance staff for the fake boss), a winter and summer peak, one in seven placed at the
/// community only, and — when `pilot` names a community — that community's cases falling by more
/// than half in the later half of the span (the seeds' "损失金额同比下降57%"). `total` cases in
/// all; the second half runs at 63% of the first half's rate ("立案数同比下降36.9%").
pub(crate) fn synthetic_incidents(
    tx: &rusqlite::Transaction,
    seed: u64,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    total: u32,
    pilot: Option<&str>,
) -> Result<u32> {
    use chrono::Datelike;
    let mut rng = Rng(seed);
    let places: Vec<(String, String, bool)> = tx
        .prepare(
            "SELECT g.id, g.parent_id, coalesce(c.name = ?1, 0) FROM units g JOIN units c ON c.id = g.parent_id
             WHERE g.kind = 'grid' AND g.archived_at IS NULL AND c.kind = 'community' ORDER BY g.id",
        )?
        .query_map([pilot.unwrap_or("")], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? != 0)))?
        .collect::<std::result::Result<_, _>>()?;
    if places.is_empty() || to < from {
        return Ok(0);
    }
    // (label, topic, weight, typical loss in yuan, victims: 0 working age, 1 elderly, 2 students, 3 finance)
    const TYPES: &[(&str, &str, u32, u32, u8)] = &[
        ("刷单返利类", "topic-order-brushing", 28, 12_000, 0),
        ("虚假网络投资理财类", "topic-fake-investment", 18, 90_000, 0),
        ("冒充电商物流客服类", "topic-fake-service", 12, 15_000, 0),
        ("虚假网络贷款类", "topic-loan-credit", 10, 8_000, 0),
        ("冒充公检法及政府机关类", "topic-fake-police", 8, 60_000, 1),
        ("网络婚恋交友类", "topic-romance", 7, 120_000, 0),
        ("冒充领导熟人类", "topic-fake-boss", 6, 50_000, 3),
        ("网络游戏产品虚假交易类", "topic-game-trade", 5, 2_000, 2),
        ("养老诈骗", "topic-elderly-care", 3, 20_000, 1),
        ("兼职诈骗", "topic-campus-loan", 3, 3_000, 2),
    ];
    let weight_sum: u32 = TYPES.iter().map(|t| t.2).sum();
    // Months as the stations see them: before the Spring Festival and the summer holidays peak.
    const MONTH: [u32; 12] = [13, 11, 9, 9, 9, 10, 12, 12, 9, 9, 10, 12];
    let days = (to - from).num_days() as u32 + 1;
    let half = from + chrono::Duration::days(days as i64 / 2);
    let mut st = tx.prepare(
        "INSERT INTO incidents(id, case_no, filed_on, label, topic_id, loss_fen, stopped_fen, age_group, occupation, unit_id,
         created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
    )?;
    let t = crate::util::now();
    let mut n = 0u32;
    let mut tries = 0u32;
    while n < total && tries < total * 20 {
        tries += 1;
        let day = from + chrono::Duration::days(rng.range(0, days - 1) as i64);
        // Thinning: keep a day by its month's weight and by the half of the span it falls in.
        let later = day >= half;
        let keep = MONTH[day.month0() as usize] * if later { 63 } else { 100 };
        if rng.range(0, 1300) >= keep {
            continue;
        }
        let (grid, community, is_pilot) = &places[rng.next() as usize % places.len()];
        if *is_pilot && later && rng.range(0, 99) < 55 {
            continue;
        }
        let mut w = rng.range(0, weight_sum - 1);
        let ty = TYPES
            .iter()
            .find(|t| {
                if w < t.2 {
                    true
                } else {
                    w -= t.2;
                    false
                }
            })
            .unwrap_or(&TYPES[0]);
        let (age, occupation) = match ty.4 {
            1 => ("age60plus", *rng.pick(&["retired", "retired", "unemployed", "other"])),
            2 => (*rng.pick(&["under18", "under18", "age18to59"]), "student"),
            3 => ("age18to59", *rng.pick(&["finance", "finance", "employee"])),
            _ => match rng.range(0, 9) {
                0 | 1 => ("age60plus", "retired"),
                2 => ("age18to59", "student"),
                3 => ("age18to59", "merchant"),
                4..=6 => ("age18to59", "employee"),
                7 => ("unknown", "unknown"),
                _ => ("age18to59", *rng.pick(&["unemployed", "other"])),
            },
        };
        let loss = ty.3 as i64 * rng.range(10, 300) as i64 / 100 + rng.range(0, 99) as i64;
        let stopped = if rng.range(0, 6) == 0 { loss * rng.range(10, 60) as i64 / 100 } else { 0 };
        let place = if rng.range(0, 6) == 0 { community } else { grid };
        n += 1;
        let case_no = format!("A{}{:06}", day.format("%Y%m%d"), n);
        st.execute(params![
            format!("inc-demo-{seed:x}-{n}"),
            case_no,
            day.to_string(),
            ty.0,
            ty.1,
            loss * 100,
            stopped * 100,
            age,
            occupation,
            place,
            t
        ])?;
    }
    Ok(n)
}

/// The demo's two years of cases: the last 730 days, a fall in the later year, 稷下社区 the
/// pilot whose cases fell most; and one warned resident defrauded again, so the follow-up view's
/// re-victimisation figure has something to count.
fn demo_incidents(tx: &rusqlite::Transaction, today: chrono::NaiveDate) -> Result<u32> {
    let n = synthetic_incidents(tx, 0x15C1DE75, today - chrono::Duration::days(730), today, 700, Some("稷下社区"))?;
    tx.execute(
        "UPDATE incidents SET warned_case_id = c.id, warned_on = c.warned_on, unit_id = c.grid_id
         FROM (SELECT id, warned_on, grid_id FROM cases ORDER BY warned_on LIMIT 1) c
         WHERE incidents.id = (SELECT id FROM incidents WHERE filed_on > date(c.warned_on, '+40 days') ORDER BY filed_on LIMIT 1)",
        [],
    )?;
    Ok(n)
}
