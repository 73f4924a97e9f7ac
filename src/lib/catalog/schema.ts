import { z } from 'zod';

/** Lower-case slug used in URLs and event keys. */
export const slugSchema = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes');

/** A field of a catalog event: the name the log uses, its canonical name, and its type. */
export const eventFieldSchema = z.object({
  /** The field as the log writes it (`Image`, `NewProcessName`, `ScriptBlockText`). */
  name: z.string().min(1),
  /** The canonical (ECS-style) name it normalizes to; see catalog/mappings/README.md. */
  canonical: z.string().min(1),
  type: z.enum(['string', 'integer', 'ip', 'boolean', 'date', 'hash', 'guid', 'path', 'hex', 'binary']).default('string'),
  description: z.string().optional(),
});

export const catalogEventSchema = z.object({
  /** Event ID within its provider (Sysmon 1, Security 4688). */
  id: z.number().int().nonnegative(),
  title: z.string().min(1),
  /** Overrides the provider's channel for this event. */
  channel: z.string().optional(),
  description: z.string().optional(),
  /** ATT&CK v18 log source / data component names this event feeds, for cross-reference. */
  attackDataComponents: z.array(z.string()).default([]),
  fields: z.array(eventFieldSchema).default([]),
});

/** One file of catalog/events/: a provider and its events. */
export const eventProviderFileSchema = z.object({
  /** Display name: `Sysmon`, `Security-Auditing`, `PowerShell`. */
  provider: z.string().min(1),
  /** URL/key slug: `sysmon`, `security-auditing`; event key is `<slug>-<id>`. */
  slug: slugSchema,
  /** Full provider name in the log (`Microsoft-Windows-Sysmon`). */
  providerName: z.string().min(1),
  channel: z.string().min(1),
  platform: z.enum(['windows', 'linux', 'macos', 'cloud', 'network', 'any']),
  description: z.string().optional(),
  events: z.array(catalogEventSchema).min(1),
});

/** A Sigma logsource selector; absent keys match anything. */
export const sigmaLogsourceSchema = z
  .object({
    product: z.string().optional(),
    category: z.string().optional(),
    service: z.string().optional(),
  })
  .strict();

/** catalog/logsources/sigma.yaml: Sigma log source -> catalog events (the Sigma taxonomy). */
export const sigmaLogsourceFileSchema = z.object({
  mappings: z.array(
    z
      .object({
        logsource: sigmaLogsourceSchema,
        /** Event keys `<provider slug>-<event id>`. */
        events: z.array(z.string().regex(/^[a-z0-9-]+-\d+$/)),
        /** Mapping tables (catalog/mappings ids) for this log source, most specific first. */
        tables: z.array(z.string()).default([]),
        note: z.string().optional(),
      })
      .strict(),
  ),
});

/**
 * catalog/mappings/<id>.yaml: one vendor field table. A raw field resolves in the first table of a
 * rule's list that names it; a field no table names uses the first table's fallback.
 */
export const mappingTableSchema = z
  .object({
    id: slugSchema,
    title: z.string().min(1),
    /** Where the vendor names come from (a spec, a pipeline, a data model). */
    reference: z.string().optional(),
    /**
     * What an unmapped field becomes: `identity` keeps the raw name (ECS tables),
     * `prefix:<p>` prepends a namespace (`prefix:winlog.event_data.`).
     */
    fallback: z.string().regex(/^(identity|prefix:[A-Za-z0-9_.]+)$/).default('identity'),
    /** Match raw names case-insensitively (SPL field names are case-sensitive, Sigma's effectively not). */
    caseInsensitive: z.boolean().default(false),
    /** raw vendor name -> canonical name */
    fields: z.record(z.string(), z.string().min(1)),
  })
  .strict();

/** catalog/sources*.yaml: the rule sources a build loads. */
export const sourceSchema = z
  .object({
    id: slugSchema,
    format: z.enum(['sigma', 'elastic', 'splunk']),
    title: z.string().optional(),
    /** Folder of the checkout, relative to --root (default: the current directory). */
    dir: z.string().min(1),
    include: z.array(z.string()).min(1),
    exclude: z.array(z.string()).default([]),
    /** Upstream repository (https URL or file:// for tests) and the ref/branch it tracks. */
    repo: z.string().optional(),
    ref: z.string().optional(),
    /** Commit of the snapshot when it is not a git checkout (read from the checkout's git when it is). */
    commit: z.string().optional(),
    /** Template for links to the upstream file: {repo} {commit} {path}. */
    fileUrl: z.string().optional(),
  })
  .strict();

export const sourcesFileSchema = z
  .object({
    /** Path to the ATT&CK Enterprise STIX bundle, relative to --root. */
    attack: z.object({
      /** Bundle path(s) relative to --root; the first that exists is used (the snapshot and a mitre/cti checkout differ). */
      bundle: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]), repo: z.string().optional(), commit: z.string().optional() }).strict(),
    /** Lock file pinning each source's commit (and its date), relative to the current directory. */
    lock: z.string().optional(),
    sources: z.array(sourceSchema).min(1),
  })
  .strict();

export type EventField = z.infer<typeof eventFieldSchema>;
export type CatalogEvent = z.infer<typeof catalogEventSchema>;
export type EventProviderFile = z.infer<typeof eventProviderFileSchema>;
export type SigmaLogsource = z.infer<typeof sigmaLogsourceSchema>;
export type SigmaLogsourceFile = z.infer<typeof sigmaLogsourceFileSchema>;
export type MappingTable = z.infer<typeof mappingTableSchema>;
export type SourceConfig = z.infer<typeof sourceSchema>;
export type SourcesFile = z.infer<typeof sourcesFileSchema>;
