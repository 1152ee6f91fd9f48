import { describe, expect, it } from "vitest";
import zhCN from "../i18n/zh-CN";
import en from "../i18n/en";

type Tree = { [k: string]: string | Tree };

function leaves(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out.set(key, v);
    else for (const [kk, vv] of leaves(v, key)) out.set(kk, vv);
  }
  return out;
}

const zh = leaves(zhCN as unknown as Tree);
const eng = leaves(en as unknown as Tree);

function placeholders(s: string): string[] {
  return [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

/** An English plural message ("{n} session | {n} sessions") is two forms; any other, one. */
function forms(s: string): string[] {
  return s.split(" | ");
}

describe("i18n messages", () => {
  it("every zh-CN key exists in en", () => {
    const missing = [...zh.keys()].filter((k) => !eng.has(k));
    expect(missing).toEqual([]);
  });

  it("every en key exists in zh-CN", () => {
    const missing = [...eng.keys()].filter((k) => !zh.has(k));
    expect(missing).toEqual([]);
  });

  it("no message is empty and both languages use the same placeholders", () => {
    for (const [k, v] of zh) {
      expect(v.trim(), k).not.toBe("");
      // an English count has a singular and a plural form, each with the same placeholders
      for (const form of forms(eng.get(k) ?? "")) expect(placeholders(form), k).toEqual(placeholders(v));
    }
  });

  it("no message uses vue-i18n special characters by accident", () => {
    for (const [k, v] of [...zh, ...eng]) {
      const text = eng.get(k) === v ? forms(v).join("") : v;
      expect(/[@|$]/.test(text), `${k}: ${v}`).toBe(false);
    }
  });

  it("counts in English say 1 session, 2 sessions", () => {
    const plural = [...eng].filter(([, v]) => v.includes(" | "));
    expect(plural.length).toBeGreaterThan(5);
    for (const [k, v] of plural) {
      expect(forms(v), k).toHaveLength(2);
      expect(placeholders(forms(v)[0]), k).toEqual(placeholders(forms(v)[1]));
    }
    expect(eng.get("plan.agenda.count")).toBe("{n} session | {n} sessions");
  });

  it("names every field Rust puts in a recording message", () => {
    const fields = [
      "actualStart", "actualEnd", "headcount", "notes", "signinNames", "caption", "audience", "category", "unitLabel",
      "lowStock", "fromUnit", "quantity", "movedOn", "source", "building", "visitedOn", "visited", "notHome", "refused",
      "warnings", "residentName", "warnedOn", "doneOn", "purgeDays", "since", "phone", "qrText", "qrCaption", "from",
      "to",
    ];
    for (const f of fields) {
      expect(zh.has(`fields.${f}`), f).toBe(true);
      expect(eng.has(`fields.${f}`), f).toBe(true);
    }
  });

  it("translates every error code of docs/COMMANDS.md", () => {
    const codes = [
      "validation.required",
      "validation.phone",
      "validation.number",
      "validation.date",
      "validation.choice",
      "validation.too_long",
      "validation.age_split",
      "validation.key_groups",
      "not_found",
      "units.cycle",
      "units.grid_children",
      "units.parent_archived",
      "units.has_active_children",
      "duplicate",
      "import.empty",
      "import.header",
      "import.unreadable",
      "import.too_many_rows",
      "import.has_problems",
      "import.expired",
      "import.unknown_unit",
      "import.unknown_topic",
      "import.unknown_team",
      "import.duplicate_id",
      "demo.not_empty",
      "backup.not_found",
      "db.busy",
      "db.failed",
      "io.failed",
      "internal",
      // planning
      "validation.datetime",
      "sessions.end_before_start",
      "sessions.too_long",
      "sessions.no_place",
      "sessions.locked",
      "sessions.bad_transition",
      "series.count",
      "series.rule",
      "sessions.person_busy",
      "sessions.venue_busy",
      "sessions.speaker_topic",
      "sessions.inactive_person",
      "sessions.no_contact",
      // recording, follow-ups, hand-over
      "validation.negative",
      "validation.positive",
      "validation.too_large",
      "validation.future",
      "records.split_over_total",
      "records.session_cancelled",
      "records.not_yet",
      "records.reason_required",
      "records.hours",
      "photos.too_large",
      "photos.too_many_pixels",
      "photos.not_image",
      "materials.same_unit",
      "materials.negative",
      "materials.low",
      "visits.not_grid",
      "visits.empty",
      "followups.schedule",
      "followups.purged",
      "followups.before_warning",
      "bundle.foreign",
      "bundle.truncated",
      "bundle.tampered",
      "bundle.schema",
      "bundle.schema_version",
      "bundle.missing_reference",
      "bundle.constraint",
      "bundle.conflict_resolved",
      "bundle.conflict_stale",
      "bundle.expired",
      "bundle.passphrase_required",
      "bundle.passphrase_wrong",
      "bundle.encryption_required",
      "passphrase.too_short",
      "passphrase.one_class",
      "passphrase.repetitive",
      "passphrase.mismatch",
      "passphrase.needed_new",
      // the encrypted database
      "db.passphrase_required",
      "db.passphrase_wrong",
      "db.locked",
      "db.state_changed",
      // printing
      "print.image_invalid",
      "print.image_too_large",
      "print.font",
      "print.cancelled",
      "print.internal",
      "print.no_grids",
      "print.not_enterprise",
      "print.no_enterprises",
    ];
    for (const c of codes) {
      expect(zh.has(`errors.${c}`), c).toBe(true);
      expect(eng.has(`errors.${c}`), c).toBe(true);
    }
  });
});
