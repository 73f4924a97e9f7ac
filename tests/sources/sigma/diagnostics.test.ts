import { describe, expect, it } from 'vitest';
import { formatted, load, withDetection } from './helpers.js';

/**
 * Full diagnostic text (position, source line, caret, hint) for problems in real file coordinates.
 * The rule files are built with withDetection: the detection block starts on line 7.
 */
describe('Sigma diagnostics point at the real line and column', () => {
  it('unknown modifier: underlines |foo inside the key', () => {
    expect(formatted(withDetection("    selection:\n        CommandLine|contains|foo: 'x'\n    condition: selection"))).toMatchInlineSnapshot(`
      "rules/test.yml:9:29: error[sigma/unknown-modifier]: unknown modifier '|foo'
                CommandLine|contains|foo: 'x'
                                    ^^^^
        hint: see the Sigma modifiers appendix: contains, startswith, endswith, all, re, base64offset, windash, cidr, exists, fieldref, gt, lt, expand, cased..."
    `);
  });

  it('unknown modifier in a quoted key, with a suggestion', () => {
    expect(formatted(withDetection("    selection:\n        'CommandLine|endwith': 'x'\n    condition: selection"))).toMatchInlineSnapshot(`
      "rules/test.yml:9:21: error[sigma/unknown-modifier]: unknown modifier '|endwith'
                'CommandLine|endwith': 'x'
                            ^^^^^^^^
        hint: did you mean '|endswith'? Modifiers are case-sensitive"
    `);
  });

  it('invalid modifier combination', () => {
    expect(formatted(withDetection("    selection:\n        - Image|re|contains: 'x'\n    condition: selection"))).toMatchInlineSnapshot(`
      "rules/test.yml:9:19: error[sigma/invalid-modifier-combination]: '|contains' cannot follow '|re'
                - Image|re|contains: 'x'
                          ^^^^^^^^^
        hint: reorder or remove modifiers; they apply left to right"
    `);
  });

  it('unknown selection in the condition', () => {
    expect(formatted(withDetection("    selection:\n        Image: 'x'\n    condition: selection and not filter"))).toMatchInlineSnapshot(`
      "rules/test.yml:10:34: error[sigma/unknown-selection]: unknown selection 'filter'
            condition: selection and not filter
                                         ^^^^^^
        hint: define 'filter' under detection or use one of: selection"
    `);
  });

  it('unbalanced parenthesis in a quoted condition', () => {
    expect(formatted(withDetection("    selection:\n        Image: 'x'\n    condition: '(selection and not selection'"))).toMatchInlineSnapshot(`
      "rules/test.yml:10:17: error[sigma/unbalanced-paren]: this '(' is never closed
            condition: '(selection and not selection'
                        ^
        hint: add the missing ')' or remove this '('"
    `);
  });

  it('error on the second line of a multi-line condition', () => {
    expect(formatted(withDetection("    selection:\n        Image: 'x'\n    condition: selection and\n        not 1 of filter_*"))).toMatchInlineSnapshot(`
      "rules/test.yml:11:18: error[sigma/no-matching-selection]: no selection matches the pattern 'filter_*'
                not 1 of filter_*
                         ^^^^^^^^
        hint: defined selections: selection"
    `);
  });

  it('error in the second condition of a condition list', () => {
    expect(formatted(withDetection("    selection:\n        Image: 'x'\n    condition:\n        - selection\n        - selection filter"))).toMatchInlineSnapshot(`
      "rules/test.yml:12:21: error[sigma/trailing-tokens]: unexpected 'filter' after a complete condition
                - selection filter
                            ^^^^^^
        hint: join the parts with 'and' or 'or', or remove the extra text"
    `);
  });

  it('YAML syntax error', () => {
    expect(formatted("title: x\ndetection:\n    selection:\n        Image: 'x'\n      bad: indentation\n")).toMatchInlineSnapshot(`
      "rules/test.yml:5:7: error[sigma/yaml-syntax]: bad indentation of a mapping entry
              bad: indentation
              ^
        hint: fix the YAML syntax (quote values that contain ': ' or start with '*', '&', '!', '%' or '@')"
    `);
  });

  it('duplicate key', () => {
    expect(formatted(withDetection("    selection:\n        Image: 'x'\n        Image: 'y'\n    condition: selection"))).toMatchInlineSnapshot(`
      "rules/test.yml:10:9: error[sigma/yaml-syntax]: duplicated mapping key
                Image: 'y'
                ^
        hint: each key may appear once per mapping: merge the two entries or rename one selection"
    `);
  });

  it('invalid value for a typed modifier', () => {
    expect(formatted(withDetection("    selection:\n        DestinationIp|cidr:\n            - '10.0.0.0/8'\n            - 'localhost'\n    condition: selection"))).toMatchInlineSnapshot(`
      "rules/test.yml:11:15: error[sigma/invalid-value]: 'DestinationIp|cidr' expects a network such as '10.0.0.0/8', got "localhost"
                    - 'localhost'
                      ^^^^^^^^^^^
        hint: write a network such as '10.0.0.0/8' as the value, or change the modifiers"
    `);
  });

  it('missing condition', () => {
    expect(formatted(withDetection("    selection:\n        Image: 'x'"))).toMatchInlineSnapshot(`
      "rules/test.yml:7:1: error[sigma/missing-condition]: the block has no condition
        detection:
        ^^^^^^^^^
        hint: add \`condition:\` naming the selections, e.g. \`condition: selection\`"
    `);
  });

  it('legacy aggregation and near are warnings; the rule is kept', () => {
    const text = withDetection("    selection:\n        Image: 'x'\n    other:\n        User: 'y'\n    condition: selection | near other");
    expect(load(text).rules).toHaveLength(1);
    expect(formatted(text)).toMatchInlineSnapshot(`
      "rules/test.yml:12:26: warning[sigma/legacy-near]: the legacy 'near' operator is not part of Sigma 2: only the part before '|' is analysed
            condition: selection | near other
                                 ^^^^^^^^^^^^
        hint: rewrite it as a Sigma correlation rule (event_count, value_count, temporal) that references this rule
      rules/test.yml:10:5: info[sigma/unused-selection]: selection 'other' is not used by the condition
            other:
            ^^^^^
        hint: remove it or reference it in the condition"
    `);
  });

  it('legacy action: global documents are merged', () => {
    const text = `action: global
title: Global part
id: 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d
logsource:
    product: windows
detection:
    condition: selection
---
logsource:
    service: security
detection:
    selection:
        EventID: 4624
---
logsource:
    service: system
detection:
    selection:
        EventID: 7045
`;
    const res = load(text);
    expect(res.rules.map((r) => [r.id, r.logsource, r.queryLine])).toEqual([
      ['9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', 'windows / security', 1],
      ['9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d-2', 'windows / system', 1],
    ]);
    expect(formatted(text)).toMatchInlineSnapshot(`
      "rules/test.yml:1:9: info[sigma/legacy-action]: legacy 'action: global' document merged into the following documents
        action: global
                ^^^^^^
        hint: split the collection into standalone Sigma 2 rules"
    `);
  });

  it('selection name carrying a modifier', () => {
    expect(formatted(withDetection("    selection|endswith:\n        Image: '/tree'\n    condition: 1 of selection*"))).toMatchInlineSnapshot(`
      "rules/test.yml:8:5: warning[sigma/selection-name-modifier]: selection name 'selection|endswith' contains '|': modifiers on a selection name are ignored
            selection|endswith:
            ^^^^^^^^^^^^^^^^^^
        hint: move the modifier onto the field names inside the selection"
    `);
  });

  it('error inside a block-scalar condition', () => {
    expect(formatted(withDetection("    sel:\n        A: 1\n    condition: |\n        sel and\n          nope"))).toMatchInlineSnapshot(`
      "rules/test.yml:12:11: error[sigma/unknown-selection]: unknown selection 'nope'
                  nope
                  ^^^^
        hint: define 'nope' under detection or use one of: sel"
    `);
  });

  it('empty list item in a selection', () => {
    expect(formatted(withDetection("    sel:\n        - A: 1\n        -\n    condition: sel"))).toMatchInlineSnapshot(`
      "rules/test.yml:8:5: error[sigma/invalid-selection]: selection 'sel' has an empty list item
            sel:
            ^^^
        hint: remove the empty \`-\` item or give it a value"
    `);
  });

  it('a document that is not a mapping, and an empty file', () => {
    expect(formatted('- a\n- b\n')).toMatchInlineSnapshot(`
      "rules/test.yml:1:1: error[sigma/not-a-mapping]: the YAML document is not a mapping
        - a
        ^^^
        hint: a Sigma rule is a mapping with title, logsource, detection..."
    `);
    // An empty rule file is a broken rule (a truncated checkout): rejected at 1:1, like Elastic and Splunk.
    expect(load('')).toEqual({ rules: [], diagnostics: [{ code: 'sigma/empty-file', severity: 'error', message: 'the file holds no YAML document', hint: 'restore the rule or delete the empty file', file: 'rules/test.yml', line: 1, column: 1, length: 1 }], failed: 1, failedLanguage: 'sigma' });
  });
});
