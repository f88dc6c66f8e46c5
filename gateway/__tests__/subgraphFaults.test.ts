import { startDistrictGraph, type DistrictGraph } from './districtGraph';

const DISTRICT_WITH_NOTE = { query: 'query DistrictCard { district(id: "d1") { id name note } }' };
const ADD_NOTE = { query: 'mutation AddNote { addNote(districtId: "d1", text: "Fête de quartier") }' };

let graph: DistrictGraph;

afterEach(() => graph.close());

describe('a subgraph that stops mid-run', () => {
  beforeEach(async () => {
    graph = await startDistrictGraph({ SUBGRAPH_RETRIES: '0' });
  });

  it('leaves the other subgraph’s fields intact and puts the error on the affected path, with HTTP 200', async () => {
    const before = await graph.post(DISTRICT_WITH_NOTE);
    expect(before.body).toEqual({ data: { district: { id: 'd1', name: 'Les Tilleuls', note: 'Note on d1' } } });

    await graph.notes.service.close();
    const response = await graph.post(DISTRICT_WITH_NOTE);
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ district: { id: 'd1', name: 'Les Tilleuls', note: null } });
    expect(response.body.errors).toEqual([
      {
        message: 'The notes service is unavailable; try again shortly.',
        path: ['district', 'note'],
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'notes', requestId: response.headers.get('x-request-id') },
      },
    ]);
  });

  it('answers an error per affected entity of a list', async () => {
    await graph.notes.service.close();
    const response = await graph.post({ query: '{ districts { name note } }' });
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({
      districts: [
        { name: 'Les Tilleuls', note: null },
        { name: 'La Source', note: null },
      ],
    });
    expect(response.body.errors?.map((error) => error.path)).toEqual([
      ['districts', 0, 'note'],
      ['districts', 1, 'note'],
    ]);
  });
});

describe('a subgraph that hangs', () => {
  beforeEach(async () => {
    graph = await startDistrictGraph({ SUBGRAPH_TIMEOUT_MS: '10000', SUBGRAPH_TIMEOUT_MS_NOTES: '300' });
  });

  it('is given up on after its time limit: SUBGRAPH_TIMEOUT on its fields, the rest intact', async () => {
    graph.notes.hang();
    const started = Date.now();
    const response = await graph.post(DISTRICT_WITH_NOTE);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2000);
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ district: { id: 'd1', name: 'Les Tilleuls', note: null } });
    expect(response.body.errors).toMatchObject([
      { message: 'The notes service did not answer within 300 ms.', path: ['district', 'note'], extensions: { code: 'SUBGRAPH_TIMEOUT' } },
    ]);
    // A timed-out query is not retried: the subgraph is slow, more calls would not help it.
    expect(graph.notes.calls()).toBe(1);
  });
});

describe('retries', () => {
  beforeEach(async () => {
    graph = await startDistrictGraph({ SUBGRAPH_RETRIES: '1', SUBGRAPH_RETRY_DELAY_MS: '10' });
  });

  it('retry a query once after a transient failure, invisibly to the client', async () => {
    graph.notes.failNext(1);
    const response = await graph.post(DISTRICT_WITH_NOTE);
    expect(response.body).toEqual({ data: { district: { id: 'd1', name: 'Les Tilleuls', note: 'Note on d1' } } });
    expect(graph.notes.calls()).toBe(2);
  });

  it('are bounded: a query failing twice gives SUBGRAPH_UNAVAILABLE after two calls', async () => {
    graph.notes.failNext(5);
    const response = await graph.post(DISTRICT_WITH_NOTE);
    expect(response.body.errors).toMatchObject([{ path: ['district', 'note'], extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }]);
    expect(graph.notes.calls()).toBe(2);
  });

  it('never repeat a mutation, which may have been applied', async () => {
    graph.notes.failNext(1);
    const response = await graph.post(ADD_NOTE);
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ addNote: null });
    expect(response.body.errors).toMatchObject([{ path: ['addNote'], extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }]);
    expect(graph.notes.calls()).toBe(1);
  });
});

describe('circuit breaker', () => {
  beforeEach(async () => {
    graph = await startDistrictGraph({ SUBGRAPH_RETRIES: '0', SUBGRAPH_BREAKER_FAILURES: '3', SUBGRAPH_BREAKER_COOLDOWN_MS: '300' });
  });

  it('opens after consecutive failures and then fails fast without calling the subgraph', async () => {
    graph.notes.failNext(3);
    for (let call = 0; call < 3; call += 1) await graph.post(DISTRICT_WITH_NOTE);
    expect(graph.notes.calls()).toBe(3);

    const response = await graph.post(DISTRICT_WITH_NOTE);
    expect(graph.notes.calls()).toBe(3);
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({ district: { id: 'd1', name: 'Les Tilleuls', note: null } });
    expect(response.body.errors).toMatchObject([{ path: ['district', 'note'], extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }]);
    expect(graph.logLines).toContainEqual(expect.objectContaining({ subgraph: 'notes', circuit: 'open' }));
  });

  it('lets one trial through after the cool-down and closes again when it succeeds', async () => {
    graph.notes.failNext(3);
    for (let call = 0; call < 3; call += 1) await graph.post(DISTRICT_WITH_NOTE);
    await graph.post(DISTRICT_WITH_NOTE);
    expect(graph.notes.calls()).toBe(3);

    await new Promise((resolve) => setTimeout(resolve, 350));
    const trial = await graph.post(DISTRICT_WITH_NOTE);
    expect(trial.body).toEqual({ data: { district: { id: 'd1', name: 'Les Tilleuls', note: 'Note on d1' } } });
    expect(graph.notes.calls()).toBe(4);

    await graph.post(DISTRICT_WITH_NOTE);
    expect(graph.notes.calls()).toBe(5);
  });

  it('opens again at once when the trial fails', async () => {
    graph.notes.failNext(4);
    for (let call = 0; call < 3; call += 1) await graph.post(DISTRICT_WITH_NOTE);
    await new Promise((resolve) => setTimeout(resolve, 350));
    await graph.post(DISTRICT_WITH_NOTE);
    expect(graph.notes.calls()).toBe(4);
    await graph.post(DISTRICT_WITH_NOTE);
    expect(graph.notes.calls()).toBe(4);
  });

  it('does not count a subgraph that answers with errors in a 200 as failing', async () => {
    for (let call = 0; call < 4; call += 1) await graph.post({ query: '{ failing }' });
    // The districts subgraph answered every time, so its circuit stays closed.
    expect(graph.districts.calls()).toBe(4);
  });
});
