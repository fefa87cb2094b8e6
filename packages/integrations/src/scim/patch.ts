import { ScimError } from './errors.ts';
import { ENTERPRISE_USER, GROUP_SCHEMA, PATCH_OP, USER_SCHEMA } from './schemas.ts';

export interface PatchOperation {
  op: 'add' | 'remove' | 'replace';
  path?: string | undefined;
  value?: unknown;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads a PatchOp body. `op` is matched regardless of case: Entra sends `Replace`, `Add`,
 * `Remove`. An empty `Operations` is refused (RFC 7644 §3.5.2 asks for at least one).
 */
export function parsePatch(body: unknown): PatchOperation[] {
  if (!isObject(body)) throw new ScimError(400, 'invalidSyntax', 'A PatchOp is a JSON object');
  const schemas = body.schemas;
  if (schemas !== undefined && !(Array.isArray(schemas) && schemas.includes(PATCH_OP)))
    throw new ScimError(400, 'invalidSyntax', `A PatchOp names the schema ${PATCH_OP}`);
  const operations = body.Operations ?? body.operations;
  if (!Array.isArray(operations) || operations.length === 0)
    throw new ScimError(400, 'invalidSyntax', 'Operations must list at least one operation');
  return operations.map((operation, index) => {
    if (!isObject(operation))
      throw new ScimError(400, 'invalidSyntax', `Operations[${index}] is not an object`);
    const op = typeof operation.op === 'string' ? operation.op.toLowerCase() : '';
    if (op !== 'add' && op !== 'remove' && op !== 'replace')
      throw new ScimError(400, 'invalidSyntax', `Operations[${index}].op must be add, remove or replace`);
    const path = operation.path;
    if (path !== undefined && (typeof path !== 'string' || path.trim() === ''))
      throw new ScimError(400, 'invalidPath', `Operations[${index}].path must be a non-empty string`);
    if (op !== 'remove' && !('value' in operation))
      throw new ScimError(400, 'invalidSyntax', `Operations[${index}] (${op}) needs a value`);
    return { op, path: path?.trim(), value: operation.value };
  });
}

/** What a resource type tells the patcher: canonical attribute names and what may not be written. */
export interface PatchTarget {
  schema: string;
  extensions: string[];
  canonical: (name: string) => string;
  readOnly: Set<string>;
}

interface Path {
  /** The object the attribute lives in: the resource, or an extension's member of it. */
  extension?: string | undefined;
  attribute: string;
  filter?: { attribute: string; value: string } | undefined;
  sub?: string | undefined;
}

const VALUE_FILTER = /^([A-Za-z$][\w$]*)\s+eq\s+"((?:[^"\\]|\\.)*)"$/i;

function parsePath(raw: string, target: PatchTarget): Path {
  let rest = raw;
  let extension: string | undefined;
  for (const urn of [target.schema, ...target.extensions]) {
    if (rest.toLowerCase().startsWith(`${urn.toLowerCase()}:`)) {
      rest = rest.slice(urn.length + 1);
      extension = urn === target.schema ? undefined : urn;
      break;
    }
  }
  const match = /^([A-Za-z$][\w$-]*)(?:\[(.+)\])?(?:\.([A-Za-z$][\w$]*))?$/.exec(rest);
  if (!match) throw new ScimError(400, 'invalidPath', `Unsupported path ${JSON.stringify(raw)}`);
  const [, attribute, filterText, sub] = match;
  let filter: Path['filter'];
  if (filterText !== undefined) {
    const f = VALUE_FILTER.exec(filterText.trim());
    if (!f)
      throw new ScimError(
        400,
        'invalidPath',
        `Unsupported value filter in ${JSON.stringify(raw)}; use [attribute eq "value"]`,
      );
    filter = { attribute: f[1]!, value: JSON.parse(`"${f[2]}"`) as string };
  }
  const name = extension ? attribute! : target.canonical(attribute!);
  if (!extension && target.readOnly.has(name)) throw new ScimError(400, 'mutability', `${name} is read-only`);
  return { extension, attribute: name, filter, sub };
}

/** Case-insensitive member lookup: attribute names in SCIM are case-insensitive. */
function keyOf(object: Json, name: string): string {
  return Object.keys(object).find((key) => key.toLowerCase() === name.toLowerCase()) ?? name;
}

const matches = (element: unknown, filter: NonNullable<Path['filter']>) =>
  isObject(element) && String(element[keyOf(element, filter.attribute)] ?? '') === filter.value;

const sameValue = (a: unknown, b: unknown) =>
  isObject(a) && isObject(b) && a.value !== undefined
    ? a.value === b.value
    : JSON.stringify(a) === JSON.stringify(b);

