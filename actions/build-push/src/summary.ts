/** The job summary and the `metadata` output, pure, from the run's result. */
import { markdownTable, type SummarySection } from '@svg-ai-release/action-kit';
import type { BuildPushResult } from './run.js';

export function summarySections(result: BuildPushResult): SummarySection[] {
  const sections: SummarySection[] = [
    {
      heading: result.dryRun ? 'Plan (dry run: nothing was built or pushed)' : 'Image',
      body: markdownTable(
        ['', ''],
        [
          ['Image', result.image ?? '–'],
          ['Digest', result.digest ?? '–'],
          ['Size', result.sizeInBytes === undefined ? '–' : formatBytes(result.sizeInBytes)],
          ['Builder', `${result.builder} (${result.builderReason})`],
          ['Platforms', result.platforms.join(', ')],
          ['Cache', result.cache],
          ['Repository', `${result.repository}${result.repositoryCreated ? ' (created)' : ''}; lifecycle policy ${result.lifecycle}`],
        ],
      ),
    },
    {
      heading: 'Tags',
      body: markdownTable(
        ['Tag', 'Reference'],
        result.tags.map((tag, index) => [tag, result.references[index]]),
      ),
    },
  ];
  if (result.scan) {
    sections.push({
      heading: 'Scan',
      body:
        markdownTable(
          ['Severity', 'Findings'],
          Object.entries(result.scan.counts).map(([severity, count]) => [severity, count]),
        ) || 'No findings.',
    });
  }
  if (result.dryRun) sections.push({ heading: 'Commands', body: ['```', ...result.plan, '```'].join('\n') });
  return sections;
}

export function metadataOutput(result: BuildPushResult): string {
  return JSON.stringify({
    image: result.image,
    digest: result.digest,
    registry: result.registry,
    repository: result.repository,
    tags: result.tags,
    references: result.references,
    sizeInBytes: result.sizeInBytes,
    pushedAt: result.pushedAt?.toISOString(),
    builder: result.builder,
    platforms: result.platforms,
    labels: Object.fromEntries(result.labels),
    cache: result.cache,
    scan: result.scan && { status: result.scan.status, counts: result.scan.counts },
    dryRun: result.dryRun,
    timings: { engineMs: Math.round(result.engineMs), totalMs: Math.round(result.totalMs) },
  });
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]} (${bytes} bytes)`;
}
