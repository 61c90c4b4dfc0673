/**
 * What the service keeps about a job: the request, one item per logo, each
 * item's task states and, once it ran, its result (the manifest, with the
 * artifact keys of its files instead of their bytes).
 */
import type { JobResult, VariationFailure } from '../engine/run-job.js';

export type JobState = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
export type ItemState = 'queued' | 'running' | 'completed' | 'failed';
export type TaskState = 'pending' | 'running' | 'done' | 'failed';

export const FINAL_JOB_STATES: ReadonlySet<JobState> = new Set(['completed', 'failed', 'cancelled']);

/** What a job asks for; checked (planJob) before it is stored. */
export interface JobRequest {
  variations: string[];
  options: Record<string, Record<string, unknown>>;
  webhook?: string;
}

export interface ErrorInfo {
  code: string;
  message: string;
}

/** One output of an item, as stored: where its bytes are, not the bytes. */
export interface StoredOutput {
  variation: string;
  name: string;
  format: string;
  mediaType: string;
  width?: number;
  height?: number;
  bytes: number;
  sha256: string;
  /** Artifact key: `<job>/<item>/<variation>/<name>`. */
  key: string;
}

/** An item's result once it ran (also what a queue worker returns). */
export interface ItemResult {
  input: JobResult['input'];
  background: JobResult['background'];
  /** The art analysis: background and hole decisions with reasons (null when no variation needed it). */
  analysis?: JobResult['analysis'];
  warnings: JobResult['warnings'];
  outputs: StoredOutput[];
  failures: VariationFailure[];
}

export interface ItemRecord {
  jobId: string;
  index: number;
  /** Folder name of the item's files, unique within the job. */
  name: string;
  state: ItemState;
  attempts: number;
  /** Artifact key of the uploaded bytes. */
  inputKey: string;
  tasks: Record<string, TaskState>;
  /** Files of the variations done so far, while the item runs. */
  partial: StoredOutput[];
  result: ItemResult | null;
  error: ErrorInfo | null;
}

export interface JobRecord {
  id: string;
  state: JobState;
  createdAt: number;
  finishedAt: number | null;
  request: JobRequest;
  /** The API key's id that created the job (null: no keys configured). */
  owner: string | null;
  items: ItemRecord[];
}

/** The unit of work a runner (in-process or queue worker) processes. */
export interface ItemWork {
  jobId: string;
  index: number;
  name: string;
  inputKey: string;
  variations: string[];
  options: Record<string, Record<string, unknown>>;
}
