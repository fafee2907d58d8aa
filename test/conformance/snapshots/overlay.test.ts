import { OverlaySnapshotter } from '../../../runtime/snapshots/overlay-snapshotter.js';
import { snapshotterSuite } from './snapshotter-suite.js';

snapshotterSuite('overlay', (root, host) => new OverlaySnapshotter({ host, now: Date.now }, root));
