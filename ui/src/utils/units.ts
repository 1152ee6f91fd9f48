import type { UnitKind } from "../bindings/UnitKind";
import type { UnitNode } from "../bindings/UnitNode";
import { computed, ref } from "vue";
import { norm } from "./format";

export const UNIT_KINDS: UnitKind[] = ["city", "district", "station", "community", "grid"];

/** The usual kind one level down; null under a grid (grids have no children). */
export function nextKind(kind: UnitKind): UnitKind | null {
  const i = UNIT_KINDS.indexOf(kind);
  return i < 0 || i === UNIT_KINDS.length - 1 ? null : UNIT_KINDS[i + 1];
}

export const KIND_TAG: Record<UnitKind, "primary" | "success" | "warning" | "info" | "danger"> = {
  city: "danger",
  district: "warning",
  station: "primary",
  community: "success",
  grid: "info",
};

/** One row of a unit picker (el-select-v2): the units in tree order, indented by depth. */
export type UnitOption = {
  value: string;
  label: string;
  kind: UnitKind;
  depth: number;
  archived: boolean;
  disabled: boolean;
};

/**
 * The rows of a picker: every unit, or with `q` (normalised, by name or code) the matching
 * units and the units above them, in tree order. `keep` (the chosen ones) are always listed,
 * so the picker can still name them while a search leaves them out.
 */
export function unitOptions(ix: UnitSearchIndex, q: string, disabled: (n: UnitNode) => boolean, keep: Set<string> = new Set()): UnitOption[] {
  const { depth, nodes } = ix;
  const n = ix.ids.length;
  let take: Uint8Array | null = null;
  if (q) {
    take = new Uint8Array(n);
    for (let i = n - 1; i >= 0; i--) {
      if (ix.names[i].includes(q) || (ix.codes[i] !== "" && ix.codes[i].includes(q)) || keep.has(ix.ids[i])) take[i] = 1;
      const p = ix.parent[i];
      if (take[i] && p >= 0) take[p] = 1;
    }
  }
  const out: UnitOption[] = [];
  for (let i = 0; i < n; i++) {
    if (take && !take[i]) continue;
    const u = nodes[i].unit;
    out.push({ value: u.id, label: u.name, kind: u.kind, depth: depth[i], archived: u.archived, disabled: disabled(nodes[i]) });
  }
  return out;
}

export type UnitIndex = {
  byId: Map<string, UnitNode>;
  parentOf: Map<string, string | null>;
};

export function indexTree(roots: UnitNode[]): UnitIndex {
  const byId = new Map<string, UnitNode>();
  const parentOf = new Map<string, string | null>();
  const stack: Array<[UnitNode, string | null]> = roots.map((r) => [r, null]);
  while (stack.length) {
    const [node, parent] = stack.pop()!;
    byId.set(node.unit.id, node);
    parentOf.set(node.unit.id, parent);
    for (const c of node.children) stack.push([c, node.unit.id]);
  }
  return { byId, parentOf };
}

/** The id itself and every id below it. */
export function subtreeIds(node: UnitNode): Set<string> {
  const out = new Set<string>();
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    out.add(n.unit.id);
    stack.push(...n.children);
  }
  return out;
}

/** Ids of nodes at depth < depth (0 = roots), for default-expanded-keys. */
export function idsToDepth(roots: UnitNode[], depth: number): string[] {
  const out: string[] = [];
  const walk = (nodes: UnitNode[], d: number) => {
    if (d >= depth) return;
    for (const n of nodes) {
      out.push(n.unit.id);
      walk(n.children, d + 1);
    }
  };
  walk(roots, 0);
  return out;
}

/** "市 › 区 › 派出所" path of names above an id (excluding it). */
export function pathNames(index: UnitIndex, id: string): string[] {
  const names: string[] = [];
  let p = index.parentOf.get(id) ?? null;
  while (p) {
    const n = index.byId.get(p);
    if (!n) break;
    names.unshift(n.unit.name);
    p = index.parentOf.get(p) ?? null;
  }
  return names;
}

