import { call } from "./invoke";
import type { Settings } from "../bindings/Settings";

export const appInfo = () => call("app_info");
export const settingsSave = (settings: Settings) => call("settings_save", { settings });
export const demoLoad = () => call("demo_load");
export const backupsList = () => call("backups_list");
export const backupNow = () => call("backup_now");
export const backupRestore = (fileName: string) => call("backup_restore", { fileName });
export const auditList = (limit: number, offset: number) => call("audit_list", { limit, offset });
export const auditVerify = () => call("audit_verify");
export const appReady = () => call("app_ready");
