/**
 * The GITHUB_TOKEN permissions a job gets: its own `permissions:`, else the workflow's, and in a called
 * workflow never more than the calling job has. The rehearsal checks one of them for real: requesting
 * an OIDC token (what configure-aws-credentials does) needs `id-token: write`.
 */
export type Level = 'none' | 'read' | 'write';
export type Permissions = 'read-all' | 'write-all' | Readonly<Record<string, Level>> | undefined;

const RANK: Record<Level, number> = { none: 0, read: 1, write: 2 };

export function level(permissions: Permissions, scope: string): Level {
  if (permissions === 'write-all') return 'write';
  if (permissions === 'read-all') return scope === 'id-token' ? 'none' : 'read';
  // Unset everywhere: the repository's default token, which never includes id-token.
  if (permissions === undefined) return scope === 'id-token' ? 'none' : 'read';
  return permissions[scope] ?? 'none';
}

const SCOPES = [
  'actions',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'id-token',
  'issues',
  'models',
  'discussions',
  'packages',
  'pages',
  'pull-requests',
  'security-events',
  'statuses',
];

/** `inner` as allowed under `outer` (a called workflow's job under its caller). */
export function capped(inner: Permissions, outer: Permissions): Readonly<Record<string, Level>> {
  const result: Record<string, Level> = {};
  for (const scope of SCOPES) {
    const a = level(inner, scope);
    const b = level(outer, scope);
    result[scope] = RANK[a] <= RANK[b] ? a : b;
  }
  return result;
}

export function parsePermissions(value: unknown): Permissions {
  if (value === undefined || value === null) return undefined;
  if (value === 'read-all' || value === 'write-all') return value;
  if (typeof value === 'object') return value as Record<string, Level>;
  throw new Error(`permissions: ${JSON.stringify(value)} is not read-all, write-all or a mapping`);
}
