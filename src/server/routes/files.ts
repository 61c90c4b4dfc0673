/**
 * Downloads: one output, an uploaded input, or everything as a zip streamed
 * while it is written. A file is looked up in the job's record by its item,
 * variation and name, never by a path built from the request, so no request
 * can reach outside the job's files.
 */
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import yazl from 'yazl';
import { LogomillError } from '../../errors.js';
import type { ArtifactStore } from '../../jobs/artifacts.js';
import { itemManifest } from '../../jobs/process-item.js';
import type { JobService } from '../../jobs/service.js';
import type { JobRecord } from '../../jobs/types.js';
import {
  ErrorResponse,
  FileParams,
  FileResponse,
  InputParams,
  JobParams,
  ZipResponse,
} from '../schemas/jobs.js';

/** SVG (and any uploaded file) opened directly must not run scripts or load anything. */
const SANDBOX = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox";

/** Formats that are compressed already: stored in the zip as they are. */
const STORED = new Set(['png', 'jpeg', 'webp', 'avif', 'ico']);

const INPUT_TYPES: Record<string, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  tiff: 'image/tiff',
  avif: 'image/avif',
  heif: 'image/heif',
  svg: 'image/svg+xml',
  bmp: 'image/bmp',
};

function job(service: JobService, id: string): JobRecord {
  const j = service.get(id);
  if (!j) throw new LogomillError('E_NOT_FOUND', `There is no job ${JSON.stringify(id)}.`);
  return j;
}

/**
 * A Content-Disposition header for any file name: an ASCII fallback in `filename` and the
 * exact name, UTF-8, in `filename*` (RFC 6266), so that "логотип.png" neither breaks the header nor
 * loses its name.
 */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const exact = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${exact}`;
}

async function sendArtifact(
  reply: FastifyReply,
  artifacts: ArtifactStore,
  key: string,
  type: string,
  fileName: string,
  download: boolean,
): Promise<FastifyReply> {
  const file = await artifacts.open(key);
  if (!file) throw new LogomillError('E_NOT_FOUND', `The file ${fileName} is no longer stored.`);
  const disposition = contentDisposition(download ? 'attachment' : 'inline', fileName);
  return reply
    .header('content-type', type)
    .header('content-length', file.bytes)
    .header('content-disposition', disposition)
    .header('content-security-policy', SANDBOX)
    .header('cache-control', 'private, max-age=3600')
    .send(file.stream);
}

export async function fileRoutes(app: FastifyInstance, opts: { service: JobService }): Promise<void> {
  const { service } = opts;

  app.get<{
    Params: { id: string; item: string; variation: string; name: string };
    Querystring: { download?: string };
  }>(
    '/api/jobs/:id/files/:item/:variation/:name',
    {
      schema: {
        summary: 'One output file',
        tags: ['files'],
        params: FileParams,
        response: { 200: FileResponse, '4xx': ErrorResponse },
      },
    },
    async (req, reply) => {
      const { id, item, variation, name } = req.params;
      const it = job(service, id).items.find((i) => i.name === item);
      // a running item's finished variations are served too
      const out = (it?.result?.outputs ?? it?.partial)?.find(
        (o) => o.variation === variation && o.name === name,
      );
      if (!out) throw new LogomillError('E_NOT_FOUND', `Job ${id} has no file ${item}/${variation}/${name}.`);
      return sendArtifact(reply, service.artifacts, out.key, out.mediaType, out.name, !!req.query.download);
    },
  );

  app.get<{ Params: { id: string; index: number }; Querystring: { download?: string } }>(
    '/api/jobs/:id/inputs/:index',
    {
      schema: {
        summary: 'An uploaded logo, as received',
        tags: ['files'],
        params: InputParams,
        response: { 200: FileResponse, '4xx': ErrorResponse },
      },
    },
    async (req, reply) => {
      const { id, index } = req.params;
      const it = job(service, id).items.find((i) => i.index === index);
      if (!it) throw new LogomillError('E_NOT_FOUND', `Job ${id} has no logo ${index}.`);
      const format = it.result?.input.format;
      const type = (format && INPUT_TYPES[format]) || 'application/octet-stream';
      // the stored key keeps the upload's extension: the download gets the item's name with it
      const ext = /(\.[a-z0-9]{1,5})$/.exec(it.inputKey)?.[1] ?? '';
      return sendArtifact(reply, service.artifacts, it.inputKey, type, it.name + ext, !!req.query.download);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/jobs/:id/archive.zip',
    {
      schema: {
        summary: 'Every output as a zip: <item>/<variation>/<name> and <item>/manifest.json',
        tags: ['files'],
        params: JobParams,
        produces: ['application/zip'],
        response: { 200: ZipResponse, '4xx': ErrorResponse },
      },
    },
    async (req, reply) => {
      const j = job(service, req.params.id);
      const zip = new yazl.ZipFile();
      const out = zip.outputStream as Readable;
      // a fixed time inside the zip: the same job gives the same archive
      const mtime = new Date(j.createdAt);
      // files are opened one at a time, when the zip reaches them: memory and handles hold one file
      let current: Readable | null = null;
      const stop = (err?: Error) => {
        current?.destroy();
        out.destroy(err);
      };
      zip.on('error', (err: Error) => {
        req.log.warn({ err }, 'zip failed');
        stop(err);
      });
      // a client that leaves mid-download must not leave the current file open
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) stop();
      });
      for (const it of j.items) {
        if (!it.result) continue;
        zip.addBuffer(
          Buffer.from(`${JSON.stringify(itemManifest(it.name, it.result), null, 2)}\n`),
          `${it.name}/manifest.json`,
          { mtime },
        );
        for (const o of it.result.outputs) {
          const path = `${it.name}/${o.key.split('/').slice(2).join('/')}`;
          zip.addReadStreamLazy(path, { mtime, compress: !STORED.has(o.format), size: o.bytes }, (cb) => {
            service.artifacts.open(o.key).then(
              (file) => {
                if (!file) return cb(new Error(`${path} is no longer stored`), undefined as never);
                current = file.stream;
                cb(null, file.stream);
              },
              (err) => cb(err, undefined as never),
            );
          });
        }
      }
      zip.end();
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', contentDisposition('attachment', `logomill-${j.id}.zip`))
        .send(out);
    },
  );
}
