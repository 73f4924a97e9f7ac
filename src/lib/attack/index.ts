/** ATT&CK from the STIX bundle: the model, its loader, tag resolution and the v19 crosswalk. */
export * from './types.js';
export { loadAttack, isLive } from './load.js';
export { resolveTechnique, resolveTactic, normalizeTechniqueId, type TechniqueResolution, type TacticResolution } from './resolve.js';
export { loadCrosswalk, crosswalkFileSchema, type Crosswalk, type CrosswalkFile } from './crosswalk.js';
export { logSourcesOfTechnique } from './detection.js';
export { readStixBundle, type StixObject } from './stix.js';
