/**
 * `serve`'s config_valid check, run on every replica at start and at each resync, on the process's
 * one audit repo snapshot (`AuditRepoSnapshots`), shared with the leading controller:
 * - on the leader it takes the controller's snapshot as it is: the controller marks it stale on a
 *   push to the default branch and at each resync, and whichever comes first, this check or a
 *   reconcile, reads the head once (the files only when it moved); the check adds no read;
 * - a standby has no controller to do that, so the check marks it stale itself: one head read per
 *   check, and the files only when the head moved.
 */
import type { SnapshotResult } from "../controller/audit-repo-snapshot.ts";
import type { AuditRepoSnapshots } from "../controller/snapshot-cache.ts";

export function configCheck(
  snapshots: AuditRepoSnapshots,
  leading: () => boolean,
): () => Promise<SnapshotResult> {
  return async () => {
    if (!leading()) snapshots.moved();
    return snapshots.get();
  };
}
