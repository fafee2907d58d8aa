import type { DependsOn, ServiceNetwork } from '../../model/project.js';
import { asMapping, listOrDict, put, toBool, toInt, toList, toStr } from './values.js';

/** `depends_on: [db]` or `{db: {condition, required, restart}}` to long form. */
export function transformDependsOn(value: unknown): Record<string, DependsOn> {
  const out: Record<string, DependsOn> = {};
  if (Array.isArray(value)) {
    for (const name of value)
      put(out, toStr(name), { condition: 'service_started', required: true, restart: false });
    return out;
  }
  for (const [name, dep] of Object.entries(asMapping(value))) {
    const d = asMapping(dep);
    put(out, name, {
      condition: (d.condition === undefined
        ? 'service_started'
        : toStr(d.condition)) as DependsOn['condition'],
      required: d.required === undefined ? true : toBool(d.required),
      restart: d.restart === undefined ? false : toBool(d.restart),
    });
  }
  return out;
}

/** `networks: [front]` or `{front: {aliases: [...]}, back: null}` to long form. */
export function transformNetworks(value: unknown): Record<string, ServiceNetwork> {
  const out: Record<string, ServiceNetwork> = {};
  if (Array.isArray(value)) {
    for (const name of value) put(out, toStr(name), { aliases: [] });
    return out;
  }
  for (const [name, attachment] of Object.entries(asMapping(value))) {
    const a = asMapping(attachment);
    const n: ServiceNetwork = { aliases: toList(a.aliases) };
    if (a.ipv4_address !== undefined) n.ipv4_address = toStr(a.ipv4_address);
    if (a.ipv6_address !== undefined) n.ipv6_address = toStr(a.ipv6_address);
    if (a.mac_address !== undefined) n.mac_address = toStr(a.mac_address);
    if (a.priority !== undefined) n.priority = toInt(a.priority);
    if (a.gw_priority !== undefined) n.gw_priority = toInt(a.gw_priority);
    if (a.interface_name !== undefined) n.interface_name = toStr(a.interface_name);
    if (a.link_local_ips !== undefined) n.link_local_ips = toList(a.link_local_ips);
    if (a.driver_opts !== undefined) n.driver_opts = listOrDict(a.driver_opts, '');
    put(out, name, n);
  }
  return out;
}
