import type { Settings } from "./Settings";

export type AppInfo = { version: string; dataDir: string; dbPath: string; isEmpty: boolean; settings: Settings };
