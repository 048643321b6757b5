// The evaluation as a Markdown page: summary, per-class table, confusion matrix (row %), and
// links to the pictures when they were written.
import type { EvalReport } from './report';

const pct = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(2)}`);
const ms = (x: number) => `${x.toFixed(1)} ms`;

export function reportMarkdown(r: EvalReport, pictures?: { confusion: string; iou: string; samples?: string }): string {
  const lines: string[] = [];
  const s = r.scores;
  lines.push('# Segmentation evaluation', '');
  const what =
    r.mode === 'recorded-topics'
      ? `recorded labels \`${r.source.prediction_topic}\` against \`${r.source.ground_truth_topic}\` in \`${r.source.bag}\``
      : r.mode === 'engine-on-bag'
        ? `the engine on \`${r.source.image_topic}\` against \`${r.source.ground_truth_topic}\` in \`${r.source.bag}\``
        : `the engine on \`${r.source.images}\` against \`${r.source.labels}\``;
  lines.push(`Scored ${what}.`);
  if (r.model) {
    lines.push(
      `Model \`${r.model.path}\`, network input ${r.model.networkWidth}x${r.model.networkHeight}, kernels ${r.model.isa}, ${r.model.threads} thread${r.model.threads === 1 ? "" : "s"}.`,
    );
  }
  lines.push(`Ignore index: ${r.ignoreIndex ?? 'none'}; labels compared at the ground truth's resolution.`, '');
  lines.push('| metric | value |', '| --- | --- |');
  lines.push(`| mIoU | ${pct(s.miou)} % |`);
  lines.push(`| pixel accuracy | ${pct(s.pixelAccuracy)} % |`);
  lines.push(`| class-average accuracy | ${pct(s.classAverageAccuracy)} % |`);
  lines.push(`| frames matched | ${r.frames.matched} |`);
  lines.push(`| ground truth without prediction | ${r.frames.missingPrediction} |`);
  lines.push(`| prediction without ground truth | ${r.frames.missingGroundTruth} |`);
  if (r.frames.duplicates) lines.push(`| duplicate stamps dropped | ${r.frames.duplicates} |`);
  lines.push(`| pixels scored / ignored | ${s.scoredPixels} / ${r.ignoredPixels} |`);
  if (r.latency) {
    lines.push(`| latency p50 / p95 / p99 | ${ms(r.latency.p50)} / ${ms(r.latency.p95)} / ${ms(r.latency.p99)} |`);
  }
  if (r.engineTiming) {
    const t = r.engineTiming;
    lines.push(`| engine stages (mean) | preprocess ${ms(t.preprocessMs)}, network ${ms(t.networkMs)}, postprocess ${ms(t.postprocessMs)} |`);
  }
  if (r.throughputFps !== null) lines.push(`| throughput | ${r.throughputFps.toFixed(2)} frames/s |`);
  lines.push('');
  if (r.latency) lines.push(`Latency measures the ${r.latencyMeaning}.`, '');
  if (r.skipped.length) {
    lines.push('## Skipped', '', ...r.skipped.map((x) => `- ${x}`), '');
  }
  if (r.rejected.length) {
    const n = r.rejected.length;
    lines.push('## Undecodable frames skipped', '', `${n} frame${n === 1 ? '' : 's'}:`, '', ...r.rejected.map((x) => `- ${x}`), '');
  }
  lines.push('## Per class', '', '| # | class | IoU % | accuracy % | share of ground truth % |', '| --- | --- | --- | --- | --- |');
  for (const c of s.perClass) {
    const share = s.scoredPixels > 0 ? (100 * c.groundTruthPixels) / s.scoredPixels : null;
    lines.push(`| ${c.index} | ${c.name} | ${pct(c.iou)} | ${pct(c.accuracy)} | ${pct(share)} |`);
  }
  lines.push('', '## Confusion matrix', '', 'Rows: ground truth; columns: prediction; each row in % of its pixels.', '');
  lines.push(`| | ${r.classNames.map((_, i) => i).join(' | ')} |`, `| --- |${' --- |'.repeat(r.classNames.length)}`);
  r.confusion.forEach((row, g) => {
    const sum = row.reduce((a, b) => a + b, 0);
    lines.push(`| ${g} ${r.classNames[g]} | ${row.map((v) => (sum > 0 ? ((100 * v) / sum).toFixed(1) : '')).join(' | ')} |`);
  });
  if (pictures) {
    lines.push('', '## Pictures', '');
    lines.push(`![confusion matrix](${pictures.confusion})`, '', `![per-class IoU](${pictures.iou})`);
    if (pictures.samples) lines.push('', `![samples](${pictures.samples})`);
  }
  lines.push('');
  return lines.join('\n');
}
