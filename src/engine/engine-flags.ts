import { Flags } from '@oclif/core';

/** Flags every `berth engine` command takes to find its engine. */
export const engineLocationFlags = {
  'data-root': Flags.string({
    description: 'Engine data directory (default $BERTH_DATA_ROOT or /var/lib/berth)',
  }),
  host: Flags.string({ char: 'H', description: 'Engine socket (default unix:///run/berth/engine.sock)' }),
};

/** Flags of the commands that start an engine. */
export const engineStartFlags = {
  ...engineLocationFlags,
  'oci-runtime': Flags.string({
    description: 'OCI runtime: crun, runc or a path (default: crun, else runc)',
  }),
  'address-pool': Flags.string({
    description:
      'Pool new networks get their subnets from, as dockerd default-address-pools: base=CIDR,size=N (repeatable)',
    multiple: true,
  }),
  'log-level': Flags.string({ description: 'Engine log level', options: ['debug', 'info', 'warn', 'error'] }),
};
