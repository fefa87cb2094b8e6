/**
 * The demo organization `npm start` creates on first run, through the API itself (the same
 * validation, transactions and events as any client), so a new user has people and a program
 * to explore right away.
 */
/** The fields of the API's responses that seeding reads back. */
export interface Created {
  id: string;
  issuer?: string;
  tenant: { id: string };
  adminKey: { secret: string };
}
type Call = (
  method: string,
  path: string,
  key: string,
  body?: unknown,
) => Promise<{ status: number; json: Created }>;

const people = [
  {
    name: 'Dana Okafor',
    department: 'Engineering',
    title: 'Staff Engineer',
    timezone: 'Europe/Berlin',
    offers: [
      ['system design', 5],
      ['negotiation', 3],
    ],
    wants: ['public speaking'],
    goals: ['Become an engineering manager'],
  },
  {
    name: 'Sam Lindqvist',
    department: 'Sales',
    title: 'Account Executive',
    timezone: 'Europe/Stockholm',
    offers: [
      ['negotiation', 5],
      ['public speaking', 4],
    ],
    wants: ['data analysis'],
    goals: ['Lead a regional sales team'],
  },
  {
    name: 'Priya Raman',
    department: 'Finance',
    title: 'Financial Analyst',
    timezone: 'Asia/Kolkata',
    offers: [
      ['data analysis', 5],
      ['forecasting', 4],
    ],
    wants: ['negotiation', 'storytelling'],
    goals: ['Move into strategy'],
  },
  {
    name: 'Mateo Alvarez',
    department: 'Marketing',
    title: 'Content Lead',
    timezone: 'America/Mexico_City',
    offers: [
      ['storytelling', 5],
      ['public speaking', 3],
    ],
    wants: ['system design'],
    goals: ['Become a product manager'],
  },
  {
    name: 'Aiko Tanaka',
    department: 'Product',
    title: 'Product Manager',
    timezone: 'Asia/Tokyo',
    offers: [
      ['roadmapping', 4],
      ['user research', 4],
    ],
    wants: ['forecasting'],
    goals: ['Lead a product area'],
  },
  {
    name: 'Kwame Mensah',
    department: 'People',
    title: 'HR Business Partner',
    timezone: 'Africa/Accra',
    offers: [
      ['coaching', 5],
      ['conflict resolution', 4],
    ],
    wants: ['data analysis'],
    goals: ['Build a coaching culture'],
  },
  {
    name: 'Lena Fischer',
    department: 'Engineering',
    title: 'Software Engineer',
    timezone: 'Europe/Berlin',
    offers: [['testing', 4]],
    wants: ['system design', 'coaching'],
    goals: ['Become a staff engineer'],
  },
  {
    name: 'Omar Haddad',
    department: 'Sales',
    title: 'Sales Engineer',
    timezone: 'Asia/Dubai',
    offers: [
      ['product demos', 4],
      ['system design', 3],
    ],
    wants: ['storytelling'],
    goals: ['Become a solutions architect'],
  },
] as const;

export async function seedDemo(call: Call, operatorKey: string) {
  const tenant = await call('POST', '/v1/tenants', operatorKey, {
    name: 'Demo Organization',
    tier: 'standard',
  });
  if (tenant.status !== 201)
    throw new Error(`seeding the demo tenant failed: ${JSON.stringify(tenant.json)}`);
  const adminKey: string = tenant.json.adminKey.secret;

  const personIds: string[] = [];
  for (const p of people) {
    const created = await call('POST', '/v1/people', adminKey, {
      name: p.name,
      email: `${p.name.split(' ')[0]!.toLowerCase()}@demo.example`,
      department: p.department,
      title: p.title,
      timezone: p.timezone,
      languages: ['en'],
      skillsOffered: p.offers.map(([name, level]) => ({ name, level })),
      skillsWanted: p.wants.map((name) => ({ name })),
      careerGoals: [...p.goals],
    });
    if (created.status !== 201) throw new Error(`seeding ${p.name} failed: ${JSON.stringify(created.json)}`);
    personIds.push(created.json.id);
  }

  const program = await call('POST', '/v1/programs', adminKey, {
    name: 'Cross-team peer mentoring',
    description: 'Pairs colleagues from different departments to learn from each other for six months.',
    objectives: ['Share skills across teams', 'Break down silos'],
    format: 'peer_pairs',
    meetingCadence: 'biweekly',
    matching: { crossDepartmentOnly: true },
  });
  if (program.status !== 201)
    throw new Error(`seeding the demo program failed: ${JSON.stringify(program.json)}`);
  const programId: string = program.json.id;
  await call('POST', `/v1/programs/${programId}/transitions`, adminKey, { to: 'enrolling' });
  for (const personId of personIds) {
    const enrolled = await call('POST', `/v1/programs/${programId}/enrollments`, adminKey, {
      personId,
      role: 'peer',
    });
    if (enrolled.status !== 201)
      throw new Error(`seeding an enrollment failed: ${JSON.stringify(enrolled.json)}`);
  }
  return { tenantId: tenant.json.tenant.id as string, adminKey, programId };
}

/**
 * The demo organization trusts the local development issuer (matching people by email), created
 * on the first run and moved to this run's URL when the port changed. Returns the provider's id.
 */
export async function trustDevIssuer(
  call: Call,
  adminKey: string,
  devIssuer: { issuer: string; audience: string },
  providerId: string | undefined,
): Promise<string> {
  const settings = {
    description: 'Local development issuer (npm start)',
    issuer: devIssuer.issuer,
    audience: devIssuer.audience,
    jwksUri: `${devIssuer.issuer}/jwks`,
  };
  if (providerId) {
    const current = await call('GET', `/v1/identity-providers/${providerId}`, adminKey);
    if (current.status === 200) {
      if (current.json.issuer === devIssuer.issuer) return providerId;
      const moved = await call('PATCH', `/v1/identity-providers/${providerId}`, adminKey, settings);
      if (moved.status !== 200)
        throw new Error(`updating the development identity provider failed: ${JSON.stringify(moved.json)}`);
      return providerId;
    }
  }
  const created = await call('POST', '/v1/identity-providers', adminKey, {
    ...settings,
    personClaim: 'email',
  });
  if (created.status !== 201)
    throw new Error(`configuring the development identity provider failed: ${JSON.stringify(created.json)}`);
  return created.json.id;
}
