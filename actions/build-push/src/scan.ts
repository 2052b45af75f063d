/** Scan results against the threshold, pure: which findings are at or above it, most severe first. */
import type { ScanFinding } from '@svg-ai-release/aws/registry';

export const SEVERITY_ORDER = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export const THRESHOLDS = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'NONE'] as const;
export type Threshold = (typeof THRESHOLDS)[number];

function rank(severity: string): number {
  return (SEVERITY_ORDER as readonly string[]).indexOf(severity);
}

/** Findings at or above the threshold (`NONE` reports only, so none block), most severe first. */
export function blockingFindings(findings: readonly ScanFinding[], threshold: Threshold): ScanFinding[] {
  if (threshold === 'NONE') return [];
  const floor = rank(threshold);
  return findings.filter((finding) => rank(finding.severity) >= floor).sort((a, b) => rank(b.severity) - rank(a.severity));
}

export function describeFindings(findings: readonly ScanFinding[], limit = 20): string {
  const shown = findings.slice(0, limit).map((finding) => `${finding.severity} ${finding.name}${finding.uri ? ` (${finding.uri})` : ''}`);
  return [...shown, ...(findings.length > limit ? [`… and ${findings.length - limit} more`] : [])].join('\n');
}
