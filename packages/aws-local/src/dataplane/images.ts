/**
 * Which local command stands for a container image. Patterns are matched against the image without
 * its registry host (`123.dkr.ecr.eu-west-1.amazonaws.com/svg-ai:stable` → `svg-ai:stable`) and against
 * the full reference; `*` matches any run of characters (`svg-ai:*`, `svg-ai@sha256:*`, `*`).
 */
export interface ImageCommand {
  readonly command: readonly string[];
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
}

export type ImageCommands = Readonly<Record<string, ImageCommand>>;

export function withoutRegistry(image: string): string {
  const slash = image.indexOf('/');
  if (slash < 0) return image;
  const host = image.slice(0, slash);
  return host.includes('.') || host.includes(':') || host === 'localhost' ? image.slice(slash + 1) : image;
}

/** Images without a tag or digest mean `:latest`, as docker reads them. */
function candidates(image: string): string[] {
  const bare = withoutRegistry(image);
  const tagged = bare.includes(':') || bare.includes('@') ? bare : `${bare}:latest`;
  return [...new Set([image, bare, tagged])];
}

export function globMatches(pattern: string, value: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map(escapeRegex).join('.*')}$`);
  return regex.test(value);
}

function escapeRegex(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The first pattern that matches, in declaration order, so specific entries can precede `*`.
 * `aliases` are other names of the same image (its tags when it is referenced by digest, and back).
 */
export function commandFor(image: string, commands: ImageCommands, aliases: readonly string[] = []): ImageCommand | undefined {
  const names = [...candidates(image), ...aliases];
  for (const [pattern, command] of Object.entries(commands)) {
    if (names.some((name) => globMatches(pattern, name))) return command;
  }
  return undefined;
}

export function imageMatches(pattern: string, image: string): boolean {
  return candidates(image).some((name) => globMatches(pattern, name));
}
