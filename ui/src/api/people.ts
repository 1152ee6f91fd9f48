import { call } from "./invoke";
import type { PersonInput } from "../bindings/PersonInput";

export const peopleList = (includeArchived: boolean) => call("people_list", { includeArchived });
export const peopleSave = (input: PersonInput) => call("people_save", { input });
export const peopleArchive = (id: string) => call("people_archive", { id });
export const peopleRestore = (id: string) => call("people_restore", { id });
/** Full digits; Rust writes the look-up to the audit log. */
export const peopleRevealPhone = (id: string) => call("people_reveal_phone", { id });
export const topicsList = () => call("topics_list");
