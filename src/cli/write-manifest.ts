import { rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Config } from '@oclif/core';

// Build step: write oclif.manifest.json so that `berth <cmd>` loads only that command's module
// instead of importing every command to discover them.
const root = fileURLToPath(new URL('../../../', import.meta.url));
// A stale manifest would be read back instead of the commands themselves.
rmSync(`${root}/oclif.manifest.json`, { force: true });
const config = await Config.load({ root, devPlugins: false, userPlugins: false });
const plugin = config.plugins.get(config.pjson.name) as unknown as { manifest: unknown } | undefined;
if (!plugin) throw new Error('root plugin not found');
writeFileSync(`${root}/oclif.manifest.json`, `${JSON.stringify(plugin.manifest, null, 1)}\n`);
