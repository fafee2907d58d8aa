import { Ajv2020 } from 'ajv/dist/2020.js';
import standalone from 'ajv/dist/standalone/index.js';

/**
 * Where the precompiled validator lives, relative to the package root. It is generated from
 * schemas/compose.schema.json and committed: compiling the schema with ajv at start-up costs
 * about 200 ms, loading the generated module about 15 ms. A unit test
 * (test/unit/schema/generated-validator.test.ts) fails when it is stale and rewrites it when
 * run with BERTH_UPDATE=1.
 */
export const GENERATED_VALIDATOR_PATH = 'src/model/compose-validator.gen.ts';

/** The ajv options the stack-file validator is built with; `allErrors` so every problem is reported. */
export const VALIDATOR_OPTIONS = { allErrors: true, strict: true, allowUnionTypes: true } as const;

/** Compiles the Compose schema to standalone ESM source, wrapped so tsc and Biome accept it as is. */
export function generateValidatorSource(schema: object): string {
  const ajv = new Ajv2020({ ...VALIDATOR_OPTIONS, code: { source: true, esm: true, lines: false } });
  const validate = ajv.compile(schema);
  const body = standalone.default(ajv, validate);
  return [
    '// biome-ignore-all lint: generated from schemas/compose.schema.json by src/model/compose-schema-codegen.ts',
    '// biome-ignore-all format: generated',
    '// @ts-nocheck',
    body,
    '',
  ].join('\n');
}
