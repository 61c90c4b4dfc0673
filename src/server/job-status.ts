/**
 * The API's view of a stored job: what GET /api/jobs/:id answers, what server-sent events carry
 * and what a webhook receives. Typed from the response schema (schemas/jobs.ts), so the view
 * and the OpenAPI document cannot drift apart.
 */
import type { Static } from '@sinclair/typebox';
import type { JobRecord, JobState } from '../jobs/types.js';
import type { JobStatus } from './schemas/jobs.js';

export type JobStatusView = Static<typeof JobStatus>;

const enc = encodeURIComponent;

/** Where a job lives in the API. */
export const jobUrl = (id: string): string => `/api/jobs/${id}`;
export const jobEventsUrl = (id: string): string => `${jobUrl(id)}/events`;

export function jobStatus(job: JobRecord, state: JobState = job.state): JobStatusView {
  const base = jobUrl(job.id);
  let done = 0;
  let total = 0;
  for (const it of job.items) {
    for (const s of Object.values(it.tasks)) {
      total++;
      if (s === 'done' || s === 'failed') done++;
    }
  }
  return {
    id: job.id,
    state,
    createdAt: new Date(job.createdAt).toISOString(),
    finishedAt: job.finishedAt ? new Date(job.finishedAt).toISOString() : null,
    variations: job.request.variations,
    progress: { done, total, fraction: total ? Math.round((done / total) * 1000) / 1000 : 1 },
    archiveUrl: `${base}/archive.zip`,
    eventsUrl: jobEventsUrl(job.id),
    items: job.items.map((it) => ({
      index: it.index,
      name: it.name,
      state: it.state,
      inputUrl: `${base}/inputs/${it.index}`,
      tasks: it.tasks,
      error: it.error,
      input: it.result?.input ?? null,
      background: it.result?.background ?? null,
      analysis: it.result?.analysis ?? null,
      warnings: it.result?.warnings ?? [],
      // while the item runs, the files of the variations done so far
      outputs: (it.result?.outputs ?? it.partial).map(({ key: _key, ...o }) => ({
        ...o,
        url: `${base}/files/${enc(it.name)}/${enc(o.variation)}/${enc(o.name)}`,
      })),
      failures: it.result?.failures ?? [],
    })),
  };
}
