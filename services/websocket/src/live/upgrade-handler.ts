import { STATUS_CODES, type IncomingMessage, type Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { errorBody } from "../../../shared/src/http/errors";
import type { Logger } from "../../../shared/src/telemetry/logger";
import type { TokenService } from "../../../shared/src/auth/tokens";
import { websocketUpgradesRejected } from "../../../shared/src/telemetry/websocket-metrics";
import { replayRequestOf } from "../domain/replay-request";
import { BEARER_PROTOCOL, pathOf, tokenOfUpgrade } from "../domain/upgrade-token";
import type { SocketHub } from "./socket-hub";

export const WS_PATH = "/ws";

/** Browsers send nothing but control frames; anything larger is abuse. */
const MAX_INCOMING_PAYLOAD = 4 * 1024;

/**
 * Answers a refused upgrade in plain HTTP with the one error shape, then closes the socket (the
 * request never became a WebSocket, so there is no close frame to send).
 */
function refuse(socket: Duplex, status: number, code: string, message: string, details?: unknown): void {
  const body = JSON.stringify(errorBody(code, message, details));
  socket.once("finish", () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Authenticates `GET /ws` upgrades on the service's HTTP server and hands accepted sockets to the hub. */
export function attachUpgradeHandler(server: Server, deps: { tokens: TokenService; hub: SocketHub; log: Logger }): void {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_INCOMING_PAYLOAD,
    // Echo `bearer` when offered, as browsers require one of their offered subprotocols to be chosen.
    handleProtocols: (protocols) => (protocols.has(BEARER_PROTOCOL) ? BEARER_PROTOCOL : false),
  });

  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    void (async () => {
      const url = req.url ?? "/";
      if (pathOf(url) !== WS_PATH) return refuse(socket, 404, "not_found", `no websocket at ${pathOf(url)}`);
      if (deps.hub.closing) return refuse(socket, 503, "unavailable", "server shutting down");
      const replay = replayRequestOf(url);
      if (!replay.ok) return refuse(socket, 400, "bad_request", replay.message, [{ field: "lastEventId", message: replay.message }]);
      const found = tokenOfUpgrade(url, req.headers["sec-websocket-protocol"]);
      const user = found ? await deps.tokens.verify(found.token) : null;
      if (!user) {
        websocketUpgradesRejected.inc();
        return refuse(socket, 401, "unauthorized", "missing or invalid token");
      }
      if (deps.hub.closing || socket.destroyed) return refuse(socket, 503, "unavailable", "server shutting down");
      wss.handleUpgrade(req, socket, head, (ws) => {
        deps.hub.attach(ws, user, replay.lastEventId);
        deps.log.debug({ userId: user.id, via: found!.via, lastEventId: replay.lastEventId }, "websocket connected");
      });
    })().catch((err: unknown) => {
      deps.log.error({ err }, "websocket upgrade failed");
      refuse(socket, 500, "internal", "internal error");
    });
  });
}
