/**
 * SPL (Splunk search language): macro expansion, a tokenizer for the search and eval languages,
 * a recursive-descent pipeline parser, and the analysis into predicates the catalog compares.
 */
export { analyzeSpl } from './analyze.js';
export { parseSpl } from './parser.js';
export type { SplCommand, SplMeta, SplPipeline, SplSubsearch } from './ast.js';
export { expandMacros, macroKey, macroTable, toOriginalRange } from './macros.js';
export type { ExpandResult, MacroDef, MacroExpansion, Replacement } from './macros.js';
export { analyzeSplSearch } from './with-macros.js';
export type { SplMacroMeta, SplSearchAnalysis } from './with-macros.js';
