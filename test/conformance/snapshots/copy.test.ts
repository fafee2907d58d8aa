import { CopySnapshotter } from '../../../runtime/snapshots/copy-snapshotter.js';
import { snapshotterSuite } from './snapshotter-suite.js';

snapshotterSuite('copy (vfs)', (root, host) => new CopySnapshotter({ host, now: Date.now }, root));
