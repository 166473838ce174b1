import { type Static, type TSchema, Type } from 'typebox';
import { Image } from './image.js';
import { Problem } from './problem.js';
import { Profile } from './profile.js';
import { Readiness } from './readiness.js';
import { Task } from './task.js';

/**
 * The wire types other schemas refer to by name: registered once with Fastify (so the serializer
 * resolves them) and named once in OpenAPI (`components.schemas`, so the client's generated types
 * have the same names).
 */
export const SHARED_SCHEMAS = [Problem, Profile, Image, Task, Readiness];

/** A reference to a shared schema, typed as the schema it names. */
export function ref<T extends TSchema>(schema: T) {
  const id = (schema as { $id?: unknown }).$id;
  if (typeof id !== 'string') throw new Error('ref() needs a schema with an $id');
  return Type.Unsafe<Static<T>>({ $ref: `${id}#` });
}
