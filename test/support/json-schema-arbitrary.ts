import fc from 'fast-check';

type Schema = Record<string, any>;

/**
 * fast-check arbitraries from the OpenAPI 3.1 document's JSON Schemas: values that mostly fit
 * a schema (patterns, lengths and decimal steps included; cross-field rules are not), and the
 * same values broken in one place. Written here because the contract fuzz
 * walks the generated document (so routes added later are fuzzed with no extra code), and the
 * zod-based generators on npm do not support zod 4.
 */
export function schemaArbitraries(components: Record<string, Schema>) {
  const resolve = (schema: Schema): Schema =>
    schema.$ref ? resolve(components[schema.$ref.replace('#/components/schemas/', '')]!) : schema;

  function valid(input: Schema, depth = 0): fc.Arbitrary<unknown> {
    const schema = resolve(input);
    if (schema.enum) return fc.constantFrom(...schema.enum);
    if (schema.const !== undefined) return fc.constant(schema.const);
    const variants = schema.anyOf ?? schema.oneOf;
    if (variants) return fc.oneof(...variants.map((v: Schema) => valid(v, depth + 1)));
    const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type;
    switch (type) {
      case 'object': {
        const properties: Record<string, Schema> = schema.properties ?? {};
        const required = new Set<string>(schema.required ?? []);
        if (depth > 4) return fc.constant({});
        const record: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [name, property] of Object.entries(properties)) record[name] = valid(property, depth + 1);
        return fc.record(record, { requiredKeys: [...required].filter((k) => k in record) });
      }
      case 'array':
        return fc.array(valid(schema.items ?? {}, depth + 1), {
          minLength: schema.minItems ?? 0,
          maxLength: Math.min(schema.maxItems ?? 3, 3),
        });
      case 'integer':
        return fc.integer({ min: schema.minimum ?? -10, max: schema.maximum ?? 1000 });
      case 'number': {
        const min = schema.minimum ?? -10;
        const max = schema.maximum ?? 1000;
        // Whole multiples of a decimal step, divided rather than multiplied so 3 * 0.0001 stays 0.0003.
        const steps = schema.multipleOf ? Math.round(1 / schema.multipleOf) : 0;
        if (steps > 0)
          return fc
            .integer({ min: Math.ceil(min * steps), max: Math.floor(max * steps) })
            .map((n) => n / steps);
        return fc.double({ min, max, noNaN: true });
      }
      case 'boolean':
        return fc.boolean();
      case 'string':
        return stringFor(schema);
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  }

  // Arbitraries hold no state, so one per string schema serves every operation that uses it:
  // building a pattern's arbitrary (fast-check tokenizes its slices) costs more than drawing from it.
  const strings = new WeakMap<Schema, fc.Arbitrary<string>>();
  function stringFor(schema: Schema): fc.Arbitrary<string> {
    let arbitrary = strings.get(schema);
    if (!arbitrary) {
      arbitrary = newStringFor(schema);
      strings.set(schema, arbitrary);
    }
    return arbitrary;
  }

  function newStringFor(schema: Schema): fc.Arbitrary<string> {
    const pattern = schema.pattern ? new RegExp(schema.pattern, 'u') : undefined;
    const fits = (value: string) =>
      (!pattern || pattern.test(value)) &&
      value.length >= (schema.minLength ?? 0) &&
      value.length <= (schema.maxLength ?? Number.POSITIVE_INFINITY);
    if (schema.format === 'email') {
      const emails = fc.emailAddress().filter(fits);
      return schema.example ? fc.oneof(fc.constant(schema.example), emails) : emails;
    }
    if (pattern && !schema.format) return patterned(schema, pattern, fits);
    if (schema.format === 'date')
      return fc
        .date({ min: new Date('2000-01-01'), max: new Date('2040-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10));
    if (schema.format === 'date-time')
      return fc
        .date({ min: new Date('2000-01-01'), max: new Date('2040-01-01'), noInvalidDate: true })
        .map((d) => d.toISOString());
    if (schema.example !== undefined && typeof schema.example === 'string')
      return fc.oneof(fc.constant(schema.example), fc.string({ maxLength: 20 }));
    return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 30, 30) });
  }

  /** Strings the pattern generates, kept within the lengths (and sometimes the example, which fits). */
  function patterned(schema: Schema, pattern: RegExp, fits: (value: string) => boolean) {
    const generated = fc.stringMatching(pattern, { size: 'small' }).filter(fits);
    return typeof schema.example === 'string' ? fc.oneof(fc.constant(schema.example), generated) : generated;
  }

  /** A valid-looking value broken in one place: a wrong type, a missing or unknown field, a random leaf. */
  function broken(schema: Schema): fc.Arbitrary<unknown> {
    return fc
      .tuple(
        valid(schema),
        fc.nat(),
        fc.jsonValue({ maxDepth: 2 }),
        fc.constantFrom('drop', 'extra', 'replace', 'whole'),
      )
      .map(([value, pick, junk, how]) => {
        if (how === 'whole' || value === null || typeof value !== 'object') return junk;
        const copy = structuredClone(value) as Record<string, unknown>;
        const keys = Object.keys(copy);
        const key = keys[pick % Math.max(keys.length, 1)];
        if (how === 'drop' && key) delete copy[key];
        else if (how === 'replace' && key) copy[key] = junk;
        else copy[`unexpected_${pick % 7}`] = junk;
        return copy;
      });
  }

  return { valid, broken, resolve };
}
