/**
 * Completion webhooks: when a job reaches its final state, its status (the same view GET
 * /api/jobs/:id answers) is POSTed to the job's webhook URL, signed with the server's secret.
 * The outcome is recorded on the job, so finished jobs whose webhook a previous process did
 * not deliver are sent when the next one starts.
 */
import type { JobService } from '../jobs/service.js';
import type { HttpClient } from '../net/http-client.js';
import { jobStatus } from './job-status.js';

export interface WebhookOptions {
  http: Pick<HttpClient, 'postJson'>;
  secret?: string;
  log(message: string): void;
}

/** Sends the webhooks still owed, then each job's as it finishes. */
export function deliverWebhooks(service: JobService, opts: WebhookOptions): void {
  const send = async (jobId: string) => {
    const job = service.store.get(jobId);
    const url = job?.request.webhook;
    if (!job || !url) return;
    let state: 'sent' | 'failed' = 'failed';
    try {
      const r = await opts.http.postJson(url, jobStatus(job), { secret: opts.secret });
      if (r.status < 300) state = 'sent';
    } catch (err) {
      opts.log(`webhook for job ${jobId} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    service.writes.run(() => service.store.setWebhookState(jobId, state));
  };
  for (const id of service.store.pendingWebhooks()) void send(id);
  service.on('finished', (jobId: string) => void send(jobId));
}
