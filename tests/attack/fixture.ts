import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The hand-written sample bundle and our crosswalk, shared by the attack tests. */
export const SAMPLE_BUNDLE = resolve(process.cwd(), 'samples/attack/enterprise-attack.json');
export const CROSSWALK = resolve(process.cwd(), 'catalog/attack/crosswalk-v19.yaml');

/** Write text to a fresh temporary file and return its path. */
export function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'attack-test-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

let n = 0;
/** A minimal technique object for inline bundles. */
export function pattern(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'attack-pattern',
    id: `attack-pattern--inline-${id}-${n++}`,
    name: `Technique ${id}`,
    description: '',
    external_references: [{ source_name: 'mitre-attack', external_id: id, url: `https://attack.mitre.org/techniques/${id.replace('.', '/')}` }],
    kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'execution' }],
    x_mitre_is_subtechnique: id.includes('.'),
    ...extra,
  };
}

export function relationship(type: string, source: Record<string, unknown>, target: Record<string, unknown>): Record<string, unknown> {
  return { type: 'relationship', id: `relationship--inline-${n++}`, relationship_type: type, source_ref: source.id, target_ref: target.id };
}

/** Write an inline bundle to a temporary file. */
export function bundleFile(objects: Record<string, unknown>[]): string {
  return tempFile('bundle.json', JSON.stringify({ type: 'bundle', id: 'bundle--inline', objects }, null, 1));
}
