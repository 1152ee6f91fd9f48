import { call } from "./invoke";
import type { VenueInput } from "../bindings/VenueInput";

export const venuesList = (includeArchived: boolean) => call("venues_list", { includeArchived });
export const venuesSave = (input: VenueInput) => call("venues_save", { input });
export const venuesArchive = (id: string) => call("venues_archive", { id });
export const venuesRestore = (id: string) => call("venues_restore", { id });
/** Full digits of the contact phone; audited by Rust. */
export const venuesRevealPhone = (id: string) => call("venues_reveal_phone", { id });
