import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import { runSmokeJourney, type JourneyStep } from "../../scripts/smoke/smoke-journey";
import { parseSmokeArgs } from "../../scripts/smoke/smoke-options";

/**
 * A deliberately broken stand-in for the public endpoint, to prove the smoke journey fails at the
 * right step with a message an operator can act on — and cleans up what it created.
 */
interface Broken {
  readyStatus?: number;
  signupBody?: unknown;
  sendFrames?: boolean;
}

async function brokenEndpoint(broken: Broken) {
  const deletes: string[] = [];
  const tasks = new Map<string, Record<string, unknown>>();
  const wss = new WebSocketServer({ noServer: true });
  const json = (res: ServerResponse, status: number, body?: unknown) => {
    res.writeHead(status, { "content-type": "application/json" }).end(body === undefined ? undefined : JSON.stringify(body));
  };
  const userId = randomUUID();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      if (url.pathname === "/readyz") return json(res, broken.readyStatus ?? 200, {});
      if (req.method === "POST" && url.pathname === "/api/auth/signup") {
        const { email } = JSON.parse(raw) as { email: string };
        return json(res, 201, broken.signupBody ?? { token: "t0k3n", user: { id: userId, email } });
      }
      if (req.method === "POST" && url.pathname === "/api/tasks") {
        const body = JSON.parse(raw) as Record<string, unknown>;
        const now = new Date().toISOString();
        const task = { id: randomUUID(), userId, description: "", priority: "medium", tags: [], remindAt: null, createdAt: now, updatedAt: now, completedAt: null, version: 1, status: "pending", ...body };
        tasks.set(task.id, task);
        return json(res, 201, task);
      }
      if (req.method === "DELETE" && url.pathname.startsWith("/api/tasks/")) {
        deletes.push(url.pathname.split("/")[3]);
        return json(res, 204);
      }
      json(res, 404, { error: { code: "not_found", message: "no route", details: [] } });
    });
  });
  server.on("upgrade", (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (broken.sendFrames) ws.send(JSON.stringify({ type: "task.created", id: "e1", time: new Date().toISOString(), data: { task: { id: "not-a-task" } } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    deletes,
    tasks,
    stop: async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

async function journeyAgainst(broken: Broken) {
  const endpoint = await brokenEndpoint(broken);
  const passed: JourneyStep[] = [];
  const failed: { step: JourneyStep; message: string }[] = [];
  try {
    const result = await runSmokeJourney(
      { baseUrl: endpoint.baseUrl, readyTimeoutMs: 1500, stepTimeoutMs: 600 },
      { passed: (step) => passed.push(step), failed: (step, _ms, message) => failed.push({ step, message }) },
    );
    return { result, passed, failed, endpoint };
  } finally {
    await endpoint.stop();
  }
}

describe("smoke journey failures", () => {
  it("when /readyz keeps answering 503, then the journey stops at 'ready' after the bounded wait and says what it saw", async () => {
    const started = Date.now();
    const { result, passed, failed } = await journeyAgainst({ readyStatus: 503 });
    assert.equal(result.ok, false);
    assert.equal(result.failedStep, "ready");
    assert.deepEqual(passed, []);
    assert.match(failed[0].message, /did not answer 200 within 1\.5 s \(last: HTTP 503\)/);
    assert.ok(Date.now() - started < 5000);
  });

  it("when sign-up answers without a token, then the journey stops at 'sign up' naming the missing field", async () => {
    const { result, passed } = await journeyAgainst({ signupBody: { user: { id: randomUUID(), email: "x@example.com" } } });
    assert.equal(result.failedStep, "sign up");
    assert.deepEqual(passed, ["ready"]);
    assert.match(result.message ?? "", /token: /);
  });

  it("when no live frame arrives for the new task, then the journey stops at 'receive task.created', reports the off-contract frame, and deletes the task it created", async () => {
    const { result, passed, endpoint } = await journeyAgainst({ sendFrames: true });
    assert.equal(result.failedStep, "receive task.created");
    assert.deepEqual(passed, ["ready", "sign up", "open live feed", "create daily task"]);
    assert.match(result.message ?? "", /no task\.created frame within 600 ms \(frames seen: none; frames off the contract: .*not-a-task/);
    assert.deepEqual(endpoint.deletes, [...endpoint.tasks.keys()], "the created task is cleaned up");
    assert.equal(endpoint.deletes.length, 1);
  });

  it("when the endpoint is not reachable, then the message carries the network error", async () => {
    const endpoint = await brokenEndpoint({});
    await endpoint.stop();
    const failed: string[] = [];
    const result = await runSmokeJourney({ baseUrl: endpoint.baseUrl, readyTimeoutMs: 1000, stepTimeoutMs: 500 }, { passed: () => undefined, failed: (_s, _ms, m) => failed.push(m) });
    assert.equal(result.failedStep, "ready");
    assert.match(failed[0], /ECONNREFUSED/);
  });
});

describe("smoke arguments", () => {
  it("when no URL is given, then it targets npm start on localhost:8080 with bounded waits", () => {
    const saved = process.env.SMOKE_BASE_URL;
    delete process.env.SMOKE_BASE_URL;
    try {
      assert.deepEqual(parseSmokeArgs([]), { baseUrl: "http://localhost:8080", readyTimeoutMs: 180_000, stepTimeoutMs: 10_000 });
    } finally {
      if (saved !== undefined) process.env.SMOKE_BASE_URL = saved;
    }
  });

  it("when a deployed URL and timeouts are given, then they are used (trailing slash dropped)", () => {
    assert.deepEqual(parseSmokeArgs(["https://todo.example.com/", "--ready-timeout=600", "--step-timeout=2.5"]), {
      baseUrl: "https://todo.example.com",
      readyTimeoutMs: 600_000,
      stepTimeoutMs: 2_500,
    });
  });

  for (const [args, message] of [
    [["ftp://x"], /http:\/\/ or https:\/\//],
    [["http://a", "http://b"], /expected one base URL/],
    [["--verbose"], /unknown option --verbose/],
    [["--wait=3"], /unknown option --wait/],
    [["--ready-timeout=soon"], /--ready-timeout must be a number/],
    [["--step-timeout=-1"], /--step-timeout must be positive/],
  ] as const) {
    it(`when called with ${args.join(" ")}, then it refuses with a clear message`, () => {
      assert.throws(() => parseSmokeArgs(args), message);
    });
  }
});
