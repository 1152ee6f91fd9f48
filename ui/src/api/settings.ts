import { call } from "./invoke";
import type { AppInfo } from "../bindings/AppInfo";
import type { AuditEntry } from "../bindings/AuditEntry";
import type { BackupInfo } from "../bindings/BackupInfo";
import type { DemoSummary } from "../bindings/DemoSummary";
import type { Settings } from "../bindings/Settings";
import type { Verification } from "../bindings/Verification";

export const appInfo = () => call<AppInfo>("app_info");
export const settingsSave = (settings: Settings) => call<Settings>("settings_save", { settings });
export const demoLoad = () => call<DemoSummary>("demo_load");
export const backupsList = () => call<BackupInfo[]>("backups_list");
export const backupNow = () => call<BackupInfo>("backup_now");
export const backupRestore = (fileName: string) => call<null>("backup_restore", { fileName });
export const auditList = (limit: number, offset: number) => call<AuditEntry[]>("audit_list", { limit, offset });
export const auditVerify = () => call<Verification>("audit_verify");
export const appReady = () => call<null>("app_ready");
