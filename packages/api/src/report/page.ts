import type { ProgramReport } from '@tandem/app';
import { barChart, columnChart, escapeHtml, type Interval, intervalChart } from './svg.ts';

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:900px;color:#1d2433}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d5dd}
.meta{color:#555}table{border-collapse:collapse}td,th{padding:.25rem .8rem;text-align:left;border-bottom:1px solid #eee}
svg.chart rect,svg.chart circle{fill:#3b6fd8}svg.chart line{stroke:#3b6fd8}svg.chart line.zero{stroke:#888}
svg.chart text{fill:#1d2433;font-size:12px}.met{color:#137333}.unmet{color:#b3261e}
@media print{body{margin:0}h2{break-after:avoid}svg{break-inside:avoid}}`;

const number = (value: number | null, unit = '') =>
  value === null ? '—' : `${Math.round(value * 10) / 10}${unit}`;

/** The program report as one printable HTML page: no script, inline SVG charts, figures as text too. */
export function renderProgramReport(report: ProgramReport): string {
  const { analytics: a } = report;
  const funnel = [
    { label: 'Enrolled', value: a.enrollment.enrolled },
    { label: 'Active enrollments', value: a.enrollment.active },
    { label: 'Matched', value: a.enrollment.matched },
    { label: 'Still in the organization', value: a.enrollment.enrolled - a.enrollment.left },
  ];
  const statuses = Object.entries(a.relationships.byStatus).map(([label, value]) => ({ label, value }));
  const q = a.matchQuality;
  const matches = [
    { label: 'Across departments', value: q.crossDepartment },
    { label: 'Within a department', value: q.known - q.crossDepartment },
    { label: 'Made before snapshots', value: q.unknown },
  ];
  const prePost: Interval[] = a.surveys.items.flatMap((item) =>
    item.suppressed || item.meanDifference === null || item.ci95 === null
      ? []
      : [
          {
            label: item.questionId,
            mean: item.meanDifference,
            low: item.ci95[0]!,
            high: item.ci95[1]!,
            n: item.n,
          },
        ],
  );
  const objectives = a.objectives
    .map(
      (o) =>
        `<tr data-objective="${escapeHtml(o.key)}"><td>${escapeHtml(o.description ?? o.key)}</td><td>${escapeHtml(o.metric)} ${o.direction === 'at_least' ? '≥' : '≤'} ${o.target}</td><td>${number(o.actual)}</td><td class="${o.met ? 'met' : 'unmet'}">${o.met ? 'met' : 'not yet'}</td></tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(report.program.name)}: program report</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(report.program.name)}</h1>
<p class="meta">Program report as of ${escapeHtml(a.asOf.slice(0, 10))} · ${a.relationships.total} relationships · match rate ${number(a.enrollment.matchRatePercent, ' %')} · NPS ${a.surveys.nps.suppressed ? 'suppressed (fewer answers than k)' : number(a.surveys.nps.score)} · mean meeting rating ${number(a.meetingRating.mean)}</p>
<h2>Enrollment funnel</h2>
${barChart('funnel', 'Enrollment funnel', funnel)}
<h2>Relationships by status</h2>
${barChart('relationships', 'Relationships by status', statuses)}
<h2>What matching brought together</h2>
${barChart('match-quality', 'Relationships across departments when matched', matches)}
<p>${number(q.crossDepartmentPercent, ' %')} of the relationships with a snapshot span departments; partners covered ${q.wantedSkillsCovered} of the ${q.wantedSkills} skills mentees and peers wanted (${number(q.wantedSkillsCoveredPercent, ' %')}).</p>
<h2>Meetings held per month</h2>
${
  report.meetingsByMonth.length
    ? columnChart(
        'meetings',
        'Meetings held per month',
        report.meetingsByMonth.map((m) => ({ label: m.month, value: m.held })),
      )
    : '<p>No meeting held yet.</p>'
}
<p>${a.meetings.held} held, ${number(a.meetings.perRelationship)} per relationship against ${number(a.meetings.expectedPerRelationship)} the cadence asks for (${number(a.meetings.cadencePercent, ' %')}).</p>
<h2>Change from pre-program to close-out, per survey item</h2>
${prePost.length ? intervalChart('pre-post', 'Mean change per survey item with its 95% confidence interval', prePost) : '<p>No item has enough paired answers yet.</p>'}
<h2>Relationship health</h2>
${columnChart(
  'health',
  'Relationships by health score',
  report.healthBands.map((b) => ({ label: b.band, value: b.relationships })),
)}
<p>${report.evaluated} relationships evaluated.</p>
<h2>Objectives</h2>
${objectives ? `<table><thead><tr><th>Objective</th><th>Target</th><th>Actual</th><th></th></tr></thead><tbody>${objectives}</tbody></table>` : '<p>The program states no objectives.</p>'}
</body></html>`;
}
