import { describe, expect, it } from 'vitest';
import { polarPredicates } from '../../../src/lib/model/logic.js';
import { rule, withDetection } from './helpers.js';

/** `field=exclusion` for each predicate of a rule, in source order. */
function polarity(detection: string): string[] {
  const r = rule(withDetection(detection));
  return r.parts.flatMap((p) => polarPredicates(p.logic)).map((pp) => `${pp.pred.field}=${pp.exclusion}`);
}

const SELS = "    a:\n        A: 1\n    b:\n        B: 2\n    filter_x:\n        F: 3\n";

describe('exclusions come from polarity, not from selection names', () => {
  it('selection and not filter', () => {
    expect(polarity(`${SELS}    condition: a and not filter_x`)).toEqual(['A=false', 'F=true']);
  });

  it('not (a and not b): a is an exclusion, b is not', () => {
    expect(polarity(`${SELS}    condition: filter_x and not (a and not b)`)).toEqual(['F=false', 'A=true', 'B=false']);
  });

  it('a selection named filter in the positive polarity is a condition', () => {
    expect(polarity(`${SELS}    condition: filter_x or a`)).toEqual(['F=false', 'A=false']);
  });

  it('not 1 of filter_* puts every filter predicate under not', () => {
    const sels = "    selection:\n        S: 1\n    filter_main_a:\n        - X: 1\n        - Y: 2\n    filter_optional_b:\n        Z|contains: 'q'\n";
    expect(polarity(`${sels}    condition: selection and not 1 of filter_*`)).toEqual(['S=false', 'X=true', 'Y=true', 'Z=true']);
  });

  it('neq is an exclusion of the value', () => {
    expect(polarity("    selection:\n        A: 1\n        User|neq: 'SYSTEM'\n    condition: selection")).toEqual(['A=false', 'User=true']);
  });

  it('a double negation is positive again', () => {
    expect(polarity(`${SELS}    condition: a and not (b and not filter_x)`)).toEqual(['A=false', 'B=true', 'F=false']);
  });
});