/**
 * The tree flattened once per load for searching: every unit in pre-order (a parent before its
 * children), its parent's position and its name and code normalised (`norm`). A search is then
 * two passes over arrays, not a walk up the ancestors of every node at every keystroke.
 */
export type UnitSearchIndex = {
  ids: string[];
  /** Position of the parent in `ids`, -1 for a root. */
  parent: Int32Array;
  /** 0 for a root (a picker indents by it). */
  depth: Int32Array;
  nodes: UnitNode[];
  names: string[];
  codes: string[];
};

// One index per tree: the tree arrays are replaced, never changed in place, so every picker
// and the tree view over the same load share it.
const indexes = new WeakMap<UnitNode[], UnitSearchIndex>();

export function searchIndex(roots: UnitNode[]): UnitSearchIndex {
  const known = indexes.get(roots);
  if (known) return known;
  const ix = buildIndex(roots);
  indexes.set(roots, ix);
  return ix;
}

function buildIndex(roots: UnitNode[]): UnitSearchIndex {
  const ids: string[] = [];
  const parents: number[] = [];
  const depths: number[] = [];
  const nodes: UnitNode[] = [];
  const names: string[] = [];
  const codes: string[] = [];
  const stack: Array<[UnitNode, number]> = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push([roots[i], -1]);
  while (stack.length) {
    const [node, parent] = stack.pop()!;
    const at = ids.length;
    ids.push(node.unit.id);
    parents.push(parent);
    depths.push(parent >= 0 ? depths[parent] + 1 : 0);
    nodes.push(node);
    names.push(norm(node.unit.name));
    codes.push(norm(node.unit.code));
    for (let i = node.children.length - 1; i >= 0; i--) stack.push([node.children[i], at]);
  }
  return { ids, parent: Int32Array.from(parents), depth: Int32Array.from(depths), nodes, names, codes };
}

/**
 * A picker's rows over `units()`: `query` is what the user types; the rows follow it, the
 * tree, what is disabled and the chosen ones (always listed) — all derived, nothing kept.
 */
export function useUnitOptions(units: () => UnitNode[], disabled: () => (n: UnitNode) => boolean, chosen: () => string[]) {
  const ix = computed(() => searchIndex(units()));
  const query = ref("");
  const options = computed(() => unitOptions(ix.value, norm(query.value), disabled(), new Set(chosen())));
  return { query, options };
}

export type UnitSearch = {
  /** Units whose name or code holds the text, and every unit below one of them. */
  shown: Set<string>;
  /** Units with a match somewhere below them: opened so that the matches can be seen. */
  open: string[];
  /** The same, to look up. */
  openSet: Set<string>;
  /** How many units match themselves. */
  matches: number;
};

/** One search over the index (`q` normalised by the caller, not empty). */
export function searchUnits(ix: UnitSearchIndex, q: string): UnitSearch {
  const n = ix.ids.length;
  const hit = new Uint8Array(n); // 1: matches itself
  const shown = new Uint8Array(n);
  const below = new Uint8Array(n); // a match somewhere below
  let matches = 0;
  for (let i = 0; i < n; i++) {
    if (ix.names[i].includes(q) || (ix.codes[i] !== "" && ix.codes[i].includes(q))) {
      hit[i] = 1;
      matches++;
    }
    const p = ix.parent[i];
    shown[i] = hit[i] || (p >= 0 ? shown[p] : 0);
  }
  // children come after their parent: one pass backwards carries "a match below" upwards
  for (let i = n - 1; i >= 0; i--) {
    const p = ix.parent[i];
    if (p >= 0 && (hit[i] || below[i])) below[p] = 1;
  }
  const shownIds = new Set<string>();
  const open: string[] = [];
  for (let i = 0; i < n; i++) {
    if (shown[i]) shownIds.add(ix.ids[i]);
    if (below[i]) open.push(ix.ids[i]);
  }
  return { shown: shownIds, open, openSet: new Set(open), matches };
}
