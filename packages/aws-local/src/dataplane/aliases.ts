/** Other names of an image as ECR knows them: `repo@sha256:…` ↔ `repo:tag`. */
import { withoutRegistry } from './images.js';

export type ImageLookup = (repository: string, tagOrDigest: string) => { digest: string; tags: string[] } | undefined;

export function imageAliases(image: string, lookup: ImageLookup): string[] {
  const bare = withoutRegistry(image);
  const at = bare.indexOf('@');
  const colon = bare.lastIndexOf(':');
  const [repository, reference] =
    at >= 0 ? [bare.slice(0, at), bare.slice(at + 1)] : colon >= 0 ? [bare.slice(0, colon), bare.slice(colon + 1)] : [bare, 'latest'];
  const found = lookup(repository, reference);
  if (!found) return [];
  return [`${repository}@${found.digest}`, ...found.tags.map((tag) => `${repository}:${tag}`)];
}
