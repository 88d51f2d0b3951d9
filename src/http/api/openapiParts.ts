import { z } from 'zod';

/* The pieces every documented route is built from: error answers, JSON bodies, path and query parameters. */

export type Json = Record<string, unknown>;

/** A zod schema as JSON Schema (the request shape, defaults optional). */
export function schemaOf(schema: z.ZodType): Json {
  try {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  } catch {
    return { type: 'object' };
  }
}

const errorRef = { $ref: '#/components/schemas/Error' };
export const errors = {
  '400': {
    description: 'Bad input; `field` names the path at fault',
    content: { 'application/json': { schema: errorRef } },
  },
  '401': { description: 'Not signed in', content: { 'application/json': { schema: errorRef } } },
  '403': {
    description: 'A viewer tried to change something, or the CSRF token is missing',
    content: { 'application/json': { schema: errorRef } },
  },
  '404': { description: 'Not found', content: { 'application/json': { schema: errorRef } } },
  '429': {
    description: 'Too many requests',
    content: { 'application/json': { schema: errorRef } },
  },
};
export const ok = (description: string, schema: Json = { type: 'object' }) => ({
  '200': { description, content: { 'application/json': { schema } } },
  ...errors,
});
export const body = (schema: Json) => ({
  required: true,
  content: { 'application/json': { schema } },
});
export const pathParam = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description,
});
export const dateQuery = (name: string) => ({
  name,
  in: 'query',
  required: true,
  schema: { type: 'string', format: 'date' },
});
