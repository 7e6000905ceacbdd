import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One `POST /v1.0/publish/:pubsub/:topic` the sidecar accepted (or refused, while failing). */
export interface RecordedPublish {
  pubsub: string;
  topic: string;
  /** Query parameters, e.g. `metadata.partitionKey`. */
  query: Record<string, string>;
  /** The `metadata.*` query parameters without the prefix, e.g. `partitionKey`. */
  metadata: Record<string, string>;
  contentType: string | undefined;
  body: unknown;
  accepted: boolean;
}

export interface RecordingSidecar {
  url: string;
  port: number;
  /** DAPR_HOST / DAPR_HTTP_PORT for a service under test. */
  address: { DAPR_HOST: string; DAPR_HTTP_PORT: number };
  /** Accepted publishes, in arrival order. */
  published: RecordedPublish[];
  /** Every publish attempt, accepted or not. */
  attempts: RecordedPublish[];
  /** While true, publishes answer 500 (a broker outage as the app sees it). */
  failPublishes(fail: boolean): void;
  /** Where `/v1.0/invoke/<appId>/method/...` is forwarded (base URL), or undefined to answer 500. */
  setInvokeTarget(appId: string, baseUrl: string | undefined): void;
  stop(): Promise<void>;
}

/**
 * The stand-in for a Dapr sidecar in the services' tests: metadata and health, secrets from a map,
 * publishes recorded (and switchable to failing), service invocation forwarded to a target.
 * The full local sidecar (delivery, retries, dead letters, jobs) is the local runtime's; the
 * reminder-scheduler's tests add the Jobs API in a fake of their own.
 */
export async function startRecordingSidecar(opts: { appId?: string; secrets?: Record<string, string> } = {}): Promise<RecordingSidecar> {
  const published: RecordedPublish[] = [];
  const attempts: RecordedPublish[] = [];
  const targets = new Map<string, string>();
  let failing = false;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://sidecar");
    const body = await readBody(req);
    const send = (status: number, json?: unknown) => {
      res.writeHead(status, json === undefined ? {} : { "content-type": "application/json" });
      res.end(json === undefined ? undefined : JSON.stringify(json));
    };
    const path = url.pathname;
    if (req.method === "GET" && path === "/v1.0/metadata") return send(200, { id: opts.appId ?? "app", components: [] });
    if (req.method === "GET" && (path === "/v1.0/healthz" || path === "/v1.0/healthz/outbound")) return send(204);

    const secret = /^\/v1\.0\/secrets\/([^/]+)\/([^/]+)$/.exec(path);
    if (req.method === "GET" && secret) {
      const name = decodeURIComponent(secret[2]!);
      const value = opts.secrets?.[name];
      return value === undefined ? send(404, { errorCode: "ERR_SECRET_GET", message: `no secret ${name}` }) : send(200, { [name]: value });
    }

    const publish = /^\/v1\.0\/publish\/([^/]+)\/([^/]+)$/.exec(path);
    if (req.method === "POST" && publish) {
      const record: RecordedPublish = {
        pubsub: decodeURIComponent(publish[1]!),
        topic: decodeURIComponent(publish[2]!),
        query: Object.fromEntries(url.searchParams),
        metadata: Object.fromEntries([...url.searchParams].filter(([k]) => k.startsWith("metadata.")).map(([k, v]) => [k.slice("metadata.".length), v])),
        contentType: req.headers["content-type"],
        body: parseJson(body),
        accepted: !failing,
      };
      attempts.push(record);
      if (failing) return send(500, { errorCode: "ERR_PUBSUB_PUBLISH_MESSAGE", message: "broker unavailable" });
      published.push(record);
      return send(204);
    }

    const invoke = /^\/v1\.0\/invoke\/([^/]+)\/method\/(.*)$/.exec(path);
    if (invoke) {
      const target = targets.get(decodeURIComponent(invoke[1]!));
      if (!target) return send(500, { errorCode: "ERR_DIRECT_INVOKE", message: `no target for ${invoke[1]}` });
      try {
        const headers: Record<string, string> = {};
        for (const h of ["content-type", "x-request-id", "authorization"]) if (req.headers[h]) headers[h] = String(req.headers[h]);
        const forwarded = await fetch(`${target}/${invoke[2]}${url.search}`, {
          method: req.method,
          headers,
          body: body.length > 0 ? new Uint8Array(body) : undefined,
        });
        res.writeHead(forwarded.status, { "content-type": forwarded.headers.get("content-type") ?? "application/octet-stream" });
        res.end(Buffer.from(await forwarded.arrayBuffer()));
      } catch (err) {
        send(500, { errorCode: "ERR_DIRECT_INVOKE", message: String(err) });
      }
      return;
    }
    send(404, { errorCode: "ERR_NOT_FOUND", message: `${req.method} ${path}` });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    address: { DAPR_HOST: "127.0.0.1", DAPR_HTTP_PORT: port },
    published,
    attempts,
    failPublishes: (fail) => {
      failing = fail;
    },
    setInvokeTarget: (appId, baseUrl) => {
      if (baseUrl === undefined) targets.delete(appId);
      else targets.set(appId, baseUrl.replace(/\/$/, ""));
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function parseJson(body: Buffer): unknown {
  const text = body.toString("utf8");
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}
