import assert from "node:assert/strict";
import { cidrProblem, ingressRules, PROTOCOL } from "../oci-network";
import { pickAvailabilityDomain, layoutProblems, resolveAvailabilityDomain, type NodeLayout } from "../node-layout";

const layout = (patch: Partial<NodeLayout> = {}): NodeLayout => ({
  availabilityDomains: ["1"],
  nodes: [{ ocpus: 2, memoryGbs: 12 }],
  bootVolumeSizeGbs: 100,
  k3sVersion: "v1.33.5+k3s1",
  ...patch,
});

describe("OCI security rules", () => {
  const rules = ingressRules("198.51.100.7/32", "10.0.0.0/16");
  const tcp = (port: number) => rules.filter((r) => r.protocol === PROTOCOL.tcp && (r.tcpOptions as { min?: number })?.min === port);

  it("when the rules are built, then SSH and the Kubernetes API are open only to the admin CIDR", () => {
    for (const port of [22, 6443]) {
      const r = tcp(port);
      assert.equal(r.length, 1, `one rule for ${port}`);
      assert.equal(r[0].source, "198.51.100.7/32");
      assert.deepEqual(r[0].tcpOptions, { min: port, max: port });
    }
  });

  it("when the rules are built, then 80 and 443 are open to anyone by destination port, with no source-port range", () => {
    for (const port of [80, 443]) {
      const [r] = tcp(port);
      assert.equal(r.source, "0.0.0.0/0");
      assert.deepEqual(r.tcpOptions, { min: port, max: port });
      assert.equal((r.tcpOptions as { sourcePortRange?: unknown }).sourcePortRange, undefined);
    }
  });

  it("when the rules are built, then only the VCN gets all protocols and ICMP 3/4 is allowed for path-MTU discovery", () => {
    const all = rules.filter((r) => r.protocol === PROTOCOL.all);
    assert.deepEqual(all.map((r) => r.source), ["10.0.0.0/16"]);
    const icmp = rules.filter((r) => r.protocol === PROTOCOL.icmp);
    assert.deepEqual(icmp.map((r) => r.icmpOptions), [{ type: 3, code: 4 }]);
    const openToWorld = rules.filter((r) => r.source === "0.0.0.0/0" && r.protocol === PROTOCOL.tcp).map((r) => (r.tcpOptions as { min: number }).min);
    assert.deepEqual(openToWorld.sort((a, b) => a - b), [80, 443]);
  });

  it("when a CIDR is malformed or out of range, then it is named", () => {
    assert.equal(cidrProblem("203.0.113.7/32"), undefined);
    assert.match(cidrProblem("203.0.113.7")!, /not an IPv4 CIDR/);
    assert.match(cidrProblem("300.0.0.1/32")!, /out of range/);
  });
});

describe("node layout", () => {
  it("when the default one-node 2/12 or the two-node 1/6 layout is given, then nothing is wrong", () => {
    assert.deepEqual(layoutProblems(layout()), []);
    assert.deepEqual(layoutProblems(layout({ nodes: [{ ocpus: 1, memoryGbs: 6 }, { ocpus: 1, memoryGbs: 6 }] })), []);
  });

  it("when the boot volumes exceed 200 GB in total or a volume is under 50 GB, then bootVolumeSizeGbs is named", () => {
    const twoNodes = [{ ocpus: 1, memoryGbs: 6 }, { ocpus: 1, memoryGbs: 6 }];
    assert.deepEqual(layoutProblems(layout({ nodes: twoNodes, bootVolumeSizeGbs: 100 })), []);
    const [tooBig] = layoutProblems(layout({ nodes: twoNodes, bootVolumeSizeGbs: 101 }));
    assert.equal(tooBig.key, "bootVolumeSizeGbs");
    assert.match(tooBig.message, /2 nodes × 101 GB exceeds the 200 GB/);
    assert.equal(layoutProblems(layout({ bootVolumeSizeGbs: 40 }))[0].key, "bootVolumeSizeGbs");
  });

  it("when the nodes exceed 2 OCPU / 12 GB, then nodes is named", () => {
    const [p] = layoutProblems(layout({ nodes: [{ ocpus: 2, memoryGbs: 12 }, { ocpus: 1, memoryGbs: 6 }] }));
    assert.equal(p.key, "nodes");
    assert.match(p.message, /3 OCPU \/ 18 GB/);
  });

  it("when the k3s version is not pinned or no AD is listed, then the key is named", () => {
    assert.equal(layoutProblems(layout({ k3sVersion: "latest" }))[0].key, "k3sVersion");
    assert.equal(layoutProblems(layout({ availabilityDomains: [] }))[0].key, "availabilityDomains");
  });

  it("when an AD is given as an index, then the region's n-th AD is used; a name passes through", () => {
    const ads = ["Uocm:EU-FRANKFURT-1-AD-1", "Uocm:EU-FRANKFURT-1-AD-2"];
    assert.equal(resolveAvailabilityDomain("2", ads), "Uocm:EU-FRANKFURT-1-AD-2");
    assert.equal(resolveAvailabilityDomain("Uocm:EU-FRANKFURT-1-AD-3", ads), "Uocm:EU-FRANKFURT-1-AD-3");
    assert.throws(() => resolveAvailabilityDomain("3", ads), /region has 2 availability domain/);
  });

  it("when no listed AD has A1 capacity for every node, then the first is kept and the reason names each AD's answer and what to do", () => {
    const reports = [
      { availabilityDomain: "AD-1", status: "OUT_OF_HOST_CAPACITY", availableCount: 0 },
      { availabilityDomain: "AD-2", status: "AVAILABLE", availableCount: 1 },
    ];
    const none = pickAvailabilityDomain(reports, 2, "VM.Standard.A1.Flex");
    assert.equal(none.hasCapacity, false);
    assert.equal(none.availabilityDomain, "AD-1");
    assert.match(none.reason, /AD-1: OUT_OF_HOST_CAPACITY; AD-2: AVAILABLE \(1 free\): no AD has room for 2 node\(s\).*Out of host capacity.*pulumi up/);
    assert.equal(pickAvailabilityDomain(reports, 1, "VM.Standard.A1.Flex").availabilityDomain, "AD-2");
  });
});
