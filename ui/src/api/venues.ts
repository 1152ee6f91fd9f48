import { call } from "./invoke";
import type { Venue } from "../bindings/Venue";
import type { VenueInput } from "../bindings/VenueInput";

export const venuesList = (includeArchived: boolean) => call<Venue[]>("venues_list", { includeArchived });
export const venuesSave = (input: VenueInput) => call<Venue>("venues_save", { input });
export const venuesArchive = (id: string) => call<Venue>("venues_archive", { id });
export const venuesRestore = (id: string) => call<Venue>("venues_restore", { id });
/** Full digits of the contact phone; audited by Rust. */
export const venuesRevealPhone = (id: string) => call<string>("venues_reveal_phone", { id });
