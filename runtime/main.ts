#!/usr/bin/env node
/**
 * The engine daemon: `node dist/runtime/main.js --data-root D --host unix:///S
 * [--oci-runtime crun|runc|path] [--no-dns-forwarding] [--log-level debug|info|warn|error]`.
 */
import { parseArgs } from 'node:util';
import type { EngineOptions } from './context.js';
import { LOG_LEVELS, type LogLevel } from './daemon/engine-log.js';
import { DEFAULT_ENGINE_HOST, parseAddressPools, resolveDataRoot, runEngine } from './index.js';

const USAGE =
  'usage: main.js [--data-root DIR] [--host unix:///path.sock] [--exec-root DIR] [--oci-runtime crun|runc|PATH] ' +
  '[--no-dns-forwarding] [--log-level debug|info|warn|error] [--log-stderr] [--bridge-name NAME] [--bridge-subnet CIDR] [--address-pool base=CIDR,size=N]... [--insecure-registry HOST[:PORT]|CIDR]...';

function parse() {
  const { values } = parseArgs({
    options: {
      'data-root': { type: 'string' },
      host: { type: 'string' },
      'exec-root': { type: 'string' },
      'oci-runtime': { type: 'string' },
      'no-dns-forwarding': { type: 'boolean' },
      'log-level': { type: 'string' },
      'log-stderr': { type: 'boolean' },
      'bridge-name': { type: 'string' },
      'bridge-subnet': { type: 'string' },
      'address-pool': { type: 'string', multiple: true },
      'insecure-registry': { type: 'string', multiple: true },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const level = values['log-level'] ?? 'info';
  if (!LOG_LEVELS.includes(level as LogLevel))
    throw new Error(`--log-level: unknown level ${JSON.stringify(level)}`);
  return {
    dataRoot: resolveDataRoot(values['data-root']),
    host: values.host ?? DEFAULT_ENGINE_HOST,
    runRoot: values['exec-root'],
    ociRuntime: values['oci-runtime'],
    dnsForwarding: !values['no-dns-forwarding'],
    logLevel: level as LogLevel,
    logToStderr: values['log-stderr'] ?? false,
    // The default bridge network's Linux bridge and subnet (tests give each engine its own).
    engineOptions: {
      bridgeName: values['bridge-name'],
      bridgeSubnet: values['bridge-subnet'],
      addressPools: parseAddressPools(values['address-pool']),
      insecureRegistries: values['insecure-registry'],
    } as Partial<EngineOptions>,
  };
}

try {
  const config = parse();
  const { runRoot, ...rest } = config;
  await runEngine(runRoot ? config : rest);
} catch (err) {
  process.stderr.write(`berth engine: ${(err as Error).message}\n`);
  process.exitCode = 1;
}
// Subsystems are shut down by now; whatever handle is left (a timer, a child's pipe) must not
// keep a stopped engine alive.
process.exit();
