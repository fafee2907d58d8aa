import { invalid } from '../errors.js';
import type { AddressPool } from './ipam.js';
import { parseCidr } from './ipam.js';

/**
 * Parses one `--address-pool base=CIDR,size=N` value, dockerd's `default-address-pools` entry:
 * new networks get `/N` subnets carved out of `base`. Throws `invalid` naming the value.
 */
export function parseAddressPool(text: string): AddressPool {
  const fields = new Map<string, string>();
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (key !== 'base' && key !== 'size')
      throw invalid(`--address-pool: unexpected key '${key}' in '${text}' (expected base=CIDR,size=N)`);
    if (eq < 0 || fields.has(key))
      throw invalid(`--address-pool: '${key}' needs exactly one value in '${text}'`);
    fields.set(key, part.slice(eq + 1).trim());
  }
  const base = fields.get('base');
  const size = fields.get('size');
  if (!base || size === undefined) throw invalid(`--address-pool: '${text}' needs both base and size`);
  const cidr = parseCidr(base);
  if (!base.includes('/')) throw invalid(`--address-pool: base '${base}' is not a CIDR`);
  if (!/^\d{1,2}$/.test(size) || Number(size) < cidr.prefix || Number(size) > 30)
    throw invalid(
      `--address-pool: size ${size} must be between the base's prefix length (${cidr.prefix}) and 30 in '${text}'`,
    );
  return { base, size: Number(size) };
}

/** Parses every `--address-pool` value; undefined when none was given (Docker's defaults apply). */
export function parseAddressPools(values: string[] | undefined): AddressPool[] | undefined {
  return values?.length ? values.map(parseAddressPool) : undefined;
}
