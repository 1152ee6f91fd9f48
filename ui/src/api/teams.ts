import { call } from "./invoke";
import type { Team } from "../bindings/Team";
import type { TeamInput } from "../bindings/TeamInput";

export const teamsList = () => call<Team[]>("teams_list");
export const teamsSave = (input: TeamInput) => call<Team>("teams_save", { input });
export const teamsArchive = (id: string) => call<Team>("teams_archive", { id });
