mod common;

use common::{add, grid_profile};
use outreach_core::units::{self, GridProfile, UnitInput, UnitKind};
use outreach_core::Store;

fn tree_store() -> (Store, [String; 6]) {
    let mut s = Store::open_in_memory().unwrap();
    let city = add(&mut s, None, "淄博市", UnitKind::City, None);
    let district = add(&mut s, Some(&city), "临淄区", UnitKind::District, None);
    let station = add(&mut s, Some(&district), "稷下派出所", UnitKind::Station, None);
    let community = add(&mut s, Some(&station), "稷下社区", UnitKind::Community, None);
    let g1 = add(&mut s, Some(&community), "稷下第一网格", UnitKind::Grid, Some(grid_profile(1000)));
    let g2 = add(&mut s, Some(&community), "稷下第二网格", UnitKind::Grid, Some(grid_profile(600)));
    (s, [city, district, station, community, g1, g2])
}

#[test]
fn totals_roll_up_the_tree() {
    let (s, [city, _, station, _, _, _]) = tree_store();
    let tree = units::tree(s.conn(), false).unwrap();
    assert_eq!(tree.len(), 1);
    let root = &tree[0];
    assert_eq!(root.unit.id, city);
    assert_eq!(root.totals.grids, 2);
    assert_eq!(root.totals.residents, 1600);
    assert_eq!(root.totals.households, 333 + 200);
    assert_eq!(root.totals.age60plus, 250 + 150);
    assert_eq!(root.totals.elderly_alone, 50 + 30);
    let t = units::totals(s.conn(), &station).unwrap();
    assert_eq!((t.grids, t.residents, t.students), (2, 1600, 166 + 100));
}

#[test]
fn archived_grids_leave_the_totals() {
    let (mut s, [city, _, _, _, g1, _]) = tree_store();
    s.write(|tx| units::archive(tx, &g1)).unwrap();
    assert_eq!(units::totals(s.conn(), &city).unwrap().residents, 600);
    let tree = units::tree(s.conn(), false).unwrap();
    assert_eq!(tree[0].totals.residents, 600);
    // Archived, not gone: it comes back.
    s.write(|tx| units::restore(tx, &g1)).unwrap();
    assert_eq!(units::totals(s.conn(), &city).unwrap().residents, 1600);
}

#[test]
fn moves_cannot_make_cycles() {
    let (mut s, [city, district, station, community, g1, _]) = tree_store();
    for (id, parent) in [(&city, &district), (&district, &community), (&station, &station)] {
        let e = s.write(|tx| units::move_unit(tx, id, Some(parent))).unwrap_err();
        assert_eq!(e.code(), "units.cycle", "moving {id} under {parent}");
    }
    let e = s.write(|tx| units::move_unit(tx, &community, Some(&g1))).unwrap_err();
    assert_eq!(e.code(), "units.grid_children");
    // A legal move: the community goes straight under the district, totals follow.
    s.write(|tx| units::move_unit(tx, &community, Some(&district))).unwrap();
    assert_eq!(units::totals(s.conn(), &station).unwrap().grids, 0);
    assert_eq!(units::totals(s.conn(), &district).unwrap().grids, 2);
    // To the top level is a move too.
    s.write(|tx| units::move_unit(tx, &community, None)).unwrap();
    assert_eq!(units::tree(s.conn(), false).unwrap().len(), 2);
}

#[test]
fn any_depth_is_allowed_but_not_below_a_grid() {
    let (mut s, [_, _, _, community, g1, _]) = tree_store();
    let sub = add(&mut s, Some(&community), "稷下社区东片", UnitKind::Community, None);
    let deep = add(&mut s, Some(&sub), "东片第一网格", UnitKind::Grid, Some(grid_profile(90)));
    assert_eq!(units::totals(s.conn(), &community).unwrap().residents, 1690);
    assert!(units::get(s.conn(), &deep).unwrap().profile.is_some());
    let e = s
        .write(|tx| {
            units::save(
                tx,
                &UnitInput {
                    id: None,
                    parent_id: Some(g1.clone()),
                    name: "x".into(),
                    kind: UnitKind::Grid,
                    code: String::new(),
                    profile: None,
                },
            )
        })
        .unwrap_err();
    assert_eq!(e.code(), "units.grid_children");
    // A unit with children cannot become a grid.
    let u = units::get(s.conn(), &sub).unwrap();
    let e = s
        .write(|tx| {
            units::save(
                tx,
                &UnitInput {
                    id: Some(u.id.clone()),
                    parent_id: u.parent_id.clone(),
                    name: u.name.clone(),
                    kind: UnitKind::Grid,
                    code: String::new(),
                    profile: None,
                },
            )
        })
        .unwrap_err();
    assert_eq!(e.code(), "units.grid_children");
}

