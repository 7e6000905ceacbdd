// `npm run smoke -- <url> --ca-file=<pem>` against an HTTPS server whose certificate chains to a CA that
// Node does not trust (as Let's Encrypt's staging CA is not): without the bundle the readiness probe
// fails on the certificate, with it the TLS handshake passes and the journey gets as far as /readyz.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";

const root = join(__dirname, "..", "..");

describe("smoke --ca-file (a staging-like certificate)", function () {
  this.timeout(60_000);
  let dir: string;
  let server: Server;
  let url: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "smoke-ca-"));
    const o = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
    o(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=Fake Staging Root"]);
    o(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "srv.key", "-out", "srv.csr", "-subj", "/CN=localhost"]);
    writeFileSync(join(dir, "ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    o(["x509", "-req", "-in", "srv.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "srv.pem", "-days", "1", "-extfile", "ext.cnf"]);
    // Always "not ready yet": the journey stops at its first step either way; what differs is why.
    server = createServer({ key: readFileSync(join(dir, "srv.key")), cert: readFileSync(join(dir, "srv.pem")) }, (_req, res) => res.writeHead(503).end("starting"));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `https://localhost:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // Asynchronous: the HTTPS server lives in this process and must keep answering meanwhile.
  const smoke = (...args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const env = { ...process.env };
      delete env.NODE_EXTRA_CA_CERTS;
      const child = spawn("npm", ["run", "--silent", "smoke", "--", url, "--ready-timeout=2", ...args], { cwd: root, env });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("close", (status) => resolve({ status, stdout, stderr }));
    });

  it("when no CA bundle is given, then the probe fails on the untrusted certificate", async () => {
    const r = await smoke();
    assert.equal(r.status, 1);
    assert.match(r.stdout + r.stderr, /certificate/i);
  });

  it("when --ca-file names the issuing CA, then TLS is accepted and the failure is the app's 503", async () => {
    const r = await smoke(`--ca-file=${join(dir, "ca.pem")}`);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /trusting the extra CAs in/);
    assert.match(r.stdout + r.stderr, /HTTP 503/);
    assert.doesNotMatch(r.stdout + r.stderr, /certificate/i);
  });

  it("when --ca-file names a missing file, then it refuses before any request", async () => {
    const r = await smoke("--ca-file=/nonexistent/ca.pem");
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no such file/);
  });
});
