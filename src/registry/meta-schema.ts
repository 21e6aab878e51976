// The parts of JSON Schema 2020-12 that a registry schema may use, as a schema itself:
// enough to refuse a schema whose keywords have the wrong shape (a `type` that is no
// type, a `required` that is not a list of names, a `pattern` that is no regex) before
// it silently validates nothing. Unknown keywords pass, as the specification says.
const TYPES = ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string'];
const schema = { $ref: '#/$defs/schema' };
const schemaMap = { type: 'object', additionalProperties: schema };
const schemaList = { type: 'array', minItems: 1, items: schema };
const count = { type: 'integer', minimum: 0 };
const names = { type: 'array', items: { type: 'string' }, uniqueItems: true };

export const META_SCHEMA = {
  $id: 'urn:mpl-sdk:meta-schema',
  $ref: '#/$defs/schema',
  type: 'object',
  $defs: {
    schema: {
      type: ['object', 'boolean'],
      properties: {
        $id: { type: 'string' },
        $schema: { type: 'string' },
        $ref: { type: 'string' },
        $anchor: { type: 'string' },
        $defs: schemaMap,
        definitions: schemaMap,
        type: { anyOf: [{ enum: TYPES }, { type: 'array', items: { enum: TYPES }, minItems: 1, uniqueItems: true }] },
        properties: schemaMap,
        patternProperties: { type: 'object', propertyNames: { format: 'regex' }, additionalProperties: schema },
        additionalProperties: schema,
        unevaluatedProperties: schema,
        propertyNames: schema,
        dependentSchemas: schemaMap,
        dependentRequired: { type: 'object', additionalProperties: names },
        required: names,
        items: schema,
        prefixItems: schemaList,
        contains: schema,
        unevaluatedItems: schema,
        allOf: schemaList,
        anyOf: schemaList,
        oneOf: schemaList,
        not: schema,
        if: schema,
        then: schema,
        else: schema,
        enum: { type: 'array' },
        minLength: count,
        maxLength: count,
        minItems: count,
        maxItems: count,
        minProperties: count,
        maxProperties: count,
        minContains: count,
        maxContains: count,
        uniqueItems: { type: 'boolean' },
        minimum: { type: 'number' },
        maximum: { type: 'number' },
        exclusiveMinimum: { type: 'number' },
        exclusiveMaximum: { type: 'number' },
        multipleOf: { type: 'number', exclusiveMinimum: 0 },
        pattern: { type: 'string', format: 'regex' },
        format: { type: 'string' },
        title: { type: 'string' },
        description: { type: 'string' },
      },
    },
  },
};
