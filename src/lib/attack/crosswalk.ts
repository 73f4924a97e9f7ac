import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CatalogError, findKeyLine, readCatalogYaml } from '../catalog/load.js';
import { diagnosticAt, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { CrosswalkEntry, TacticCrosswalkEntry } from './types.js';

const techniqueId = z
  .string()
  .regex(/^T\d{4}(\.\d{3})?$/, 'an ATT&CK technique ID in upper case: T1234 or T1234.001');

/**
 * catalog/attack/crosswalk-v19.yaml: Sigma already tags ATT&CK v19 IDs while our bundle is v18, so
 * each v19 ID that is not in the bundle names the v18 technique whose content it took over.
 */
export const crosswalkFileSchema = z
  .object({
    /** Where the mapping comes from and what it is for; shown nowhere, read by maintainers. */
    note: z.string().min(1),
    mappings: z
      .array(
        z
          .object({
            /** The ID a rule may carry (ATT&CK v19). */
            v19: techniqueId,
            /** The v18 technique we count it toward; revoked targets are followed at resolution. */
            v18: techniqueId,
            /** v19 name, for the report and for reviewers. */
            name: z.string().min(1),
            /** Why this target: renamed, merged, moved under a new parent... */
            reason: z.string().min(1),
          })
          .strict(),
      )
      .min(1),
    /**
     * v19 tactics absent from v18: Sigma tags `attack.stealth` and `attack.defense-impairment`,
     * both carved out of v18 Defense Evasion. Optional so a technique-only crosswalk stays valid.
     */
    tactics: z
      .array(
        z
          .object({
            /** v19 tactic shortname, as Sigma tags it. */
            v19: z.string().regex(/^[a-z][a-z-]*$/, 'a tactic shortname in lower case: defense-impairment'),
            /** v19 tactic ID, when it has one (`TA0112`); TA0005 was reused for Stealth. */
            id: z.string().regex(/^TA\d{4}$/).optional(),
            /** v18 tactic shortname the rule's tactic tag counts toward. */
            v18: z.string().regex(/^[a-z][a-z-]*$/),
            name: z.string().min(1),
            reason: z.string().min(1),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export type CrosswalkFile = z.infer<typeof crosswalkFileSchema>;

/**
 * Load and validate the crosswalk. It is our own data: any problem (syntax, schema, a v19 ID
 * listed twice) throws CatalogError so the build stops instead of silently mis-counting rules.
 */
export function loadCrosswalk(file: string, displayPath = 'catalog/attack/crosswalk-v19.yaml'): Crosswalk {
  const diagnostics: Diagnostic[] = [];
  const data = readCatalogYaml(file, displayPath, crosswalkFileSchema, diagnostics);
  const out = new Map<string, CrosswalkEntry>();
  const tactics = new Map<string, TacticCrosswalkEntry>();
  if (data) {
    for (const t of data.tactics) {
      if (tactics.has(t.v19)) {
        diagnostics.push({ ...diagnosticAt('catalog/duplicate-crosswalk', `v19 tactic ${t.v19} is mapped twice`, 'keep one mapping per v19 tactic'), file: displayPath, line: findKeyLineOfValue(file, t.v19) });
        continue;
      }
      tactics.set(t.v19, { ...t });
    }
    for (const m of data.mappings) {
      if (out.has(m.v19)) {
        diagnostics.push({
          ...diagnosticAt('catalog/duplicate-crosswalk', `v19 ID ${m.v19} is mapped twice`, 'keep one mapping per v19 ID'),
          file: displayPath,
          line: findKeyLineOfValue(file, m.v19),
        });
        continue;
      }
      if (m.v19 === m.v18) {
        diagnostics.push({
          ...diagnosticAt('catalog/identity-crosswalk', `${m.v19} is mapped to itself`, 'drop the row: IDs present in the bundle resolve without a crosswalk'),
          file: displayPath,
          line: findKeyLineOfValue(file, m.v19),
        });
        continue;
      }
      out.set(m.v19, { ...m });
    }
  }
  if (diagnostics.length > 0) throw new CatalogError(diagnostics);
  return { techniques: out, tactics };
}

/** The loaded crosswalk: v19 technique ID -> row, v19 tactic shortname -> row. */
export interface Crosswalk {
  techniques: Map<string, CrosswalkEntry>;
  tactics: Map<string, TacticCrosswalkEntry>;
}

/** Line of the last `v19: <id>` row, for a duplicate-row diagnostic (zod paths give no line here). */
function findKeyLineOfValue(file: string, id: string): number {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return 1;
  }
  const lines = text.split(/\r?\n/);
  const re = new RegExp(`v19:\\s*['"]?${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]?\\s*$`);
  let last = 0;
  for (let i = 0; i < lines.length; i++) if (re.test(lines[i]!)) last = i + 1;
  return last || findKeyLine(text, ['mappings']);
}