function apply(resource: Json, op: PatchOperation['op'], path: Path, value: unknown) {
  let container = resource;
  if (path.extension) {
    const key = keyOf(resource, path.extension);
    if (!isObject(resource[key])) {
      if (op === 'remove') return;
      resource[key] = {};
    }
    container = resource[key] as Json;
  }
  const key = keyOf(container, path.attribute);
  const current = container[key];

  if (path.filter) {
    const list = Array.isArray(current) ? current : [];
    const hits = list.filter((element) => matches(element, path.filter!));
    if (op === 'remove') {
      if (path.sub) for (const hit of hits) delete (hit as Json)[keyOf(hit as Json, path.sub)];
      else container[key] = list.filter((element) => !hits.includes(element));
      return;
    }
    if (hits.length === 0) {
      // Entra replaces `emails[type eq "work"].value` on a user that has no work email yet.
      const created: Json = { [path.filter.attribute]: path.filter.value };
      if (path.sub) created[path.sub] = value;
      else if (isObject(value)) Object.assign(created, value);
      else throw new ScimError(400, 'invalidValue', `A value for ${path.attribute}[…] must be an object`);
      container[key] = [...list, created];
      return;
    }
    for (const hit of hits as Json[]) {
      if (path.sub) hit[keyOf(hit, path.sub)] = value;
      else if (isObject(value)) Object.assign(hit, value);
      else throw new ScimError(400, 'invalidValue', `A value for ${path.attribute}[…] must be an object`);
    }
    return;
  }

  if (path.sub) {
    if (op === 'remove') {
      if (isObject(current)) delete current[keyOf(current, path.sub)];
      return;
    }
    // Entra's manager arrives as a bare string; `manager.value` then addresses that string.
    const object = isObject(current) ? current : typeof current === 'string' ? { value: current } : {};
    object[keyOf(object, path.sub)] = value;
    container[key] = object;
    return;
  }

  if (op === 'remove') {
    // `Remove members` with a value array removes those members (Entra without aadOptscim062020).
    if (Array.isArray(current) && Array.isArray(value))
      container[key] = current.filter((element) => !value.some((v) => sameValue(element, v)));
    else delete container[key];
    return;
  }
  if (op === 'add' && Array.isArray(current)) {
    const added = (Array.isArray(value) ? value : [value]).filter(
      (v) => !current.some((element) => sameValue(element, v)),
    );
    container[key] = [...current, ...added];
    return;
  }
  if (op === 'add' && isObject(current) && isObject(value)) {
    container[key] = { ...current, ...value };
    return;
  }
  container[key] = value;
}

/**
 * Applies the operations to a copy of the resource's attributes, all or nothing (the caller
 * stores the result only if every operation applied). A path-less add or replace sets each
 * member of its value; members may be dotted paths (`name.givenName`) or URN-qualified
 * (`urn:…:enterprise:2.0:User:department`), as Entra sends with aadOptscim062020.
 */
export function applyPatch(attributes: Json, operations: PatchOperation[], target: PatchTarget): Json {
  const resource = structuredClone(attributes);
  for (const { op, path, value } of operations) {
    if (path !== undefined) {
      apply(resource, op, parsePath(path, target), value);
      continue;
    }
    if (op === 'remove') throw new ScimError(400, 'noTarget', 'A remove operation needs a path');
    if (!isObject(value))
      throw new ScimError(400, 'invalidValue', `A ${op} without a path needs an object value`);
    for (const [member, memberValue] of Object.entries(value)) {
      const extension = target.extensions.find((urn) => urn.toLowerCase() === member.toLowerCase());
      if (extension && isObject(memberValue)) {
        for (const [sub, subValue] of Object.entries(memberValue))
          apply(resource, op, { extension, attribute: sub }, subValue);
        continue;
      }
      if (member.toLowerCase() === 'schemas') continue;
      const path = parsePath(member, target);
      // A dotted member (`name.givenName`) is a sub-attribute, not a literal key.
      apply(resource, op, path, memberValue);
    }
  }
  return resource;
}

export const userPatchTarget = (canonical: (name: string) => string): PatchTarget => ({
  schema: USER_SCHEMA,
  extensions: [ENTERPRISE_USER],
  canonical,
  readOnly: new Set(['id', 'meta', 'groups']),
});

export const groupPatchTarget: PatchTarget = {
  schema: GROUP_SCHEMA,
  extensions: [],
  canonical: (name) =>
    ({ displayname: 'displayName', members: 'members', externalid: 'externalId' })[name.toLowerCase()] ??
    name,
  readOnly: new Set(['id', 'meta']),
};
