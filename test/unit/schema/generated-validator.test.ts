import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  GENERATED_VALIDATOR_PATH,
  generateValidatorSource,
} from '../../../src/model/compose-schema-codegen.js';

// The validator is precompiled from the schema and committed; this keeps the two in step.
// Regenerate with: BERTH_UPDATE=1 npx vitest run --config test/vitest.config.ts test/unit/schema/generated-validator.test.ts
describe('precompiled schema validator', () => {
  it('is generated from the current schema', () => {
    const schema = JSON.parse(readFileSync('schemas/compose.schema.json', 'utf8'));
    const expected = generateValidatorSource(schema);
    if (process.env.BERTH_UPDATE) writeFileSync(GENERATED_VALIDATOR_PATH, expected);
    expect(readFileSync(GENERATED_VALIDATOR_PATH, 'utf8')).toBe(expected);
  });
});