#[test]
fn archive_refuses_a_unit_with_active_children() {
    let (mut s, [city, _, _, community, g1, g2]) = tree_store();
    assert_eq!(s.write(|tx| units::archive(tx, &community)).unwrap_err().code(), "units.has_active_children");
    s.write(|tx| units::archive(tx, &g1)).unwrap();
    s.write(|tx| units::archive(tx, &g2)).unwrap();
    s.write(|tx| units::archive(tx, &community)).unwrap();
    // A child cannot come back under an archived parent.
    assert_eq!(s.write(|tx| units::restore(tx, &g1)).unwrap_err().code(), "units.parent_archived");
    assert_eq!(units::list(s.conn(), false).unwrap().len(), 3);
    assert_eq!(units::list(s.conn(), true).unwrap().len(), 6);
    // Nothing under an archived unit either.
    let e = s
        .write(|tx| {
            units::save(
                tx,
                &UnitInput {
                    id: None,
                    parent_id: Some(community.clone()),
                    name: "新网格".into(),
                    kind: UnitKind::Grid,
                    code: String::new(),
                    profile: None,
                },
            )
        })
        .unwrap_err();
    assert_eq!(e.code(), "units.parent_archived");
    let _ = city;
}

#[test]
fn profile_validation() {
    let mut s = Store::open_in_memory().unwrap();
    let bad =
        GridProfile { residents: 100, under18: 50, age18to59: 40, age60plus: 20, students: 120, ..Default::default() };
    let e = s
        .write(|tx| {
            units::save(
                tx,
                &UnitInput {
                    id: None,
                    parent_id: None,
                    name: "网格".into(),
                    kind: UnitKind::Grid,
                    code: String::new(),
                    profile: Some(bad.clone()),
                },
            )
        })
        .unwrap_err();
    let codes: Vec<String> = e.issues().into_iter().map(|i| i.code.to_string()).collect();
    assert_eq!(codes, vec!["validation.age_split", "validation.key_groups"]);
    assert!(e.issues()[0].message.contains("110"), "{}", e.issues()[0].message);
    let e = s
        .write(|tx| {
            units::save(
                tx,
                &UnitInput {
                    id: None,
                    parent_id: None,
                    name: "  ".into(),
                    kind: UnitKind::City,
                    code: String::new(),
                    profile: None,
                },
            )
        })
        .unwrap_err();
    assert_eq!(e.code(), "validation.required");
    let e = s
        .write(|tx| {
            units::save(
                tx,
                &UnitInput {
                    id: None,
                    parent_id: Some("nope".into()),
                    name: "x".into(),
                    kind: UnitKind::City,
                    code: String::new(),
                    profile: None,
                },
            )
        })
        .unwrap_err();
    assert_eq!(e.code(), "not_found");
}

#[test]
fn list_puts_parents_before_children() {
    let (mut s, [city, _, _, community, _, _]) = tree_store();
    // A unit created later but moved up still comes after its new parent.
    let late = add(&mut s, None, "后建社区", UnitKind::Community, None);
    add(&mut s, Some(&late), "后建网格", UnitKind::Grid, Some(grid_profile(10)));
    s.write(|tx| units::move_unit(tx, &late, Some(&city))).unwrap();
    let list = units::list(s.conn(), true).unwrap();
    let pos: std::collections::HashMap<&str, usize> =
        list.iter().enumerate().map(|(i, u)| (u.id.as_str(), i)).collect();
    for u in &list {
        if let Some(p) = &u.parent_id {
            assert!(pos[p.as_str()] < pos[u.id.as_str()], "{} listed before its parent", u.name);
        }
    }
    assert_eq!(list[0].id, city);
    let _ = community;
}

#[test]
fn saving_the_same_values_changes_nothing() {
    let (mut s, [_, _, _, _, g1, _]) = tree_store();
    let u = units::get(s.conn(), &g1).unwrap();
    let input = UnitInput {
        id: Some(u.id.clone()),
        parent_id: u.parent_id.clone(),
        name: u.name.clone(),
        kind: u.kind,
        code: u.code.clone(),
        profile: u.profile.clone(),
    };
    let (after, saved) = s.write(|tx| units::save_counted(tx, &input)).unwrap();
    assert_eq!(saved, units::Saved::Unchanged);
    assert_eq!(after.updated_at, u.updated_at);
}
