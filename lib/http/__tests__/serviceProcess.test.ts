import { FETCH_BAD_PORTS, portFromEnv } from '../serviceProcess';

describe('portFromEnv', () => {
  it('takes the variable when set, the fallback when not', () => {
    expect(portFromEnv({ PORT: '4100' }, 'PORT', 4000)).toBe(4100);
    expect(portFromEnv({ PORT: '' }, 'PORT', 4000)).toBe(4000);
    expect(portFromEnv({}, 'PORT', 4000)).toBe(4000);
  });

  it('refuses what is not a port number', () => {
    for (const value of ['http', '-1', '65536', '40.5']) {
      expect(() => portFromEnv({ PORT: value }, 'PORT', 4000)).toThrow(`PORT must be a port number between 0 and 65535, not "${value}".`);
    }
  });

  // A service there would start, and then no browser, and none of our processes' fetch, could reach it.
  it('refuses the ports that fetch refuses to reach, and says why', async () => {
    for (const port of FETCH_BAD_PORTS) {
      await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toMatchObject({ cause: { message: 'bad port' } });
      expect(() => portFromEnv({ HOUSING_PORT: String(port) }, 'HOUSING_PORT', 4001)).toThrow(
        `HOUSING_PORT=${port} is a port that browsers and fetch refuse to reach (the Fetch standard's "bad ports"); choose another.`,
      );
    }
    expect(portFromEnv({ PORT: '5062' }, 'PORT', 4000)).toBe(5062);
  });
});
