import express from "express";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/** The part of a Dapr sidecar the websocket service talks to: the secret store and health. */
export async function startFakeSidecar(secrets: Record<string, string>): Promise<{ port: number; stop: () => Promise<void> }> {
  const app = express();
  app.get("/v1.0/secrets/secretstore/:name", (req, res) => {
    const value = secrets[req.params.name];
    if (value === undefined) res.status(404).json({ errorCode: "ERR_SECRET_GET" });
    else res.json({ [req.params.name]: value });
  });
  app.get("/v1.0/healthz/outbound", (_req, res) => {
    res.status(204).end();
  });
  app.get("/v1.0/metadata", (_req, res) => {
    res.json({ id: "websocket" });
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return {
    port: (server.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
