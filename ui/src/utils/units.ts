import type { UnitKind } from "../bindings/UnitKind";
import type { UnitNode } from "../bindings/UnitNode";

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

/** Option tree for el-tree-select. */
export type UnitOption = {
  value: string;
  label: string;
  kind: UnitKind;
  archived: boolean;
  disabled: boolean;
  children: UnitOption[];
};

export function toOptions(
  nodes: UnitNode[],
  opts: { disableGrids?: boolean; disabledIds?: Set<string> } = {},
): UnitOption[] {
  return nodes.map((n) => ({
    value: n.unit.id,
    label: n.unit.name,
    kind: n.unit.kind,
    archived: n.unit.archived,
    disabled: (opts.disableGrids === true && n.unit.kind === "grid") || (opts.disabledIds?.has(n.unit.id) ?? false),
    children: toOptions(n.children, opts),
  }));
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
