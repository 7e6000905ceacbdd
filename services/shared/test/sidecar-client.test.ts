import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { makeEvent } from "@todo/contracts/envelope";
import { callSidecar, type SidecarAddress } from "../src/dapr/sidecar";
import { PublishError, publishEvent } from "../src/dapr/publisher";

/** What a service sends its sidecar, and how it reads the answers, against a plain HTTP server. */
describe("sidecar client (publish, answers, timeouts)", () => {
  let server: Server;
  let sidecar: SidecarAddress;
  let answer: (req: IncomingMessage, body: string, res: ServerResponse) => void;

  before(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => answer(req, body, res));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    sidecar = { DAPR_HOST: "127.0.0.1", DAPR_HTTP_PORT: (server.address() as { port: number }).port };
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const event = makeEvent({ type: "reminder.cancelled", source: "backend", subject: "task/1 ä", userId: "u-1", correlationId: "c-1", data: { taskId: "task/1 ä", reason: "cleared" } });

  it("publishes the envelope as a CloudEvent to the Dapr publish API, keyed by the subject", async () => {
    let seen: { method?: string; url?: string; type?: string; body?: string } = {};
    answer = (req, body, res) => {
      seen = { method: req.method, url: req.url, type: req.headers["content-type"], body };
      res.writeHead(204).end();
    };
    await publishEvent(sidecar, event);
    assert.equal(seen.method, "POST");
    assert.equal(seen.url, `/v1.0/publish/pubsub/reminders?metadata.partitionKey=${encodeURIComponent("task/1 ä")}`);
    assert.equal(seen.type, "application/cloudevents+json");
    assert.deepEqual(JSON.parse(seen.body!), JSON.parse(JSON.stringify(event)));
  });

  it("turns a non-2xx answer into a PublishError that names the status and the event", async () => {
    answer = (_req, _body, res) => res.writeHead(500, { "content-type": "application/json" }).end('{"errorCode":"ERR_PUBSUB_PUBLISH_MESSAGE"}');
    await assert.rejects(publishEvent(sidecar, event), (err: Error) => err instanceof PublishError && /HTTP 500/.test(err.message) && err.message.includes(event.id));
  });

  it("gives up on a sidecar that does not answer in time, naming the call", async () => {
    answer = () => undefined; // never answers
    await assert.rejects(callSidecar(sidecar, "GET", "/v1.0/healthz/outbound", { timeoutMs: 200 }), /GET \/v1\.0\/healthz\/outbound to the sidecar failed: no answer within 200 ms/);
  });

  it("refuses an answer larger than it will hold in memory", async () => {
    answer = (_req, _body, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(1024 * 1024, 0x61);
      for (let i = 0; i < 5; i++) res.write(chunk);
      res.end();
    };
    await assert.rejects(callSidecar(sidecar, "GET", "/v1.0/secrets/s/big", { timeoutMs: 5000 }), /answer larger than/);
  });

  it("reports a refused connection with its cause", async () => {
    await assert.rejects(callSidecar({ DAPR_HOST: "127.0.0.1", DAPR_HTTP_PORT: 9 }, "POST", "/v1.0/publish/pubsub/tasks", { body: "{}", timeoutMs: 1000 }), /ECONNREFUSED/);
  });
});
