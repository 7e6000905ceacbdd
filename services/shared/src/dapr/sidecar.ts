import type { DaprClient } from "@dapr/dapr";

export interface SidecarAddress {
  DAPR_HOST: string;
  DAPR_HTTP_PORT: number;
}

export function sidecarUrl(cfg: SidecarAddress): string {
  return `http://${cfg.DAPR_HOST}:${cfg.DAPR_HTTP_PORT}`;
}

/** DaprClient over HTTP (outbound publish). Inbound Dapr traffic is plain Express, never DaprServer. */
export function createDaprClient(cfg: SidecarAddress): DaprClient {
  // Loaded on first use, not with the shared library: the SDK brings its gRPC stack (~50 MB of RSS per
  // process, measured by `npm run bench`) and the services that never publish do not need it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { CommunicationProtocolEnum, DaprClient } = require("@dapr/dapr") as typeof import("@dapr/dapr");
  return new DaprClient({
    daprHost: cfg.DAPR_HOST,
    daprPort: String(cfg.DAPR_HTTP_PORT),
    communicationProtocol: CommunicationProtocolEnum.HTTP,
    logger: { level: 1 /* errors only: our own logger reports outcomes */ },
  });
}

/** Readiness: the sidecar answers its outbound health endpoint (components initialised). */
export function sidecarReadiness(cfg: SidecarAddress): () => Promise<void> {
  return async () => {
    const res = await fetch(`${sidecarUrl(cfg)}/v1.0/healthz/outbound`, { signal: AbortSignal.timeout(1500) });
    if (res.status >= 300) throw new Error(`sidecar not ready: HTTP ${res.status}`);
  };
}
