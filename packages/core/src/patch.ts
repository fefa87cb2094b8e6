import * as z from 'zod';
import { type FieldError, InvalidInputError } from './errors.ts';

type Shape = Record<string, z.ZodType>;

/** What a client may send to change a value of type T: objects are partial and their members nullable. */
export type MergePatchOf<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: MergePatchOf<T[K]> | null }
    : T;

// One derived schema per source schema, so a shared object schema keeps one OpenAPI component.
const derived = new WeakMap<z.ZodType, z.ZodType>();

/**
 * Derives a JSON Merge Patch (RFC 7396) schema from a create schema, recursively: every member
 * becomes optional, objects and string maps become patches of themselves, arrays and scalars
 * replace. Members that are optional on create may be `null` to remove them; required and
 * defaulted members may not, since removing them would either fail or silently reset them.
 * Cross-field rules are not part of a patch: applyMergePatch checks them on the merged result.
 */
export function mergePatchSchema<S extends Shape>(shape: S) {
  return z.strictObject(membersOnFirstRead(shape)) as unknown as z.ZodObject<{
    [K in keyof S]: z.ZodOptional<z.ZodNullable<z.ZodType<MergePatchOf<z.output<S[K]>>>>>;
  }>;
}

/**
 * The patch's members, derived when zod first reads the shape (the first PATCH it validates, or
 * the OpenAPI document), not when the module defining the patch loads: every function that parses
 * stored items imports the core schemas, and few of them ever read a patch. zod reads a shape's
 * getters once and keeps what they returned.
 */
function membersOnFirstRead(shape: Shape): Shape {
  let members: Shape | undefined;
  const lazy: Shape = {};
  for (const key of Object.keys(shape))
    Object.defineProperty(lazy, key, {
      enumerable: true,
      get: () => {
        members ??= memberPatches(shape);
        return members[key];
      },
    });
  return lazy;
}

function memberPatches(shape: Shape): Shape {
  const members: Shape = {};
  for (const [key, field] of Object.entries(shape)) {
    let inner = field;
    let optional = false;
    let defaulted = false;
    for (;;) {
      if (inner instanceof z.ZodOptional) {
        optional = true;
        inner = inner.unwrap() as z.ZodType;
      } else if (inner instanceof z.ZodDefault) {
        defaulted = true;
        inner = inner.unwrap() as z.ZodType;
      } else break;
    }
    const patch = patchOf(inner);
    const member = (optional && !defaulted ? patch.nullable() : patch).optional();
    // The field's own description and example were on the wrappers just taken off.
    const { id: _id, ...meta } = field === inner ? {} : (z.globalRegistry.get(field) ?? {});
    members[key] = Object.keys(meta).length ? member.meta(meta) : member;
  }
  return members;
}

function patchOf(schema: z.ZodType): z.ZodType {
  const known = derived.get(schema);
  if (known) return known;
  let patch = schema;
  if (schema instanceof z.ZodObject) patch = z.strictObject(memberPatches(schema.shape));
  else if (schema instanceof z.ZodRecord)
    patch = z.record(schema.keyType as z.ZodString, patchOf(schema.valueType as z.ZodType).nullable());
  if (patch !== schema) {
    const { id, ...meta } = z.globalRegistry.get(schema) ?? {};
    if (id) patch = patch.meta({ ...meta, id: `${id}Patch` });
    else if (Object.keys(meta).length) patch = patch.meta(meta);
  }
  derived.set(schema, patch);
  return patch;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * RFC 7396 section 2: objects merge member by member, `null` removes a member, anything else
 * (arrays included) replaces. Returns a new value; neither argument is changed. Members are
 * defined rather than assigned, so a map key such as `__proto__` stays an ordinary member.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [name, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) delete result[name];
    else
      Object.defineProperty(result, name, {
        value: mergePatch(Object.hasOwn(result, name) ? result[name] : undefined, value),
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return result;
}

/** Applies a merge patch and re-validates the result against the full schema (cross-field rules included). */
export function applyMergePatch<T extends object>(
  current: T,
  patch: Record<string, unknown>,
  schema: z.ZodType<T>,
): T {
  const result = schema.safeParse(mergePatch(current, patch));
  if (!result.success)
    throw new InvalidInputError('The update would make the resource invalid', fieldErrors(result.error));
  return result.data;
}

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: `/${issue.path.map(String).join('/')}`,
    message: issue.message,
  }));
}
