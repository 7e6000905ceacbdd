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
