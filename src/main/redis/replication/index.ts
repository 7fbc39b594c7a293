/** Snapshots read as a replica reads them: the caller falls back to SCAN + DUMP when `isReplicationRefused`. */
export { masterEndpoints, openSnapshot, readSnapshots, type Snapshot, type SnapshotEndpoint, type SnapshotOptions } from './snapshot';
export { isReplicationRefused, REPLICATION_REFUSED } from './handshake';
