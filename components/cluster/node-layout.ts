// Checks a node layout against the Always Free A1 allowance before anything is created, so a wrong
// value fails at preview with the key that is wrong instead of as a billing surprise.

export const A1_SHAPE = "VM.Standard.A1.Flex";
/** Always Free block storage: boot and block volumes together. */
export const FREE_STORAGE_GBS = 200;
/** OCI's minimum boot volume size. */
export const MIN_BOOT_VOLUME_GBS = 50;
/** Always Free A1 allowance (2 OCPU / 12 GB since mid-2026). */
export const FREE_A1 = { ocpus: 2, memoryGbs: 12 };

export interface NodeLayout {
  availabilityDomains: string[];
  nodes: { ocpus: number; memoryGbs: number }[];
  bootVolumeSizeGbs: number;
  k3sVersion: string;
}

export interface LayoutProblem {
  key: string;
  message: string;
}

export function layoutProblems(layout: NodeLayout): LayoutProblem[] {
  const problems: LayoutProblem[] = [];
  const { nodes, bootVolumeSizeGbs } = layout;
  if (layout.availabilityDomains.length === 0) {
    problems.push({ key: "availabilityDomains", message: "list at least one availability domain (a name, or 1, 2, 3)" });
  }
  if (nodes.length === 0) problems.push({ key: "nodes", message: "at least one node (the k3s server) is needed" });
  nodes.forEach((n, i) => {
    if (!Number.isInteger(n.ocpus) || n.ocpus < 1) problems.push({ key: `nodes[${i}].ocpus`, message: `${n.ocpus}: a whole number ≥ 1` });
    // A1 Flex takes 1–64 GB per OCPU.
    if (!(n.memoryGbs >= 1 && n.memoryGbs <= 64 * Math.max(1, n.ocpus))) {
      problems.push({ key: `nodes[${i}].memoryGbs`, message: `${n.memoryGbs}: between 1 and 64 GB per OCPU` });
    }
  });
  const ocpus = nodes.reduce((s, n) => s + n.ocpus, 0);
  const memory = nodes.reduce((s, n) => s + n.memoryGbs, 0);
  if (ocpus > FREE_A1.ocpus || memory > FREE_A1.memoryGbs) {
    problems.push({
      key: "nodes",
      message: `${ocpus} OCPU / ${memory} GB in total exceeds the Always Free ${FREE_A1.ocpus} OCPU / ${FREE_A1.memoryGbs} GB`,
    });
  }
  if (!Number.isInteger(bootVolumeSizeGbs) || bootVolumeSizeGbs < MIN_BOOT_VOLUME_GBS) {
    problems.push({ key: "bootVolumeSizeGbs", message: `${bootVolumeSizeGbs}: a whole number ≥ ${MIN_BOOT_VOLUME_GBS} GB (OCI minimum)` });
  } else if (nodes.length * bootVolumeSizeGbs > FREE_STORAGE_GBS) {
    problems.push({
      key: "bootVolumeSizeGbs",
      message: `${nodes.length} nodes × ${bootVolumeSizeGbs} GB exceeds the ${FREE_STORAGE_GBS} GB Always Free storage (at most ${Math.floor(FREE_STORAGE_GBS / Math.max(1, nodes.length))} GB each)`,
    });
  }
  if (!/^v\d+\.\d+\.\d+\+k3s\d+$/.test(layout.k3sVersion)) {
    problems.push({ key: "k3sVersion", message: `"${layout.k3sVersion}": a pinned k3s release such as v1.33.5+k3s1` });
  }
  return problems;
}

/**
 * The availability domain to launch in: a full name is used as given, `1`..`n` picks the n-th AD of the
 * region (names differ per tenancy, e.g. `Uocm:EU-FRANKFURT-1-AD-1`).
 */
export function resolveAvailabilityDomain(entry: string, regionAds: string[]): string {
  if (/^\d+$/.test(entry)) {
    const index = Number(entry) - 1;
    const ad = regionAds[index];
    if (!ad) throw new Error(`availabilityDomains: "${entry}" but the region has ${regionAds.length} availability domain(s)`);
    return ad;
  }
  return entry;
}

/** One availability domain's answer in OCI's compute capacity report for the A1 shape. */
export interface AdCapacity {
  availabilityDomain: string;
  /** `AVAILABLE`, `OUT_OF_HOST_CAPACITY` or `HARDWARE_NOT_SUPPORTED` (CapacityReportShapeAvailability). */
  status: string;
  /** How many instances of the requested shape config can be created now (a string in the API). */
  availableCount: number;
}

export interface AdChoice {
  availabilityDomain: string;
  /** Why this one, for the `pulumi up` log: every AD asked and its answer. */
  reason: string;
  /** False when no AD had room: the first is used and a NEW launch there will fail "Out of host capacity". */
  hasCapacity: boolean;
}

/**
 * The first AD (in the configured order) whose capacity report says AVAILABLE with room for every node
 * (all nodes launch in one AD). When none has room it does not throw — the report is taken on every
 * run, and a running cluster must keep deploying while A1 capacity is gone (the nodes' AD is
 * ignoreChanges) — but says so, and what to do, for the case where a node is about to be launched.
 */
export function pickAvailabilityDomain(reports: AdCapacity[], nodes: number, shape: string): AdChoice {
  const answers = reports.map((r) => `${r.availabilityDomain}: ${r.status}${r.status === "AVAILABLE" ? ` (${r.availableCount} free)` : ""}`).join("; ");
  const ok = reports.find((r) => r.status === "AVAILABLE" && r.availableCount >= nodes);
  if (!ok) {
    return {
      availabilityDomain: reports[0].availabilityDomain,
      hasCapacity: false,
      reason:
        `${shape} capacity report: ${answers}: no AD has room for ${nodes} node(s) now; a node launched in this run will fail ` +
        "with \"Out of host capacity\". Run `pulumi up` again later (capacity is released continuously) or list other ADs in todo-platform:oci.availabilityDomains",
    };
  }
  return { availabilityDomain: ok.availabilityDomain, hasCapacity: true, reason: `${shape} capacity report: ${answers} → ${ok.availabilityDomain}` };
}
