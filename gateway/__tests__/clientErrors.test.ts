import { DATABASE_FAILURE, startDistrictGraph, type DistrictGraph } from './districtGraph';

let graph: DistrictGraph;

afterEach(() => graph.close());

describe('in production', () => {
  beforeEach(async () => {
    graph = await startDistrictGraph({ NODE_ENV: 'production', SUBGRAPH_RETRIES: '0' });
  });

  it('hides a subgraph’s internal failure behind the request id, and logs it in full', async () => {
    const response = await graph.post(
      { query: '{ failing district(id: "d1") { name } }' },
      { headers: { 'x-request-id': 'support-1234' } },
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      data: { failing: null, district: { name: 'Les Tilleuls' } },
      errors: [
        {
          message: 'Internal error; quote request id support-1234',
          path: ['failing'],
          extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'support-1234' },
        },
      ],
    });
    expect(response.text).not.toMatch(/E11000|secret|stacktrace|serviceName/);

    const logged = graph.logLines.find((line) => line.msg === 'internal error');
    expect(logged).toMatchObject({ requestId: 'support-1234', serviceName: 'districts', err: { message: DATABASE_FAILURE } });
  });

  it('keeps the message and code of a contract error from a subgraph', async () => {
    const response = await graph.post({ query: '{ forbidden }' });
    expect(response.body.errors).toEqual([
      {
        message: 'You may not see this district’s accounts.',
        path: ['forbidden'],
        extensions: { code: 'FORBIDDEN', serviceName: 'districts', requestId: response.headers.get('x-request-id') },
      },
    ]);
  });

  it('says nothing about connections when a subgraph is down', async () => {
    await graph.notes.service.close();
    const response = await graph.post({ query: '{ district(id: "d1") { name note } }' });
    expect(response.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|fetch/);
    expect(response.body.errors).toMatchObject([{ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }]);
    expect(graph.logLines).toContainEqual(
      expect.objectContaining({ msg: 'call to notes failed', err: expect.objectContaining({ code: 'ECONNREFUSED' }) }),
    );
  });

  it('refuses introspection and hints no field names', async () => {
    const introspection = await graph.post({ query: '{ __schema { queryType { name } } }' });
    expect(introspection.status).toBe(400);
    expect(introspection.body.errors).toMatchObject([{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);

    const typo = await graph.post({ query: '{ district(id: "d1") { nam } }' });
    expect(typo.status).toBe(400);
    expect(typo.body.errors).toEqual([
      {
        message: 'Cannot query field "nam" on type "District".',
        locations: [{ line: 1, column: 24 }],
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', requestId: typo.headers.get('x-request-id') },
      },
    ]);
  });

  it('gives the request id to errors raised before any operation runs', async () => {
    const response = await graph.post({ query: '{ districts { name } }' }, { caller: null });
    expect(response.status).toBe(401);
    expect(response.body.errors).toEqual([
      {
        message: 'Authentication required: send an "Authorization: Bearer <token>" header.',
        extensions: { code: 'UNAUTHENTICATED', requestId: response.headers.get('x-request-id') },
      },
    ]);
  });
});

describe('outside production', () => {
  it('masks internal errors outside development, even for an admin, and keeps field suggestions', async () => {
    graph = await startDistrictGraph({ NODE_ENV: 'test' });
    const response = await graph.post({ query: '{ failing }' }, { headers: { 'x-request-id': 'support-5678' } });
    expect(response.body.errors).toEqual([
      {
        message: 'Internal error; quote request id support-5678',
        path: ['failing'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'support-5678' },
      },
    ]);
    expect(graph.logLines.find((line) => line.msg === 'internal error')).toMatchObject({ err: { message: DATABASE_FAILURE } });
    const typo = await graph.post({ query: '{ district(id: "d1") { nam } }' });
    expect(typo.body.errors?.[0]?.message).toBe('Cannot query field "nam" on type "District". Did you mean "name"?');
    expect(typo.text).not.toMatch(/stacktrace/);
  });

  it('shows an authenticated admin in development the details and stack traces', async () => {
    graph = await startDistrictGraph({ NODE_ENV: 'development' });
    const typo = await graph.post({ query: '{ district(id: "d1") { nam } }' });
    expect(typo.body.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', stacktrace: expect.any(Array) });
    // The subgraph's own stack, passed on by the gateway.
    const failing = await graph.post({ query: '{ failing }' });
    expect(failing.body.errors?.[0]).toMatchObject({
      message: DATABASE_FAILURE,
      extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'districts' },
    });
    expect(failing.body.errors?.[0]?.extensions?.stacktrace).toEqual(expect.arrayContaining([expect.stringContaining('E11000')]));
  });

  it.each([
    ['landlord staff', { role: 'LANDLORD_STAFF', sub: 'staff', landlordId: 'landlord' } as const],
    ['a coordinator', { role: 'COORDINATOR', sub: 'coordinator', districtIds: ['d1'] } as const],
  ])('shows %s in development no stack trace and no internal message', async (_, caller) => {
    graph = await startDistrictGraph({ NODE_ENV: 'development' });
    const failing = await graph.post({ query: '{ failing }' }, { caller });
    expect(failing.body.errors).toMatchObject([
      { message: expect.stringMatching(/^Internal error; quote request id /), extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    ]);
    const typo = await graph.post({ query: '{ district(id: "d1") { nam } }' }, { caller });
    expect(typo.body.errors).toMatchObject([{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);
    for (const response of [failing, typo]) expect(response.text).not.toMatch(/stacktrace|E11000|\.ts:\d+|node_modules/);
  });

  it('shows an anonymous caller in development no stack trace', async () => {
    graph = await startDistrictGraph({ NODE_ENV: 'development' });
    const response = await graph.post({ query: '{ districts { name } }' }, { caller: null });
    expect(response.status).toBe(401);
    expect(response.body.errors).toEqual([
      {
        message: 'Authentication required: send an "Authorization: Bearer <token>" header.',
        extensions: { code: 'UNAUTHENTICATED', requestId: response.headers.get('x-request-id') },
      },
    ]);
  });
});
