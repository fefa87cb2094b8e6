import * as z from 'zod';
import { type FieldError, InvalidInputError } from './errors.ts';

type Shape = Record<string, z.ZodType>;

/**
 * Derives a JSON Merge Patch (RFC 7396) schema from a create schema: every field becomes
 * optional, and fields that are optional on create may be `null` to clear them.
 */
export function mergePatchSchema<S extends Shape>(shape: S) {
  const fields: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(shape)) {
    if (field instanceof z.ZodOptional) fields[key] = (field.unwrap() as z.ZodType).nullable().optional();
    else if (field instanceof z.ZodDefault) fields[key] = (field.unwrap() as z.ZodType).optional();
    else fields[key] = field.optional();
  }
  return z.strictObject(fields) as unknown as z.ZodObject<{
    [K in keyof S]: z.ZodOptional<z.ZodNullable<S[K]>>;
  }>;
}

/** Applies a merge patch and re-validates the result against the full schema (cross-field rules included). */
export function applyMergePatch<T extends object>(
  current: T,
  patch: Record<string, unknown>,
  schema: z.ZodType<T>,
): T {
  const merged: Record<string, unknown> = { ...(current as Record<string, unknown>) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  const result = schema.safeParse(merged);
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
