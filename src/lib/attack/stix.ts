import { readFileSync } from 'node:fs';
import { diagnosticAt, offsetToPosition, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { AttackReference } from './types.js';

/** A STIX object as parsed from JSON: only `type` and `id` are trusted, the rest is read defensively. */
export interface StixObject {
  type: string;
  id: string;
  [key: string]: unknown;
}

/**
 * Read a STIX bundle file into its objects. Never throws: an unreadable file, bad JSON or a value
 * that is not a bundle gives an empty list and a diagnostic; malformed objects are skipped one by one.
 */
export function readStixBundle(file: string, displayPath: string, diagnostics: Diagnostic[]): StixObject[] {
  const at = (code: string, message: string, hint: string, span: { line?: number; column?: number } = {}) =>
    diagnostics.push({ ...diagnosticAt(code, message, hint, span), file: displayPath });
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    at('attack/unreadable', `cannot read the ATT&CK bundle: ${(e as Error).message}`, 'check the path of the STIX bundle (enterprise-attack.json)', { line: 0, column: 0 });
    return [];
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const m = /position (\d+)/.exec(message);
    const pos = m ? offsetToPosition(text, Number(m[1])) : { line: 1, column: 1 };
    at('attack/json-syntax', `the ATT&CK bundle is not valid JSON: ${message}`, 'download the bundle again; a truncated file is the usual cause', pos);
    return [];
  }
  if (!isRecord(data) || data.type !== 'bundle' || !Array.isArray(data.objects)) {
    at('attack/not-a-bundle', 'the file is not a STIX bundle (expected {"type": "bundle", "objects": [...]})', 'point the loader at enterprise-attack.json from mitre/cti or mitre-attack/attack-stix-data');
    return [];
  }
  const objects: StixObject[] = [];
  let skipped = 0;
  for (const o of data.objects as unknown[]) {
    if (isRecord(o) && typeof o.type === 'string' && typeof o.id === 'string') objects.push(o as StixObject);
    else skipped++;
  }
  if (skipped > 0) {
    at('attack/bad-object', `${skipped} bundle object(s) have no string "type" and "id" and were skipped`, 'every STIX object needs a type and an id', {});
  }
  return objects;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string property, or '' when absent or of another type. */
export function str(o: Record<string, unknown>, key: string): string {
  const v = o[key];
  return typeof v === 'string' ? v : '';
}

/** A list-of-strings property; non-string items are dropped. */
export function strings(o: Record<string, unknown>, key: string): string[] {
  const v = o[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** A list-of-records property; other items are dropped. */
export function records(o: Record<string, unknown>, key: string): Record<string, unknown>[] {
  const v = o[key];
  return Array.isArray(v) ? v.filter(isRecord) : [];
}

export function bool(o: Record<string, unknown>, key: string): boolean {
  return o[key] === true;
}

/** The `mitre-attack` external reference: ATT&CK ID (`T1059.001`, `TA0002`, `DET0455`) and page URL. */
export function mitreRef(o: Record<string, unknown>): { id: string; url: string } | null {
  for (const r of records(o, 'external_references')) {
    if (r.source_name === 'mitre-attack' && typeof r.external_id === 'string') {
      return { id: r.external_id.trim().toUpperCase(), url: str(r, 'url') };
    }
  }
  return null;
}

/** External references other than the `mitre-attack` one, as citation targets. */
export function citationRefs(o: Record<string, unknown>): AttackReference[] {
  const out: AttackReference[] = [];
  for (const r of records(o, 'external_references')) {
    const name = str(r, 'source_name');
    if (!name || name === 'mitre-attack') continue;
    const ref: AttackReference = { source_name: name };
    const url = str(r, 'url');
    const description = str(r, 'description');
    if (url) ref.url = url;
    if (description) ref.description = description;
    out.push(ref);
  }
  return out;
}
