import express from "express";
import { createLogger, listen, type RunningService } from "../../shared/src";

/**
 * The few Dapr sidecar HTTP routes the event-processor and notification services call, for tests of
 * one service alone: metadata/health (the SDK polls /metadata before its first call), service
 * invocation forwarded to a test app, publish recorded (or failing on demand), secrets from a map.
 */
export interface FakeSidecar {
  url: string;
  port: number;
  published: Array<{ topic: string; contentType: string | undefined; metadata: Record<string, string>; body: Record<string, unknown> }>;
  /** app-id → base URL of the app that invocations are forwarded to. */
  apps: Map<string, string>;
  /** While true, publish answers 500 as Dapr does when the broker is down. */
  failPublish: boolean;
  stop(): Promise<void>;
}

export async function startFakeSidecar(secrets: Record<string, string> = {}): Promise<FakeSidecar> {
  const state: Omit<FakeSidecar, "url" | "port" | "stop"> = { published: [], apps: new Map(), failPublish: false };
  const app = express();
  app.use(express.json({ type: ["application/json", "application/*+json"] }));
  app.get("/v1.0/metadata", (_req, res) => {
    res.json({ id: "fake-sidecar" });
  });
  app.get("/v1.0/healthz/outbound", (_req, res) => {
    res.status(204).end();
  });
  app.get("/v1.0/secrets/:store/:name", (req, res) => {
    const value = secrets[req.params.name];
    if (value === undefined) res.status(404).json({ errorCode: "ERR_SECRET_GET" });
    else res.json({ [req.params.name]: value });
  });
  app.post("/v1.0/publish/:pubsub/:topic", (req, res) => {
    if (state.failPublish) {
      res.status(500).json({ errorCode: "ERR_PUBSUB_PUBLISH_MESSAGE", message: "broker unavailable" });
      return;
    }
    const metadata: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.query)) if (k.startsWith("metadata.")) metadata[k.slice(9)] = String(v);
    state.published.push({ topic: req.params.topic, contentType: req.header("content-type"), metadata, body: req.body });
    res.status(204).end();
  });
  app.all("/v1.0/invoke/:appId/method/*method", async (req, res) => {
    const target = state.apps.get(req.params.appId);
    if (!target) {
      res.status(500).json({ errorCode: "ERR_DIRECT_INVOKE", message: `no app ${req.params.appId}` });
      return;
    }
    const path = (req.params as unknown as { method: string[] }).method.join("/");
    const query = req.originalUrl.includes("?") ? req.originalUrl.slice(req.originalUrl.indexOf("?")) : "";
    try {
      const upstream = await fetch(`${target}/${path}${query}`, {
        method: req.method,
        headers: req.body !== undefined && req.method !== "GET" ? { "content-type": "application/json" } : {},
        body: req.method !== "GET" && req.body !== undefined ? JSON.stringify(req.body) : undefined,
      });
      res.status(upstream.status).type(upstream.headers.get("content-type") ?? "application/json").send(await upstream.text());
    } catch (err) {
      // what daprd answers when the target app cannot be reached
      res.status(500).json({ errorCode: "ERR_DIRECT_INVOKE", message: String(err) });
    }
  });
  const server: RunningService = await listen({ port: 0, host: "127.0.0.1", log: createLogger("fake-sidecar", "silent"), handler: app, shutdownTimeoutMs: 1000 });
  const fake = state as FakeSidecar;
  fake.url = server.url;
  fake.port = server.port;
  fake.stop = () => server.stop();
  return fake;
}
