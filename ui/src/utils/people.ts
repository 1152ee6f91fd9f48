import type { Person } from "../bindings/Person";
import type { PersonRole } from "../bindings/PersonRole";
import { compareText } from "./format";

export type PersonOption = { value: string; label: string };

/**
 * Options for a person picker: people with one of `preferred` roles first, then the rest,
 * each by name; the unit is shown after the name. `keep` adds the current value if it is not
 * in the list (e.g. an archived person), so the select never shows a bare id.
 */
export function personOptions(people: Person[], preferred: PersonRole[] = [], keep?: PersonOption | null): PersonOption[] {
  const rank = (p: Person) => (p.roles.some((r) => preferred.includes(r)) ? 0 : 1);
  const sorted = [...people].sort((a, b) => rank(a) - rank(b) || compareText(a.name, b.name));
  const out = sorted.map((p) => ({ value: p.id, label: p.unitName ? `${p.name}（${p.unitName}）` : p.name }));
  if (keep && keep.value && !out.some((o) => o.value === keep.value)) out.unshift(keep);
  return out;
}
