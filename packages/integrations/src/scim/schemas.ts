/** RFC 7643/7644 schema URNs. */
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** The most resources one list page returns; larger `count`s are lowered to it (RFC 7644 §3.4.2.4). */
export const MAX_RESULTS = 200;

interface Attribute {
  name: string;
  type: 'string' | 'boolean' | 'complex' | 'reference' | 'dateTime';
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned: 'always' | 'default' | 'never' | 'request';
  uniqueness: 'none' | 'server' | 'global';
  subAttributes?: Attribute[];
  referenceTypes?: string[];
}

function attr(
  name: string,
  description: string,
  options: Partial<Omit<Attribute, 'name' | 'description'>> = {},
): Attribute {
  return {
    name,
    type: 'string',
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...options,
  };
}

const multi = (name: string, description: string) =>
  attr(name, description, {
    type: 'complex',
    multiValued: true,
    subAttributes: [
      attr('value', `The ${name} value`),
      attr('type', 'A label: work, home, other'),
      attr('primary', 'The primary value', { type: 'boolean' }),
    ],
  });

const userAttributes: Attribute[] = [
  attr('userName', 'Unique identifier of the user, usually their sign-in name; matched regardless of case', {
    required: true,
    uniqueness: 'server',
  }),
  attr('name', "The user's name", {
    type: 'complex',
    subAttributes: [
      'formatted',
      'familyName',
      'givenName',
      'middleName',
      'honorificPrefix',
      'honorificSuffix',
    ].map((sub) => attr(sub, `The ${sub} part of the name`)),
  }),
  attr('displayName', 'The name shown for the user; becomes the person’s name in Tandem'),
  attr('nickName', 'A casual name'),
  attr('title', 'Job title; becomes the person’s title'),
  attr('userType', 'Relationship to the organization'),
  attr('preferredLanguage', 'Preferred written or spoken language'),
  attr('locale', 'Default location for localization'),
  attr('timezone', 'IANA time zone; becomes the person’s time zone when Tandem knows it'),
  attr('active', 'false deprovisions: the person leaves, their relationships end, history is kept', {
    type: 'boolean',
  }),
  multi('emails', 'Email addresses; the primary (else work, else first) is the person’s email'),
  multi('phoneNumbers', 'Phone numbers, kept as sent'),
  attr('groups', 'Groups the user belongs to', {
    type: 'complex',
    multiValued: true,
    mutability: 'readOnly',
    subAttributes: [attr('value', 'The group id', { mutability: 'readOnly' })],
  }),
];

const enterpriseAttributes: Attribute[] = [
  attr('employeeNumber', 'Employee number'),
  attr('costCenter', 'Cost center'),
  attr('organization', 'Organization'),
  attr('division', 'Division'),
  attr('department', 'Department; becomes the person’s department (matching eligibility, rules)'),
  attr('manager', "The user's manager; becomes the person's manager when it is a user of this organization", {
    type: 'complex',
    subAttributes: [
      attr('value', "The manager's id", { caseExact: true }),
      attr('$ref', "The manager's URI", { type: 'reference', referenceTypes: ['User'] }),
      attr('displayName', "The manager's name", { mutability: 'readOnly' }),
    ],
  }),
];

const groupAttributes: Attribute[] = [
  attr('displayName', 'The group’s name, unique in the organization', {
    required: true,
    uniqueness: 'server',
  }),
  attr('members', 'Provisioned users in the group', {
    type: 'complex',
    multiValued: true,
    subAttributes: [
      attr('value', 'The member’s id', { mutability: 'immutable', caseExact: true }),
      attr('$ref', 'The member’s URI', {
        type: 'reference',
        referenceTypes: ['User'],
        mutability: 'immutable',
      }),
      attr('type', 'User', { mutability: 'immutable' }),
      attr('display', 'The member’s name', { mutability: 'readOnly' }),
    ],
  }),
];

export function schemaDocuments(baseUrl: string) {
  const schema = (id: string, name: string, description: string, attributes: Attribute[]) => ({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
    id,
    name,
    description,
    attributes,
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${id}` },
  });
  return [
    schema(USER_SCHEMA, 'User', 'A person of the organization', userAttributes),
    schema(ENTERPRISE_USER, 'EnterpriseUser', 'Enterprise User', enterpriseAttributes),
    schema(GROUP_SCHEMA, 'Group', 'A named set of users, kept as provisioned', groupAttributes),
  ];
}

export function resourceTypeDocuments(baseUrl: string) {
  const type = (id: string, endpoint: string, schema: string, extensions: string[]) => ({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
    id,
    name: id,
    endpoint,
    schema,
    schemaExtensions: extensions.map((extension) => ({ schema: extension, required: false })),
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${id}` },
  });
  return [type('User', '/Users', USER_SCHEMA, [ENTERPRISE_USER]), type('Group', '/Groups', GROUP_SCHEMA, [])];
}

export function serviceProviderConfig(baseUrl: string, documentationUri: string) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    documentationUri,
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description: 'The organization’s SCIM token (tdm_scim_…), issued with POST /v1/scim-token',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}
