import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PositionIndex } from '../../../src/loader/tree-path.js';
import { validateSchema } from '../../../src/loader/validate-schema.js';

// The model (src/model/project.ts) is written by hand; these tests keep it from drifting away
// from the schema: every model field is a Compose attribute, and `berth config` output is valid.
const schema = JSON.parse(readFileSync('schemas/compose.schema.json', 'utf8'));
const defs = schema.$defs;

/** Field names of each interface in src/model/project.ts, read with the TypeScript parser. */
function modelInterfaces(): Record<string, string[]> {
  const file = 'src/model/project.ts';
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
  const out: Record<string, string[]> = {};
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node)) return;
    out[node.name.text] = node.members.flatMap((m) =>
      m.name && ts.isIdentifier(m.name) ? [m.name.text] : [],
    );
  });
  return out;
}

const propsOf = (...schemas: Array<{ properties?: object }>) =>
  new Set(schemas.flatMap((s) => Object.keys(s.properties ?? {})));

/** Model interface -> the schema definitions its fields must come from, and berth's own fields. */
const MAPPING: Record<string, { props: Set<string>; own: string[] }> = {
  Project: {
    props: new Set(Object.keys(schema.properties)),
    own: ['working_dir', 'config_files', 'environment', 'disabled_services', 'extensions'],
  },
  Service: { props: propsOf(defs.service), own: ['name', 'extensions'] },
  BuildConfig: { props: propsOf(defs.build), own: ['extensions'] },
  ServicePort: { props: propsOf(defs.port), own: [] },
  ServiceVolume: { props: propsOf(defs.service_volume), own: [] },
  ServiceNetwork: { props: propsOf(defs.service_network), own: [] },
  DependsOn: { props: propsOf(defs.dependency), own: [] },
  Healthcheck: { props: propsOf(defs.healthcheck), own: [] },
  Network: { props: propsOf(defs.network), own: ['extensions'] },
  Volume: { props: propsOf(defs.volume), own: ['extensions'] },
  SecretOrConfig: { props: propsOf(defs.secret, defs.config), own: [] },
  ServiceFileRef: { props: propsOf(defs.service_file_refs.items.anyOf[1]), own: [] },
};

describe('model and schema', () => {
  const model = modelInterfaces();

  it.each(Object.entries(MAPPING))('every field of %s is a Compose attribute', (name, { props, own }) => {
    expect(model[name], `interface ${name}`).toBeDefined();
    const unknown = model[name].filter((field) => !props.has(field) && !own.includes(field));
    expect(unknown).toEqual([]);
  });

  it('every closed mapping of the schema allows x- extension keys', () => {
    const closed: string[] = [];
    const walk = (node: unknown, at: string): void => {
      if (node === null || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      const patterns = (n.patternProperties ?? {}) as object;
      if (n.additionalProperties === false && n.properties && !Object.hasOwn(patterns, '^x-'))
        closed.push(at);
      for (const [k, v] of Object.entries(n)) walk(v, `${at}/${k}`);
    };
    walk(schema, '#');
    expect(closed).toEqual([]);
  });

  it('every golden berth config output validates against the schema', () => {
    const dir = 'test/golden/config';
    const outputs = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(outputs.length).toBeGreaterThan(5);
    for (const file of outputs) {
      expect(
        () => validateSchema(parse(readFileSync(join(dir, file), 'utf8')), new PositionIndex()),
        file,
      ).not.toThrow();
    }
  });
});
