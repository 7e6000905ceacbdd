import { workloadOf } from "./containers";
import type { ResourceRule } from "./types";

/** Tags that move: an image under one of them is not the image that was reviewed. */
const FLOATING_TAGS = new Set(["latest", "stable", "main", "master", "edge", "nightly", "dev"]);

/** What is wrong with an image reference, or undefined when it is pinned (a fixed tag or a digest). */
export function imageProblem(image: string | undefined): string | undefined {
  if (!image) return "has no image";
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return undefined;
  const lastPart = image.slice(image.lastIndexOf("/") + 1);
  const colon = lastPart.lastIndexOf(":");
  if (colon === -1) return `image ${image} has no tag (Kubernetes pulls :latest)`;
  const tag = lastPart.slice(colon + 1);
  if (FLOATING_TAGS.has(tag.toLowerCase())) return `image ${image} uses the moving tag :${tag}`;
  return undefined;
}

export const pinnedImages: ResourceRule = {
  name: "images-pinned",
  description: "Every container image has a fixed tag or a digest: no :latest, no untagged image.",
  check(resource) {
    const w = workloadOf(resource);
    if (!w) return [];
    return w.containers.flatMap(({ container, label }) => {
      const problem = imageProblem(container.image);
      return problem ? [`${label} ${problem}`] : [];
    });
  },
};
