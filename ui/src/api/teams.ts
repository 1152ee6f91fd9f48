import { call } from "./invoke";
import type { TeamInput } from "../bindings/TeamInput";

export const teamsList = () => call("teams_list");
export const teamsSave = (input: TeamInput) => call("teams_save", { input });
export const teamsArchive = (id: string) => call("teams_archive", { id });
