import type { MacroDef } from '../../query/spl/index.js';

/**
 * Macros security_content calls but does not define, because the apps it runs on ship them
 * (Splunk_SA_CIM). Definitions in the source's macros/ folder take precedence.
 */
export const BUILTIN_MACROS: readonly MacroDef[] = [
  // Splunk_SA_CIM: strips the data-model dataset prefix (`Processes.process_name` -> `process_name`).
  { name: 'drop_dm_object_name', arguments: ['object'], definition: 'rename $object$.* AS *' },
];
