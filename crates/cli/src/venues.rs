//! `outreach venues`: schools, firms, communities and squares — list, add, archive, restore, and
//! the contact's full phone number on request (audited), over the same use cases as the window.

use clap::Subcommand;
use outreach_core::error::Code;
use outreach_core::venues::{self, VenueInput, VenueKind};
use outreach_core::{units, Error, Result, Store};

use crate::json_out;

#[derive(Subcommand)]
pub enum VenuesCmd {
    /// Every venue (contact phones masked)
    List {
        #[arg(long)]
        archived: bool,
        #[arg(long)]
        json: bool,
    },
    /// A new venue
    Add {
        #[arg(long)]
        name: String,
        /// school, enterprise, community, market, square, bank, other, or the Chinese name
        #[arg(long)]
        kind: String,
        /// The unit (name or id)
        #[arg(long)]
        unit: Option<String>,
        #[arg(long, default_value = "")]
        address: String,
        #[arg(long, default_value = "")]
        contact: String,
        #[arg(long, default_value = "")]
        phone: String,
        #[arg(long)]
        staff: Option<u32>,
        #[arg(long, default_value = "")]
        notes: String,
        #[arg(long)]
        json: bool,
    },
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
    /// The contact's full phone number (written to the audit log)
    Phone { id: String },
}

fn show(v: &venues::Venue, json: bool) -> Result<()> {
    if json {
        return json_out(v);
    }
    println!("{}\t{}\t{}\t{}\t{}", v.id, v.name, v.kind.label(), v.unit_name, v.address);
    Ok(())
}

pub fn venues(store: &mut Store, cmd: VenuesCmd) -> Result<()> {
    match cmd {
        VenuesCmd::List { archived, json } => {
            let list = venues::list(store.conn(), archived)?;
            if json {
                return json_out(&list);
            }
            for v in &list {
                show(v, false)?;
            }
        }
        VenuesCmd::Add { name, kind, unit, address, contact, phone, staff, notes, json } => {
            let kind = VenueKind::parse(&kind)
                .ok_or_else(|| Error::invalid(Code::ValidationChoice, &[("field", "kind"), ("value", &kind)]))?;
            let unit_id = unit.map(|u| units::resolve(store.conn(), &u)).transpose()?;
            let input = VenueInput {
                id: None,
                name,
                kind,
                unit_id,
                address,
                contact_name: contact,
                contact_phone: Some(phone),
                vice_principal_id: None,
                staff_count: staff,
                letter_signed_on: None,
                notes,
            };
            let v = outreach_app::venues::save(store, &input)?;
            show(&v, json)?;
        }
        VenuesCmd::Archive { id, json } => show(&outreach_app::venues::archive(store, &id)?, json)?,
        VenuesCmd::Restore { id, json } => show(&outreach_app::venues::restore(store, &id)?, json)?,
        VenuesCmd::Phone { id } => println!("{}", outreach_app::venues::reveal_phone(store, &id)?),
    }
    Ok(())
}
