import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { parse } from "yaml";
import { K3S_KUBECONFIG } from "../../../test/stacks/cloud-cluster-mocks";
import {
  kubeletReservation,
  renderScript,
  renderTemplate,
  requiredInputs,
  rewriteKubeconfigServer,
  scriptDigest,
  scriptTemplate,
  shellQuote,
  sshUserFor,
} from "../k3s-bootstrap";

const serverInputs = {
  K3S_VERSION: "v1.33.5+k3s1",
  PUBLIC_IP: "203.0.113.10",
  PRIVATE_IP: "10.0.1.5",
  K3S_TOKEN: "s3cr3t-token",
  KUBE_RESERVED: "cpu=300m,memory=1600Mi",
  SYSTEM_RESERVED: "cpu=100m,memory=256Mi",
};

describe("k3s bootstrap scripts", () => {
  it("when the server script is rendered, then its inputs are assigned before the guards and the install flags hold the pinned version, --disable=traefik and --tls-san", () => {
    const script = renderScript("install-k3s-server", serverInputs);
    assert.match(script, /^K3S_VERSION='v1\.33\.5\+k3s1'$/m);
    assert.match(script, /^PUBLIC_IP='203\.0\.113\.10'$/m);
    assert.ok(script.indexOf("K3S_VERSION='") < script.indexOf(': "${K3S_VERSION:?}"'), "assignments precede the guard");
    assert.match(script, /--disable=traefik/);
    assert.match(script, /--tls-san "\$\{PUBLIC_IP\}"/);
    assert.match(script, /--write-kubeconfig-mode 600/);
    assert.match(script, /INSTALL_K3S_VERSION="\$\{K3S_VERSION\}"/);
    assert.match(script, /--kubelet-arg "kube-reserved=\$\{KUBE_RESERVED\}"/);
    assert.doesNotMatch(script, /set -x|echo .*K3S_TOKEN/, "the token is never traced or echoed");
  });

  it("when every script is rendered, then bash parses it and shellcheck finds nothing in the rendered form either", () => {
    const rendered = [
      renderScript("wait-for-cloud-init", {}),
      renderScript("open-host-firewall", {}),
      renderScript("install-k3s-server", serverInputs),
    ];
    rendered.push(
      renderScript("install-k3s-agent", {
        K3S_VERSION: "v1.33.5+k3s1",
        SERVER_IP: "10.0.1.5",
        PRIVATE_IP: "10.0.1.6",
        K3S_TOKEN: "tok",
        KUBE_RESERVED: "cpu=100m,memory=300Mi",
        SYSTEM_RESERVED: "cpu=100m,memory=256Mi",
      }),
      renderScript("wait-for-nodes", { EXPECTED_NODES: "2" }),
      renderScript("read-kubeconfig", {}),
    );
    for (const script of rendered) {
      execFileSync("bash", ["-n"], { input: script });
      execFileSync("shellcheck", ["-s", "bash", "-"], { input: script });
    }
  });

  it("when an input is missing, unknown or spans lines, then rendering fails naming it", () => {
    const { K3S_TOKEN: _omitted, ...withoutToken } = serverInputs;
    void _omitted;
    assert.throws(() => renderScript("install-k3s-server", withoutToken as typeof serverInputs), /missing input\(s\) K3S_TOKEN/);
    assert.throws(() => renderScript("wait-for-nodes", { EXPECTED_NODES: "1", EXTRA: "x" } as never), /unknown input\(s\) EXTRA/);
    assert.throws(() => renderScript("wait-for-nodes", { EXPECTED_NODES: "1\nrm -rf /" }), /EXPECTED_NODES must be one line/);
  });

  it("when the required inputs are read from a script, then they are exactly its `: \"${X:?}\"` guards", () => {
    assert.deepEqual(requiredInputs(scriptTemplate("install-k3s-agent")).sort(), [
      "K3S_TOKEN",
      "K3S_VERSION",
      "KUBE_RESERVED",
      "PRIVATE_IP",
      "SERVER_IP",
      "SYSTEM_RESERVED",
    ]);
    assert.deepEqual(requiredInputs(scriptTemplate("open-host-firewall")), []);
  });

  it("when a value holds quotes and shell syntax, then the quoted form reads back verbatim in bash", () => {
    const nasty = `it's $(whoami) \`id\` "x" \\ ; rm -rf /`;
    const out = execFileSync("bash", ["-c", `v=${shellQuote(nasty)}; printf %s "$v"`]).toString();
    assert.equal(out, nasty);
    const script = renderTemplate(
      "#!/usr/bin/env bash\n# Rendered inputs (renderScript() places shell-quoted assignments right below this line).\n: \"${A:?}\"\nprintf %s \"$A\"\n",
      { A: nasty },
    );
    assert.equal(execFileSync("bash", ["-s"], { input: script }).toString(), nasty);
  });

  it("when a script changes, then its digest (the command trigger) changes; the same script gives the same digest", () => {
    assert.equal(scriptDigest("install-k3s-server"), scriptDigest("install-k3s-server"));
    assert.notEqual(scriptDigest("install-k3s-server"), scriptDigest("install-k3s-agent"));
    assert.match(scriptDigest("read-kubeconfig"), /^[0-9a-f]{64}$/);
  });

  it("when the image is Oracle Linux or Ubuntu, then the SSH user is opc or ubuntu; anything else is refused", () => {
    assert.equal(sshUserFor("Oracle Linux"), "opc");
    assert.equal(sshUserFor("Canonical Ubuntu"), "ubuntu");
    assert.throws(() => sshUserFor("Windows"), /image\.operatingSystem "Windows" is not supported/);
  });

  it("when the kubeconfig is rewritten, then every cluster points at the public IP and the credentials are untouched", () => {
    const k3s = K3S_KUBECONFIG;
    const out = parse(rewriteKubeconfigServer(k3s, "203.0.113.10"));
    assert.equal(out.clusters[0].cluster.server, "https://203.0.113.10:6443");
    assert.equal(out.clusters[0].cluster["certificate-authority-data"], "Q0E=");
    assert.equal(out.users[0].user["client-key-data"], "S0VZ");
    assert.throws(() => rewriteKubeconfigServer("kind: Config\n", "203.0.113.10"), /no clusters/);
  });

  it("when reservations are formatted, then kubelet's cpu=…m,memory=…Mi syntax is produced", () => {
    assert.equal(kubeletReservation({ cpuMillicores: 300, memoryMiB: 1600 }), "cpu=300m,memory=1600Mi");
  });
});
