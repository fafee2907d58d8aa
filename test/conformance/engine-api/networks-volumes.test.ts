import { expect } from 'vitest';
import { forEachEngine, rejection } from './harness.js';

forEachEngine('networks and volumes', (ctx, test) => {
  test('network create, inspect, list, connect with aliases and a static address, disconnect, remove', async () => {
    const { client, prefix, container } = ctx();
    const name = `${prefix}-net`;
    const { Id } = await client.networks.create({
      Name: name,
      Driver: 'bridge',
      Labels: { 'berth.test': prefix },
      IPAM: { Config: [{ Subnet: '10.213.0.0/24', Gateway: '10.213.0.1' }] },
    });
    const inspect = await client.networks.inspect(Id);
    expect(inspect).toMatchObject({ Name: name, Driver: 'bridge', Labels: { 'berth.test': prefix } });
    expect(inspect.IPAM.Config).toEqual([{ Subnet: '10.213.0.0/24', Gateway: '10.213.0.1' }]);
    expect(
      (await client.networks.list({ filters: { label: [`berth.test=${prefix}`] } })).map((n) => n.Id),
    ).toEqual([Id]);
    const cid = await container('net-member');
    await client.networks.connect(Id, {
      Container: cid,
      EndpointConfig: { Aliases: ['db'], IPAMConfig: { IPv4Address: '10.213.0.9' } },
    });
    await client.containers.start(cid);
    const endpoint = (await client.containers.inspect(cid)).NetworkSettings.Networks[name];
    expect(endpoint?.IPAddress).toBe('10.213.0.9');
    expect(endpoint?.Aliases).toContain('db');
    expect(Object.keys((await client.networks.inspect(Id)).Containers ?? {})).toEqual([cid]);
    expect((await rejection(client.networks.remove(Id))).kind).toBe('conflict');
    await client.networks.disconnect(Id, { Container: cid, Force: true });
    await client.networks.remove(Id);
    expect((await rejection(client.networks.inspect(Id))).kind).toBe('not-found');
  });

  test('a taken network name is a conflict; network prune by label', async () => {
    const { client, prefix } = ctx();
    const name = `${prefix}-dup`;
    await client.networks.create({ Name: name, Labels: { 'berth.prune': prefix }, CheckDuplicate: true });
    expect((await rejection(client.networks.create({ Name: name, CheckDuplicate: true }))).kind).toBe(
      'conflict',
    );
    const pruned = await client.networks.prune({ label: [`berth.prune=${prefix}`] });
    expect(pruned.NetworksDeleted).toEqual([name]);
  });

  test('volume create, inspect, list, remove; in use is a conflict; prune', async () => {
    const { client, prefix, container } = ctx();
    const name = `${prefix}-vol`;
    const created = await client.volumes.create({ Name: name, Labels: { 'berth.test': prefix } });
    expect(created).toMatchObject({ Name: name, Driver: 'local', Labels: { 'berth.test': prefix } });
    expect((await client.volumes.inspect(name)).Mountpoint).toBeTruthy();
    const listed = await client.volumes.list({ filters: { label: [`berth.test=${prefix}`] } });
    expect(listed.Volumes?.map((v) => v.Name)).toEqual([name]);
    const cid = await container('vol-user', {
      HostConfig: { Mounts: [{ Type: 'volume', Source: name, Target: '/data' }] },
    });
    expect((await rejection(client.volumes.remove(name))).kind).toBe('conflict');
    await client.containers.remove(cid, { force: true });
    await client.volumes.remove(name);
    expect((await rejection(client.volumes.inspect(name))).kind).toBe('not-found');
    const pruneName = `${prefix}-prune-vol`;
    await client.volumes.create({ Name: pruneName, Labels: { 'berth.prune': prefix } });
    const pruned = await client.volumes.prune({ label: [`berth.prune=${prefix}`], all: ['true'] });
    expect(pruned.VolumesDeleted).toEqual([pruneName]);
  });
});
