import type { Operator, Scalar } from '../model/logic.js';

/**
 * Path fields whose file-name part has its own canonical field: a wildcard `*\cmd.exe` on the path
 * means the same as `eq cmd.exe` on the name, so both land on one indicator row.
 */
export const PATH_TO_NAME: Readonly<Record<string, string>> = {
  'process.executable': 'process.name',
  'process.parent.executable': 'process.parent.name',
  'process.target.executable': 'process.target.name',
  'file.path': 'file.name',
  'dll.path': 'dll.name',
};

/** Wildcard glob has a wildcard char outside `[*]`/`[?]` literal brackets. */
export function globHasWildcard(glob: string): boolean {
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '[' && (glob.startsWith('[*]', i) || glob.startsWith('[?]', i))) {
      i += 2;
      continue;
    }
    if (c === '*' || c === '?') return true;
  }
  return false;
}

/** Turn a wildcard-free glob into its literal text (`[*]` -> `*`). */
export function globToLiteral(glob: string): string {
  return glob.replace(/\[([*?])\]/g, '$1');
}

export interface NormalValue {
  canonical: string | null;
  operator: Operator;
  value: Scalar;
}

/**
 * Canonical form of (field, operator, value) so that the same indicator written differently groups:
 * - a glob with no wildcard is an `eq`;
 * - a star, a path separator and a plain file name on a path field is `eq name` on its name field.
 */
export function normalizeValue(canonical: string | null, operator: Operator, value: Scalar): NormalValue {
  if (operator !== 'wildcard' || typeof value !== 'string') return { canonical, operator, value };
  if (!globHasWildcard(value)) return { canonical, operator: 'eq', value: globToLiteral(value) };
  if (canonical !== null) {
    const nameField = PATH_TO_NAME[canonical];
    if (nameField && value.startsWith('*')) {
      const rest = value.slice(1);
      const sep = rest[0];
      if ((sep === '\\' || sep === '/') && rest.length > 1) {
        const name = rest.slice(1);
        if (!name.includes('\\') && !name.includes('/') && !globHasWildcard(name)) {
          return { canonical: nameField, operator: 'eq', value: globToLiteral(name) };
        }
      }
    }
  }
  return { canonical, operator, value };
}

/**
 * Grouping form of a value: strings case-folded (even for case-sensitive comparisons: `==` and `:`
 * on `cmd.exe` are one indicator), numbers and booleans as text so `4688` and `"4688"` meet.
 */
export function foldValue(value: Scalar): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value.toLowerCase();
  return String(value);
}
