import { call } from "./invoke";
import type { Person } from "../bindings/Person";
import type { PersonInput } from "../bindings/PersonInput";
import type { Topic } from "../bindings/Topic";

export const peopleList = (includeArchived: boolean) => call<Person[]>("people_list", { includeArchived });
export const peopleSave = (input: PersonInput) => call<Person>("people_save", { input });
export const peopleArchive = (id: string) => call<Person>("people_archive", { id });
export const peopleRestore = (id: string) => call<Person>("people_restore", { id });
/** Full digits; Rust writes the look-up to the audit log. */
export const peopleRevealPhone = (id: string) => call<string>("people_reveal_phone", { id });
export const topicsList = () => call<Topic[]>("topics_list");
