import { JOB_FAILURE_POLICY } from "@todo/contracts/dapr-resources";
import { callSidecar, type SidecarAddress } from "./sidecar";

/**
 * The Dapr Jobs API (stable in 1.18; the JS SDK 3.18 has no client for it). The sidecar calls the same
 * app back at `POST /job/<name>` at `dueTime`, never early. Not "at least once": a failed trigger is
 * retried per `failurePolicy` and then a one-shot job is gone, and an HTTP 404 from the handler counts
 * as done (dapr v1.18.3 scheduler/internal/cluster/streamer.go). So every job carries
 * JOB_FAILURE_POLICY, the handler answers 404 only for a reminder that no longer exists, and the cron
 * sweep catches what the retries did not.
 */
export class JobsClient {
  constructor(private readonly cfg: SidecarAddress) {}

  async schedule(name: string, job: { dueTime: string; data?: unknown; overwrite?: boolean }): Promise<void> {
    const res = await callSidecar(this.cfg, "POST", `/v1.0/jobs/${encodeURIComponent(name)}`, {
      body: JSON.stringify({ dueTime: job.dueTime, data: job.data ?? {}, overwrite: job.overwrite ?? true, failurePolicy: JOB_FAILURE_POLICY }),
      timeoutMs: 5000,
    });
    if (res.status < 200 || res.status > 299) throw new Error(`scheduling job ${name} failed: HTTP ${res.status} ${res.text.slice(0, 300)}`);
  }

  /** Deleting a job that does not exist is not an error (cancel is idempotent). */
  async delete(name: string): Promise<void> {
    const res = await callSidecar(this.cfg, "DELETE", `/v1.0/jobs/${encodeURIComponent(name)}`, { timeoutMs: 5000 });
    if ((res.status < 200 || res.status > 299) && res.status !== 404) throw new Error(`deleting job ${name} failed: HTTP ${res.status} ${res.text.slice(0, 300)}`);
  }
}
