// Writes samples/attack/enterprise-attack.json: a tiny hand-written STIX 2.1 bundle for tests and demos.
// All descriptions and references are our own (fictional example.org references). Re-run after editing:
//   node samples/attack/generate-fixture.mjs
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';

const uuid = (key) => {
  const h = createHash('sha1').update('attack-sample:' + key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
const CREATED = '2025-01-15T00:00:00.000Z';
const MODIFIED = '2025-10-20T00:00:00.000Z';
const IDENTITY = `identity--${uuid('identity')}`;
const MARKING = `marking-definition--${uuid('marking')}`;
const common = (type, key, extra = {}) => ({
  type, id: `${type}--${uuid(type + ':' + key)}`, spec_version: '2.1', created: CREATED, modified: MODIFIED,
  created_by_ref: IDENTITY, object_marking_refs: [MARKING], x_mitre_domains: ['enterprise-attack'],
  x_mitre_attack_spec_version: '3.3.0', x_mitre_version: '1.0', ...extra,
});
const mitre = (kind, id) => ({ source_name: 'mitre-attack', url: `https://attack.mitre.org/${kind}/${id.replace('.', '/')}`, external_id: id });

// Fictional references of our own, cited by the descriptions below.
const REFS = {
  'Sample Shells 2024': { description: 'Sample Lab. (2024, March 3). Notes on command interpreters. Retrieved June 1, 2025.', url: 'https://example.org/notes/shells' },
  'Sample PowerShell Logging': { description: 'Sample Lab. (2023, May 9). Turning on script block logging. Retrieved June 1, 2025.', url: 'https://example.org/notes/powershell-logging' },
  'Sample C2 Survey': { description: 'Example Research. (2022, November 2). A survey of command and control channels. Retrieved June 1, 2025.', url: 'https://example.org/research/c2' },
  'Sample Injection Primer': { description: 'Example Research. (2021, August 14). Process injection primer. Retrieved June 1, 2025.', url: 'https://example.org/research/injection' },
  'Sample Credential Theft': { description: 'Sample Lab. (2024, January 20). Where credentials live in memory. Retrieved June 1, 2025.', url: 'https://example.org/notes/credentials' },
  'Sample Persistence Catalog': { description: 'Example Research. (2023, February 2). Persistence locations on Windows. Retrieved June 1, 2025.', url: 'https://example.org/research/persistence' },
  'Sample Defense Tampering': { description: 'Sample Lab. (2024, July 7). Tampering with security tools. Retrieved June 1, 2025.', url: 'https://example.org/notes/tampering' },
  'Sample Lateral Movement': { description: 'Example Research. (2020, October 10). Moving between hosts. Retrieved June 1, 2025.' },
};
const cite = (...names) => names.map((n) => `(Citation: ${n})`).join('');

const TACTICS = [
  ['TA0043', 'reconnaissance', 'Reconnaissance', 'The adversary is gathering information to plan future operations.'],
  ['TA0042', 'resource-development', 'Resource Development', 'The adversary is establishing resources to support operations.'],
  ['TA0001', 'initial-access', 'Initial Access', 'The adversary is trying to get into your network.'],
  ['TA0002', 'execution', 'Execution', 'The adversary is trying to run malicious code.'],
  ['TA0003', 'persistence', 'Persistence', 'The adversary is trying to maintain their foothold.'],
  ['TA0004', 'privilege-escalation', 'Privilege Escalation', 'The adversary is trying to gain higher-level permissions.'],
  ['TA0005', 'defense-evasion', 'Defense Evasion', 'The adversary is trying to avoid being detected.'],
  ['TA0006', 'credential-access', 'Credential Access', 'The adversary is trying to steal account names and passwords.'],
  ['TA0007', 'discovery', 'Discovery', 'The adversary is trying to figure out your environment.'],
  ['TA0008', 'lateral-movement', 'Lateral Movement', 'The adversary is trying to move through your environment.'],
  ['TA0009', 'collection', 'Collection', 'The adversary is trying to gather data of interest to their goal.'],
  ['TA0011', 'command-and-control', 'Command and Control', 'The adversary is trying to communicate with compromised systems to control them.'],
  ['TA0010', 'exfiltration', 'Exfiltration', 'The adversary is trying to steal data.'],
  ['TA0040', 'impact', 'Impact', 'The adversary is trying to manipulate, interrupt, or destroy your systems and data.'],
];

// [id, name, tactics (deliberately not always in kill-chain order), platforms, description, refs]
const W = ['Windows'];
const TECHNIQUES = [
  ['T1059', 'Command and Scripting Interpreter', ['execution'], ['Windows', 'Linux', 'macOS'], `Adversaries may run commands through an interpreter such as a shell or a scripting host.${cite('Sample Shells 2024')} Most operating systems ship one, which makes this a common first step after access.`, ['Sample Shells 2024']],
  ['T1059.001', 'PowerShell', ['execution'], W, `Adversaries may use PowerShell to run commands and scripts, for example <code>powershell.exe -enc &lt;base64&gt;</code> to hide the command text.${cite('Sample Shells 2024')}\n\nScript block logging records the decoded script.${cite('Sample PowerShell Logging')}`, ['Sample Shells 2024', 'Sample PowerShell Logging']],
  ['T1059.003', 'Windows Command Shell', ['execution'], W, `Adversaries may run commands through <code>cmd.exe</code>, often with <code>/c</code> so the shell exits afterwards.${cite('Sample Shells 2024')}`, ['Sample Shells 2024']],
  ['T1102', 'Web Service', ['command-and-control'], ['Windows', 'Linux', 'macOS'], `Adversaries may relay commands through a legitimate web service so that traffic blends in with normal use.${cite('Sample C2 Survey')}`, ['Sample C2 Survey']],
  ['T1071', 'Application Layer Protocol', ['command-and-control'], ['Windows', 'Linux', 'macOS'], `Adversaries may carry command and control traffic inside a common application protocol.${cite('Sample C2 Survey')}`, ['Sample C2 Survey']],
  ['T1071.004', 'DNS', ['command-and-control'], ['Windows', 'Linux', 'macOS'], `Adversaries may encode commands and results in DNS queries and answers.${cite('Sample C2 Survey')}`, ['Sample C2 Survey']],
  ['T1105', 'Ingress Tool Transfer', ['command-and-control'], ['Windows', 'Linux', 'macOS'], `Adversaries may download tools onto a compromised host with built-in utilities such as <code>certutil</code> or <code>curl</code>.${cite('Sample C2 Survey')}`, ['Sample C2 Survey']],
  ['T1055', 'Process Injection', ['defense-evasion', 'privilege-escalation'], ['Windows', 'Linux', 'macOS'], `Adversaries may run code inside the address space of another process to borrow its identity and privileges.${cite('Sample Injection Primer')}`, ['Sample Injection Primer']],
  ['T1055.012', 'Process Hollowing', ['defense-evasion', 'privilege-escalation'], W, `Adversaries may start a process suspended, replace its image in memory and resume it.${cite('Sample Injection Primer')}`, ['Sample Injection Primer']],
  ['T1003', 'OS Credential Dumping', ['credential-access'], ['Windows', 'Linux', 'macOS'], `Adversaries may read credential material that the operating system keeps in memory or on disk.${cite('Sample Credential Theft')}`, ['Sample Credential Theft']],
  ['T1003.001', 'LSASS Memory', ['credential-access'], W, `Adversaries may read the memory of <code>lsass.exe</code>, for example by writing a minidump of it.${cite('Sample Credential Theft')}`, ['Sample Credential Theft']],
  ['T1053', 'Scheduled Task/Job', ['persistence', 'execution', 'privilege-escalation'], ['Windows', 'Linux', 'macOS'], `Adversaries may schedule code to run at a time or on an event.${cite('Sample Persistence Catalog')}`, ['Sample Persistence Catalog']],
  ['T1053.005', 'Scheduled Task', ['execution', 'persistence', 'privilege-escalation'], W, `Adversaries may create a Windows scheduled task with <code>schtasks /create</code>.${cite('Sample Persistence Catalog')}`, ['Sample Persistence Catalog']],
  ['T1547', 'Boot or Logon Autostart Execution', ['persistence', 'privilege-escalation'], ['Windows', 'Linux', 'macOS'], `Adversaries may configure a program to start at boot or logon.${cite('Sample Persistence Catalog')}`, ['Sample Persistence Catalog']],
  ['T1547.001', 'Registry Run Keys / Startup Folder', ['persistence', 'privilege-escalation'], W, `Adversaries may add a value under <code>HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run</code> or drop a file in the Startup folder.${cite('Sample Persistence Catalog')}`, ['Sample Persistence Catalog']],
  ['T1562', 'Impair Defenses', ['defense-evasion'], ['Windows', 'Linux', 'macOS'], `Adversaries may weaken security controls so that later activity goes unnoticed.${cite('Sample Defense Tampering')}`, ['Sample Defense Tampering']],
  ['T1562.001', 'Disable or Modify Tools', ['defense-evasion'], ['Windows', 'Linux', 'macOS'], `Adversaries may stop, uninstall or reconfigure security tools, for example by turning off real-time scanning.${cite('Sample Defense Tampering')}`, ['Sample Defense Tampering']],
  ['T1027', 'Obfuscated Files or Information', ['defense-evasion'], ['Windows', 'Linux', 'macOS'], `Adversaries may encode, pack or encrypt payloads and commands to hide their purpose.${cite('Sample Defense Tampering')}`, ['Sample Defense Tampering']],
  ['T1112', 'Modify Registry', ['defense-evasion', 'persistence'], W, `Adversaries may change registry values to hide configuration or to change system behaviour, using tools such as <code>reg.exe</code>.${cite('Sample Defense Tampering')}`, ['Sample Defense Tampering']],
  ['T1569', 'System Services', ['execution'], ['Windows', 'Linux', 'macOS'], `Adversaries may run programs through the service manager of the operating system.${cite('Sample Persistence Catalog')}`, ['Sample Persistence Catalog']],
  ['T1569.002', 'Service Execution', ['execution'], W, `Adversaries may create and start a Windows service to run a binary, for example with <code>sc.exe</code>.${cite('Sample Persistence Catalog')}`, ['Sample Persistence Catalog']],
  ['T1543', 'Create or Modify System Process', ['persistence', 'privilege-escalation'], ['Windows', 'Linux', 'macOS'], `Adversaries may create or change system-level processes that start again on their own.${cite('Sample Persistence Catalog')}`, ['Sample Persistence Catalog']],
  ['T1543.003', 'Windows Service', ['persistence', 'privilege-escalation'], W, `Adversaries may install a Windows service or change the binary path of an existing one.${cite('Sample Persistence Catalog')}`, ['Sample Persistence Catalog']],
  ['T1218', 'System Binary Proxy Execution', ['defense-evasion'], W, `Adversaries may run code through signed system binaries that application control trusts.${cite('Sample Defense Tampering')}`, ['Sample Defense Tampering']],
  ['T1218.011', 'Rundll32', ['defense-evasion'], W, `Adversaries may call <code>rundll32.exe</code> to load a DLL and run one of its exports.${cite('Sample Defense Tampering')}`, ['Sample Defense Tampering']],
  ['T1070', 'Indicator Removal', ['defense-evasion'], ['Windows', 'Linux', 'macOS'], `Adversaries may delete or change artifacts that would reveal their activity.${cite('Sample Defense Tampering')}`, ['Sample Defense Tampering']],
  ['T1070.001', 'Clear Windows Event Logs', ['defense-evasion'], W, `Adversaries may clear event logs with <code>wevtutil cl</code> to remove evidence.${cite('Sample Defense Tampering')}`, ['Sample Defense Tampering']],
  ['T1021', 'Remote Services', ['lateral-movement'], ['Windows', 'Linux', 'macOS'], `Adversaries may log on to remote services with valid credentials to move between hosts.${cite('Sample Lateral Movement')}`, ['Sample Lateral Movement']],
  ['T1021.002', 'SMB/Windows Admin Shares', ['lateral-movement'], W, `Adversaries may copy files to and run them from administrative shares such as <code>ADMIN$</code>.${cite('Sample Lateral Movement')}`, ['Sample Lateral Movement']],
  ['T1136', 'Create Account', ['persistence'], ['Windows', 'Linux', 'macOS'], `Adversaries may create an account to keep access to a system.${cite('Sample Persistence Catalog')}`, ['Sample Persistence Catalog']],
  ['T1136.001', 'Local Account', ['persistence'], ['Windows', 'Linux', 'macOS'], `Adversaries may create a local account, for example with <code>net user /add</code>.${cite('Sample Persistence Catalog')}`, ['Sample Persistence Catalog']],
  ['T1078', 'Valid Accounts', ['privilege-escalation', 'initial-access', 'defense-evasion', 'persistence'], ['Windows', 'Linux', 'macOS'], `Adversaries may log on with credentials they obtained, which lets their activity look like normal use.${cite('Sample Lateral Movement', 'Sample Credential Theft')}`, ['Sample Lateral Movement', 'Sample Credential Theft']],
];

const objects = [];
objects.push({ type: 'identity', spec_version: '2.1', id: IDENTITY, created: CREATED, modified: CREATED, name: 'Sample fixture authors', identity_class: 'organization' });
objects.push({ type: 'marking-definition', spec_version: '2.1', id: MARKING, created: CREATED, definition_type: 'statement', definition: { statement: 'Hand-written test fixture; not ATT&CK content.' } });

const tacticObjs = TACTICS.map(([id, shortname, name, description]) => common('x-mitre-tactic', id, {
  name, description, x_mitre_shortname: shortname, external_references: [mitre('tactics', id)], x_mitre_deprecated: false,
}));
objects.push(common('x-mitre-collection', 'collection', {
  name: 'Enterprise ATT&CK (sample fixture)', description: 'A tiny hand-written bundle for tests.', x_mitre_version: '18.1', x_mitre_contents: [],
}));
objects.push(common('x-mitre-matrix', 'enterprise', {
  name: 'Enterprise ATT&CK', description: 'Sample matrix: tactics in kill-chain order.', tactic_refs: tacticObjs.map((t) => t.id),
  external_references: [{ source_name: 'mitre-attack', url: 'https://attack.mitre.org/matrices/enterprise', external_id: 'enterprise-attack' }], x_mitre_deprecated: false,
}));
// Tactics written in reverse so that only the matrix gives the order.
objects.push(...[...tacticObjs].reverse());

const patternOf = new Map();
const pattern = (id, name, tactics, platforms, description, refs, extra = {}) => {
  const o = common('attack-pattern', id, {
    name, description,
    external_references: [mitre('techniques', id), ...refs.map((n) => ({ source_name: n, ...REFS[n] }))],
    kill_chain_phases: tactics.map((phase_name) => ({ kill_chain_name: 'mitre-attack', phase_name })),
    x_mitre_platforms: platforms, x_mitre_is_subtechnique: id.includes('.'), x_mitre_deprecated: false, revoked: false,
    x_mitre_detection: '', ...extra,
  });
  patternOf.set(id, o);
  objects.push(o);
  return o;
};
for (const t of TECHNIQUES) pattern(...t);
pattern('T1086', 'PowerShell', ['execution'], W, `Adversaries may use PowerShell for execution. This entry was merged into a sub-technique of Command and Scripting Interpreter.${cite('Sample Shells 2024')}`, ['Sample Shells 2024'], { revoked: true });
pattern('T1064', 'Scripting', ['defense-evasion', 'execution'], ['Windows', 'Linux', 'macOS'], `Adversaries may use scripts to automate their actions. This technique is deprecated; see Command and Scripting Interpreter.${cite('Sample Shells 2024')}`, ['Sample Shells 2024'], { x_mitre_deprecated: true });

const rel = (type, source, target, key) => common('relationship', key, { relationship_type: type, source_ref: source, target_ref: target, x_mitre_deprecated: false });
for (const [id] of TECHNIQUES) {
  if (!id.includes('.')) continue;
  objects.push(rel('subtechnique-of', patternOf.get(id).id, patternOf.get(id.split('.')[0]).id, `sub:${id}`));
}
objects.push(rel('revoked-by', patternOf.get('T1086').id, patternOf.get('T1059.001').id, 'revoked:T1086'));

// v18 detection model for T1059.001: one data component, one analytic, one strategy.
const dc = common('x-mitre-data-component', 'DC0064', {
  name: 'Command Execution', description: 'Commands and arguments run through a shell or interpreter.',
  external_references: [mitre('datacomponents', 'DC0064')], x_mitre_data_source_ref: '', x_mitre_deprecated: false, revoked: false,
  x_mitre_log_sources: [{ name: 'WinEventLog:PowerShell', channel: 'EventCode=4103' }, { name: 'WinEventLog:PowerShell', channel: 'EventCode=4104' }],
});
const an = common('x-mitre-analytic', 'AN9001', {
  name: 'Analytic 9001', description: 'Look for script blocks that decode and run base64 content, or that download and execute code, from unusual parent processes.',
  external_references: [{ source_name: 'mitre-attack', url: 'https://attack.mitre.org/detectionstrategies/DET9001#AN9001', external_id: 'AN9001' }],
  x_mitre_platforms: W, x_mitre_deprecated: false,
  x_mitre_log_source_references: [
    { x_mitre_data_component_ref: dc.id, name: 'WinEventLog:PowerShell', channel: 'EventCode=4104' },
    { x_mitre_data_component_ref: dc.id, name: 'WinEventLog:PowerShell', channel: 'EventCode=4103' },
  ],
  x_mitre_mutable_elements: [{ field: 'ParentProcessAllowList', description: 'Management tools that legitimately run encoded PowerShell.' }],
});
const det = common('x-mitre-detection-strategy', 'DET9001', {
  name: 'Encoded or downloaded PowerShell execution', external_references: [mitre('detectionstrategies', 'DET9001')],
  x_mitre_analytic_refs: [an.id], x_mitre_deprecated: false,
});
objects.push(dc, an, det, rel('detects', det.id, patternOf.get('T1059.001').id, 'detects:DET9001'));

const bundle = { type: 'bundle', id: `bundle--${uuid('bundle')}`, objects };
writeFileSync(process.argv[2] ?? new URL('./enterprise-attack.json', import.meta.url), JSON.stringify(bundle, null, 1) + '\n');
console.log(objects.length, 'objects');
