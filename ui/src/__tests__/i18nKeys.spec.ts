import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import zhCN from "../i18n/zh-CN";
import en from "../i18n/en";

type Tree = { [k: string]: string | Tree };

function has(tree: Tree, key: string): boolean {
  let node: string | Tree | undefined = tree;
  for (const part of key.split(".")) {
    if (typeof node !== "object" || node === null) return false;
    node = node[part];
  }
  return typeof node === "string";
}

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== "__tests__" && name !== "i18n" && name !== "bindings") out.push(...sources(p));
    } else if (/\.(vue|ts)$/.test(name)) out.push(p);
  }
  return out;
}

describe("i18n keys used in the code", () => {
  it("every literal t('…') key exists in both languages", () => {
    const src = resolve(__dirname, "..");
    const missing: string[] = [];
    for (const file of sources(src)) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/\bt\(\s*["']([a-zA-Z][\w.-]*)["']/g)) {
        const key = m[1];
        if (!key.includes(".")) continue;
        for (const [name, tree] of [["zh-CN", zhCN], ["en", en]] as const) {
          if (!has(tree as unknown as Tree, key)) missing.push(`${name}: ${key} (${file.slice(src.length + 1)})`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
