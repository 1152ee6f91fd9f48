//! `outreach people`: the speaker corps and grid workers — list, add, archive, restore, and the
//! full phone number on request (audited), over the same use cases as the window.

use clap::Subcommand;
use outreach_core::error::Code;
use outreach_core::people::{self, PersonInput, PersonRole};
use outreach_core::{units, Error, Result, Store};

use crate::json_out;

#[derive(Subcommand)]
pub enum PeopleCmd {
    /// Everyone (phones masked)
    List {
        #[arg(long)]
        archived: bool,
        #[arg(long)]
        json: bool,
    },
    /// A new person
    Add {
        #[arg(long)]
        name: String,
        /// police, auxiliary, grid_worker, … or the Chinese name (民警, 网格员, …); repeatable
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        #[arg(long, default_value = "")]
        phone: String,
        /// The unit (name or id)
        #[arg(long)]
        unit: Option<String>,
        /// YYYY-MM-DD
        #[arg(long)]
        joined: Option<String>,
        #[arg(long, default_value = "")]
        notes: String,
        #[arg(long)]
        json: bool,
    },
    /// Archive a person (kept in the records they appear in)
    Archive {
        id: String,
        #[arg(long)]
        json: bool,
    },
    Restore {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// The full phone number (written to the audit log)
    Phone { id: String },
}

fn show(p: &people::Person, json: bool) -> Result<()> {
    if json {
        return json_out(p);
    }
    let roles: Vec<&str> = p.roles.iter().map(|r| r.label()).collect();
    println!("{}\t{}\t{}\t{}\t{}", p.id, p.name, roles.join("、"), p.phone_masked, p.unit_name);
    Ok(())
}

pub fn people(store: &mut Store, cmd: PeopleCmd) -> Result<()> {
    match cmd {
        PeopleCmd::List { archived, json } => {
            let list = people::list(store.conn(), archived)?;
            if json {
                return json_out(&list);
            }
            for p in &list {
                show(p, false)?;
            }
        }
        PeopleCmd::Add { name, roles, phone, unit, joined, notes, json } => {
            let roles = roles
                .iter()
                .map(|r| {
                    PersonRole::parse(r)
                        .ok_or_else(|| Error::invalid(Code::ValidationChoice, &[("field", "role"), ("value", r)]))
                })
                .collect::<Result<Vec<_>>>()?;
            let unit_id = unit.map(|u| units::resolve(store.conn(), &u)).transpose()?;
            let input = PersonInput {
                id: None,
                name,
                roles,
                phone: Some(phone),
                unit_id,
                team_ids: vec![],
                topic_ids: vec![],
                active: true,
                joined_on: joined,
                notes,
            };
            let p = outreach_app::people::save(store, &input)?;
            show(&p, json)?;
        }
        PeopleCmd::Archive { id, json } => show(&outreach_app::people::archive(store, &id)?, json)?,
        PeopleCmd::Restore { id, json } => show(&outreach_app::people::restore(store, &id)?, json)?,
        PeopleCmd::Phone { id } => println!("{}", outreach_app::people::reveal_phone(store, &id)?),
    }
    Ok(())
}
