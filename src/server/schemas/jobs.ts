/**
 * Request and response schemas of the API (TypeBox = JSON Schema). Fastify
 * validates requests and serialises responses with them, and the OpenAPI
 * document at /api/openapi.json is generated from the same objects.
 */
import { Type } from '@sinclair/typebox';

export const ErrorResponse = Type.Object(
  { error: Type.Object({ code: Type.String(), message: Type.String() }) },
  { $id: 'Error', description: 'Every error: a stable code and one sentence' },
);

const VariationIds = Type.Union([
  Type.Literal('all'),
  Type.Array(Type.String({ maxLength: 64 }), { maxItems: 64 }),
  Type.String({ maxLength: 2000, description: 'comma-separated ids' }),
]);

/** Fields shared by the JSON and the multipart forms of a new job. */
const jobFields = {
  variations: Type.Optional(VariationIds),
  preset: Type.Optional(Type.String({ maxLength: 32, description: 'web, print or everything' })),
  options: Type.Optional(
    Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown()), {
      description: 'Options per variation id (see GET /api/variations for each schema)',
    }),
  ),
  webhook: Type.Optional(
    Type.String({ maxLength: 2000, description: 'URL that receives a POST with the final status' }),
  ),
};

export const CreateJobJson = Type.Object(
  {
    urls: Type.Array(Type.String({ maxLength: 2000 }), {
      minItems: 1,
      maxItems: 1000,
      description: 'Logo URLs to fetch',
    }),
    ...jobFields,
  },
  { additionalProperties: false },
);

/** The multipart form, for the OpenAPI document (the handler reads the parts as they stream). */
export const CreateJobMultipart = Type.Object({
  files: Type.Array(Type.String({ format: 'binary' }), { description: 'One or more logo files' }),
  variations: Type.Optional(Type.String({ description: 'comma-separated ids, or all' })),
  preset: jobFields.preset,
  options: Type.Optional(Type.String({ description: 'JSON text: options per variation id' })),
  webhook: jobFields.webhook,
});

export const JobCreated = Type.Object({
  id: Type.String(),
  url: Type.String(),
  eventsUrl: Type.String(),
});

const Output = Type.Object({
  variation: Type.String(),
  name: Type.String(),
  format: Type.String(),
  mediaType: Type.String(),
  width: Type.Optional(Type.Integer()),
  height: Type.Optional(Type.Integer()),
  bytes: Type.Integer(),
  sha256: Type.String(),
  url: Type.String(),
});

/** One of the given strings (typed as their union). */
const oneOf = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

const ErrorInfo = Type.Object({ code: Type.String(), message: Type.String() });
const TaskState = oneOf(['pending', 'running', 'done', 'failed'] as const);

export const JobStatus = Type.Object(
  {
    id: Type.String(),
    state: oneOf(['queued', 'running', 'completed', 'failed', 'cancelled'] as const),
    createdAt: Type.String({ format: 'date-time' }),
    finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    variations: Type.Array(Type.String()),
    progress: Type.Object({ done: Type.Integer(), total: Type.Integer(), fraction: Type.Number() }),
    archiveUrl: Type.String(),
    eventsUrl: Type.String(),
    items: Type.Array(
      Type.Object({
        index: Type.Integer(),
        name: Type.String(),
        state: oneOf(['queued', 'running', 'completed', 'failed'] as const),
        inputUrl: Type.String(),
        tasks: Type.Record(Type.String(), TaskState),
        error: Type.Union([ErrorInfo, Type.Null()]),
        input: Type.Union([
          Type.Object({
            format: Type.String(),
            width: Type.Integer(),
            height: Type.Integer(),
            bytes: Type.Integer(),
            sha256: Type.String(),
          }),
          Type.Null(),
        ]),
        background: Type.Union([
          Type.Object({ color: Type.Union([Type.String(), Type.Null()]), removed: Type.Boolean() }),
          Type.Null(),
        ]),
        analysis: Type.Unknown({
          description:
            'The art analysis: background kind, colour and decision (removed or kept, with reason and confidence), frame, gradient, holes cleared and kept, colours and their roles, warnings; null until the logo ran',
        }),
        warnings: Type.Array(
          Type.Object({
            code: Type.String({ description: 'Stable warning code, e.g. W_BACKGROUND_UNCERTAIN' }),
            message: Type.String(),
            variation: Type.Optional(Type.String()),
          }),
        ),
        outputs: Type.Array(Output),
        failures: Type.Array(
          Type.Object({ variation: Type.String(), code: Type.String(), message: Type.String() }),
        ),
      }),
    ),
  },
  { $id: 'JobStatus' },
);

export const JobParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const FileParams = Type.Object({
  id: JobParams.properties.id,
  item: Type.String({ maxLength: 200 }),
  variation: Type.String({ maxLength: 64 }),
  name: Type.String({ maxLength: 200 }),
});

export const InputParams = Type.Object({
  id: JobParams.properties.id,
  index: Type.Integer({ minimum: 0 }),
});

export const VariationList = Type.Object({
  variations: Type.Array(
    Type.Object({
      id: Type.String(),
      label: Type.String(),
      description: Type.String(),
      outputs: Type.String(),
      keyOptions: Type.Array(Type.String(), { description: 'Options a form shows first' }),
      options: Type.Record(Type.String(), Type.Unknown()),
    }),
  ),
  presets: Type.Array(
    Type.Object({
      id: Type.String(),
      label: Type.String(),
      description: Type.String(),
      variations: Type.Array(Type.String()),
    }),
  ),
});

export const OptionsCheck = Type.Object(
  {
    options: Type.Record(Type.String({ maxLength: 64 }), Type.Record(Type.String(), Type.Unknown()), {
      description: 'Options per variation id, as a job would send them',
    }),
  },
  { additionalProperties: false },
);

export const OptionProblems = Type.Object({
  problems: Type.Array(
    Type.Object({
      variation: Type.String(),
      option: Type.String({ description: 'The option refused; empty when the variation is unknown' }),
      message: Type.String({ description: 'The sentence a job with this option would be refused with' }),
    }),
  ),
});

/** A downloaded file (the response is the bytes, in the file's own media type). */
export const FileResponse = {
  description: 'The file, in its own media type',
  content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
};

export const ZipResponse = {
  description: "Every output and each logo's manifest.json, streamed as a zip",
  content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } },
};

export const EventsResponse = {
  description: 'Server-sent events: `job` (the status) after each change, `end` (the final status)',
  content: { 'text/event-stream': { schema: { type: 'string' } } },
};

export const Deleted = { description: 'Deleted', type: 'null' };
