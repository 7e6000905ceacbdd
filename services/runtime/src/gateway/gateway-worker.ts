import { parentPort, workerData } from "node:worker_threads";
import { createLogger } from "../../../shared/src/telemetry/logger";
import type { AppId } from "@todo/contracts/topology";
import { startGateway } from "./gateway";
import type { FromWorker, GatewayWorkerData, ToWorker } from "./gateway-thread";
import type { ReadinessReport } from "./readiness";

// The gateway's thread (gateway-thread.ts starts it): readiness is asked of the runtime's thread.
const data = workerData as GatewayWorkerData;
const port = parentPort!;
const send = (msg: FromWorker) => port.postMessage(msg);
const pending = new Map<number, (report: ReadinessReport) => void>();
let nextId = 0;

const readiness = () =>
  new Promise<ReadinessReport>((resolve) => {
    const id = nextId++;
    pending.set(id, resolve);
    send({ type: "readiness", id });
  });

// The gateway, unchanged, on this thread.
startGateway({ port: data.port, host: data.host, metricsPort: data.metricsPort, serviceUrl: (id: AppId) => data.services[id], readiness, log: createLogger("runtime", data.logLevel), drainMs: data.drainMs }).then(
  (gateway) => {
    port.on("message", (msg: ToWorker) => {
      if (msg.type === "readiness") {
        pending.get(msg.id)?.(msg.report);
        pending.delete(msg.id);
      } else if (msg.type === "stop") {
        void gateway.stop().then(() => send({ type: "stopped" }));
      }
    });
    send({ type: "listening", port: gateway.port, url: gateway.url, ...(gateway.metricsUrl ? { metricsUrl: gateway.metricsUrl } : {}) });
  },
  (err: NodeJS.ErrnoException) => send({ type: "failed", message: err.message, ...(err.code ? { code: err.code } : {}) }),
);
