import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { buildOciSpec } from '../../../../runtime/oci/oci-spec.js';
import { SPEC_CASES } from './fixtures.js';

/** The parts of config.json these tests look at. */
interface SpecView {
  process: { args: string[]; capabilities: Record<string, string[]>; noNewPrivileges: boolean };
  linux: {
    maskedPaths?: string[];
    readonlyPaths?: string[];
    seccomp?: { syscalls: Array<{ names: string[] }> };
    namespaces: Array<{ type: string; path?: string }>;
    resources: Record<string, unknown>;
  };
  root: { readonly: boolean };
}

// Debian's golang-github-opencontainers-specs-dev ships the runtime-spec's JSON Schema (draft-04).
const SCHEMA_DIR = '/usr/share/gocode/src/github.com/opencontainers/runtime-spec/schema';

function schemaValidator() {
  const ajv = new AjvDraft04.default({ allErrors: true, strict: false });
  for (const file of readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json'))) {
    const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8'));
    ajv.addSchema({ ...schema, id: file }, file);
  }
  const validate = ajv.getSchema('config-schema.json');
  if (!validate) throw new Error('config-schema.json not loaded');
  return validate;
}

describe('buildOciSpec', () => {
  const validate = schemaValidator();
  for (const [name, input] of Object.entries(SPEC_CASES)) {
    it(`${name}: validates against the OCI runtime-spec schema and matches its golden file`, async () => {
      const spec = JSON.parse(JSON.stringify(buildOciSpec(input)));
      const ok = validate(spec);
      expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
      expect(ok).toBe(true);
      await expect(`${JSON.stringify(spec, null, 2)}\n`).toMatchFileSnapshot(`golden/${name}.json`);
    });
  }

  it('has a schema that rejects a broken config (the validator is live)', () => {
    const spec = JSON.parse(JSON.stringify(buildOciSpec(SPEC_CASES.minimal)));
    spec.process.user.uid = 'root';
    expect(validate(spec)).toBe(false);
  });

  it('gives Docker default capabilities, nothing inheritable, masked /proc paths and seccomp', () => {
    const spec = buildOciSpec(SPEC_CASES.minimal) as unknown as SpecView;
    expect(spec.process.capabilities.bounding).toHaveLength(14);
    expect(spec.process.capabilities.bounding).not.toContain('CAP_SYS_ADMIN');
    expect(spec.process.capabilities.inheritable).toEqual([]);
    expect(spec.linux.maskedPaths).toContain('/proc/kcore');
    expect(spec.linux.readonlyPaths).toContain('/proc/sys');
    expect(spec.linux.seccomp?.syscalls[0]?.names).toContain('mount');
    expect(spec.linux.namespaces.map((n: { type: string }) => n.type).sort()).toEqual([
      'ipc',
      'mount',
      'network',
      'pid',
      'uts',
    ]);
  });

  it('applies limits, init and the netns path', () => {
    const spec = buildOciSpec(SPEC_CASES.limits) as unknown as SpecView;
    expect(spec.process.args.slice(0, 2)).toEqual(['/sbin/docker-init', '--']);
    expect(spec.linux.resources.memory).toEqual({ limit: 67108864, swap: 134217728 });
    expect(spec.linux.resources.cpu).toEqual({ period: 100000, quota: 50000, shares: 512 });
    expect(spec.linux.resources.pids).toEqual({ limit: 100 });
    expect(spec.process.noNewPrivileges).toBe(true);
    expect(spec.process.capabilities.bounding).toContain('CAP_NET_ADMIN');
    expect(spec.process.capabilities.bounding).not.toContain('CAP_MKNOD');
    expect(spec.linux.seccomp?.syscalls[0]?.names).toContain('mount');
    expect(spec.linux.namespaces).toContainEqual({ type: 'network', path: '/run/netns/berth-aaa' });
    expect(spec.root.readonly).toBe(true);
  });

  it('lets a privileged container have every capability, no seccomp, no masked paths', () => {
    const spec = buildOciSpec(SPEC_CASES.privileged) as unknown as SpecView;
    expect(spec.process.capabilities.bounding).toContain('CAP_SYS_ADMIN');
    expect(spec.linux.seccomp).toBeUndefined();
    expect(spec.linux.maskedPaths).toBeUndefined();
    expect(spec.linux.namespaces.map((n: { type: string }) => n.type)).not.toContain('network');
  });

  it('refuses a memory limit below 6 MB and a soft ulimit above the hard one', () => {
    expect(() => buildOciSpec({ ...SPEC_CASES.minimal, hostConfig: { Memory: 1024 } })).toThrow(
      /Minimum memory/,
    );
    expect(() =>
      buildOciSpec({
        ...SPEC_CASES.minimal,
        hostConfig: { Ulimits: [{ Name: 'nofile', Soft: 10, Hard: 5 }] },
      }),
    ).toThrow(/soft limit/);
  });
});
