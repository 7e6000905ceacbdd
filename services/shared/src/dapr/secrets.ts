import { SECRETSTORE_NAME } from "@todo/contracts/topology";
import { callSidecar, type SidecarAddress } from "./sidecar";

/**
 * Reads one secret from the Dapr secret store (Kubernetes Secrets in the cluster, the environment under
 * the local runtime). Retries while the sidecar starts, so a service can fetch it during start-up.
 */
export async function readSecret(cfg: SidecarAddress, name: string, key = name, attempts = 30): Promise<string> {
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      const res = await callSidecar(cfg, "GET", `/v1.0/secrets/${SECRETSTORE_NAME}/${encodeURIComponent(name)}`, { timeoutMs: 2000 });
      if (res.status === 200) {
        const body = JSON.parse(res.text) as Record<string, string>;
        const value = body[key];
        if (!value) throw new Error(`secret ${name} has no key ${key}`);
        return value;
      }
      lastError = new Error(`HTTP ${res.status}`);
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, Math.min(200 * 2 ** i, 2000)));
  }
  throw new Error(`could not read secret ${name} from the Dapr secret store: ${String(lastError)}`);
}
